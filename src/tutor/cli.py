"""`tutor`: index the notes, ask questions, and score the tutor on a labelled set.

    tutor ingest [--rebuild]
    tutor ask "How is friendship shown in the novel?"
    tutor ask --json "Who is Ruth?"
    tutor ask --jsonl < questions.jsonl > answers.jsonl
    tutor eval ../shared/eval/dev.jsonl

Exit codes: 0 success, 1 the tutor could not work (e.g. a Chroma server is down),
2 a usage error (an empty question, a bad file, wrong arguments).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
import traceback
from pathlib import Path

from tutor.errors import ConfigError, IndexUnavailable, TutorError, UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="tutor",
        description="A study tutor that answers from your notes, citing the exact passages.",
        epilog="Settings: TUTOR_KNOWLEDGE_DIR (notes folder, default knowledge/), TUTOR_DB_DIR "
        "(index folder, default .tutor/), TUTOR_EMBEDDING_MODEL (a local sentence-transformers "
        "folder; default the packaged all-MiniLM-L6-v2), TUTOR_TOP_K (passages per answer, "
        "default 6), TUTOR_CHROMA_URL (use a Chroma server, e.g. http://127.0.0.1:8000), "
        "TUTOR_MAX_FILE_MB (default 5). They can also live in tutor.toml under [tutor].",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="index the notes folder (only what changed)")
    ingest.add_argument("--rebuild", action="store_true", help="re-embed everything from scratch")

    ask = commands.add_parser("ask", help="ask a question about the notes")
    ask.add_argument("question", nargs="?", help="the question (omit with --jsonl)")
    mode = ask.add_mutually_exclusive_group()
    mode.add_argument("--json", action="store_true", help="print one JSON object")
    mode.add_argument(
        "--jsonl",
        action="store_true",
        help='read {"id", "question", "history"} lines on stdin, write one answer per line',
    )
    ask.add_argument("--source", metavar="NAME", help="answer from this notes file only")

    evaluate = commands.add_parser("eval", help="score retrieval and answers on a labelled set")
    evaluate.add_argument(
        "file", type=Path, help="JSONL with id, question, gold, in_scope, history"
    )
    evaluate.add_argument("--json", action="store_true", help="print the figures as JSON")

    commands.add_parser("docs", help="list the indexed notes files")
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        from tutor.config import load_settings

        settings = load_settings()
        _check_arguments(args, settings)  # before the model loads: a usage error is told at once
        tutor = _open_tutor(settings, verbose=args.command == "ingest")
        if args.command == "ingest":
            return _ingest(tutor, args.rebuild)
        try:
            _report(tutor, tutor.ensure_ready(progress=_progress_bar))
        except IndexUnavailable:
            if not (args.command == "ask" and args.jsonl):
                raise  # a batch instead gets one error line per question
        if args.command == "ask":
            if args.jsonl:
                return _ask_jsonl(tutor, args.source)
            return _ask_one(tutor, args.question, args.json, args.source)
        if args.command == "eval":
            from tutor.evaluate import evaluate, format_report

            items = _read_jsonl(args.file)
            if not items:
                raise UsageError(
                    f"{args.file} has no labelled questions; give one JSON object a line, "
                    'e.g. {"id": "q1", "question": "…", "gold": ["…"], "in_scope": true}.'
                )
            figures = evaluate(tutor, items)
            print(json.dumps(figures) if args.json else format_report(figures))
            return EXIT_OK
        if args.command == "docs":
            for info in tutor.list_documents():
                print(f"{info.source}\t{info.chunks} chunks\tindexed {info.indexed_at}")
            if not tutor.documents:
                print(f"tutor: no notes in {tutor.settings.knowledge_dir}", file=sys.stderr)
            return EXIT_OK
    except (UsageError, ConfigError) as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except TutorError as exc:
        print(f"tutor: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print(
            "\ntutor: stopped. Nothing indexed is lost: a rebuild stopped midway leaves the old "
            "index in place, and the next command finishes an update stopped midway.",
            file=sys.stderr,
        )
        return 130
    except BrokenPipeError:
        # The reader stopped early (`tutor ask … | head -3`): not an error worth a traceback.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    return EXIT_OK


def _check_arguments(args, settings) -> None:
    if args.command == "ask" and not args.jsonl:
        if args.question is None:
            raise UsageError('Give a question, e.g. tutor ask "How is friendship shown?"')
        from tutor.tutor import check_question

        check_question(args.question, settings.max_question_chars)
    if args.command == "ask" and args.jsonl and args.question is not None:
        raise UsageError("--jsonl reads questions from stdin; drop the question argument.")
    if args.command == "eval" and args.file.is_dir():
        raise UsageError(f"{args.file} is a folder; give a JSONL file of labelled questions.")
    if args.command == "eval" and not args.file.is_file():
        raise UsageError(f"There is no file {args.file}; give a JSONL file of labelled questions.")


def _report(tutor, report) -> None:
    """Tell the user, on stderr, what indexing on first use ran into."""
    for skipped in tutor.skipped:
        print(f"tutor: not indexed: {skipped.reason}", file=sys.stderr)
    if report is not None and report.set_aside is not None:
        print(
            f"tutor: the index was damaged; it is rebuilt, and the damaged copy is in "
            f"{report.set_aside}",
            file=sys.stderr,
        )


def _open_tutor(settings, verbose: bool):
    from tutor.tutor import Tutor

    started = time.perf_counter()
    tutor = Tutor(settings)
    if verbose:
        print(
            f"Loaded the embedding model in {time.perf_counter() - started:.1f} s.", file=sys.stderr
        )
    return tutor


def _ingest(tutor, rebuild: bool) -> int:
    """Index what changed; exit 2 if a file had to be skipped (the rest is indexed)."""
    report = tutor.sync(rebuild=rebuild, progress=_progress_bar)
    _report(tutor, report)
    files = len(tutor.documents)
    changes = (
        ", all indexed afresh (full rebuild)"  # every file is new to a rebuilt index
        if report.rebuilt
        else f" ({len(report.added)} added, {len(report.updated)} updated, "
        f"{len(report.removed)} removed, {len(report.unchanged)} unchanged)"
    )
    print(
        f"{files} file{'' if files == 1 else 's'}{changes}; "
        f"{report.chunks_embedded} chunks embedded in {report.seconds:.1f} s"
    )
    if not tutor.documents:
        folder = tutor.settings.knowledge_dir
        if report.rebuilt and folder.is_dir() and not tutor.skipped:  # emptied on purpose
            print(f"tutor: the index is now empty, as {folder} holds no notes.", file=sys.stderr)
            return EXIT_OK
        state = (
            "has no readable notes; add .txt, .md or .pdf files to it"
            if folder.is_dir()
            else "does not exist; check the path, or create it and add .txt, .md or .pdf files"
        )
        print(
            f"tutor: the knowledge folder {folder} {state} "
            "(or set TUTOR_KNOWLEDGE_DIR to your notes folder).",
            file=sys.stderr,
        )
        if report.kept:
            print(
                f"tutor: the index still holds {_listed(report.kept)} from before, kept "
                "as it is until notes are back in the folder (run tutor ingest --rebuild to "
                "empty it).",
                file=sys.stderr,
            )
        return EXIT_USAGE
    # Notes that could not be read are a problem to fix; a stray file of another type is not.
    return EXIT_USAGE if any(s.unreadable_notes for s in tutor.skipped) else EXIT_OK


def _listed(names, shown: int = 5) -> str:
    """Example: _listed(["a.txt", "b.md"]) == "a.txt, b.md"; past `shown`, "… and 3 more"."""
    more = f" and {len(names) - shown} more" if len(names) > shown else ""
    return ", ".join(names[:shown]) + more


def _progress_bar(done: int, total: int, what: str) -> None:
    if not sys.stderr.isatty() and done < total:
        return
    width = 30
    filled = int(width * done / max(total, 1))
    end = "\n" if done >= total else ""
    print(
        f"\rEmbedding [{'#' * filled}{'.' * (width - filled)}] {done}/{total} sentences "
        f"{what[:30]:<30}",
        end=end,
        file=sys.stderr,
        flush=True,
    )


def _ask_one(tutor, question: str, as_json: bool, source: str | None) -> int:
    answer = tutor.ask(question, source=source)
    if as_json:
        print(json.dumps(answer.to_json(), ensure_ascii=False))
    else:
        print(format_answer(answer))
    return EXIT_OK


def _ask_jsonl(tutor, source: str | None) -> int:
    """One output line per question line: the answer, or {"id", "error"} when that line
    cannot be answered (bad JSON, an empty question, the index out of reach); either way
    the batch goes on. Blank lines are skipped."""
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(errors="replace")  # a stray non-UTF-8 byte must not end the batch
    status = EXIT_OK
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        item: dict = {}
        try:
            item = _parse_line(line.removeprefix("\ufeff"))
            answer = tutor.ask(
                item.get("question", ""),
                item.get("history"),
                source=source,
                id=item.get("id"),
            )
            print(json.dumps(answer.to_json(), ensure_ascii=False), flush=True)
            continue
        except (UsageError, ConfigError) as exc:
            status, problem = EXIT_USAGE, str(exc)
        except TutorError as exc:
            status, problem = max(status, EXIT_FAILED), str(exc)
        except BrokenPipeError:
            raise  # the reader has gone: nothing more to write
        except Exception as exc:  # a bug must not cost the rest of the batch its answers
            traceback.print_exc()
            status, problem = max(status, EXIT_FAILED), repr(exc)
        print(json.dumps({"id": item.get("id"), "error": f"line {number}: {problem}"}), flush=True)
        print(f"tutor: line {number}: {problem}", file=sys.stderr)
    return status


def _parse_line(line: str) -> dict:
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        raise UsageError(f"not valid JSON ({exc.msg}, column {exc.colno})") from exc
    if not isinstance(item, dict):
        raise UsageError('each line must be a JSON object: {"id", "question", "history"}')
    return item


def format_answer(answer) -> str:
    """The answer for a terminal: text, then numbered sources with the quoted sentence."""
    from tutor.answer import SUGGESTIONS_AFTER, plain_text
    from tutor.documents import shown_span

    lines = [plain_text(answer.answer), ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            chunk = c.passage.chunk
            page = f", p. {chunk.page}" if chunk.page else ""
            lines.append(f"  [{c.n}] {chunk.source}{page} — {chunk.section}")
            shown = shown_span(chunk, c.quote_start, c.quote_end).split("\n")
            quote = [" ".join(line.split()) for line in shown if line.strip()]  # a list's items,
            lines.append("      “" + "\n       ".join(quote) + "”")  # a table's rows: a line each
    if answer.follow_ups:  # a reply ("Hello!…") says itself to pick one below
        lines += [] if answer.reply else ["", SUGGESTIONS_AFTER[answer.answerable]]
        lines += [f"  - {q}" for q in answer.follow_ups]
    return "\n".join(lines)


def _read_jsonl(path: Path) -> list[dict]:
    try:
        lines = path.read_text(encoding="utf-8-sig").split("\n")  # JSON may hold U+2028
    except (OSError, UnicodeDecodeError) as exc:
        raise UsageError(f"Cannot read {path}: {exc}") from exc
    items = []
    for number, line in enumerate(lines, 1):
        if line.strip():
            try:
                items.append(_parse_line(line))
            except UsageError as exc:
                raise UsageError(f"{path}, line {number}: {exc}") from exc
    return items


if __name__ == "__main__":
    raise SystemExit(main())
