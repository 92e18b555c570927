"""Token matching: one model pass per question, weights by rarity, and the head reordered."""

from __future__ import annotations

import numpy as np
import pytest

from tutor.documents import sentence_spans
from tutor.index import _records
from tutor.records import Chunk, Passage
from tutor.rerank import TokenMatcher
from tutor.retrieve import (
    rerank,
    sentence_relevance,
    token_weights,
)
from tutor.tutor import Tutor


@pytest.fixture
def ready(tutor):
    tutor.sync()
    return tutor


def _chunk(n: int, text: str) -> Chunk:
    return Chunk(f"c{n}", "notes.txt", "Section", "paragraph", text, 0, len(text))


def test_one_model_pass_gives_the_dense_vector_and_the_token_vectors(embeddings):
    matcher = TokenMatcher.for_embeddings(embeddings)
    question = "How does Kathy comfort Tommy?"
    encoded = matcher.encode_query(question)
    assert np.allclose(encoded.vector, embeddings.embed_query(question), atol=1e-5)
    assert len(encoded.words) == len(encoded.tokens)
    assert {"How", "Kathy", "comfort", "Tommy", "?"} <= set(encoded.words)
    assert np.allclose(np.linalg.norm(encoded.tokens, axis=1), 1.0, atol=1e-4)


def test_passage_token_vectors_are_cached_within_a_bound(embeddings, monkeypatch):
    matcher = TokenMatcher(TokenMatcher.for_embeddings(embeddings).model, cache_size=3)
    encoded_texts: list[str] = []
    real_encode = matcher.model.encode

    def counting_encode(texts, **kwargs):
        encoded_texts.extend(texts)
        return real_encode(texts, **kwargs)

    monkeypatch.setattr(matcher.model, "encode", counting_encode)
    chunks = [_chunk(n, f"Passage number {n} is about Hailsham.") for n in range(5)]
    query = matcher.encode_query("Hailsham")
    encoded_texts.clear()
    first = matcher.best_matches(query, chunks)
    # Each passage is encoded whole (for its tokens) and sentence by sentence (one here).
    assert first.shape == (5, len(query.tokens)) and len(encoded_texts) == 10
    again = matcher.best_matches(query, chunks[:2])
    assert len(encoded_texts) == 10  # both were cached: no model pass
    assert np.allclose(again, first[:2])
    assert len(matcher._chunks) == 3  # trimmed back to the bound, most recent kept


def test_token_weights_ignore_stopwords_and_favour_rare_words(ready):
    words = ["How", "does", "Kathy", "comfort", "Tommy", "?"]
    weights = dict(zip(words, token_weights(words, ready._lexical, None), strict=True))
    assert weights["How"] == weights["does"] == weights["?"] == 0
    assert weights["comfort"] > weights["Tommy"] > 0  # in no passage vs in several
    assert weights["comfort"] > weights["Kathy"]


def test_only_stopwords_fall_back_to_equal_weights(ready):
    assert list(token_weights(["what", "is", "it"], ready._lexical, None)) == [1.0, 1.0, 1.0]


def test_rerank_moves_the_better_matched_passage_up():
    passages = [Passage(_chunk(1, "first"), 0.9), Passage(_chunk(2, "second"), 0.8)]
    matches = np.array([[0.5, 0.9], [0.7, 0.9]], dtype=np.float32)
    reranked, top_match = rerank(passages, matches, np.array([1.0, 0.0], dtype=np.float32))
    assert [p.chunk.id for p in reranked] == ["c2", "c1"] and top_match == pytest.approx(0.7)
    assert [p.score for p in reranked] == [1.8, 0.9]
    # A token that matches every passage equally changes nothing.
    same, _ = rerank(passages, matches, np.array([0.0, 1.0], dtype=np.float32))
    assert [p.chunk.id for p in same] == ["c1", "c2"]


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        # ("comfort" would find her words by their attribution, "(Kathy to Tommy)",
        # "embarrassed" by the notes' "humiliating", and "help" by their "support":
        # `words.PLAIN_WORDS`)
        ("How does Kathy assist Tommy when he is ashamed?", "It’s nothing to worry about"),
        (
            "Why did it take nerve for Kathy to become Ruth's carer?",
            "She already had a carer assigned to her at the time",
        ),
    ],
)
def test_token_matching_puts_paraphrased_evidence_first(ready, question, evidence):
    assert evidence in ready.ask(question).passages[0].chunk.text
    ready.token_matcher = None  # the sentence vectors and BM25 alone
    assert evidence not in ready.ask(question).passages[0].chunk.text


