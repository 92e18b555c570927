"""Warm `ask` latency next to one bare query embedding, and quality next to the tutorial baseline.

    .venv/bin/python benchmarks/bench_ask.py [--repeats 5]

Everything runs in one process on the bundled notes, so the figures compare like
with like on the same (noisy, 2-core) machine. Target: warm ask p50 < 3x one bare
query embedding.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "benchmarks"))

from baseline import TutorialBaseline, score_rankings  # noqa: E402

from tutor.config import load_settings  # noqa: E402
from tutor.documents import list_note_files  # noqa: E402
from tutor.index import load_embeddings  # noqa: E402
from tutor.tutor import Tutor  # noqa: E402

QUESTION_SETS = [
    ROOT.parent / "shared" / "eval" / "dev.jsonl",
    ROOT / "benchmarks" / "own-questions.jsonl",
    ROOT / "benchmarks" / "blind-questions.jsonl",
    ROOT / "benchmarks" / "holdout-questions.jsonl",
    ROOT / "benchmarks" / "fresh-questions.jsonl",
    ROOT / "benchmarks" / "why-questions.jsonl",
    ROOT / "benchmarks" / "blind2-questions.jsonl",
    ROOT / "benchmarks" / "blind3-questions.jsonl",
    ROOT / "benchmarks" / "blind4-questions.jsonl",
]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="passes over the questions")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="tutor-bench-"))
    settings = load_settings(knowledge_dir=ROOT / "knowledge", db_dir=workdir / "db")
    embeddings = load_embeddings(settings)
    tutor = Tutor(settings, embeddings=embeddings)
    tutor.sync(rebuild=True)

    sets = {
        p.name: [json.loads(line) for line in p.open() if line.strip()]
        for p in QUESTION_SETS
        if p.exists()
    }
    questions = [item["question"] for items in sets.values() for item in items]

    # Warm up both paths once, then interleave them so machine noise hits both alike.
    embeddings.embed_query(questions[0])
    tutor.ask(questions[0])
    bare, ask = [], []
    for _ in range(args.repeats):
        for question in questions:
            started = time.perf_counter()
            embeddings.embed_query(question)
            bare.append((time.perf_counter() - started) * 1000)
            started = time.perf_counter()
            tutor.ask(question)
            ask.append((time.perf_counter() - started) * 1000)

    print(f"Latency on the bundled notes, {len(bare)} runs each (ms):")
    print(f"  {'':28} {'p50':>8} {'p95':>8}")
    for label, runs in (("bare query embedding", bare), ("warm tutor ask", ask)):
        print(f"  {label:28} {statistics.median(runs):8.1f} {percentile(runs, 0.95):8.1f}")
    ratio = statistics.median(ask) / statistics.median(bare)
    print(f"  ask p50 / embedding p50 = {ratio:.2f}  (target < 3)")

    baseline = TutorialBaseline(
        list_note_files(settings.knowledge_dir), embeddings, workdir / "baseline"
    )
    print(
        "\nRetrieval quality, tutor next to the LangChain tutorial baseline (RCTS 500/50, top 4):"
    )
    header = ["hit@1", "hit@3", "mrr", "answered_in_scope", "abstained_out_of_scope"]
    print(
        f"  {'set':24} {'pipeline':10} "
        + " ".join(f"{h:>10}" for h in ["hit@1", "hit@3", "mrr", "answered", "abstained"])
    )
    for name, items in sets.items():
        answers = [tutor.ask(i["question"], i.get("history") or []) for i in items]
        ours = score_rankings(
            items,
            [[p.chunk.text for p in a.passages] for a in answers],
            [a.answerable for a in answers],
        )
        theirs = score_rankings(
            items, [baseline.retrieve(i["question"]) for i in items], [True] * len(items)
        )
        for label, figures in (("tutor", ours), ("tutorial", theirs)):
            print(f"  {name:24} {label:10} " + " ".join(f"{figures[h]:>10}" for h in header))


if __name__ == "__main__":
    main()
