"""The question-reading modules form layers: each imports only the ones beneath it, so
each can be read (and tested) without those above it."""

import ast
from pathlib import Path

import pytest

SOURCE = Path(__file__).resolve().parent.parent / "src" / "tutor"
LAYERS = ["words", "asking", "lexical", "conversation", "retrieve"]


def tutor_imports(module: str) -> set[str]:
    """The tutor modules a module imports, by their short names."""
    tree = ast.parse((SOURCE / f"{module}.py").read_text(encoding="utf-8"))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module == "tutor":  # from tutor import x
            found |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tutor."):
            found.add(node.module.removeprefix("tutor."))
        elif isinstance(node, ast.Import):
            found |= {
                a.name.removeprefix("tutor.") for a in node.names if a.name.startswith("tutor.")
            }
    return found


@pytest.mark.parametrize("module", LAYERS)
def test_each_layer_imports_only_those_beneath_it(module):
    above = set(LAYERS[LAYERS.index(module) + 1 :])
    assert not tutor_imports(module) & above
