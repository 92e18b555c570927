"""Server mode against a real `chroma run` on a free loopback port."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tutor.cli import main
from tutor.config import load_settings
from tutor.errors import IndexUnavailable
from tutor.tutor import Tutor

from .test_index import CountingEmbeddings

pytestmark = pytest.mark.server
CHROMA = Path(sys.executable).with_name("chroma")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ChromaServer:
    def __init__(self, path: Path):
        self.path, self.port, self.process = path, _free_port(), None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                str(CHROMA),
                "run",
                "--path",
                str(self.path),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{self.url}/api/v2/heartbeat", timeout=1)
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise RuntimeError("chroma run did not start within 60 s")

    def stop(self) -> None:
        if self.process:
            self.process.terminate()
            self.process.wait(timeout=30)
            self.process = None


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
    monkeypatch.setenv("TUTOR_CHROMA_URL", f"http://127.0.0.1:{_free_port()}")
    tutor = Tutor(load_settings(config_file=settings.db_dir / "absent.toml"), embeddings=embeddings)
    with pytest.raises(IndexUnavailable, match="not answering"):
        tutor.ask("How is friendship shown?")
