"""Shared fixtures: the real packaged model (loaded once), real Chroma in tmp_path."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")

from tutor.config import load_settings
from tutor.index import load_embeddings
from tutor.tutor import Tutor

ROOT = Path(__file__).resolve().parents[1]
BUNDLED_NOTES = ROOT / "knowledge" / "friendship-in-never-let-me-go.txt"


@pytest.fixture(scope="session")
def embeddings():
    """The packaged all-MiniLM-L6-v2, loaded once for the whole run."""
    return load_embeddings(load_settings())


@pytest.fixture
def knowledge(tmp_path: Path) -> Path:
    """A knowledge folder holding a copy of the bundled notes."""
    folder = tmp_path / "knowledge"
    folder.mkdir()
    shutil.copy(BUNDLED_NOTES, folder)
    return folder


@pytest.fixture
def settings(tmp_path: Path, knowledge: Path, monkeypatch):
    monkeypatch.setenv("TUTOR_KNOWLEDGE_DIR", str(knowledge))
    monkeypatch.setenv("TUTOR_DB_DIR", str(tmp_path / "db"))
    monkeypatch.delenv("TUTOR_CHROMA_URL", raising=False)
    return load_settings(config_file=tmp_path / "absent.toml")


@pytest.fixture
def tutor(settings, embeddings) -> Tutor:
    return Tutor(settings, embeddings=embeddings)
