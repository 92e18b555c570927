"""Corpora of N× the bundled notes, from real text: the notes plus the standard library's pydoc.

    files = render_stdlib_docs(cache / "pydoc")      # one .txt per stdlib module
    write_corpus(folder, BUNDLED_NOTES, files, 100 * base_chars)

The distractors are `pydoc.render_doc(module, renderer=pydoc.plaintext)` of the
standard library, rendered in a child process (importing ~400 modules, some with
side effects, must not touch the benchmark process or its memory figures). Object
addresses are masked so the text, and so the vector cache, is the same on every run.
A paragraph already rendered for an earlier module (inherited methods, the ~100 near
identical `encodings.*` codecs) is dropped, so the distractors are distinct text.
Corpora nest: the 10× corpus is the start of the 100× one, which is the start of
the 1000× one, so growing a corpus only adds (or extends the last) file.
"""

from __future__ import annotations

import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

# Packages with side effects on import, GUI demos, and the test suite.
SKIP = ("antigravity", "this", "idlelib", "turtledemo", "test", "lib2to3", "ensurepip", "venv")
PREFIX = "pydoc-"
MIN_CHARS = 500  # a module left with less new text than this is skipped


def clean_pydoc(text: str) -> str:
    """Plain pydoc text: no backspace overstrike, no object addresses, no control characters.

    Example: clean_pydoc("N\\bNA\\bAME <x at 0x7f3a2b1c>") == "NAME <x at 0x…>"
    """
    text = re.sub(".\b", "", text)
    text = re.sub(r"0x[0-9a-fA-F]{6,}", "0x…", text)
    return re.sub(r"[\x00-\x08\x0b-\x1f\x7f]", "", text)


def _stdlib_modules() -> list[str]:
    """Public standard-library modules and submodules, sorted, without SKIP."""
    import pkgutil
    import sysconfig

    stdlib = sysconfig.get_paths()["stdlib"]
    names = []
    for info in pkgutil.walk_packages([stdlib], onerror=lambda _: None):
        parts = info.name.split(".")
        if any(p.startswith("_") or p in SKIP or p.startswith("test") for p in parts):
            continue
        if parts[0] in ("site-packages", "dist-packages") or "idle" in info.name:
            continue
        names.append(info.name)
    return sorted(set(names))


def _render_all(out_dir: Path) -> None:
    """Child process: write pydoc-<module>.txt for every module that imports cleanly."""
    import contextlib
    import importlib
    import io
    import pydoc
    import warnings

    warnings.simplefilter("ignore")
    out_dir.mkdir(parents=True, exist_ok=True)
    seen: set[str] = set()
    for name in _stdlib_modules():
        try:
            with (
                contextlib.redirect_stdout(io.StringIO()),
                contextlib.redirect_stderr(io.StringIO()),
            ):
                module = importlib.import_module(name)
                text = clean_pydoc(pydoc.render_doc(module, renderer=pydoc.plaintext))
        except BaseException:  # a module that cannot be imported here is skipped
            continue
        kept = []
        for paragraph in re.split(r"\n\s*\n", text):
            key = " ".join(paragraph.split())
            if key not in seen:
                seen.add(key)
                kept.append(paragraph)
        text = "\n\n".join(kept)
        if len(text) >= MIN_CHARS:
            (out_dir / f"{PREFIX}{name}.txt").write_text(text, encoding="utf-8", errors="replace")


def render_stdlib_docs(out_dir: Path) -> list[Path]:
    """The rendered distractor files in `out_dir`, rendering them first if absent (~10 s)."""
    if not any(out_dir.glob(f"{PREFIX}*.txt")):
        partial = out_dir.with_name(out_dir.name + ".partial")
        subprocess.run(
            [sys.executable, __file__, str(partial)],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            timeout=600,
        )
        partial.replace(out_dir)
    return sorted(out_dir.glob(f"{PREFIX}*.txt"))


def write_corpus(
    folder: Path, notes: Path, distractors: Sequence[Path], target_chars: int
) -> list[Path]:
    """Make `folder` hold the notes plus distractor text up to `target_chars` characters in all.

    Files are added in order and the last one is cut at a line break to hit the target;
    a file already there with the same text is left alone (so a sync sees it unchanged).
    Returns the files written or kept.
    """
    folder.mkdir(parents=True, exist_ok=True)
    wanted = {notes.name: notes.read_text(encoding="utf-8")}
    room = target_chars - len(wanted[notes.name])
    for path in distractors:
        if room <= 0:
            break
        text = path.read_text(encoding="utf-8")
        if len(text) > room:
            cut = text.rfind("\n", 0, room)
            text = text[: cut + 1 if cut > 0 else room]
        wanted[path.name] = text
        room -= len(text)
    for stale in set(p.name for p in folder.glob("*.txt")) - set(wanted):
        (folder / stale).unlink()
    for name, text in wanted.items():
        path = folder / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            path.write_text(text, encoding="utf-8")
    return [folder / name for name in wanted]


if __name__ == "__main__":
    _render_all(Path(sys.argv[1]))
