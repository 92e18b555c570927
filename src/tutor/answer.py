"""Compose a short tutor-style answer from retrieved passages, every sentence verbatim and cited.

The default `ExtractiveAnswerer` needs no language model: it leads with the best
passage (the point), adds the best sentence of the next passages (the evidence),
and, where the notes quote the novel near that point, the key quotation. "Best" is
by token matching when the tutor provides it (the question's words met in context:
"What do the students have instead of a family?" finds "With no actual family to
turn to…"), else by shared words. Each sentence is copied exactly and followed by its
`[n]`; `verify_citations` then re-checks every citation against the source text
before anything is shown.

An LLM backend implements the same `Answerer` protocol; its draft goes through the
same verification, so a model can never show a citation the notes do not contain.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from tutor.asking import (
    ASKS_FOR_PARAGRAPH,
    ASKS_FOR_QUOTATION,
    ASKS_TO_ANALYSE_LANGUAGE,
    ASKS_WHY,
    asks_for_gist,
    asks_what_a_quotation_shows,
    asks_what_it_means,
    asks_what_it_shows,
    plain_question,
    requests_only,
    said_by,
)
from tutor.conversation import (
    AS_A_PARAGRAPH,
    IN_SHORT,
    NO_QUOTATION_ON_THIS,
    NOTHING_FURTHER,
    NOTHING_MORE,
    PARAGRAPH_LABELS,
    answered,
    is_follow_up,
    names_nothing,
    previous_question,
    told_point,
    turns,
    user_turns,
)
from tutor.display import plain_text, visible
from tutor.documents import (
    MID_ATTRIBUTION,
    SPEAKER,
    WHOLE_CHARS,
    comments_on_a_quotation,
    holds_quotation,
    illustrates,
    introduces_a_quotation,
    is_speech,
    needs_quotation,
    next_to,
    quotes_the_text,
    sentence_spans,
    shown_span,
    speaks_of_the_quotation,
    spliced_speech,
    whole_speech_sentences,
    with_table_rows,
)
from tutor.lexical import (
    CONSEQUENCE_OPENERS,
    leans_back,
    reads_the_one_before,
)
from tutor.records import Chunk, Citation, Document, Passage
from tutor.retrieve import (
    GIVES_A_REASON,
    SentenceRelevance,
    asks_of_a_word,
)
from tutor.words import (
    DEMONSTRATIVES,
    content_words,
    stems,
    subjects,
    words,
)

# What comes before the suggested questions: after an answer, or after "not covered".
SUGGESTIONS_AFTER = {
    True: "You could also ask:",
    False: "The notes can answer questions like these:",
}
# A sentence opening like this turns from what came before rather than going on from it.
TURNING = re.compile(
    r"(?:however|but|yet|instead|although|though|whereas|nevertheless|on the other hand)\b",
    re.IGNORECASE,
)
# How the gist of the answer before opens ("tl;dr" after it).
QUOTATION_LABEL = "**Key quotation:**\n\n"
# A message that is only a greeting, a thank-you, a goodbye or an acknowledgement gets a
# reply in kind, not "I can't find this in the study notes" nor an answer as if it asked
# something ("hi", "thanks!", "thank you so much, that helps", "ok bye", "k thx", "cool").
# Anything more ("hi, who is Ruth?") is a question. The reply to the last kind a message
# holds: "thanks, bye" is a goodbye, "hey, thanks" a thank-you.
ACKNOWLEDGED = "OK! Ask me another question about your notes, or pick one below."
_NERVES = (
    "Exam nerves are normal, and revising like this is the right thing to do. Take it one"
    " question at a time: ask me about a character, a theme or a quotation, or pick one below."
)
_SMALL_TALK = (
    (  # first, so "ok thanks" is thanked and "ok bye" seen off
        "ok okay k kk cool nice great perfect brilliant awesome amazing alright understood "
        "gotcha got sense sweet noted lol lmao haha hahaha xd",
        ACKNOWLEDGED,
    ),
    (
        "hi hiya hello hey heya yo howdy morning afternoon evening sup wassup",
        "Hello! Ask me a question about your notes, or pick one below.",
    ),
    (  # after hello, so "hey, how's your day going?" is answered as asked
        "howareyou hru",
        "I'm well, thanks for asking! Ask me a question about your notes, or pick one below.",
    ),
    (  # after hello, so "hey, can you help me?" is helped; before thanks, so "thanks for
        # the help" is thanked
        "help helpme",
        "I answer questions about your study notes, quoting them with numbered sources you "
        'can open. Ask about a character, a theme or a quotation ("How is friendship '
        'shown?"), ask for a summary or the key quotations, or pick a question below.',
    ),
    (  # before thanks, so "thanks, I feel less stressed" is thanked
        "stressed stress stressing worried worry worrying nervous anxious scared panicking "
        "panic freaking overwhelmed",
        _NERVES,
    ),
    (
        "thanks thank thanx thx ty cheers ta",
        "You're welcome! Ask another question whenever you like, or pick one below.",
    ),
    (
        "bye goodbye byee cya night",
        "Good luck with your revision! Come back whenever you have a question.",
    ),
)
# Words that may come with them: "thank you so much, that was really helpful".
_SMALL_TALK_ALSO = frozenset(
    """
    you so much very a lot loads again that this it helps helped helpful was is really
    great useful ok okay cool nice perfect brilliant awesome amazing tutor there everyone
    all good see ya for now then later guys thats its me please pls can could i need some
    the with makes going doing today tonight been
    revise revising revision exam exams tomorrow study studying have my
    im am so about tmrw tmr tomorrows mock mocks feel feeling kinda bit less out of
    """.split()
)
# "how are you", "how r u", "how's your day going?", "how's it going": asked of the
# tutor, not of a character (the words a message may hold besides must all be small
# talk's, so "how are you meant to read Ruth?" is not), nor "how's that?" after an answer.
_HOW_ARE_YOU = re.compile(  # on a message without apostrophes: "how's" is "hows"
    r"\bhow(?:\s+(?:are|r)\s+(?:you|u|ya)|\s+(?:are\s+)?you\s+doing"
    r"|(?:s|\s+is)\s+(?:your\s+day|it\s+going|things|life))\b"
)


# "why?", "tell me more" or "what happens next?" with nothing asked before: nothing to
# look up, and "I can't find this in the study notes" would blame the notes.
NEEDS_A_QUESTION = (
    "I need a question to go on: ask me about something in your notes (a character, a "
    "theme, a quotation), or pick one below."
)
_SMALL_TALK_KINDS = [(frozenset(keys.split()), reply) for keys, reply in _SMALL_TALK]
_SMALL_TALK_WORDS = _SMALL_TALK_ALSO.union(*(keys for keys, _ in _SMALL_TALK_KINDS))


def small_talk_reply(message: str, history: Sequence[dict] = ()) -> str | None:
    """The reply to a message that is only a greeting, thanks, goodbye, call for help or
    acknowledgement ("ok", "cool": a question needed if nothing was asked before, none
    with a question mark), or that leans on a question when none was asked
    (`names_nothing`), else None."""
    asked = [t for t in user_turns(history) if not _greeting_reply(t)]  # not "hi"
    if reply := _greeting_reply(message):
        if reply == ACKNOWLEDGED and "?" in message:  # "ok?", "was it nice?": asked
            return None
        return NEEDS_A_QUESTION if reply == ACKNOWLEDGED and not asked else reply
    if not asked and names_nothing(message):
        return NEEDS_A_QUESTION
    return None


def is_small_talk(message: str) -> bool:
    """Is the message only a greeting, thanks, goodbye, acknowledgement or call for help?"""
    return _greeting_reply(message) is not None


def _greeting_reply(message: str) -> str | None:
    """The reply to a greeting, thanks, goodbye or call for help, else None."""
    plain = re.sub(r"\bwhats\s+up\b", "wassup", re.sub(r"['’]", "", message.lower()))
    plain = _HOW_ARE_YOU.sub("howareyou", plain)
    said = {_unstretched(word) for word in re.findall(r"[a-z]+", plain)}
    if not said or not _SMALL_TALK_WORDS.issuperset(said):
        return None
    replies = [reply for keys, reply in _SMALL_TALK_KINDS if keys & said]
    if replies[-1:] == [_NERVES] and _NERVOUS_WHO.isdisjoint(said):
        return None  # "stress", "worry": words of a topic too, unless someone feels them
    return replies[-1] if replies else None


def _unstretched(word: str) -> str:
    """A small-talk word typed stretched ("heyyy", "hii", "byeee", "sooo") as it is
    spelt; any other word as it is."""
    if word in _SMALL_TALK_WORDS:
        return word
    for spelt in (re.sub(r"(.)\1+", r"\1", word), re.sub(r"(.)\1{2,}", r"\1\1", word)):
        if spelt in _SMALL_TALK_WORDS:
            return spelt
    return word


# Whose nerves: the student's, or about an exam ("scared of exams").
_NERVOUS_WHO = frozenset("i im am my me feel feeling exam exams revision".split())


# The point: the top passage, or its best sentences up to this size. A paragraph the
# notes keep whole (documents.WHOLE_CHARS) is quoted whole: cut short, "If the pacemaker
# cells stop working properly, an artificial pacemaker can be fitted." lost the sentence
# saying what one is, and "…Ruth hurts Kathy greatly…" lost "…their fondness for each
# other has returned".
POINT_CHARS = WHOLE_CHARS
ANSWER_CHARS = POINT_CHARS + 280  # the point and the evidence, quotation excluded
EVIDENCE_SHARE = 0.4  # evidence comes from passages scoring at least this share of the top


@dataclass(frozen=True)
class Draft:
    """An answer before verification: markdown with [n] markers and the citations they name."""

    markdown: str
    citations: tuple[Citation, ...]


class Answerer(Protocol):
    def compose(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[dict],
        relevance: SentenceRelevance | None = None,
        beside: Sequence[Passage] = (),
        goes_on: bool = False,
    ) -> Draft:
        """Write an answer grounded in `passages`, citing them as [1], [2], …

        `relevance`, when the tutor can give it, scores a passage's sentences against the
        question (token matching, see retrieve.py); `beside` holds quotations the first
        three passages introduce or comment on that were not retrieved with them (see
        `retrieve.quotations_beside`), which the answer may quote too; `goes_on` says the
        question asks what comes next (see `conversation.what_next_asked`), so the answer goes
        on from what the last answer told. A backend may ignore all three.
        """
        ...


@dataclass(frozen=True)
class Sentence:
    passage_rank: int
    start: int  # absolute offsets in the source document
    end: int
    text: str


# Scores sentences of one passage: how well each answers the question, higher is better.
Scorer = Callable[[Passage, Sequence[Sentence]], Sequence[float]]


def _shows_a_quotation(citation: Citation) -> bool:
    """Does the cited span itself quote the set text? The span, not its passage: a passage
    may quote the novel in a sentence the answer left out."""
    return citation.passage.chunk.kind == "quote" or quotes_the_text(citation.quote)


def _opens_with_a_quotation(draft: Draft) -> bool:
    """Does the answer open with a quotation, or with a point and the quotation it
    introduces or comments on (`needs_quotation`)?"""
    if not draft.citations:
        return False
    first = draft.citations[0]
    return _shows_a_quotation(first) or any(
        needs_quotation(first.passage.chunk, c.passage.chunk) for c in draft.citations[1:]
    )


def lacks_the_quotation_asked(question: str, draft: Draft) -> bool:
    """Was a quotation asked for, with more ("What does Ruth do at the Cottages? give me a
    quote", "Is there a quotation showing Ruth snubs Kathy?"), and does the answer cite
    no passage quoting the text? Such an answer keeps what answers the question, but had
    not said that the notes quote nothing on it. A bare request ("any quotes?") is
    answered otherwise (`ExtractiveAnswerer.compose`)."""
    return (
        bool(draft.citations)
        and bool(ASKS_FOR_QUOTATION.search(question))
        and not asks_what_a_quotation_shows(question)
        and not requests_only(question)
        and not any(
            _shows_a_quotation(c) or holds_quotation(c.passage.chunk) for c in draft.citations
        )
    )


class ExtractiveAnswerer:
    """Answers by quoting the notes: point, evidence, key quotation."""

    def compose(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[dict],
        relevance: SentenceRelevance | None = None,
        beside: Sequence[Passage] = (),
        goes_on: bool = False,
    ) -> Draft:
        draft = self._compose(question, passages, history, relevance, beside, goes_on)
        if (
            not (ASKS_FOR_QUOTATION.search(question) and requests_only(question))
            or not draft.citations
            or _opens_with_a_quotation(draft)
        ):
            return draft
        # Asked only for a quotation ("any quotes?" after an answer on the Cottages, which
        # the notes quote nothing on): the answer had been that passage again. Now it says
        # so, and gives the nearest that quotes one; also when it opens with a point that
        # quotes nothing and brings a quotation on something else after it ("quote?"
        # after "He is often goaded into making a fool of himself", which gave that point
        # and then "The notes also point out:" the quotation on quarrels). A question
        # asking more keeps its answer (`lacks_the_quotation_asked`).
        source = passages[0].chunk.source
        quoting = [p for p in passages if p.chunk.source == source and holds_quotation(p.chunk)]
        if not quoting or quoting[0] is passages[0]:  # a quotation it left out: no nearer
            return draft
        rest = [p for p in passages if p is not quoting[0]]
        nearest = self._compose(question, [quoting[0], *rest], history, relevance, beside)
        return Draft(f"{NO_QUOTATION_ON_THIS}\n\n{nearest.markdown}", nearest.citations)

    def _compose(
        self,
        question: str,
        passages: Sequence[Passage],
        history: Sequence[dict],
        relevance: SentenceRelevance | None = None,
        beside: Sequence[Passage] = (),
        goes_on: bool = False,
    ) -> Draft:
        if not passages:
            return Draft("", ())
        # One answer speaks from one notes file: notes on two novels must not bleed together.
        source = passages[0].chunk.source
        retrieved = len(passages)  # evidence comes from these; `beside`, after them, is not
        passages = [p if p.chunk.source == source else None for p in [*passages, *beside]]
        if ASKS_FOR_PARAGRAPH.search(question):
            passages = _comment_with_its_quotation_first(passages, retrieved)
            passages = _point_before_quotation(passages)
        asked = [question]
        history = answered(history, question)  # as the search leans on it
        follow_up = goes_on or is_follow_up(question, history)
        if follow_up:
            asked.append(previous_question(history))
        score = _scorer(set(stems(content_words(" ".join(asked)))), relevance)
        words = frozenset(stems(content_words(question)))  # naming a table's row
        told = "".join(turns(history, "assistant")[-1:]) if follow_up else ""
        explains_told = False
        if goes_on:
            told_points = _wording(" ".join(map(told_point, turns(history, "assistant"))))
            passages, retrieved, chosen = _going_on(passages, retrieved, score, told, told_points)
            if not chosen:
                return Draft(NOTHING_FURTHER, ())
            # the evidence tells nothing again, nor the quotation any earlier point
            said = _wording(plain_text(told)) + " " + told_points
        else:
            # a paragraph on what was just told is built from it, not from what is left, and
            # "which words should I focus on" reads the quotation just given
            reads = asks_what_it_means(question)
            # "what does that mean?" after an answer opening with a quotation asks for the
            # notes' reading of it, not for more of the notes, nor for the quotation again;
            # after an answer in the notes' own words, for more of them
            reading = (
                _reading_of(_opening_quotation(told, passages), passages)
                if reads and not subjects(plain_question(question))
                else None
            )
            explains_told = reading is not None
            on_it = (
                ASKS_FOR_PARAGRAPH.search(question)
                or ASKS_TO_ANALYSE_LANGUAGE.search(question)
                or explains_told
            )
            told_words = "" if on_it else _wording(plain_text(told))
            if explains_told:
                passages = [reading, *(p for p in passages if p is not reading)]
            chosen = _point(passages[0], score, told_words, words, reads)
            speaker = None if _asks_for_a_quotation(question) else _speaker_asked(question)
            if len(chosen) == 1 and (speaker or _asks_for_a_quotation(question)) and not follow_up:
                chosen = [_speech_if_asked(chosen[0], passages[0], score, speaker)]  # one's
            said = _wording(plain_text(told)) if explains_told else ""
            if told and asks_for_gist(question):  # "tl;dr" after an answer
                return _gist(passages, retrieved, chosen, score, told, words, asked[-1])
            if (
                told
                and not subjects(plain_question(question))  # "why?", "tell me more"
                and not on_it  # "write a paragraph on that", "which words should I focus on"
                # "give me a quote" or "evidence for that": the quotation, told or not;
                # "another quote": not it
                and not (_ASKS_FOR_EVIDENCE.search(question) and not asks_for_another(question))
            ):
                told_all = _wording(plain_text(" ".join(turns(history, "assistant"))))
                again = _beyond_told(
                    passages, retrieved, chosen, score, told_all, question, told_point(told)
                )
                if again is None:
                    return Draft(NOTHING_MORE, ())
                passages, retrieved, chosen, said = again
        quotation = _unless_told(_key_quotation(passages, chosen), said)
        used = sum(len(s.text) for s in chosen)
        # Scores say least for a follow-up (ranked on two questions at once) and when a
        # bonus raised the top passage (asked for a quotation, or what one shows).
        held_to_share = not (
            follow_up or ASKS_FOR_QUOTATION.search(question) or asks_what_it_shows(question)
        )
        for rank, passage in enumerate(passages[1 : min(3, retrieved)], start=1):
            if passage is None or (quotation and rank == quotation.passage_rank):
                continue
            if held_to_share and _far_below(passage, passages[0]):
                continue
            best = _best_sentence(passage, rank, score, ANSWER_CHARS - used, words)
            if best and not _overlaps(best, chosen) and not _is_told(best, said):
                evidence = _with_lead_in(passage, rank, best, ANSWER_CHARS - used)
                if not evidence:
                    continue
                evidence += _follow_through(passage, rank, evidence, ANSWER_CHARS - used)
                chosen.extend(evidence)
                used += sum(len(s.text) for s in evidence)
        # Evidence may comment on a quotation of its own ("Kathy’s use of the word seeking
        # suggests…"): with no key quotation yet, that one is it.
        if quotation is None:
            ranks = dict.fromkeys(s.passage_rank for s in chosen if s.passage_rank)
            needing = [passages[rank].chunk for rank in ranks if passages[rank]]
            quotation = _key_quotation(passages, chosen, needing) if needing else None
            quotation = _unless_told(quotation, said)
        if explains_told:  # the quotation asked about was just given; no other is
            quotation = None
        place = _quotation_place(chosen, quotation, passages)
        as_paragraph = bool(ASKS_FOR_PARAGRAPH.search(question))
        if as_paragraph and quotation is None:  # evidence from the novel, where it is beside
            quotation = _quotation_beside_point(passages, chosen)
        return _render(passages, chosen, quotation, place, as_paragraph)


def _opening_quotation(told: str, passages: Sequence[Passage | None]) -> Chunk | None:
    """The quotation set out in the notes (a quoted block) that the answer told opens
    with, as the passage it is among those at hand, if any."""
    paragraphs = plain_text(told.removeprefix(QUOTATION_LABEL)).split("\n\n")
    opening = next((p for p in paragraphs if p.strip()), "")
    return next(
        (
            p.chunk
            for p in passages
            if p is not None and p.chunk.kind == "quote" and p.chunk.text[:60] in opening
        ),
        None,
    )


def _reading_of(quotation: Chunk | None, passages: Sequence[Passage | None]) -> Passage | None:
    """The notes' own words set out beside the quotation, quoting nothing: the comment
    after it, else the point before it. Asked what a quotation just given means, that is
    the answer; "what does that mean?" after "… I started seeking out for my donors…" had
    been answered with the notes' opening paragraph, and a reading of any other quotation
    would be no better."""
    if quotation is None:
        return None
    beside = [p for p in passages if p is not None and not holds_quotation(p.chunk)]
    after = [p for p in beside if next_to(quotation, p.chunk)]
    before = [p for p in beside if next_to(p.chunk, quotation)]
    return (after or before or [None])[0]


def _sentences(
    passage: Passage, rank: int, whole_speech: bool = True, asked: frozenset[str] | None = None
) -> list[Sentence]:
    """The passage's sentences; with `whole_speech`, one spoken quotation is one sentence.
    A table is one, or, when the question (its word stems, `asked`) names one row by its
    first cell, that row alone: "Who is Gerald Croft?" is answered by his row, "Compare arteries
    and veins." by the table."""
    chunk = passage.chunk
    if chunk.kind in ("list", "quote"):
        return [Sentence(rank, chunk.start, chunk.end, chunk.text)]
    split = whole_speech_sentences if whole_speech else sentence_spans
    spans = split(chunk.text, chunk.start)
    if asked is not None and "|" in chunk.text:
        spans = _tables_as_units(chunk, with_table_rows(chunk.text, chunk.start, split), asked)
    return [Sentence(rank, s, e, chunk.text[s - chunk.start : e - chunk.start]) for s, e in spans]


def _tables_as_units(
    chunk: Chunk, spans: Sequence[tuple[int, int]], asked: frozenset[str]
) -> list[tuple[int, int]]:
    """`spans` (sentences, and each table row on its own) with each table made one span,
    or the one row (not the header) whose first cell the question names (see
    `_names_the_row`)."""
    text, at = chunk.text, chunk.start
    units: list[tuple[int, int]] = []
    for is_row, group in itertools.groupby(
        spans, key=lambda span: bool(_ROW.fullmatch(text[span[0] - at : span[1] - at]))
    ):
        rows = list(group)
        if not is_row:
            units += rows
            continue
        named = [
            (start, end)
            for start, end in rows
            if not _HEADER_RULE.match(text[end - at :])  # a header row names no row
            and _names_the_row(asked, _first_cell(text[start - at :]))
        ]
        units += named if len(named) == 1 else [(rows[0][0], rows[-1][1])]
    return units


_ROW = re.compile(r"\|[^\n]*\|")  # a table row, as `with_table_rows` gives it
_HEADER_RULE = re.compile(r"[ \t]*\n[ \t]*\|?[ \t]*:?-{3,}")  # the rule line after a header


def _names_the_row(asked: frozenset[str], first_cell: str) -> bool:
    """Does the question use every word of the row's first cell? "Who is Gerald Croft?"
    names his row; "…Macbeth hiding his ambition" does not name "vaulting ambition"."""
    cell = set(stems(content_words(first_cell)))
    return bool(cell) and cell <= asked


def _first_cell(row: str) -> str:
    """The first cell of a markdown table row: "| Gerald Croft | …" -> " Gerald Croft "."""
    return row.lstrip("|").split("|", 1)[0]


def _scorer(query: set[str], relevance: SentenceRelevance | None) -> Scorer:
    """How well each sentence answers the question: by token matching when the tutor
    gives it, else by how many of the question's (stemmed) words the sentence uses."""
    if relevance is not None:
        return lambda passage, sentences: relevance(
            passage.chunk, [(s.start, s.end) for s in sentences]
        )
    return lambda _, sentences: [len(query & set(stems(content_words(s.text)))) for s in sentences]


def _point(
    passage: Passage,
    score: Scorer,
    told: str = "",
    asked: frozenset[str] = frozenset(),
    reads: bool = False,
) -> list[Sentence]:
    """The top passage is the point: whole when short, else the earliest run of its
    sentences (up to POINT_CHARS) that holds the one answering best (the first on a tie),
    so the point leads up to its key sentence. A run that would open leaning on the
    sentence before it ("Friendships are very important to them.") starts there instead.

    A follow-up's point skips the sentences before its key one that the answer before
    (its words, `told`) quoted, and does not bring one back to lean on: "Do they make up
    in the end?" after "How does Ruth treat Kathy at the Cottages?" leads with "However by
    the end of the novel…", not with Ruth snubbing Kathy again.

    Asked what something means (`reads`), a sentence right after the key one that says
    what it shows or suggests is the one that answers, and the run holds it: "What does
    the 'vaulting ambition' image mean?" had stopped at the quotation, before "The image
    of a rider leaping onto a horse… suggests that ambition which goes too far destroys
    itself."
    """
    sentences = _sentences(passage, 0, asked=asked)
    key = _key_sentence(passage, sentences, score)
    if _ROW.fullmatch(sentences[key].text):  # a table's row the question names
        return [sentences[key]]
    if reads and key + 1 < len(sentences) and _SAYS_WHAT_IT_MEANS.search(sentences[key + 1].text):
        key += 1
    start = 0
    while start < key and _is_told(sentences[start], told):
        start += 1
    for first in range(start, key + 1):
        run = _run(sentences[first:])
        if first + len(run) > key:
            if first > start and leans_back(run[0].text):  # "Friendships are very important…"
                run.insert(0, sentences[first - 1])  # over POINT_CHARS by one sentence
            return run
    return sentences[key : key + 1]  # not reached: the run from `key` always holds it


# A sentence reading the one before it: "The image… suggests that…", "This shows…".
_SAYS_WHAT_IT_MEANS = re.compile(
    r"\b(?:suggests?|shows?|implies|means|reveals?|symboli[sz]es|represents?)\s+(?:that|how)\b",
    re.I,
)


def _beyond_told(
    passages: list[Passage | None],
    retrieved: int,
    point: list[Sentence],
    score: Scorer,
    said: str,
    question: str,
    last_point: str = "",
) -> tuple[list[Passage | None], int, list[Sentence], str] | None:
    """The passages, how many were retrieved, the point and what was said, for a follow-up
    asking nothing of its own ("why?", "tell me more") when its `point` would be the
    answer before's (its words, `said`) again, word for word; as they were when not.

    Asked why, the point is the sentence of it that gives a reason ("…and as a result,
    often snubs Kathy…"), unless the last answer gave just that (`last_point`: "why?"
    again). Else it is the point of the best passage found that no answer before quoted,
    and the evidence after it too tells nothing again. None when there is nothing left.
    """
    if not all(_is_told(s, said) for s in point):
        return passages, retrieved, point, ""
    if ASKS_WHY.search(question):  # a reason not given as the last answer's point
        reasons = [
            s
            for s in point
            if GIVES_A_REASON.search(s.text) and _wording(s.text) != _wording(last_point)
        ]
        if reasons:
            given = _with_its_ground(reasons[0], passages, point)
            if _wording(" ".join(s.text for s in given)) != _wording(last_point):  # "why?" again
                return passages, retrieved, given, said
    for rank in range(1, retrieved):
        passage = passages[rank]
        if passage is None:
            continue
        untold = [s for s in _point(passage, score, said) if not _is_told(s, said)]
        if untold:
            rest = [p for i, p in enumerate(passages) if i != rank]
            moved = [passage, *rest]
            return moved, retrieved, untold, said  # its sentences are ranked 0 already
    return None


def _with_its_ground(
    reason: Sentence, passages: Sequence[Passage | None], point: list[Sentence]
) -> list[Sentence]:
    """A sentence giving a reason, with the one before it when it draws a consequence:
    "Therefore, their friendships become more…" says what follows from the sentence
    before it, which gives the reason ("…all they have is each other"), even when the
    point skipped that one as told already."""
    rank = reason.passage_rank
    whole = _sentences(passages[rank], rank) if passages[rank] else point
    at = next((i for i, s in enumerate(whole) if s.start == reason.start), 0)
    if at and CONSEQUENCE_OPENERS.match(reason.text):
        return whole[at - 1 : at + 1]
    return [reason]


# Only asking for another of what was asked for last: "another one", "and one more?".
_ANOTHER_ONE = re.compile(
    r"^\W*(?:(?:and|ok|okay|now|right|cool)\W+)?(?:another|one\s+more|any\s+more|more)"
    r"(?:\s+(?:one|ones|pls|please))*\W*$",
    re.I,
)


def asks_for_another_quotation(question: str, history: Sequence[dict]) -> bool:
    """Does a follow-up ask for a quotation other than those given ("give me another
    quote"), or only for another of what was asked last, a quotation ("another one" after
    "give me a quote about Kathy and Ruth", and "and one more" after that)?"""
    if not turns(history, "assistant") or not asks_for_another(question):
        return False
    if ASKS_FOR_QUOTATION.search(question):
        return True
    if not _ANOTHER_ONE.match(question):
        return False
    before = [q for q in user_turns(history) if not _ANOTHER_ONE.match(q)]
    return bool(before) and bool(ASKS_FOR_QUOTATION.search(before[-1]))


def untold_quotation_first(
    passages: Sequence[Passage],
    history: Sequence[dict],
    others: Sequence[Sequence[Passage]] = (),
) -> tuple[list[Passage], bool] | None:
    """For "another quote": the passages with the best one quoting the text in words no
    answer before gave first; failing one among `passages`, the first such of `others`
    (the file's other passages quoting the text, each with the passage reading it, if
    one does), with True and only its reading after it: the passages found were on the
    request before, not on it. None when none is left. After the quotation come only
    passages no answer quoted from: a passage half told had had its told sentence under
    "The notes also point out" again. "give me another quote" had given the next point
    not yet told, often the notes' own words ("With no actual family to turn to…"),
    passed off as a quotation."""
    said = _wording(plain_text(" ".join(turns(history, "assistant"))))

    def untold(passage: Passage, rank: int) -> bool:
        sentences = _sentences(passage, rank)
        quoting = [s for s in sentences if quotes_the_text(s.text)] or sentences
        return holds_quotation(passage.chunk) and any(not _is_told(s, said) for s in quoting)

    def none_told(passage: Passage, rank: int) -> bool:
        return not any(_is_told(s, said) for s in _sentences(passage, rank))

    rest = [p for at, p in enumerate(passages) if none_told(p, at)]
    for rank, passage in enumerate(passages):
        if untold(passage, rank):
            return [passage, *(p for p in rest if p is not passage)], False
    for quotation, *reading in others:
        if untold(quotation, 0):
            return [quotation, *(p for at, p in enumerate(reading, 1) if none_told(p, at))], True
    return None


# Asking for the text's words on what was said: "give me a quote", "evidence for that?"
_ASKS_FOR_EVIDENCE = re.compile(rf"{ASKS_FOR_QUOTATION.pattern}|\b(?:evidence|proof)\b", re.I)
_ANOTHER = frozenset("another other others more different else new".split())


def asks_for_another(question: str) -> bool:
    """Does the question ask for something other than what was told ("another quote")?"""
    return not _ANOTHER.isdisjoint(words(question.lower()))


def _gist(
    passages: list[Passage | None],
    retrieved: int,
    chosen: list[Sentence],
    score: Scorer,
    told: str,
    words: frozenset[str],
    asked_before: str = "",
) -> Draft:
    """The gist of the answer before (`told`), asked for by "tl;dr" or "can you sum that
    up?": the one sentence of its point that answers best, from the passage that point
    quoted. A quotation that was the point stays set out as one, without its label, and
    whole: a character's speech is one sentence here (see `_sentences`).

    The answer to a why-question (`asked_before`) sums up as its reason: "tl;dr" after
    "Why are the friendships so intense?" had given "People argue with each other, make
    up with each other…", the sentence matching the answer's own words best, where
    "…all they have is each other. Therefore, their friendships become… much more
    intense." is why."""
    if found := _told_in(passages[:retrieved], told):
        rank = found[0]
        passages = [passages[rank], *(p for i, p in enumerate(passages) if i != rank)]
        chosen = _point(passages[0], score, "", words)
        said = _wording(plain_text(told))  # the gist of what was told, not of the passage
        chosen = [s for s in chosen if _is_told(s, said)] or chosen
    reasons = [s for s in chosen if GIVES_A_REASON.search(s.text)]
    if reasons and ASKS_WHY.search(asked_before):
        gist = _with_its_ground(reasons[0], passages, chosen)
    else:
        gist = [chosen[_key_sentence(passages[0], chosen, score)]]
    draft = _render(passages, gist, None)
    markdown = draft.markdown.removeprefix(QUOTATION_LABEL)  # a quotation stays set out
    between = "\n\n" if markdown.startswith(">") else " "
    return Draft(f"{IN_SHORT}{between}{markdown}", draft.citations)


SPEECH_MARGIN = 0.025  # how much better the speech must answer than the lead-in's quotation


def _speaker_asked(question: str) -> str | None:
    """Who a question asks the words of, said to someone (`said_by`: "who does Kathy
    tell Tommy to go to…" -> "Kathy"), unless it asks why they were said or what they
    show."""
    if asks_what_it_shows(question) or ASKS_WHY.search(question):
        return None
    return said_by(question)


def _speech_if_asked(
    sentence: Sentence, passage: Passage, score: Scorer, speaker: str | None = None
) -> Sentence:
    """Asked for a quotation, or for what `speaker` says to someone, the speech spliced
    into a sentence of the notes (see `spliced_speech`) alone, unless a quotation in the
    notes' words before it answers better: "Which quotation shows Kathy comforting
    Tommy?" and "who does Kathy tell Tommy to go to…?" are Kathy's "'It’s nothing to
    worry about,' I said…", not the garbled lead-in on quarrels it was pasted after;
    "the quote where Ruth calls someone an idiot" keeps the lead-in, which quotes her,
    and so does "what does Ruth say to Tommy?": the speech is Kathy's."""
    chunk = passage.chunk
    at = spliced_speech(chunk.text, sentence.start - chunk.start, sentence.end - chunk.start)
    if at is None:
        return sentence
    cut = chunk.start + at
    rank, text = sentence.passage_rank, sentence.text
    speech = Sentence(rank, cut, sentence.end, text[cut - sentence.start :])
    said = SPEAKER.search(speech.text)
    if speaker and not (said and stems(words(said.group()))[:1] == stems([speaker.lower()])):
        return sentence
    quoted = MID_ATTRIBUTION.search(text, 0, cut - sentence.start)  # "…said: ‘The idiot! (Kathy)"
    if quoted is None:
        return speech
    lead = Sentence(rank, sentence.start, sentence.start + quoted.start(), text[: quoted.start()])
    lead_score, speech_score = score(passage, [lead, speech])
    return speech if speech_score > lead_score + SPEECH_MARGIN else sentence


def _asks_for_a_quotation(question: str) -> bool:
    """Does the question ask for a quotation, not about one ("what is that quote meant to
    show?", "why does Kathy say…", "which word in that quote should I focus on?")?"""
    return bool(ASKS_FOR_QUOTATION.search(question)) and not (
        asks_what_a_quotation_shows(question)
        or asks_what_it_shows(question)
        or ASKS_WHY.search(question)
        or asks_of_a_word(question)
    )


def _a_speech_alone(sentences: Sequence[Sentence]) -> bool:
    """Is it one sentence, one speech and nothing else (see `documents.is_speech`)?"""
    return len(sentences) == 1 and is_speech(sentences[0].text)


def _key_sentence(passage: Passage, sentences: Sequence[Sentence], score: Scorer) -> int:
    """The index of the sentence answering best, the first on a tie."""
    scores = score(passage, sentences)
    return max(range(len(sentences)), key=lambda i: (scores[i], -i))


def _going_on(
    passages: list[Passage | None],
    retrieved: int,
    score: Scorer,
    told: str = "",
    told_points: str = "",
) -> tuple[list[Passage | None], int, list[Sentence]]:
    """The passages and the point for a question asking what comes next ("What does she
    do then?"). It is scored by the turn before it, so the top passage's key sentence is
    what the student was told already: the point is the run of sentences after it. When
    the answer before (`told`) is the tutor's own, what it told is read from its point
    instead (see `conversation.told_point`): the passage the point quoted and the last of that
    passage's sentences it quoted, so a second "What happens next?" goes on from where
    the first one's answer stopped.

    When the told sentence ends its passage, the passage set out next in the notes (which
    `retrieve.with_what_follows` ranks second) is the point, from its start, and the
    passage told before is left out, so the evidence does not tell it again. A passage
    after it that an earlier answer told whole as its point (the words of every point
    told before, `told_points`) is passed over: "what does she do then?" after "why?"
    after "Where does Kathy see Ruth again?" had given the Dover quotation of the first
    answer again. With no passage after it in its file, there is no point at all: the
    notes end there."""
    found = _told_in(passages[:retrieved], told)
    # `retrieve.with_what_follows` ranked its next passage
    searched_top = not found or found[0] == 0
    if found:
        rank, key = found
        passages = [passages[rank], *(p for i, p in enumerate(passages) if i != rank)]
    top = passages[0]
    assert top is not None  # the first passage always speaks from its own file
    sentences = _sentences(top, 0)
    if not found:
        key = _key_sentence(top, sentences, score)
    if key + 1 < len(sentences):
        return passages, retrieved, _run(sentences[key + 1 :])
    following = [
        p
        for p in passages[1:retrieved]
        if p is not None and p.chunk.source == top.chunk.source and p.chunk.start >= top.chunk.end
    ]
    if not following:  # the notes end here, or what follows was not found
        return passages, retrieved, [] if searched_top else _point(top, score)
    following.sort(key=lambda p: p.chunk.start)
    untold = [p for p in following if not all(_is_told(s, told_points) for s in _sentences(p, 0))]
    after = (untold or following)[0]
    rest = [p for p in passages[1:] if p is not after]
    return [after, *rest], retrieved - 1, _run(_sentences(after, 0))


TOLD_CHARS = 20  # a shorter sentence found in the answer before may be there by chance


def _told_in(passages: Sequence[Passage | None], told: str) -> tuple[int, int] | None:
    """(rank, sentence index): the passage whose sentence the point of the answer `told`
    opens with, and the last of its sentences that point quotes; None when it quotes none
    of them (an answer written by someone else). Compared word by word, so the answer's
    markdown and markers do not matter."""
    said = _wording(told_point(told))
    found = []  # (where in the point, passage rank, sentence index)
    for rank, passage in enumerate(passages):
        for index, sentence in enumerate(_sentences(passage, rank) if passage else []):
            wanted = _wording(sentence.text)
            if len(wanted) >= TOLD_CHARS and (at := said.find(wanted)) >= 0:
                found.append((at, rank, index))
    if not found:
        return None
    rank = min(found)[1]
    return rank, max(index for _, r, index in found if r == rank)


def _wording(text: str) -> str:
    """The text's words, lower-cased, one space apart: what `_told_in` and `_is_told`
    compare, so markdown, markers and line breaks do not matter."""
    return " ".join(re.findall(r"\w+", text.lower()))


def _is_told(sentence: Sentence, said: str) -> bool:
    """Did the answer before (its words, `said`) quote this sentence?"""
    wanted = _wording(sentence.text)
    return len(wanted) >= TOLD_CHARS and wanted in said


def _unless_told(quotation: Sentence | None, said: str) -> Sentence | None:
    return None if quotation is None or _is_told(quotation, said) else quotation


def _run(sentences: Sequence[Sentence]) -> list[Sentence]:
    """The first sentence and as many after it as fit in POINT_CHARS with it."""
    run = list(sentences[:1])
    for sentence in sentences[1:]:
        if sum(len(s.text) for s in run) + len(sentence.text) > POINT_CHARS:
            break
        run.append(sentence)
    return run


def _best_sentence(
    passage: Passage, rank: int, score: Scorer, room: int, asked: frozenset[str] = frozenset()
) -> Sentence | None:
    """The sentence answering best (the first on a tie) among those that fit in `room`
    characters: a whole spoken quotation if it fits, else the sentence it opens with,
    never a line from the middle of someone's speech ("'It'll come off. [2]")."""
    whole = _sentences(passage, rank, asked=asked)
    openings = {s.start for s in whole}
    plain = [s for s in _sentences(passage, rank, False, asked=asked) if s.start in openings]
    fitting = list({(s.start, s.end): s for s in whole + plain if len(s.text) <= room}.values())
    # Evidence never comments on a quotation it does not show ("The quotation shows…"
    # opening a passage whose quotation is set out above it).
    fitting = [
        s
        for s in fitting
        if not (s.start == passage.chunk.start and speaks_of_the_quotation(s.text))
    ]
    # A sentence ending in ":" at the passage's end introduces what the passage does not
    # hold (a quotation set out below it): alone it would end the answer mid-thought.
    complete = [s for s in fitting if not _introduces_what_follows(s, passage.chunk)]
    fitting = complete or fitting
    if not fitting:
        return None
    scores = score(passage, fitting)
    best = max(
        range(len(fitting)), key=lambda i: (scores[i], -fitting[i].start, len(fitting[i].text))
    )
    return fitting[best]


def _far_below(passage: Passage, top: Passage | None) -> bool:
    """Is the passage scored far below the top one (under EVIDENCE_SHARE of its score)?

    Its best sentence is then best only among strangers to the question: "Who are the
    guardians?" had ended with Kathy seeking out donors, and the quotation that comes
    with it. (Not asked of every answer: see `held_to_share` in `compose`.)
    """
    return top is not None and top.score > 0 and passage.score < EVIDENCE_SHARE * top.score


def _introduces_what_follows(sentence: Sentence, chunk: Chunk) -> bool:
    after = chunk.text[sentence.end - chunk.start :]
    return introduces_a_quotation(sentence.text) and not after.strip()


def _with_lead_in(passage: Passage, rank: int, sentence: Sentence, room: int) -> list[Sentence]:
    """The sentence, preceded by the one before it in its passage when it opens by leaning
    back on it ("This shows…", "Her past friendship…") and both fit in `room` characters.
    When they do not, a sentence reading the one before it ("This shows…", "Therefore, …")
    is left out: alone, after other evidence, it reads as if it read that. ("This shows
    that friendship is of real importance to her…" had come right after Kathy's words on
    meeting Tommy again.) One naming its subject after a pronoun stands alone.

    Example: "This shows that friendship is of real importance to her" is quoted after
    "Kathy's use of the word seeking suggests that she actively searches for past students".
    """
    if not leans_back(sentence.text):
        return [sentence]
    before = [s for s in _sentences(passage, rank) if s.end <= sentence.start]
    if not before:
        return [sentence]
    if len(before[-1].text) + len(sentence.text) <= room:
        return [before[-1], sentence]
    return [] if reads_the_one_before(sentence.text) else [sentence]


def _follow_through(
    passage: Passage, rank: int, evidence: Sequence[Sentence], room: int
) -> list[Sentence]:
    """The sentence after the evidence when it goes on from it ("This shows…", "Her past
    friendship…") and fits in `room` characters with it: notes set out a point, its
    evidence and what the evidence shows, and a student asking "why" or "what does it
    reveal" wants the last. A sentence turning elsewhere ("However, …") is left out.

    Example: "Kathy's use of the word seeking suggests that she actively searches for past
    students" is followed by "This shows that friendship is of real importance to her…".
    """
    after = [s for s in _sentences(passage, rank) if s.start >= evidence[-1].end][:1]
    used = sum(len(s.text) for s in evidence)
    if (
        after
        and leans_back(after[0].text)
        and not TURNING.match(after[0].text)
        and not introduces_a_quotation(after[0].text)  # "…she says:" and no quotation
        and not (  # "This quotation shows…" after evidence that shows none
            speaks_of_the_quotation(after[0].text)
            and not any(quotes_the_text(s.text) for s in evidence)
        )
        and used + len(after[0].text) <= room
    ):
        return after
    return []


def _overlaps(candidate: Sentence, chosen: Sequence[Sentence]) -> bool:
    mine = set(content_words(candidate.text))
    for sentence in chosen:
        other = set(content_words(sentence.text))
        if mine and len(mine & other) / len(mine) > 0.7:
            return True
    return False


Place = Literal["first", "after the point", "last"]


def _quotation_place(
    chosen: Sequence[Sentence], quotation: Sentence | None, passages: Sequence[Passage | None]
) -> Place:
    """Where the key quotation goes: "first" when the point opens by commenting on it, set
    out just before it in the notes ("> The memories I value most…" then "This quotation
    shows…"), or the point would say "this quotation" before there is one; "after the
    point" when the point ends introducing it ("…she will keep her memories safe:");
    else "last", after the evidence."""
    point = [s for s in chosen if s.passage_rank == 0]
    if quotation is None or not point or passages[0] is None:
        return "last"
    chunk, quoted = passages[0].chunk, passages[quotation.passage_rank].chunk
    opens_on_it = comments_on_a_quotation(point[0].text) or bool(
        DEMONSTRATIVES.intersection(words(point[0].text)[:1])  # "This shows…"
    )
    if point[0].start == chunk.start and opens_on_it and next_to(quoted, chunk):
        return "first"
    if point[-1].end == chunk.end and introduces_a_quotation(point[-1].text):
        return "after the point" if next_to(chunk, quoted) else "last"
    return "last"


def _key_quotation(
    passages: Sequence[Passage | None],
    chosen: Sequence[Sentence],
    needing: Sequence[Chunk] = (),
) -> Sentence | None:
    """The quotation from the novel the point introduces, comments on (see
    `needs_quotation`) or is illustrated by (`illustrates`), whatever its rank; else one
    in the same section among the best four passages, if the notes have one. Given
    `needing` (the evidence's passages), only a quotation one of them comments on
    ("Kathy’s use of the word seeking suggests…"). None when the sentences chosen quote
    the text already, unless the point ends leading into the quotation ("…and he
    writes:"): the answer must not stop on a colon."""
    quoting = any(quotes_the_text(s.text) for s in chosen)
    leads_in = any(s.passage_rank == 0 and s.text.rstrip().endswith(":") for s in chosen)
    if quoting and not leads_in:
        return None
    point = passages[0].chunk
    quotations = [
        (rank, p) for rank, p in enumerate(passages) if p is not None and p.chunk.kind == "quote"
    ]
    needed = [
        (r, p) for c in needing or [point] for r, p in quotations if needs_quotation(c, p.chunk)
    ]
    if not needing:  # the quotation set out to illustrate the point, colon or not
        needed += [(r, p) for r, p in quotations if illustrates(point, p.chunk)]
    near = [(r, p) for r, p in quotations if p.chunk.section == point.section and r <= 3]
    for rank, passage in needed + ([] if needing or quoting else near):
        sentence = _sentences(passage, rank)[0]
        if not _overlaps(sentence, chosen):
            return sentence
    return None


PARAGRAPH_RANKS = 3  # the best passages a paragraph may be built around


def _comment_with_its_quotation_first(
    passages: list[Passage | None], retrieved: int
) -> list[Passage | None]:
    """For a paragraph asked, when the best passage has no quotation of the novel set out
    beside it: the first of the best passages (`PARAGRAPH_RANKS`) commenting on the
    quotation set out before it, with that quotation at hand, goes first, so point,
    evidence and explanation are on one thing. "can u help me write a paragraph about
    friendship for my essay" had made its point with "The students at Hailsham are like
    many other students of their age.", its evidence Kathy seeking out her donors, and its
    explanation the intensity of friendships at Hailsham."""
    top = passages[0] if passages else None
    quotes = [p for p in passages if p is not None and p.chunk.kind == "quote"]
    if top is None or any(
        next_to(top.chunk, q.chunk) or next_to(q.chunk, top.chunk) for q in quotes
    ):
        return passages
    for passage in passages[1 : min(PARAGRAPH_RANKS, retrieved)]:
        if passage is None or not comments_on_a_quotation(passage.chunk.text):
            continue
        if any(next_to(q.chunk, passage.chunk) for q in quotes):
            return [passage, *(p for p in passages if p is not passage)]
    return passages


def _point_before_quotation(passages: list[Passage | None]) -> list[Passage | None]:
    """For a paragraph asked on the novel's words ("PEE paragraph on how Kathy feels at
    Dover" finds the Dover quotation first): the notes' passage set out beside the
    quotation first, so it makes the point and the quotation is the evidence. The
    quotation had been the point, with an unrelated passage as the evidence."""
    top = passages[0] if passages else None
    if top is None or top.chunk.kind != "quote":
        return passages
    notes = [p for p in passages[1:] if p is not None and p.chunk.kind != "quote"]
    # the point it illustrates, set out before it; else a comment on it, set out after
    before = [p for p in notes if next_to(p.chunk, top.chunk)]
    after = [
        p for p in notes if next_to(top.chunk, p.chunk) and comments_on_a_quotation(p.chunk.text)
    ]
    for passage in (before or after)[:1]:
        return [passage, *(p for p in passages if p is not passage)]
    return passages


def _quotation_beside_point(
    passages: Sequence[Passage | None], chosen: Sequence[Sentence]
) -> Sentence | None:
    """A quotation set out right before or after the point's passage, at any rank: the
    evidence of a paragraph asked for ("write me a PEE paragraph on that" after "why does
    Kathy decide to care for Ruth?" quotes "She already had a carer assigned to her…",
    set out after the point, which the answer had no room for)."""
    if any(quotes_the_text(s.text) for s in chosen) or passages[0] is None:
        return None
    point = passages[0].chunk
    for rank, passage in enumerate(passages):
        if passage is None or passage.chunk.kind != "quote" or rank == 0:
            continue
        if next_to(point, passage.chunk) or next_to(passage.chunk, point):
            return _sentences(passage, rank)[0]
    return None


def _render(
    passages: Sequence[Passage],
    chosen: Sequence[Sentence],
    quotation: Sentence | None,
    place: Place = "last",
    as_paragraph: bool = False,
) -> Draft:
    """The answer's markdown: the point, the evidence and the key quotation, the quotation
    placed as `_quotation_place` says; markers numbered in the order they are read.

    Asked for a paragraph of an essay (`as_paragraph`: "write me a PEE paragraph on
    that"), the same sentences are laid out as one: the point's first sentence, then the
    key quotation as evidence (with none, the point's next sentence), then the rest as
    explanation, each part labelled (`PARAGRAPH_LABELS`).
    """
    groups = {
        "point": [s for s in chosen if s.passage_rank == 0],
        "evidence": [s for s in chosen if s.passage_rank != 0],
        "quotation": [quotation] if quotation else [],
    }
    order = {
        "first": ("quotation", "point", "evidence"),
        "after the point": ("point", "quotation", "evidence"),
        "last": ("point", "evidence", "quotation"),
    }[place]
    own, others = groups["point"], groups["evidence"]
    evidence = groups["quotation"] or own[1:2] or others[:1]
    as_paragraph = as_paragraph and bool(evidence)  # a point alone is no paragraph
    if as_paragraph:  # the point's own sentences explain; the notes' other points wait
        explaining = [s for s in own[1:] if s not in evidence] or [
            s for s in others if s.passage_rank == others[0].passage_rank and s not in evidence
        ]
        groups = {"point": own[:1], "quotation": evidence, "explanation": explaining}
        order = ("point", "quotation", "explanation")
    numbers: dict[int, int] = {}
    spans: dict[int, list[Sentence]] = {}
    shown: dict[Sentence, str] = {}  # each sentence as its passage's pop-up shows it
    for sentence in (s for group in order for s in groups[group]):
        numbers.setdefault(sentence.passage_rank, len(numbers) + 1)
        spans.setdefault(sentence.passage_rank, []).append(sentence)
        chunk = passages[sentence.passage_rank].chunk
        shown[sentence] = shown_span(chunk, sentence.start, sentence.end)

    def set_out(sentence: Sentence) -> bool:
        """Is it text set out in lines: a list, a table, or one row of a table?"""
        return "\n" in shown[sentence].strip() or bool(_ROW.fullmatch(sentence.text))

    def cited(sentences: Sequence[Sentence]) -> str:
        """Sentences in order, each run from one passage closed by that passage's marker.

        Text set out in lines (a list, a table) is a paragraph of its own: a sentence
        after it would otherwise read as part of its last line.
        """
        out = ""
        for i, sentence in enumerate(sentences):
            if out:
                out += "\n\n" if set_out(sentence) or set_out(sentences[i - 1]) else " "
            out += md_escape(shown[sentence])
            last = i + 1 == len(sentences) or sentences[i + 1].passage_rank != sentence.passage_rank
            if last:
                out += f" [{numbers[sentence.passage_rank]}]"
        return out

    def also(sentences: Sequence[Sentence]) -> str:
        """The evidence after its label; a list or table starts on a line of its own."""
        return "The notes also point out:" + ("\n\n" if set_out(sentences[0]) else " ")

    label = "" if place == "after the point" else QUOTATION_LABEL  # "…she says:"

    def point(sentences: Sequence[Sentence]) -> str:
        """The point; a quotation set out in the notes is set out as one here too, not
        told as if in the tutor's own words ("She already had a carer assigned to her…"),
        nor is a point that is one speech and nothing else (as one taken out of the notes'
        sentence it was spliced into is)."""
        spoken = passages[0].chunk.kind == "quote" or _a_speech_alone(sentences)
        if not spoken or groups["quotation"]:
            return cited(sentences)
        return QUOTATION_LABEL + "> " + cited(sentences).replace("\n", "\n> ")

    def as_evidence(sentences: Sequence[Sentence]) -> str:
        """A quotation of the text set out as one; the notes' own words run on."""
        if groups["quotation"] and sentences[0] is quotation:
            return "\n\n> " + cited(sentences).replace("\n", "\n> ")
        return cited(sentences)

    written = {
        "point": point,
        "evidence": lambda sentences: also(sentences) + cited(sentences),
        "quotation": lambda sentences: label + "> " + cited(sentences).replace("\n", "\n> "),
    }
    if as_paragraph:
        written = {
            "point": lambda sentences: PARAGRAPH_LABELS["point"] + cited(sentences),
            "quotation": lambda sentences: PARAGRAPH_LABELS["evidence"] + as_evidence(sentences),
            "explanation": lambda sentences: PARAGRAPH_LABELS["explanation"] + cited(sentences),
        }
    parts = [written[group](groups[group]) for group in order if groups[group]]
    if as_paragraph and parts:
        parts.insert(0, AS_A_PARAGRAPH)
    citations = []
    for rank, n in sorted(numbers.items(), key=lambda item: item[1]):
        passage = passages[rank]
        start = min(s.start for s in spans[rank])
        end = max(s.end for s in spans[rank])
        chunk = passage.chunk
        quote = chunk.text[start - chunk.start : end - chunk.start]
        citations.append(Citation(n, passage, quote, start, end))
    return Draft("\n\n".join(parts), tuple(citations))


def quotations_listed(passages: Sequence[Passage]) -> Draft:
    """The passages (quotations set out in the notes) each quoted whole, as a list of
    quotations with their markers, in the order given."""
    parts, citations = [], []
    for n, passage in enumerate(passages, start=1):
        chunk = passage.chunk
        shown = md_escape(shown_span(chunk, chunk.start, chunk.end)).replace("\n", "\n> ")
        parts.append(f"> {shown} [{n}]")
        citations.append(Citation(n, passage, chunk.text, chunk.start, chunk.end))
    return Draft("\n\n".join(parts), tuple(citations))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]#+|~$])")


