"""Markdown notes as a student reads them: the text, not the syntax around it.

A teacher's .md file says `**central theme**`, `> The memories I value most…`,
`[the guide](https://…)` and `| Object | Meaning |`. Citations must stay verbatim spans
of the file, so the stored text keeps every character; only what is shown drops the
syntax. `unmark` returns text exactly as long as its input, with each syntax character
replaced by HIDDEN (or a bullet dot, a column dot, a space), so every offset into the
notes (a quote's highlight, a passage's place in the file) holds for the shown text too.
Renderers then drop HIDDEN with `visible`.

Emphasis is shown as plain words, not bold or italic: a cited sentence can start or
end inside an emphasised run, and plain words are never half-formatted.
"""

from __future__ import annotations

import html
import re

# Stands in for a syntax character; load_document strips control characters from notes,
# so it never occurs in them.
HIDDEN = "\x00"

# Each pattern's free run is bounded (250 characters, one paragraph) and runs of blanks are
# matched possessively (*+), so an opener with no closer costs a short look ahead, not a
# scan to the end of a long file, and a line of spaces is not tried every way it splits.
_SPAN = r"(?:(?!\n[ \t]*+\n).){1,250}?"  # lazily, within one paragraph
_CODE = re.compile(rf"(`+)(?!`)({_SPAN})(?<!`)\1(?!`)", re.DOTALL)
_ESCAPE = re.compile(r"\\(?=[!-/:-@\[-`{-~])")
_IMAGE_OR_LINK = re.compile(
    r"(!?\[)([^\]\n]{1,250}+)(\])(\([^)\s]{1,500}+(?:[ \t]++\"[^\"\n]{0,250}+\")?\))"
)
_AUTOLINK = re.compile(r"(<)((?:https?|mailto):[^>\s]{1,500}+)(>)")
_STAR_EMPHASIS = re.compile(
    rf"(?<![\w*\\])(\*{{1,3}})(?=[^\s*])({_SPAN})(?<=[^\s*\\])\1(?!\*)", re.DOTALL
)
_UNDERSCORE_EMPHASIS = re.compile(
    rf"(?<![\w\\])(_{{1,3}})(?=[^\s_])({_SPAN})(?<=[^\s_\\])\1(?![\w_])", re.DOTALL
)
_STRIKE = re.compile(rf"(~~)(?=\S)({_SPAN})(?<=\S)~~", re.DOTALL)
_HEADING_OPENING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]++|$)", re.M)
_QUOTE_MARK = re.compile(r"^([ \t]{0,3})((?:>[ \t]?)++)", re.M)
_BULLET_MARK = re.compile(r"^([ \t]*+)([-*+])(?=[ \t]++\S)", re.M)
_RULE = re.compile(  # a horizontal rule, or the "=====" under a heading
    r"^[ \t]*+(?:(?:-[ \t]*+){3,}+|(?:\*[ \t]*+){3,}+|(?:_[ \t]*+){3,}+|(?:=[ \t]*+){3,}+)$", re.M
)
_CELL_RULE = r":?-{2,}+:?[ \t]*+"
_TABLE_RULE = re.compile(
    rf"^[ \t]*+(?:\|[ \t]*+)?{_CELL_RULE}(?:\|[ \t]*+{_CELL_RULE})++\|?[ \t]*+$", re.M
)
_TABLE_ROW = re.compile(r"^[ \t]*+\|.*\|[ \t]*+$", re.M)
_MARKUP_ONLY_LINE = re.compile(r"^[ \t]*+\x00[ \t\x00]*+(?:\n|$)", re.M)


