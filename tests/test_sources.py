"""Several notes files: answers name their source, can be restricted, and never mix novels."""

from __future__ import annotations

import pytest

from .conftest import BUNDLED_NOTES

MICE = """Friendship in Of Mice and Men

George and Lennie travel together from ranch to ranch. Unlike the other ranch workers, who are
lonely and have no one, they look after each other. George protects Lennie, who has a learning
disability, and Lennie gives George company and a shared dream of owning a farm.

How does Steinbeck show this?

George tells Lennie the story of the farm where they will "live off the fatta the lan'". The
repeated story shows how much their friendship gives them hope.

Candy joins their dream after his old dog is shot. His loneliness shows how rare friendship is
on the ranch.
"""


@pytest.fixture
def two_novels(tutor, knowledge):
    (knowledge / "of-mice-and-men.txt").write_text(MICE, encoding="utf-8")
    tutor.sync()
    return tutor


def test_each_novel_is_answered_from_its_own_notes(two_novels):
    mice = two_novels.ask("How does George look after Lennie?")
    assert mice.answerable
    assert {c.passage.chunk.source for c in mice.citations} == {"of-mice-and-men.txt"}
    nlmg = two_novels.ask("Where does Kathy see Ruth again?")
    assert nlmg.answerable
    assert {c.passage.chunk.source for c in nlmg.citations} == {BUNDLED_NOTES.name}


def test_an_answer_never_mixes_two_notes_files(two_novels):
    for question in ("How is friendship shown?", "Why is friendship important to the characters?"):
        answer = two_novels.ask(question)
        assert len({c.passage.chunk.source for c in answer.citations}) == 1, question


def test_restricting_to_one_source(two_novels):
    answer = two_novels.ask("How is friendship shown?", source="of-mice-and-men.txt")
    assert answer.passages and {p.chunk.source for p in answer.passages} == {"of-mice-and-men.txt"}
    restricted = two_novels.ask("Where does Kathy see Ruth again?", source="of-mice-and-men.txt")
    assert {p.chunk.source for p in restricted.passages} <= {"of-mice-and-men.txt"}
    assert not any("Dover" in c.quote for c in restricted.citations)


def test_documents_are_listed_with_chunk_counts_and_starters_cover_both(two_novels):
    listed = {d.source: d for d in two_novels.list_documents()}
    assert set(listed) == {BUNDLED_NOTES.name, "of-mice-and-men.txt"}
    assert all(d.chunks > 0 and d.indexed_at for d in listed.values())
    starters = two_novels.starters()
    assert any("Steinbeck" in s or "Lennie" in s or "Mice" in s for s in starters)
    assert "How is friendship shown in the novel?" in starters


def _pydoc(module_name: str) -> str:
    """Real reference text that shares words, not topics, with the notes."""
    import importlib
    import pydoc
    import re

    text = pydoc.render_doc(importlib.import_module(module_name), renderer=pydoc.plaintext)
    return re.sub(r"0x[0-9a-fA-F]+", "0x0", text)


@pytest.fixture
def notes_and_python_docs(tutor, knowledge):
    for module_name in ("code", "decimal"):
        (knowledge / f"pydoc-{module_name}.txt").write_text(_pydoc(module_name), encoding="utf-8")
    tutor.sync()
    return tutor


def test_a_file_that_only_shares_a_word_does_not_take_the_question(notes_and_python_docs):
    # pydoc's "Arguments:" heading is close in meaning to the question, but only the
    # friendship notes speak about students arguing.
    answer = notes_and_python_docs.ask("Do the students argue?")
    assert answer.answerable
    assert {c.passage.chunk.source for c in answer.citations} == {BUNDLED_NOTES.name}
    assert any("argue" in c.quote for c in answer.citations)


def test_answerability_is_judged_on_the_file_that_would_answer(notes_and_python_docs):
    answer = notes_and_python_docs.ask("How do I solve a quadratic equation?")
    assert not answer.answerable, answer.citations
    assert not answer.citations
