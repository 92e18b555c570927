"""Find the passages that answer a question, and decide whether the notes cover it at all.

Three ideas, each small:
1. Spelling: words the notes never use are mapped to the closest word they do use
   ("frendship shwon" -> "friendship shown"), by a symmetric-delete lookup.
2. History: a follow-up ("And how does she treat Kathy later on?") is searched
   together with the question before it, so "she" still means Ruth.
3. Hybrid ranking: dense (embedding) and lexical (BM25) rankings are fused by
   reciprocal rank, so exact names and quoted words count as much as meaning does.

Answerability is judged from how close the best passage is in meaning and how many
of the question's content words the notes use at all: an off-topic question is
refused instead of being answered with whatever passage happens to rank first.
"""

from __future__ import annotations

import functools
import math
import re
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass

import bm25s
import numpy as np
import Stemmer

from tutor.records import Chunk, Passage

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers herself him himself his how i if in into is it its
    itself just let me more most my myself no nor not now of off on once only or other our ours
    ourselves out over own same she should so some such than that the their theirs them themselves
    then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours yourself yourselves tell explain
    describe give show shown shows showing say says said mean means please okay ok way ways later
    thing things example examples""".split()
)
# Words every question about a set text may use; they say nothing about which notes apply.
GENERIC = frozenset(
    "novel book text story author writer reader chapter quote quotation quotations notes".split()
)
FOLLOW_UP_PRONOUNS = frozenset(
    "she he her him hers his they them their theirs it its this that these those".split()
)
FOLLOW_UP_OPENERS = ("and ", "but ", "so ", "what about", "how about", "also", "then ", "why?", "why not")

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?")
_stemmer = Stemmer.Stemmer("english")


def words(text: str) -> list[str]:
    """Lower-case words with typographic apostrophes unified and possessives dropped.

    Example: words("Kathy’s heart") == ["kathy", "heart"]
    """
    text = text.lower().replace("’", "'").replace("‘", "'")
    return [w.removesuffix("'s") for w in _WORD.findall(text)]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and len(w) > 1]


def stems(tokens: Sequence[str]) -> list[str]:
    return _stemmer.stemWords(list(tokens))


# --------------------------------------------------------------------------- spelling


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count 1), capped at limit + 1."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        row = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            row[j] = min(previous[j] + 1, row[j - 1] + 1, previous[j - 1] + (ca != cb))
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                row[j] = min(row[j], previous2[j - 2] + 1)
        if min(row) > limit:
            return limit + 1
        previous2, previous = previous, row
    return previous[-1]


class SpellingCorrector:
    """Maps a misspelt word to the most frequent notes word within 1-2 edits.

    Real English words the notes happen not to use ("world", "recipe") are left
    alone, checked against pyspellchecker's word list, so an off-topic question
    is not bent into an on-topic one; misspellings of neither kind get a general
    English correction, which helps the embedder.
    """

    def __init__(self, frequencies: Counter[str]):
        self.frequencies = frequencies
        self.english = _english()
        self._deletes: dict[str, list[str]] = {}
        for word in frequencies:
            if len(word) >= 4 and word.isalpha():
                for key in _deletes(word):
                    self._deletes.setdefault(key, []).append(word)

    def correct(self, word: str) -> str:
        if word in self.frequencies or len(word) < 4 or not word.isalpha() or word in self.english:
            return word
        limit = 1 if len(word) < 7 else 2
        candidates = {c for key in _deletes(word) for c in self._deletes.get(key, ())}
        scored = [(edit_distance(word, c, limit), -self.frequencies[c], c) for c in candidates]
        scored = [s for s in scored if s[0] <= limit]
        if scored:
            return min(scored)[2]
        return self.english.correction(word) or word


@functools.cache
def _english():
    from spellchecker import SpellChecker

    return SpellChecker(distance=1)


def _deletes(word: str) -> set[str]:
    return {word} | {word[:i] + word[i + 1 :] for i in range(len(word))}


# --------------------------------------------------------------------------- lexical index


class LexicalIndex:
    """BM25 over stemmed chunk words (heading context included), plus the notes' vocabulary."""

    def __init__(self, chunks: Sequence[Chunk]):
        self.chunks = list(chunks)
        self.position = {c.id: i for i, c in enumerate(self.chunks)}
        tokenised = [words(c.lexical_text()) for c in self.chunks]
        self.frequencies: Counter[str] = Counter(w for ws in tokenised for w in ws)
        self.stem_set = set(stems(list(self.frequencies)))
        self.speller = SpellingCorrector(self.frequencies)
        self.bm25 = bm25s.BM25()
        corpus = [[s for s in stems(ws) if s] or ["_"] for ws in tokenised]
        if corpus:
            self.bm25.index(corpus, show_progress=False)

    def correct(self, text: str) -> str:
        """The text with each unknown word replaced by its closest notes word, case kept simple."""

        def fix(match: re.Match) -> str:
            word = match.group(0)
            if word.lower() in STOPWORDS:
                return word
            if stems([word.lower()])[0] in self.stem_set:
                return word  # another form of a word the notes use
            fixed = self.speller.correct(word.lower())
            return word if fixed == word.lower() else fixed

        return re.sub(r"[A-Za-z]+", fix, text)

    def search(self, query: str, k: int, source: str | None = None) -> list[tuple[int, float]]:
        """(chunk position, BM25 score) of the best k chunks, optionally from one source."""
        query_stems = [s for s in stems(content_words(query)) if s in self.stem_set]
        if not self.chunks or not query_stems:
            return []
        mask = None
        if source:
            mask = np.array([c.source == source for c in self.chunks], dtype=np.float32)
        k = min(k, len(self.chunks))
        ids, scores = self.bm25.retrieve(
            [query_stems], k=k, show_progress=False, weight_mask=mask, n_threads=1
        )
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if s > 0]

    def known_share(self, query: str) -> float:
        """The share of the question's topical words that the notes use at all."""
        topical = [w for w in content_words(query) if w not in GENERIC]
        if not topical:
            return 0.0
        return sum(s in self.stem_set for s in stems(topical)) / len(topical)