def unmark(text: str) -> str:
    """`text` with markdown syntax replaced by HIDDEN, as long as `text`.

    Bullets become "•", a table's column bars "·", a link's "](url)" opening
    " (url)"; headings' "#", quotations' ">", emphasis, code backticks, escaping
    backslashes and rules (a table's "|---|" line and a heading's "=====" underline
    included) are hidden.

    Example: visible(unmark("Memory is the **central theme**.")) == "Memory is the central theme."
    """
    out = list(text)
    protected = [False] * len(text)

    def hide(start: int, end: int, by: str = HIDDEN) -> None:
        for i in range(start, end):
            if not protected[i]:
                out[i] = by

    for match in _CODE.finditer(text):  # code is shown as written, backticks aside
        hide(match.start(1), match.end(1))
        hide(match.end(2), match.end())
        protected[match.start(2) : match.end(2)] = [True] * len(match.group(2))
    for match in _ESCAPE.finditer(text):
        hide(*match.span())
        if match.end() < len(text):
            protected[match.end()] = True  # the escaped character is shown literally
    for match in _IMAGE_OR_LINK.finditer(text):
        hide(*match.span(1))
        hide(*match.span(3), by=" ")  # "text (url)": the address stays readable
    for match in _AUTOLINK.finditer(text):
        hide(*match.span(1))
        hide(*match.span(3))
    for pattern in (_STAR_EMPHASIS, _UNDERSCORE_EMPHASIS, _STRIKE):
        for match in pattern.finditer(text):
            hide(*match.span(1))
            hide(match.end(2), match.end())
    for match in _HEADING_OPENING.finditer(text):
        hide(match.start(1), match.end())
        _hide_closing_hashes(text, match.end(), hide)
    for match in _QUOTE_MARK.finditer(text):
        hide(*match.span(2))
    for match in _BULLET_MARK.finditer(text):
        hide(*match.span(2), by="•")
    for pattern in (_RULE, _TABLE_RULE):
        for match in pattern.finditer(text):
            hide(*match.span())
    for match in _TABLE_ROW.finditer(text):
        row = match.group(0)
        bars = [match.start() + i for i, c in enumerate(row) if c == "|" and row[i - 1 : i] != "\\"]
        if out[bars[0]] == HIDDEN:  # the table's rule, hidden already
            continue
        inner = text[bars[0] + 1 : bars[-1]]  # the outer bars go with the spaces inside them
        hide(bars[0], bars[0] + 1 + len(inner) - len(inner.lstrip(" \t")))
        hide(bars[-1] - (len(inner) - len(inner.rstrip(" \t"))), bars[-1] + 1)
        for bar in bars[1:-1]:
            hide(bar, bar + 1, by="·")
    return "".join(out)


def _hide_closing_hashes(text: str, start: int, hide) -> None:
    """A heading may end with "#"s ("## Memory ##"): hide them and the space before them."""
    end = text.find("\n", start)
    end = len(text) if end < 0 else end
    line = text[start:end].rstrip(" \t")
    body = line.rstrip("#")
    if body != line and (not body or body[-1] in " \t"):
        hide(start + len(body.rstrip(" \t")), end)


def visible(text: str) -> str:
    """Shown text without its hidden syntax: HIDDEN dropped, and a line that held only
    syntax (a table's rule, a horizontal rule) dropped with its line break."""
    if HIDDEN not in text:
        return text
    return _MARKUP_ONLY_LINE.sub("", text).replace(HIDDEN, "")


_MD_ESCAPE_OR_BOLD = re.compile(r"\\(.)|\*\*", re.DOTALL)


def plain_text(markdown: str) -> str:
    """An answer's markdown as terminal text: `md_escape` undone, so notes text reads exactly
    as in the notes ("Kathy & Tommy", not "Kathy &amp; Tommy"), and our own bold label
    ("**Key quotation:**") loses its stars. After `md_escape` no two unescaped stars can
    come from the notes, so only our markup is dropped.

    Example: plain_text("\\<b\\> \\*x\\* &amp; y") == "<b> *x* & y"
    """
    text = _MD_ESCAPE_OR_BOLD.sub(lambda m: m.group(1) or "", markdown.replace("  \n", "\n"))
    return html.unescape(text)
