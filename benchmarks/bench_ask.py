"""Warm `ask` latency next to one bare query embedding, and quality next to the tutorial baseline.

    .venv/bin/python benchmarks/bench_ask.py [--repeats 5]

Everything runs in one process on the bundled notes, so the figures compare like
with like on the same (noisy, 2-core) machine. Target: warm ask p50 < 3x one bare
query embedding.
"""

from __future__ import annotations

import argparse
import json
import shutil
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
from tutor.evaluate import evaluate  # noqa: E402
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
    ROOT / "benchmarks" / "blind5-questions.jsonl",
    ROOT / "benchmarks" / "blind6-questions.jsonl",
    ROOT / "benchmarks" / "blind7-questions.jsonl",
    ROOT / "benchmarks" / "blind8-questions.jsonl",
    ROOT / "benchmarks" / "blind9-questions.jsonl",
    ROOT / "benchmarks" / "blind10-questions.jsonl",
    ROOT / "benchmarks" / "blind11-questions.jsonl",
    ROOT / "benchmarks" / "blind12-questions.jsonl",
    ROOT / "benchmarks" / "blind13-questions.jsonl",
    ROOT / "benchmarks" / "blind14-questions.jsonl",
    ROOT / "benchmarks" / "blind15-questions.jsonl",
    ROOT / "benchmarks" / "blind16-questions.jsonl",
    ROOT / "benchmarks" / "blind17-questions.jsonl",
    ROOT / "benchmarks" / "blind18-questions.jsonl",
    ROOT / "benchmarks" / "blind19-questions.jsonl",
    ROOT / "benchmarks" / "blind20-questions.jsonl",
    ROOT / "benchmarks" / "blind21-questions.jsonl",
    ROOT / "benchmarks" / "blind22-questions.jsonl",
    ROOT / "benchmarks" / "blind23-questions.jsonl",
    ROOT / "benchmarks" / "blind24-questions.jsonl",
    ROOT / "benchmarks" / "blind25-questions.jsonl",
    ROOT / "benchmarks" / "blind26-questions.jsonl",
    ROOT / "benchmarks" / "blind27-questions.jsonl",
    ROOT / "benchmarks" / "blind28-questions.jsonl",
    ROOT / "benchmarks" / "blind29-questions.jsonl",
    ROOT / "benchmarks" / "blind30-questions.jsonl",
    ROOT / "benchmarks" / "blind31-questions.jsonl",
    ROOT / "benchmarks" / "blind32-questions.jsonl",
    ROOT / "benchmarks" / "blind33-questions.jsonl",
    ROOT / "benchmarks" / "blind34-questions.jsonl",
    ROOT / "benchmarks" / "blind35-questions.jsonl",
    ROOT / "benchmarks" / "blind36-questions.jsonl",
    ROOT / "benchmarks" / "blind37-questions.jsonl",
    ROOT / "benchmarks" / "blind38-questions.jsonl",
    ROOT / "benchmarks" / "blind39-questions.jsonl",
    ROOT / "benchmarks" / "blind40-questions.jsonl",
    ROOT / "benchmarks" / "blind41-questions.jsonl",
    ROOT / "benchmarks" / "blind42-questions.jsonl",
    ROOT / "benchmarks" / "blind43-questions.jsonl",
    ROOT / "benchmarks" / "blind44-questions.jsonl",
    ROOT / "benchmarks" / "blind45-questions.jsonl",
    ROOT / "benchmarks" / "blind46-questions.jsonl",
    ROOT / "benchmarks" / "blind47-questions.jsonl",
    ROOT / "benchmarks" / "blind48-questions.jsonl",
    ROOT / "benchmarks" / "blind49-questions.jsonl",
    ROOT / "benchmarks" / "blind50-questions.jsonl",
    ROOT / "benchmarks" / "blind51-questions.jsonl",
    ROOT / "benchmarks" / "blind52-questions.jsonl",
    ROOT / "benchmarks" / "blind53-questions.jsonl",
    ROOT / "benchmarks" / "blind54-questions.jsonl",
    ROOT / "benchmarks" / "blind55-questions.jsonl",
    ROOT / "benchmarks" / "blind56-questions.jsonl",
    ROOT / "benchmarks" / "blind57-questions.jsonl",
    ROOT / "benchmarks" / "blind58-questions.jsonl",
    ROOT / "benchmarks" / "blind59-questions.jsonl",
    ROOT / "benchmarks" / "blind60-questions.jsonl",
    ROOT / "benchmarks" / "blind61-questions.jsonl",
    ROOT / "benchmarks" / "blind62-questions.jsonl",
    ROOT / "benchmarks" / "blind63-questions.jsonl",
    ROOT / "benchmarks" / "blind64-questions.jsonl",
    ROOT / "benchmarks" / "blind65-questions.jsonl",
    ROOT / "benchmarks" / "blind66-questions.jsonl",
    ROOT / "benchmarks" / "blind67-questions.jsonl",
    ROOT / "benchmarks" / "blind68-questions.jsonl",
    ROOT / "benchmarks" / "blind69-questions.jsonl",
    ROOT / "benchmarks" / "blind70-questions.jsonl",
    ROOT / "benchmarks" / "blind71-questions.jsonl",
    ROOT / "benchmarks" / "blind72-questions.jsonl",
    ROOT / "benchmarks" / "blind73-questions.jsonl",
    ROOT / "benchmarks" / "blind74-questions.jsonl",
    ROOT / "benchmarks" / "blind75-questions.jsonl",
    ROOT / "benchmarks" / "blind76-questions.jsonl",
    ROOT / "benchmarks" / "blind77-questions.jsonl",
    ROOT / "benchmarks" / "blind78-questions.jsonl",
    ROOT / "benchmarks" / "blind79-questions.jsonl",
    ROOT / "benchmarks" / "blind80-questions.jsonl",
    ROOT / "benchmarks" / "blind81-questions.jsonl",
    ROOT / "benchmarks" / "blind82-questions.jsonl",
    ROOT / "benchmarks" / "blind83-questions.jsonl",
    ROOT / "benchmarks" / "blind84-questions.jsonl",
    ROOT / "benchmarks" / "blind85-questions.jsonl",
    ROOT / "benchmarks" / "blind86-questions.jsonl",
    ROOT / "benchmarks" / "blind87-questions.jsonl",
    ROOT / "benchmarks" / "blind88-questions.jsonl",
    ROOT / "benchmarks" / "blind89-questions.jsonl",
    ROOT / "benchmarks" / "blind90-questions.jsonl",
    ROOT / "benchmarks" / "blind91-questions.jsonl",
    ROOT / "benchmarks" / "blind92-questions.jsonl",
    ROOT / "benchmarks" / "blind93-questions.jsonl",
    ROOT / "benchmarks" / "blind94-questions.jsonl",
    ROOT / "benchmarks" / "blind95-questions.jsonl",
    ROOT / "benchmarks" / "blind96-questions.jsonl",
    ROOT / "benchmarks" / "blind97-questions.jsonl",
    ROOT / "benchmarks" / "blind98-questions.jsonl",
    ROOT / "benchmarks" / "blind99-questions.jsonl",
    ROOT / "benchmarks" / "blind100-questions.jsonl",
    ROOT / "benchmarks" / "blind101-questions.jsonl",
    ROOT / "benchmarks" / "blind102-questions.jsonl",
    ROOT / "benchmarks" / "blind103-questions.jsonl",
    ROOT / "benchmarks" / "blind104-questions.jsonl",
    ROOT / "benchmarks" / "blind105-questions.jsonl",
    ROOT / "benchmarks" / "blind106-questions.jsonl",
    ROOT / "benchmarks" / "blind107-questions.jsonl",
    ROOT / "benchmarks" / "blind108-questions.jsonl",
    ROOT / "benchmarks" / "blind109-questions.jsonl",
    ROOT / "benchmarks" / "blind110-questions.jsonl",
    ROOT / "benchmarks" / "blind111-questions.jsonl",
    ROOT / "benchmarks" / "blind112-questions.jsonl",
    ROOT / "benchmarks" / "blind113-questions.jsonl",
    ROOT / "benchmarks" / "blind114-questions.jsonl",
    ROOT / "benchmarks" / "blind115-questions.jsonl",
    ROOT / "benchmarks" / "blind116-questions.jsonl",
    ROOT / "benchmarks" / "blind117-questions.jsonl",
    ROOT / "benchmarks" / "blind118-questions.jsonl",
    ROOT / "benchmarks" / "blind119-questions.jsonl",
    ROOT / "benchmarks" / "blind120-questions.jsonl",
    ROOT / "benchmarks" / "blind121-questions.jsonl",
    ROOT / "benchmarks" / "blind122-questions.jsonl",
    ROOT / "benchmarks" / "blind123-questions.jsonl",
    ROOT / "benchmarks" / "blind124-questions.jsonl",
    ROOT / "benchmarks" / "blind125-questions.jsonl",
    ROOT / "benchmarks" / "blind126-questions.jsonl",
    ROOT / "benchmarks" / "blind127-questions.jsonl",
    ROOT / "benchmarks" / "blind128-questions.jsonl",
    ROOT / "benchmarks" / "blind129-questions.jsonl",
    ROOT / "benchmarks" / "blind130-questions.jsonl",
    ROOT / "benchmarks" / "blind131-questions.jsonl",
    ROOT / "benchmarks" / "blind132-questions.jsonl",
    ROOT / "benchmarks" / "blind133-questions.jsonl",
    ROOT / "benchmarks" / "blind134-questions.jsonl",
    ROOT / "benchmarks" / "blind135-questions.jsonl",
    ROOT / "benchmarks" / "blind136-questions.jsonl",
    ROOT / "benchmarks" / "blind137-questions.jsonl",
    ROOT / "benchmarks" / "blind138-questions.jsonl",
    ROOT / "benchmarks" / "blind139-questions.jsonl",
    ROOT / "benchmarks" / "blind140-questions.jsonl",
    ROOT / "benchmarks" / "blind141-questions.jsonl",
    ROOT / "benchmarks" / "blind142-questions.jsonl",
    ROOT / "benchmarks" / "blind143-questions.jsonl",
    ROOT / "benchmarks" / "blind144-questions.jsonl",
    ROOT / "benchmarks" / "blind145-questions.jsonl",
    ROOT / "benchmarks" / "blind146-questions.jsonl",
    ROOT / "benchmarks" / "blind147-questions.jsonl",
    ROOT / "benchmarks" / "blind148-questions.jsonl",
    ROOT / "benchmarks" / "blind149-questions.jsonl",
    ROOT / "benchmarks" / "blind150-questions.jsonl",
    ROOT / "benchmarks" / "blind151-questions.jsonl",
    ROOT / "benchmarks" / "blind152-questions.jsonl",
    ROOT / "benchmarks" / "blind153-questions.jsonl",
    ROOT / "benchmarks" / "blind154-questions.jsonl",
    ROOT / "benchmarks" / "blind155-questions.jsonl",
    ROOT / "benchmarks" / "blind156-questions.jsonl",
    ROOT / "benchmarks" / "blind157-questions.jsonl",
    ROOT / "benchmarks" / "blind158-questions.jsonl",
    ROOT / "benchmarks" / "blind159-questions.jsonl",
    ROOT / "benchmarks" / "blind160-questions.jsonl",
    ROOT / "benchmarks" / "blind161-questions.jsonl",
    ROOT / "benchmarks" / "blind162-questions.jsonl",
    ROOT / "benchmarks" / "blind163-questions.jsonl",
    ROOT / "benchmarks" / "blind164-questions.jsonl",
    ROOT / "benchmarks" / "blind165-questions.jsonl",
    ROOT / "benchmarks" / "blind166-questions.jsonl",
    ROOT / "benchmarks" / "blind167-questions.jsonl",
    ROOT / "benchmarks" / "blind168-questions.jsonl",
    ROOT / "benchmarks" / "blind169-questions.jsonl",
    ROOT / "benchmarks" / "blind170-questions.jsonl",
    ROOT / "benchmarks" / "blind171-questions.jsonl",
    ROOT / "benchmarks" / "blind172-questions.jsonl",
    ROOT / "benchmarks" / "blind173-questions.jsonl",
    ROOT / "benchmarks" / "blind174-questions.jsonl",
    ROOT / "benchmarks" / "blind175-questions.jsonl",
    ROOT / "benchmarks" / "blind176-questions.jsonl",
    ROOT / "benchmarks" / "blind177-questions.jsonl",
    ROOT / "benchmarks" / "blind178-questions.jsonl",
    ROOT / "benchmarks" / "blind179-questions.jsonl",
    ROOT / "benchmarks" / "blind180-questions.jsonl",
]
# Conversations of three to five turns, each turn labelled, asked with the tutor's own
# earlier answers as history: {"id", "turns": [{"question", "in_scope", "gold"}, …]}.
CONVERSATION_SETS = [
    ROOT / "benchmarks" / "chains-conversations.jsonl",
    ROOT / "benchmarks" / "chains2-conversations.jsonl",
]
# Notes written for the check by someone who had not seen the code: other set texts and a
# science topic, in other layouts (markdown with tables and lists, quotations set out
# without quotation marks), each with questions written from it alone.
OTHER_NOTES = [
    (ROOT / "benchmarks" / "notes" / "christmas-carol-redemption.txt", "carol-questions.jsonl"),
    (ROOT / "benchmarks" / "notes" / "macbeth-ambition.md", "macbeth-questions.jsonl"),
    (ROOT / "benchmarks" / "notes" / "jekyll-duality.txt", "jekyll-questions.jsonl"),
    (ROOT / "benchmarks" / "notes" / "heart-and-circulation.md", "heart-questions.jsonl"),
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

    sets = {p.name: read_questions(p) for p in QUESTION_SETS if p.exists()}
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
    conversations = {
        p.name: conversation_items(tutor, read_questions(p))
        for p in CONVERSATION_SETS
        if p.exists()
    }
    print_quality(tutor, baseline, sets | conversations)

    # Notes the tutor was not built on, each alone, then all notes in one folder (a
    # question must be answered from its own notes file among the others).
    others = {
        notes.name: (notes, ROOT / "benchmarks" / questions)
        for notes, questions in OTHER_NOTES
        if notes.exists()
    }
    everything = workdir / "all-notes"
    everything.mkdir()
    for path in [*list_note_files(settings.knowledge_dir), *(n for n, _ in others.values())]:
        shutil.copy(path, everything)
    print("\nOther notes, each alone in the knowledge folder:")
    for name, (notes, questions) in others.items():
        folder = workdir / name
        folder.mkdir()
        shutil.copy(notes, folder)
        alone = Tutor(
            load_settings(knowledge_dir=folder, db_dir=workdir / f"{name}.db"),
            embeddings=embeddings,
        )
        alone.sync(rebuild=True)
        print_quality(
            alone,
            TutorialBaseline([notes], embeddings, workdir / f"{name}.baseline"),
            {questions.name: read_questions(questions)},
        )
    together = Tutor(
        load_settings(knowledge_dir=everything, db_dir=workdir / "all.db"), embeddings=embeddings
    )
    together.sync(rebuild=True)
    print("\nAll notes in one folder (the tutor routes each question to one notes file):")
    print_quality(
        together,
        TutorialBaseline(list_note_files(everything), embeddings, workdir / "all.baseline"),
        {name: sets[name] for name in ("dev.jsonl",) if name in sets}
        | {q.name: read_questions(q) for _, q in others.values()},
    )


def read_questions(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def conversation_items(tutor: Tutor, conversations: list[dict]) -> list[dict]:
    """Each turn of each conversation as a labelled question whose history is the
    conversation so far, with the tutor's own answers: what a student in the app sees.
    (The tutorial baseline reads no history.)"""
    items = []
    for conversation in conversations:
        history: list[dict] = []
        for at, turn in enumerate(conversation["turns"]):
            items.append({**turn, "id": f"{conversation['id']}-{at}", "history": list(history)})
            answer = tutor.ask(turn["question"], history)
            history += [
                {"role": "user", "content": turn["question"]},
                {"role": "assistant", "content": answer.answer},
            ]
    return items


def print_quality(tutor: Tutor, baseline: TutorialBaseline, sets: dict[str, list[dict]]) -> None:
    """One row per question set and pipeline: ranking and answerability and, for the tutor
    (`tutor eval`'s figures), how often its answer quotes the gold evidence and how many
    citations failed the check against the notes."""
    columns = {
        "hit@1": "hit@1",
        "hit@3": "hit@3",
        "mrr": "mrr",
        "answered_in_scope": "answered",
        "abstained_out_of_scope": "abstained",
        "answer_quotes_gold": "quotes",
        "invalid_citations": "invalid",
    }
    print(f"  {'set':26} {'pipeline':10} " + " ".join(f"{h:>10}" for h in columns.values()))
    for name, items in sets.items():
        ours = evaluate(tutor, items)
        theirs = score_rankings(
            items, [baseline.retrieve(i["question"]) for i in items], [True] * len(items)
        )
        for label, figures in (("tutor", ours), ("tutorial", theirs)):
            row = " ".join(f"{figures.get(key, '-'):>10}" for key in columns)
            print(f"  {name:26} {label:10} {row}")


if __name__ == "__main__":
    main()