def md_escape(text: str) -> str:
    """Show notes text literally in markdown: no emphasis, links, maths or raw HTML. Syntax
    that `shown` hid in markdown notes is dropped (see display.py).

    Example: md_escape("<b>*x*</b>") == "&lt;b&gt;\\*x\\*&lt;/b&gt;"
    """
    text = visible(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _MD_SPECIAL.sub(r"\\\1", text)
    return re.sub(r"\s*\n\s*", "  \n", text)


def verify_citations(draft: Draft, documents: Mapping[str, Document]) -> Draft:
    """Keep only citations that are verbatim spans of their source at their offsets.

    A marker whose citation fails is removed from the text, so no [n] ever points
    at something the student cannot open and find word for word.
    """
    valid, markdown = [], draft.markdown
    for citation in draft.citations:
        chunk = citation.passage.chunk
        document = documents.get(chunk.source)
        ok = (
            document is not None
            and document.text[chunk.start : chunk.end] == chunk.text
            and document.text[citation.quote_start : citation.quote_end] == citation.quote
            and chunk.start <= citation.quote_start <= citation.quote_end <= chunk.end
            and bool(citation.quote.strip())
        )
        if ok:
            valid.append(citation)
        else:
            markdown = markdown.replace(f" [{citation.n}]", "")
    return Draft(markdown, tuple(valid))
