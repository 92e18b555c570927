"""The last good copy of each indexed notes file, kept beside the index.

A citation is only shown when its text is the notes file's text at its offsets, so the
tutor needs each file's text, not only its passages in Chroma. When a teacher re-saves
notes in an encoding the tutor cannot read (Windows-1252 from Word), a tutor that started
before keeps the file's last good text in memory; one started afterwards (the next
`tutor ask`) would have none, and would drop the file's passages from the index. These
copies close that gap: the index keeps answering from the last version it could read,
and says so, until the file is fixed.

A copy is written when a file is indexed, replaced when it changes and removed when the
file leaves the knowledge folder. It lives in the index folder, so it goes wherever the
index goes (set aside with it when damaged).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import tempfile
from collections.abc import Iterable
from pathlib import Path

from tutor.records import Document

FOLDER = "notes-copies"


def folder(db_dir: Path) -> Path:
    return Path(db_dir) / FOLDER


def _name(source: str) -> str:
    # surrogateescape: a file name the OS gave in another encoding must not crash a sync
    return hashlib.sha256(source.encode("utf-8", "surrogateescape")).hexdigest()[:32]


def _path(db_dir: Path, document: Document) -> Path:
    """One file per notes file and version: which copies are current shows in the names."""
    return folder(db_dir) / f"{_name(document.source)}-{document.sha256[:32]}.json"


def keep(db_dir: Path, documents: Iterable[Document]) -> None:
    """Make the copies match `documents`: write new or changed ones, drop the rest.
    Best effort: a copy that cannot be written only weakens the fallback."""
    wanted = {_path(db_dir, d): d for d in documents}
    with contextlib.suppress(OSError):
        folder(db_dir).mkdir(parents=True, exist_ok=True)
        present = set(folder(db_dir).glob("*.json"))
        for path, document in wanted.items():
            if path not in present:
                _write(path, document)
        for path in (present - set(wanted)) | set(folder(db_dir).glob("*.partial")):
            path.unlink(missing_ok=True)  # a file gone or changed; a write cut short


def kept(db_dir: Path, source: str) -> Document | None:
    """The last good copy of one notes file (the newest, if two versions are kept), or None."""
    paths = folder(db_dir).glob(f"{_name(source)}-*.json")
    for path in sorted(paths, key=_modified, reverse=True):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            document = Document(
                data["source"], data["text"], data["sha256"], data["title"], tuple(data["pages"])
            )
        except (OSError, ValueError, KeyError, TypeError):
            continue
        if document.source == source:
            return document
    return None


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _write(path: Path, document: Document) -> None:
    """Write aside, then rename: a copy is whole or absent, never half-written."""
    data = {
        "source": document.source,
        "text": document.text,
        "sha256": document.sha256,
        "title": document.title,
        "pages": list(document.page_starts),
    }
    handle, partial = tempfile.mkstemp(dir=path.parent, suffix=".partial")  # one per writer
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False)
    os.replace(partial, path)