# --------------------------------------------------------------------------- queries


@dataclass(frozen=True)
class Query:
    question: str  # as asked
    text: str  # what is searched: spelling-corrected, with history for follow-ups
    follow_up: bool


def is_follow_up(question: str, history: Sequence[dict]) -> bool:
    """Does the question lean on the previous turn ("And how does she…", "Why?")?"""
    if not any(turn.get("role") == "user" for turn in history):
        return False
    lowered = question.strip().lower()
    tokens = words(lowered)
    return (
        lowered.startswith(FOLLOW_UP_OPENERS)
        or any(t in FOLLOW_UP_PRONOUNS for t in tokens)
        or len(content_words(lowered)) <= 1
    )


def build_query(question: str, history: Sequence[dict], lexical: LexicalIndex) -> Query:
    follow_up = is_follow_up(question, history)
    text = question
    if follow_up:
        previous = [t.get("content", "") for t in history if t.get("role") == "user"]
        text = f"{previous[-1]} {question}"
    return Query(question, lexical.correct(text), follow_up)


# --------------------------------------------------------------------------- ranking

DenseSearch = Callable[[str, int, str | None], list[tuple[Chunk, float]]]
RRF_K = 20


@dataclass(frozen=True)
class Retrieval:
    query: Query
    passages: tuple[Passage, ...]
    answerable: bool
    best_similarity: float
    known_share: float


def retrieve(
    query: Query,
    dense: DenseSearch,
    lexical: LexicalIndex,
    k: int,
    source: str | None = None,
) -> Retrieval:
    """Fuse dense and lexical rankings; keep the top k; judge answerability."""
    pool = max(20, 3 * k)
    dense_hits = [(c, s) for c, s in dense(query.text, pool, source) if c.id in lexical.position]
    lexical_hits = lexical.search(query.text, pool, source)
    fused: dict[int, float] = {}
    similarity: dict[int, float] = {}
    for rank, (chunk, sim) in enumerate(dense_hits):
        i = lexical.position[chunk.id]
        similarity[i] = sim
        fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
    for rank, (i, _) in enumerate(lexical_hits):
        fused[i] = fused.get(i, 0.0) + 1.0 / (RRF_K + rank + 1)
    ranked = sorted(fused, key=lambda i: (-fused[i], -similarity.get(i, 0.0)))[:k]
    top = 2.0 / (RRF_K + 1)
    passages = tuple(Passage(lexical.chunks[i], fused[i] / top) for i in ranked)
    best = max(similarity.values(), default=0.0)
    share = lexical.known_share(query.text)
    return Retrieval(query, passages, is_answerable(best, share), best, share)


def is_answerable(best_similarity: float, known_share: float) -> bool:
    """Covered when a passage is close in meaning and the notes use the question's words.

    A question none of whose topical words occur in the notes needs a very close
    passage; one whose words mostly occur needs only a moderately close one.
    """
    if known_share >= 0.5:
        return best_similarity >= 0.30
    if known_share > 0:
        return best_similarity >= 0.40
    return best_similarity >= 0.55


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    norm = math.sqrt(sum(x * x for x in a)) * math.sqrt(sum(y * y for y in b))
    return dot / norm if norm else 0.0
