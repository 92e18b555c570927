"""Embed chunks and keep them in Chroma, incrementally and without half-built states.

- The embedder is a sentence-transformers model loaded from disk through
  `langchain-huggingface`; nothing is fetched from a hub.
- The store is Chroma through `langchain-chroma`: an embedded `PersistentClient` by
  default, an `HttpClient` when a server URL is configured.
- One record per sentence (a list counts as one), each carrying its chunk: a chunk
  is scored by its best sentence, which keeps one sharp sentence from being averaged
  away by its neighbours (measured on our questions: MRR 0.85 -> 0.93 with BM25).
- The manifest (which file, which content hash, how many chunks, when) is read from
  the records' own metadata, so it can never disagree with what is stored.
- A rebuild fills a fresh collection aside and only then moves a pointer to it; an
  incremental update adds a file's new chunks before deleting its old ones, so a
  crash leaves extra chunks (ignored and repaired on the next sync), never missing ones.
"""

from __future__ import annotations

import contextlib
import fcntl
import functools
import re
import shutil
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from tutor import copies
from tutor.config import Settings, chroma_address
from tutor.errors import IndexDamaged, IndexUnavailable
from tutor.records import Chunk, Document

Progress = Callable[[int, int, str], None]  # (done, total, what)
BATCH = 256  # records per add: big enough for full model batches, small enough for progress
# Texts per model pass. Sentence records are short and close in length, and on a 2-core CPU
# small batches pad least: ingest ran at 0.97 × a bare encode of the chunk texts with 8,
# 0.88 with 16 and 0.69 with 32 (`make bench-scale`, 10× corpus).
ENCODE_BATCH = 8
# How the approximate (HNSW) graph over all notes is built and searched. Chroma's defaults
# (build and search width 100) leave a small notes file among large ones nearly unreachable:
# with the bundled notes beside 18k records of other text, the global search missed its
# closest sentence for 14 to 48 of 237 questions (benchmarks/bench_scale.py), and each miss
# can route the question to the wrong file. A build width of 600 and a search width of 1000
# missed none in our runs, for ~2 ms more per search and a longer graph build at that size.
HNSW_LAYOUT = {"hnsw:space": "cosine", "hnsw:construction_ef": 600, "hnsw:search_ef": 1000}
# Inside one notes file the search is exact: its vectors are read from Chroma once per sync
# and scored directly (a filtered HNSW search loses recall when few records match).
EXACT_LIMIT = 5000
# Changes whenever the cutting into chunks or the text embedded for them changes: records
# of another format are re-embedded by the next sync, so an upgrade never keeps serving
# chunks the current code would not make.
INDEX_FORMAT = "17"


def load_embeddings(settings: Settings):
    """The configured sentence-transformers model, wrapped for LangChain (once per process)."""
    return _load_model(settings.model_path(), settings.embedding_model)


@functools.cache
def _load_model(path: str, name: str):
    from langchain_huggingface import HuggingFaceEmbeddings
    from transformers.utils import logging as transformers_logging

    transformers_logging.disable_progress_bar()  # "Loading weights" on every start is noise
    try:
        return HuggingFaceEmbeddings(
            model_name=path,
            model_kwargs={"device": "cpu", "local_files_only": True},
            encode_kwargs={"normalize_embeddings": True, "batch_size": ENCODE_BATCH},
        )
    except (OSError, ValueError) as exc:  # ValueError: a name that is no model id either
        raise IndexUnavailable(
            f"Could not load the embedding model {name!r} from disk ({exc}). "
            "Set TUTOR_EMBEDDING_MODEL to a local sentence-transformers folder, or unset it to "
            "use the packaged all-MiniLM-L6-v2."
        ) from exc


@dataclass(frozen=True)
class SourceEntry:
    """One line of the manifest."""

    source: str
    sha256: str
    chunks: int
    indexed_at: str
    consistent: bool = True  # False if a crash left two versions, or an older tutor made it


