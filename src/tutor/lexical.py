"""The lexical index over the notes, and how their passages read.

BM25 over words and stems, the names and titles the notes use, and what a passage says
of itself: whether it leans on the one before it (a quotation, or a comment on one), the
items of a list, what it counts.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence

import bm25s

from tutor.asking import (
    ASKS_FOR_QUOTATION,
    CONTEXT_WORDS,
    COUNT_OF_PEOPLE,
    NUMBER_STEMS,
    PUT_TO_THE_TUTOR,
    WHOLE_WORK,
    WORKS,
    count_of,
    plain_question,
)
from tutor.documents import (
    BULLET,
    comments_on_a_quotation,
    holds_quotation,
    next_to,
    sentence_spans,
    speaks_of_the_quotation,
)
from tutor.records import Chunk
from tutor.words import (
    DEMONSTRATIVES,
    FOLLOW_UP_PRONOUNS,
    NUMBER_WORDS,
    PERSONAL_PRONOUNS,
    POINTER_NOUNS,
    STOPWORDS,
    TOPIC_FRAME,
    SpellingCorrector,
    content_words,
    edit_distance,
    is_generic,
    is_request,
    letters_only,
    phrasal_verbs,
    question_terms,
    shared_start,
    stem_map,
    stems,
    subjects,
    with_phrasals_meant,
    with_words_meant,
    words,
)

_SPEAKS_OF_OTHER_WORKS = re.compile(
    rf"\b(?:other|another|earlier|later|previous)\s+(?:\w+\s+)?{WORKS}\b"
    r"|\balso wrote\b|\bwent on to write\b",
    re.I,
)

# A sentence opening with one says what follows from the one before it.
CONSEQUENCE_OPENERS = re.compile(
    r"\W*(?:therefore|thus|hence|so|as a result|consequently|such)\b", re.IGNORECASE
)
# A sentence that opens like this, or names someone by pronoun within its first words,
# leans on the one before it: quoted alone ("This shows that friendship is of real
# importance to her", "Ishiguro shows how they remain close"), the student cannot tell
# what "this" is or who "they" are.
CONNECTIVE_OPENERS = re.compile(
    rf"{CONSEQUENCE_OPENERS.pattern}|(?:however|also|instead)\b", re.IGNORECASE
)
PRONOUN_REACH = 6  # words
# Two or more capitalised words in a row: a name of two words ("Bob Cratchit") is one
# person, whom a passage may name by either word (`names_in_longer_names`,
# `retrieve.people_asked_about`).
FULL_NAME = re.compile(r"[A-Z]\w+(?:\s+[A-Z]\w+)+")
# A heading naming the notes' conclusion: "Conclusion", "Summary", "In short", "Overall".
_CONCLUDING_SECTION = re.compile(r"\b(?:conclu\w*|summary|in short|overall)\b", re.I)
# Suffixes making a noun of a word's own meaning, as stems: "friend" -> "friendship",
# "child" -> "childhood", "argue" -> "argument" ("-ness" the stemmer takes off itself). A
# few are false kin ("hard" -> "hardship"): they only weigh a word as more common than it
# is. A noun in "-ment" is also kin to the verb it is made of: students ask about
# "arguments" in notes that say "argue" (first places +3, -0; one hedged answer, on the
# wrong passage, became a refusal).
KIN_SUFFIXES = ("ship", "hood", "ment")


def leans_back(sentence: str) -> bool:
    """Does the sentence need the one before it to make sense? A quoted speech never does.

    Example: leans_back("Even when they fall out, they stay close.") is True.
    """
    if not sentence[:1].isalpha():
        return False
    opening = words(sentence)[:PRONOUN_REACH]
    return (
        reads_the_one_before(sentence)
        or bool(CONNECTIVE_OPENERS.match(sentence))
        or any(w in PERSONAL_PRONOUNS for w in opening)
    )


def reads_the_one_before(sentence: str) -> bool:
    """Does the sentence open by reading the one before it: "This shows…", "These words…",
    "Therefore, …", "The quotation suggests…" (which one?)? Not one turning from it
    ("However by the end of the novel, Kathy has become Ruth’s carer…"), nor one naming
    its subject after a pronoun ("Her past friendship with Ruth…"): each says what it
    says alone."""
    if not sentence[:1].isalpha():
        return False
    return (
        any(w in DEMONSTRATIVES for w in words(sentence)[:1])
        or bool(CONSEQUENCE_OPENERS.match(sentence))
        or speaks_of_the_quotation(sentence)
    )


def counted_away(text: str) -> str:
    """The text without counts of people ("the three of them" is "the of them"): the
    notes name them, and "three" is no word of what is asked about."""
    return COUNT_OF_PEOPLE.sub(" ", text)


# A title naming the work it is on after its theme: "Friendship in Never Let Me Go",
# "Ambition in Macbeth", "The theme of guilt in An Inspector Calls".
_TITLE_OF_WORK = re.compile(r"\s(?:in|of)\s+(?P<work>[A-Z][\w’'-]*(?:\s+\S+)*)\s*$")


def work_titled(title: str) -> str:
    """The work a notes title says it is on, lower case, or "".

    Example: work_titled("Memory in Never Let Me Go") == "never let me go"
    """
    found = _TITLE_OF_WORK.search(title or "")
    return " ".join(words(found["work"])) if found else ""


def _asks_about(asked: frozenset[str], heading: frozenset[str], around: frozenset[str]) -> bool:
    """Does a question (the stems of its `subjects`) use every word of the heading, and no
    other but those of the headings around it, of how a topic is asked about, and
    numbers ("explain the second one" pointing at a heading)? A heading may use those
    too ("Themes", "Presentation of Sheila", "Stave Four")."""
    besides = asked - TOPIC_FRAME - NUMBER_STEMS
    return bool(heading) and heading <= asked and besides <= heading | around


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
        self.stem_of = stem_map(self.frequencies)
        self.stem_set = set(self.stem_of.values())
        self._corpus = [
            [s for s in stems(ws) if s] + list(phrasal_verbs(ws).values()) or ["_"]
            for ws in tokenised
        ]
        # The names the notes use: words written with a capital wherever they appear, at
        # least once inside a sentence ("Ruth", "Hailsham", not "However"), and not only
        # before another such word ("Jody", not "Miss").
        written = [
            (m.group(), m.start() > 0 and c.text[m.start() - 2 : m.start()].strip() not in ".!?")
            for c in self.chunks
            # not a word a capitalised word follows: a title's ("Miss Jody", "Never Let Me Go")
            for m in re.finditer(r"\b[A-Za-z]+\b(?! [A-Z])", c.text)  # whole words only
        ]
        lowered = {w.lower() for w, _ in written if not w[0].isupper()}
        capitalised = {w.lower() for w, inside in written if inside and w[0].isupper()}
        self.names = frozenset(stems(sorted(capitalised - STOPWORDS))) - frozenset(
            stems(sorted(lowered))
        )
        # Misheard or sound-alike names ("tommie", "rooth") are searched as these.
        name_words = [w for w, stem in self.stem_of.items() if w.isalpha() and stem in self.names]
        self.speller = SpellingCorrector(self.frequencies, name_words, self.stem_of)
        # The names the notes themselves use as a writer's ("Ishiguro shows", "Ishiguro’s
        # presentation") or a place's ("at Hailsham"): they frame a comparison.
        self.writers, places_at = _writers_and_places([c.text for c in self.chunks])
        self.writers_and_places = self.writers | places_at
        # The names the notes set after "in", "at" or "from" at least half the times they
        # use them ("in Dover", "at the Cottages", "from Hailsham"; not "in Scrooge" once
        # in 45, nor "at Fred's house"): places, not people.
        after = Counter(
            stem
            for c in self.chunks
            for m in _AFTER_IN_AT_FROM.finditer(c.text)
            for stem in stems(words(m["name"]))
        )
        used = Counter(
            stem
            for c in self.chunks
            for stem in stems([w.lower() for w in re.findall(r"\b[A-Z][a-z]\w*", c.text)])
        )
        self.places = frozenset(n for n in self.names if after[n] and 2 * after[n] >= used[n])
        self.acronyms = _acronyms({c.title for c in self.chunks if c.title})
        self._said: str | None = None  # every passage's letters, one per line (`says`)
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
        # The names the notes also use as one word of a longer name ("Bob" of "Bob
        # Cratchit"): a passage may name that person by the other word alone.
        self.names_in_longer_names = frozenset(
            stem
            for c in self.chunks
            for run in FULL_NAME.findall(c.text)
            if len(named := self.names.intersection(stems(words(run)))) > 1
            for stem in named
        )
        self._bm25: dict[str | None, bm25s.BM25] = {}
        self._vocabulary: dict[str | None, tuple[Counter[str], int]] = {}
        self._kin_rarity: dict[tuple[str, str | None], float] = {}
        self._main_people: dict[str | None, frozenset[str]] = {}
        self._people_written: dict[str | None, list[str]] = {}
        self._phrasal: dict[str | None, frozenset[str]] = {}
        self._concluding: frozenset[str] | None = None  # see `concluding`
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
        return self.acronyms_spelt_out(self.addressed_by_name(plain_question(question, self.knows)))

    def addressed_by_name(self, question: str) -> str:
        """A question put to the notes' people themselves ("Kathy, why did you stay with
        Ruth?", "Kathy, Ruth, Tommy, why do you three stay so close?") asked of them: the
        names it opens with taken off and its "you" and "your" read as them ("why did
        Kathy stay with Ruth?"). MiniLM puts "at what point in your job were you allowed
        to choose who you looked after?" far from "…given the option of picking some of
        her patients", and the question had been declined. Only when every opening name
        is one of the notes' main people, set off by a comma or dash (a colon only after
        "hey": "Tommy: …" is as often a topic), and the rest speaks to them: a "you"
        asking the tutor ("Kathy, what do you think of Ruth?", "Ruth - can you explain
        her anger?") leaves the question as it was."""
        opening = _ADDRESSED.match(question)
        if not opening or (opening["sep"] == ":" and not opening["greeting"]):
            return question
        named = [w for w in re.findall(r"[A-Za-z]+", opening["names"]) if w.lower() != "and"]
        people = self.main_people()
        if not all(stems([self._familiar_name(w) or w.lower()])[0] in people for w in named):
            return question
        rest = opening["rest"]
        one = len(named) == 1
        who = named[0] if one else f"{', '.join(named[:-1])} and {named[-1]}"
        to_the_tutor = {_you_at(found) for found in _ASKS_THE_TUTOR.finditer(rest)}

        def as_them(found: re.Match) -> str:
            said = found.group()
            if _you_at(found) in to_the_tutor:
                return said
            if found["whose"]:
                return f"{who}’s" if one else "their"
            if found["before"]:  # "do you" -> "does Kathy"; "do you three" as it is
                verb = found["before"].lower()
                return f"{_AGREEING[verb] if one else verb} {who}"
            if found["short"]:  # "you're" -> "Kathy is", "you've" -> "they have"
                verb = _CONTRACTED[found["short"].lower()]
                return f"{who} {_AGREEING.get(verb, verb) if one else verb}"
            if found["after"]:  # "you were" -> "Kathy was"
                verb = found["after"].lower()
                return f"{who} {_AGREEING[verb] if one else verb}"
            return who

        asked = _SECOND_PERSON.sub(as_them, rest)
        return question if asked == rest else asked

    def people_counted_named(self, text: str, source: str | None = None) -> str:
        """The text with "the three of them", "the three friends", "all three" or "the
        trio" put as one notes file (or all) names its main people ("Kathy, Ruth and
        Tommy"), when it has that many (`main_people`) and each is written as a name.

        MiniLM puts "Why do the three of them stay close until the end?" far from
        "…the friendship between Kathy, Ruth and Tommy is still strong" (0.31 against
        0.72 with the names): see `retrieve._as_near_named`.
        """
        if not _PEOPLE_COUNTED.search(text):
            return text
        written = self._main_people_written(source)
        if len(written) < 2 or len(written) != len(self.main_people(source)):
            return text  # a person never written as a name: who "the three" are is unsure
        named = f"{', '.join(written[:-1])} and {written[-1]}"

        def as_named(found: re.Match) -> str:
            count = count_of(found["count"]) if found["count"] else 3  # "the trio"
            return named if count == len(written) else found.group(0)

        return _PEOPLE_COUNTED.sub(as_named, text)

    def _main_people_written(self, source: str | None) -> list[str]:
        """One notes file's (or all files') main people as it writes them most often, in
        the order it first names them."""
        if source not in self._people_written:
            people = self.main_people(source)
            seen: Counter[str] = Counter()
            first: dict[str, int] = {}
            texts = (self.chunks[i].text for i in self._members(source))
            for at, word in enumerate(w for text in texts for w in _CAPITALISED_WORD.findall(text)):
                stem = stems([word.lower()])[0]
                if stem in people:
                    seen[word] += 1
                    first.setdefault(stem, at)
            best: dict[str, str] = {}
            for word, _ in seen.most_common():
                best.setdefault(stems([word.lower()])[0], word)
            self._people_written[source] = [best[stem] for stem in sorted(best, key=first.get)]
        return self._people_written[source]

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

    def says(self, text: str) -> bool:
        """Do the notes say this word for word within one passage, whatever markup and
        punctuation set it out (`letters_only`: an answer shows "This **hallucination**
        shows…" as "This hallucination shows…")?"""
        if self._said is None:  # worked out on first use: few questions need it
            self._said = "\n".join(letters_only(chunk.text) for chunk in self.chunks)
        return letters_only(text) in self._said  # no "\n" in it: never across passages

    def knows(self, word: str) -> bool:
        """Do the notes use this word, in this form or another ("shown", "shows")?"""
        return stems([word.lower()])[0] in self.stem_set

    def correct(self, text: str) -> str:
        """The text with each unknown word replaced by its closest notes word, case kept simple."""

        def fix(word: str) -> str:
            if word.lower() in STOPWORDS:
                return word
            if name := self.speller.name_it_sounds_like(word.lower()):
                return name  # "tommie": a form of no notes word, though it stems as one
            if not self.knows(word) and (name := self._familiar_name(word)):
                return name  # "Tom", "kath", "Ruthie"
            if self.knows(word) and word.lower() in self.speller.english:
                return word  # another form of a word the notes use
            fixed = self.speller.correct(word.lower())
            if self.knows(word) and stems([fixed]) != stems([word.lower()]):
                # a form of a notes word no dictionary has, and no misspelling of one, is
                # kept; a misspelling of a word of the same stem is mended ("importent":
                # the token vectors read it as a word of its own, and "friendship …
                # through" had come first)
                return word
            return word if fixed == word.lower() else fixed

        def fix_unless_contracted(match: re.Match) -> str:
            word, ending = match.group(1), match.group(2) or ""
            if ending[1:].lower() not in ("", "s"):  # "didn't": its stem alone is no word
                return match.group(0)
            return fix(word) + ending  # "Kathyy's" -> "kathy's"

        def joined(match: re.Match) -> str:  # "hail sham": a notes word heard as two
            first, second = match.group(1), match.group(2)
            parts = {first.lower(), second.lower()}
            if (first + second).lower() not in self.frequencies or parts & STOPWORDS:
                return match.group(0)
            return match.group(0) if all(map(self.knows, parts)) else first

        # not the "s" of "Scrooge's inner life"
        text = re.sub(r"(?<![\w'’])([A-Za-z]{2,}) (?=([A-Za-z]{2,})\b)", joined, text)
        return re.sub(r"([A-Za-z]+)(['’][A-Za-z]+)?", fix_unless_contracted, text)

    def search(self, query: str, k: int, source: str | None = None) -> list[tuple[int, float]]:
        """(chunk position, BM25 score) of the best k chunks, optionally from one source."""
        used, _ = self.vocabulary(None)
        # the student's words read as token matching reads them (`with_words_meant`), by
        # the words of the file searched: "leave things" as "parted", not Kathy's leaving
        # the Cottages; "a row" as a falling-out; and a word the file never uses as the
        # phrasal verb of its own it means (`with_phrasals_meant`): "respected" as its
        # "look up to", "reconcile" as its "make up"
        searched = source if source in self.by_source else None
        own = self.vocabulary(searched)[0]
        read = with_phrasals_meant(with_words_meant(query, own), self.phrasal(searched), own)
        query_stems = [s for s in question_terms(read) if s in used]
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

    def phrasal(self, source: str | None = None) -> frozenset[str]:
        """The phrasal verbs one notes file (or any) uses itself ("make_up", "fall_out",
        "look_up"), as `words.phrasal_verbs` writes them."""
        if source not in self._phrasal:
            self._phrasal[source] = frozenset(t for t in self.vocabulary(source)[0] if "_" in t)
        return self._phrasal[source]

    def uses_all(self, source: str | None, word_stems: Iterable[str]) -> bool:
        """Does one notes file (or any) use every one of these word stems?"""
        return set(word_stems) <= self.vocabulary(source)[0].keys()

    def uses_in_file(self, source: str | None, word_stems: Iterable[str]) -> bool:
        """Does any passage of one notes file (or of any) use any of these word stems?"""
        return not set(word_stems).isdisjoint(self.vocabulary(source)[0])

    def vocabulary(self, source: str | None) -> tuple[Counter[str], int]:
        """How many passages of one notes file (or of all) use each word stem, and how many
        passages there are."""
        if source not in self._vocabulary:
            members = self._members(source)
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
        members = self._members(source)
        return any(says(self.chunks[i].text) for i in members)

    def speaks_of_other_works(self, source: str | None) -> bool:
        """Do the notes (one file's, or any) speak of an author's other works?"""
        return self._any_passage(source, _SPEAKS_OF_OTHER_WORKS.search)

    def chunks_of(self, source: str) -> list[Chunk]:
        """A notes file's passages, in its order."""
        return [self.chunks[i] for i in self.by_source.get(source, ())]

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
            said = match["name"] or match["titled"] or match["missed"]
            name = said.lower()
            if name in STOPWORDS:
                continue
            fixed = self._as_spelt_in_notes(said)
            if stems([fixed])[0] not in used:
                names.append(said)
        for match in re.finditer(r"(?<=[\w,;:’'\"“”)] )([A-Z][a-z]+)", question):
            if match.group(1) in names:
                continue
            word = words(match.group(1))
            if not word or word[0] in STOPWORDS or word[0] in NUMBER_WORDS:
                continue
            fixed = self._as_spelt_in_notes(match.group(1))
            if stems([fixed])[0] not in used:
                names.append(match.group(1))
        return names

    def with_names_as_in_notes(self, text: str) -> str:
        """The text with each name the notes know, typed as it sounds ("rooth") or in a
        familiar form ("Kath", "Ruthie"), written as the notes write it: what a question
        asks of a person is matched against the notes' people by name ("Does Kath
        complete?" asks one's fate, as "Does Kathy complete?" does)."""

        def as_in_notes(match: re.Match) -> str:
            word = match.group(0)
            lowered = word.lower()
            if lowered in self.frequencies or lowered in STOPWORDS:
                return word
            return self.speller.name_it_sounds_like(lowered) or self._familiar_name(word) or word

        return re.sub(r"[A-Za-z]+", as_in_notes, text)

    def _as_spelt_in_notes(self, said: str) -> str:
        """A name as typed, lower-cased and spelt as the notes spell it: misspelt
        ("Kathyy"), or a familiar form of a notes name ("Tom", "Ruthie"). Not a name it
        only sounds like: "Timmy" is someone else, though the search reads "tommie" as
        Tommy (`SpellingCorrector.name_it_sounds_like`)."""
        name = said.lower()
        if name in self.frequencies:
            return name
        return self._familiar_name(said) or self.speller.correct(name)

    def _familiar_name(self, said: str) -> str | None:
        """The notes' name a word as typed is a familiar form of ("Tom", "kath", "Ruthie":
        `SpellingCorrector.name_it_shortens`), or None."""
        return self.speller.name_it_shortens(said.lower(), said[0].isupper())

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

    def kin_rarity(self, stem: str, source: str | None = None) -> float:
        """How rare a word stem is with its kin (`KIN_SUFFIXES`) in one notes file (or
        all): its inverse frequency among the passages using it or any of them.

        In notes on friendship "friends" is as common as "friendship", though the notes
        seldom write the word itself. Weighed as its own stem alone, "friends" had
        outweighed every other word of "Do Kathy and Ruth ever become friends again?", and
        its match with "friendship" put first the passage on Kathy choosing to care for
        Ruth, over the one ending "…their fondness for each other has returned".
        """
        counts, passages = self.vocabulary(source)
        kin = {stem} | {stem + suffix for suffix in KIN_SUFFIXES if counts[stem + suffix]}
        base = stems([stem[:-4]])[0] if stem.endswith("ment") else ""
        if len(base) >= 4 and counts[base]:  # "argument" where they say "argue" (not "com")
            kin.add(base)
        if len(kin) == 1:  # no kin: as rare as itself (and nothing kept for a question's word)
            return self.rarity(stem, source)
        key = (stem, source)
        if key not in self._kin_rarity:
            using = sum(1 for i in self._members(source) if not kin.isdisjoint(self._corpus[i]))
            self._kin_rarity[key] = math.log((passages + 1) / (using + 0.5))
        return self._kin_rarity[key]

    def concluding(self) -> frozenset[str]:
        """The ids of the passages concluding their notes: in each file, those under a
        heading naming a conclusion or summary (not the file's title), else its closing
        paragraph (not a list or a quotation). Found once, on the first question asking."""
        if self._concluding is None:
            closing: set[str] = set()
            for members in self.by_source.values():
                chunks = [self.chunks[i] for i in members]
                named = [
                    c.id
                    for c in chunks
                    if c.section != c.title and _CONCLUDING_SECTION.search(c.section)
                ]
                last = chunks[-1] if chunks else None
                closing.update(named or ([last.id] if last and last.kind == "paragraph" else []))
            self._concluding = frozenset(closing)
        return self._concluding

    def main_people(self, source: str | None = None) -> frozenset[str]:
        """The stems of the people a notes file (or all of them) names in two passages or
        more: whom a question on "the main characters" means (not "Miss Jody", named
        once). Names of places and writers, and words of the file's title, are no people."""
        if source not in self._main_people:
            counts, _ = self.vocabulary(source)
            titles = (
                [self.title_names.get(source, frozenset())] if source else self.title_names.values()
            )
            titled = frozenset().union(*titles)
            people = self.names - self.writers_and_places - self.places - titled
            self._main_people[source] = frozenset(s for s in people if counts[s] >= 2)
        return self._main_people[source]

    def _members(self, source: str | None) -> Sequence[int]:
        """The positions of one notes file's passages, or of all."""
        return range(len(self.chunks)) if source is None else self.by_source.get(source, [])


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


# A person asked about by title and name, in any case: "who is miss lucy", "whos mr smith";
# not "do they miss home" nor "is scrooge a nice uncle", where the word is no title. And
# anywhere after a title no other word is spelt as ("what is mrs wilson like"; not
# "madame", a name alone, nor "a professor"), or after a "miss" no verb "miss" can be ("is
# miss lucy nice", "about miss geraldine"; not "does kathy miss home", "…lonely and miss
# home", "they did miss lessons"): typed in lower case, "what r the
# guardians like, is miss lucy nice" had been answered about the students' care.
_TITLED_NAME = re.compile(
    r"\bwho(?:'s|’s|s|\s+is|\s+was|\s+are|\s+were)\s+"
    r"(?:miss|mr|mrs|ms|mx|dr|madame|madam|sir|lady|lord|professor|prof|aunt|uncle)"
    r"\.?[ ]+(?P<name>[a-z]{2,})\b"
    r"|\b(?:mr|mrs|ms|dr)\.?[ ]+(?P<titled>[a-z]{2,})\b"
    r"|(?:^|[;:(]|\b(?:is|was|isn't|wasn't|about|with|by|from|like))\s*"
    r"miss[ ]+(?P<missed>[a-z]{2,})\b",
    re.I,
)
# A question opening by speaking to someone: "Kathy, …", "Hey Ruth - …", "Kathy, Ruth,
# Tommy, …", "So Kathy and Tommy, …" (names checked against the notes' people by the
# caller; a colon sets off a topic as often as someone spoken to: "Tommy: …").
_ADDRESSED = re.compile(
    r"\s*(?:(?P<greeting>hey|hi|oh|dear)\s+|(?:so|ok|okay|right)\s+)?"
    r"(?P<names>[A-Za-z]{3,}(?:\s*(?:,\s*(?:and\s+)?|and\s+|&\s*)[A-Za-z]{3,}){0,3})"
    r"\s*(?P<sep>,|:|[-–—])\s*(?P<rest>\S.*)",
    re.I | re.S,
)
# You as the one spoken to (with the number "you three" or "you guys" adds, and the verb
# that must agree with a name: "do you", "you were", "you're"); not "thank you"
_YOU = r"you(?:\s+(?:two|three|all|guys|both))?(?:\s+yoursel(?:f|ves))?"
_SECOND_PERSON = re.compile(
    rf"(?<!\bthank\s)\b(?:(?P<before>do|are|were|have)\s+{_YOU}"
    rf"|{_YOU}(?:['’](?P<short>re|ve|d|ll)|\s+(?P<after>are|were)\b)?"
    r"|(?P<whose>yours?)|yoursel(?:f|ves))\b",
    re.I,
)
_AGREEING = {"do": "does", "are": "is", "were": "was", "have": "has"}  # with one person
_CONTRACTED = {"re": "are", "ve": "have", "d": "would", "ll": "will"}
# … nor the tutor asked for a view or a hand: "who do you think is the most loyal?",
# "Can you unpack that word?", "what quote would you use", "in your opinion"
_ASKS_THE_TUTOR = re.compile(
    r"\b(?:do|would|can|could)\s+you\s+(?:think|reckon|say|have|use|pick|choose|compare"
    r"|recommend|suggest)\b"
    rf"|{PUT_TO_THE_TUTOR}(?:explain|unpack|tell|give|help|show|break|go\s+(?:through|over)"
    r"|talk|analy[sz]e|summar\w*|sum|list|describe|remind|quote)\b"
    r"|\bif\s+you\s+had\s+to\b|\byour\s+(?:view|opinion|thoughts|take)\b",
    re.I,
)
_YOU_WORD = re.compile(r"\b(?:you|u)(?=\b|r\b|['’])", re.I)


def _you_at(found: re.Match) -> int:
    """Where the "you" ("u", "your", "you're") of a match stands in the text searched."""
    you = _YOU_WORD.search(found.group())
    return found.start() + (you.start() if you else 0)


# A name's run of capitalised words, with the small words a title may hold inside it.
_NAME_RUN = re.compile(
    r"[A-Z][\w’'-]*(?:[ ]+(?:(?:of|and|the|a|an|in|on|to|for)[ ]+)*[A-Z][\w’'-]*)+"
)
_CAPITALISED_WORD = re.compile(r"(?<![\w'’])[A-Z][a-z]+(?![\w'’])")
# The people a question counts, not names: "the three of them", "all 3 of them", "those
# three", "the three main characters", "the three friends", "the trio", "are the three
# still close?" (not "the three ways", "Name the three.", "which three characters…",
# which asks who they are)
_PEOPLE_COUNTED = re.compile(
    r"\b(?:(?:the|all|those|these)\s+(?P<count>two|three|four|five|[2-5])"
    r"(?:\s+of\s+them|\s+(?:main\s+)?(?:characters|friends|protagonists)"
    r"|(?=\s+(?:still|stay|stays|stayed|remain|remains|remained|are|were|get|got|ever"
    r"|really|together|apart|at|after|by|in|when|is|was|have|had|do|did|meet|met|keep"
    r"|kept)\b))"
    r"|the\s+trio)\b",
    re.I,
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


def items_of_a_list_on(chunk: Chunk, asked: set[str]) -> list[str]:
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


LISTS_SEARCHED = 4  # the best passages a list asked into may be among
LEAD_IN_SHARE = 0.3  # the share of the question's subjects a list's lead-in must name

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
    r"\W*(?:(?:so|ok|and|but)\W+)?what(?:(?:'s|’s|s|\s+is|\s+are|\s+was|\s+were)\s+(?:an?|the)"
    # "what happens on the norfolk trip": the trip is the thing
    r"|\s+(?:happens|happened|goes\s+on|went\s+on)\s+(?:on|at|in|during)\s+the)\s+"
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
    if is_generic(word) or word in NUMBER_WORDS or word in FRAMING_NOUNS or word in POINTER_NOUNS:
        return True
    return len(word) > 3 and any(edit_distance(word, noun, 1) <= 1 for noun in FRAMING_NOUNS)


_ANY_WORK = frozenset(stems([*WHOLE_WORK, "notes", "note"]))  # "…in the novel", "…in my notes"

# How notes speak of a writer ("Ishiguro’s presentation of", "Ishiguro shows how", "Dickens
# makes Scrooge…") or a place ("at The Cottages"). A character may show or use a thing
# too, so names the notes quote as speakers ("(Kathy)", "(Kathy to Tommy)") are no writers.
_WRITES_OR_PLACES = re.compile(
    r"\b(?P<writer>[A-Z]\w+)(?:['’]s\s+(?:presentation|portrayal|depiction)\b"
    r"|\s+(?:also\s+)?(?:present|portray|depict|describ|show|use|make|explore|creat|reveal)\w*)"
    r"|\bat\s+(?:[Tt]he\s+)?(?P<place>[A-Z]\w+)\b(?!['’]s)"  # not "at Fred's house"
)
_AFTER_IN_AT_FROM = re.compile(
    r"\b(?:in|at|from)\s+(?:[Tt]he\s+)?(?P<name>[A-Z]\w+)\b(?!['’]s)"  # not "at Fred's house"
)
_SPEAKER = re.compile(r"\((?P<speaker>[A-Z]\w+)(?:\s+to\s+[A-Z]\w+)?\)")
WRITER_MENTIONS = 2  # a writer is spoken of so at least this often: "Fred describes…" once


def _writers_and_places(texts: Sequence[str]) -> tuple[frozenset[str], frozenset[str]]:
    """The stems of the names notes speak of as a writer's (`_WRITES_OR_PLACES`, at least
    WRITER_MENTIONS times, never quoted as a speaker, no stopword: not "This shows…"), and
    of those they set after "at", in one pass.

    Example: "Ishiguro shows how…", "Ishiguro’s presentation of…" and "at Hailsham" give
    ({"ishiguro"}, {"hailsham"}).
    """
    speakers = {m["speaker"] for text in texts for m in _SPEAKER.finditer(text)}
    found = [m for text in texts for m in _WRITES_OR_PLACES.finditer(text)]
    writers = Counter(m["writer"] for m in found if m["writer"] and m["writer"] not in speakers)
    named = [
        w for w, times in writers.items() if times >= WRITER_MENTIONS and w.lower() not in STOPWORDS
    ]
    places = (m["place"] for m in found if m["place"])
    return (
        frozenset(stem for name in named for stem in stems(words(name))),
        frozenset(stem for name in places for stem in stems(words(name))),
    )
