"""Find the passages that answer a question, and decide whether the notes cover it at all.

Three ideas, each small:
1. Spelling: words the notes never use are mapped to the closest word they do use
   ("frendship shwon" -> "friendship shown"), by a symmetric-delete lookup (words.py,
   with the stems, stopwords and phrasal verbs every search reads a question through).
2. History: a follow-up ("And how does she treat Kathy later on?") is searched
   together with the question before it, so "she" still means Ruth (conversation.py,
   over what a question asks from its words alone, asking.py).
3. Hybrid ranking: dense (embedding) and lexical (BM25) scores are each scaled to
   0..1 over the candidates and mixed 60/40, so exact names and quoted words count
   as well as meaning (the lexical index is in lexical.py). (Measured on our own
   questions, score mixing beat reciprocal rank fusion: MRR 0.93 against 0.78, because
   RRF throws away how far ahead the leader is.)

Answerability is judged from how close the best passage is in meaning and how many
of the question's content words the notes use at all: an off-topic question is
refused instead of being answered with whatever passage happens to rank first.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import numpy as np

from tutor.asking import (
    A_WORK,
    ASKS_FOR_OVERVIEW,
    ASKS_FOR_QUOTATION,
    ASKS_HOW_IT_CAME_ABOUT,
    ASKS_TO_ANALYSE_LANGUAGE,
    ASKS_WHO_WROTE,
    ASKS_WHY,
    COUNT_OF_PEOPLE,
    COUNTED_POINTS,
    FATE_STEMS,
    LISTED_POINTS,
    ORDINALS,
    OVERVIEW_WORDS,
    QUOTATION_WORDS,
    SAID_TO,
    TITLE_STEMS,
    WHO_IS,
    asks_about_the_title,
    asks_for_a_count,
    asks_for_a_date,
    asks_for_main_points,
    asks_for_other_themes,
    asks_for_other_works,
    asks_for_whole,
    asks_of_a_fate,
    asks_only_for_the_people,
    asks_what_a_quotation_shows,
    asks_what_it_shows,
    counted_points,
    named_besides,
    quotation_named,
    quotations_counted,
    topical,
    topics_asked,
)
from tutor.conversation import (
    Query,
    points_only,
    user_turns,
)
from tutor.documents import (
    SPEAKER,
    holds_quotation,
    needs_quotation,
    quoted_spans,
    sentence_spans,
)
from tutor.lexical import (
    FULL_NAME,
    LISTS_SEARCHED,
    LexicalIndex,
    items_of_a_list_on,
    list_items,
)
from tutor.records import Chunk, Passage
from tutor.words import (
    BEFORE_A_NOUN,
    BEFORE_A_VERB,
    FOLLOW_UP_PRONOUNS,
    NOTES_WORDS,
    POINTER_NOUNS,
    STOPWORDS,
    TOPIC_FRAME,
    content_words,
    events_repeated,
    in_single_words,
    is_generic,
    meanings_of_a_circumstance,
    stems,
    subjects,
    with_words_meant,
    words,
)

# ------------------------------------------------------------------- dates and counts in a passage

_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b|\bcentur(?:y|ies)\b", re.I)
_LIFESPAN = re.compile(r"\b1[0-9]{3}\s*[-–]\s*(?:1[0-9]{3}|20[0-9]{2})\b")  # "(1812-1870)"


_BIRTH_STEMS = frozenset(stems("born birth birthday".split()))


def dates_it(question: str, text: str) -> bool:
    """Can a passage answer a question asking for a date (`asks_for_a_date`)? It needs a
    year; for a birth, it must speak of one too: "Never Let Me Go was published in 2005"
    does not say when Kazuo Ishiguro was born.

    Example: dates_it("When was Dickens born?", "Dickens was born in 1812.") is True.
    """
    if not _YEAR.search(text):
        return False
    asked = set(stems(words(question)))
    return (
        asked.isdisjoint(_BIRTH_STEMS)
        or not _BIRTH_STEMS.isdisjoint(stems(words(text)))
        or bool(_LIFESPAN.search(text))
    )


# A count in a passage: a number, or a number word. Not a year ("(1886)"), which dates;
# nor "one", which the notes use as a pronoun ("no one else", "one another") far more
# often than as a count; nor "both".
_COUNT = re.compile(
    r"\b(?!(?:1[0-9]{3}|20[0-9]{2})s?\b)\d+s?\b"
    r"|\b(?:two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|(?:thir|four|fif|six|seven|eigh|nine)teen|(?:twen|thir|for|fif|six|seven|eigh|nine)ty"
    r"|hundreds?|thousands?|millions?|dozens?|twice|pair)\b",
    re.I,
)


# "How many ways does Ishiguro show friendship?": what a list in the notes counts.
_HOW_MANY_LISTED = re.compile(rf"\bhow\s+many\s+{LISTED_POINTS}", re.I)


def counts_it(chunk: Chunk, question: str = "") -> bool:
    """Does the passage give a count a question asking how many (`asks_for_a_count`)
    could be answered by: a number or number word (`_COUNT`) in it or its heading, or,
    for a question asking how many ways, points or reasons, a list of two or more items
    ("How many ways does Ishiguro show friendship?")? A list does not count donations.

    Example: a passage on "two atria … two ventricles" does; one on Ruth's "donations"
    that never says how many does not.
    """
    return bool(
        _COUNT.search(chunk.text)
        or _COUNT.search(chunk.section)
        or (_HOW_MANY_LISTED.search(question) and len(list_items(chunk)) > 1)
    )


def counting_first(
    passages: Sequence[Passage], question: str = "", within: int = 3
) -> tuple[Passage, ...]:
    """The first of the best `within` passages that gives a count (`counts_it`) put
    first, for a question asking how many: "How many spirits visit Scrooge?" had been
    answered with Fred, "full of the Christmas spirit", before "the three spirits"."""
    counting = next((p for p in passages[:within] if counts_it(p.chunk, question)), None)
    if counting is None:
        return tuple(passages)
    return (counting, *(p for p in passages if p is not counting))


# --------------------------------------------------------------------------- ranking


def prefer_counted_list(
    passages: Sequence[Passage], question: str, count: int | None
) -> tuple[Passage, ...]:
    """Add COUNTED_LIST_BONUS to the first list among the best passages (`LISTS_SEARCHED`)
    with as many items as the question asks points for, its lead-in on what is asked, and
    sort again: "I'm planning an essay on
    friendship in Never Let Me Go - what are the two main points I should make?" is
    answered by "…shows the theme of friendship through: • … • …", which had come
    second to the notes' opening. With no count (`count` None: "Give me the main points
    for an essay on how friendship is presented"), any list of two or more on it."""
    asked = set(stems(subjects(COUNTED_POINTS.sub(" ", question))))
    listed = [
        p.chunk.id
        for p in passages[:LISTS_SEARCHED]
        if (items := len(items_of_a_list_on(p.chunk, asked))) == count
        or (count is None and items > 1)
    ][:1]
    return _boosted(passages, COUNTED_LIST_BONUS, lambda chunk: chunk.id in listed)


def words_of_its_own(question: str, focus: Sequence[str]) -> list[str]:
    """The stems of a follow-up's topical words other than its new subject (`focus`, see
    `conversation.new_subject`): what it asks of its own, rather than of the turn before's question.

    Example: words_of_its_own("Why does she become a carer?", ()) == ["becom", "carer"]
    """
    return [s for s in stems(subjects(question)) if s not in focus]


def names_only_a_subject(question: str, focus: Sequence[str]) -> bool:
    """Does a follow-up name its new subject (`focus`) and ask nothing of its own? Then
    it asks the turn before's question of that subject: "And Tommy?" after "Who plays
    Kathy in the film?" asks who plays Tommy.

    Example: names_only_a_subject("What about Ruth?", ("ruth",)) is True.
    """
    return bool(focus) and not words_of_its_own(question, focus)


DenseSearch = Callable[[str, int, str | None], list[tuple[Chunk, float]]]
# Token matching for the head of a ranking: (query text, chunks) -> (chunks x query tokens
# matrix of each token's best cosine inside each chunk, the query word of each token).
TokenSearch = Callable[[str, Sequence[Chunk]], tuple[np.ndarray, Sequence[str]]]
# The same for spans of one chunk: (query text, chunk, spans) -> (spans x query tokens, words).
SpanSearch = Callable[[str, Chunk, Sequence[tuple[int, int]]], tuple[np.ndarray, Sequence[str]]]
# The closest any sentence of these chunks comes to the question, read without headings.
SentenceSearch = Callable[[str, Sequence[Chunk]], float]
# How well each span (a sentence, by absolute offsets) of a chunk answers the question.
SentenceRelevance = Callable[[Chunk, Sequence[tuple[int, int]]], Sequence[float]]


class Searches(NamedTuple):
    """The searches one question runs; without token vectors only `dense`."""

    dense: DenseSearch
    tokens: TokenSearch | None = None
    spans: SpanSearch | None = None
    sentences: SentenceSearch | None = None


DENSE_WEIGHT = 0.6
TOKEN_WEIGHT = 1.0  # reranking: weight of the token-match score, scaled 0..1 over the head
RERANK_DEPTH = 12  # how many of the best passages token matching reorders
SHARE_WEIGHT = 0.2  # routing: weight of the share of question words a file uses
ANSWERABLE_AT = 0.56  # best sentence similarity needed when the notes lack every question word
SHARE_RELIEF = 0.29  # … lowered by this times the share of question words the notes use
NAMED_UNKNOWN_AT = 0.75  # … when the question names something the notes never mention
TOKEN_ANSWERABLE_AT = 0.7  # … or the top passage's weighted token match, whatever the rest
NEAR_AT = 0.66  # short of those, near enough to answer with a hedge: best similarity …
NEAR_TOKEN_WEIGHT = 0.6  # … plus this times the top passage's token match reaches NEAR_AT
# … or this, when it is read with the main people it counts named (`_as_near_named`): the
# in-scope questions of that kind labelled or tried came to 0.87 and more, off-topic ones
# ("Do the three of them watch football / have a pet / go on holiday?") to 0.67–0.85
COUNTED_NEAR_AT = 0.86
QUOTATION_BONUS = 1.0  # asked for a quotation: the score a passage quoting the text gains
CARRY_OVER = 0.9  # a passage leaning on another is at least this share as relevant
FOCUS_BONUS = 1.0  # a follow-up naming a new subject: the score a passage naming it gains
SECTION_BONUS = 0.5  # a question naming a section: the score a passage under it gains
COMPARED_BONUS = 0.5  # asked to compare people: the score a passage naming them all gains
PAIR_BONUS = 0.5  # asked how two get on: the score a passage naming those two alone gains
ELSEWHERE_PENALTY = 0.5  # asked about someone: lost by a passage on someone else
COUNTED_LIST_BONUS = 1.0  # asked for two points: the score a list of two on it gains
CONCLUSION_BONUS = 0.3  # asked for a conclusion: the score the notes' closing passage gains
OWN_WORDS_BONUS = 0.2  # asked for someone's words: the further score a block of them gains
SEVERAL_FILES = ""  # `overview_of`: several files could be meant


def overview_of(
    question: str, lexical: LexicalIndex, source: str | None = None, history: Sequence[dict] = ()
) -> str | None:
    """The notes file a request for an overview asks about, SEVERAL_FILES when it could
    be any of several, or None when the question asks something else.

    "Summarise the notes in 50 words" asks about the notes (or the one file chosen);
    "summarise Macbeth" about the file whose title names Macbeth; "summary of Lady
    Macbeth's guilt" names more than a title does, and "recap chapter 1" names a part,
    so each is a question like any other. So is "Can you summarise?" after an answer:
    it asks about that answer, unless it says "the notes" (see `_whole_file_asked`).
    """
    return _whole_file_asked(question, lexical, source, history, ASKS_FOR_OVERVIEW, OVERVIEW_WORDS)


def quotations_of(
    question: str, lexical: LexicalIndex, source: str | None = None, history: Sequence[dict] = ()
) -> str | None:
    """As `overview_of`, for a request for the notes' quotations ("What are the key
    quotations?", "quotes please"); "Which quotation shows Kathy's loyalty?" asks for one,
    and "Any quotes?" after an answer for one on what it said. Notes with a section on
    quotations ("Key quotations at a glance") answer from it instead."""
    found = _whole_file_asked(
        question, lexical, source, history, ASKS_FOR_QUOTATION, QUOTATION_WORDS
    )
    if found and lexical.has_quotations_section(found):
        return None
    return found


def _whole_file_asked(
    question: str,
    lexical: LexicalIndex,
    source: str | None,
    history: Sequence[dict],
    request: re.Pattern[str],
    request_words: frozenset[str],
) -> str | None:
    """The file a request (`request`) asks about as a whole: naming nothing else than
    `request_words` and, perhaps, the file's title (see `overview_of`)."""
    rest = named_besides(question, request, request_words)
    if rest is None:
        return None
    files = [source] if source else list(lexical.by_source)
    if not rest:
        if user_turns(history) and not asks_for_whole(question, request):
            return None  # "Any quotes?", "tl;dr" after an answer: on what it said
        return files[0] if len(files) == 1 else SEVERAL_FILES
    return _titled(rest, files, lexical)


def _titled(named: set[str], files: Sequence[str], lexical: LexicalIndex) -> str | None:
    """The one file of `files` whose title holds every word stem `named`, else None."""
    titled = [f for f in files if named <= lexical.title_names.get(f, frozenset())]
    return titled[0] if len(titled) == 1 else None


# Words a typed choice among offered files can hold besides a title's ("the Macbeth one
# please", "the notes on friendship").
_CHOOSING = frozenset("one pls plz please notes note file guide text ok okay".split())
# Words that make a reply a question of its own, not a pick among the files offered.
_ASKS = frozenset(
    "who what why how when where which whose does do did is are was were can tell explain".split()
)
_PLACES = {  # `ORDINALS`, and how else a reply may say a place
    **ORDINALS,
    **dict.fromkeys(("1", "top"), 0),
    "2": 1,
    "3": 2,
    **dict.fromkeys(("fourth", "4", "4th"), 3),
    **dict.fromkeys(("fifth", "5", "5th"), 4),
}


def chosen_file(question: str, offered: Sequence[str], lexical: LexicalIndex) -> str | None:
    """The file a reply picks of those just `offered` (in the order offered): by its title
    ("the Macbeth one", "friendship please") or its place ("the second one", "2"). None
    for anything else, so "How does Macbeth feel guilt?" stays a question of its own."""
    said = words(question.lower())
    if not _ASKS.isdisjoint(said):
        return None  # "Who is Macbeth?", "Tell me about Hyde": a question, not a pick
    places = {_PLACES[w] for w in said if w in _PLACES}
    rest = set(stems(subjects(question))) - _CHOOSING - set(_PLACES)
    if len(places) == 1 and not rest:
        place = places.pop()
        return offered[place] if -len(offered) <= place < len(offered) else None
    return _titled(rest, offered, lexical) if rest and not places else None


def titled_file(question: str, files: Sequence[str], lexical: LexicalIndex) -> str | None:
    """The one file of `files` whose title names everything the question names ("And in
    Never Let Me Go?", "the Macbeth one"), else None."""
    rest = set(stems(subjects(question))) - _CHOOSING
    return _titled(rest, files, lexical) if rest else None


