"""Score the tutor on a labelled question set.

Each line: {"id", "question", "history", "gold": [substrings the right evidence
contains], "in_scope": bool}. Matching ignores case, whitespace and typographic quotes.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Sequence

from tutor.errors import UsageError

_TYPOGRAPHIC = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "–": "-", "—": "-"})


def normalise(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_TYPOGRAPHIC).replace("…", "...")).strip().lower()


def evaluate(tutor, items: Sequence[dict]) -> dict:
    """Run every question through `tutor.ask` and compute the figures."""
    ranks, answered, abstained, quoted, invalid, citations, latencies = [], 0, 0, 0, 0, 0, []
    in_scope = out_of_scope = 0
    for item in items:  # every item checked before the first question is asked
        if "question" not in item:
            raise UsageError(f"eval item {item.get('id')!r} has no question")
        gold = item.get("gold", [])
        if not isinstance(gold, list) or not all(isinstance(g, str) for g in gold):
            raise UsageError(
                f"eval item {item.get('id')!r}: gold must be a list of strings, "
                f'e.g. "gold": ["Ruth hurts Kathy"], not {gold!r}'
            )
        if item.get("in_scope", True) and not item.get("gold"):
            raise UsageError(
                f"eval item {item.get('id')!r} is in scope but has no gold: give the "
                'substrings its evidence contains ("gold": […]) or mark it "in_scope": false'
            )
    for item in items:
        try:
            answer = tutor.ask(item["question"], item.get("history"), id=item.get("id"))
        except UsageError as exc:
            raise UsageError(f"eval item {item.get('id')!r}: {exc}") from exc
        latencies.append(answer.timings_ms["total"])
        for citation in answer.citations:
            citations += 1
            chunk = citation.passage.chunk
            document = tutor.documents.get(chunk.source)
            if document is None or document.text[chunk.start : chunk.end] != chunk.text:
                invalid += 1
        invalid += sum(
            1
            for n in re.findall(r"\[(\d+)\]", answer.answer)
            if int(n) not in {c.n for c in answer.citations}
        )
        gold = [normalise(g) for g in item.get("gold", [])]
        if item.get("in_scope", True):
            in_scope += 1
            answered += answer.answerable
            texts = [normalise(p.chunk.text) for p in answer.passages]
            rank = next((i + 1 for i, t in enumerate(texts) if any(g in t for g in gold)), None)
            ranks.append(rank)
            quoted += any(g in normalise(answer.answer) for g in gold)
        else:
            out_of_scope += 1
            abstained += not answer.answerable
    n = max(in_scope, 1)
    return {
        "questions": len(items),
        "hit@1": round(sum(r == 1 for r in ranks) / n, 3),
        "hit@3": round(sum(r is not None and r <= 3 for r in ranks) / n, 3),
        "mrr": round(sum(1 / r for r in ranks if r) / n, 3),
        "answered_in_scope": round(answered / n, 3),
        "abstained_out_of_scope": round(abstained / max(out_of_scope, 1), 3),
        "answer_quotes_gold": round(quoted / n, 3),
        "citations": citations,
        "invalid_citations": invalid,
        "p50_ms": round(statistics.median(latencies), 1) if latencies else None,
    }


def format_report(figures: dict) -> str:
    return "\n".join(f"{name:<24} {value}" for name, value in figures.items())
