"""Tables (Markdown, printed and saved) and PNG plots for bench_scale.py's results."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt

STORES = ("embedded", "server")
METRICS = ("hit@1", "hit@3", "mrr", "answered_in_scope", "abstained_out_of_scope")


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; numbers are printed as given, None as a dash.

    Example: markdown_table(["a"], [[1]]) == "| a |\\n|---|\\n| 1 |"
    """
    cells = [[("–" if c is None else str(c)) for c in row] for row in rows]
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    return "\n".join(lines + ["| " + " | ".join(row) + " |" for row in cells])


def _ms(value: float) -> str:
    return f"{value:.1f}"


def tables(results: dict) -> dict[str, str]:
    """Every table of the report, by title."""
    out = {}
    sizes = results["sizes"]
    bare, conditions = results["bare_query_embedding"], results["latency_conditions"]
    pauses = " ".join(f"{p:.0f}" for p in conditions["full_gc_ms"]) or "none"
    out["Warm `ask` latency by corpus size (ms)"] = markdown_table(
        [
            "corpus",
            "characters",
            "files",
            "chunks",
            "sentence records",
            "index build, vectors cached (s, embedded / server)",
            "embedded p50",
            "embedded p95",
            "server p50",
            "server p95",
        ],
        [
            [
                f"{s['size']}×",
                f"{s['chars']:,}",
                s["files"],
                f"{s['chunks']:,}",
                f"{s['records']:,}",
                " / ".join(f"{s['sync_s'][store]:.1f}" for store in STORES),
                *[_ms(s["latency"][store][q]) for store in STORES for q in ("p50", "p95")],
            ]
            for s in sizes
        ],
    ) + (
        f"\n\nAll {2 * len(sizes)} tutors were timed in one interleaved loop, "
        f"{sizes[0]['latency']['embedded']['n']} asks each. One bare query embedding per "
        f"question in the same loop: p50 {_ms(bare['p50'])} ms, p95 {_ms(bare['p95'])} ms. "
        f"Full garbage collections during the loop (ms each): {pauses}. "
        f"Load average after the loop: {conditions['load_1min']:.1f} "
        f"on {results['machine']['cpus (nproc)']} CPUs."
    )
    ingest = results["ingest"]
    out[f"Ingest throughput on the {ingest['size']}× corpus, no cache (best of rounds)"] = (
        markdown_table(
            ["pipeline", "chunks", "texts embedded", "seconds", "chunks/s"],
            [
                [
                    "bare `SentenceTransformer.encode` on the chunk texts",
                    ingest["chunks"],
                    ingest["chunks"],
                    f"{ingest['bare_s']:.2f}",
                    f"{ingest['bare_chunks_per_s']:.1f}",
                ],
                [
                    "`Tutor.sync(rebuild=True)` (one record per sentence)",
                    ingest["chunks"],
                    ingest["records"],
                    f"{ingest['sync_s']:.2f}",
                    f"{ingest['sync_chunks_per_s']:.1f}",
                ],
            ],
        )
        + f"\n\nRatio (sync / bare, chunks/s): **{ingest['ratio']:.2f}** (target ≥ 0.8)."
    )
    out["Cold start (`tutor ask --json`, process start to answer) and memory"] = markdown_table(
        ["what", "seconds (median)", "runs", "peak RSS (MB)", "answer from the notes"],
        [
            [
                f"cold start, {c['size']}× index",
                f"{c['median_s']:.2f}",
                " ".join(f"{r:.2f}" for r in c["runs_s"]),
                _opt(c["peak_rss_mb"]),
                "yes" if c["answer_ok"] else "NO",
            ]
            for c in results["cold_start"]
        ]
        + [
            [
                f"benchmark process at the end ({2 * len(sizes)} tutors up to "
                f"{sizes[-1]['size']}×, the model loaded twice)",
                None,
                None,
                f"{results['memory']['benchmark_peak_rss_mb']:.0f}",
                None,
            ],
            [
                f"`chroma run` server after the {sizes[-1]['size']}× run",
                None,
                None,
                _opt(results["memory"]["server_peak_rss_mb"]),
                None,
            ],
        ],
    )
    out["Retrieval quality (dev set, our own questions, blind-written questions)"] = markdown_table(
        ["set", "pipeline", "corpus", *METRICS],
        [
            [q["set"], q["pipeline"], q["corpus"], *[q[m] for m in METRICS]]
            for q in results["quality"]
        ],
    )
    out["Targets"] = markdown_table(
        ["target", "measured", "met"],
        [[t["target"], t["measured"], "yes" if t["met"] else "**no**"] for t in results["targets"]],
    )
    return out


def _opt(value: float | None) -> str:
    return "–" if value is None else f"{value:.0f}"


