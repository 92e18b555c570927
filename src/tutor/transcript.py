"""A chat with the tutor as a Markdown file: questions, answers, and sources as footnotes.

    markdown = to_markdown(answers, exported="24 Nov 2026, 11:09")

Each answer's `[n]` markers become footnote references numbered through the whole
transcript (`[^1]`, `[^2]`, …), and each footnote quotes the sentence the answer used
with its file, section and page. All text from the notes and the student is escaped,
so the file shows it literally in any Markdown viewer.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from tutor.answer import SUGGESTIONS_AFTER, md_escape
from tutor.documents import shown_span
from tutor.records import Answer, Citation

TITLE = "Chat with the study tutor"

# A `[n]` marker the answerer wrote; an escaped `\[n\]` copied from the notes is not one.
_MARKER = re.compile(r"(?<!\\)\[(\d+)\]")


def to_markdown(answers: Sequence[Answer], title: str = TITLE, exported: str | None = None) -> str:
    """The chat as Markdown: one section per question, sources as footnotes at the end."""
    lines = [f"# {md_escape(title)}", ""]
    if exported:
        lines += [f"*Exported {md_escape(exported)}.*", ""]
    if not answers:
        lines += ["*No questions asked yet.*", ""]
    footnotes: list[str] = []
    for answer in answers:
        numbers = {c.n: len(footnotes) + i for i, c in enumerate(answer.citations, 1)}
        lines += ["---", "", f"**You:** {md_escape(answer.question)}", ""]
        lines += [f"**Tutor:** {_with_footnotes(answer.answer, numbers)}", ""]
        if not answer.answerable and answer.follow_ups:
            lines += [SUGGESTIONS_AFTER[False], ""]
            lines += [f"- {md_escape(q)}" for q in answer.follow_ups] + [""]
        footnotes += [_footnote(numbers[c.n], c) for c in answer.citations]
    if footnotes:
        lines += ["---", ""] + [line for note in footnotes for line in (note, "")]
    return "\n".join(lines)


def _with_footnotes(text: str, numbers: dict[int, int]) -> str:
    """The answer's own `[n]` markers as references to transcript-wide footnotes."""

    def replace(match: re.Match) -> str:
        n = int(match.group(1))
        return f"[^{numbers[n]}]" if n in numbers else match.group(0)

    return _MARKER.sub(replace, text)


def _footnote(number: int, citation: Citation) -> str:
    chunk = citation.passage.chunk
    where = [chunk.source, chunk.section] + ([f"p. {chunk.page}"] if chunk.page else [])
    quote = " ".join(shown_span(chunk, citation.quote_start, citation.quote_end).split())
    return f"[^{number}]: “{md_escape(quote)}” — {md_escape(', '.join(where))}"