@dataclass(frozen=True)
class SyncReport:
    added: tuple[str, ...] = ()
    updated: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    chunks_embedded: int = 0
    seconds: float = 0.0
    rebuilt: bool = False
    set_aside: Path | None = None  # where a damaged index was moved before this rebuild
    kept: tuple[str, ...] = ()  # files left in the index because the folder had no notes

    @property
    def changed(self) -> bool:
        return bool(self.added or self.updated or self.removed or self.rebuilt)


def open_client(settings: Settings, damaged: Callable[[Path], None] = lambda moved: None):
    """A Chroma client: HTTP when `chroma_url` is set, else embedded and persistent. An
    embedded index too damaged to open is set aside (`damaged` is told where) and a new
    one opened."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    if settings.chroma_url:
        host, port, ssl = chroma_address(settings.chroma_url)
        try:
            return chromadb.HttpClient(host=host, port=port, ssl=ssl, settings=chroma_settings)
        except Exception as exc:
            raise server_down(settings, exc) from exc
    if not index_file(settings).exists():
        _forget_cached_system(settings.db_dir)  # the folder is new, or was deleted under us
    settings.db_dir.mkdir(parents=True, exist_ok=True)
    try:
        client = chromadb.PersistentClient(str(settings.db_dir), chroma_settings)
        client.list_collections()
        return client
    except Exception as exc:
        damaged(set_aside(settings))  # a broken embedded index is derived data: start again
        try:
            return chromadb.PersistentClient(str(settings.db_dir), chroma_settings)
        except Exception as again:
            raise IndexUnavailable(
                f"The index folder {settings.db_dir} cannot be opened ({again}); "
                "delete it and run `tutor ingest`."
            ) from exc


def set_aside(settings: Settings) -> Path:
    """Move a damaged embedded index folder to DIR.broken (replacing an older one, kept
    for a bug report) and leave an empty folder in its place.

    Only a folder holding nothing but an index is moved: a TUTOR_DB_DIR pointed at a
    folder with other things in it is reported, never moved or deleted.
    """
    folder = settings.db_dir.resolve()
    strangers = sorted(p.name for p in folder.iterdir() if not _index_part(p))
    if strangers:
        raise IndexUnavailable(
            f"The index in {folder} is damaged, and the folder also holds other files "
            f"({', '.join(strangers[:3])}), so it was left as it is. Point TUTOR_DB_DIR at a "
            "folder of its own, or move those files out and run `tutor ingest --rebuild`."
        )
    broken = folder.with_name(folder.name + ".broken")
    try:
        shutil.rmtree(broken, ignore_errors=True)
        folder.rename(broken)
        folder.mkdir(parents=True)
    except OSError as exc:
        raise IndexUnavailable(
            f"The index in {folder} is damaged and could not be moved aside ({exc}); "
            "delete the folder and run `tutor ingest`."
        ) from exc
    _forget_cached_system(settings.db_dir)
    return broken


def _index_part(path: Path) -> bool:
    """Is this a file Chroma or the tutor keeps in the index folder?"""
    if path.is_dir() and path.name != copies.FOLDER:
        return bool(re.fullmatch(r"[0-9a-f-]{36}", path.name))  # a segment folder
    return path.name.startswith("chroma.sqlite3") or path.name in ("tutor.lock", copies.FOLDER)


def index_file(settings: Settings) -> Path:
    """The embedded index's database file (absent before the first sync or if deleted)."""
    return settings.db_dir / "chroma.sqlite3"


def _file_identity(path: Path) -> tuple[int, int] | None:
    try:
        stat = path.stat()
    except OSError:
        return None
    return stat.st_dev, stat.st_ino


def _forget_cached_system(path: Path) -> None:
    """Chroma keeps one system per path per process; drop ours so the path is opened afresh."""
    from chromadb.api.client import SharedSystemClient

    SharedSystemClient._identifier_to_system.pop(str(path), None)


def server_down(settings: Settings, exc: BaseException) -> IndexUnavailable:
    host, port, _ = chroma_address(settings.chroma_url or "")
    return IndexUnavailable(
        f"The Chroma server at {settings.chroma_url} is not answering. "
        f"Start it (`chroma run --path DIR --host {host} --port {port}`) or unset "
        "TUTOR_CHROMA_URL to use the local index; your notes and index are untouched."
    )