def write_markdown(results: dict, path: Path) -> str:
    """scale.md: the machine, every table, and the command that made them."""
    machine = markdown_table(["", ""], list(results["machine"].items()))
    parts = [
        "# Scale benchmark",
        f"Made by `{results['command']}` in {results['total_s'] / 60:.1f} min "
        f"({results['embedded_new']:,} texts embedded in this run, the rest from the vector "
        "cache). Corpora are the bundled notes plus pydoc text of the standard library, "
        f"N × {results['base_chars']:,} characters (the size of the bundled notes). Latency: "
        f"{results['latency_asks']} timed asks per store and size "
        "(every question of the labelled sets), all sizes and both stores interleaved in one loop.",
        "## Machine and code\n\n" + machine,
        *[f"## {title}\n\n{table}" for title, table in tables(results).items()],
        "## Plots\n\n![latency](latency.png)\n\n![ingest](ingest.png)\n\n![quality](quality.png)",
    ]
    text = "\n\n".join(parts) + "\n"
    path.write_text(text, encoding="utf-8")
    return text


def plot_all(results: dict, out_dir: Path) -> list[Path]:
    return [
        _plot_latency(results, out_dir / "latency.png"),
        _plot_ingest(results, out_dir / "ingest.png"),
        _plot_quality(results, out_dir / "quality.png"),
    ]


def _plot_latency(results: dict, path: Path) -> Path:
    sizes = results["sizes"]
    x = [s["size"] for s in sizes]
    fig, ax = plt.subplots(figsize=(7, 4.5))
    for store, colour in zip(STORES, ("tab:blue", "tab:orange"), strict=True):
        p50 = [s["latency"][store]["p50"] for s in sizes]
        p95 = [s["latency"][store]["p95"] for s in sizes]
        ax.plot(x, p50, "o-", color=colour, label=f"{store} p50")
        ax.plot(x, p95, "s--", color=colour, alpha=0.6, label=f"{store} p95")
        ax.axhline(3 * p50[0], color=colour, linestyle=":", linewidth=1, label=f"{store} target")
    bare = results["bare_query_embedding"]["p50"]
    ax.axhline(bare, color="grey", linestyle="-.", label="bare query embedding p50")
    ax.set_xscale("log")
    ax.set_xticks(x, [f"{n}×" for n in x])
    ax.set_ylim(bottom=0)
    ax.set_xlabel("corpus size (× the bundled notes)")
    ax.set_ylabel("warm ask latency (ms)")
    ax.set_title("Warm ask latency vs corpus size (target: p50 ≤ 3 × p50 at 1×)")
    ax.legend(fontsize=8)
    ax.grid(True, alpha=0.3)
    return _save(fig, path)


def _plot_ingest(results: dict, path: Path) -> Path:
    ingest = results["ingest"]
    labels = ["bare SentenceTransformer\n.encode(chunk texts)", "Tutor.sync()\n(sentence records)"]
    values = [ingest["bare_chunks_per_s"], ingest["sync_chunks_per_s"]]
    fig, ax = plt.subplots(figsize=(6, 4.5))
    bars = ax.bar(labels, values, color=["grey", "tab:blue"])
    ax.bar_label(bars, fmt="%.1f")
    ax.axhline(0.8 * values[0], color="tab:red", linestyle=":", label="target: 0.8 × bare")
    ax.set_ylabel("chunks per second")
    ax.set_title(
        f"Ingest throughput, {ingest['size']}× corpus ({ingest['chunks']} chunks): "
        f"ratio {ingest['ratio']:.2f}"
    )
    ax.legend()
    return _save(fig, path)


def _plot_quality(results: dict, path: Path) -> Path:
    sets = list(dict.fromkeys(q["set"] for q in results["quality"]))
    fig, axes = plt.subplots(1, len(sets), figsize=(6 * len(sets), 4.5), squeeze=False)
    metrics = ("hit@1", "hit@3", "mrr")
    for ax, name in zip(axes[0], sets, strict=True):
        rows = [q for q in results["quality"] if q["set"] == name]
        width = 0.8 / len(rows)
        for i, row in enumerate(rows):
            xs = [m + (i - (len(rows) - 1) / 2) * width for m in range(len(metrics))]
            ax.bar(
                xs, [row[m] for m in metrics], width, label=f"{row['pipeline']}, {row['corpus']}"
            )
        ax.set_xticks(range(len(metrics)), metrics)
        ax.set_ylim(0, 1.05)
        ax.set_title(name)
        ax.grid(True, axis="y", alpha=0.3)
    handles, labels = axes[0][0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="lower center", ncol=3, fontsize=8)
    fig.suptitle("Retrieval quality: tutor (1× and with distractors) vs the LangChain tutorial")
    fig.tight_layout(rect=(0, 0.12, 1, 1))
    return _save(fig, path, layout=False)


def _save(fig, path: Path, layout: bool = True) -> Path:
    if layout:
        fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
