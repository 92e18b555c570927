"""Find the passages that answer a question, and decide whether the notes cover it at all.

Three ideas, each small:
1. Spelling: words the notes never use are mapped to the closest word they do use
   ("frendship shwon" -> "friendship shown"), by a symmetric-delete lookup (words.py,
   with the stems, stopwords and phrasal verbs every search reads a question through).
2. History: a follow-up ("And how does she treat Kathy later on?") is searched
   together with the question before it, so "she" still means Ruth.
3. Hybrid ranking: dense (embedding) and lexical (BM25) scores are each scaled to
   0..1 over the candidates and mixed 60/40, so exact names and quoted words count
   as well as meaning. (Measured on our own questions, score mixing beat reciprocal
   rank fusion: MRR 0.93 against 0.78, because RRF throws away how far ahead the
   leader is.)

Answerability is judged from how close the best passage is in meaning and how many
of the question's content words the notes use at all: an off-topic question is
refused instead of being answered with whatever passage happens to rank first.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

import bm25s
import numpy as np

from tutor.display import plain_text
from tutor.documents import (
    BULLET,
    SPEAKER,
    comments_on_a_quotation,
    holds_quotation,
    needs_quotation,
    next_to,
    sentence_spans,
    speaks_of_the_quotation,
)
from tutor.records import Chunk, Passage
from tutor.words import (
    DEMONSTRATIVES,
    FOLLOW_UP_PRONOUNS,
    NOT_A_SUBJECT,
    NUMBER_WORDS,
    PERSONAL_PRONOUNS,
    REQUEST_WORDS,
    STOPWORDS,
    TOPIC_FRAME,
    SpellingCorrector,
    content_words,
    edit_distance,
    in_single_words,
    is_generic,
    is_request,
    phrasal_verbs,
    question_terms,
    shared_start,
    stems,
    subjects,
    words,
)

# Words asking about a work's making or its author's life, its film, its prizes: study
# notes on a theme rarely cover these, so a question using one the notes never use is not
# answered for being only near them in meaning ("Who plays Kathy in the film?", "Is Kazuo
# Ishiguro married?"); a clear match still answers it ("Why did Belle not marry
# Scrooge?"), as some of these words can be about the text itself.
CONTEXT_WORDS = frozenset(
    """
    film films movie movies actor actors actress director screenplay television tv
    published publish publication publisher born birth birthday married marry biography
    award awards prize prizes nobel booker nominated shortlisted
    """.split()
)
# Words asking about the work on screen. Notes that use none of them cannot say who plays
# whom or what a film changes, however close such a question sits to them in meaning:
# "Who played Scrooge in the film?" is 0.65 close to notes on Scrooge, closer than many
# questions those notes do answer. ("Actor" and "director" are drama's own words: "How
# might a director stage the witches?" asks about the play.)
SCREEN_WORDS = frozenset("film films movie movies screenplay tv television".split())
# "Who played Ruth?", "Who was Kathy played by?", "Who was cast as Tommy?", "Who directed
# it?"; not "What role is played by Hailsham…?" nor "Is Ruth cast as the villain?"
_ASKS_FOR_CAST = re.compile(
    r"\b(?i:who) (?:plays|played|play|stars|starred)(?: as)? [A-Z]"
    r"|\b(?i:who)\b.*\b(?:played|directed) by\b|\b(?i:who) (?:was|were) cast as\b"
    r"|\b(?i:who) directed\b"
)
# Topics only notes that speak of them can answer, however close a question on one sits
# to other notes in meaning: (words of a question asking about it, words of notes speaking
# of it). Notes that never speak of a husband, wife or fiancee cannot say who marries whom
# ("Who did Kathy marry?" is 0.57 close to the notes on Kathy and Tommy), nor can notes
# that never speak of a death say who dies ("Does Kathy die in the end?", 0.66).
_TOPICS = {
    "marriage": (
        "marry marries married marrying marriage wedding husband wife",
        """marry marries married marrying marriage wedding husband husbands wife wives
        fiancee fiance engagement spouse widow widower""",
    ),
    "death": (  # not "kill": "How do white blood cells kill pathogens?"
        "die dies died dying death dead",
        """die dies died dying death deaths dead kill kills killed killing murder murders
        murdered murderer suicide funeral executed execution""",
    ),
}
# A question asking when a work was written, published or staged, or its author born,
# wants a year: "When was A Christmas Carol published?" is 0.67 close to the notes'
# passage on what the story is about, which cannot answer it.
# Only in the past: "When does Kathy write to Tommy?" asks about the story.
_ASKS_WHEN = re.compile(r"\bwhen (?:was|were|did)\b|\b(?:what|which) (?:year|date|century)\b", re.I)
_DATE_EVENTS = """
    publish published publication born birth write wrote written premiere premiered perform
    performed