class _PlainEmbeddings:
    """An embeddings object with no sentence-transformers model inside it."""

    def __init__(self, inner):
        self.inner = inner

    def embed_query(self, text):
        return self.inner.embed_query(text)

    def embed_documents(self, texts):
        return self.inner.embed_documents(texts)


def test_other_embeddings_rank_without_token_matching(settings, embeddings):
    tutor = Tutor(settings, embeddings=_PlainEmbeddings(embeddings))
    assert tutor.token_matcher is None
    answer = tutor.ask("Where does Kathy see Ruth again?")
    assert answer.answerable and "recovery centre in Dover" in answer.passages[0].chunk.text


def test_span_matches_score_each_sentence_by_its_own_tokens(embeddings):
    matcher = TokenMatcher.for_embeddings(embeddings)
    text = "Kathy walks to the lake. Tommy laughs at the joke."
    chunk = Chunk("s1", "notes.txt", "Tommy laughs", "paragraph", text, 100, 100 + len(text))
    cut = text.index("Tommy")
    spans = [(100, 100 + cut - 1), (100 + cut, chunk.end), (100, 100)]
    query = matcher.encode_query("Tommy laughs")
    scores = matcher.span_matches(query, chunk, spans).mean(axis=1)
    assert scores[1] > scores[0] + 0.2  # the sentence that says it
    assert scores[2] == 0  # a span holding no token
    # The heading says "Tommy laughs" too, but its tokens belong to no sentence:
    assert scores[0] < matcher.best_matches(query, [chunk])[0].mean() - 0.2
    tokens = matcher._chunk_tokens([chunk])[0]
    places = {text[s:e] for s, e in zip(tokens.starts, tokens.ends, strict=True) if e > s >= 0}
    assert {"Kathy", "lake", "Tommy", "joke"} <= places
    assert len(tokens.starts) == len(tokens.vectors)


def test_the_closest_sentence_is_read_without_its_heading(embeddings):
    matcher = TokenMatcher.for_embeddings(embeddings)
    text = "She seeks out donors from her old school. Friendship matters to her."
    section = "How does Kazuo Ishiguro show this?"
    chunk = Chunk("k1", "notes.txt", section, "paragraph", text, 0, len(text))
    asked = matcher.encode_query("Where was Kazuo Ishiguro born?")
    indexed = [embedded for _, embedded, _ in _records(chunk, "now")]  # as the index has them
    assert len(indexed) == 2 and all(t.startswith(section) for t in indexed)
    under_heading = max(float(np.dot(asked.vector, v)) for v in embeddings.embed_documents(indexed))
    alone = matcher.closest_sentence(asked, [chunk])
    assert alone < under_heading - 0.1  # the heading's name was all they shared
    said = matcher.encode_query("Why does she seek out donors from her old school?")
    assert matcher.closest_sentence(said, [chunk]) > 0.7
    assert matcher.closest_sentence(said, []) == 0.0


def test_sentence_relevance_prefers_the_sentence_that_answers(ready):
    chunk = next(c for c in ready._lexical.chunks if "no actual family" in c.text)
    spans = sentence_spans(chunk.text, chunk.start)
    span_search = ready._searches().spans
    relevance = sentence_relevance(
        "What do the students have instead of a family?", span_search, ready._lexical, None
    )
    scores = relevance(chunk, spans)
    answering = next(
        i
        for i, (s, _) in enumerate(spans)
        if ready.documents[chunk.source].text[s:].startswith("With no actual family")
    )
    assert scores[answering] == max(scores)


