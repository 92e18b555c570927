"""Server mode against a real `chroma run` on a free loopback port."""

from __future__ import annotations

import pytest

from tutor.cli import main
from tutor.config import load_settings
from tutor.errors import IndexUnavailable
from tutor.tutor import Tutor

from .chroma_server import ChromaServer, free_port
from .test_index import CountingEmbeddings

pytestmark = pytest.mark.server


@pytest.fixture
def server(tmp_path):
    chroma = ChromaServer(tmp_path / "chroma-server")
    chroma.start()
    yield chroma
    chroma.stop()


@pytest.fixture
def server_settings(settings, server, monkeypatch):
    monkeypatch.setenv("TUTOR_CHROMA_URL", server.url)
    return load_settings(config_file=settings.db_dir / "absent.toml")


def test_ingest_and_ask_through_the_server_and_share_the_index(
    server_settings, embeddings, tmp_path
):
    first = Tutor(server_settings, embeddings=embeddings)
    report = first.sync()
    assert report.added and report.chunks_embedded > 0
    answer = first.ask("Where does Kathy see Ruth again?")
    assert answer.answerable and "Dover" in answer.passages[0].chunk.text
    assert not (tmp_path / "db").exists() or not list((tmp_path / "db").glob("*.sqlite3"))

    # A second app process on the same server finds the index built: nothing is re-embedded.
    counting = CountingEmbeddings(embeddings)
    second = Tutor(server_settings, embeddings=counting)
    assert not second.sync().changed
    assert counting.embedded == []
    assert second.ask("How does Ishiguro present Ruth?").answerable


def test_server_down_gives_a_clear_error_and_comes_back(
    server, server_settings, embeddings, capsys
):
    tutor = Tutor(server_settings, embeddings=embeddings)
    tutor.sync()
    server.stop()
    with pytest.raises(IndexUnavailable, match="not answering") as error:
        tutor.ask("How is friendship shown in the novel?")
    assert "TUTOR_CHROMA_URL" in str(error.value)
    assert main(["ask", "How is friendship shown in the novel?"]) == 1
    assert "not answering" in capsys.readouterr().err

    server.start()  # same port and data: the same Tutor works again without a restart
    answer = tutor.ask("How is friendship shown in the novel?")
    assert answer.answerable and answer.citations


def test_a_server_that_never_started_is_reported_not_crashed(settings, monkeypatch, embeddings):
    monkeypatch.setenv("TUTOR_CHROMA_URL", f"http://127.0.0.1:{free_port()}")
    tutor = Tutor(load_settings(config_file=settings.db_dir / "absent.toml"), embeddings=embeddings)
    with pytest.raises(IndexUnavailable, match="not answering"):
        tutor.ask("How is friendship shown?")