# What a question may call the work it is on: "in the book", "the text", "this novel".
NAMES_OF_THE_WORK = frozenset(
    """
    novel novels novella book books text texts story stories play plays poem poems
    extract extracts scene scenes
    """.split()
)
_WEIGHED_AS_THE_WORK = NAMES_OF_THE_WORK - {"play", "plays"}  # see `token_weights`
_STEMS_OF_THE_WORK = frozenset(stems(sorted(NAMES_OF_THE_WORK)))
COMMENT_BONUS = 0.5  # asked what something shows: the score a comment on a quotation gains
OPENING_SHARE = 0.85  # asked why: the share of its score a file's opening passage keeps


@dataclass(frozen=True)
class Retrieval:
    query: Query
    passages: tuple[Passage, ...]
    answerable: bool
    best_similarity: float
    known_share: float
    token_match: float = 0.0  # the top passage's weighted mean token match (rerank.py)
    sure: bool = True  # answerable and clearly covered, not only near (see `is_sure`)
    # asks what these notes cannot tell, however close: a film, a marriage or a death they
    # never speak of, or a date or a count they never give
    beyond: bool = False
    # asked for a quotation on what only a passage quoting nothing speaks of ("the
    # Cottages"): the quotation first is the nearest, not one on it (`quotes_elsewhere`)
    quotes_elsewhere: bool = False


def retrieve(
    query: Query,
    dense: DenseSearch,
    lexical: LexicalIndex,
    k: int,
    source: str | None = None,
    tokens: TokenSearch | None = None,
    sentences: SentenceSearch | None = None,
    spans: SpanSearch | None = None,
) -> Retrieval:
    """Route to the notes file that answers best, rank its passages, judge answerability.

    With several notes files, a first pass over all of them picks the file of the best
    passage (not the file with most good passages: a short note that answers exactly
    must beat a long one that often touches the topic); the second pass ranks inside
    that file as if it stood alone. One answer thus speaks from one file, and unrelated
    documents in the index cannot push the right passage down (with one file both
    passes agree). When the best mixed, dense and lexical passages come from different
    files, each candidate file is ranked and the one holding the sentence closest in
    meaning wins, helped by how many of the question's words the file uses: the global
    dense search is approximate, the one inside a file exact, and a lone heading such as
    "Arguments:" can sit close to "Do the students argue?" in meaning while the file
    never mentions students. Answerability is judged on the chosen file alone.

    Last, token matching (`tokens`, see rerank.py) reorders the head of the chosen
    file's ranking. Answerability takes the closest sentence as the index saw it (under
    its headings) or as it stands (`sentences`), whichever is less close: a heading
    does not make a question close in meaning to the notes. Nor does it make the top
    passage match the question word by word: that match is read from the passage's own
    words (`spans`), so "Which university did Kazuo Ishiguro go to?" is not covered by a
    passage under "How does Kazuo Ishiguro show this?" that says "go to Hailsham School".
    """
    depth = max(k, RERANK_DEPTH) if tokens else k
    asked = _asked(query)
    named = lexical.sections_named(query.text)
    topics = topics_asked(asked)
    passages, best, candidates = _rank(query, dense, lexical, depth, source)
    if source is None:
        source, passages, best, share = _routed(
            query, dense, lexical, depth, (passages, best, candidates), named, topics
        )
    else:
        share = lexical.known_share(query.text, source)
    token_match = 0.0
    if tokens and passages:
        passages, token_match = _matched_token_by_token(
            query, asked, passages, lexical, source, tokens, spans
        )
    if sentences and passages:  # the passages found, before any joins for leaning on one
        best = min(best, sentences(query.text, [p.chunk for p in passages]))
    near = 0.0  # with the people a question counts named ("the three of them"): see below
    if passages and (as_named := lexical.people_counted_named(query.text, source)) != query.text:
        near = _as_near_named(as_named, passages, dense, source, sentences)
    found = passages  # as searched, for reading the question in the notes' words below
    passages, elsewhere = _as_asked(query, asked, passages, lexical, named)
    unknown_names = lexical.unknown_names(query.question, source)
    unknown = unknown_names + lexical.undefined_terms(query.question, source)
    # Asked who the characters are, and nothing the notes do not speak of: the passages
    # naming all their main people first, and covered ("Who are the main characters?" had
    # been declined: "characters" and "main" are in no passage)
    besides = asks_only_for_the_people(query.question)
    people = lexical.main_people(source) if besides is not None and not unknown else frozenset()
    them_only = False
    if people and any(people <= set(stems(words(p.chunk.text))) for p in passages):
        passages = naming_all(passages, people)
        # with several notes files, only when a word of the question chose this one
        chosen = len(lexical.by_source) == 1 or bool(besides)
        them_only = chosen and lexical.uses_all(source, besides or [])
    beyond = _beyond_the_notes(asked, topics, passages, lexical, source, unknown_names)
    names_a_section = not unknown and (source in named if source else bool(named))
    quoted = bool(passages) and (
        quotes_from(query.question, passages[0].chunk.text)
        or quotes_in_marks(query.question, passages[0].chunk.text)
        or names_the_quotation(query.question, passages[0].chunk, lexical)
    )
    sure = not beyond and (
        names_a_section or quoted or them_only or is_sure(best, share, unknown, token_match)
    )
    context = lexical.unknown_context_words(query.text, source)  # a follow-up's too
    answerable = sure or (
        not (beyond or context)
        and (
            is_answerable(
                _as_near_reworded(query, best, found, lexical, dense, source, sentences),
                share,
                unknown,
                token_match,
            )
            or (not unknown and near + NEAR_TOKEN_WEIGHT * token_match >= COUNTED_NEAR_AT)
        )
    )
    return Retrieval(
        query, passages[:k], answerable, best, share, token_match, sure, beyond, elsewhere
    )


def _as_near_named(
    named: str,
    passages: Sequence[Passage],
    dense: DenseSearch,
    source: str | None,
    sentences: SentenceSearch | None,
) -> float:
    """How near the notes come to a question counting their main people ("the three of
    them"), read with them named (`people_counted_named`): MiniLM puts "Why do the three
    of them stay close until the end?" far from "…the friendship between Kathy, Ruth and
    Tommy is still strong" (0.31 against 0.72 named), and such questions were declined.

    With the top passage's token match it can make a question answerable, with a hedge,
    never sure, and only above COUNTED_NEAR_AT, not NEAR_AT: the names alone sit close to
    the notes (0.75), so "Do the three of them watch football?" is 0.58 near named.
    Ranking keeps the question as asked: named, the names outweighed what it asks of them
    ("How does Hailsham keep the three of them connected…?")."""
    near = max((s for _, s in dense(named, 1, source)), default=0.0)
    if sentences:
        near = min(near, sentences(named, [p.chunk for p in passages]))
    return near


def _as_near_reworded(
    query: Query,
    best: float,
    passages: Sequence[Passage],
    lexical: LexicalIndex,
    dense: DenseSearch,
    source: str | None,
    sentences: SentenceSearch | None,
) -> float:
    """As near as the question comes put in the notes' own words, where a student's word
    stands for one of theirs (`words.PLAIN_WORDS`): MiniLM puts "Do pupils fall out?"
    0.25 from the notes' "Even when they fall out…", "Do students fall out?" 0.46. Some of
    those words are loose ("cruel" read as "hurt"), so this can make a question
    answerable with a hedge, never sure; and it costs a query embedding, so it is worked
    out only for a question not already clearly covered."""
    used = lexical.vocabulary(source)[0]
    reworded = with_words_meant(query.text, used, instead=True, loosely=True)
    if not passages or reworded == query.text:
        return best
    return max(best, _as_near_named(reworded, passages, dense, source, sentences))


def _routed(
    query: Query,
    dense: DenseSearch,
    lexical: LexicalIndex,
    depth: int,
    first_pass: tuple[tuple[Passage, ...], float, list[str]],
    named: list[str],
    topics: list[frozenset[str]],
) -> tuple[str | None, tuple[Passage, ...], float, float]:
    """The notes file to answer from, with its ranking, best dense similarity and the
    share of the question's words it uses (`known_share`). The candidates start as the
    files of the first pass's leaders (`_rank`) and are narrowed (or, failing any,
    replaced) by the files holding a follow-up's new subject, a section the question
    names, the topic it asks of (a film, a death…); of those, the one whose best
    sentence, helped by that share, comes closest wins. With one file, or no candidate
    left, the first pass as it is (and no file named)."""
    passages, best, candidates = first_pass
    if query.focus:  # a follow-up's new subject picks among the files
        candidates = _holding(candidates, lexical, query.focus)
    if named:  # a file with a section of that name
        candidates = [c for c in candidates if c in named] or named
    for topic in topics:  # only a file speaking of a film can say who plays whom
        candidates = _holding(candidates, lexical, topic)
    if len(lexical.by_source) <= 1 or not candidates:
        return None, passages, best, lexical.known_share(query.text, None)
    ranked = []
    for candidate in candidates:
        passages, best, _ = _rank(query, dense, lexical, depth, candidate)
        share = lexical.known_share(query.text, candidate)
        ranked.append((best + SHARE_WEIGHT * share, candidate, passages, best, share))
    _, source, passages, best, share = max(ranked, key=lambda row: row[0])
    return source, passages, best, share


def _asked(query: Query) -> str:
    """What the question asks: a follow-up asking nothing of its own asks the turn
    before's question ("And Tommy?", "why?"); one that does is judged on its own words.
    "Kathy?" after "Who plays Kathy in the film?" repeats a word of it and asks it again."""
    own = words_of_its_own(query.question, query.focus)
    searched = Counter(stems(subjects(query.text)))
    repeats = query.follow_up and all(searched[stem] > 1 for stem in own)
    return query.question if own and not repeats else query.text


def _matched_token_by_token(
    query: Query,
    asked: str,
    passages: tuple[Passage, ...],
    lexical: LexicalIndex,
    source: str | None,
    tokens: TokenSearch,
    spans: SpanSearch | None,
) -> tuple[tuple[Passage, ...], float]:
    """The head of the ranking reordered by token matching (see rerank.py), a reason
    first for a why-question, and how well the top passage's own words match the
    question's topical ones (for answerability: a heading does not match for it)."""
    # the words and phrasal verbs of the file answering, not of other notes ("protect", in
    # notes on the heart, had kept "looks after" matched as "care protect")
    used, _ = lexical.vocabulary(source)
    matched = in_single_words(query.text, lexical.phrasal(source), used)
    matches, token_words = tokens(matched, [p.chunk for p in passages])
    weights = token_weights(token_words, lexical, source, events_repeated(query.text))
    if spans and _quotation_asked_for(query.question):
        matches = _matched_in_quotations(matched, passages, matches, spans)
    ranking = weights  # answerability below still reads every word searched
    if lighter := meanings_of_a_circumstance(query.text, lexical.phrasal(source)):
        meant = [word.lower() in lighter for word in token_words]
        ranking = np.where(meant, weights * CIRCUMSTANCE_WEIGHT, weights).astype(np.float32)
    if leaned_on := _leaned_on(query):
        leaning = in_single_words(leaned_on, lexical.phrasal(source), used)
        ranking = _discounted(ranking, token_words, matched, leaning)
    passages, token_match = rerank(passages, matches, ranking)
    if ASKS_WHY.search(asked) or ASKS_HOW_IT_CAME_ABOUT.search(asked):
        passages = prefer_explanations(passages, lexical)
    if spans and len(weights):  # answerability reads the passage's words, not headings
        top = passages[0].chunk
        own_words, _ = spans(matched, top, [(top.start, top.end)])
        counts = frozenset(m.lower() for m in COUNT_OF_PEOPLE.findall(query.text))
        weighted = topical(token_words, weights, counts)
        token_match = float(weighted_match(own_words, weighted)[0])
    return passages, token_match


def _quotation_asked_for(question: str) -> bool:
    """Does the question ask for a quotation to rank passages by (not what one it names
    shows, nor of a word in one)? The answer reads a request its own way
    (`answer._asks_for_a_quotation`: not why, nor what something shows)."""
    return (
        not asks_what_a_quotation_shows(question)
        and bool(ASKS_FOR_QUOTATION.search(question))
        and not asks_of_a_word(question)  # "In that quote…, why is the word 'seeking'…"
    )


def _matched_in_quotations(
    matched: str, passages: Sequence[Passage], matches: np.ndarray, spans: SpanSearch
) -> np.ndarray:
    """The token matches with each passage that quotes the set text amid the notes' own
    words matched half on the whole, half on the words it quotes (with their speakers).

    Asked "Which quote shows Ruth and Kathy's arguments stop mattering once they meet
    again?", the paragraph on "silly quarrels", quoting Ruth's "The idiot!" and Kathy's
    words to Tommy, had come before the Dover quotation ("…all our differences… seemed
    not nearly as important…"): its commentary, not its quotations, matched "arguments".
    The commentary still counts: it says what its quotations show ("…the students also
    care for each other…" for Kathy's words to Tommy). (Measured on every labelled set:
    first places +8 at a half; +5 at a third or two thirds on the words quoted; +1
    without their speakers; -9 on the words quoted alone.)
    """
    out = matches.copy()
    for row, passage in enumerate(passages):
        chunk = passage.chunk
        if chunk.kind == "quote" or not holds_quotation(chunk):
            continue
        quoted = [(chunk.start + s, chunk.start + e) for s, e in quoted_spans(chunk.text)]
        if quoted:
            inside, _ = spans(matched, chunk, quoted)
            out[row] = (matches[row] + inside.max(axis=0)) / 2
    return out