class VectorIndex:
    """The chunks of every notes file, embedded, in one active Chroma collection."""

    def __init__(self, settings: Settings, embeddings, client=None):
        self.settings = settings
        self.embeddings = embeddings
        self._client = client
        self._store = None
        self._store_name: str | None = None
        self._source_vectors: dict[str, tuple[np.ndarray, list[dict]] | None] = {}
        self._synced_rows: list[dict] | None = None  # what the last sync read, if unchanged
        self._set_aside_at: Path | None = None  # where a damaged index was moved, unreported
        # The embedded index file the client has open (a client handed in has it open now).
        self._opened = _file_identity(index_file(settings)) if client is not None else None

    def reconnect(self) -> None:
        """Forget the client and store; the next use opens them afresh (and, for an
        embedded index, Chroma's cached system too: one kept for a folder that was since
        replaced reads the new files but cannot write them)."""
        if self._client is not None and not self.settings.chroma_url:
            _forget_cached_system(self.settings.db_dir)
        self._client, self._store = None, None
        self._source_vectors.clear()
        self._synced_rows = None

    @property
    def client(self):
        """The Chroma client, (re)connected on demand: a server that comes back just works."""
        if self._client is None:
            self._client = open_client(self.settings, damaged=self._opened_damaged)
            self._opened = _file_identity(index_file(self.settings))
        return self._client

    def _opened_damaged(self, moved: Path) -> None:
        self._set_aside_at = moved

    def take_set_aside(self) -> Path | None:
        """Where a damaged index was last moved (on opening or by `set_aside`), once: the
        caller reports it."""
        moved, self._set_aside_at = self._set_aside_at, None
        return moved

    def folder_replaced(self) -> bool:
        """Was the embedded index folder deleted, or deleted and rebuilt by another tutor
        (the CLI while the app runs), since this one opened it? Then the open client
        reads a file that is gone, and must reconnect."""
        if self.settings.chroma_url:
            return False
        identity = _file_identity(index_file(self.settings))
        return identity is None or (self._client is not None and identity != self._opened)

    # ---------------------------------------------------------------- collections

    def set_aside(self) -> Path:
        """Move the damaged embedded index aside (see `set_aside`); the next use starts empty.
        Where it went is kept for `take_set_aside`, as when opening finds it damaged."""
        self.reconnect()
        self._set_aside_at = set_aside(self.settings)
        return self._set_aside_at

    def _guard(self, action: Callable):
        """Run a Chroma call, turning connection failures into a clear IndexUnavailable and
        damage to an embedded index (some is only found when it is read) into IndexDamaged."""
        try:
            return action()
        except IndexUnavailable:
            raise
        except Exception as exc:
            if self.settings.chroma_url and _is_connection_error(exc):
                self._store, self._client = None, None
                raise server_down(self.settings, exc) from exc
            if not self.settings.chroma_url and _is_damage(exc):
                raise IndexDamaged(
                    f"The index in {self.settings.db_dir} is damaged ({exc})."
                ) from exc
            raise

    def _pointer(self):
        return self.client.get_or_create_collection(
            f"{self.settings.collection}-pointer", embedding_function=None
        )

    def active_name(self) -> str | None:
        return self._guard(lambda: (self._pointer().metadata or {}).get("active"))

    def _open_store(self, name: str):
        from langchain_chroma import Chroma

        return Chroma(
            collection_name=name,
            embedding_function=self.embeddings,
            client=self.client,
            collection_metadata=HNSW_LAYOUT,
        )

    def store(self):
        """The active langchain-chroma store, created (empty) on first use."""
        name = self.active_name()
        if name is None:
            name = self._new_name()
            self._guard(lambda: self._open_store(name))
            self._guard(lambda: self._pointer().modify(metadata={"active": name}))
        if self._store is None or self._store_name != name:
            self._store = self._guard(lambda: self._open_store(name))
            self._store_name = name
        return self._store

    def _new_name(self) -> str:
        return (
            f"{self.settings.collection}-{time.strftime('%Y%m%d%H%M%S')}-{time.time_ns() % 10**6}"
        )

    # ---------------------------------------------------------------- reading

    def _checked(self, rows: list) -> list[dict]:
        """The stored records' metadata, or IndexDamaged when some lost theirs (the index
        is derived from the notes, so it is rebuilt rather than read half)."""
        needed = ("chunk_id", "source", "source_sha256")
        if all(isinstance(m, dict) and all(k in m for k in needed) for m in rows):
            return rows
        if self.settings.chroma_url:  # not ours to set aside: say so, change nothing
            raise IndexUnavailable(
                f"The index on the Chroma server at {self.settings.chroma_url} has records "
                "without metadata: rebuild it with `tutor ingest --rebuild`."
            )
        raise IndexDamaged(f"The index in {self.settings.db_dir} has records without metadata.")

    def _metadatas(self) -> list[dict]:
        return self._guard(lambda: self.store().get(include=["metadatas"]))["metadatas"]

    def manifest(self, rows: list[dict] | None = None) -> dict[str, SourceEntry]:
        """What is indexed, per source file, read from the stored records' metadata."""
        rows = self._checked(self._metadatas() if rows is None else rows)
        seen: dict[str, dict] = {}
        for meta in rows:
            entry = seen.setdefault(meta["source"], {"hashes": set(), "chunks": set(), "at": ""})
            entry["hashes"].add(meta["source_sha256"])
            if meta.get("format") != INDEX_FORMAT:
                entry["hashes"].add("")  # made by an older version: not consistent
            entry["chunks"].add(meta["chunk_id"])
            entry["at"] = max(entry["at"], meta.get("indexed_at", ""))
        return {
            source: SourceEntry(
                source,
                max(e["hashes"]),
                len(e["chunks"]),
                e["at"],
                consistent=len(e["hashes"]) == 1,
            )
            for source, e in sorted(seen.items())
        }

    def chunks(self, rows: list[dict] | None = None) -> list[Chunk]:
        """Every stored chunk, for the lexical index."""
        rows = self._checked(self._metadatas() if rows is None else rows)
        unique = {m["chunk_id"]: m for m in rows}
        return [_to_chunk(m) for m in unique.values()]

    def snapshot(self) -> tuple[dict[str, SourceEntry], list[Chunk]]:
        """The manifest and the chunks from one read of the store; right after a sync that
        changed nothing, from the read that sync made (at 1000× the notes, a read of all
        metadata is a noticeable part of starting up)."""
        rows, self._synced_rows = self._synced_rows, None
        rows = self._metadatas() if rows is None else rows
        return self.manifest(rows), self.chunks(rows)

    def search(
        self, vector: Sequence[float], k: int, source: str | None = None
    ) -> list[tuple[Chunk, float]]:
        """The k chunks whose best sentence is nearest to a query embedding (cosine)."""
        exact = self._vectors_of(source) if source else None
        if exact is not None:
            matrix, metadatas = exact
            scores = matrix @ np.asarray(vector, dtype=np.float32)
            hits = [(metadatas[i], float(scores[i])) for i in np.argsort(-scores)[: 4 * k]]
        else:
            store = self.store()
            found = self._guard(
                lambda: store.similarity_search_by_vector_with_relevance_scores(
                    list(vector), k=4 * k, filter={"source": source} if source else None
                )
            )
            # For a vector query langchain-chroma hands back Chroma's raw cosine *distance*.
            hits = [(doc.metadata, 1.0 - distance) for doc, distance in found]
        self._checked([metadata for metadata, _ in hits])
        best: dict[str, tuple[Chunk, float]] = {}
        for metadata, similarity in hits:
            chunk_id = metadata["chunk_id"]
            if chunk_id not in best or best[chunk_id][1] < similarity:
                best[chunk_id] = (_to_chunk(metadata), similarity)
        return sorted(best.values(), key=lambda pair: -pair[1])[:k]

    def _vectors_of(self, source: str) -> tuple[np.ndarray, list[dict]] | None:
        """One file's sentence vectors (unit length) and metadata, or None if it is huge."""
        if source not in self._source_vectors:
            got = self._guard(
                lambda: self.store().get(
                    where={"source": source},
                    limit=EXACT_LIMIT + 1,
                    include=["embeddings", "metadatas"],
                )
            )
            if len(got["ids"]) > EXACT_LIMIT or not got["ids"]:
                self._source_vectors[source] = None
            else:
                matrix = np.asarray(got["embeddings"], dtype=np.float32)
                matrix /= np.linalg.norm(matrix, axis=1, keepdims=True).clip(min=1e-12)
                self._source_vectors[source] = (matrix, got["metadatas"])
        return self._source_vectors[source]

    # ---------------------------------------------------------------- writing

    def sync(
        self, documents: Sequence[Document], progress: Progress | None = None, rebuild: bool = False
    ) -> SyncReport:
        """Make the index match `documents`: embed only new or changed files, drop removed ones."""
        from tutor.documents import chunk_document

        started = time.perf_counter()
        self._source_vectors.clear()
        self._synced_rows = None
        with self._lock():
            rebuild = rebuild or self._outdated_layout()
            rows = [] if rebuild else self._metadatas()
            manifest = self.manifest(rows)
            current = {d.source: d for d in documents}
            added = [d for d in documents if d.source not in manifest]
            updated = [
                d
                for d in documents
                if d.source in manifest
                and (manifest[d.source].sha256 != d.sha256 or not manifest[d.source].consistent)
            ]
            removed = [s for s in manifest if s not in current]
            todo = [chunk for d in added + updated for chunk in chunk_document(d)]
            if rebuild:
                name = self._new_name()
                target = self._guard(lambda: self._open_store(name))
                try:
                    self._add(target, todo, progress)
                except BaseException:
                    with contextlib.suppress(Exception):
                        self.client.delete_collection(name)
                    raise
                replaced = self.active_name()
                self._guard(lambda: self._pointer().modify(metadata={"active": name}))
                self._drop_inactive(keep=name, replaced=replaced)
            else:
                store = self.store()
                added_ids = self._add(store, todo, progress)
                for document in updated:
                    self._delete_source(store, document.source, keep=added_ids)
                for source in removed:
                    self._delete_source(store, source)
            if not (todo or removed or rebuild):
                self._synced_rows = rows  # still the store's contents: `snapshot` reuses them
        return SyncReport(
            added=tuple(d.source for d in added),
            updated=tuple(d.source for d in updated),
            removed=tuple(removed),
            unchanged=tuple(s for s in current if s not in {d.source for d in added + updated}),
            chunks_embedded=len(todo),
            seconds=time.perf_counter() - started,
            rebuilt=rebuild,
        )

    def _outdated_layout(self) -> bool:
        """Was the active collection made with another HNSW layout? A graph's build width is
        fixed when it is made, so an index from an older tutor is rebuilt once to get it."""
        name = self.active_name()
        if name is None:
            return False
        from chromadb.errors import NotFoundError

        try:
            made = self._guard(lambda: self.client.get_collection(name, embedding_function=None))
        except NotFoundError:
            return False  # deleted under us: `store()` makes it afresh, in the current layout
        return any((made.metadata or {}).get(key) != value for key, value in HNSW_LAYOUT.items())

    def _drop_inactive(self, keep: str, replaced: str | None) -> None:
        """Delete our collections other than the active one: the one a rebuild replaced,
        and any a killed rebuild left half-filled (which would otherwise stay on disk for
        good). On a shared server another process may be rebuilding into one right now,
        so there only the replaced collection goes; an embedded index is under our lock."""
        made_here = re.compile(rf"{re.escape(self.settings.collection)}-\d{{14}}-\d+")
        with contextlib.suppress(Exception):
            names = [getattr(c, "name", c) for c in self.client.list_collections()]
            ours = [n for n in names if made_here.fullmatch(n) and n != keep]
            if self.settings.chroma_url:
                ours = [n for n in ours if n == replaced]
            for name in ours:
                self.client.delete_collection(name)

    def _add(self, store, chunks: Sequence[Chunk], progress: Progress | None) -> set[str]:
        """Embed and store (or overwrite) the records of `chunks`; returns their ids."""
        stamp = datetime.now(UTC).isoformat(timespec="seconds")
        records = [record for chunk in chunks for record in _records(chunk, stamp)]
        for i in range(0, len(records), BATCH):
            ids, texts, metadatas = zip(*records[i : i + BATCH], strict=True)
            self._guard(
                lambda t=texts, m=metadatas, n=ids: store.add_texts(list(t), list(m), ids=list(n))
            )
            if progress:
                progress(min(i + BATCH, len(records)), len(records), metadatas[-1]["source"])
        return {record_id for record_id, _, _ in records}

    def _delete_source(self, store, source: str, keep: set[str] = frozenset()) -> None:
        """Delete the records of `source`, except those with an id in `keep`."""
        got = self._guard(lambda: store.get(where={"source": source}, include=[]))
        stale = [i for i in got["ids"] if i not in keep]
        if stale:
            self._guard(lambda: store.delete(ids=stale))

    @contextlib.contextmanager
    def _lock(self) -> Iterator[None]:
        """One writer at a time on an embedded index (the app and the CLI may both sync)."""
        if self.settings.chroma_url:
            yield
            return
        try:
            self.settings.db_dir.mkdir(parents=True, exist_ok=True)
            handle = open(Path(self.settings.db_dir) / "tutor.lock", "w")  # noqa: SIM115
        except OSError as exc:
            raise IndexUnavailable(
                f"The index folder {self.settings.db_dir} cannot be written ({exc.strerror}); "
                "point TUTOR_DB_DIR at a folder you can write to."
            ) from exc
        with handle:
            fcntl.flock(handle, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(handle, fcntl.LOCK_UN)


def _records(chunk: Chunk, stamp: str) -> list[tuple[str, str, dict]]:
    """(id, text to embed, metadata) for each sentence of a chunk; a list is one unit."""
    from tutor.documents import chunk_units

    meta = {
        "chunk_id": chunk.id,
        "chunk_text": chunk.text,
        "source": chunk.source,
        "section": chunk.section,
        "kind": chunk.kind,
        "start": chunk.start,
        "end": chunk.end,
        "title": chunk.title,
        "source_sha256": chunk.source_sha256,
        "indexed_at": stamp,
        "format": INDEX_FORMAT,
    }
    if chunk.page is not None:
        meta["page"] = chunk.page
    context = chunk.embedding_text()[: -len(chunk.text)]  # the heading path, if any
    return [
        (f"{chunk.id}#{n}", context + chunk.text[s:e], meta | {"sentence_start": chunk.start + s})
        for n, (s, e) in enumerate(chunk_units(chunk))
    ]


def _to_chunk(meta: dict) -> Chunk:
    return Chunk(
        id=meta["chunk_id"],
        source=meta["source"],
        section=meta.get("section", ""),
        kind=meta.get("kind", "paragraph"),
        text=meta["chunk_text"],
        start=meta["start"],
        end=meta["end"],
        title=meta.get("title", ""),
        page=meta.get("page"),
        source_sha256=meta.get("source_sha256", ""),
    )


# Storage errors that say nothing about damage: another process holds a lock, or files are
# read-only. (A client kept for a folder since replaced used to hit "readonly database".)
_NOT_DAMAGE = ("readonly", "read-only", "locked", "busy")
_STORAGE = ("log", "segment", "compaction", "no such table", "malformed", "not a database")


def _is_damage(exc: BaseException) -> bool:
    """Does this error from Chroma's own storage mean its files are damaged (a missing
    table or segment, a malformed database, logs it cannot apply)? A bad request, a lock or
    a read-only folder does not."""
    import sqlite3

    from chromadb import errors

    message = str(exc).lower()
    if any(sign in message for sign in _NOT_DAMAGE):
        return False
    if isinstance(
        exc, (errors.NotFoundError, errors.DuplicateIDError, errors.InvalidArgumentError)
    ):
        return any(sign in message for sign in _STORAGE)  # usually a bad request
    return isinstance(exc, (errors.ChromaError, sqlite3.DatabaseError))


def _is_connection_error(exc: BaseException) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(
        word in text
        for word in (
            "connect",
            "connection",
            "timeout",
            "timed out",
            "refused",
            "unreachable",
            "remote",
        )
    )