"""
# A question asking what else an author wrote ("What other novels has Ishiguro
# written?") sits close to notes naming the author and the novel, which cannot answer it
# unless they speak of other works. "Another example from the book" asks about this one.
_WORKS = r"(?:novels?|books?|works|plays|poems|stories)"
_ASKS_FOR_OTHER_WORKS = re.compile(rf"\b(?:other|another)\s+(?:\w+\s+)?{_WORKS}\b", re.I)
_OF_WRITING = re.compile(r"\b(?:writ(?:e|es|ing|ten)|wrote|publish(?:ed|es)?|author)\b", re.I)
_SPEAKS_OF_OTHER_WORKS = re.compile(
    rf"\b(?:other|another|earlier|later|previous)\s+(?:\w+\s+)?{_WORKS}\b"
    r"|\balso wrote\b|\bwent on to write\b",
    re.I,
)
_YEAR = re.compile(r"\b(?:1[0-9]{3}|20[0-9]{2})s?\b|\bcentur(?:y|ies)\b", re.I)
_LIFESPAN = re.compile(r"\b1[0-9]{3}\s*[-–]\s*(?:1[0-9]{3}|20[0-9]{2})\b")  # "(1812-1870)"
# Words comparing with what was asked before: "Is Tommy the same?", "Tommy too?"
COMPARING = frozenset("same too also either likewise similar similarly".split())
# A sentence that opens like this, or names someone by pronoun within its first words,
# leans on the one before it: quoted alone ("This shows that friendship is of real
# importance to her", "Ishiguro shows how they remain close"), the student cannot tell
# what "this" is or who "they" are.
CONNECTIVE_OPENERS = re.compile(
    r"(?:therefore|however|thus|so|also|as a result|consequently|instead|such)\b", re.IGNORECASE
)
PRONOUN_REACH = 6  # words
CHAIN_REACH = 4  # questions a follow-up to follow-ups may be searched with, itself included
SELF_CONTAINED_WORDS = 3  # a question with this many topical words and no pronoun stands alone
NAMED_BEFORE_A_PRONOUN = 4  # … or with this many subjects before its first pronoun
FOLLOW_UP_OPENERS = (
    "and ",
    "but ",
    "so ",
    "what about",
    "how about",
    "also",
    "then ",
    "why?",
    "why not",
)


def leans_back(sentence: str) -> bool:
    """Does the sentence need the one before it to make sense? A quoted speech never does.

    Example: leans_back("Even when they fall out, they stay close.") is True.
    """
    if not sentence[:1].isalpha():
        return False
    opening = words(sentence)[:PRONOUN_REACH]
    return (
        any(w in DEMONSTRATIVES for w in opening[:1])
        or bool(CONNECTIVE_OPENERS.match(sentence))
        or speaks_of_the_quotation(sentence)  # "The quotation shows…": which one?
        or any(w in PERSONAL_PRONOUNS for w in opening)
    )


# A count of people the notes name one by one: "why do the three of them stay close".
_COUNT_OF_PEOPLE = re.compile(
    r"\b(?:two|three|four|five|six)(?=\s+of\s+(?:them|us|you|those|the\s+\w+s)\b)", re.I
)


def counted_away(text: str) -> str:
    """The text without counts of people ("the three of them" is "the of them"): the
    notes name them, and "three" is no word of what is asked about."""
    return _COUNT_OF_PEOPLE.sub(" ", text)


# A title naming the work it is on after its theme: "Friendship in Never Let Me Go",
# "Ambition in Macbeth", "The theme of guilt in An Inspector Calls".
_TITLE_OF_WORK = re.compile(r"\s(?:in|of)\s+(?P<work>[A-Z][\w’'-]*(?:\s+\S+)*)\s*$")


def work_titled(title: str) -> str:
    """The work a notes title says it is on, lower case, or "".

    Example: work_titled("Memory in Never Let Me Go") == "never let me go"
    """
    found = _TITLE_OF_WORK.search(title or "")
    return " ".join(words(found["work"])) if found else ""


SCREEN_STEMS = frozenset(stems(sorted(SCREEN_WORDS)))
_DATE_EVENT_STEMS = frozenset(stems(_DATE_EVENTS.split()))
_BIRTH_STEMS = frozenset(stems("born birth birthday".split()))


def asks_about_screen(question: str) -> bool:
    """Does the question ask about a film or television version of the work, or its cast?

    Example: asks_about_screen("Who played Ruth?") is True; ("Who plays tricks?") is False.
    """
    return not SCREEN_WORDS.isdisjoint(words(question)) or bool(_ASKS_FOR_CAST.search(question))


TOPIC_STEMS = {name: frozenset(stems(notes.split())) for name, (_, notes) in _TOPICS.items()}


def topics_asked(question: str) -> list[frozenset[str]]:
    """For each topic the question asks about that only notes speaking of it can answer
    (the work on screen, `_TOPICS`), the word stems by which notes speak of it.

    Example: topics_asked("Who did Kathy marry?") == [TOPIC_STEMS["marriage"]]
    """
    asked = set(words(question))
    return ([SCREEN_STEMS] if asks_about_screen(question) else []) + [
        TOPIC_STEMS[name]
        for name, (question_words, _) in _TOPICS.items()
        if not asked.isdisjoint(question_words.split())
    ]


def asks_for_other_works(question: str) -> bool:
    """Does the question ask what else an author wrote?

    Example: asks_for_other_works("What other novels has Ishiguro written?") is True;
    ("Give me another example from the book") and ("Which other poems explore
    conflict?", of an anthology) are False.
    """
    return bool(_ASKS_FOR_OTHER_WORKS.search(question) and _OF_WRITING.search(question))


# "what other themes are there", "the other themes of the novel", "any more themes?"; not
# "the more important themes" nor "the different themes of friendship", which ask about
# the theme the notes are on
_ASKS_FOR_OTHER_THEMES = re.compile(
    r"\b(?:(?:other|another)\s+(?:\w+\s+)?|more\s+)themes?\b"
    r"|\bdifferent\s+(?:\w+\s+)?themes?\b(?!\s+of\b)",
    re.I,
)


def asks_for_other_themes(question: str) -> bool:
    """Does the question ask which themes a work has besides the one the notes are on?

    Example: asks_for_other_themes("what other themes are in the novel") is True;
    ("How is the theme of friendship shown?") and ("What is the main theme of the
    novel?", which the notes' one theme answers) are False.
    """
    return bool(_ASKS_FOR_OTHER_THEMES.search(question))


def asks_for_a_date(question: str) -> bool:
    """Does the question ask when a work was written, published or staged, or someone born?

    Example: asks_for_a_date("When was Macbeth written?") is True; ("When does Ruth
    change?") is False.
    """
    return bool(_ASKS_WHEN.search(question)) and not _DATE_EVENT_STEMS.isdisjoint(
        stems(words(question))
    )


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


# "How many donations has Ruth had?" and "How old is Kathy?" ask for a count; notes giving
# none cannot answer them, however close they sit in meaning (they were answered from the
# notes on Ruth as a donor, and with "students of their age"). Not "how many times", which
# "often" or "there are moments when…" answers; nor "how old-fashioned", "what age group",
# "in what age is it set".
_ASKS_FOR_A_COUNT = re.compile(
    r"\bhow\s+many\b(?!\s+times\b)|\bhow\s+old(?![\w-])"
    r"|(?<!in )\b(?:what|which)\s+age\b(?!\s*-?\s*(?:groups?|range|bracket|of)\b)",
    re.I,
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


def asks_for_a_count(question: str) -> bool:
    """Does the question ask how many, or how old?

    Example: asks_for_a_count("How many donations does Ruth have?") is True, and so is
    asks_for_a_count("What age is Kathy?").
    """
    return bool(_ASKS_FOR_A_COUNT.search(question))


# The points of an answer a question may count: "the two main ways", "how many reasons".
_LISTED_POINTS = (
    r"(?:(?:main|key|important|big|biggest|major)\s+)?"
    r"(?:ways?|points?|reasons?|things?|ideas?|aspects?|methods?|examples?|factors?|parts?)\b"
)
# "How many ways does Ishiguro show friendship?": what a list in the notes counts.
_HOW_MANY_LISTED = re.compile(rf"\bhow\s+many\s+{_LISTED_POINTS}", re.I)


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


_NUMBER_STEMS = frozenset(stems(sorted(NUMBER_WORDS)))


def _asks_about(asked: frozenset[str], heading: frozenset[str], around: frozenset[str]) -> bool:
    """Does a question (the stems of its `subjects`) use every word of the heading, and no
    other but those of the headings around it, of how a topic is asked about, and
    numbers ("explain the second one" pointing at a heading)? A heading may use those
    too ("Themes", "Presentation of Sheila", "Stave Four")."""
    besides = asked - TOPIC_FRAME - _NUMBER_STEMS
    return bool(heading) and heading <= asked and besides <= heading | around


# --------------------------------------------------------------------------- lexical index


class LexicalIndex:
    """BM25 over stemmed chunk words (heading context included) and phrasal verbs, plus the
    notes' vocabulary.

    Besides the index over all notes, each notes file gets its own BM25 (built on first
    use), so ranking inside one file weighs words as that file alone would: a word rare
    in a long unrelated document must not change which friendship passage comes first.
    The passages are kept in file order, so a passage's neighbours sit beside it.
    """

    def __init__(self, chunks: Sequence[Chunk]):
        self.chunks = sorted(chunks, key=lambda c: (c.source, c.start))
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        tokenised = [words(c.lexical_text()) for c in self.chunks]
        self.frequencies: Counter[str] = Counter(w for ws in tokenised for w in ws)
        self.stem_set = set(stems(list(self.frequencies)))
        self.speller = SpellingCorrector(self.frequencies)
        self._corpus = [
            [s for s in stems(ws) if s] + list(phrasal_verbs(ws).values()) or ["_"]
            for ws in tokenised
        ]
        # The phrasal verbs the notes use themselves ("make up", "fall out", "look up to")
        self.phrasal = frozenset(term for doc in self._corpus for term in doc if "_" in term)
        # The names the notes use: words written with a capital wherever they appear, at
        # least once inside a sentence ("Ruth", "Hailsham", not "However"), and not only
        # before another such word ("Jody", not "Miss").
        written = [
            (m.group(), m.start() > 0 and c.text[m.start() - 2 : m.start()].strip() not in ".!?")
            for c in self.chunks
            # not a word a capitalised word follows: a title's ("Miss Jody", "Never Let Me Go")
            for m in re.finditer(r"[A-Za-z]+(?! [A-Z])", c.text)
        ]
        lowered = {w.lower() for w, _ in written if not w[0].isupper()}
        capitalised = {w.lower() for w, inside in written if inside and w[0].isupper()}
        self.names = frozenset(stems(sorted(capitalised - STOPWORDS))) - frozenset(
            stems(sorted(lowered))
        )
        # The names the notes themselves use as a writer's ("Ishiguro shows", "Ishiguro’s
        # presentation") or a place's ("at Hailsham"): they frame a comparison.
        self.writers_and_places = _writers_and_places([c.text for c in self.chunks])
        self.acronyms = _acronyms({c.title for c in self.chunks if c.title})
        self.by_source: dict[str, list[int]] = {}
        for i, chunk in enumerate(self.chunks):
            self.by_source.setdefault(chunk.source, []).append(i)
        # Passage position -> (position of the passage after it that leans on it, how).
        self.leaning = {
            i: (i + 1, how)
            for i, (before, after) in enumerate(itertools.pairwise(self.chunks))
            if (how := leans_on(before, after))
        }
        # Passages commenting on the quotation set out before them ("The word … suggests").
        self.comments = frozenset(at for at, how in self.leaning.values() if how == "comment")
        self._bm25: dict[str | None, bm25s.BM25] = {}
        self._vocabulary: dict[str | None, tuple[Counter[str], int]] = {}
        self._forms: dict[str | None, dict[str, list[str]]] = {}  # see `_a_form_used`
        # The topic headings over each passage (not its file's title, nor a heading that
        # asks a question), as the sets of word stems naming them; and each file's title.
        self.section_names = [
            frozenset(
                named
                for heading in c.section.split(" › ")
                if heading != c.title and not heading.rstrip().endswith("?")
                if (named := frozenset(stems(subjects(heading))))
            )
            for c in self.chunks
        ]
        # The words of the headings over each passage that ask a question ("How does
        # Kazuo Ishiguro show this?"): a question naming the section may use them too.
        self.asking_words = [
            frozenset(
                stem
                for heading in c.section.split(" › ")
                if heading != c.title and heading.rstrip().endswith("?")
                for stem in stems(subjects(heading))
            )
            for c in self.chunks
        ]
        # The work each file is on, as its title names it: "Friendship in Never Let Me Go"
        # is on "never let me go" (titles naming no work this way name none).
        self.works = {
            source: work
            for source, members in self.by_source.items()
            if (work := work_titled(self.chunks[members[0]].title))
        }
        self.title_names = {
            source: frozenset(stems(subjects(self.chunks[members[0]].title)))
            for source, members in self.by_source.items()
        }
        # Each file's opening, before its first heading: where notes say in brief what
        # their sections go on to explain (none in a file of one section).
        self.opening_sections = {
            source: opening.section
            for source, members in self.by_source.items()
            if (opening := self.chunks[members[0]]).section == opening.title
            and len({self.chunks[i].section for i in members}) > 1
        }
        # Each heading's name (and title's), filed under one of its stems, with its file
        # and the words around it (its section's other headings, and the title).
        self._headings: dict[str, set[tuple[str, frozenset[str], frozenset[str]]]] = {}
        for source, members in self.by_source.items():
            title = self.title_names[source]
            named = {(title, frozenset())} if title else set()
            for i in members:
                around = title.union(self.asking_words[i], *self.section_names[i])
                named |= {(heading, around) for heading in self.section_names[i]}
            for heading, around in named:
                self._headings.setdefault(min(heading), set()).add((source, heading, around))

    def _index_for(self, source: str | None) -> tuple[bm25s.BM25, list[int]]:
        """The BM25 index of one source (or of all) and the chunk positions it covers."""
        members = (
            list(range(len(self.chunks))) if source is None else self.by_source.get(source, [])
        )
        if source not in self._bm25:
            bm25 = bm25s.BM25()
            bm25.index([self._corpus[i] for i in members], show_progress=False)
            self._bm25[source] = bm25
        return self._bm25[source], members

    def plain(self, question: str) -> str:
        """What a question asks, as every step reads it: without markup or chat filler,
        shorthand spelt out unless the notes use the word (`plain_question`), and title
        acronyms spelt out (`acronyms_spelt_out`)."""
        return self.acronyms_spelt_out(plain_question(question, self.knows))

    def acronyms_spelt_out(self, text: str) -> str:
        """The text with each acronym of a name the notes write out ("nlmg" for "Never
        Let Me Go", "AIC" for "An Inspector Calls") spelt out, unless the notes use the
        acronym itself: students type titles so, and "nlmg", a word in no passage, had
        outweighed every word of "whats the main ways friendship is shown in nlmg"."""

        def spelt_out(match: re.Match) -> str:
            word = match.group(0)
            name = self.acronyms.get(word.lower())
            if not name or self.knows(word) or word.lower() in self.speller.english:
                return word  # "rat" is no "Ruth and Tommy"
            return name

        return _ACRONYM_WORD.sub(spelt_out, text) if self.acronyms else text

    def knows(self, word: str) -> bool:
        """Do the notes use this word, in this form or another ("shown", "shows")?"""
        return stems([word.lower()])[0] in self.stem_set

    def correct(self, text: str) -> str:
        """The text with each unknown word replaced by its closest notes word, case kept simple."""

        def fix(word: str) -> str:
            if word.lower() in STOPWORDS:
                return word
            if self.knows(word):
                return word  # another form of a word the notes use
            fixed = self.speller.correct(word.lower())
            return word if fixed == word.lower() else fixed

        def fix_unless_contracted(match: re.Match) -> str:
            word, ending = match.group(1), match.group(2) or ""
            if ending[1:].lower() not in ("", "s"):  # "didn't": its stem alone is no word
                return match.group(0)
            return fix(word) + ending  # "Kathyy's" -> "kathy's"

        return re.sub(r"([A-Za-z]+)(['’][A-Za-z]+)?", fix_unless_contracted, text)

    def search(self, query: str, k: int, source: str | None = None) -> list[tuple[int, float]]:
        """(chunk position, BM25 score) of the best k chunks, optionally from one source."""
        used, _ = self.vocabulary(None)
        query_stems = [s for s in question_terms(query) if s in used]
        if not query_stems or (source is not None and source not in self.by_source):
            return []
        if not self.chunks:
            return []
        bm25, members = self._index_for(source)
        ids, scores = bm25.retrieve(
            [query_stems], k=min(k, len(members)), show_progress=False, n_threads=1
        )
        return [
            (members[int(i)], float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0
        ]

    def words_at(self, position: int) -> list[str]:
        """The word stems (and phrasal verbs) the passage at this position is indexed by."""
        return self._corpus[position]

    def uses_in_file(self, source: str | None, word_stems: Iterable[str]) -> bool:
        """Does any passage of one notes file (or of any) use any of these word stems?"""
        return not set(word_stems).isdisjoint(self.vocabulary(source)[0])

    def vocabulary(self, source: str | None) -> tuple[Counter[str], int]:
        """How many passages of one notes file (or of all) use each word stem, and how many
        passages there are."""
        if source not in self._vocabulary:
            members = range(len(self.chunks)) if source is None else self.by_source.get(source, [])
            counts = Counter(s for i in members for s in set(self._corpus[i]) if s != "_")
            self._vocabulary[source] = (counts, len(members))
        return self._vocabulary[source]

    def speaks_of_themes(self, source: str | None) -> bool:
        """Do the notes (one file's, or any) speak of a work's themes, in the plural, as
        notes on more than one theme do, or is there another notes file on the same work
        ("Memory in Never Let Me Go" beside "Friendship in Never Let Me Go")? Notes on
        friendship alone say "the theme of friendship"."""
        if self._any_passage(source, lambda text: "themes" in words(text)):
            return True
        works = Counter(self.works.values())  # how many files are on each work
        return any(works[work] > 1 for s, work in self.works.items() if s == source or not source)

    def _any_passage(self, source: str | None, says: Callable[[str], object]) -> bool:
        """Does any passage (of one file, or of all) say what `says` looks for?"""
        members = range(len(self.chunks)) if source is None else self.by_source.get(source, [])
        return any(says(self.chunks[i].text) for i in members)

    def speaks_of_other_works(self, source: str | None) -> bool:
        """Do the notes (one file's, or any) speak of an author's other works?"""
        return self._any_passage(source, _SPEAKS_OF_OTHER_WORKS.search)

    def has_quotations_section(self, source: str) -> bool:
        """Does the file have a section on quotations ("Key quotations at a glance")?"""
        return any(
            ASKS_FOR_QUOTATION.search(heading)
            for i in self.by_source.get(source, ())
            for heading in self.chunks[i].section.split(" › ")
            if heading != self.chunks[i].title
        )

    def sections_named(self, question: str) -> list[str]:
        """The notes files with a section (or title) the question asks about as a whole.

        "How is the theme of class shown?" asks about a section headed "Class", and "What
        do the notes say about key terms?" about one headed "Key terms": they use every
        topical word of the heading, and no other besides the words of the headings above
        it, of the file's title, and of how a question on a topic is put (`TOPIC_FRAME`:
        "say", "theme", "shown"…). Those sections' words may be only in their headings,
        which count for nothing in how close a question is to the notes. A heading that
        asks a question ("What is blood made of?") is no topic.
        """
        asked = frozenset(stems(subjects(question)))
        named = {
            source
            for stem in asked
            for source, heading, around in self._headings.get(stem, ())
            if _asks_about(asked, heading, around)
        }
        return sorted(named)

    def under_named_section(self, chunk: Chunk, asked: frozenset[str]) -> bool:
        """Does a question (`asked`: the stems of its `subjects`) ask about a section this
        passage is in (see `sections_named`), other than its file's whole?"""
        at = self.position.get(chunk.id)
        if at is None:
            return False
        names = self.section_names[at]
        around = self.title_names[chunk.source].union(self.asking_words[at], *names)
        return any(_asks_about(asked, heading, around) for heading in names)

    def unknown_names(self, question: str, source: str | None = None) -> list[str]:
        """Capitalised words inside the question that the notes (or one file) never use,
        after spelling correction.

        Example: "Who is Harry Potter's best friend?" -> ["Harry", "Potter"]

        A number is no name: notes on "Stave One" and "Stave Five" cover "What happens in
        Stave Four?" as far as names go.
        """
        used, _ = self.vocabulary(source)
        names = []
        for match in _TITLED_NAME.finditer(question):  # "who is miss lucy", typed so
            name = match["name"].lower()
            if name in STOPWORDS:
                continue
            fixed = self.speller.correct(name) if name not in self.frequencies else name
            if stems([fixed])[0] not in used:
                names.append(match["name"])
        for match in re.finditer(r"(?<=[\w,;:’'\"“”)] )([A-Z][a-z]+)", question):
            if match.group(1) in names:
                continue
            word = words(match.group(1))
            if not word or word[0] in STOPWORDS or word[0] in NUMBER_WORDS:
                continue
            fixed = self.speller.correct(word[0]) if word[0] not in self.frequencies else word[0]
            if stems([fixed])[0] not in used:
                names.append(match.group(1))
        return names

    def undefined_terms(self, question: str, source: str | None = None) -> list[str]:
        """The term a question asks to have explained, when that is all it asks and the
        notes (or one file) never use it, after spelling correction: "what even is a
        deferral in never let me go" -> ["deferral"]. The rest of such a question is the
        file's title, which the notes match everywhere: the hedged answer it had was on
        friendship. A question asking more of the term ("What is a deferral and how do
        they try to get one?") is judged on the thing it asks about
        (`_unknown_thing_asked`).
        """
        asked = _ASKS_WHAT_A_TERM_IS.fullmatch(question.strip())
        if not asked:
            return self._unknown_thing_asked(question, source)
        term, rest = asked["term"] or asked["meant"], asked["rest"] or ""
        head = [*words(term)[-1:], *words(rest)[:1]]  # "key word": a word is asked for
        if not subjects(term) or is_generic(term.lower()) or any(map(is_request, head)):
            # "what's the quote for that?", "whats the key word to analyse in that"
            return self._unknown_thing_asked(question, source)
        besides = set(stems(subjects(rest))) - _ANY_WORK
        if not any(
            besides <= self.title_names[s] for s in ([source] if source else self.by_source)
        ):
            return self._unknown_thing_asked(question, source)
        term = term.lower()
        fixed = term if term in self.frequencies else self.speller.correct(term)
        # another form of a word the notes use ("donation" of "donors", "tyrant" of
        # "tyranny") is not unknown: its first letters are theirs
        stem = stems([fixed])[0]

        def a_form_of(used: str) -> bool:
            return shared_start(stem, used) >= max(3, FORM_SHARE * min(len(stem), len(used)))

        return [] if any(map(a_form_of, self.vocabulary(source)[0])) else [term]

    def _unknown_thing_asked(self, question: str, source: str | None = None) -> list[str]:
        """The words naming the thing a "What is the …" question asks about, when the
        notes (or one file) use none of them, in any form, after spelling correction:
        "What is the deferral rumour, and do Kathy and Tommy manage to get one?" ->
        ["deferral", "rumour"]. Whatever else it asks is about that thing, so the names
        and verbs the notes do use ("Kathy", "Tommy", "manage") do not make it covered;
        it had been answered with Kathy managing to become Ruth's carer. Words framing a
        question ("the main way…", "the effect of…", "the role of…") name nothing.
        """
        asked = _ASKS_WHAT_THE_THING_IS.match(question)
        if not asked:
            return []
        named = []
        for word in words(asked["thing"]):
            if word in STOPWORDS or word in _PREPOSITIONS:
                break
            named.append(word)
        if not named or any(map(_frames, named)):
            return []
        # what the thing is of or for ("the motive for killing Banquo", "the cause of
        # Jekyll's downfall") is asked about too, up to a clause of its own (", and do…",
        # "that Kathy loses")
        rest = question[asked.start("thing") :]
        complement = _CLAUSE_END.split(rest, maxsplit=1)[0]
        used = self.vocabulary(source)[0]
        for word in [*named, *subjects(complement)]:
            fixed = word if word in self.frequencies else self.speller.correct(word)
            stem = stems([fixed])[0]
            if stem in used or self._a_form_used(stem, source):
                return []
        return named

    def unknown_context_words(self, question: str, source: str | None = None) -> list[str]:
        """Words of the question asking about a work's context (`CONTEXT_WORDS`) that the
        notes (or one file) never use.

        Example: "Who plays Kathy in the film?" -> ["film"], unless the notes say "film".
        """
        used, _ = self.vocabulary(source)
        return [
            word
            for word in content_words(question)
            if word in CONTEXT_WORDS and stems([word])[0] not in used
        ]

    def known_share(self, query: str, source: str | None = None) -> float:
        """The share of the question's topical words that the notes (or one file) use, each
        weighted by its rarity there (inverse passage frequency).

        A word in nearly every passage (the novel's title, the narrator's name) says little
        about whether the notes cover a question; a rare or unknown word says a lot. So
        "What is a deferral and how do Kathy and Tommy try to get one?" scores low although
        most of its words are in the notes.
        """
        topical = [w for w in content_words(counted_away(query)) if not is_generic(w)]
        if not topical:
            return 0.0
        counts, _ = self.vocabulary(source)
        weighted = [
            (self.rarity(s, source), s in counts or self._a_form_used(s, source))
            for s in stems(topical)
        ]
        return sum(w for w, known in weighted if known) / sum(w for w, _ in weighted)

    def _a_form_used(self, stem: str, source: str | None = None) -> bool:
        """Do the notes use another form of the word (`stem`), one opening with the same
        FORM_LETTERS letters or more, and at least FORM_SHARE of the shorter's: "reunion"
        of "reunited", not "clone" of "close" nor "donation" of "donor"."""
        if source not in self._forms:  # each file's stems by their first letters, once
            self._forms[source] = {}
            for used in self.vocabulary(source)[0]:
                self._forms[source].setdefault(used[:FORM_LETTERS], []).append(used)
        return any(
            shared_start(stem, used) >= max(FORM_LETTERS, FORM_SHARE * min(len(stem), len(used)))
            for used in self._forms[source].get(stem[:FORM_LETTERS], ())
        )

    def rarity(self, stem: str, source: str | None = None) -> float:
        """How rare a word stem is in one notes file (or all): its inverse passage frequency,
        highest for a stem the notes never use."""
        counts, passages = self.vocabulary(source)
        return math.log((passages + 1) / (counts[stem] + 0.5))


def leans_on(before: Chunk, after: Chunk) -> str | None:
    """How `after` leans on the passage set out just before it, if it does: as the
    "quotation" that passage introduces or illustrates (a quotation block), or as a
    "comment" on it: its first word points back ("This shows…", "He goes on to say…",
    "However, …"), or it comments on the quotation before it or its words ("The word
    “forged” suggests…", "Kathy’s use of the word seeking suggests…").

    Notes lay a point out as point, quotation, comment; each is its own passage, to be
    cited precisely, but only the point names what the three are about ("Scrooge praises
    Fezziwig:" before "The happiness he gives…"). A pronoun further in ("Enfield tells
    Utterson that he…") is no sign: the passage names its own subject first.
    """
    if not next_to(before, after):
        return None
    if after.kind == "quote":
        return "quotation"
    spans = sentence_spans(after.text)
    opening = after.text[spans[0][0] : spans[0][1]] if spans else ""
    first = words(opening)[:1]
    if (
        (first and first[0] in FOLLOW_UP_PRONOUNS)
        or CONNECTIVE_OPENERS.match(opening)
        or speaks_of_the_quotation(opening)
        or (comments_on_a_quotation(opening) and holds_quotation(before))
    ):
        return "comment"
    return None


# --------------------------------------------------------------------------- queries


# An HTML tag, as pasted into a question; a script or style element goes whole: it is code.
MARKUP = re.compile(
    r"<(script|style)\b[^>]{0,200}>.*?</\1\s*>|<[^>]{0,200}>"
    r"|(?<![\w:]):[a-z][a-z0-9_+-]{0,40}:(?![\w:])"  # an emoji shortcode: ":smile:"
    r"|\bhttps?://[^\s()<>]+|\bwww\.[^\s()<>]+"  # a web address: no question's subject
    r"|\$(?=\S)[^$\n]{0,100}(?<=\S)\$(?!\d)",  # maths, "$x^2$"; not "$5 and $6"
    re.I | re.S,
)
# Chat filler that opens or closes a question: "hey, is Ruth kind?", "is Ruth kind lol".
# A greeting or "um" only opens one ("Why does Tommy say hello?" keeps its last word).
_OPENING_FILLER = r"(?:hey|hiya|hi|hello|lol|pls|plz|um+|uh+|hmm+|btw|omg)"
_CLOSING_FILLER = r"(?:lol|lmao|pls|plz|thx|btw|omg)"
FILLER = re.compile(
    rf"^(?:\W*{_OPENING_FILLER}\b)+\W*|(?:\W*\b{_CLOSING_FILLER})+\W*$", re.IGNORECASE
)
# Chat shorthand for common words: "tell me abt tommy" asks "tell me about tommy" (an
# unknown "abt" counted as a subject the notes lack, and the question was declined).
CHAT_SHORTHAND = dict(
    entry.split(":")
    for entry in """
    abt:about bc:because bcos:because becos:because becuz:because cuz:because coz:because
    u:you ur:your r:are y:why wat:what wot:what wht:what wen:when b4:before w/:with
    thru:through tho:though ppl:people smth:something sth:something fav:favourite
    fave:favourite convo:conversation rly:really shud:should cud:could wud:would
    pls:please plz:please
    whats:what's hows:how's whos:who's wheres:where's whys:why's thats:that's
    dont:don't doesnt:doesn't didnt:didn't isnt:isn't wasnt:wasn't arent:aren't
    werent:weren't cant:can't couldnt:couldn't wouldnt:wouldn't shouldnt:shouldn't
    wont:won't im:I'm ive:I've youre:you're theyre:they're
    """.split()
)
_SHORTHAND = re.compile(
    r"(?<![\w'’])(?:" + "|".join(map(re.escape, CHAT_SHORTHAND)) + r")(?![\w'’])", re.I
)
# How every refusal opens (see tutor.py): a refusal is no answer to point into.
DECLINED = "I can't find this"
# What "What happens next?" gets when the notes end with what the last answer told.
NOTHING_FURTHER = (
    "That is as far as the notes go here: nothing comes after it. Ask about another part of them."
)
# What "tell me more" gets when the passages found hold nothing the last answer did not.
NOTHING_MORE = (
    "That is all the notes say on this: the answer above has it. Ask about another part of them."
)
# How a gist opens: "tl;dr" after an answer (see `answer._gist`).
IN_SHORT = "In short:"
# How an answer opens when asked for a quotation where what answers best quotes none.
NO_QUOTATION_ON_THIS = (
    "The notes quote the text nowhere in what answers this best. The nearest passage that does:"
)
# How an answer opens when the notes come close to a question without clearly covering
# it (see `is_sure`): said first, and no part of the point a follow-up refers to.
HEDGE = "The notes may not answer this directly. This is what they say that comes closest:"


@dataclass(frozen=True)
class Query:
    question: str  # as asked
    text: str  # what is searched: spelling-corrected, with history for follow-ups
    follow_up: bool
    # Word stems a follow-up brings that the turn before lacks, when it names its own
    # subject ("And friendship?" after "How is memory shown?"): the answer must be on them.
    focus: tuple[str, ...] = ()
    # What the answer's sentences are chosen by; empty: `text`. See `build_query`.
    evidence: str = ""
    # A follow-up asking what comes next ("What does she do then?"): see `asks_what_next`.
    goes_on: bool = False
    # The question a follow-up leans on, as searched: see `previous_question`.
    previous: str = ""


def turns(history: Sequence[dict], role: str = "user") -> list[str]:
    """What the student asked (or, with role "assistant", was answered) before, oldest first."""
    return [t.get("content", "") for t in history if t.get("role") == role]


def user_turns(history: Sequence[dict]) -> list[str]:
    """What the student asked before, oldest first."""
    return turns(history, "user")


# "what about in the book…", "in the novel though": back from a film the notes do not cover.
_TURNS_BACK_TO_THE_TEXT = re.compile(
    r"\b(?:in|about)\s+the\s+(?:book|novel|text)\b(?!\s+(?:and|or|vs|versus)\s+the\s+film)", re.I
)


def _only_about_the_screen(question: str) -> bool:
    """Does the question ask about the film and name nothing else ("is it the same in the
    film"; not "Who plays Tommy in the film?", whose Tommy a follow-up may mean)?"""
    named = [w for w in subjects(question) if w.lower() not in _SCREEN_TALK]
    return asks_about_screen(question) and not named


# How a question on a film asks, naming nothing: "Is it different in the movie?"
_SCREEN_TALK = (
    SCREEN_WORDS
    | CONTEXT_WORDS
    | COMPARING
    | frozenset(
        """
        different differ differs difference change changed changes version adaptation
        adapted show shown shows portray portrayed play plays played cast
        """.split()
    )
)


def answered(history: Sequence[dict], question: str = "") -> list[dict]:
    """The history a follow-up can lean on: without a question the tutor declined (and
    its refusal) that `question` asks again, every subject of it named there.

    A question asked again in plain words after a refusal stands alone: "who is kathy?"
    after "**who** is _kathy_? [link](http://x.com)" had been searched together with the
    declined one, and declined as well. One with a subject of its own still leans on the
    declined question: "And Tommy?" after "Who plays Kathy in the film?" asks who plays
    Tommy, and "Kathy?" (saying nothing of what it asks) who plays Kathy. One turning
    back to the book leaves a declined question on the film behind: "what about in the
    book, why does she want hailsham people" after "is it the same in the film" asks of
    the book what "she" did in the turn before.
    """
    asks = set(stems(content_words(plain_question(question))))
    back_to_the_text = bool(_TURNS_BACK_TO_THE_TEXT.search(question))
    kept: list[dict] = []
    for turn in history:
        declined = turn.get("role") == "assistant" and (
            turn.get("content", "").lstrip().startswith(DECLINED)
        )
        if not declined:
            kept.append(turn)
        elif kept and kept[-1].get("role") == "user":
            earlier = set(stems(content_words(plain_question(kept[-1].get("content", "")))))
            if asks and asks <= earlier and len(words(question)) > 2:  # not "Kathy?"
                kept.pop()
            elif back_to_the_text and _only_about_the_screen(kept[-1].get("content", "")):
                kept.pop()  # "what about in the book, …" after "is it the same in the film"
            else:
                kept.append(turn)
    return kept


def previous_question(history: Sequence[dict]) -> str:
    """The question a follow-up leans on: the last one that names what it asks about,
    not a bare request ("key quotes" after "How does Ruth hurt Kathy?") nor a follow-up
    naming nothing ("why?"). With none left in the history, the point the last answer
    told (a third "tell me more" in a row goes on from there); "" when there is none.
    A question pointing into an answer ("explain the first one") names the item it
    points at: "give me a quote for that" after it had been searched as "explain the
    first one give me a quote for that", and refused. When the list it pointed into has
    left the history, it names what the answer to it told."""

    def named(at: int, question: str) -> str:
        if item := pointed_at(question, history[:at]):
            return item
        reply = history[at + 1] if at + 1 < len(history) else {}
        if points_only(question) and reply.get("role") == "assistant":
            return told_point(reply.get("content", ""))
        return question

    asked = [
        named(at, turn.get("content", ""))
        for at, turn in enumerate(history)
        if turn.get("role") == "user"
    ]
    naming = [t for t in asked if subjects(plain_question(t)) and not _bare_requests(t)]
    told = [point for point in map(told_point, turns(history, "assistant")[-1:]) if point]
    return (naming or told or asked or [""])[-1]


# A markdown link: "[Lanyon](https://…)" says "Lanyon", "[link](https://…)" nothing. An
# address may hold brackets: "…/Never_Let_Me_Go_(novel)".
MARKDOWN_LINK = re.compile(
    r"\[(?P<text>[^\]\n]{0,200})\]\(\s*(?:[a-z][a-z0-9+.-]{1,20}:|www\.)(?:[^\s()]|\([^\s()]*\))*\s*\)",
    re.I,
)
_SAYS_ONLY_LINK = re.compile(r"\W*(?:link|here|click here|this|source|website|url)?\W*", re.I)


# A coloured or styled span in Streamlit's markdown, ":red[hi]": its text is what it says.
_DIRECTIVE = re.compile(r"(?<![\w:]):[a-z]+(?:-[a-z]+)?\[(?P<text>[^\]\n]{0,200})\]", re.I)


# A person asked about by title and name, in any case: "who is miss lucy", "whos mr smith";
# not "do they miss home" nor "is scrooge a nice uncle", where the word is no title.
_TITLED_NAME = re.compile(
    r"\bwho(?:'s|’s|s|\s+is|\s+was|\s+are|\s+were)\s+"
    r"(?:miss|mr|mrs|ms|mx|dr|madame|madam|sir|lady|lord|professor|prof|aunt|uncle)"
    r"\.?[ ]+(?P<name>[a-z]{2,})\b",
    re.I,
)
# A name's run of capitalised words, with the small words a title may hold inside it.
_NAME_RUN = re.compile(
    r"[A-Z][\w’'-]*(?:[ ]+(?:(?:of|and|the|a|an|in|on|to|for)[ ]+)*[A-Z][\w’'-]*)+"
)
_ACRONYM_WORD = re.compile(r"(?<![\w'’])[A-Za-z]{3,8}(?![\w'’])")
ACRONYM_LETTERS = 3  # the shortest acronym spelt out: "ki" could be anything


def _acronyms(titles: Iterable[str]) -> dict[str, str]:
    """Each acronym of a run of capitalised words in the notes' titles (ACRONYM_LETTERS or
    more initials, the small words inside a title counted: "omam", "Of Mice and Men"),
    lower case, with the words it stands for; never one of `CHAT_WORDS` ("acc", "meh"). A
    run such as "Friendship in Never Let Me Go" gives the acronym of every part of it that
    starts and ends on a capital ("nlmg"). Titles only: every run of names in the passages
    gave dozens ("meh" for "Mr Edward Hyde")."""
    found: dict[str, str] = {}
    for text in titles:
        for run in _NAME_RUN.finditer(text):
            said = run.group(0).split()
            for start in range(len(said)):
                for end in range(start + ACRONYM_LETTERS, min(len(said), start + 8) + 1):
                    name = said[start:end]
                    acronym = "".join(w[0] for w in name).lower()
                    if (
                        name[-1][:1].isupper()
                        and name[0][:1].isupper()
                        and acronym not in CHAT_WORDS
                    ):
                        found.setdefault(acronym, " ".join(name))
    return found


# Chat words that read like acronyms: never a title's.
CHAT_WORDS = frozenset(
    "acc aka asap btw brb fyi idk imo imho irl lmao lol meh ngl nvm omg pls plz rn smh tbh "
    "tbf thx wtf wth yeah yep yup".split()
)


def _link_text(match: re.Match) -> str:
    text = match["text"]
    return " " if _SAYS_ONLY_LINK.fullmatch(text) or MARKUP.fullmatch(text.strip()) else text


def plain_question(question: str, known: Callable[[str], bool] = lambda word: False) -> str:
    """What a question asks, without markup ("<b>Ruth</b>?" asks "Ruth ?") or chat filler
    around it ("hey, is Ruth kind lol" asks "is Ruth kind"), with chat shorthand spelt
    out ("abt" asks "about"), unless the notes use the word themselves (`known`): notes
    on chemistry may well explain "HI"."""
    question = _DIRECTIVE.sub(r"\g<text>", MARKDOWN_LINK.sub(_link_text, question))
    question = " ".join(MARKUP.sub(" ", question).split())

    def unless_known(match: re.Match) -> str:
        return match.group(0) if any(known(w) for w in words(match.group(0))) else " "

    def spelt_out(match: re.Match) -> str:
        word = match.group(0)
        return word if known(word) else CHAT_SHORTHAND[word.lower()]

    question = " ".join(FILLER.sub(unless_known, question).split()) or question
    return _SHORTHAND.sub(spelt_out, question)


# The end of a sentence telling something: not "vs." or "e.g." ("friendship vs. rivalry").
_STATEMENT_END = re.compile(r"(?<=[a-z]{3}[.!])(?<!\betc\.)\s+(?=\S)", re.I)
# How a question may be led into after telling something: "anyway my question is…"
_ASKING_LEAD = re.compile(
    r"^(?:(?:anyway|so|ok|okay|basically|but)\W+)*"
    r"(?:(?:my|the) question is|i (?:want|wanted|need) to (?:know|ask)|i was wondering)?\W*",
    re.I,
)


_LEAD_WORDS = frozenset("anyway so ok okay basically but".split())  # of `_ASKING_LEAD`
# Where a message says that its question comes now, mid-sentence or not.
_SAYS_IT_ASKS_NOW = re.compile(
    r"(?:^|[,.;:!–—-]\s*)(?:(?:and|so|but|anyway|basically|ok|okay)\W+)*"  # after a break
    r"(?:(?:my|the)\s+(?:actual\s+|real\s+|main\s+|proper\s+)?question\s+(?:is|was)"
    r"|what\s+i\s+(?:really\s+)?(?:want|wanted|need)\s+to\s+(?:know|ask)\s+is)\b[\s:,–—-]*",
    re.I,
)


# What a message may say of itself before a dash or colon, asking nothing: "conclusion for
# my essay - why do they stay close", "quick question: is Ruth kind?"
_SAYS_OF_ITSELF = frozenset(
    """
    essay exam conclusion introduction intro paragraph homework revision revising question
    quick urgent help stuck plan
    """.split()
)
_SAYS_OF_ITSELF_BREAK = re.compile(r"\s+[-–—]+\s+|\s*:\s+")


def after_preamble(question: str) -> str | None:
    """The question a message asks last, after telling something first, when it says
    all it asks itself (SELF_CONTAINED_WORDS topical words): "I have my mock next week
    and keep getting confused. Anyway, how does Kathy show she cares about her friends?"
    Searched whole, the telling outweighed the asking (the answer was on friendship in
    general). None for any other message: "I love Ruth. Why is she mean?" needs the
    telling to say who "she" is.

    A message saying where its question starts is searched from there, also inside a
    sentence ("…he seems to be picked on a lot, so my actual question is: how does Ruth
    treat Kathy at the Cottages?").

    Example: after_preamble("My mock is soon. How does Kathy care for Ruth?") == "How
    does Kathy care for Ruth?"
    """
    text = question.strip()
    told, *rest = _SAYS_OF_ITSELF_BREAK.split(text, maxsplit=1)
    if rest and content_words(rest[0]) and set(content_words(told)) <= _SAYS_OF_ITSELF:
        return rest[0]
    breaks = list(_STATEMENT_END.finditer(text)) if text.endswith("?") else []
    said = list(_SAYS_IT_ASKS_NOW.finditer(text))
    if said:  # "…and I'm a bit confused, so my actual question is: how does Ruth…?"
        told, asked = text[: said[-1].start()], text[said[-1].end() :]
    elif breaks:
        told, asked = text[: breaks[-1].start()], text[breaks[-1].end() :]
        asked = _ASKING_LEAD.sub("", asked, count=1) or asked
    else:
        return None
    if "?" in told or len(content_words(asked)) < SELF_CONTAINED_WORDS:
        return None
    # "Madame is scary. How do the students react when they meet her?": "her" is a name
    # the telling gives and the question does not
    named = (
        {
            w.lower()
            for w in re.findall(r"\b[A-Z][a-z]+", told)
            if not re.fullmatch(_OPENING_FILLER, w, re.I)  # "Hi."
        }
        - STOPWORDS
        - _LEAD_WORDS
    )
    if named - set(words(asked)) and set(words(asked)) & PERSONAL_PRONOUNS:
        return None
    return asked


# Asking for the evidence of what was said: "how do you know?", "how can u tell".
_ASKS_HOW_WE_KNOW = re.compile(
    r"\W*(?:(?:and|but|so|ok)\W+)?how\s+(?:do|can|would|could|did)\s+(?:you|u|we|i)\s+"
    r"(?:know|tell)\b(?:\s+(?:that|this|it|for\s+sure))?\W*$"
)


def compares_with_before(question: str) -> bool:
    """Does the question compare with what was said, naming too little to stand alone ("is
    there a similar idea later on", "Is Tommy the same?", "Tommy too?")? Not "Why does
    Kathy keep going back to the same memories of Hailsham?", which says what it asks."""
    said = words(question)
    if COMPARING.isdisjoint(said):
        return False
    topical = [w for w in content_words(question) if w not in COMPARING and not is_generic(w)]
    return len(topical) < SELF_CONTAINED_WORDS or said[-1] in COMPARING


def points_back(question: str) -> bool:
    """Does the question point back with a pronoun ("How does she…?"), not turning to
    something new ("What about when she meets Tommy again?")? Then it cannot stand alone."""
    return not PERSONAL_PRONOUNS.isdisjoint(words(question)) and not _TURNS_TO.match(question)


def is_follow_up(question: str, history: Sequence[dict]) -> bool:
    """Does the question lean on the previous turn ("And how does she…", "Why?")?

    An opening "And…" alone is not enough when the question names its own subject:
    "And how does Ruth treat Kathy later on?" after "How is friendship shown?" is about
    Ruth, and searching it together with the general question drowned that. Nor is
    having one word of substance, when that word is a new subject and the question says
    what it wants to know of it: "Tell me about Tommy." after "How is friendship shown?"
    stands alone, where "Ruth?", "How come?", "Any quotes?" and "Is Tommy the same?" lean
    on the turn before, as do "key quotes", "tl;dr" (see `requests_only`) and any
    message naming nothing ("PEEL paragraph pls", "another one"; see `names_nothing`).
    So does a question comparing with something
    ("is there a similar idea at the end of the book"), and one asking how we know ("how
    do u know").
    """
    if not user_turns(history):
        return False
    lowered = question.strip().lower()
    topical = len(content_words(lowered))
    says_what_it_asks = (
        len(words(lowered)) > 2
        and not COMPARING.intersection(words(lowered))  # "Is Tommy the same?"
        and bool(new_subject(lowered, previous_question(history)))
    )
    return (
        _pronoun_leans_back(lowered)
        or compares_with_before(lowered)  # "is there a similar idea later on", "Tommy too?"
        or bool(_ASKS_HOW_WE_KNOW.match(lowered))  # "how do u know"
        or (topical <= 1 and not says_what_it_asks)
        or requests_only(question)  # "key quotes", "tl;dr"
        or names_nothing(question)  # "PEEL paragraph pls", "another one"
        or (lowered.startswith(FOLLOW_UP_OPENERS) and topical < SELF_CONTAINED_WORDS)
    )


_NOT_PERSONS = frozenset("it its they them their theirs".split())


def _pronoun_leans_back(question: str) -> bool:
    """Does a pronoun of the question point at the turn before? A pronoun for a person
    does ("What do the witches' prophecies in Act 1 Scene 3 reveal about him?" after
    "How is Banquo presented?"); one for a thing does not when the question has named
    NAMED_BEFORE_A_PRONOUN things or more before it, which it points at: "What is the
    exact quotation about Kathy seeking out donors, and where is it in the notes?" after
    "Compare the presentation of Ruth and Tommy." had been searched with Ruth and Tommy,
    and quoted them rather than Kathy seeking out her donors."""
    said = words(question)
    at = next((i for i, w in enumerate(said) if w in FOLLOW_UP_PRONOUNS), None)
    if at is None:
        return False
    if any(w in PERSONAL_PRONOUNS - _NOT_PERSONS for w in said):
        return True  # "…reveal about him?": a person named before, as a rule
    named = {w for w in subjects(" ".join(said[:at])) if not is_generic(w) and w not in _SHOWING}
    return len(named) < NAMED_BEFORE_A_PRONOUN


def names_nothing(question: str) -> bool:
    """Does the message name nothing to look up, nor ask for what the notes hold as a
    whole ("tl;dr", "key quotes")? "why?", "tell me more", "what happens next?": it can
    only lean on a question asked before.

    Example: names_nothing("why?") is True; names_nothing("what is the novel about?") is
    False.
    """
    plain = plain_question(question)
    rest = what_next_asked(plain)  # "what happens next?"
    asked = content_words(plain if rest is None else rest)
    # "what is the novel about?" names the whole work: a question, not a follow-up
    named = [w for w in asked if w not in REQUEST_WORDS | _HAPPENING | _ONE]
    return bool(words(plain)) and not named and not _bare_requests(question)


# The verbs of "what does it show/suggest/tell us": no subject of the question's own.
_SHOWING = frozenset("show shows suggest suggests tell tells us reveal reveals mean means".split())
# "another one": no subject, but a heading's number ("Stave One") is one
_ONE = frozenset(["one", "ones"])
_HAPPENING = frozenset("happen happens happened happening go goes going".split())
# "What does she do then?", "What happens next?", "And after that?"
_WHAT_NEXT = re.compile(r"\s*\b(?:then|next|after(?:wards|\s+(?:that|this))?)\W*$", re.IGNORECASE)
_GOES_ON_OPENERS = frozenset("what and so then but ok okay".split())


def what_next_asked(question: str) -> str | None:
    """The rest of a question shaped as asking what comes next, else None: it ends on
    "then", "next" or "after that", opens with "what", "and" or "so" (or is no more than
    that), and names at most one subject ("What does Tommy do next?"). "Why then?",
    "What does it mean then?", "Who does she look after?" and "What happens to the town
    after the storm?" do not ask it."""
    question = question.strip()
    rest = _WHAT_NEXT.sub("", question)
    opening = words(rest)
    topical = content_words(rest)
    if (
        rest == question
        or (opening and opening[0] not in _GOES_ON_OPENERS)
        or "about" in opening
        or len(topical) > 1
        or any(w in NOT_A_SUBJECT for w in topical)
    ):
        return None
    return rest


def asks_what_next(question: str, history: Sequence[dict]) -> bool:
    """Is the question a follow-up asking what the notes say after what answered the turn
    before (see `what_next_asked`)?"""
    return bool(user_turns(history)) and what_next_asked(question) is not None


def told_point(answer: str) -> str:
    """The point an answer of the tutor's opened with, as plain words: its first paragraph
    that is neither the key quotation nor a label, without [n] markers and markdown
    escapes; with none, the key quotation (a quotation that answered is the point, set
    out as one); "" for a refusal, "nothing more", or an answer with neither."""
    if answer.startswith((DECLINED, NOTHING_FURTHER, NOTHING_MORE)):
        return ""  # a refusal, or the notes having nothing more to tell
    paragraphs = [
        p.strip().removeprefix(PARAGRAPH_LABELS["point"])
        for p in re.split(r"\n\s*\n", without_hedge(answer))
    ]
    told = [p for p in paragraphs if p and not p.startswith(("**", ">", "The notes also"))]
    quoted = [p for p in paragraphs if p.startswith(">")][:1]
    for paragraph in (told or quoted)[:1]:
        paragraph = re.sub(r"^>\s?", "", paragraph, flags=re.M)
        return plain_text(re.sub(r"\s*\[\d+\]", "", paragraph)).strip()
    return ""


def without_hedge(answer: str) -> str:
    """An answer of the tutor's without the line it may open with: the hedge (`HEDGE`),
    "In short:" (a gist), "The notes quote nowhere…" (`NO_QUOTATION_ON_THIS`), "A
    paragraph built from…" (`AS_A_PARAGRAPH`) or where the notes say it
    (`PLACE_IN_THE_NOTES`)."""
    answer = _PLACE_LINE.sub("", answer.strip(), count=1).lstrip()  # it comes first
    for opening in (HEDGE, IN_SHORT, NO_QUOTATION_ON_THIS, AS_A_PARAGRAPH):
        answer = answer.removeprefix(opening).lstrip()
    return answer


# "the first one", "your second point", "the last reason": a pointer into the answer before.
_ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}
_POINTS_AT_ITEM = re.compile(
    rf"\b({'|'.join(_ORDINALS)})\s+(?:(?:main|key|big|major)\s+)?"
    r"(?:one|point|reason|way|example|bullet|item|idea|paragraph)s?\b",
    re.IGNORECASE,
)
_CLAUSE_BREAK = re.compile(r"[;:]\s+|,\s+(?:and|or|but)\s+|(?<=[.!?])\s+")


def answer_items(answer: str) -> list[str]:
    """What an answer sets out one by one: its list items if it has a list, else the
    clauses of its opening paragraph ("Mainly through A, and through B" -> A, B).

    Example: answer_items("It shows it through:\n• memory [1]\n• loss") == ["memory", "loss"]
    """
    plain = re.sub(r"\s*\[\d+\]", "", without_hedge(answer)).replace("\\", "")
    lines = plain.splitlines()
    items = [BULLET.sub("", line).strip() for line in lines if BULLET.match(line)]
    if len(items) >= 2:
        return items
    opening = plain.strip().split("\n\n", 1)[0]
    return [c.strip(" .") for c in _CLAUSE_BREAK.split(opening) if content_words(c)]


def listed_item_asked(question: str, passages: Sequence[Passage]) -> str | None:
    """The item a question asks for by its place in a list the notes set out, when the
    question names what the list is of: "whats the first way ishiguro shows friendship"
    asks for the first item of "…shows the theme of friendship through: • Kathy’s
    determination… • the way Kathy, Ruth and Tommy are reunited…", found among the best
    passages (the first list there with that many items). It had found the reunion with
    Tommy, and "ok whats the second way" after it Ruth hurting Kathy."""
    match = _POINTS_AT_ITEM.search(question)
    if not match or points_only(question):
        return None
    at = _ORDINALS[match.group(1).lower()]
    asked = set(stems(subjects(question[: match.start()] + " " + question[match.end() :])))
    for passage in passages[:LISTS_SEARCHED]:
        items = _items_of_a_list_on(passage.chunk, asked)
        if len(items) >= 2 and -len(items) <= at < len(items):
            return items[at]
    return None


def _items_of_a_list_on(chunk: Chunk, asked: set[str]) -> list[str]:
    """The items of the list a passage sets out, when its lead-in names LEAD_IN_SHARE of
    the `asked` subject stems or more; [] for any other passage. The list must be of
    what is asked: "What is the first example of cruelty at Hailsham?" is not asking into
    a list of the ways friendship is shown."""
    lines = chunk.text.splitlines()
    lead_in = set(stems(words(" ".join(x for x in lines if not BULLET.match(x)))))
    on_it = bool(asked) and len(asked & lead_in) >= LEAD_IN_SHARE * len(asked)
    return list_items(chunk) if on_it else []


def list_items(chunk: Chunk) -> list[str]:
    """The items a passage sets out as a list, without their bullets."""
    lines = chunk.text.splitlines()
    return [BULLET.sub("", line).strip() for line in lines if BULLET.match(line)]


# "what are the two main points I should make?": a count of the points asked for.
_COUNTED_POINTS = re.compile(rf"\b(?P<count>two|three|four|five|[2-5])\s+{_LISTED_POINTS}", re.I)
_COUNTS = {"two": 2, "three": 3, "four": 4, "five": 5}


def counted_points(question: str) -> int | None:
    """How many points a question asks for ("the two main ways…"), or None."""
    found = _COUNTED_POINTS.search(question)
    if not found:
        return None
    count = found["count"].lower()
    return _COUNTS.get(count) or int(count)


# Asks for the main points of something without counting them: a list of them answers.
_MAIN_POINTS = re.compile(
    r"\b(?:main|key|important|big|biggest|major)\s+"
    r"(?:ways|points|reasons|ideas|aspects|methods|factors)\b",
    re.I,
)


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
    asked = set(stems(subjects(_COUNTED_POINTS.sub(" ", question))))
    listed = [
        p.chunk.id
        for p in passages[:LISTS_SEARCHED]
        if (items := len(_items_of_a_list_on(p.chunk, asked))) == count
        or (count is None and items > 1)
    ][:1]
    return _boosted(passages, COUNTED_LIST_BONUS, lambda chunk: chunk.id in listed)


def restated_pointer(question: str, history: Sequence[dict]) -> str | None:
    """A pointer naming nothing ("ok whats the second way") after a question asking for
    an item of the notes' list by its place ("whats the first way ishiguro shows
    friendship", perhaps followed up since), as that question with the new place: "whats
    the second way ishiguro shows friendship". It had been searched for an item of the
    answer before, which set out no list, and declined."""
    if not points_only(question):
        return None
    wanted = _POINTS_AT_ITEM.search(question)
    asked = user_turns(history)
    for at in range(len(asked) - 1, -1, -1):
        earlier = asked[at]
        found = _POINTS_AT_ITEM.search(earlier)
        if found and not points_only(earlier):
            return earlier[: found.start(1)] + wanted.group(1) + earlier[found.end(1) :]
        if not is_follow_up(earlier, history_before(history, at)):
            return None  # a question of its own came between
    return None


def history_before(history: Sequence[dict], asked: int) -> list[dict]:
    """The history before the user's `asked`-th question (counted from 0)."""
    seen = -1
    for i, turn in enumerate(history):
        if turn.get("role") == "user":
            seen += 1
            if seen == asked:
                return list(history[:i])
    return list(history)


LISTS_SEARCHED = 4  # the best passages a list asked into may be among
LEAD_IN_SHARE = 0.3  # the share of the question's subjects a list's lead-in must name


def points_only(question: str) -> bool:
    """Does the question point into an answer ("explain the first one") and name no
    subject of its own ("What is the first example of cruelty at Hailsham?" does)?"""
    match = _POINTS_AT_ITEM.search(question)
    if not match:
        return False
    rest = question[: match.start()] + question[match.end() :]
    return len([w for w in content_words(rest) if w not in NOT_A_SUBJECT]) <= 1


def pointed_at(question: str, history: Sequence[dict]) -> str | None:
    """The item of the previous answer a follow-up points at ("explain the first one"),
    or of the answer before those that explained its items or followed them up ("And the
    second point?" after "explain the first one" and "give me a quote for that"), or
    None: also when the question names a subject of its own ("What is the first
    example of cruelty at Hailsham?"), or the answer before was a refusal or no list."""
    match = _POINTS_AT_ITEM.search(question)
    answers = turns(history, "assistant")
    if not match or not answers or answers[-1].lstrip().startswith(DECLINED):
        return None
    if not points_only(question):
        return None  # "…the first example of cruelty at Hailsham": a subject of its own
    # "And the second point?" after "Can you explain the first one?": the list is in the
    # answer before the ones that explained its items.
    exchanges, asked = [], -1  # (where its question is in `history`, answer), oldest first
    for at, turn in enumerate(history):
        if turn.get("role") == "user":
            asked = at
        elif turn.get("role") == "assistant":
            exchanges.append((asked, turn.get("content", "")))
    # So is it in the answer before a follow-up on an item ("give me a quote for that").
    listing = len(exchanges) - 1
    while listing > 0 and (at := exchanges[listing][0]) >= 0:
        asked_there, before = history[at].get("content", ""), history[:at]
        if not pointed_at(asked_there, before) and (
            len(answer_items(exchanges[listing][1])) > 1 or not is_follow_up(asked_there, before)
        ):
            break  # a question of its own ("What is the first example of cruelty?")
        listing -= 1
    items = answer_items(exchanges[listing][1])
    at = _ORDINALS[match.group(1).lower()]
    return items[at] if len(items) > 1 and -len(items) <= at < len(items) else None


def build_query(
    question: str,
    history: Sequence[dict],
    lexical: LexicalIndex,
    whole: Sequence[dict] | None = None,
) -> Query:
    """The search for a question: spelling corrected, and a follow-up searched together
    with the question before it, which names what "she" or "they" are.

    A follow-up with words of its own still picks its answer's sentences by them alone:
    the passages found are on the earlier subject already, and the sentences that answer
    the earlier question are not what is asked now ("Do they ever become friends again?"
    after "Why did Kathy leave the Cottages?" quotes "…their fondness for each other has
    returned", not why she left).

    A pointer into an answer ("and the second point?") may reach further back (`whole`:
    the tutor gives the last twelve turns) than the turns a follow-up leans on: after
    "explain the first one", "give me a quote for that" and "why is that important?",
    the list it points into is four exchanges back.
    """

    question = lexical.plain(question)
    asked = lexical.correct(question)
    history = answered(history, question)
    if item := pointed_at(question, answered(whole, question) if whole else history):
        return Query(question, f"{lexical.correct(item)} {asked}", True)
    goes_on = asks_what_next(asked, history)
    rest = what_next_asked(asked)
    if rest is not None:  # "next" is no subject, with or without a turn before
        asked = rest
    if ASKS_FOR_PARAGRAPH.search(asked):  # "help me write a paragraph about tommy"
        asked = " ".join(
            w for w in asked.split() if w.lower().strip(".,:;!?") not in _PARAGRAPH_WORDS
        )
    if (where := where_in_notes_asked(asked)) is not None:  # "which section discusses…"
        asked = where
    if not (goes_on or is_follow_up(question, history)):
        return Query(question, asked, False)
    previous = lexical.correct(lexical.plain(previous_question(history)))
    last = history[-1]
    if goes_on or asks_for_gist(question):
        # the answer goes on from (or sums up) what the tutor told last, or was asked last
        previous = (last.get("role") == "assistant" and told_point(last["content"])) or previous
    elif (
        (asks_what_it_means(asked) and not set(subjects(asked)) - _SHOWING)
        or (ASKS_TO_ANALYSE_LANGUAGE.search(asked) and names_nothing(question))
    ) or (_POINTS_AT_ITEM.search(previous) and not points_only(previous)):
        # "wat does it show" after "give me a quote": what the quotation told shows;
        # "whats the evidence for it" after "whats the first way ishiguro shows
        # friendship": the item of the notes' list it was answered by (`listed_item_asked`)
        told = last.get("role") == "assistant" and told_point(last["content"])
        previous = f"{told} {previous}" if told else previous
    if ASKS_FOR_PARAGRAPH.search(question) and names_nothing(question):
        # "write me a PEE paragraph on that": the turn before's question, as it was asked
        return Query(question, previous, True, (), "", previous=previous)
    text = f"{previous} {asked}"
    if goes_on:
        focus = new_subject(asked, previous, lexical.names)
        return Query(question, text, True, focus, previous, goes_on=True, previous=previous)
    if requests_only(question) or _ASKS_HOW_WE_KNOW.match(question.lower()):
        return Query(question, text, True, (), "", previous=previous)  # it names no subject
    focus = new_subject(asked, previous, lexical.names)
    evidence = asked if content_words(asked) else ""
    return Query(question, text, True, focus, evidence, previous=previous)


def chained_query(question: str, history: Sequence[dict], lexical: LexicalIndex) -> Query | None:
    """A follow-up to follow-ups, searched with the questions they leaned on, back to the
    one that stood alone (at most CHAIN_REACH questions in all): "are they friends again
    by the end?" after "does she ever apologise?" after "How does Ruth hurt Kathy?" is
    about Ruth and Kathy, which "does she ever apologise?" alone does not say. None when
    the question or the turn before it stands alone.

    Tried only for a follow-up the notes would not answer otherwise: searching every
    follow-up with the whole chain drifted, as older questions outweighed newer ones.
    """
    query = build_query(question, history, lexical)
    history = answered(history, question)
    asked_at = [at for at, turn in enumerate(history) if turn.get("role") == "user"]
    if not (query.follow_up and query.previous and asked_at):
        return None
    chain = [query.text[len(query.previous) :].strip()]
    for at in reversed(asked_at[-(CHAIN_REACH - 1) :]):
        before = build_query(history[at].get("content", ""), history[:at], lexical)
        if not before.follow_up:
            chain.append(before.text)
            break
        chain.append(before.text[len(before.previous) :].strip())
    if len(chain) < 3 and not before.follow_up:
        return None  # the turn before stood alone: `build_query` searched it so already
    text = " ".join(reversed(chain))
    return Query(question, text, True, query.focus, query.evidence, previous=text)


def words_of_its_own(question: str, focus: Sequence[str]) -> list[str]:
    """The stems of a follow-up's topical words other than its new subject (`focus`, see
    `new_subject`): what it asks of its own, rather than of the turn before's question.

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


# "What about when she meets Tommy again?": turns to a new subject, whatever pronouns follow.
_TURNS_TO = re.compile(r"\W*(?:(?:and|but|ok|so)\W+)?(?:what|how)\s+about\b", re.I)


def new_subject(
    question: str, previous: str, names: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The word stems of a follow-up that names its own subject and that the question
    before it lacks. When the follow-up points back with a pronoun, only the names among
    them (`names`, stems of the notes' names): "And when she sees Ruth again?" after a
    question on Kathy meeting Tommy turns to Ruth, and "she" is Kathy still. Unless it
    turns to something new: "What about when she meets Tommy again?" after a question on
    Kathy seeing Ruth is on Tommy, and on meeting again.

    Example: new_subject("And what about Tommy?", "How does Ruth treat Kathy?") == ("tommi",)
    """
    before = set(stems(content_words(previous)))
    topical = [w for w in content_words(question) if w not in NOT_A_SUBJECT | _ONE]
    new = tuple(dict.fromkeys(s for s in stems(topical) if s not in before))
    if any(w in FOLLOW_UP_PRONOUNS for w in words(question)) and not _TURNS_TO.match(question):
        return tuple(s for s in new if s in names)
    return new


# --------------------------------------------------------------------------- ranking

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
QUOTATION_BONUS = 1.0  # asked for a quotation: the score a passage quoting the text gains
CARRY_OVER = 0.9  # a passage leaning on another is at least this share as relevant
FOCUS_BONUS = 1.0  # a follow-up naming a new subject: the score a passage naming it gains
SECTION_BONUS = 0.5  # a question naming a section: the score a passage under it gains
COMPARED_BONUS = 0.5  # asked to compare people: the score a passage naming them all gains
COUNTED_LIST_BONUS = 1.0  # asked for two points: the score a list of two on it gains
# "Summarise the notes", "give me an overview", "what are the key points?": asks for the
# notes as a whole (or one file's, named by its title: "summarise Macbeth").
ASKS_FOR_OVERVIEW = re.compile(
    r"\b(?:summ?ar(?:i[sz]e|y|ies)|overview|recap|sum (?:\w+ ){0,2}up"
    r"|(?:key|main) (?:points?|ideas?|arguments?|themes?|messages?)|tl;?dr|gist"
    r"|simpl(?:er|y|ify)|(?:in|using) (?:simple|plain|easy|easier) (?:words|terms|english)"
    r"|eli5|dumb (?:it|that|this) down"
    # "can u make it shorter", "i still don't get it", "i am confused"
    r"|shorter|shorten"
    r"|(?:do ?n[o']?t|can'?t|cant) (?:still )?(?:get|understand)(?: (?:it|that|this))?"
    r"|(?:i'?m|im|i am) (?:so |still )?(?:confused|lost)"
    # "what is the book about" (asked as all there is to ask): the notes say what they
    # are about where they begin; not "what does the book say about that?"
    r"|(?:what|wat|wot)(?:'?s| is| does)? (?:the|this) (?:book|novel|novella|text|story|play)"
    r" (?:about|cover|say)(?=\W*$))\b",
    re.I,
)
OVERVIEW_WORDS = frozenset(
    stems(
        """
        summarise summarize summary summaries overview recap sum key main point points idea
        ideas gist tldr tl dr notes note everything whole word words short brief briefly quick
        quickly simple simply few please pls plz sentence sentences paragraph line lines
        explain simpler simplify plain easy easier terms english eli5 dumb put
        make shorter shorten long get understand confused lost
        argument arguments content contents theme themes message messages
        """.split()
    )
)
SEVERAL_FILES = ""  # `overview_of`: several files could be meant


# "What are the key quotations?", "quotes please": asks for the notes' quotations as a
# whole, not for one showing something.
QUOTATION_WORDS = frozenset(
    stems(
        """
        quote quotes quotation quotations key main important best good useful some few list
        all notes note please pls plz give
        """.split()
    )
)


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


# A part of the text named by its number ("chapter 1", "Act 2", "stave three"): more than
# any title names.
_NAMES_A_PART = re.compile(
    r"\b(?:chapters?|acts?|scenes?|parts?|sections?|pages?|staves?|stanzas?|volumes?|papers?)"
    r"\s+(?:\d+|[ivx]+|one|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.I,
)
# Words saying a request is about the notes as a whole, even after an answer.
_WHOLE_NOTES = frozenset("notes note everything whole".split())
_WHAT_THE_WORK_IS_ABOUT = re.compile(
    r"\b(?:book|novel|novella|text|story|play) (?:about|cover|say)\W*$", re.I
)


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
    rest = _named_besides(question, request, request_words)
    if rest is None:
        return None
    files = [source] if source else list(lexical.by_source)
    if not rest:
        if user_turns(history) and not _asks_for_whole(question, request):
            return None  # "Any quotes?", "tl;dr" after an answer: on what it said
        return files[0] if len(files) == 1 else SEVERAL_FILES
    return _titled(rest, files, lexical)


def _named_besides(
    question: str, request: re.Pattern[str], request_words: frozenset[str]
) -> set[str] | None:
    """The word stems a request (`request`) names besides `request_words`; None when the
    question makes no such request, or names a part of the text ("recap chapter 1")."""
    if not request.search(question) or _NAMES_A_PART.search(question):
        return None
    asked = subjects(request.sub(" ", question))  # "sumarise" is no subject
    return {
        s
        for s in stems(asked)
        if s not in request_words and not s.isdigit() and s not in _NUMBER_STEMS  # "three"
    }


# Words asking for the notes' quotations as a set, even after an answer: "key quotes",
# "list the main quotations"; "Any quotes?" asks for one on what the answer said.
_ALL_QUOTATIONS = frozenset("key main important all list".split())


def _asks_for_whole(question: str, request: re.Pattern[str]) -> bool:
    """Does a request ask about the notes as a whole ("summarise the notes", "key
    quotes"), whatever came before?"""
    said = set(words(question.lower()))
    return (
        bool(said & _WHOLE_NOTES)
        or (request is ASKS_FOR_QUOTATION and bool(said & _ALL_QUOTATIONS))
        # "what is the book about" after an answer asks about the book, not the answer
        or (request is ASKS_FOR_OVERVIEW and bool(_WHAT_THE_WORK_IS_ABOUT.search(question)))
    )


def requests_only(question: str) -> bool:
    """Is the question a bare request for an overview or quotations ("tl;dr", "any
    quotes?"), naming nothing, and not for the notes' whole (see `_asks_for_whole`)?
    After an answer, it asks about what that answer said."""
    return any(not _asks_for_whole(question, request) for request in _bare_requests(question))


# "Which section of the notes discusses the reunion at the end?", "where in my notes is
# that?": asks where the notes say something, with what it asks about after the frame.
_NOTES = r"(?:the|my|these|your)\s+notes"
_TALKING = r"discuss(?:es)?|covers?|talks?\s+about|mentions?|deals?\s+with|explains?"
_TALKS_OF = rf"(?:\s+(?:does|do|did)(?:\s+(?:it|they|the\s+notes))?)?\s+(?:{_TALKING})"
_DISCUSSES = (  # a section "is about" a thing, "has" or "contains" a quotation
    r"(?:\s+(?:does|do|did|is|are)(?:\s+(?:it|they|the\s+notes))?)?"
    rf"\s+(?:{_TALKING}|says?|has|holds?|contains?|quotes?|is\s+about|are\s+about|is\s+on|are\s+on)"
)
_ASKS_WHERE_IN_NOTES = re.compile(
    # "…of the notes", or saying what it discusses: not "Which part of the novel…?", nor
    # "What part is on the left side of the heart?"
    rf"\b(?:(?:which|what)\s+(?:sections?|parts?|bits?|headings?|paragraphs?)\s+(?:of|in)\s+{_NOTES}"
    rf"(?:{_DISCUSSES})?"
    rf"|(?:which|what)\s+(?:sections?|headings?|paragraphs?){_DISCUSSES}"
    rf"|(?:which|what)\s+(?:parts?|bits?){_TALKS_OF}"
    rf"|where(?:\s+exactly|\s+abouts)?\s+in\s+{_NOTES}(?:{_DISCUSSES})?"
    # "…and where is it in the notes?", "where's that in my notes"
    rf"|where(?:\s+(?:is|are)|'s|’s)(?=\s+(?:it|that|this|they|those|these)\s+in\s+{_NOTES})"
    # "which section is that in?": the pronoun stays, and leans on the answer before
    r"|(?:which|what)\s+(?:sections?|parts?|bits?|headings?|paragraphs?)\s+(?:is|are|was)"
    r"(?=\s+(?:that|this|it|they)\s+(?:in|from|under)\b))\b",
    re.I,
)
# Where the passage shown is, not a claim that it says what was asked: "where in my notes
# does it say Tommy is Kathy's boyfriend?" finds the nearest passage, which does not.
PLACE_IN_THE_NOTES = "In “{title}”, the passage below is under “{section}”:"
PLACE_IN_THE_OPENING = (
    "In “{title}”, the passage below is in the opening, before the first heading:"
)
_PLACE_LINE = re.compile(
    r"\AIn “[^\n]*”, the passage below is (?:under “[^\n]*”|in the opening, [^\n]*):\n"
)


def where_in_notes_asked(question: str) -> str | None:
    """What a question asking where the notes say something asks about, the frame taken
    out ("Which section of the notes discusses the reunion at the end?" -> "the reunion
    at the end"), or None for any other question. Searched with its frame, it had been
    declined: "section", "notes" and "discusses" drew it away from every passage."""
    found = _ASKS_WHERE_IN_NOTES.search(question)
    if not found:
        return None
    rest = f"{question[: found.start()]} {question[found.end() :]}"
    # "where is it in the notes?" keeps its pronoun, to lean on the answer before, but not
    # the notes it names
    return " ".join(re.sub(rf"\b(?:in|from)\s+{_NOTES}\b", " ", rest, flags=re.I).split())


def asks_for_gist(question: str) -> bool:
    """Is the question a bare request to sum up ("tl;dr", "can you sum that up?")? After
    an answer, it asks for that answer's gist, searched by the point it told: searched by
    the question before, "tl;dr" after "How is friendship shown?" had ranked a comment
    first and answered "In short: This shows that friendship is of real importance…"."""
    return (
        ASKS_FOR_OVERVIEW in _bare_requests(question)
        and not _asks_for_whole(question, ASKS_FOR_OVERVIEW)
        and not ASKS_WHY.search(question)  # "i dont get it, why would she do that?"
    )


def _bare_requests(question: str) -> list[re.Pattern[str]]:
    """The requests (for an overview, for quotations) the question makes, naming nothing
    else: "key quotes", "tl;dr", "summarise the notes"."""
    return [
        request
        for request, request_words in (
            (ASKS_FOR_OVERVIEW, OVERVIEW_WORDS),
            (ASKS_FOR_QUOTATION, QUOTATION_WORDS),
        )
        if _named_besides(question, request, request_words) == set()
    ]


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
_PLACES = {  # `_ORDINALS`, and how else a reply may say a place
    **_ORDINALS,
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


# "Analyse the language in 'I started seeking out…'", "whats the key word to analyse in
# that": asks for the notes' comment on a quotation's words (see `comment_on_top_quotation`).
_LANGUAGE = r"\b(?:language|words?|phrases?|lines?|imagery|metaphors?|similes?|verbs?|adjectives?)"
FORM_SHARE = 0.6  # the share of its letters a word opens with as one of the notes' does …
FORM_LETTERS = 5  # … and, to count as known in `known_share`, at least this many
# … to be a form of it: "donation" of "donor" (don-), "tyrant" of "tyranny" (tyran-)
_QUOTED_TERM = r"['‘\"“]?(?P<{}>[a-z][a-z-]+)\b(?!['’]s\b)['’\"”]?"  # not "Madame's"
# "what even is a deferral in never let me go", "define glue", "What does 'glue' mean?"
_ASKS_WHAT_A_TERM_IS = re.compile(
    r"(?:(?:so|ok|and|but)\W+)?"
    r"(?:(?:what(?:\s+even)?(?:'s|’s|s|\s+is|\s+are)|define)\s+(?:even\s+|actually\s+)?"
    rf"(?:an?\s+|the\s+word\s+|the\s+)?{_QUOTED_TERM.format('term')}(?P<rest>[^?]*)"
    rf"|what\s+(?:does|do)\s+(?:the\s+word\s+)?{_QUOTED_TERM.format('meant')}\s+mean)\W*",
    re.I,
)

_PREPOSITIONS = frozenset("of for behind between in on at about with from to into towards".split())
# Where the words naming a thing (and what it is of or for) end: a clause of its own.
_CLAUSE_END = re.compile(r"[,;:?!.]|\s(?:and|but|that|which|who|whom|when|where)\s", re.I)
# "What is the deferral rumour…?", "what's the song on the tape…": the thing asked about.
_ASKS_WHAT_THE_THING_IS = re.compile(
    r"\W*(?:(?:so|ok|and|but)\W+)?what(?:'s|’s|s|\s+is|\s+are|\s+was|\s+were)\s+"
    r"(?:an?|the)\s+"
    # "What's the significance of the stranded boat…?": the boat is the thing
    r"(?:(?:significance|importance|role|meaning|purpose|symbolism)\s+of\s+(?:an?\s+|the\s+)?)?"
    r"(?P<thing>[a-z]+(?:[\s-]+[a-z]+)?)",
    re.I,
)
# Nouns that frame what a question asks rather than name its subject ("What is the main
# way…", "What is the effect of…", "What's the relationship between Kathy and Ruth like?").
FRAMING_NOUNS = frozenset(
    """
    role importance purpose point points effect effects impact message theme themes idea
    ideas relationship relationships bond connection link reason reasons mood tone key
    main biggest overall moral lesson difference differences similarity similarities
    turning moment evidence example examples best context structure narrator narrative
    language symbol symbolism meaning function use way ways type kind part aspect aspects
    nature name word words phrase line lines quote quotes reaction response attitude
    problem issue issues conflict argument outcome ending end beginning start deal thing
    things stuff situation matter story
    atmosphere irony foreshadowing imagery motif motifs setting tension climax contrast
    metaphor simile technique techniques device devices presentation portrayal
    """.split()
)


def _frames(word: str) -> bool:
    """Does the word frame a question rather than name its subject, spelt right or one
    letter off ("whats the efect of the word seeking…")?"""
    if is_generic(word) or word in NUMBER_WORDS or word in FRAMING_NOUNS:
        return True
    return len(word) > 3 and any(edit_distance(word, noun, 1) <= 1 for noun in FRAMING_NOUNS)


# "What does Kathy's choice of donors reveal about her?", "what does that show about
# her?", "What does the word 'serpent' suggest?": asks what something in the text means,
# not what the novel says on a theme.
_WHAT_IT_SHOWS = (
    r"\bwhat (?:does|do|did|might|could|can|would) (?P<subject>[^?]{1,200}?) "
    r"(?:show|suggest|tell|reveal|imply|indicate|demonstrate|highlight|teach)s?"
    r"(?: us| the reader| readers| you)?"
)
ASKS_WHAT_IT_SHOWS = re.compile(rf"{_WHAT_IT_SHOWS}(?: about\b|\W*$)", re.I)
# "what does kathys word choice tell us when she talks about her donors": of words, it
# asks what they mean whatever follows.
ASKS_WHAT_WORDS_SHOW = re.compile(_WHAT_IT_SHOWS, re.I)
# "what does it show that kathy picks donors from hailsham?", "what does this show when
# she…": the moment after "that" or "when"
_WHAT_IT_SHOWS_THAT = re.compile(
    r"\bwhat (?:does|do|did|might|could|can|would) (?:it|this) "
    r"(?:show|suggest|tell|reveal|imply|indicate|demonstrate)s?"
    r"(?: us| the reader| readers| you)? (?:that|when)\b",
    re.I,
)
# "which word shows she's doing it on purpose?": the notes' comment on a word answers
# ("which line shows…" asks for the novel's line itself).
_ASKS_WHICH_WORDS_SHOW = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+)?(?:words?|phrases?|verbs?|adjectives?|language)\b[^?]*?"
    r"\b(?:show|suggest|tell|reveal|imply|indicate|prove|hint)s?\b",
    re.I,
)
# "analyse", or what a student says for it: "which words should I focus on / zoom in on"
_ANALYSE = (
    r"\b(?:analy[sz](?:e|es|ing|is)|focus(?:ing)?\s+on|zoom(?:ing)?\s+in(?:\s+on)?"
    r"|pick\s+out|highlight)\b"
)
ASKS_TO_ANALYSE_LANGUAGE = re.compile(
    rf"{_ANALYSE}[^?.]*?(?:{_LANGUAGE}\b|\s['‘“\"]\w)|{_LANGUAGE}\b[^?.]*?{_ANALYSE}", re.I
)
# Subjects that make it a question on a theme: "What does the novel suggest about memory?"
WHOLE_WORK = frozenset(
    "novel book text story play poem extract author writer novelist poet playwright".split()
)
# What a question may call the work it is on: "in the book", "the text", "this novel".
NAMES_OF_THE_WORK = frozenset(
    """
    novel novels novella book books text texts story stories play plays poem poems
    extract extracts scene scenes
    """.split()
)
_WEIGHED_AS_THE_WORK = NAMES_OF_THE_WORK - {"play", "plays"}  # see `token_weights`
_STEMS_OF_THE_WORK = frozenset(stems(sorted(NAMES_OF_THE_WORK)))
_ANY_WORK = frozenset(stems([*WHOLE_WORK, "notes", "note"]))  # "…in the novel", "…in my notes"
COMMENT_BONUS = 0.5  # asked what something shows: the score a comment on a quotation gains
ASKS_WHY = re.compile(r"\bwhy\b|\bhow come\b", re.I)
OPENING_SHARE = 0.85  # asked why: the share of its score a file's opening passage keeps
ASKS_FOR_QUOTATION = re.compile(r"\bquot(?:e|es|ed|ation|ations)\b", re.I)
# Asked to write a paragraph of an essay: "can u write me a PEE paragraph on that",
# "write a paragraph on how Ruth treats Kathy" (not "what should my first paragraph be
# about?", which points into an answer). See `answer._render`.
ASKS_FOR_PARAGRAPH = re.compile(
    r"\b(?-i:PEE|PEEL|PEA|PETAL|PEED)\b"  # the acronyms, in capitals ("peel me an orange")
    r"|\b(?:pee|peel|pea|petal|peed)\s+(?:paragraph|para|structure|format|pls|please)\b"
    # a request, not a question about paragraphs ("do i need to write a paragraph…?")
    r"|^(?!\s*(?:do|does|did|is|are|should|can i|could i|how)\b.*\?\s*$)"
    r".*\b(?:write|draft|give|make|help)\b.{0,40}\bparagraphs?\b"
    r"|\b(?:idk|i ?do ?n[o']?t know|not sure) what (?:to|i should|should i) (?:write|put|say)\b",
    re.I,
)
# The words asking for it, which say nothing of what it is to be about.
_PARAGRAPH_WORDS = frozenset(
    "write writing draft paragraph paragraphs para pee peel pea petal peed".split()
)
# How such an answer opens: its sentences are the notes', so the student rewords them.
AS_A_PARAGRAPH = (
    "A paragraph built from the notes' own sentences (point, evidence, explanation): put it"
    " in your own words."
)
# The labels of its parts; a follow-up leans on the point without its label.
PARAGRAPH_LABELS = {
    "point": "**Point:** ",
    "evidence": "**Evidence:** ",
    "explanation": "**Explanation:** ",
}


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
    passages, elsewhere = _as_asked(query, asked, passages, lexical, named)
    unknown = lexical.unknown_names(query.question, source)
    unknown += lexical.undefined_terms(query.question, source)
    beyond = _beyond_the_notes(asked, topics, passages, lexical, source)
    names_a_section = not unknown and (source in named if source else bool(named))
    quoted = bool(passages) and (
        quotes_from(query.question, passages[0].chunk.text)
        or quotes_in_marks(query.question, passages[0].chunk.text)
    )
    sure = not beyond and (names_a_section or quoted or is_sure(best, share, unknown, token_match))
    context = lexical.unknown_context_words(query.text, source)  # a follow-up's too
    answerable = sure or (
        not (beyond or context) and is_answerable(best, share, unknown, token_match)
    )
    return Retrieval(
        query, passages[:k], answerable, best, share, token_match, sure, beyond, elsewhere
    )


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
    matched = in_single_words(query.text, lexical.phrasal, lexical.stem_set)
    matches, token_words = tokens(matched, [p.chunk for p in passages])
    weights = token_weights(token_words, lexical, source)
    passages, token_match = rerank(passages, matches, weights)
    if ASKS_WHY.search(asked):
        passages = prefer_explanations(passages, lexical)
    if spans and len(weights):  # answerability reads the passage's words, not headings
        top = passages[0].chunk
        own_words, _ = spans(matched, top, [(top.start, top.end)])
        counts = frozenset(m.lower() for m in _COUNT_OF_PEOPLE.findall(query.text))
        weighted = topical(token_words, weights, counts)
        token_match = float(weighted_match(own_words, weighted)[0])
    return passages, token_match


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
    asks_for_quotation = not names_a_quotation and bool(ASKS_FOR_QUOTATION.search(query.question))
    passages = carry_over(passages, lexical, quotations=asks_for_quotation)
    if named:
        passages = prefer_named_sections(passages, lexical, query.text)
    passages = prefer_quoted(passages, query.question, lexical)
    elsewhere = False
    if asks_for_quotation:
        before, passages = passages, prefer_quotations(passages)
        elsewhere = quotes_elsewhere(before, passages, query.text, lexical)
    elif asks_what_one_shows:
        passages = prefer_comments(passages, lexical, query.question)
    elif ASKS_WHY.search(asked):
        passages = comment_on_top_quotation(passages, lexical, through_point=True)
    elif ASKS_TO_ANALYSE_LANGUAGE.search(query.question):
        passages = comment_on_top_quotation(passages, lexical)
    if asks_what_one_shows:  # a quotation the notes read before it
        passages = point_of_top_quotation(passages, lexical)
    if name := asks_who(query.question, lexical.names) or who_else_asked(query):
        passages = prefer_definitions(passages, name)
    if speaker := speaker_asked(query.question, lexical.names):
        passages = prefer_speaker(carry_over(passages, lexical, quotations=True), speaker)
    if len(compared := compared_names(query.question, lexical)) > 1:
        passages = naming_all(passages, compared)
    if query.focus:
        passages = prefer_focus(passages, query.focus)
        if names_only_a_subject(query.question, query.focus):
            passages = naming_first(passages, query.focus)
    if query.goes_on:
        passages = with_what_follows(passages, lexical)
    if count := counted_points(query.question):
        passages = prefer_counted_list(passages, asked, count)
    elif _MAIN_POINTS.search(query.question):  # "the main points for an essay on…"
        passages = prefer_counted_list(passages, asked, None)
    if asks_for_a_count(asked):
        passages = counting_first(passages, asked)
    return passages, elsewhere


def _beyond_the_notes(
    asked: str,
    topics: list[frozenset[str]],
    passages: tuple[Passage, ...],
    lexical: LexicalIndex,
    source: str | None,
) -> bool:
    """Does the question ask what these notes cannot tell, however close it sits to them
    in meaning: a film, a marriage or a death they never speak of, a date or a count
    they never give, other works or other themes?"""
    return (
        any(not lexical.uses_in_file(source, topic) for topic in topics)
        or (asks_for_a_date(asked) and not (passages and dates_it(asked, passages[0].chunk.text)))
        or (asks_for_a_count(asked) and not (passages and counts_it(passages[0].chunk, asked)))
        or (asks_for_other_works(asked) and not lexical.speaks_of_other_works(source))
        or (asks_for_other_themes(asked) and not lexical.speaks_of_themes(source))
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


def token_weights(
    token_words: Sequence[str], lexical: LexicalIndex, source: str | None
) -> np.ndarray:
    """Each query token weighs as its word's rarity in the notes file (inverse passage
    frequency); stopwords and punctuation weigh nothing, unless nothing else is left.

    Example: in "How does Kathy comfort Tommy?", "comfort" (in no passage) outweighs
    "Kathy" (in most), and "how" and "does" count for nothing.
    """
    # "book", "text" and "novel" all name the work: each weighs as the name the notes use
    # most ("book", in no passage, had weighed as the rarest word of "do the friendships
    # in the book feel true to life?"), but "play" is a verb as often ("what role does
    # Hailsham play")
    work = min(lexical.rarity(stem, source) for stem in _STEMS_OF_THE_WORK)
    weights = np.asarray(
        [
            0.0
            if not (content := content_words(word))
            else work
            if word.lower() in _WEIGHED_AS_THE_WORK
            else lexical.rarity(stems(content)[0], source)
            for word in token_words
        ],
        dtype=np.float32,
    )
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
    return weights if weights.sum() > 0 else np.ones(len(token_words), dtype=np.float32)


def topical(
    token_words: Sequence[str], weights: np.ndarray, counts: frozenset[str] = frozenset()
) -> np.ndarray:
    """The token weights with words that say nothing of the topic (`GENERIC`: "quote",
    "analyse", "novel") weighing nothing, unless nothing else is left: what answerability
    asks the top passage to match.

    "Explain the quote about the recovery centre in Dover" was declined: "quote", in no
    passage, outweighed "recovery", "centre" and "Dover", which the passage quoting the
    scene matches. Ranking keeps them: there "quote" and "treat" help more than they hurt.
    Counts of people (`counts`: "three" in "the three of them") weigh nothing either.
    """
    kept = np.asarray(
        [not is_generic(w.lower()) and w.lower() not in counts for w in token_words],
        dtype=np.float32,
    )
    return weights * kept if (weights * kept).sum() > 0 else weights


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


def carry_over(
    passages: Sequence[Passage], lexical: LexicalIndex, quotations: bool
) -> tuple[Passage, ...]:
    """Each passage that leans on a ranked one (see `leans_on`) scores at least CARRY_OVER
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


def asks_what_it_shows(question: str) -> bool:
    """Does the question ask what something in the text shows, suggests or reveals?

    "What does Kathy picking old Hailsham students as donors tell us about her?" asks
    for the notes' comment on that moment, "What does the novel suggest about memory?"
    (or "…does Ishiguro suggest…": a name alone) for what they say on a theme.
    """
    if _ASKS_WHICH_WORDS_SHOW.search(question) or _WHAT_IT_SHOWS_THAT.search(question):
        return True
    found = ASKS_WHAT_IT_SHOWS.search(question)
    if not found:
        found = ASKS_WHAT_WORDS_SHOW.search(question)
        if not (found and re.search(rf"{_LANGUAGE}\b", found["subject"], re.I)):
            return False
    subject = [w for w in found["subject"].split() if w.lower() not in {"the", "this", "a"}]
    names_only = len(subject) <= 2 and all(word[:1].isupper() for word in subject)
    return not (subject and (names_only or {w.lower() for w in subject} <= WHOLE_WORK))


def asks_what_a_quotation_shows(question: str) -> bool:
    """Does the question name a quotation to ask what it shows or means ("What does that
    quote show about her?", "What does the seeking quote tell us about Kathy?", "…mean?")?
    Such a question does not ask for a quotation, unlike "give me a quote and what does
    it show"."""
    found = _ASKS_MEANING.search(question)
    if found and found["subject"] and ASKS_FOR_QUOTATION.search(found["subject"]):
        return True
    found = ASKS_WHAT_WORDS_SHOW.search(question)
    return (
        found is not None
        and bool(ASKS_FOR_QUOTATION.search(found["subject"]))
        and asks_what_it_shows(question)
    )


def asks_what_it_means(question: str) -> bool:
    """Does the question ask what something in the text means or shows ("What does the
    'vaulting ambition' image mean?", "what does that mean", "What does the word
    'seeking' suggest?")?"""
    return bool(_ASKS_MEANING.search(question)) or asks_what_it_shows(question)


_ASKS_MEANING = re.compile(
    r"\bwhat (?:does|do|did) (?P<subject>[^?]{0,200}?)\bmean\b|\bmeaning\b", re.I
)


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
        return not named or any(_holds_run(run, text) for run in named for text in read)

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
    28): six questions rose to first (in three notes files), one fell to second.
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


def prefer_explanations(passages: Sequence[Passage], lexical: LexicalIndex) -> tuple[Passage, ...]:
    """Score the passages of a file's opening (before its first heading) at OPENING_SHARE,
    and sort again.

    Asked why, a passage that explains beats the opening that only says what happens:
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
_ASKS_WHO = re.compile(
    r"^\W*(?:who\s+(?:is|was)|who[’']s|what\s+(?:is|was)(?=\s+\w+\s+like\b)|what[’']?s"
    r"(?=\s+\w+\s+like\b)|tell\s+me\s+about|describe|what\s+kind\s+of\s+(?:person|character)\s+is)\s+"
    rf"(?:{_TITLES}\s+)?(?P<name>[a-z][\w’'-]*?)(?:[’']s)?"
    rf"(?:\s+like{_WHERE_OR_WHEN})?\W*$",
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
    if asked["where"] and stems([asked["name"].lower()])[0] not in names:
        return None
    return asked["name"]


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


def defines(text: str, name: str) -> bool:
    """Does the text say what someone is: "Dr Lanyon is Jekyll's old friend" (opening a
    sentence: not "When Kathy is a carer…"), "He portrays Ruth as a typical leader",
    "…and Tommy as the student who…"?"""
    named = re.escape(name)
    return bool(
        re.search(
            rf"(?:^|[.!?]\s+)(?:{_TITLES}\s+)?{named}\s+(?:is|was)\s+(?:a|an|the|\w+[’']s)\b"
            rf"|\b{named}\s+as\s+(?:a|an|the)\b",
            text,
            re.I,
        )
    )


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
    r"\baccording to (?P<according>[a-z]+)|\bin (?P<words>[a-z]+)['’]?s (?:own )?words\b",
    re.I,
)


def speaker_asked(question: str, names: frozenset[str]) -> str | None:
    """The stem of the person of the text whose own words a question asks for, or None:
    "According to Kathy, what makes her bond with Ruth special?" -> "kathi". "According
    to the notes" names no one."""
    found = _IN_WORDS_OF.search(question)
    if not found:
        return None
    stem = stems(words(found["according"] or found["words"]))[0]
    return stem if stem in names else None


def prefer_speaker(passages: Sequence[Passage], speaker: str) -> tuple[Passage, ...]:
    """Add QUOTATION_BONUS to each passage quoting `speaker` (a stem), by its attribution
    ("(Kathy)", "(Kathy to Tommy)"), and sort again: "According to Kathy, what makes her
    bond with Ruth special?" asks for her words at Dover ("…the fact that we'd grown up
    together at Hailsham…"), which had not been among the passages found."""

    def quotes_them(chunk: Chunk) -> bool:
        said = (stems(words(found.group()))[:1] for found in SPEAKER.finditer(chunk.text))
        return any(speaker in first for first in said)

    return _boosted(passages, QUOTATION_BONUS, quotes_them)


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


_COMPARING = re.compile(
    r"\b(?:compare[sd]?|comparing|comparison|contrast\w*|differ(?:s|ent|ently)?|similar\w*|"
    r"alike|vs|versus|difference\s+between)\b",  # not "their differences", a quarrel's
    re.I,
)


# A name that writes ("the way Ishiguro presents…") or is a place ("…at Hailsham") frames
# a comparison; it is not one of the people compared.
_NOT_COMPARED = re.compile(
    r"\b(?:how|way|does|did)\s+(?P<writer>[A-Z]\w+)(?:['’]s)?\s+"
    r"(?:present|portray|show|depict|describ|us(?:e|es)\b)\w*"
    r"|\bat\s+(?:the\s+)?(?P<place>[A-Z]\w+)"
)


# How notes speak of a writer ("Ishiguro’s presentation of", "Ishiguro shows how", "Dickens
# makes Scrooge…") or a place ("at The Cottages"). A character may show or use a thing
# too, so names the notes quote as speakers ("(Kathy)", "(Kathy to Tommy)") are no writers.
_WRITES_OR_PLACES = re.compile(
    r"\b(?P<writer>[A-Z]\w+)(?:['’]s\s+(?:presentation|portrayal|depiction)\b"
    r"|\s+(?:also\s+)?(?:present|portray|depict|describ|show|use|make|explore|creat|reveal)\w*)"
    r"|\bat\s+(?:[Tt]he\s+)?(?P<place>[A-Z]\w+)\b(?!['’]s)"  # not "at Fred's house"
)
_SPEAKER = re.compile(r"\((?P<speaker>[A-Z]\w+)(?:\s+to\s+[A-Z]\w+)?\)")
WRITER_MENTIONS = 2  # a writer is spoken of so at least this often: "Fred describes…" once


def _writers_and_places(texts: Sequence[str]) -> frozenset[str]:
    """The stems of the names notes speak of as a writer's (`_WRITES_OR_PLACES`, at least
    WRITER_MENTIONS times, never quoted as a speaker) or a place's.

    Example: "Ishiguro shows how…", "Ishiguro’s presentation of…" and "at Hailsham" give
    {"ishiguro", "hailsham"}.
    """
    speakers = {m["speaker"] for text in texts for m in _SPEAKER.finditer(text)}
    found = [m for text in texts for m in _WRITES_OR_PLACES.finditer(text)]
    writers = Counter(m["writer"] for m in found if m["writer"] and m["writer"] not in speakers)
    named = [m["place"] for m in found if m["place"]]
    named += [w for w, times in writers.items() if times >= WRITER_MENTIONS]
    return frozenset(stem for name in named for stem in stems(words(name)))


def compared_names(question: str, lexical: LexicalIndex) -> frozenset[str]:
    """The stems of the notes' names a question asks to compare ("Compare Ruth and
    Tommy", "How is Kathy's friendship with Ruth different from hers with Tommy?").

    "Compare the way Ishiguro presents Ruth and Tommy when they're at Hailsham" compares
    Ruth and Tommy: no passage names the writer and the place besides, and asked for all
    four the bonus had gone to a quotation set at Hailsham.
    """
    if not _COMPARING.search(question):
        return frozenset()
    named = frozenset(stems(words(question))) & lexical.names
    framing = {
        stem
        for match in _NOT_COMPARED.finditer(question)
        for stem in stems(words(match["writer"] or match["place"]))
        if stem in lexical.writers_and_places  # not "Compare how Ruth uses Tommy and Kathy"
    }
    return named - framing if len(named - framing) > 1 else named


def naming_all(passages: Sequence[Passage], names: frozenset[str]) -> tuple[Passage, ...]:
    """Add COMPARED_BONUS to each passage naming every one of `names`, and sort again.

    "Compare Ruth and Tommy" had opened with Kathy becoming Ruth's carer and never given
    "He portrays Ruth as a typical leader… and Tommy as the student who is often goaded…",
    the sentence that sets the two side by side.
    """
    return _boosted(passages, COMPARED_BONUS, lambda c: names <= set(stems(words(c.text))))


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


# Words a question sets in quotation marks: an apostrophe inside or ending a word
# ("didn't", "Ruth's", "students'") opens and closes nothing.
_SET_IN_QUOTES = re.compile(r"(?<!\w)['‘\"“]([^'‘’\"“”\n]{2,120}?)['’\"”](?!\w)")
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


def _words_named(question: str) -> list[str]:
    """The words a question names as words, unquoted: "the word snubs", "what does goaded
    mean" -> ["snubs"], ["goaded"]."""
    named = [m[1] for m in _THE_WORD.finditer(question) if m[1].lower() != "used"]
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


def _holds_run(run: tuple[str, ...], text: str) -> bool:
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
    return any(_holds_run(run, text) for run in words_quoted(question))


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
        if any(_holds_run(run, chunk.text) for run in runs):
            return True
        at = lexical.position.get(chunk.id)
        before = lexical.chunks[at - 1] if at else None  # the quotation it may read
        return (
            before is not None
            and before.kind == "quote"
            and before.source == chunk.source
            and any(_holds_run(run, before.text) for run in runs)
        )

    boosted = _boosted(passages, QUOTED_BONUS, gains)
    # A comment on another word ("Kathy’s use of the word seeking suggests…") is not on it.
    return _boosted(boosted, -QUOTED_BONUS, lambda c: _on_another_word(c.text, runs))


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
    by saying the notes may not answer the question directly (`HEDGE`), and the student
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