def _as_asked(
    query: Query,
    asked: str,
    passages: tuple[Passage, ...],
    lexical: LexicalIndex,
    named: list[str],
) -> tuple[tuple[Passage, ...], bool]:
    """The ranking reordered for what the question asks for: a section it names, words
    it quotes, a quotation, what one shows, a reason, a person, a speaker, a comparison,
    a new subject, what comes next, a number of points, a count. Also: was a quotation
    asked for on what only a passage quoting nothing speaks of (`quotes_elsewhere`)?"""
    names_a_quotation = asks_what_a_quotation_shows(query.question)
    asks_what_one_shows = names_a_quotation or asks_what_it_shows(query.question)
    asks_for_quotation = _quotation_asked_for(query.question)
    passages = carry_over(passages, lexical, quotations=asks_for_quotation)
    if people := people_asked_about(query, lexical):  # first: the steps after
        passages = less_on_someone_else(passages, people, lexical)  # may place by position
    if named:
        passages = prefer_named_sections(passages, lexical, query.text)
    passages = prefer_quoted(passages, query.question, lexical)
    if _ASKS_CONCLUSION.search(query.question):
        passages = prefer_conclusion(passages, lexical)
    if ASKS_OF_THE_END.search(query.question) and not named:  # not a heading's "…near the end"
        passages = _boosted(passages, END_BONUS, lambda c: bool(TELLS_OF_THE_END.search(c.text)))
    if figure_asked := bool(ASKS_FOR_A_FIGURE.search(query.question)):
        passages = _boosted(passages, FIGURE_BONUS, lambda c: bool(FIGURE.search(c.text)))
        on = figure_subjects(query.question, lexical)
        passages = _boosted(passages, FIGURE_BONUS, lambda c: figure_on(c.text, on))
    elsewhere = False
    if asks_for_quotation:
        before, passages = passages, prefer_quotations(passages)
        elsewhere = quotes_elsewhere(before, passages, query.text, lexical)
        if not ((quotations_counted(query.question) or 0) > 1 or _SEVERAL.search(query.question)):
            passages = reading_of_top_quotation(passages, lexical)
    elif asks_what_one_shows:
        passages = prefer_comments(passages, lexical, query.question)
    elif ASKS_WHY.search(asked) or ASKS_TO_ANALYSE_LANGUAGE.search(query.question):
        passages = comment_on_top_quotation(passages, lexical, through_point=True)
    if asks_what_one_shows:  # a quotation the notes read before it
        passages = point_of_top_quotation(passages, lexical)
    if name := asks_who(lexical.correct(query.question), lexical.names) or who_else_asked(query):
        if asks_who_is(query.question, lexical.names):
            passages = with_definitions(passages, name, lexical)
        passages = prefer_definitions(passages, name)
    if asks_who_wrote_the_work(query.question, lexical):  # a passage naming the writer
        passages = naming_first(passages, sorted(lexical.writers))
    speakers = lexical.names - lexical.writers  # "According to Ishiguro…" asks the book
    if speaker := speaker_asked(query.question, speakers):
        passages = prefer_speaker(carry_over(passages, lexical, quotations=True), speaker)
    elif said_to := said_to_asked(query.question, speakers):
        passages = prefer_speaker(passages, *said_to)
    compared = compared_names(query.question, lexical)
    if figure_asked:  # "What does Ishiguro compare Hailsham to?": its writer is not compared
        compared -= lexical.writers
    before = people_named(query.previous, lexical) - compared
    if len(compared) == 1 and len(before) == 1 and _COMPARING.search(query.question):
        # "And how does that compare with Tommy?" after a question on Ruth: Ruth and Tommy
        compared |= before
    if len(compared) > 1:
        passages = naming_all(passages, compared)
    elif pair := pair_asked(query.question, lexical):
        passages = naming_only(passages, pair, lexical)
    if query.focus:
        passages = prefer_focus(passages, query.focus)
        if names_only_a_subject(query.question, query.focus):
            passages = naming_first(passages, query.focus)
    if query.goes_on:
        passages = with_what_follows(passages, lexical)
    if count := counted_points(query.question):
        passages = prefer_counted_list(passages, asked, count)
    elif asks_for_main_points(query.question):  # "the main points for an essay on…"
        passages = prefer_counted_list(passages, asked, None)
    if asks_for_a_count(asked):
        passages = counting_first(passages, asked)
    return passages, elsewhere


# Asking for a figure of speech: "What image do the notes use for…", "What is Hailsham
# compared to?", "What does Kathy compare Hailsham to?", "What comparison does the writer
# use…", "the glue metaphor" (not "compared to normal schools", "By comparison…", "What
# comparison can I make between Ruth and Tommy?": comparing).
ASKS_FOR_A_FIGURE = re.compile(
    r"\b(?:metaphors?|metaphore|similes?|images?|imagery)\b"
    r"|\b(?:what|which)\s+comparison\b(?!\s+(?:can|could|should|would)\s+(?:i|we)\b)"
    r"|\b(?:compared|likened)\s+to\s*(?:what\b|$|[?.!,]|(?:in|by)\s+(?:the|my|your)\s+\w+)"
    r"|\b(?:compare|compares|liken|likens)\s+(?!\w+\s+(?:and|with)\b)\w+\s+to\s*(?:$|[?.!,])",
    re.I,
)
# A sentence speaking in a figure: "In a way, Hailsham is a glue that bonds…", "…as though
# Tommy and I had come close together again", "like a primitive cave-dweller", "as cold as
# a stone" (not "This is a theme that…", "It is a novel which…").
FIGURE = re.compile(
    r"\b(?:like\s+(?:a|an)\s|as\s+if\b|as\s+though\b|in\s+a\s+way\b|metaphors?\b|similes?\b"
    r"|imagery\b|as\s+\w+\s+as\s+(?:a|an)\s"
    r"|(?:is|are|was|were)\s+(?:a|an)\s+(?!(?:theme|novel|book|story|play|poem|character|way|"
    r"time|moment|point|key|reason|sign|idea|part)\b)\w+\s+(?:that|which)\b)",
    re.I,
)
FIGURE_BONUS = 0.5  # asked for a figure of speech: the score a passage using one gains,
# and again if the figure's own sentence names what the question asks it of
# The words asking for a figure, which name nothing it is of
_FIGURE_WORDS = frozenset(
    stems(
        "compare compared comparison liken likened metaphor metaphore simile image imagery "
        "describe use notes guide writer author".split()
    )
)


def figure_subjects(question: str, lexical: LexicalIndex) -> frozenset[str]:
    """The stems of what a question asks a figure of speech of: "What does Ishiguro
    compare Hailsham to?" -> {"hailsham"} (not its writer, nor the words asking); the
    names it gives, if any ("…describe Hailsham's effect on the students" is of
    Hailsham, not of every figure speaking of students)."""
    asked = frozenset(stems(subjects(question))) - _FIGURE_WORDS - lexical.writers
    return (asked & lexical.names) or asked


def figure_on(text: str, subject: frozenset[str]) -> bool:
    """Does a sentence of the text speak in a figure (`FIGURE`) and name the subject?
    Asked "What does Ishiguro compare Hailsham to?", the opening's "…like many other
    students…" and the list naming Hailsham and Ishiguro had come before "In a way,
    Hailsham is a glue that bonds its students together" (fifth)."""
    return bool(subject) and any(
        FIGURE.search(sentence) and subject & set(stems(words(sentence)))
        for start, end in sentence_spans(text)
        for sentence in [text[start:end]]
    )


# Asking how things are at the end of the work: "Are Kathy and Ruth friends again by the
# end?", "…until the end?", "…by the novel's end?", "What happens to the three of them
# near the end of the book?", "…at the end of Never Let Me Go?" (a title, capitalised; not
# "in the end", which as often means "after all": "is she the one who keeps it going in
# the end?"; nor the end of "the day", "term", "work" or "Ruth's time").
_BY_THE_END = r"\b(?:by|near|towards?|at|until|till)\s+the\s+"
_THE_WORK_ENDING = rf"(?!work\b){A_WORK}"
ASKS_OF_THE_END = re.compile(
    rf"{_BY_THE_END}(?:very\s+)?end\b"
    rf"(?!\s+of\s+(?!(?:the\s+|this\s+)?{_THE_WORK_ENDING}\b|(?-i:[A-Z])\w*\b(?![’'])))"
    rf"|{_BY_THE_END}{_THE_WORK_ENDING}['’]s\s+end\b",
    re.I,
)
# A passage telling of the work's end, as "…by the end of the novel, Kathy has become
# Ruth’s carer…" does (not a character's "But in the end I managed it").
TELLS_OF_THE_END = re.compile(rf"{_BY_THE_END}(?:very\s+)?end\s+of\s+the\s+{A_WORK}\b", re.I)
END_BONUS = 0.3  # asked of the end: the score a passage telling of the work's end gains
# (measured on every labelled set: 0.15 moved nothing outside the held-out sets; 0.3 +4
# first places, -0; 0.45 +5, -4)


# Asking for the notes' conclusion, or one to write: "sum up in one line what the notes
# conclude about friendship", "how should i conclude it". Not "is Ruth a good friend
# overall?": only an overall conclusion, message or point.
_ASKS_CONCLUSION = re.compile(
    r"\bconclu(?:de|des|ded|sion|sions|ding)\b"
    r"|\boverall\s+(?:conclusion|message|point|argument|verdict|judgement|judgment)\b",
    re.I,
)


def prefer_conclusion(passages: Sequence[Passage], lexical: LexicalIndex) -> tuple[Passage, ...]:
    """Add CONCLUSION_BONUS to each passage that concludes its notes (`lexical.concluding`),
    and sort again. "sum up in one line what the notes conclude about friendship" had
    found first the list of the ways friendship is shown, not "…friendship between the
    students was of the utmost importance", which ends the notes."""
    closing = lexical.concluding()
    return _boosted(passages, CONCLUSION_BONUS, lambda chunk: chunk.id in closing)


def _beyond_the_notes(
    asked: str,
    topics: list[frozenset[str]],
    passages: tuple[Passage, ...],
    lexical: LexicalIndex,
    source: str | None,
    unknown_names: Sequence[str] = (),
) -> bool:
    """Does the question ask what these notes cannot tell, however close it sits to them
    in meaning: a film, a marriage, a death, a couple or a deferral they never speak of, a
    date or a count they never give, other works or other themes, something they never
    name set beside the work (`sets_beside_the_unknown`, of the question's `unknown_names`),
    how one person's story ends (`asks_of_a_fate`) or why the work bears its title, where
    they say neither?"""
    return (
        sets_beside_the_unknown(asked, unknown_names, lexical)
        or any(not lexical.uses_in_file(source, topic) for topic in topics)
        or (asks_for_a_date(asked) and not (passages and dates_it(asked, passages[0].chunk.text)))
        or (asks_for_a_count(asked) and not (passages and counts_it(passages[0].chunk, asked)))
        or (asks_for_other_works(asked) and not lexical.speaks_of_other_works(source))
        or (asks_for_other_themes(asked) and not lexical.speaks_of_themes(source))
        or (
            asks_of_a_fate(lexical.with_names_as_in_notes(asked), lexical.main_people(source))
            and not lexical.uses_in_file(source, FATE_STEMS)
        )
        or (asks_about_the_title(asked) and not lexical.uses_in_file(source, TITLE_STEMS))
    )


def _holding(candidates: list[str], lexical: LexicalIndex, word_stems: Iterable[str]) -> list[str]:
    """The candidate files using any of these word stems; failing that, any file that
    does; failing that, the candidates as they were."""
    wanted = tuple(word_stems)
    holding = [s for s in lexical.by_source if lexical.uses_in_file(s, wanted)]
    return [c for c in candidates if c in holding] or holding or candidates


def _rank(
    query: Query, dense: DenseSearch, lexical: LexicalIndex, k: int, source: str | None
) -> tuple[tuple[Passage, ...], float, list[str]]:
    """The top k passages by mixed score, the best dense similarity seen, and the files
    of the best mixed, dense and lexical passages (the candidates for routing)."""
    pool = max(20, 3 * k)
    dense_hits = {
        lexical.position[c.id]: s
        for c, s in dense(query.text, pool, source)
        if c.id in lexical.position
    }
    lexical_hits = dict(lexical.search(query.text, pool, source))
    fused = fuse(dense_hits, lexical_hits)
    ranked = sorted(fused, key=lambda i: -fused[i])[:k]
    passages = tuple(Passage(lexical.chunks[i], fused[i]) for i in ranked)
    leaders = [max(hits, key=hits.get) for hits in (fused, dense_hits, lexical_hits) if hits]
    candidates = list(dict.fromkeys(lexical.chunks[i].source for i in leaders))
    return passages, max(dense_hits.values(), default=0.0), candidates


def fuse(dense: dict[int, float], lexical: dict[int, float]) -> dict[int, float]:
    """DENSE_WEIGHT * dense scaled to 0..1 + the rest * BM25 scaled to 0..1 (by its best).

    Example: fuse({1: 0.8, 2: 0.4}, {2: 6.0}) == {1: 0.6, 2: 0.4}
    """
    if not dense and not lexical:
        return {}
    low, high = min(dense.values(), default=0.0), max(dense.values(), default=0.0)
    spread = (high - low) or 1.0
    top = max(lexical.values(), default=0.0) or 1.0
    return {
        i: round(
            DENSE_WEIGHT * (dense.get(i, low) - low) / spread
            + (1 - DENSE_WEIGHT) * lexical.get(i, 0.0) / top,
            6,
        )
        for i in set(dense) | set(lexical)
    }


# Verbs setting a task in an exam or on a worksheet ("Find a quotation that shows…",
# "Comment on…"), which further into a question may name what happens ("Does Kathy find
# Tommy again?", "What is Ruth's comment about the tape?")
EXAM_TASKS = frozenset("find identify outline list name select state comment".split())
_POLITE = frozenset("can could would you please pls now".split())


LEANED_ON_WEIGHT = 0.5  # a follow-up's ranking: the weight of the words it leans on
# The ranking weight of the single words a phrasal verb of the notes' own is followed by
# where the question names it as a circumstance (`meanings_of_a_circumstance`). (Measured
# on every labelled set: first places +7, -0 at a half; +7, -3 at a quarter; +9, -4 at
# nothing; at a half on every such phrasal verb, not only a circumstance, +7, -8: "Do
# the Hailsham kids ever fall out?" asks about arguing.)
CIRCUMSTANCE_WEIGHT = 0.5


def _leaned_on(query: Query) -> str:
    """What a follow-up is searched with before its own words (the question before it,
    perhaps the answer's point), or "" when it leans on no question before it."""
    if not query.own or not query.previous or not query.text.endswith(query.own):
        return ""
    return query.text[: -len(query.own)].rstrip()


def _discounted(
    weights: np.ndarray, token_words: Sequence[str], matched: str, leaning: str
) -> np.ndarray:
    """The token weights with the tokens of the words a follow-up leans on (`leaning`,
    the start of the text searched, `matched`) weighing LEANED_ON_WEIGHT times as much;
    the weights as they are when the tokens do not line up with the text's words.

    The turn before says what a follow-up is about; its own words say what it asks. In
    "What is Tommy like at Hailsham? Does anyone stick up for him when that happens?",
    "Hailsham" had matched the Dover quotation ("…we'd grown up together at Hailsham")
    as strongly as "support" matched the passage on the students supporting each other.
    (Measured on every labelled follow-up: first places +8 at a half; +5 at three
    quarters; at nothing, the follow-up's own words alone, -12.)
    """
    if not matched.startswith(leaning):
        return weights
    ends = _word_token_ends(token_words, _PRE_TOKEN.findall(matched))
    leaning_words = len(_PRE_TOKEN.findall(leaning))
    if ends is None or not leaning_words:
        return weights
    discounted = weights.copy()
    tokens_leaned_on = ends[leaning_words - 1] if leaning_words <= len(ends) else len(weights)
    discounted[:tokens_leaned_on] *= LEANED_ON_WEIGHT
    return discounted


# How the model's tokenizer first splits text into words: runs of letters and digits, and
# each other mark alone ("Tommy's" is "Tommy", "'", "s"; "??" is "?", "?").
_PRE_TOKEN = re.compile(r"[^\W_]+|[^\w\s]|_")


