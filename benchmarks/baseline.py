"""The LangChain tutorial pipeline, as a new user would build it, for side-by-side figures.

RecursiveCharacterTextSplitter(500, 50) + the same all-MiniLM-L6-v2 + Chroma, top 4.
It has no notion of "not covered": every question gets its top 4 chunks.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from langchain_chroma import Chroma
from langchain_text_splitters import RecursiveCharacterTextSplitter

from tutor.evaluate import normalise


class TutorialBaseline:
    def __init__(self, files: Sequence[Path], embeddings, db_dir: Path):
        import chromadb
        from chromadb.config import Settings as ChromaSettings

        splitter = RecursiveCharacterTextSplitter(chunk_size=500, chunk_overlap=50)
        texts = [t for f in files for t in splitter.split_text(f.read_text(encoding="utf-8"))]
        client = chromadb.PersistentClient(str(db_dir), ChromaSettings(anonymized_telemetry=False))
        self.store = Chroma("baseline", embedding_function=embeddings, client=client)
        self.store.add_texts(texts)
        self.chunks = texts

    def retrieve(self, question: str, k: int = 4) -> list[str]:
        return [d.page_content for d in self.store.similarity_search(question, k=k)]


def score_rankings(items: Sequence[dict], rankings: Sequence[Sequence[str]], answerable) -> dict:
    """hit@1, hit@3, MRR, answered-in-scope, abstained-out-of-scope for ranked passage texts."""
    ranks, answered, abstained, in_scope, out_scope = [], 0, 0, 0, 0
    for item, texts, said_yes in zip(items, rankings, answerable, strict=True):
        if item.get("in_scope", True):
            in_scope += 1
            answered += said_yes
            gold = [normalise(g) for g in item["gold"]]
            normal = [normalise(t) for t in texts]
            ranks.append(
                next((i + 1 for i, t in enumerate(normal) if any(g in t for g in gold)), None)
            )
        else:
            out_scope += 1
            abstained += not said_yes
    n = max(in_scope, 1)
    return {
        "hit@1": round(sum(r == 1 for r in ranks) / n, 3),
        "hit@3": round(sum(r is not None and r <= 3 for r in ranks) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
        "answered_in_scope": round(answered / n, 3),
        "abstained_out_of_scope": round(abstained / max(out_scope, 1), 3),
    }


def words_of(text: str) -> int:
    return len(re.findall(r"\w+", text))
