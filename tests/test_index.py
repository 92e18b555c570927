"""Incremental indexing on a real Chroma in tmp_path with the real model."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from dataclasses import replace

import pytest

from tutor import copies
from tutor.errors import IndexUnavailable, UsageError
from tutor.tutor import Tutor

from .conftest import BUNDLED_NOTES

EXTRA = (
    "Loneliness in Of Mice and Men\n\nCrooks lives alone in the harness room because he is black.\n"
)


class CountingEmbeddings:
    """The real model, counting how many texts it is asked to embed."""

    def __init__(self, real):
        self.real = real
        self.embedded: list[str] = []

    def embed_documents(self, texts):
        self.embedded += list(texts)
        return self.real.embed_documents(texts)

    def embed_query(self, text):
        return self.real.embed_query(text)


@pytest.fixture
def counting(embeddings):
    return CountingEmbeddings(embeddings)


def test_first_use_indexes_then_unchanged_files_are_not_embedded_again(settings, counting):
    tutor = Tutor(settings, embeddings=counting)
    report = tutor.sync()
    assert report.added == (BUNDLED_NOTES.name,)
    assert report.chunks_embedded > 5 and counting.embedded
    counting.embedded.clear()

    again = Tutor(settings, embeddings=counting)  # a new process on the same index
    report = again.sync()
    assert report.unchanged == (BUNDLED_NOTES.name,) and not report.changed
    assert counting.embedded == []
    assert again.ask("How is friendship shown in the novel?").answerable


def test_edited_file_is_replaced_and_deleted_file_is_gone(settings, knowledge, counting):
    tutor = Tutor(settings, embeddings=counting)
    (knowledge / "mice.txt").write_text(EXTRA, encoding="utf-8")
    tutor.sync()
    before = tutor.index.manifest()
    assert set(before) == {BUNDLED_NOTES.name, "mice.txt"}
    counting.embedded.clear()

    (knowledge / "mice.txt").write_text(
        EXTRA + "\nCandy is afraid of growing old and useless.\n", "utf-8"
    )
    report = tutor.sync()
    assert report.updated == ("mice.txt",)
    assert all(
        "Candy" in t or "Crooks" in t for t in counting.embedded
    )  # only that file re-embedded
    after = tutor.index.manifest()
    assert after["mice.txt"].sha256 != before["mice.txt"].sha256
    assert after[BUNDLED_NOTES.name] == before[BUNDLED_NOTES.name]
    texts = [c.text for c in tutor.index.chunks() if c.source == "mice.txt"]
    assert any("Candy" in t for t in texts)
    assert len([t for t in texts if "Crooks" in t]) == 1  # the old version's chunks are gone

    (knowledge / "mice.txt").unlink()
    report = tutor.sync()
    assert report.removed == ("mice.txt",)
    assert set(tutor.index.manifest()) == {BUNDLED_NOTES.name}
    assert not [c for c in tutor.index.chunks() if c.source == "mice.txt"]


def test_a_sync_that_changes_nothing_reads_the_store_once(
    settings, knowledge, embeddings, monkeypatch
):
    tutor = Tutor(settings, embeddings=embeddings)
    tutor.sync()
    reads = []
    real_read = tutor.index._metadatas
    monkeypatch.setattr(tutor.index, "_metadatas", lambda: reads.append(1) or real_read())
    chunks_before = list(tutor._lexical.chunks)
    tutor.sync()
    assert len(reads) == 1  # the manifest's read serves the chunk reload too
    assert tutor._lexical.chunks == chunks_before

    (knowledge / "mice.txt").write_text(EXTRA, encoding="utf-8")
    reads.clear()
    tutor.sync()
    assert len(reads) == 2  # the store changed: read again
    assert any("Crooks" in c.text for c in tutor._lexical.chunks)


def test_rebuild_swaps_to_a_complete_new_collection(settings, embeddings):
    tutor = Tutor(settings, embeddings=embeddings)
    tutor.sync()
    old = tutor.index.active_name()
    count = tutor.index.manifest()[BUNDLED_NOTES.name].chunks
    tutor.sync(rebuild=True)
    assert tutor.index.active_name() != old
    assert old not in [c.name for c in tutor.index.client.list_collections()]
    assert tutor.index.manifest()[BUNDLED_NOTES.name].chunks == count

    # A rebuild killed midway leaves its half-filled collection behind; the next rebuild
    # clears it, so such leftovers do not pile up on disk.
    leftover = f"{settings.collection}-20261124101010-123"  # named as a rebuild names it
    another_class = f"{settings.collection}-y10-pointer"  # another tutor's, in the same folder
    for name in (leftover, another_class):
        tutor.index.client.create_collection(name, embedding_function=None)
    tutor.sync(rebuild=True)
    names = [c.name for c in tutor.index.client.list_collections()]
    assert leftover not in names
    assert sorted(names) == sorted(
        [tutor.index.active_name(), f"{settings.collection}-pointer", another_class]
    )


def test_a_failed_rebuild_leaves_the_old_index_answering(settings, embeddings, monkeypatch):
    class FailingHalfway(CountingEmbeddings):
        def embed_documents(self, texts):
            if len(self.embedded) >= 16:
                raise RuntimeError("power cut")
            return super().embed_documents(texts)

    tutor = Tutor(settings, embeddings=embeddings)
    tutor.sync()
    active = tutor.index.active_name()
    monkeypatch.setattr("tutor.index.BATCH", 8)
    broken = Tutor(settings, embeddings=FailingHalfway(embeddings))
    with pytest.raises(RuntimeError, match="power cut"):
        broken.sync(rebuild=True)
    fresh = Tutor(settings, embeddings=embeddings)
    assert fresh.index.active_name() == active
    names = [c.name for c in fresh.index.client.list_collections()]
    assert sorted(names) == sorted(
        [active, f"{settings.collection}-pointer"]
    )  # no half-built leftovers
    assert fresh.ask("Where does Kathy see Ruth again?").answerable


def test_a_crash_mid_update_is_repaired_on_the_next_sync(settings, knowledge, embeddings):
    tutor = Tutor(settings, embeddings=embeddings)
    (knowledge / "mice.txt").write_text(EXTRA, encoding="utf-8")
    tutor.sync()
    # Simulate a crash after the new version's chunks were added but before the old were deleted.
    from tutor.documents import chunk_document, parse_document

    new = parse_document("mice.txt", (EXTRA + "\nCandy is old.\n").encode())
    tutor.index._add(tutor.index.store(), chunk_document(new), None)
    assert not tutor.index.manifest()["mice.txt"].consistent
    (knowledge / "mice.txt").write_bytes((EXTRA + "\nCandy is old.\n").encode())
    tutor.sync()
    entry = tutor.index.manifest()["mice.txt"]
    assert entry.consistent and entry.sha256 == new.sha256


def test_a_corrupted_index_folder_is_set_aside_and_rebuilt(settings, embeddings):
    Tutor(settings, embeddings=embeddings).sync()
    for path in settings.db_dir.rglob("*.sqlite3"):
        path.write_bytes(b"this is not a database" * 100)
    tutor = Tutor(settings, embeddings=embeddings)
    report = tutor.ensure_ready()  # what `tutor ask` and the app do first: it is reported
    assert report is not None and report.chunks_embedded
    assert report.set_aside == settings.db_dir.resolve().with_name(settings.db_dir.name + ".broken")
    assert report.set_aside.is_dir()
    answer = tutor.ask("How is friendship shown in the novel?")
    assert answer.answerable and answer.citations
    assert tutor.sync().set_aside is None  # reported once


@pytest.mark.parametrize(
    "damage",
    [
        "DROP TABLE embedding_metadata",  # Chroma opens the folder, then fails on reading
        "DELETE FROM segments WHERE scope = 'METADATA'",
        "DELETE FROM embedding_metadata WHERE key = 'chunk_id' AND id % 2 = 0",  # rows half-kept
    ],
)
def test_damage_found_only_on_reading_is_repaired(settings, embeddings, damage):
    def break_index() -> None:
        with sqlite3.connect(settings.db_dir / "chroma.sqlite3") as database:
            database.execute(damage)

    Tutor(settings, embeddings=embeddings).sync()
    break_index()
    tutor = Tutor(settings, embeddings=embeddings)
    report = tutor.sync()  # what `tutor ask` and the app do first
    assert report.set_aside == settings.db_dir.with_name(settings.db_dir.name + ".broken")
    assert report.set_aside.is_dir() and report.chunks_embedded
    assert tutor.ask("Where does Kathy see Ruth again?").answerable

    break_index()  # `tutor ingest --rebuild` used to fail here too
    assert Tutor(settings, embeddings=embeddings).sync(rebuild=True).chunks_embedded

    break_index()  # … and damage that a running tutor meets in the middle of answering
    tutor.index.reconnect()
    assert tutor.ask("How does Ishiguro present Ruth?").answerable


def test_an_index_folder_rebuilt_by_another_process_is_written_to_not_set_aside(
    settings, knowledge, embeddings
):
    first = Tutor(settings, embeddings=embeddings)
    first.sync()
    shutil.rmtree(settings.db_dir)  # the CLI, in its own process, starts the index afresh
    subprocess.run([sys.executable, "-m", "tutor.cli", "ingest"], env=os.environ.copy(), check=True)
    (knowledge / "mice.txt").write_text(EXTRA, encoding="utf-8")
    report = first.ensure_ready()  # the app's tutor, still holding the old folder's handles
    assert report.added == ("mice.txt",) and report.set_aside is None
    assert not settings.db_dir.with_name(settings.db_dir.name + ".broken").exists()


def test_a_damaged_index_in_a_shared_folder_is_reported_and_left_alone(
    tmp_path, settings, embeddings
):
    shared = tmp_path / "shared"
    tutor = Tutor(replace(settings, db_dir=shared), embeddings=embeddings)
    tutor.sync()
    (shared / "lesson-plan.docx").write_bytes(b"someone else's file")
    with sqlite3.connect(shared / "chroma.sqlite3") as database:
        database.execute("DROP TABLE embedding_metadata")
    with pytest.raises(IndexUnavailable, match="also holds other files"):
        Tutor(replace(settings, db_dir=shared), embeddings=embeddings).sync()
    assert (shared / "lesson-plan.docx").read_bytes() == b"someone else's file"
    assert not (tmp_path / "shared.broken").exists()


def test_a_knowledge_folder_that_does_not_exist_leaves_the_index_alone(
    settings, knowledge, embeddings
):
    Tutor(settings, embeddings=embeddings).sync()
    mistyped = replace(settings, knowledge_dir=knowledge.with_name("knowlege"))
    tutor = Tutor(mistyped, embeddings=embeddings)
    with pytest.raises(UsageError, match="does not exist"):
        tutor.ask("How is friendship shown in the novel?")
    assert set(Tutor(settings, embeddings=embeddings).index.manifest()) == {BUNDLED_NOTES.name}


def test_a_folder_emptied_of_notes_keeps_the_index_until_notes_come_back(
    settings, knowledge, counting
):
    """An empty folder is far more often notes being moved than a wish to forget them:
    nothing is answered, but nothing indexed is lost either, and putting the notes back
    embeds nothing. Removing the last file on purpose (the app's remove button) does."""
    Tutor(settings, embeddings=counting).sync()
    moved = knowledge / BUNDLED_NOTES.name
    text = moved.read_bytes()
    moved.unlink()
    (knowledge / "essay.docx").write_bytes(b"PK\x03\x04")  # no notes, but not no files

    tutor = Tutor(settings, embeddings=counting)
    report = tutor.sync()
    assert report.kept == (BUNDLED_NOTES.name,) and not report.removed
    assert [s.source for s in tutor.skipped] == ["essay.docx"]
    with pytest.raises(UsageError, match="has no readable notes"):
        tutor.ask("How is friendship shown in the novel?")
    assert tutor.list_documents() == []

    counting.embedded.clear()
    moved.write_bytes(text)
    assert tutor.ask("How is friendship shown in the novel?").answerable
    assert counting.embedded == []  # found unchanged, not embedded again

    tutor.remove_document(BUNDLED_NOTES.name)
    assert tutor.index.manifest() == {}
    assert not list(copies.folder(settings.db_dir).glob("*.json"))


def test_a_rebuild_of_a_folder_emptied_of_notes_empties_the_index(settings, knowledge, embeddings):
    Tutor(settings, embeddings=embeddings).sync()
    (knowledge / BUNDLED_NOTES.name).unlink()
    tutor = Tutor(settings, embeddings=embeddings)
    report = tutor.sync(rebuild=True)  # asked for in so many words
    assert report.rebuilt and not report.kept and tutor.index.manifest() == {}


def test_a_damaged_index_over_a_folder_emptied_of_notes_is_set_aside(
    settings, knowledge, embeddings
):
    Tutor(settings, embeddings=embeddings).sync()
    (knowledge / BUNDLED_NOTES.name).unlink()
    with sqlite3.connect(settings.db_dir / "chroma.sqlite3") as database:
        database.execute("DROP TABLE embedding_metadata")  # found only on reading
    tutor = Tutor(settings, embeddings=embeddings)
    report = tutor.sync()
    assert report.set_aside is not None and tutor.index.manifest() == {}


def test_a_deleted_index_folder_is_rebuilt(settings, embeddings):
    tutor = Tutor(settings, embeddings=embeddings)
    tutor.sync()
    shutil.rmtree(settings.db_dir)
    again = Tutor(settings, embeddings=embeddings)
    assert again.ask("How does Ishiguro present Ruth?").answerable
    shutil.rmtree(settings.db_dir)  # deleted under a running tutor (the app) this time
    assert again.ask("Where does Kathy see Ruth again?").answerable
    assert tutor.ask("How is friendship shown in the novel?").answerable


def test_an_unreadable_file_is_skipped_and_loses_nothing(settings, knowledge, embeddings):
    tutor = Tutor(settings, embeddings=embeddings)
    tutor.sync()
    (knowledge / "empty.txt").write_bytes(b"")
    (knowledge / "image.md").write_bytes(bytes(range(256)))
    (knowledge / "essay.docx").write_bytes(b"PK\x03\x04")
    tutor.sync()
    reasons = {s.source: s.reason for s in tutor.skipped}
    assert set(reasons) == {"empty.txt", "image.md", "essay.docx"}
    assert "empty" in reasons["empty.txt"] and "binary" in reasons["image.md"]
    assert "unsupported file type .docx" in reasons["essay.docx"]
    assert set(tutor.index.manifest()) == {BUNDLED_NOTES.name}
    # A file that was fine and becomes unreadable keeps its indexed chunks.
    (knowledge / BUNDLED_NOTES.name).write_bytes(b"\x00\x01binary now")
    tutor.sync()
    assert BUNDLED_NOTES.name in tutor.index.manifest()
    assert tutor.ask("How is friendship shown in the novel?").answerable


def test_a_file_name_that_is_not_utf8_is_skipped_not_fatal(settings, knowledge, embeddings):
    name = os.fsdecode(b"r\xe9vision.txt")  # as the OS hands a Latin-1 name to Python
    with open(os.path.join(os.fsencode(knowledge), b"r\xe9vision.txt"), "wb") as notes:
        notes.write(b"Ruth hurts Kathy.")
    tutor = Tutor(settings, embeddings=embeddings)
    tutor.sync()
    assert [s.source for s in tutor.skipped] == [name]
    assert "rename it" in tutor.skipped[0].reason
    assert tutor.ask("How is friendship shown in the novel?").answerable


def test_notes_re_saved_unreadable_keep_answering_in_a_new_process(
    settings, knowledge, embeddings, counting
):
    """Notes re-saved from Word as Windows-1252: the next `tutor ask` (a new process, with
    nothing in memory) still answers from the last good version, says so, and re-embeds
    nothing; once the file is fixed it is read again, and when it is deleted it goes."""
    notes = knowledge / BUNDLED_NOTES.name
    Tutor(settings, embeddings=embeddings).sync()
    good = notes.read_text(encoding="utf-8")
    notes.write_bytes(good.replace("’", "'").encode("utf-8") + "\n‘Ruth’\n".encode("cp1252"))

    fresh = Tutor(settings, embeddings=counting)
    report = fresh.sync()
    [skipped] = fresh.skipped
    assert "not saved as UTF-8" in skipped.reason and "last version" in skipped.reason
    assert set(fresh.index.manifest()) == {BUNDLED_NOTES.name} and not report.removed
    assert counting.embedded == []
    answer = fresh.ask("Where does Kathy see Ruth again?")
    assert answer.answerable and answer.citations
    assert fresh.documents[BUNDLED_NOTES.name].text[: len("Friendship")] == "Friendship"

    notes.write_text(good + "\nA new line about Ruth.\n", encoding="utf-8")  # fixed
    fresh = Tutor(settings, embeddings=embeddings)
    assert fresh.sync().updated == (BUNDLED_NOTES.name,) and not fresh.skipped
    (knowledge / "mice.txt").write_text(EXTRA, encoding="utf-8")  # not the last file left
    notes.unlink()
    assert Tutor(settings, embeddings=embeddings).sync().removed == (BUNDLED_NOTES.name,)
    assert len(list(copies.folder(settings.db_dir).glob("*.json"))) == 1  # mice.txt's only


def test_an_index_made_by_an_older_version_is_re_embedded_once(settings, embeddings, monkeypatch):
    import tutor.index as index_module

    monkeypatch.setattr(index_module, "INDEX_FORMAT", "0")  # as an older tutor made it
    Tutor(settings, embeddings=embeddings).sync()
    monkeypatch.undo()

    upgraded = Tutor(settings, embeddings=embeddings)
    report = upgraded.sync()
    assert report.updated == (BUNDLED_NOTES.name,) and report.chunks_embedded > 5
    formats = {m["format"] for m in upgraded.index._metadatas()}
    assert formats == {index_module.INDEX_FORMAT}  # no record of the old format is left
    assert upgraded.index.manifest()[BUNDLED_NOTES.name].consistent
    assert not Tutor(settings, embeddings=embeddings).sync().changed


def test_an_index_with_an_older_search_graph_is_rebuilt_once_with_the_current_one(
    settings, embeddings, monkeypatch
):
    """A graph's build width is fixed when its collection is made: only a rebuild applies it."""
    import tutor.index as index_module

    old_layout = {"hnsw:space": "cosine", "hnsw:search_ef": 500}  # as stop 16's tutor made it
    monkeypatch.setattr(index_module, "HNSW_LAYOUT", old_layout)
    first = Tutor(settings, embeddings=embeddings)
    first.sync()
    old_name = first.index.active_name()
    monkeypatch.undo()

    upgraded = Tutor(settings, embeddings=embeddings)
    report = upgraded.sync()
    assert report.rebuilt and report.chunks_embedded > 5
    name = upgraded.index.active_name()
    made = upgraded.index.client.get_collection(name, embedding_function=None)
    layout = index_module.HNSW_LAYOUT
    assert made.configuration["hnsw"]["ef_construction"] == layout["hnsw:construction_ef"]
    assert made.configuration["hnsw"]["ef_search"] == layout["hnsw:search_ef"]
    names = [c.name for c in upgraded.index.client.list_collections()]
    assert old_name not in names  # the old graph is gone, not left beside the new one
    assert upgraded.ask("Where does Kathy see Ruth again?").citations
    assert not Tutor(settings, embeddings=embeddings).sync().changed  # once only


def test_an_active_collection_deleted_under_the_tutor_is_made_again(settings, embeddings):
    # Another process may delete it (a rebuild on a shared server replaces it).
    first = Tutor(settings, embeddings=embeddings)
    first.sync()
    first.index.client.delete_collection(first.index.active_name())

    again = Tutor(settings, embeddings=embeddings)
    assert again.sync().added == (BUNDLED_NOTES.name,)
    assert again.ask("Where does Kathy see Ruth again?").citations
