"""Plumbing for bench_scale.py: a vector cache, a throwaway Chroma server, machine facts."""

from __future__ import annotations

import hashlib
import os
import platform
import subprocess
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np

import tests.chroma_server
from tutor.index import VectorIndex

TIME = "/usr/bin/time"  # GNU time, for a child's peak RSS


class CachingEmbeddings:
    """The real embeddings, with each distinct document text embedded once (then kept on disk).

    Implements the two methods the tutor and LangChain call. Queries are never cached,
    so a timed `ask` always pays for one real query embedding. Vectors are the model's
    own, so results are the same as without the cache; only the time to build is saved.
    """

    def __init__(self, real, cache_file: Path | None = None):
        self.real = real
        self.cache_file = cache_file
        self.vectors: dict[str, np.ndarray] = {}
        self.embedded = 0  # texts this process had to embed
        if cache_file and cache_file.exists():
            with np.load(cache_file) as saved:
                self.vectors = dict(zip(saved["keys"].tolist(), saved["vectors"], strict=True))

    @staticmethod
    def key(text: str) -> str:
        return hashlib.sha1(text.encode("utf-8")).hexdigest()

    def prefetch(self, texts: Sequence[str], report: Callable[[int, int], None] | None = None):
        """Embed the texts not yet cached, shortest first in large batches (less padding)."""
        missing = sorted({t for t in texts if self.key(t) not in self.vectors}, key=len)
        for i in range(0, len(missing), 1024):
            part = missing[i : i + 1024]
            self._store(part, self.real.embed_documents(part))
            if report:
                report(i + len(part), len(missing))
        if missing:
            self.save()

    def _store(self, texts: Sequence[str], vectors) -> None:
        self.embedded += len(texts)
        for text, vector in zip(texts, vectors, strict=True):
            self.vectors[self.key(text)] = np.asarray(vector, dtype=np.float32)

    def save(self) -> None:
        if not self.cache_file:
            return
        self.cache_file.parent.mkdir(parents=True, exist_ok=True)
        partial = self.cache_file.with_suffix(".partial.npz")
        np.savez(
            partial,
            keys=np.array(list(self.vectors)),
            vectors=np.stack(list(self.vectors.values())),
        )
        partial.replace(self.cache_file)

    def embed_documents(self, texts: Sequence[str]) -> list[list[float]]:
        missing = [t for t in dict.fromkeys(texts) if self.key(t) not in self.vectors]
        if missing:
            self._store(missing, self.real.embed_documents(missing))
        return [self.vectors[self.key(t)].tolist() for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self.real.embed_query(text)

    @property
    def _client(self):
        """The real sentence-transformers model, so the tutor's token matching runs as it
        does in the product (it looks for the model where LangChain keeps it)."""
        return getattr(self.real, "_client", None)


def cache_file_for(cache_dir: Path, model_path: str) -> Path:
    """One vector file per model (a different model must never reuse another's vectors)."""
    digest = hashlib.sha1(str(Path(model_path).resolve()).encode()).hexdigest()[:12]
    return cache_dir / f"vectors-{Path(model_path).name}-{digest}.npz"


class ChromaServer(tests.chroma_server.ChromaServer):
    """The tests' throwaway `chroma run`, which can also report its memory."""

    def peak_rss_mb(self) -> float | None:
        """The server's peak resident memory so far (VmHWM), in MB."""
        return _status_mb(self.process.pid, "VmHWM") if self.process else None


def _status_mb(pid: int, field: str) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


def peak_rss_mb() -> float:
    """This process's peak resident memory so far, in MB."""
    return _status_mb(os.getpid(), "VmHWM") or 0.0


def timed_child(command: Sequence[str], env: dict[str, str]) -> tuple[float, float | None, str]:
    """Run a child; return (seconds until its first output line, its peak RSS in MB, output).

    The first line of `tutor ask --json` is the whole answer, so this is process start to
    first answer. The peak RSS is measured by GNU time around the child: this process's
    own wait4/RUSAGE_CHILDREN figures would include this (large) process, whose memory a
    child inherits until it execs, and every other child, such as the Chroma server.
    """
    with tempfile.TemporaryDirectory() as tmp:
        rss_file, errors_file = Path(tmp) / "rss", Path(tmp) / "stderr"
        wrapper = [TIME, "-f", "%M", "-o", str(rss_file)] if Path(TIME).exists() else []
        with errors_file.open("w") as errors:
            started = time.perf_counter()
            process = subprocess.Popen(
                [*wrapper, *command], env=env, stdout=subprocess.PIPE, stderr=errors, text=True
            )
            first = process.stdout.readline()
            answered = time.perf_counter() - started
            rest = process.communicate()[0]
        if process.returncode != 0:
            raise RuntimeError(f"{' '.join(command)} failed: {errors_file.read_text()[-2000:]}")
        rss = int(rss_file.read_text().split()[-1]) / 1024 if wrapper else None
    return answered, rss, first + rest


def code_version(root: Path) -> str:
    """The commit measured, and the files under src/ changed since (the core moves fast)."""

    def git(*args: str) -> str:
        done = subprocess.run(["git", "-C", str(root), *args], capture_output=True, text=True)
        return done.stdout.strip()

    changed = [line.split()[-1] for line in git("status", "--porcelain", "--", "src").splitlines()]
    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    return commit + (f" + uncommitted changes to {', '.join(changed)}" if changed else "")


def machine() -> dict[str, str]:
    """What the figures were measured on."""
    import torch

    cpu = "unknown"
    with open("/proc/cpuinfo") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as info:
        ram_kb = int(next(line for line in info if line.startswith("MemTotal")).split()[1])
    return {
        "cpus (nproc)": str(os.cpu_count()),
        "cpu": cpu,
        "ram": f"{ram_kb / 1024 / 1024:.1f} GB",
        "os": platform.platform(),
        "python": platform.python_version(),
        "torch": f"{torch.__version__} ({torch.get_num_threads()} threads)",
        "load average (1/5/15 min) at start": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


class ExactStore:
    """A stand-in for the langchain-chroma store that searches exactly (brute force).

    Holds a copy of every stored record and answers the one call `VectorIndex.search`
    makes, with the same cosine distances Chroma reports, so the tutor's own search
    code runs unchanged on top of exact nearest neighbours instead of HNSW.
    """

    def __init__(self, store):
        got = store.get(include=["embeddings", "metadatas", "documents"])
        self.vectors = np.asarray(got["embeddings"], dtype=np.float32)
        self.rows = list(zip(got["documents"], got["metadatas"], got["ids"], strict=True))
        self._columns: dict[str, np.ndarray] = {}

    def _column(self, field: str) -> np.ndarray:
        """One metadata field of every record, as an array (for `filter`)."""
        if field not in self._columns:
            self._columns[field] = np.array([m.get(field) for _, m, _ in self.rows], dtype=object)
        return self._columns[field]

    def similarity_search_by_vector_with_relevance_scores(self, embedding, k, filter=None):
        from langchain_core.documents import Document

        similarity = self.vectors @ np.asarray(embedding, dtype=np.float32)
        for field, value in (filter or {}).items():
            similarity = np.where(self._column(field) == value, similarity, -np.inf)
        best = np.argsort(-similarity)[:k]
        return [
            (
                Document(
                    page_content=self.rows[i][0], metadata=self.rows[i][1], id=self.rows[i][2]
                ),
                1.0 - float(similarity[i]),
            )
            for i in best
            if np.isfinite(similarity[i])
        ]


class ExactIndex(VectorIndex):
    """A built VectorIndex, read once into an ExactStore: the tutor's search, exact kNN."""

    def __init__(self, index: VectorIndex):
        super().__init__(index.settings, index.embeddings, index.client)
        self._exact = ExactStore(index.store())

    def store(self):
        return self._exact

    def _vectors_of(self, source):
        return None  # the exact store already scores every record of a file exactly


class GcPauses:
    """Full (generation-2) garbage collections while active: how many and how long (ms)."""

    def __init__(self):
        self.pauses: list[float] = []
        self._started = 0.0

    def _callback(self, phase: str, info: dict) -> None:
        if info["generation"] == 2:
            if phase == "start":
                self._started = time.perf_counter()
            else:
                self.pauses.append((time.perf_counter() - self._started) * 1000)

    def __enter__(self) -> GcPauses:
        import gc

        gc.callbacks.append(self._callback)
        return self

    def __exit__(self, *exc) -> None:
        import gc

        gc.callbacks.remove(self._callback)