def _word_token_ends(token_words: Sequence[str], text_words: Sequence[str]) -> list[int] | None:
    """For each word of the text, the place after its last token (each token carries its
    word's text, a word in pieces in every piece), or None when tokens and words do not
    line up (a tokenizer splitting otherwise). Equal words side by side ("??", "had
    had") share their run of tokens equally. Tokens may stop early (a long question is
    cut at the model's length): the words after have no end.

    Example: _word_token_ends(["Is", "Hail", "Hail", "?", "?"], ["Is", "Hail", "?", "?"])
    == [1, 3, 4, 5]
    """
    ends: list[int] = []
    at = word = 0
    while word < len(text_words) and at < len(token_words):
        equal = 1  # words equal to this one, side by side
        while word + equal < len(text_words) and text_words[word + equal] == text_words[word]:
            equal += 1
        run = 0
        while at + run < len(token_words) and token_words[at + run] == text_words[word]:
            run += 1
        if run == 0 or (at + run < len(token_words) and run % equal):
            return None
        pieces = max(run // equal, 1)
        for _ in range(equal):
            at = min(at + pieces, len(token_words))
            ends.append(at)
        word += equal
    return ends


def token_weights(
    token_words: Sequence[str],
    lexical: LexicalIndex,
    source: str | None,
    repeated: Sequence[bool] | None = None,
) -> np.ndarray:
    """Each query token weighs as its word's rarity in the notes file (inverse passage
    frequency, with its kin: `kin_rarity`); stopwords and punctuation weigh nothing,
    unless nothing else is left. An "again" repeating an event is no stopword: `repeated`
    says which of the text's do, in order (`events_repeated` of the text searched;
    without it, of the tokens).

    Example: in "How does Kathy comfort Tommy?", "comfort" (in no passage) outweighs
    "Kathy" (in most), and "how" and "does" count for nothing.
    """
    if repeated is None:
        repeated = events_repeated(" ".join(token_words))
    again = iter(repeated)
    # "book", "text" and "novel" all name the work: each weighs as the name the notes use
    # most ("book", in no passage, had weighed as the rarest word of "do the friendships
    # in the book feel true to life?"), but "play" is a verb as often ("what role does
    # Hailsham play")
    work = min(lexical.rarity(stem, source) for stem in _STEMS_OF_THE_WORK)
    weights = np.asarray(
        [
            0.0
            # nor does a word pointing at a stretch of the text: "bit" (in one passage, as
            # "a bit of nerve") had drowned out "dover" in "the dover bit"
            if not (content := content_words(word) or _repeated(word, again))
            or (word.lower() in POINTER_NOUNS and not _parts_as_a_verb(token_words, i))
            else work
            if word.lower() in _WEIGHED_AS_THE_WORK
            else lexical.kin_rarity(stems(content)[0], source)
            for i, word in enumerate(token_words)
        ],
        dtype=np.float32,
    )
    # Asked how people differ or are alike ("how are ruth and tommy different"), those
    # words frame the question: "different" had matched "Despite having their
    # differences…", a passage naming Ruth alone, over the one setting Ruth and Tommy side
    # by side. ("Compare" is left to weigh: no passage says it, and it weighs alike on all.)
    if len(people_named(" ".join(token_words), lexical)) > 1:
        for at, word in enumerate(token_words):
            if _COMPARING_WORD.fullmatch(word):
                weights[at] = 0.0
    # The task a question opens with ("Find evidence that…", "Can you identify…", "1.
    # Find…") is no word of its topic; its word-pieces all weigh nothing. Not "What state
    # of mind…": a task is the first word, after a polite opening at most.
    at = 0
    while at < len(token_words) and (
        token_words[at].lower() in _POLITE or not token_words[at].isalpha()
    ):
        at += 1
    task = token_words[at].lower() if at < len(token_words) else ""
    while task in EXAM_TASKS and at < len(token_words) and token_words[at].lower() == task:
        weights[at] = 0.0
        at += 1
    # Words naming the notes, and what the notes are asked to say ("what do the notes say
    # about…", "What does the guide say?"), frame the question: "notes" (in no passage)
    # and "say" (matching "I said") had drowned out "know" in "…how well the students
    # know each other".
    # So does "argue" when an essay argues a case ("How could I argue that…"), and how a
    # claim is put to be checked ("Is it true that…", "My friend says…").
    for at in range(len(token_words)):
        if _frames_the_question(token_words, at, lexical, source):
            weights[at] = 0.0
    # Two stopwords carry a question's meaning, where the notes use them. A "no" before a
    # noun (or a "without", read as "no") says what is missing, and weighs as the notes'
    # "no": "Why is friendship so important for students who have no parents?" had found
    # "…all they have is each other" before "With no actual family to turn to…". An
    # "even" before a clause asks what holds in spite of it: "Why do the students stay
    # tied even if they argue?" had found "People argue with each other…" before "Even
    # when they fall out, they will still be tied…".
    used, _ = lexical.vocabulary(source)
    for at, word in enumerate(token_words):
        if used["no"] and _says_what_is_missing(token_words, at):
            weights[at] = lexical.kin_rarity("no", source)
        after = token_words[at + 1].lower() if at + 1 < len(token_words) else ""
        if used["even"] and word.lower() == "even" and after in _CONCEDING:
            weights[at] = lexical.kin_rarity("even", source)
    return weights if weights.sum() > 0 else np.ones(len(token_words), dtype=np.float32)


# "part" names a stretch of the text ("the dover part", "Ruth's part in it", "for the
# most part"), except as a verb: after its subject or an auxiliary ("when they part",
# "did they ever part") or before how ("…part as friends", "part on bad terms"). Then it
# weighs as the notes' "…not parting on the most amicable of terms". The words before a
# verb and before a noun are those telling a phrasal verb from a noun (`words.py`).
_PART_AS_A_VERB_AFTER = BEFORE_A_VERB | frozenset(
    "did do does ever finally eventually then".split()
)
_BEFORE_A_NOUN_PART = BEFORE_A_NOUN | frozenset(
    """this that these those which what each every any some another other first last next
    final""".split()
)
_PART_AS_A_VERB_BEFORE = frozenset(
    "as on ways company friends enemies badly well amicably good bad forever".split()
)


def _parts_as_a_verb(token_words: Sequence[str], at: int) -> bool:
    """Is the token at `at` the verb "part" ("they part as friends"), not a pointer noun?"""
    if token_words[at].lower() not in ("part", "parts"):
        return False
    before = token_words[at - 1].lower() if at else ""
    after = token_words[at + 1].lower() if at + 1 < len(token_words) else ""
    if before in _BEFORE_A_NOUN_PART:  # "the part on the Cottages"
        return False
    return before in _PART_AS_A_VERB_AFTER or after in _PART_AS_A_VERB_BEFORE


_NEGATING = frozenset("no without".split())
# Words between "no" and what is missing ("no other family", "without their parents") …
_BEFORE_THE_MISSING = frozenset("other real actual proper their his her any more".split())
# … and "no" in set phrases, missing nothing the notes speak of ("I have no idea…")
_NO_IN_A_PHRASE = frozenset("idea clue matter longer way one doubt worries problem".split())


def _says_what_is_missing(token_words: Sequence[str], at: int) -> bool:
    """Is the token at `at` a "no" or "without" before the noun it says is missing ("no
    parents", "without their parents"), not one answering ("no, tommy") or in a set
    phrase ("no idea", "no one", "no longer")?"""
    word = token_words[at].lower()
    if word not in _NEGATING or (word == "no" and at == 0):
        return False
    after = at + 1
    while after < len(token_words) and token_words[after].lower() in _BEFORE_THE_MISSING:
        after += 1
    if after >= len(token_words):
        return False
    noun = token_words[after].lower()
    return noun.isalpha() and noun not in STOPWORDS and noun not in _NO_IN_A_PHRASE


_CONCEDING = frozenset("when if after though as".split())


def _repeated(word: str, again: Iterator[bool]) -> list[str]:
    """["again"] where the token is an "again" repeating an event (the next of `again`,
    see `events_repeated`: "when they meet again", not "are they friends again"), else
    []. Each "again" token takes the next decision, in the order of the text."""
    return ["again"] if word.lower() == "again" and next(again, False) else []


def rerank(
    passages: Sequence[Passage], matches: np.ndarray, weights: np.ndarray
) -> tuple[tuple[Passage, ...], float]:
    """Add TOKEN_WEIGHT times each passage's weighted mean token match, scaled 0..1 over
    the passages, to its score, and sort again; also return the new top passage's match.

    Example: scores (0.9, 0.8) with token matches (0.5, 0.7) become (0.9, 1.8), and 0.7.
    """
    if not len(passages) or not len(weights) or not weights.sum():
        return tuple(passages), 0.0
    match = weighted_match(matches, weights)
    low, spread = float(match.min()), float(match.max() - match.min()) or 1.0
    rescored = [
        (Passage(p.chunk, round(p.score + TOKEN_WEIGHT * (float(m) - low) / spread, 6)), float(m))
        for p, m in zip(passages, match, strict=True)
    ]
    rescored.sort(key=lambda pair: -pair[0].score)
    return tuple(p for p, _ in rescored), rescored[0][1]


ASKED_TO_SAY = frozenset(
    "say says said saying tell tells telling mention mentions write writes put puts".split()
)
_WRITES = frozenset("write writes put puts".split())


# What a question asks to be given before the claim it is for, not what it is about:
# "Find me evidence that…", "proof of Ruth being unkind" ("evidence", in no passage, had
# weighed as its rarest word). Alone ("What's the evidence?", "evidence for it") it asks
# for a quotation, and helps.
_WHAT_AN_ANSWER_GIVES = frozenset("evidence proof".split())
_ITS_CLAIM = frozenset("that of for".split())
# Words pointing at a stretch of the text, as `POINTER_NOUNS` do, where the notes do not
# use them: "Which line says…", "the sentence where…" (not "line of best fit" in notes
# that speak of lines).
_STRETCHES = frozenset("line lines sentence sentences".split())


def _frames_the_question(
    token_words: Sequence[str], at: int, lexical: LexicalIndex, source: str | None
) -> bool:
    """Is the word at `at` one naming the notes, a line or sentence, or evidence before
    its claim (and not a word the notes use themselves), what the notes or a line are
    asked to say, "argue" in an essay's sense, or one putting a claim to be checked ("Is
    it true that…")? (See `token_weights`.)"""
    lowered = token_words[at].lower()
    if lowered in NOTES_WORDS or lowered in _STRETCHES or _before_its_claim(token_words, at):
        return not lexical.uses_in_file(source, stems([lowered]))
    if lowered in ASKED_TO_SAY and _after_the_notes(token_words, at, lexical.writers):
        return True
    if lowered in _STAND and _word_after(token_words, at) not in _STANDS_FOR:
        before = _word_before(token_words, at, _NOW)  # "how do things (now) stand…"
        return before >= 0 and token_words[before].lower() in _STATE_OF
    return _argues_a_case(token_words, at) or _puts_a_claim(token_words, at)


# How a student puts a claim to be checked: "Is it true that…", "Am I right in thinking…",
# "…, is that correct?", "…, right?", "My friend says…", "I read that…". None of those
# words is part of the claim: "right" had matched Kathy deciding "the right thing to do",
# and "true", in no passage, had weighed as the question's rarest word. Not "Was it right
# for Kathy to…" nor "Is it wrong that Kathy still cares?", which ask about the claim, nor
# "Is Ruth right?", "Is it true love?", "…when a teacher tells Tommy…". (Measured on every
# labelled set: first places ±0; top three +3, -1; answers quoting their evidence +4;
# in-scope answered +1.)
_VERDICT_ASKED = frozenset("is am was t".split())  # "is it true", "am I right", "isn't it"
_ON_ME = frozenset("true right correct wrong accurate".split())  # "Am I right that…"
_ON_IT = frozenset("true correct accurate".split())  # "Is it true that…"
_ON_THAT = _ON_ME  # "…, is that right?"
_CLAIM_AFTER_IT = frozenset("that they she he it".split())  # after "is it true": the claim
_VERDICT_IN = frozenset("thinking saying".split())  # "am I right in thinking…"
_HOLDERS = frozenset(
    """friend friends teacher teachers mate mates someone somebody people sir miss mum dad
    son daughter""".split()
)
_HOLDS = frozenset("says said thinks thought reckons told tells claims".split())
_I_HOLD = frozenset("read heard think thought".split())  # "I read that…"


def _puts_a_claim(token_words: Sequence[str], at: int) -> bool:
    """Is the word at `at` one putting a claim to be checked, not part of the claim?"""

    def place_before(place: int) -> int:
        return _word_before(token_words, place) if place >= 0 else -1

    def word_at(place: int) -> str:
        return token_words[place].lower() if 0 <= place < len(token_words) else ""

    lowered = token_words[at].lower()
    before = place_before(at)
    previous, after = word_at(before), _word_after(token_words, at)
    ends = after == "" or not after.isalpha()
    if lowered in _ON_ME | _ON_IT:
        asked = word_at(place_before(before)) in _VERDICT_ASKED
        on_me = previous == "i" and lowered in _ON_ME
        on_it = previous == "it" and lowered in _ON_IT and (ends or after in _CLAIM_AFTER_IT)
        on_that = previous in ("that", "this") and lowered in _ON_THAT and ends
        last = all(not word.isalpha() for word in token_words[at:] if word != token_words[at])
        tag = last and before >= 0 and "," in token_words[before + 1 : at]  # "…, right?"
        return (asked and (on_me or on_it or on_that)) or tag
    if lowered in _VERDICT_IN:
        return previous == "in" and word_at(place_before(before)) in _ON_ME
    if lowered in _HOLDERS:  # "My friend says…": the holder too
        return _word_after(token_words, at) in _HOLDS and word_at(before) in ("", "my", "our")
    if lowered in _HOLDS:
        return previous in _HOLDERS and word_at(place_before(before)) in ("", "my", "our")
    return lowered in _I_HOLD and previous == "i"


# "How do things stand between Kathy and Ruth by the end?" asks how they are: "stand"
# (in no passage) had weighed most and matched nothing.
_STAND = frozenset("stand stands stood standing".split())
_STATE_OF = frozenset("things matters".split())
_NOW = frozenset("now really currently exactly".split())
_STANDS_FOR = frozenset("for up".split())  # "what do these things stand for"


def _before_its_claim(token_words: Sequence[str], at: int) -> bool:
    """Is the word at `at` "evidence" or "proof" before the claim it is for ("evidence
    that Kathy cares", "proof of Ruth being unkind"; not "evidence for it")?"""
    if token_words[at].lower() not in _WHAT_AN_ANSWER_GIVES:
        return False
    link = at + 1
    while link < len(token_words) and token_words[link] == token_words[at]:
        link += 1
    if link >= len(token_words) or token_words[link].lower() not in _ITS_CLAIM:
        return False
    claim = _word_after(token_words, link)
    return token_words[link].lower() == "that" or claim not in FOLLOW_UP_PRONOUNS


def _word_before(
    token_words: Sequence[str], at: int, skipping: frozenset[str] = frozenset()
) -> int:
    """The place of the word before the one at `at` (past its other pieces, any mark, and
    any word of `skipping`), or -1."""
    before = at - 1
    while before >= 0 and (
        token_words[before] == token_words[at]
        or not token_words[before].isalpha()
        or token_words[before].lower() in skipping
    ):
        before -= 1
    return before


def _word_after(token_words: Sequence[str], at: int) -> str:
    """The word after the one at `at` (past its other pieces), or ""."""
    after = at + 1
    while after < len(token_words) and token_words[after] == token_words[at]:
        after += 1
    return token_words[after].lower() if after < len(token_words) else ""


# Words between the notes (or the book) and what they are asked to say: "What does the
# book have to say about Ruth?", "What do the notes actually say…"
_FILLERS = frozenset("have has to actually really even ever exactly also".split())
_RELATIVES = frozenset("that which where it".split())


def _after_the_notes(token_words: Sequence[str], at: int, writers: frozenset[str]) -> bool:
    """Does the word at `at` follow a word naming the notes, the work or its writer (a
    stem of `writers`), or one pointing at a stretch of the text: "the notes say", "does
    the guide mention", "What does the book have to say about Ruth?", "what does Ishiguro
    say…", "Which line says…", "the part that says…"?"""
    before = _word_before(token_words, at, _FILLERS)
    if before < 0:
        return False
    word = token_words[before].lower()
    if word in NOTES_WORDS:
        return True
    # a stretch of the text: "Which line says…", "Is there a line saying…", "the part
    # that says…" ("says", matching "I said", had put Ruth's quarrel first)
    pointer = _word_before(token_words, at, _FILLERS | _RELATIVES)
    if pointer >= 0 and token_words[pointer].lower() in POINTER_NOUNS | _STRETCHES:
        return True
    # not "Why did Dickens write A Christmas Carol?": his writing it is what is asked
    said = token_words[at].lower() not in _WRITES
    return said and (word in NAMES_OF_THE_WORK or stems([word])[0] in writers)


_ARGUES = frozenset("argue argues argued arguing".split())  # the verb: not "an argument"
# Who argues a case, perhaps with a modal between ("How could I argue…", "how I'd argue
# this", "what should my paragraph be arguing")
_MAKES_A_CASE = frozenset("i you we essay paragraph point".split())
_BETWEEN = frozenset("could should would might can will must d".split())


def _argues_a_case(token_words: Sequence[str], at: int) -> bool:
    """Is the word at `at` "argue" in an essay's sense ("How could I argue that…", "What
    should my essay argue?"), not a quarrel's ("why do they argue", "What causes Ruth
    and Kathy to argue?", "do you argue with Ruth")?"""
    if token_words[at].lower() not in _ARGUES or _word_after(token_words, at) == "with":
        return False
    if _word_after(token_words, at) == "that" or (at and token_words[at - 1].lower() == "be"):
        return True  # "argue that…", "what should a paragraph… be arguing"
    before = _word_before(token_words, at, _BETWEEN)
    return before >= 0 and token_words[before].lower() in _MAKES_A_CASE


def carry_over(
    passages: Sequence[Passage], lexical: LexicalIndex, quotations: bool
) -> tuple[Passage, ...]:
    """Each passage that leans on a ranked one (see `lexical.leans_on`) scores at least CARRY_OVER
    times that one's score, joining the ranking if it was not in it; a comment on a
    quotation, CARRY_OVER squared times the point the quotation illustrates. A quotation
    is raised so only when the question asks for one (`quotations`); otherwise it only
    passes the point's relevance on to the comment after it.

    "Quote about Fezziwig" then finds "The happiness he gives, is quite as great as if it
    cost a fortune. (Scrooge)", set out after "Scrooge praises Fezziwig:", and "What does
    Scrooge learn from Fezziwig's party?" finds "This shows that Scrooge is beginning to
    understand that kindness matters more than money", which comments on it; neither
    names Fezziwig.

    Example: a point scoring 2.0 lifts the comment after its quotation to 1.62 (2.0 × 0.9²).
    """
    best = {p.chunk.id: p for p in passages}
    for passage in sorted(passages, key=lambda p: -p.score):
        at, score = lexical.position.get(passage.chunk.id), passage.score
        while at in lexical.leaning:
            at, how = lexical.leaning[at]
            chunk, score = lexical.chunks[at], score * CARRY_OVER
            if how == "quotation" and not quotations:
                continue  # passes the point's relevance on, without ranking the quotation
            if chunk.id not in best or best[chunk.id].score < score:
                best[chunk.id] = Passage(chunk, round(score, 6))
            score = best[chunk.id].score
    return tuple(sorted(best.values(), key=lambda p: -p.score))


def with_what_follows(passages: Sequence[Passage], lexical: LexicalIndex) -> tuple[Passage, ...]:
    """The passage set out after the top one in its file comes second: "What does she do
    then?" asks for what the notes say next, which the answer gives after the rest of the
    top passage. It scores as the passage second before it, or CARRY_OVER times the top
    one's score if that is more (never more than the top one's), so scores stay in order.

    Example: with "Mara climbs the stairs…" first (2.0) and "The storm stands for…" second
    (1.9), "A fishing boat… follows the light", set out next, comes second at 1.9.
    """
    if not passages:
        return ()
    top, rest = passages[0], list(passages[1:])
    at = lexical.position.get(top.chunk.id)
    if at is None or at + 1 >= len(lexical.chunks):
        return tuple(passages)
    after = lexical.chunks[at + 1]
    if after.source != top.chunk.source:
        return tuple(passages)
    rest = [p for p in rest if p.chunk.id != after.id]
    second = rest[0].score if rest else 0.0
    score = round(min(top.score, max(second, top.score * CARRY_OVER)), 6)
    return (top, Passage(after, score), *rest)


def prefer_quotations(passages: Sequence[Passage]) -> tuple[Passage, ...]:
    """Add QUOTATION_BONUS to each passage that quotes the set text, and sort again.

    "Which quotation shows Kathy picking donors she knew from school?" asks for the
    novel's words, so the passage quoting "… I started seeking out for my donors people
    from the past" must come before the notes' commentary on it, which is closer in
    meaning. The bonus is half the scale of a mixed and reranked score, so a quotation
    far off the topic does not jump ahead. (Measured: this lifted a held-out quotation
    question and a blind one to first, and moved no other question.)
    """
    return _boosted(passages, QUOTATION_BONUS, holds_quotation)


def quotes_elsewhere(
    before: Sequence[Passage], after: Sequence[Passage], query: str, lexical: LexicalIndex
) -> bool:
    """Did `prefer_quotations` put first a quotation that is not on what was asked?

    "give me a quote" after "How does Ruth treat Kathy at the Cottages?": only one
    passage speaks of the Cottages, and it quotes nothing; the quotation the bonus put
    first (Ruth's "The idiot!") is on quarrels at Hailsham. The answer must say so, not
    pass it off as a quotation on the Cottages. Such a quotation lacks a name (of a place,
    a person) the question uses that no passage but the one first before the bonus does.
    A word that is no name may have a synonym there: "whats a quote where they argue"
    gets the quotation on "silly quarrels", which is on it. The quotation the passage
    first leads to ("Scrooge praises Fezziwig:" before his words) is on it too.
    """
    if not before or not after or after[0].chunk.id == before[0].chunk.id:
        return False
    if holds_quotation(before[0].chunk):
        return False
    at = lexical.position.get(before[0].chunk.id)
    chosen = lexical.position.get(after[0].chunk.id)
    if at is None or chosen is None:
        return False
    while at in lexical.leaning:  # the quotation and comment the point leads to
        at, _ = lexical.leaning[at]
        if at == chosen:
            return False
    counts, _ = lexical.vocabulary(before[0].chunk.source)
    top_words = set(lexical.words_at(lexical.position[before[0].chunk.id]))
    only_there = {
        s
        for s in stems(subjects(query))
        if counts[s] == 1 and s in top_words and s in lexical.names
    }
    return bool(only_there - set(lexical.words_at(chosen)))


def prefer_comments(
    passages: Sequence[Passage], lexical: LexicalIndex, question: str = ""
) -> tuple[Passage, ...]:
    """Add COMMENT_BONUS to each passage commenting on the quotation before it, and
    sort again.

    Notes set a point out as point, quotation, comment, and the comment ("Kathy’s use
    of the word seeking suggests that she actively searches… This shows that friendship
    is of real importance to her") is what "What does Kathy choosing Hailsham donors
    tell us about her?" asks for; the point and the quotation share more of its words.
    Half the quotation bonus: a comment on something else does not jump ahead.
    (Measured over fifteen sets: six questions of this kind rose to first, five on the
    bundled notes and one on Jekyll and Hyde, and one fell, "What does the novel
    suggest about…", which asks about a theme and is now left out.) A question naming a
    word ("What does the word snubs suggest about Ruth?") gains only comments using it.
    """
    named = words_quoted(question)  # "What does the word snubs suggest?": a comment on it

    def on_it(chunk: Chunk) -> bool:
        at = lexical.position.get(chunk.id)
        if at not in lexical.comments:
            return False
        read = [chunk.text, lexical.chunks[at - 1].text]  # it, and the quotation it reads
        return not named or any(holds_run(run, text) for run in named for text in read)

    return _boosted(passages, COMMENT_BONUS, on_it)


# A sentence giving a reason or a motive, or saying what an action shows: what "why?"
# asks for.
GIVES_A_REASON = re.compile(
    r"\b(?:because|as a result|therefore|so that|which is why|that is why|the reason|"
    r"to blame|due to|means more|in the hope|in order to|this (?:shows|suggests) that)\b",
    re.IGNORECASE,
)


def comment_on_top_quotation(
    passages: Sequence[Passage], lexical: LexicalIndex, through_point: bool = False
) -> tuple[Passage, ...]:
    """When the best passage is a quotation and the notes comment on its words right
    after it, put that comment first.

    Asked to analyse a quotation's language ("Analyse the language in 'I started seeking
    out for my donors…'"), the quotation itself matches best, but what answers is the
    comment on it ("Kathy’s use of the word seeking suggests…"), which brings the
    quotation along. A comment on some other quotation is left where it is: with one
    comment in the notes, a bonus for comments would put it first for any question on
    language ("analyse the language used to describe the reunion with Tommy").

    Asked why, the same holds: "Why would Kathy want to look after people from Hailsham
    specifically?" found her words ("… I started seeking out for my donors people from
    the past") first, which say what she does, where the comment says why ("This shows
    that friendship is of real importance to her").

    Asked why (`through_point`), a point illustrated by a quotation that the notes then
    comment on gives way to the comment too: "why?" after "What does Kathy do when she
    gets to choose her donors?" found the point ("…she begins to seek out donors who used
    to go to Hailsham School") first; not when the point gives a reason itself ("…ended
    their engagement because he loved money more…"). Measured on 19 labelled sets (stop
    28): six questions rose to first (in three notes files), one fell to second. So does
    a point asked to be analysed for its language ("Explore Ishiguro's language choices
    in Kathy's account of how she finds her donors": the point says what she does, the
    comment reads her words; stop 48, two rose to first and none fell).
    """
    if not passages:
        return tuple(passages)
    at = lexical.position.get(passages[0].chunk.id)
    after = lexical.leaning.get(at) if at is not None else None
    if after and after[1] == "quotation" and through_point:  # a point, its quotation, …
        if GIVES_A_REASON.search(passages[0].chunk.text):  # … unless the point says why
            return tuple(passages)
        after = lexical.leaning.get(after[0])
    elif not holds_quotation(passages[0].chunk):
        return tuple(passages)
    if not after or after[1] != "comment":
        return tuple(passages)
    comment = lexical.chunks[after[0]]
    rest = [p for p in passages if p.chunk.id != comment.id]
    return (Passage(comment, passages[0].score), *rest)


def point_of_top_quotation(
    passages: Sequence[Passage], lexical: LexicalIndex
) -> tuple[Passage, ...]:
    """When the best passage is a quotation that the notes do not comment on after it but
    set out to illustrate the point before it, put that point right after it.

    Asked what a quotation suggests ("What does the quotation 'all our differences…
    seemed not nearly as important' suggest about Kathy and Ruth?"), the answer had been
    the quotation and an unrelated passage; the notes' reading of it is the point it
    illustrates ("Her past friendship with Ruth means more to Kathy than any quarrel…").
    """
    if not passages or not holds_quotation(passages[0].chunk):
        return tuple(passages)
    at = lexical.position.get(passages[0].chunk.id)
    if at is None or lexical.leaning.get(at, (None, ""))[1] == "comment":
        return tuple(passages)
    if at == 0 or lexical.leaning.get(at - 1) != (at, "quotation"):
        return tuple(passages)
    point = lexical.chunks[at - 1]
    rest = [p for p in passages[1:] if p.chunk.id != point.id]
    return (passages[0], Passage(point, passages[0].score), *rest)


_SEVERAL = re.compile(r"\b(?:quotes|quotations|lines)\b", re.I)  # "key quotes", "which lines…"


def reading_of_top_quotation(
    passages: Sequence[Passage], lexical: LexicalIndex
) -> tuple[Passage, ...]:
    """When the best passage is a quotation, put the notes' reading of it right after
    it: the comment that follows it, or else the point it illustrates.

    Asked for one quotation ("Which line shows Kathy choosing donors she knew from
    school?"), the bonus for quotations lifts every passage quoting the novel, so the
    one after the right quotation was a passage quoting other scenes ("'The idiot!'…"),
    which the answer then cited as what "the notes also point out". What the notes say
    of the quotation itself belongs there. Not when several quotations are asked for
    ("give me 3 quotes", "key quotations", "which lines…").
    """
    if not passages or not holds_quotation(passages[0].chunk):
        return tuple(passages)
    at = lexical.position.get(passages[0].chunk.id)
    after = lexical.leaning.get(at) if at is not None else None
    if not after or after[1] != "comment":
        return point_of_top_quotation(passages, lexical)
    comment = lexical.chunks[after[0]]
    rest = [p for p in passages[1:] if p.chunk.id != comment.id]
    return (passages[0], Passage(comment, passages[0].score), *rest)


def prefer_explanations(passages: Sequence[Passage], lexical: LexicalIndex) -> tuple[Passage, ...]:
    """Score the passages of a file's opening (before its first heading) at OPENING_SHARE,
    and sort again.

    Asked why (or how something came about: `ASKS_HOW_IT_CAME_ABOUT`), a passage that
    explains beats the opening that only says what happens:
    "Why does Kathy become Ruth's carer even though they fell out?" found the opening's
    "…by the end of the novel, Kathy has become Ruth’s carer…" before "Despite having
    their differences… Kathy decides that the right thing to do…". A reason the opening
    alone gives still comes first: "Why are the friendships at Hailsham so intense?"
    (Measured over sixteen sets: nine why-questions rose to first, six of them of that
    kind, written by six hands, and none fell. The margin is narrow: at 0.8 four fell.)
    """
    opening = lexical.opening_sections
    rescored = [
        Passage(p.chunk, round(p.score * OPENING_SHARE, 6))
        if opening.get(p.chunk.source) == p.chunk.section
        else p
        for p in passages
    ]
    return tuple(sorted(rescored, key=lambda p: -p.score))


def prefer_named_sections(
    passages: Sequence[Passage], lexical: LexicalIndex, question: str
) -> tuple[Passage, ...]:
    """Add SECTION_BONUS to each passage under a heading the question names, and sort
    again: "What do the notes say about characters?" asks for the section headed
    "Characters", not the list of key terms that says "a character does not".

    The passages under it keep the places they reach but take them in the section's
    order, so the answer goes through the section as the notes do: "How does Kazuo
    Ishiguro show the way Kathy, Ruth and Tommy are reunited near the end of the novel?"
    (a suggested question, and "explain the second one" after "How is friendship
    shown?") had opened with Tommy and left out Ruth, whom the section starts with."""
    asked = frozenset(stems(subjects(question)))  # once, not for each passage
    named = {p.chunk.id for p in passages if lexical.under_named_section(p.chunk, asked)}
    boosted = _boosted(passages, SECTION_BONUS, lambda c: c.id in named)
    under = [p for p in boosted if p.chunk.id in named]
    in_order = iter(sorted(under, key=lambda p: lexical.position.get(p.chunk.id, 0)))
    return tuple(next(in_order) if p in under else p for p in boosted)


def prefer_focus(passages: Sequence[Passage], focus: Sequence[str]) -> tuple[Passage, ...]:
    """Add FOCUS_BONUS to each passage using a word stem of `focus`, and sort again.

    A follow-up such as "And what about Tommy?" is searched together with the question
    before it ("What happens when Kathy becomes Ruth's carer?"), whose words then
    outnumber its own: without this the answer is about Ruth again. The bonus matches
    the quotation bonus, so a passage on the new subject that is far off the earlier
    question does not jump ahead of one on both. Only the passage's own words count: a
    word of the file's title ("Friendship in Never Let Me Go") is in every heading path.

    A passage naming the new subject once gains half the bonus, twice or more the whole
    (of a subject in several words, "meets Tommy", the mean over its words):
    one naming "Kathy, Ruth and Tommy" in passing is less about Tommy than one on Kathy
    meeting him again ("…it felt as though Tommy and I had come close together again").
    Measured on 18 labelled sets (stop 27): two "And what about Tommy?" rose to first, one
    fell to second.
    """
    wanted = set(focus)

    def bonus(passage: Passage) -> float:  # each word of the subject counts alike
        named = Counter(stem for stem in stems(words(passage.chunk.text)) if stem in wanted)
        return FOCUS_BONUS * sum(min(1.0, named[stem] / 2) for stem in wanted) / len(wanted)

    rescored = [Passage(p.chunk, round(p.score + bonus(p), 6)) for p in passages]
    return tuple(sorted(rescored, key=lambda p: -p.score))


_TITLES = r"(?:dr|mr|ms|miss)\.?"  # not "Lady Macbeth", "Mrs Cratchit": another person
# "Who is Lanyon?", "What is Utterson like?", "Tell me about Ruth", "Describe Scrooge":
# asking what someone is, by a name.
# "what's ruth like at hailsham", not "What is friendship like in the novel?"
_WHERE_OR_WHEN = (
    r"(?P<where>\s+(?:at|in|during)\s+(?!(?:the\s+)?(?:novel|book|story|text|play)\b)"
    r"(?:the\s+)?\w+(?:\s+\w+)?)?"
)
# "who is tommy in the book": the work the notes are on is no place asked about; "who is
# tommy in the book" had found Kathy meeting Tommy again, not who he is.
_IN_THE_WORK = r"(?P<work>\s+(?:in|from)\s+(?:the|this)\s+(?:book|novel|novella|story|text|play))"
# A word leading into a question, as chat does: "so who is Miss Jody?", "and what are…".
LEAD_IN = r"(?:(?:so|and|but|then|ok|okay)\b\W*){0,2}"
_ASKS_WHO = re.compile(
    rf"^\W*{LEAD_IN}(?:who\s+(?:is|was)|who[’']s|what\s+(?:is|was)(?=\s+\w+\s+like\b)|what[’']?s"
    r"(?=\s+\w+\s+like\b)|tell\s+me\s+about|describe|what\s+kind\s+of\s+(?:person|character)\s+is)\s+"
    rf"(?:{_TITLES}\s+)?(?P<name>[a-z][\w’'-]*?)(?:[’']s)?"
    rf"(?:\s+like{_WHERE_OR_WHEN})?{_IN_THE_WORK}?\W*$",
    re.I,
)
DEFINITION_BONUS = 1.0  # asked who someone is: the score a passage saying so gains


def asks_who(question: str, names: frozenset[str] = frozenset()) -> str | None:
    """The name a question asks to have described ("Who is Lanyon?" -> "Lanyon"). Asked
    what someone is like somewhere ("whats ruth like at hailsham"), only one of `names`
    (stems of the notes' names): "What is life like at Hailsham?" names no one."""
    asked = _ASKS_WHO.match(question.strip())
    if not asked or asked["name"].lower() in STOPWORDS:
        return None
    if (asked["where"] or asked["work"]) and stems([asked["name"].lower()])[0] not in names:
        return None
    return asked["name"]


def asks_who_is(question: str, names: frozenset[str] = frozenset()) -> str | None:
    """The name a question asks only who they are of ("Who is Miss Jody?" -> "Jody"), not
    what they are like ("Tell me about Ruth", "What is Scrooge like?"); `names` as for
    `asks_who` ("who is jody in the book")."""
    name = asks_who(question, names)
    return name if name and WHO_IS.match(re.sub(rf"^\W*{LEAD_IN}", "", question)) else None


# Asking only what a term is or means: "What are The Cottages?", "who are the veterans",
# "wat does amicable mean", "define carer"; not "What is Ruth like?", nor more besides.
_TERM = r"(?P<term>[a-z][\w’'-]*(?:\s+[a-z][\w’'-]*){0,3}?)"
_ASKS_WHAT_TERM = (
    re.compile(
        rf"^\W*{LEAD_IN}(?P<who>who|what|wh?at)(?:\s+(?P<verb>is|are|was|were)|[’']?s)\s+"
        rf"(?P<article>(?:a|an|the)\s+)?{_TERM}\W*$",
        re.I,
    ),
    re.compile(
        rf"^\W*{LEAD_IN}(?:(?:what|wh?at)\s+(?:does|do)|wh?at[’']?s)\s+(?:the\s+(?:word|term)\s+)?['‘\"“]?{_TERM}"
        r"['’\"”]?\s+mean\W*$",
        re.I,
    ),
    re.compile(rf"^\W*(?:define|meaning\s+of|definition\s+of)\s+['‘\"“]?{_TERM}['’\"”]?\W*$", re.I),
)


_FRAMING = frozenset(
    "main point message idea purpose effect answer difference meaning role".split()
)


def _frames_a_question(word: str) -> bool:
    """Is the word (lower case) how a question is put rather than what it asks about?"""
    return (
        not word
        or word in STOPWORDS
        or word in _FRAMING
        or is_generic(word)
        or stems([word])[0] in TOPIC_FRAME
    )


# "the glue thing": a thing named vaguely, not "the best thing" nor "the last part"
_VAGUE_TAIL = re.compile(
    r"(?<!\bbest)(?<!\bworst)(?<!\bmain)(?<!\bfirst)(?<!\blast)(?<!\bnext)(?<!\bsame)"
    r"(?<!\bwhole)(?<!\bother)(?<!\bonly)\s+(?:thing|things|stuff)$",
    re.I,
)


def term_asked(question: str) -> tuple[str, str, str] | None:
    """What a question asking only what something is or means asks, and how it asks:
    ("what", "is", "a carer") for "What is a carer?", ("who", "are", "the veterans") for
    "who are the veterans", ("what", "means", "amicable") for "wat does amicable mean".
    None for any other question; for one asking what someone is like; for one whose
    term frames it ("What is the theme?", "what is the significance of the dagger"); and
    for one asking what a quotation means ("what does the Dover quote mean?", "what does
    'unsex me here' mean?": a word or two is a word, three are the text's words), which
    the notes' reading of it answers.
    """
    for how, pattern in enumerate(_ASKS_WHAT_TERM):
        found = pattern.match(question.strip())
        if not found:
            continue
        term = _VAGUE_TAIL.sub("", found["term"].strip("'’\"”")) or found["term"]
        said = words(term)
        if not how and said[-1:] == ["mean"]:  # "what's the glue thing mean": what it means
            continue
        if (
            said[-1:] == ["like"]
            or points_only(term)  # "the second way": an answer's item, pointed at
            or _frames_a_question(next((w for w in said if w not in STOPWORDS), ""))
            or ASKS_FOR_QUOTATION.search(term)
        ):
            return None
        if how:
            bare = said[1:] if said[:1] in (["the"], ["a"], ["an"]) else said
            return ("what", "means", term) if len(bare) <= 2 else None
        asks = "who" if found["who"].lower() == "who" else "what"
        return asks, (found["verb"] or "is").lower(), f"{found['article'] or ''}{term}"
    return None


# A term said to be something: "Cardiac output is the volume…", "a **double circulatory
# system**, which means…", "“troglodytic”, meaning like…", "Plasma** is the pale…".
_SAID_TO_BE = (
    r"[*_\"”’']{0,3}\s*(?:,\s*)?(?:which\s+|that\s+)?"
    r"(?:is|are|was|were|means|meaning|refers\s+to)\b"
)


def defines_term(text: str, term: str, section: str = "") -> bool:
    """Does the passage say what `term` is: a sentence saying it is or means something
    ("Cardiac output is the volume of blood…"), naming it ("A wall of muscle called the
    septum…"), setting it out ("**atria** at the top, which receive…", "Arteries: …", a
    table row opening with it), setting it in bold as markdown notes do a term they
    explain, or the next sentence saying what "this" is ("…an artificial pacemaker can
    be fitted. This is a small electrical device…"), or a clause saying what a thing
    called it does ("Hailsham is a glue that bonds its students"), or a heading asking
    it ("What does “vaulting ambition” mean?")?"""
    named = r"\W{1,3}".join(re.escape(w) for w in words(term) if w not in ("a", "an", "the"))
    if not named:
        return False
    if re.search(rf"(\*\*|__){named}\1", text, re.I):
        return True
    plain = _UNMARKED.sub("", text)
    if re.search(
        rf"\b{named}{_SAID_TO_BE}"
        rf"|\b(?:called|named|known\s+as|termed)\s+(?:the\s+|a\s+|an\s+)?[\"“‘']?{named}\b"
        rf"|\b{named}[\"”’']?(?:\s*[:–—]|\s+-\s|,\s*(?:which|who)\b)"
        rf"|^\s*\|?\s*{named}\s*\|"
        rf"|\b{named}\b[^.!?]*[.!?]\s+(?:this|it)\s+is\s+(?:a|an)\b"
        rf"|\b(?:is|are)\s+(?:a|an)\s+{named}\s+(?:that|which|who)\b",  # "…is a glue that bonds…"
        plain,
        re.I | re.M,
    ):
        return True
    return bool(re.search(rf"\b{named}\b", section, re.I)) and bool(
        re.search(r"\bwhat\b|\bmean", section, re.I)
    )


def named_as_in(text: str, name: str) -> str | None:
    """The name as the text spells it, with a title it has before it: "Miss Jody" for
    "jody" in "…take it to Miss Jody."; not "Macbeth" in "Lady Macbeth", someone else."""
    for found in re.finditer(rf"\b(?:{_TITLES}\s+)?{re.escape(name)}\b", text, re.I):
        before = words(text[: found.start()])[-1:]
        if not (before and before[0] in _ANOTHER_PERSON):
            return found[0]
    return None


def who_else_asked(query: Query) -> str | None:
    """The name a follow-up naming only its new subject asks to have described, when the
    question before asked who someone is: "and Tommy?" after "who is ruth" asks who Tommy
    is, and had opened with his reunion with Kathy, which names him twice."""
    if not (query.focus and asks_who(query.previous)):
        return None
    if not names_only_a_subject(query.question, query.focus):
        return None
    named = [w for w in words(query.question) if stems([w])[0] in query.focus]
    return named[0] if len(named) == 1 else None


_ANOTHER_PERSON = frozenset(("lady", "mrs"))  # before a name: someone else ("Lady Macbeth")
_UNMARKED = re.compile(r"\*\*|__|`")  # markdown emphasis around a name or a term
_NAME_WORD = r"(?-i:[A-Z])[\w’'-]+"
# Words saying what someone or something is, after "is" or a dash: "is a…", "is his…".
_DESCRIBING = r"(?:a|an|the|his|her|their|its|one|\w+[’']s)\b"
# A word of a description before a name ("his old master Fezziwig"), not of a place.
_NOT_DESCRIBING = frozenset("at in on with to for of from by about into".split())


def defines(text: str, name: str) -> bool:
    """Does the text say what someone is: "Dr Lanyon is Jekyll's old friend" (opening a
    sentence, or after a first name: "…novella Ebenezer Scrooge is a cold, greedy old
    man", or before a surname: "**Sheila Birling** is his daughter"; not "When Kathy is a
    carer…", "Lady Macbeth is…", "Utterson suspects Hyde is…"), "He portrays Ruth as a
    typical leader", "…and Tommy as the student who…", "Eric Birling – the son…", or in
    a phrase set beside the name, opening a sentence ("Poole, Jekyll's butler, fetches…",
    "…Carew, a polite elderly Member of Parliament.") or saying who ("…to Belle, the
    young woman who ended…"; not "…once he hears about Hyde, Utterson's curiosity…"), or
    before it ("his old master Fezziwig", "his own clerk, Bob Cratchit")?"""
    text = _UNMARKED.sub("", text)
    named = re.escape(name)
    surname = rf"(?:\s+{_NAME_WORD})?"
    if re.search(
        rf"\b{named}{surname}\s+as\s+(?:a|an|the)\b"
        rf"|\b{named},\s+(?:a|an|the)\s+(?:[\w’'-]+\s+){{0,4}}?(?:who|whose|whom)\b",
        text,
        re.I,
    ):
        return True
    for found in re.finditer(
        rf"\b(?:his|her|their)\s+((?:[a-z][\w’'-]*\s+){{0,2}}[a-z][\w’'-]*),?\s+"
        rf"(?:{_NAME_WORD}\s+)?{named}\b",
        text,
    ):
        if _NOT_DESCRIBING.isdisjoint(found[1].split()):
            return True
    opening = rf"(?:{_TITLES}\s+|{_NAME_WORD}\s+)?"  # a title or a first name
    for found in re.finditer(
        rf"{opening}{named}{surname}(?:\s+(?:is|was)\s+{_DESCRIBING}"
        rf"|\s*[–—:]\s*{_DESCRIBING}"
        rf"|,\s+(?:a|an|the|\w+[’']s)\s+(?:[\w’'-]+\s+){{0,5}}?[\w’'-]+[,.;])",
        text,
        re.I,
    ):
        first = words(found[0])[0]
        if first != name.lower() and (first in STOPWORDS or first in _ANOTHER_PERSON):
            continue  # "When Kathy is…", "Lady Macbeth is…"
        before = text[: found.start()].rstrip(" \t-–•*")  # a list item's marker too
        if not before or before[-1] in ".!?:\n" or first != name.lower():
            return True
    return False


def with_definitions(
    passages: Sequence[Passage], name: str, lexical: LexicalIndex
) -> tuple[Passage, ...]:
    """The passages with every passage of the top one's notes file that says who `name`
    is (`defines`) among them, scoring as the top one if it was not ranked.

    Asked only who someone is, what says so answers however far down the ranking it was:
    "Who is Scrooge?" had answered with the "-ing" verbs that show him holding on to money,
    and "Scrooge is a cold, greedy old man who cares only about money" was not found.
    """
    if not passages:
        return tuple(passages)
    source, top = passages[0].chunk.source, passages[0].score
    ranked = {p.chunk.id for p in passages}
    joining = [
        Passage(c, top)
        for c in lexical.chunks_of(source)
        if c.id not in ranked and defines(c.text, name)
    ]
    return (*passages, *joining)


def prefer_definitions(passages: Sequence[Passage], name: str) -> tuple[Passage, ...]:
    """Add DEFINITION_BONUS to each passage saying what the person asked about is.

    "Who is Lanyon?" had opened with a quotation about his shock ("like a man restored
    from death"), "Tell me about Ruth" with a passage on her hurting Kathy, before
    "Dr Lanyon is Jekyll's old friend, a practical scientist" and "He portrays Ruth as a
    typical leader".
    """
    return _boosted(passages, DEFINITION_BONUS, lambda chunk: defines(chunk.text, name))


# "According to Kathy, …", "in Ruth's own words": what someone in the text says.
_IN_WORDS_OF = re.compile(
    r"\baccording to (?P<according>[a-z]+)|\bin (?P<words>[a-z]+)['’]?s (?:own )?words\b"
    # "What does Kathy say matters more than…", "what did Kathy say about Ruth": not to
    # someone (`said_to_asked`), nor what the notes say
    r"|\bwhat\s+(?:does|did|do)\s+(?P<says>[a-z]+)\s+(?:say|says|said)\b"
    r"(?!\s+to\b)",
    re.I,
)


def asks_who_wrote_the_work(question: str, lexical: LexicalIndex) -> bool:
    """Does the question ask who wrote the work itself ("who wrote never let me go",
    "who's the author", "who is this novel written by?"), naming nothing after it but
    words of a notes title? Not "who wrote the letter about the truth of Jekyll?"."""
    found = ASKS_WHO_WROTE.search(question)
    if not found:
        return False
    said = stems([w for w in content_words(question[found.end() :]) if not is_generic(w)])
    titles = {  # each file's title, read once from its first passage
        s
        for members in lexical.by_source.values()
        for s in stems(words(lexical.chunks[members[0]].title or ""))
    }
    return set(said) <= titles


def speaker_asked(question: str, names: frozenset[str]) -> str | None:
    """The stem of the person of the text whose own words a question asks for, or None:
    "According to Kathy, what makes her bond with Ruth special?", "What does Kathy say
    she and Ruth share…?" -> "kathi". "According to the notes" names no one; pass
    `names` without the writers' ("According to Ishiguro" asks what the book says)."""
    found = _IN_WORDS_OF.search(question)
    if not found:
        return None
    stem = stems(words(found["according"] or found["words"] or found["says"]))[0]
    return stem if stem in names else None


def said_to_asked(question: str, names: frozenset[str]) -> tuple[str, str] | None:
    """The stems of the person of the text whose words to another a question asks about,
    and of that other: "Who does Kathy tell Tommy to go to if he can't sort it himself?"
    -> ("kathi", "tommi"). None when either is not a name the notes use ("Kathy tells
    him…": a pronoun), or for one person alone."""
    for found in SAID_TO.finditer(question):
        speaker, listener = stems([found["speaker"].lower(), found["listener"].lower()])
        if speaker in names and listener in names and speaker != listener:
            return speaker, listener
    return None


def prefer_speaker(
    passages: Sequence[Passage], speaker: str, listener: str | None = None
) -> tuple[Passage, ...]:
    """Add QUOTATION_BONUS to each passage quoting `speaker` (a stem), by its attribution
    ("(Kathy)", "(Kathy to Tommy)"), speaking to `listener` if one is given, and sort
    again; with no listener, OWN_WORDS_BONUS more to a block of their words alone.
    "According to Kathy, what makes her bond with Ruth special?" asks for her words
    at Dover ("…the fact that we'd grown up together at Hailsham…"), which had not been
    among the passages found; "which guardian does Kathy tell Tommy to go to if he can't
    sort it himself?" had found first the passage on the guardians, "sort" matching
    nothing of Kathy's words to him "…then just take it to Miss Jody."."""
    wanted = [speaker, "to", listener] if listener else [speaker]

    def quotes_them(chunk: Chunk) -> bool:
        said = (stems(words(found.group())) for found in SPEAKER.finditer(chunk.text))
        return any(s[: len(wanted)] == wanted for s in said)

    passages = _boosted(passages, QUOTATION_BONUS, quotes_them)
    if listener:
        return passages
    # Their words set out on their own (a quoted block) before a paragraph quoting them
    # among the notes' commentary: "What does Kathy say she and Ruth share that nobody
    # else does?" had opened with the paragraph quoting "'The idiot!' (Kathy)", not her
    # words at Dover, "…the fact that we knew and remembered things no one else did."
    return _boosted(passages, OWN_WORDS_BONUS, lambda c: c.kind == "quote" and quotes_them(c))


def naming_first(passages: Sequence[Passage], focus: Sequence[str]) -> tuple[Passage, ...]:
    """The passages using a word stem of `focus` first, each group in its order.

    "What about Tommy?" after "Why does Kathy become Ruth's carer?" asks about Tommy:
    the focus bonus (`prefer_focus`) still left the passage on why she becomes Ruth's
    carer first, which never names him.
    """
    wanted = set(focus)
    naming = [p for p in passages if not wanted.isdisjoint(stems(words(p.chunk.text)))]
    return (*naming, *(p for p in passages if p not in naming))


def _boosted(
    passages: Sequence[Passage], bonus: float, applies: Callable[[Chunk], bool]
) -> tuple[Passage, ...]:
    """The passages with `bonus` added to the score of each that `applies` to, best first."""
    rescored = [
        Passage(p.chunk, round(p.score + bonus, 6)) if applies(p.chunk) else p for p in passages
    ]
    return tuple(sorted(rescored, key=lambda p: -p.score))


_ALIKE_OR_NOT = r"differ(?:s|ent|ently)?|similar\w*|alike"  # not "differences", a quarrel's
_COMPARING_WORD = re.compile(_ALIKE_OR_NOT, re.I)
_COMPARING = re.compile(
    rf"\b(?:compare[sd]?|comparing|comparison|contrast\w*|{_ALIKE_OR_NOT}|vs|versus"
    r"|difference\s+between)\b",
    re.I,
)


# What a comparison sets its subject beside, named: "with Ishiguro's The Remains of the
# Day", "to Daisy in The Great Gatsby", "from Rooth" (capitalised words, with the small
# words of a title between them, up to a comma or the end).
_SET_BESIDE = re.compile(
    r"\b(?i:with|to|from|than|vs|versus)\s+"
    r"(?P<named>(?:(?:the|of|and|in|a|an)\s+|[A-Z][\w’']*\s+)*[A-Z][\w’']*)"
)


def sets_beside_the_unknown(question: str, unknown: Sequence[str], lexical: LexicalIndex) -> bool:
    """Does a comparison set the work beside something the notes never name? "I'm
    confused about how friendship in Never Let Me Go compares with Ishiguro's The Remains
    of the Day" sat as close to the notes as a paraphrase (0.80), its title half unread,
    and was answered. Only what the comparison names after "with", "to", "from"…: not a
    sign-off ("Compare Kathy and Ruth, Sir"), a course ("…for my English essay") or a
    name typed as it sounds ("…different from Rooth?")."""
    comparing = _COMPARING.search(question)
    if not unknown or not comparing:
        return False
    beside = {
        word
        for found in _SET_BESIDE.finditer(question, comparing.end())
        for word in re.findall(r"[A-Z][a-z]+", found["named"])
    }
    return any(
        name in beside and not lexical.speller.name_it_sounds_like(name.lower()) for name in unknown
    )


# A name that writes ("the way Ishiguro presents…") or is a place ("…at Hailsham") frames
# a comparison; it is not one of the people compared.
_NOT_COMPARED = re.compile(
    r"\b(?:how|way|does|did)\s+(?P<writer>[A-Z]\w+)(?:['’]s)?\s+"
    r"(?:present|portray|show|depict|describ|us(?:e|es)\b)\w*"
    r"|\bat\s+(?:the\s+)?(?P<place>[A-Z]\w+)"
)


def _framing_names(question: str) -> frozenset[str]:
    """The stems of the names a question sets as writing ("how Ishiguro presents…") or as
    a place ("…at Hailsham"): `_NOT_COMPARED`."""
    return frozenset(
        stem
        for match in _NOT_COMPARED.finditer(question)
        for stem in stems(words(match["writer"] or match["place"]))
    )


def names_in(text: str, lexical: LexicalIndex) -> frozenset[str]:
    """The stems of the notes' names (see `LexicalIndex.names`) a text uses."""
    return frozenset(stems(words(text))) & lexical.names


def compared_names(question: str, lexical: LexicalIndex) -> frozenset[str]:
    """The stems of the notes' names a question asks to compare ("Compare Ruth and
    Tommy", "How is Kathy's friendship with Ruth different from hers with Tommy?").

    "Compare the way Ishiguro presents Ruth and Tommy when they're at Hailsham" compares
    Ruth and Tommy: no passage names the writer and the place besides, and asked for all
    four the bonus had gone to a quotation set at Hailsham.
    """
    if not _COMPARING.search(question):
        return frozenset()
    named = names_in(question, lexical)
    # only names the notes too speak of so: not "Compare how Ruth uses Tommy and Kathy"
    framing = _framing_names(question) & lexical.writers_and_places
    return named - framing if len(named - framing) > 1 else named


def naming_all(passages: Sequence[Passage], names: frozenset[str]) -> tuple[Passage, ...]:
    """Add COMPARED_BONUS to each passage naming every one of `names`, and sort again.

    "Compare Ruth and Tommy" had opened with Kathy becoming Ruth's carer and never given
    "He portrays Ruth as a typical leader… and Tommy as the student who is often goaded…",
    the sentence that sets the two side by side.
    """
    return _boosted(passages, COMPARED_BONUS, lambda c: names <= set(stems(words(c.text))))


# Words asking how people get on: "the friendship between Kathy and Ruth", "Kathy and
# Tommy's relationship", "conflict in the friendship between Ruth and Kathy", "Is Ruth a
# good friend to Kathy?", "is kathy friends with ruth"; how close they are or how they
# get on ("…show that Kathy and Tommy are still close after years apart?" had opened with
# the three still close; first places +6, -0), not "the close of the novel", "close to
# the ending", "a closer look", "get on with her life" nor "get on the bus".
_RELATIONSHIP = re.compile(
    r"\b(?:between|relationships?|friendships?|bonds?|conflicts?|friends?\s+(?:to|with|of))\b"
    r"|(?<!\bthe\s)\bclose(?:r|st|ness)?\b(?!\s+(?:to\s+the\s+end\w*|reading|by|look)\b)"
    r"|\bg[eo]t(?:s|ting)?\s+(?:on|along)(?=\s+(?:well|badly|better|worse|together"
    r"|with\s+(?:each\s+other|one\s+another|(?-i:[A-Z])))\b|\s*(?:[?.!,;]|$))",
    re.I,
)
_CAPITALISED = re.compile(r"(?<![\w'’])[A-Z][\w'’-]*")


def people_named(text: str, lexical: LexicalIndex) -> frozenset[str]:
    """The notes' names a text uses (`names_in`: words the notes always capitalise), less
    those they use as a writer's or a place's. A name of two words counts as two ("Bob
    Cratchit")."""
    return names_in(text, lexical) - lexical.writers_and_places


def pair_asked(question: str, lexical: LexicalIndex) -> frozenset[str]:
    """The stems of the two people a question asks how they get on, or none: "Explore
    how Ishiguro presents the relationship between Kathy and Ruth" and "Is Ruth a good
    friend to Kathy?" ask about Kathy and Ruth; "Is the friendship between Kathy, Ruth and
    Tommy still strong?" about no pair.
    A question quoting the notes or asking for a quotation is left to what it quotes or
    asks for: "What does 'we knew and remembered things no one else did' suggest about
    Kathy and Ruth's friendship?" asks about the quotation, which names a place too."""
    if not _RELATIONSHIP.search(question) or words_quoted(question):
        return frozenset()
    if ASKS_FOR_QUOTATION.search(question):
        return frozenset()
    named = people_named(question, lexical)
    return named if len(named) == 2 else frozenset()


def naming_only(
    passages: Sequence[Passage], pair: frozenset[str], lexical: LexicalIndex
) -> tuple[Passage, ...]:
    """Add PAIR_BONUS to each passage naming the two and no one else, and sort again.

    Asked how Ishiguro presents the friendship between Kathy and Ruth, the answer had
    opened with "…the friendship between Kathy, Ruth and Tommy is still strong", which
    names them among three, before "Her past friendship with Ruth means more to Kathy
    than any quarrel…". Names count as `people_on` reads them: a quotation is on whom its
    point names. Any passage on the two alone gains, whatever it says of them: notes that
    never say how two get on may open with one on something else ("What is the bond
    between Macbeth and Duncan?" opens with sleep, "Straight after killing Duncan…", where
    the dagger speech had come first); limited to the three leading passages, the rule lost
    the question above, whose passage had come fourth.
    """
    return _boosted(passages, PAIR_BONUS, lambda chunk: people_on(chunk, lexical) == pair)


# "what about him…", "and he?", "ok, so what about the other one": a follow-up turning to
# someone, perhaps not named before
_TURNS_TO_SOMEONE = re.compile(
    r"\W*(?:(?:ok(?:ay)?|so|but|well)\W+)*(?:and|what about|how about|what of)\s+"
    r"(?:he|she|they|him|hers?|his|them|the other|someone else|anyone else|others?)\b",
    re.I,
)
# Asking which of them: "which reunion is warmer, tommys or ruths".
_EITHER = re.compile(r"\b(?:or|either|neither)\b", re.I)


def people_asked_about(query: Query, lexical: LexicalIndex) -> frozenset[str]:
    """The stems of the people a question asks about together, to rank passages on them
    above passages on others (`less_on_someone_else`): the notes' names it uses, less
    places, and less a writer or place framing it ("How does Shakespeare present…");
    a name of two words ("Bob Cratchit") is one person. A follow-up naming no one
    ("why?", "proof?") asks about whom the question before named, unless it turns to
    someone ("and him?"). None when it names no one, or just one who is not one of the
    notes' main people or whom a longer name holds ("Bob" of "Bob Cratchit"), or
    when it asks which of them ("…warmer, tommys or ruths?"): a passage on each is what
    it needs. ("Compare Ruth and Tommy" keeps them: a passage on both is what it needs
    most.)"""
    question = query.question
    if not people_named(question, lexical) and query.follow_up:
        if _TURNS_TO_SOMEONE.match(question):
            return frozenset()
        question = query.previous
    if _EITHER.search(question):
        return frozenset()
    people = people_named(question, lexical) - lexical.places - _framing_names(question)
    # "Bob Cratchit" is one person, though a passage may name him by either word
    runs = FULL_NAME.findall(question)
    counted = len(people) - sum(
        max(len(people_named(run, lexical) & people) - 1, 0) for run in runs
    )
    # One person is enough (stop 58; until then two): "whats ruth like at hailsham" had
    # opened with the students at Hailsham, and "Back in the Hailsham days, what part
    # does Tommy usually play in his group?" with Kathy's words at Dover (first places +3,
    # -0). Only one of the notes' main people, though, not "Christmas", and not one a
    # longer name holds: "Scrooge pays Cratchit" is on Bob Cratchit, asked "How is Bob
    # presented?" or "How is Bob Cratchit presented?".
    one = len(people) == 1 and people <= lexical.main_people() - lexical.names_in_longer_names
    return people if counted > 1 or one else frozenset()


def people_on(chunk: Chunk, lexical: LexicalIndex) -> frozenset[str]:
    """The stems of the people a passage names where it capitalises them (places are no
    one: `LexicalIndex.places`), with, for a quotation block, those the point it
    illustrates names: Kathy's words at Dover ("…the instant I saw her again…") name only
    their speaker, but are on Kathy and Ruth."""

    def named_in(chunk: Chunk) -> frozenset[str]:
        return people_named(" ".join(_CAPITALISED.findall(chunk.text)), lexical) - lexical.places

    named = named_in(chunk)
    at = lexical.position.get(chunk.id)
    if at and lexical.leaning.get(at - 1) == (at, "quotation"):
        named |= named_in(lexical.chunks[at - 1])
    return named


def less_on_someone_else(
    passages: Sequence[Passage], asked: frozenset[str], lexical: LexicalIndex
) -> tuple[Passage, ...]:
    """Subtract ELSEWHERE_PENALTY from each passage naming someone the question does not
    while leaving out someone it does (`people_asked_about`), and sort
    again: such a passage is on someone else. "Where does Kathy see Ruth again…?" had opened
    with "Later when Kathy meets Tommy for the first time in many years…" for its "see
    again", ahead of the Dover passage ("…the instant I saw her again…", which names only
    places). Places are no one (`LexicalIndex.places`): counted as people, "Dover" had
    made the Dover passage lose on dozens of questions about Kathy and Ruth.

    A quotation is on whom the point it illustrates names: the Dover quotation names only
    its speaker ("(Kathy)") and "her", and so had come first for "How long had it been
    since Kathy last saw Tommy?" for its "saw her again", though its point is Kathy
    choosing to care for Ruth."""

    def on_someone_else(chunk: Chunk) -> bool:
        named = people_on(chunk, lexical)
        return bool(named - asked) and bool(asked - named)

    if not any(on_someone_else(p.chunk) for p in passages):
        return tuple(passages)  # as they stand: a section's passages keep its order
    return _boosted(passages, -ELSEWHERE_PENALTY, on_someone_else)


def quotations_beside(top: Chunk, lexical: LexicalIndex) -> tuple[Chunk, ...]:
    """The quotations from the novel a passage cannot do without (see `needs_quotation`):
    too far from the question's words, they may not have been retrieved with it. Only
    the passages on either side are looked at (the index holds each file's passages in
    order), so this costs the same however long the notes are."""
    at = lexical.position.get(top.id)
    if at is None:
        return ()
    around = [*lexical.chunks[max(at - 1, 0) : at], *lexical.chunks[at + 1 : at + 2]]
    return tuple(chunk for chunk in around if needs_quotation(top, chunk))


def sentence_relevance(
    text: str, spans: SpanSearch, lexical: LexicalIndex, source: str | None
) -> SentenceRelevance:
    """Scores a passage's sentences as `rerank` scores passages: the rarity-weighted mean of
    each query token's best match inside the sentence. The answerer quotes by it, so
    "How do the students support each other?" quotes "…apart from the guardians, all
    they have is each other" rather than a sentence that merely repeats "students"."""

    weights: np.ndarray | None = None  # the same for every passage: worked out once

    def relevance(chunk: Chunk, sentences: Sequence[tuple[int, int]]) -> list[float]:
        nonlocal weights
        matches, token_words = spans(text, chunk, sentences)
        if weights is None:
            weights = token_weights(token_words, lexical, source)
        return weighted_match(matches, weights).tolist()

    return relevance


def weighted_match(matches: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Each row's (passage's or sentence's) weighted mean of its query tokens' best matches."""
    return matches @ weights / weights.sum()


QUOTED_RUN = 5  # words in a row a question shares with a passage to be quoting it …
QUOTED_CONTENT = 3  # … of them words that are not stopwords


def quotes_from(question: str, text: str) -> bool:
    """Does the question repeat QUOTED_RUN words of the text in a row, QUOTED_CONTENT of
    them not stopwords? Then it is about those words, whatever else it asks.

    "What does 'my heart had done a little leap' mean?" was declined: the sentence it
    quotes runs on for fifty words, so neither it nor the passage is close in meaning to
    the question. No off-topic question of our labelled sets shares even four such words
    in a row with its notes.

    Example: quotes_from("explain 'a little leap' of the heart", "My heart had done a
    little leap.") is False: "a little leap" is three words.
    """
    asked, said = words(question), words(text)
    runs = {tuple(said[i : i + QUOTED_RUN]) for i in range(len(said) - QUOTED_RUN + 1)}
    return any(
        run in runs and sum(w not in STOPWORDS for w in run) >= QUOTED_CONTENT
        for run in (tuple(asked[i : i + QUOTED_RUN]) for i in range(len(asked) - QUOTED_RUN + 1))
    )


def names_the_quotation(question: str, chunk: Chunk, lexical: LexicalIndex) -> bool:
    """Does the question name a quotation by words it holds, and is the passage that
    quotation, the only one of its file holding them: "What does the Dover quote mean?"
    and Kathy's words "…the instant I saw her again at that recovery centre in Dover…"?
    Nothing in the question but "Dover" is near them in meaning or word for word, and it
    had been declined; "…show?" was answered only because "show" is in the heading above
    it. "the Macbeth quote" names none: six quotations hold "Macbeth"."""
    named = set(quotation_named(question))
    if not named or not holds_quotation(chunk):
        return False
    holding = [
        c
        for c in lexical.chunks_of(chunk.source)
        if holds_quotation(c) and named <= set(words(c.text))
    ]
    return [c.id for c in holding] == [chunk.id]


# Words a question sets in quotation marks: an apostrophe inside or ending a word
# ("didn't", "Ruth's", "students'") opens and closes nothing.
# An apostrophe inside a word is no closing mark: "the 'didn't exactly vanish' part"
_SET_IN_QUOTES = re.compile(
    r"(?<!\w)['‘\"“]((?:[^'‘’\"“”\n]|(?<=\w)['’](?=\w)){2,120}?)['’\"”](?!\w)"
)
QUOTED_BONUS = 1.0  # the score a passage holding the words a question quotes gains


# A word named as one, without quotation marks: "the effect of the word snubs".
_THE_WORD = re.compile(
    r"\bthe (?:words?|verb|noun|adjective|adverb|term|phrase) ([a-z]{4,})\b(?!['’])"
    # not "the word used to describe Ruth", "the word count of my essay"
    r"(?! (?:to|for|by|of|in|on|that|which|who|is|was|are)\b)",
    re.I,
)
# A word whose meaning is asked: "what does goaded mean", "meaning of amicable".
_MEANING_OF = re.compile(
    r"\bwhat (?:does|do|did) ([a-z]{4,}) mean\b|\b(?:meaning|definition) of ([a-z]{4,})\b"
    r"|\bdefine ([a-z]{4,})\b",
    re.I,
)


_WHOSE_WORD = re.compile(
    r"\s+(?:uses?|used|says?|said|chooses?|chose|picks?|writes?|wrote|gives?|employs?)\b",
    re.I,
)


def _words_named(question: str) -> list[str]:
    """The words a question names as words, unquoted: "the word snubs", "what does goaded
    mean" -> ["snubs"], ["goaded"]."""
    # a word before "uses" or "says" is whose the word is ("the verb Kathy uses"), not
    # the word: "Kathy" had been the word asked about, against the comment on "seeking"
    named = [
        m[1]
        for m in _THE_WORD.finditer(question)
        if m[1].lower() != "used" and not _WHOSE_WORD.match(question, m.end(1))
    ]
    named += [next(g for g in m.groups() if g) for m in _MEANING_OF.finditer(question)]
    return [w.lower() for w in named if w.lower() not in STOPWORDS]


def words_quoted(question: str) -> list[tuple[str, ...]]:
    """The runs of words a question sets in quotation marks, each as `words` gives them,
    and a word it names as one ("the word snubs"). Only runs with a word written in lower
    case that is no stopword (of four letters or more, if it is one word) count: a title
    ("'Never Let Me Go'") or a name is no words of the notes asked about.

    Example: words_quoted("What does 'goaded' suggest about Tommy's role?") == [("goaded",)]
    """
    quoted = [
        run
        for m in _SET_IN_QUOTES.finditer(question)
        if (run := tuple(words(m[1])))
        and any(
            w not in STOPWORDS and (len(run) >= 2 or len(w) >= 4)
            for w in re.findall(r"\b[a-z][a-z']*", m[1])  # the words written in lower case
        )
    ]
    named = [(word,) for word in _words_named(question)]
    return quoted + [run for run in named if run not in quoted]


def holds_run(run: tuple[str, ...], text: str) -> bool:
    """Does the text hold these words one after another?"""
    said = words(text)
    return any(tuple(said[i : i + len(run)]) == run for i in range(len(said) - len(run) + 1))


def quotes_in_marks(question: str, text: str) -> bool:
    """Does the question set in quotation marks words that the text holds in that order,
    one of them written in lower case and not a stopword (of four letters or more, if it
    is one word), or name as a word one the text uses ("the word snubs", "what does goaded
    mean")? Then it asks about those words of the notes, as `quotes_from` finds for
    longer runs left unmarked.

    "What's the effect of the word 'instant' in 'the instant I saw her again'?" and "what
    does 'on the most amicable of terms' mean" were declined: each quotes two content
    words, and the question is far in meaning from the fifty-word sentence they are in.
    A title set in quotation marks ("'Never Let Me Go'") is no such sign. A word the
    question names as one ("the word snubs") and the text uses is.
    """
    # "Analyse the effect of the word snubs." was declined: one word, named as a word
    return any(holds_run(run, text) for run in words_quoted(question))


def prefer_quoted(
    passages: Sequence[Passage], question: str, lexical: LexicalIndex
) -> tuple[Passage, ...]:
    """Add QUOTED_BONUS to each passage holding words the question sets in quotation
    marks, and to the passage set out after such a quotation (which reads it), and sort
    again.

    "what does the word 'goaded' suggest about how tommy gets treated" asks what the
    notes say where they use "goaded"; asking what something suggests had put first the
    notes' one comment on a quotation ("Kathy’s use of the word seeking suggests…").
    "What does the imagery in 'Stars, hide your fires' show?" keeps first the passage
    after that quotation ("The contrast between light and darkness shows…"). A passage
    commenting on another word loses as much: "What does the word snubs suggest about
    Ruth?" had "Kathy’s use of the word seeking suggests…" as its evidence.
    """
    runs = words_quoted(question)
    if not runs:
        return tuple(passages)

    def gains(chunk: Chunk) -> bool:
        if any(holds_run(run, chunk.text) for run in runs):
            return True
        at = lexical.position.get(chunk.id)
        before = lexical.chunks[at - 1] if at else None  # the quotation it may read
        return (
            before is not None
            and before.kind == "quote"
            and before.source == chunk.source
            and any(holds_run(run, before.text) for run in runs)
        )

    boosted = _boosted(passages, QUOTED_BONUS, gains)
    # A comment on another word ("Kathy’s use of the word seeking suggests…") is not on it.
    return _boosted(boosted, -QUOTED_BONUS, lambda c: _on_another_word(c.text, runs))


_A_WORD_NAMED = re.compile(
    r"\bthe\s+(?:words?|verb|noun|adjective|adverb|term|phrase)\s+['‘“\"]?[a-z]{3,}"
    # … or asked for, of a quotation the student has: "which word in that quote should I
    # analyse and why?", "what word from the quotation shows…", "which word in Kathy's
    # quote shows…"
    r"|\b(?:which|what)\s+(?:(?:one|single|key)\s+)?(?:words?|verbs?|adjectives?|phrases?)"
    r"\s+(?:in|from|of)\s+(?:the|that|this|her|his|their|\w+['’]s)\s+(?:[\w’'-]+\s+)?"
    r"(?:quote|quotation|line)s?\b",
    re.I,
)


def asks_of_a_word(question: str) -> bool:
    """Does the question ask why a word it names is used, or what it shows ("In that quote
    about Kathy's donors, why is the word 'seeking' important?"), or which word of a
    quotation to analyse ("which word in the quote shows she tries hard?")? That asks for
    the notes' comment on the word, not for the quotation the question only points at."""
    return bool(_A_WORD_NAMED.search(question)) and bool(
        ASKS_WHY.search(question)
        or asks_what_it_shows(question)
        or ASKS_TO_ANALYSE_LANGUAGE.search(question)
    )


def _on_another_word(text: str, runs: Sequence[tuple[str, ...]]) -> bool:
    """Does the text comment on a word ("the word seeking") none of `runs` holds?"""
    return any(not any(m[1].lower() in run for run in runs) for m in _THE_WORD.finditer(text))


def is_answerable(
    best_similarity: float,
    known_share: float,
    unknown: Sequence[str],
    token_match: float = 0.0,
) -> bool:
    """Covered clearly (`is_sure`), or near enough to answer with a hedge: the closest
    sentence's similarity and the top passage's token match taken together.

    Each alone misses paraphrase: "Why do they stay close after so long apart?" is 0.42
    close to "After a considerable amount of time apart, the friendship … is still
    strong", and "was tommy bullied?" shares only "Tommy" with the notes, but the top
    passage matches their words in context (0.61, 0.39) well enough that the sum clears
    the line. Off-topic questions near the notes' subject can clear it too ("What happens
    to Tommy at the very end of the novel, does he complete?"), so such an answer opens
    by saying the notes may not answer the question directly (`conversation.HEDGE`), and the student
    judges from the passages shown. `unknown` is as for `is_sure`.
    """
    if unknown:
        return best_similarity >= NAMED_UNKNOWN_AT
    return (
        is_sure(best_similarity, known_share, unknown, token_match)
        or best_similarity + NEAR_TOKEN_WEIGHT * token_match >= NEAR_AT
    )


def is_sure(
    best_similarity: float,
    known_share: float,
    unknown: Sequence[str],
    token_match: float = 0.0,
) -> bool:
    """Clearly covered: a passage is close in meaning, the more so the fewer of the
    question's (rarity-weighted) words the notes use, or one passage matches nearly every
    (rarity-weighted) question word token by token.

    The second way catches short questions about a rare thing the notes mention in passing
    ("What is Dover?"): no sentence is about Dover, so none is close in meaning, but one
    passage says "Dover". A question naming something the notes never mention ("Hamlet",
    "Harry Potter"; `unknown`) is not covered unless a passage is nearly a paraphrase of
    it. Both lines were drawn with the widest margin between our labelled in-scope and
    out-of-scope questions.
    """
    if unknown:
        return best_similarity >= NAMED_UNKNOWN_AT
    return (
        best_similarity >= ANSWERABLE_AT - SHARE_RELIEF * known_share
        or token_match >= TOKEN_ANSWERABLE_AT
    )