def test_a_no_before_a_noun_weighs_as_what_is_missing(ready):
    """ "no" is a stopword, but "no parents" asks about what the students lack: weighing
    nothing, "Why is friendship so important for students who have no parents?" had
    found "…all they have is each other" before "With no actual family to turn to…"."""
    words = ["students", "with", "no", "parents", "?"]
    weights = dict(zip(words, token_weights(words, ready._lexical, None), strict=True))
    assert weights["no"] > 0 and weights["with"] == 0
    lexical = ready._lexical
    no_weight = weights["no"]
    without = token_weights(["students", "without", "their", "parents"], lexical, None)
    assert without[1] == no_weight  # as "no", looking past "their"
    # a set phrase misses nothing the notes speak of
    for phrase in (["I", "have", "no", "idea", "why"], ["does", "no", "one", "help", "Tommy"]):
        assert token_weights(phrase, lexical, None)[2 if phrase[0] == "I" else 1] == 0, phrase
    answer = ready.ask("Why is friendship so important for students who have no parents?")
    assert "no actual family" in answer.passages[0].chunk.text


def test_even_before_a_clause_weighs_as_what_holds_in_spite_of_it(ready):
    """ "even" is a stopword, but "even if they argue" asks what holds in spite of the
    arguments, as the notes' "Even when they fall out, they will still be tied…"."""
    words = ["stay", "tied", "even", "if", "they", "argue", "?"]
    assert token_weights(words, ready._lexical, None)[2] > 0
    assert token_weights(["even", "more", "close"], ready._lexical, None)[0] == 0
    answer = ready.ask("Why do the students stay tied even if they argue?")
    assert "Even when they fall out" in answer.passages[0].chunk.text


def test_how_things_stand_asks_how_they_are_and_stand_weighs_nothing(ready):
    """ "How do things stand between Kathy and Ruth by the end?" asks how they are:
    "stand" (in no passage) had weighed most, and the decision to be Ruth's carer came
    before "…by the end of the novel, Kathy has become Ruth’s carer and their fondness
    for each other has returned"."""
    lexical = ready._lexical
    assert token_weights(["how", "do", "things", "stand", "with", "ruth"], lexical, None)[3] == 0
    assert token_weights(["where", "matters", "stood", "with", "ruth"], lexical, None)[2] == 0
    assert token_weights(["how", "do", "things", "now", "stand", "ruth"], lexical, None)[4] == 0
    assert token_weights(["what", "do", "things", "stand", "for", "ruth"], lexical, None)[3] > 0
    # standing up for someone, or what a thing stands for, still weighs
    assert token_weights(["does", "kathy", "stand", "up", "for", "him"], lexical, None)[2] > 0
    assert token_weights(["what", "does", "it", "stand", "for"], lexical, None)[3] > 0
    answer = ready.ask("How do things stand between Kathy and Ruth by the end?")
    assert "fondness for each other has returned" in answer.passages[0].chunk.text


def test_part_weighs_as_a_verb_but_not_as_a_pointer_at_the_text(ready):
    """ "part" points at a stretch of the text ("the part where…") and weighs nothing
    there; "did Kathy and Ruth part as friends?" asks about their parting."""
    lexical = ready._lexical
    assert token_weights(["did", "they", "part", "as", "friends"], lexical, None)[2] > 0
    assert token_weights(["when", "they", "part", "for", "good"], lexical, None)[2] > 0
    for pointing in (
        ["the", "dover", "part"],
        ["Ruth", "'", "s", "part", "in", "it"],
        ["the", "part", "on", "the", "Cottages"],
        ["for", "the", "most", "part"],
        ["what", "part", "of"],
        ["in", "part", "2"],
    ):
        words = [*pointing, "Kathy", "leaves"]
        weights = token_weights(words, lexical, None)
        assert weights[words.index("part")] == 0 and weights[-1] > 0, pointing
    answer = ready.ask("Did Kathy and Ruth part on good terms?")
    assert "not parting on the most amicable of terms" in answer.passages[0].chunk.text
