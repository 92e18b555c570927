"""Load notes files and cut them into small, citable, structure-aware chunks.

Revision notes are not uniform prose: a title, question-style headings ("How does
Kazuo Ishiguro show this?"), bullet lists with a lead-in line, quotations from the
novel and long paragraphs. Each becomes its own kind of chunk, so a citation points
at one idea, and each chunk knows its heading path so the embedder sees context the
chunk text itself lacks.

Offsets are into `Document.text` (the file decoded as UTF-8, with line endings and
odd spaces normalised); `document.text[chunk.start:chunk.end] == chunk.text` always.
"""

from __future__ import annotations

import bisect
import hashlib
import itertools
import logging
import math
import re
import unicodedata
from collections import deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from tutor.display import unmark, visible
from tutor.errors import DocumentError
from tutor.records import Chunk, Document

# pypdf reports what it works around ("EOF marker not found") through `logging`: with no
# handler of the application's own, Python would print it on stderr beside our message.
logging.getLogger("pypdf").addHandler(logging.NullHandler())

SUPPORTED_SUFFIXES = (".txt", ".md", ".markdown", ".pdf")
BESIDE_GAP = 16  # characters between two passages side by side: a blank line, indentation
WHOLE_CHARS = 520  # a paragraph, list or quotation up to this size stays one chunk
TARGET_CHARS = 420  # a longer one is cut into even groups of sentences about this size
MAX_CHARS = 600  # no single sentence piece is longer than this

# --------------------------------------------------------------------------- loading


def list_note_files(folder: Path, every_type: bool = False) -> list[Path]:
    """The notes files in `folder` (not recursive, hidden files skipped), sorted by name;
    with `every_type`, files of types the tutor cannot read too (to say it skips them)."""
    if not folder.is_dir():
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_file()
        and not p.name.startswith((".", "~$"))  # hidden, or an open Word document's lock
        and (every_type or p.suffix.lower() in SUPPORTED_SUFFIXES)
    )


def load_document(path: Path, max_mb: float = 5.0) -> Document:
    """Read one notes file, or raise DocumentError saying what is wrong and what to do."""
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise DocumentError(
            f"{path.name}: unsupported file type {suffix or '(none)'}; "
            f"the tutor reads {', '.join(SUPPORTED_SUFFIXES)} files."
        )
    size = path.stat().st_size
    if size > max_mb * 1024 * 1024:
        raise DocumentError(
            f"{path.name} is {size / 1024 / 1024:.1f} MB, over the {max_mb:g} MB limit per file: "
            "split it into smaller notes files or raise TUTOR_MAX_FILE_MB."
        )
    data = path.read_bytes()
    return parse_document(path.name, data)


def parse_document(name: str, data: bytes) -> Document:
    """Decode and normalise the bytes of a notes file called `name`."""
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:  # undecodable bytes in the file name (an old zip, a USB stick)
        shown = name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
        raise DocumentError(
            f"{shown}: the file's name is not in UTF-8, so it cannot be cited; rename it "
            "(e.g. without accents) and it will be read."
        ) from None
    if name.lower().endswith(".pdf"):
        text, page_starts = _pdf_text(name, data)
    else:
        if data.startswith((b"\xff\xfe", b"\xfe\xff")):
            raise DocumentError(
                f"{name} is saved as UTF-16; open it in a text editor, save it with the "
                "encoding UTF-8, and add it again."
            )
        if b"\x00" in data[:8192]:
            raise DocumentError(
                f"{name} looks like a binary file, not UTF-8 text notes: open it in the "
                "program that made it and save it as plain text (.txt), Markdown (.md) or PDF."
            )
        try:
            raw = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise DocumentError(
                f"{name} is not saved as UTF-8, the text encoding the tutor reads (it first "
                f"goes wrong at byte {exc.start + 1}). Open it in a text editor, save it with the "
                "encoding UTF-8, and add it again."
            ) from exc
        text, page_starts = normalise_text(raw), ()
    if not text.strip():
        raise DocumentError(
            f"{name} is empty: there is no text to learn from. Write or paste the notes "
            "into it, save it, and add it again."
        )
    blocks = parse_blocks(text, is_markdown(name))
    if not blocks:
        raise DocumentError(
            f"{name} holds only lines drawn across the page or front matter, no notes: "
            "write the notes into it, save it, and add it again."
        )
    if all(block.kind in ("title", "heading") for block in blocks):
        raise DocumentError(
            f"{name} has only headings, with no notes under them: there is nothing to answer "
            "from yet. Write the notes under the headings and save it again."
        )
    digest = hashlib.sha256(data).hexdigest()
    return Document(name, text, digest, _title_of(name, text), page_starts)


def normalise_text(raw: str) -> str:
    """Unify line endings and spaces; keep typographic quotes and dashes as they are."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = re.sub(r"[\t\u00a0\u2000-\u200a\u202f\u205f\u3000]", " ", text)
    text = re.sub(r"[\u200b\u200c\u200d\ufeff\x00-\x08\x0b-\x1f\x7f]", "", text)
    return "\n".join(line.rstrip() for line in text.split("\n")).strip("\n") + "\n"


def _pdf_text(name: str, data: bytes) -> tuple[str, tuple[int, ...]]:
    import io

    from pypdf import PdfReader
    from pypdf.errors import DependencyError, PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        # Many PDFs are locked only against editing, with an empty password to open them.
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(
                f"{name} is password-protected, so its text cannot be read: save a copy "
                "without the password (or paste its text into a .txt file) and add that."
            )
        pages = [normalise_text(text) for text in _pdf_pages_text(reader.pages)]
    except DependencyError as exc:  # AES encryption, without the `cryptography` package
        raise DocumentError(
            f"{name} is encrypted, and this installation cannot decrypt it ({exc}); save a "
            "copy without protection (or paste its text into a .txt file) and add that."
        ) from exc
    except (PyPdfError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        raise DocumentError(
            f"{name} is not a readable PDF (it may be damaged, or not a PDF at all): open "
            "it in a PDF viewer and save or export it again, or paste its text into a .txt file."
        ) from exc
    if not any(p.strip() for p in pages):
        raise DocumentError(
            f"{name} has no text layer (it is probably scanned images): "
            "run it through OCR or paste its text into a .txt file."
        )
    starts, text = [], ""
    for page in pages:
        if text and not _runs_on(text, page):
            text += "\n"  # a blank line: pages end with a line break
        starts.append(len(text))
        text += page
    return text, tuple(starts)


# What a line ends with when its sentence is over (closing quotes and brackets included).
_SENTENCE_ENDS = '.!?:;…’”")'


def _runs_on(before: str, page: str) -> bool:
    """Does the page carry on the sentence the text before it broke off? ("…the right
    thing" then "to do would be…"): then no blank line goes between them."""
    last, first = before.rstrip(), page.lstrip()
    return bool(last and first) and last[-1] not in _SENTENCE_ENDS and first[0].islower()


@dataclass(frozen=True)
class _PdfLine:
    text: str
    size: float  # the font size most of its characters are set in (points)
    y: float | None  # its baseline, from the bottom of the page
    bold: bool  # every character in a bold face


PARAGRAPH_GAP = 1.35  # a gap this many times the usual line spacing starts a paragraph
SIZE_STEP = 1.05  # a font this much larger or smaller starts a block (a heading)


def _pdf_pages_text(pages) -> list[str]:
    """Each page's text as pypdf extracts it, with a blank line wherever a new block starts.

    A PDF has no paragraphs, only lines placed on a page, and plain extraction runs them
    all together: headings into the next paragraph, one paragraph into the next. Where the
    text starts a new block can be read from the layout instead: a wider gap than the
    usual line spacing, or a change of font size or weight (a heading). The blank lines
    this adds are what the chunker reads as structure, as in a text file.
    """
    lines = [_pdf_lines(page) for page in pages]
    body = [line for page in lines for line in page if line.text.strip()]
    if not body:
        return ["\n".join(line.text for line in page) for page in lines]
    sizes = [line.size for line in body]
    usual_size = max(set(sizes), key=sizes.count)
    spacings = [
        round(above.y - below.y, 1)
        for page in lines
        for above, below in itertools.pairwise(line for line in page if line.text.strip())
        if above.y is not None
        and below.y is not None
        and above.size == below.size == usual_size
        and above.y > below.y
    ]
    # The most common spacing is the one inside paragraphs (the smallest on a tie): the
    # gaps between paragraphs are fewer, however short the paragraphs.
    usual_spacing = min(spacings, key=lambda g: (-spacings.count(g), g)) if spacings else 0.0
    return ["\n".join(_with_block_breaks(page, usual_spacing)) for page in lines]


def _with_block_breaks(page: list[_PdfLine], usual_spacing: float) -> Iterator[str]:
    widest = max((len(line.text.strip()) for line in page), default=0)
    above = None
    for line in page:
        if not line.text.strip():
            yield line.text
            continue
        if above is not None and _starts_block(above, line, usual_spacing, widest):
            yield ""
        yield line.text
        above = line


def _starts_block(above: _PdfLine, line: _PdfLine, usual_spacing: float, widest: int) -> bool:
    """A change of type size starts a block (a heading); so does a change to or from bold
    type on a line shorter than the page's lines (a bold phrase filling a line of a
    paragraph does not), and a gap wider than the usual line spacing. A move up the page
    (the next column) continues the sentence the line above left open."""
    larger, smaller = max(above.size, line.size), min(above.size, line.size)
    if smaller and larger / smaller > SIZE_STEP:
        return True
    ends_sentence = above.text.rstrip()[-1:] in _SENTENCE_ENDS
    if above.bold != line.bold:
        bold = above if above.bold else line
        if ends_sentence or len(bold.text.strip()) < 0.7 * widest:
            return True
    if usual_spacing and above.y is not None and line.y is not None:
        gap = above.y - line.y
        if gap <= 0:
            return ends_sentence
        return gap > PARAGRAPH_GAP * usual_spacing
    return False


def _pdf_lines(page) -> list[_PdfLine]:
    """The page's lines as pypdf extracts them, each with its font size, place and weight
    (read from the text runs pypdf reports while it extracts)."""
    runs: list[tuple[str, float, float, bool]] = []

    def visit(text, matrix, text_matrix, font, size) -> None:
        if text:
            scale = abs(text_matrix[3] * matrix[3]) or 1.0
            face = str((font or {}).get("/BaseFont", "")).lower()
            y = text_matrix[5] * matrix[3] + matrix[5]
            runs.append((text, abs(size) * scale, y, "bold" in face or "black" in face))

    page.extract_text(visitor_text=visit)
    lines, text, marks = [], "", []
    for run_text, size, y, bold in [*runs, ("\n", 0.0, 0.0, False)]:
        for i, part in enumerate(run_text.split("\n")):
            if i:
                lines.append(_pdf_line(text, marks))
                text, marks = "", []
            text += part
            marks += [(size, y, bold)] * len(part.strip())
    return lines


def _pdf_line(text: str, marks: list[tuple[float, float, bool]]) -> _PdfLine:
    if not marks:
        return _PdfLine(text, 0.0, None, False)
    sizes = [round(size, 1) for size, _, _ in marks]
    return _PdfLine(
        text, max(set(sizes), key=sizes.count), marks[0][1], all(bold for *_, bold in marks)
    )


_SENTENCE_BREAK = re.compile(r"[.!?;:]\s")


def _title_of(name: str, text: str) -> str:
    """The notes' title: a markdown file's front matter "title:", else its first line or
    lines (a title may be wrapped, or underlined), else the file's name."""
    if is_markdown(name) and (named := _front_matter_title(text)):
        return named
    text = text[_front_matter_end(text) :] if is_markdown(name) else text
    lines = text.strip().split("\n\n", 1)[0].split("\n")
    lines = [line for line in lines if not _RULE.match(line)] or lines
    first = " ".join(" ".join(lines).split())  # a title may be wrapped, as a paragraph may
    if len(lines) > 3 or _SENTENCE_BREAK.search(first) or not _looks_wrapped("\n".join(lines)):
        first = lines[0].strip()
    first = visible(unmark(first)).strip() if is_markdown(name) else first.lstrip("#").strip()
    if 0 < len(first) <= 120 and not first.endswith((".", ",", ";", ":")):
        return first
    return Path(name).stem.replace("-", " ").replace("_", " ").strip().capitalize()


# --------------------------------------------------------------------------- sentences

_ABBREVIATIONS = {"mr", "mrs", "ms", "dr", "st", "e.g", "i.e", "etc", "vs", "p", "pp", "ch", "cf"}
# An attribution such as "(Kathy)" after a full stop stays with its sentence.
_BOUNDARY = re.compile(r"([.!?…]+[’'”\")\]*_]*)(\s+)(?=[\"“‘'…A-Z0-9*])")


def sentence_spans(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Split prose into sentences; returns (start, end) spans with surrounding space trimmed.

    Example: sentence_spans("It rained. We left.") == [(0, 10), (11, 19)]
    """
    spans, start = [], 0
    for match in _BOUNDARY.finditer(text):
        end = match.end(1)
        word = re.search(r"([\w.]+)[.!?…]+\W*$", text[max(start, end - 40) : end])
        if word and word.group(1).lower().rstrip(".") in _ABBREVIATIONS:
            continue
        if word and text[end - 1] == "." and _is_initial(text, end - 2, match.end()):
            continue  # "J. B. Priestley"
        spans.append((start, end))
        start = match.end()
    spans.append((start, len(text)))
    result = []
    for s, e in spans:
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            result.append((s + offset, e + offset))
    return result


def _is_initial(text: str, at: int, after: int) -> bool:
    """Is the capital letter at `at` (before a full stop) one of a run of initials, as in
    "J. B. Priestley" or "T. S. Eliot"? A lone capital ends a sentence: "Neither did I.",
    "In Act V.", "Vitamin C."."""
    if not re.fullmatch(r"[A-Z]", text[at : at + 1]) or (at and text[at - 1].isalnum()):
        return False
    return bool(re.match(r"[A-Z]\.", text[after:]) or re.search(r"\b[A-Z]\.\s*$", text[:at]))


def whole_speech_sentences(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentences, with the sentences of one spoken quotation kept together (see
    `_join_quotations`): what an answer may quote without cutting a character off.

    Example: whole_speech_sentences("'Go,' I said. 'Now.' (Kathy to Tommy)") == [(0, 37)]
    """
    return _join_quotations(text, sentence_spans(text, offset), offset)


def is_speech(text: str) -> bool:
    """Is the text one speech and nothing else: opening with a quotation mark, closed by
    its attribution ("'It’s nothing to worry about,' I said… (Kathy to Tommy).")?"""
    return text.lstrip()[:1] in "“\"‘'" and bool(ATTRIBUTION.search(text))


def spliced_speech(text: str, start: int = 0, end: int | None = None) -> int | None:
    """Where a character's speech spliced into the notes' own sentence starts, when the
    span `text[start:end]` is such a sentence: "…offer support when it is needed, 'It’s
    nothing to worry about,' I said… (Kathy to Tommy)." The speech runs from the last
    quotation opened after a comma, colon or semicolon (`_MID_QUOTATION`) to the
    attribution ending the span, with no other attribution between; the notes' words
    before it are SPLICED_AFTER words at least. None for any other span. Linear time."""
    end = len(text) if end is None else end
    span = text[start:end]
    if not ATTRIBUTION.search(span) or is_speech(span):
        return None
    last = next(iter(deque(_MID_QUOTATION.finditer(text, start, end), maxlen=1)), None)
    if last is None or len(SPEAKER.findall(text, last.end(), end)) != 1:
        return None
    return last.end() if len(text[start : last.end()].split()) >= SPLICED_AFTER else None


_TABLE_ROW_LINE = re.compile(r"^[ \t]*\|.*\|[ \t]*$", re.M)
_TABLE_RULE_LINE = re.compile(r"[\s|:-]+")


def with_table_rows(
    text: str, offset: int, split: Callable[[str, int], list[tuple[int, int]]]
) -> list[tuple[int, int]]:
    """`split(text, offset)`, but each row of a markdown table is a sentence of its own
    (its rule line none): "Who is Gerald Croft?" is answered by his row, not the table.

    Example: with_table_rows("| A | B |\n|---|---|\n| C | D |", 0, sentence_spans)
    == [(0, 9), (20, 29)]
    """
    if "|" not in text:
        return split(text, offset)
    spans, done = [], 0
    for row in _TABLE_ROW_LINE.finditer(text):
        spans += split(text[done : row.start()], offset + done) if row.start() > done else []
        if not _TABLE_RULE_LINE.fullmatch(row.group(0)):
            line = row.group(0)
            start = row.start() + len(line) - len(line.lstrip())
            spans.append((offset + start, offset + row.start() + len(line.rstrip())))
        done = row.end()
    return spans + (split(text[done:], offset + done) if done < len(text) else [])


MID_ATTRIBUTION = re.compile(r"\((?:[A-Z][\w’']*)(?:\s+to\s+[A-Z][\w’']*)?\)[,;:]?\s+(?=\S)")


# A quotation spliced in after a comma, colon or semicolon: "…offer support when it is
# needed, 'It’s nothing to worry about,' I said…". The part before it is cut off when it
# has at least SPLICED_AFTER words ("She said: ‘The idiot!" stays whole).
_MID_QUOTATION = re.compile(r"[,:;]\s+(?=['‘“\"][A-Z])")
SPLICED_AFTER = 4


def embedding_units(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Sentences, further cut at a mid-sentence attribution like "(Kathy)," and before a
    quotation spliced in after the notes' own words.

    Notes often splice a quotation into their own sentence; the embedder matches
    each part better on its own: "the students also care for each other and offer
    support when it is needed" had been embedded with the quotation after it, and was
    not close to "Do they look out for each other?". The attribution goes to both parts
    (units may overlap): it names the speaker of one and the subject of the other.
    Display still uses whole sentences.
    """
    units = []
    for start, end in sentence_spans(text):
        cut = start
        attributions = [
            (m.start(), m.end())
            for m in MID_ATTRIBUTION.finditer(text, start, end)
            if m.end() < end
        ]
        quotations = [(m.end(), m.end()) for m in _MID_QUOTATION.finditer(text, start, end)]
        for at, after in sorted(attributions + quotations):
            if at < after:  # an attribution, ending the part before and opening the next
                units.append((cut, _rstrip_end(text, cut, after)))
                cut = at
            elif len(text[cut:at].split()) >= SPLICED_AFTER:
                units.append((cut, _rstrip_end(text, cut, at)))
                cut = at
        units.append((cut, end))
    return [(s + offset, e + offset) for s, e in units if e > s]


def chunk_units(chunk: Chunk) -> list[tuple[int, int]]:
    """The spans of a chunk's text that are embedded one by one: its `embedding_units`,
    or the whole of a list, whose items mean little apart."""
    return [(0, len(chunk.text))] if chunk.kind == "list" else embedding_units(chunk.text)


# --------------------------------------------------------------------------- structure

# A list item's marker: a bullet, or a number with "." or ")".
BULLET = re.compile(r"^\s*(?:[•◦▪‣∙·*+\-–—]|\d{1,3}[.)])\s+")
# A markdown heading line; closing "#"s count only after a space ("## C#" keeps its "#").
_MD_HEADING = re.compile(r"^(#{1,6})\s+(.*?)(?:\s+#+)?\s*$")
_QUOTE_START = re.compile(r"^\s*(?:>|[“\"‘']|…|\.\.\.)")
# The labels of notes set out as questions and answers: "Q: Who is Ruth?", "A: Ruth is…".
_QUESTION_LABEL = re.compile(r"^\s*(?:Q|Question)\s*\d{0,3}\s*[:.)]\s+", re.IGNORECASE)
_ANSWER_LABEL = re.compile(  # in markdown perhaps bold: "**A:**", "**A**:"
    r"(?:(\*\*|__)(?:A|Answer)[ ]*\d{0,3}[ ]*(?:[:.)]\1|\1[:.)])"
    r"|(?:A|Answer)[ ]*\d{0,3}[ ]*[:.)])[ ]+"
    # alone on its line, with a colon ("a)" alone may open a list of the answer's points)
    r"|(?:(\*\*|__)(?:A|Answer)[ ]*\d{0,3}[ ]*(?::\2|\2:)|(?:A|Answer)[ ]*\d{0,3}[ ]*:)"
    r"[ ]*(?:\n|$)",
    re.IGNORECASE,
)
# A markdown line wholly in bold: "**Ambition**", "__Who is Banquo?__".
_BOLD_LINE = re.compile(r"^\s*(\*\*|__)(?=\S)(?:(?!\1).)+(?<=\S)\1\s*$")
# A section's number before its heading in plain text: "2. Ruth", "2) Ruth", "2.1 Ruth and Kathy".
_SECTION_NUMBER = re.compile(r"^\s*(?:(\d{1,3}(?:\.\d{1,3}){1,3})\.?|(\d{1,3})[.)])\s+(?=\S)")
_MAY_MARK_A_HEADING = re.compile(r"\s*(?:\*\*|__|(?:Question|Q)(?![a-z]))", re.IGNORECASE)
MARKED_HEADING_LEVEL = 7  # a bold heading sits below every "#" heading, see `_marked_heading`
# A speaker's attribution after a quotation: "(Kathy)", "(Kathy to Tommy)".
SPEAKER = re.compile(r"\((?:[A-Z][\w’']*)(?:\s+(?:to|about|on)\s+[A-Z][\w’']*)?\)")
ATTRIBUTION = re.compile(SPEAKER.pattern + r"\W*$")  # … ending its line
# A quoted run of four words or more, in double or single typographic quotation marks.
_QUOTED_RUN = re.compile(
    r"[“\"](?:[^”\"\s]+\s+){3,}[^”\"]*[”\"]"  # “… four words or more …”
    r"|‘(?:(?:[^’\s]|’(?=\w))+\s+){3,}(?:[^’]|’(?=\w))*’"  # ‘…’, apostrophes inside
)
# A line drawn across the notes: "-----", "=====", "***", "* * *" (3 or more of one mark).
_RULE = re.compile(r"^ {0,3}([-=_*~])(?:[ ]*\1){2,}[ ]*$")
# A rule right under a heading line underlines it, at this level ("Ozymandias" / "-----").
UNDERLINE_LEVELS = {"=": 1, "-": 2, "~": 3}
# Markdown front matter: "---" on the first line, then "key: value" lines (a value may
# go on over indented or "- item" lines), then "---" or "...". Anything else after a
# first "---" is the notes' own text under a rule: "Q: Who is Banquo?" (a one-letter
# label) or "Key quote: …" (a key with a space) are notes, and so is a blank line.
_FRONT_MATTER = re.compile(
    r"\A---\n[A-Za-z_][\w-]+:(?:[ ].*)?\n"  # "title: …"
    r"(?:(?:[A-Za-z_][\w-]+:(?:[ ].*)?|[ ]+\S.*|-[ ].*)\n){0,60}?"  # more keys, values
    r"(?:---|\.\.\.)\n"
)
_FRONT_MATTER_TITLE = re.compile(r"^title:[ ]*(['\"]?)(.+?)\1[ ]*$", re.MULTILINE)
# A heading that only points back at its parent: "X › How does Kazuo Ishiguro show this?".
BACK_REFERENCE = re.compile(r"\b(this|these|it)\b", re.I)


@dataclass(frozen=True)
class Block:
    """A run of non-blank lines (or one markdown heading line) and what it is."""

    kind: str  # title | heading | list | quote | paragraph
    start: int
    end: int
    level: int = 0


def quotes_the_text(text: str) -> bool:
    """Does this text quote the set text: it opens with a quotation mark or an ellipsis,
    names a speaker ("(Kathy)"), or puts several words in quotation marks?"""
    return bool(_QUOTE_START.match(text) or SPEAKER.search(text) or _QUOTED_RUN.search(text))


def next_to(first: Chunk, second: Chunk) -> bool:
    """Is `second` set out right after `first`: same file and section (no heading between),
    only a blank line and indentation between them?"""
    return (
        first.source == second.source
        and first.section == second.section
        and 0 <= second.start - first.end <= BESIDE_GAP
    )


_MEANING_VERB = (
    r"(?:shows?|suggests?|reveals?|implies|impl(?:y|ies)|tells?|highlights?|emphasi[sz]es?|"
    r"conveys?|illustrates?|demonstrates?|proves?|means?|indicates?|presents?|captures?|"
    r"hints?|recalls?)\b"
)
# Words for what someone says, when a comment refers to a quotation by them.
_SAID = r"(?:comments?|remarks?|reply|replies|response|retort|speech|statement|exclamation)"
_POSSESSIVE = r"(?!(?:it|that|there|here|what|he|she|who|let)['’]s\b)(?-i:[A-Z])[\w-]*['’]s"
# Whose words a comment speaks of: "the…", "her…", "Kathy’s…".
_WHOSE = rf"(?:the|this|that|these|those|his|her|their|{_POSSESSIVE})"
# A comment on a quotation just given, or on its words: "The quotation shows…", "These
# lines from Kathy suggest…", "The word “forged” suggests…", "Kathy’s use of the word
# seeking suggests…", "The long list of verbs… suggests…" (not "The line between carers
# and donors…": a verb of meaning must follow within a few words, a quoted phrase
# counting as one).
_ON_A_QUOTATION = re.compile(
    _WHOSE + r"\s+(?:\w+\s+){0,3}?"
    r"(?:quotations?|quotes?|lines?|words?|extracts?|phrases?|similes?|metaphors?|images?|"
    r"imagery|repetition|contrast|verbs?|adjectives?|nouns?|list|language)"
    r"(?:\s+(?:[“\"‘][^”\"’]{1,80}[”\"’][,.]?|\S+)){0,5}?\s+" + _MEANING_VERB,
    re.IGNORECASE,
)
# … of the quotation as a whole, which it does not give: "The quotation shows…", "These
# lines suggest…". Unlike "The word “forged” suggests…", it means nothing without it.
_ON_THE_QUOTATION = re.compile(
    _WHOSE + r"\s+(?:quotations?|quotes?|lines?|words|extracts?)"
    r"(?:\s+[^\s“\"‘]\S*){0,3}?\s+" + _MEANING_VERB,
    re.IGNORECASE,
)
# … of what someone said, the verb of meaning right after it: "Polonius’s comment shows…"
# (not "Kathy’s response to Ruth’s cruelty shows…", which is about what Kathy did).
_ON_WHAT_WAS_SAID = re.compile(
    rf"{_WHOSE}\s+{_SAID}\s+" + _MEANING_VERB,
    re.IGNORECASE,
)


def comments_on_a_quotation(sentence: str) -> bool:
    """Does the sentence open by commenting on a quotation set out before it, or on words
    of it?

    Example: comments_on_a_quotation("The word “forged” suggests that he chose it.") is True.
    """
    return bool(_ON_A_QUOTATION.match(sentence) or _ON_WHAT_WAS_SAID.match(sentence))


def speaks_of_the_quotation(sentence: str) -> bool:
    """Does the sentence open by commenting on a quotation as a whole, without giving it?
    Quoted without the quotation, it leaves the student asking "which quotation?".

    Example: speaks_of_the_quotation("This quotation shows that memory matters.") is True.
    """
    return bool(_ON_THE_QUOTATION.match(sentence) or _ON_WHAT_WAS_SAID.match(sentence))


def introduces_a_quotation(text: str) -> bool:
    """Does the text end as a lead-in to what is set out after it ("…she says:")?"""
    return text.rstrip().endswith(":")


def needs_quotation(passage: Chunk, quoted: Chunk) -> bool:
    """Is `quoted` the quotation `passage` cannot do without: the one it introduces, set
    out right after it ("…she says she will keep her memories safe:"), or the one it
    comments on, set out right before it ("This quotation shows…")?"""
    return quoted.kind == "quote" and (
        (introduces_a_quotation(passage.text) and next_to(passage, quoted))
        or (comments_on_a_quotation(passage.text) and next_to(quoted, passage))
    )


def illustrates(point: Chunk, quoted: Chunk) -> bool:
    """Is `quoted` the quotation the notes set out right after `point` to illustrate it,
    with or without a colon leading into it ("Her past friendship with Ruth means more to
    Kathy than any quarrel…", then the Dover quotation)?"""
    return point.kind != "quote" and quoted.kind == "quote" and next_to(point, quoted)


# A quotation in marks: “…”, "…", ‘…’ or '…' (an apostrophe inside a word, "It’s", closes
# none). Bounded, so text full of marks never closed is read in linear time.
_IN_MARKS = re.compile(
    r"“[^”“]{1,2000}”|\"[^\"]{1,2000}\"|‘(?:[^’‘]|’(?=\w)){1,2000}’(?!\w)"
    r"|(?<![\w'])'(?=\S)(?:[^'\n]|(?<=\w)'(?=\w)){1,2000}?(?<=\S)'(?!\w)"
)
# A mark opening a quotation: after a space, a bracket, a dash or emphasis ("*'You…").
_OPENING_MARK = re.compile(r"(?<![^\s(\[—–*_-])[“\"‘'](?=\S)")
# What may stand between a quotation and its speaker: "…Miss Jody.' (Kathy to Tommy)".
_TO_THE_SPEAKER = re.compile(r"[\s*_.,;:!?…]*")


def quoted_spans(text: str) -> list[tuple[int, int]]:
    """Where a passage mixing the notes' words with the set text's quotes it: runs in
    quotation marks, and each speaker ("(Kathy)") with the words it closes (see
    `_speech_start`). A bracket with no small letter ("(AO2)") is a label, no speaker."""
    marked = [m.span() for m in _IN_MARKS.finditer(text)]
    ends = [end for _, end in marked]
    sentence_starts = [start for start, _ in sentence_spans(text)]
    spans = list(marked)
    done = 0
    for tag in SPEAKER.finditer(text):
        if not any(c.islower() for c in tag.group()):
            continue
        start = _speech_start(text, marked, ends, sentence_starts, done, tag.start())
        spans.append((start, tag.end()))
        done = tag.end()
    return sorted(spans)


def _speech_start(
    text: str,
    marked: list[tuple[int, int]],
    ends: list[int],
    sentence_starts: list[int],
    done: int,
    at: int,
) -> int:
    """Where the words closed by a speaker at `at` begin: the quotation in marks right
    before it; else the last mark opening one that no quotation closed before it ("‘The
    idiot! (Kathy)"); else the start of its sentence ("…is obvious,My heart had done a
    little leap… (Kathy)"). Never before `done`, the end of the speaker before, nor
    before the end of a quotation closed before it."""
    last = bisect.bisect_right(ends, at) - 1  # the last quotation in marks ended by then
    closed = done
    if last >= 0 and marked[last][0] >= done:
        start, end = marked[last]
        if _TO_THE_SPEAKER.fullmatch(text, end, at):
            return start
        closed = end
    openings = [mark.start() for mark in _OPENING_MARK.finditer(text, closed, at)]
    if openings:
        return openings[-1]
    sentence = bisect.bisect_right(sentence_starts, at) - 1
    return max(sentence_starts[sentence] if sentence >= 0 else 0, closed)


def holds_quotation(chunk: Chunk) -> bool:
    """Does the passage quote the set text (a quoted block, or see `quotes_the_text`)?"""
    return chunk.kind == "quote" or quotes_the_text(chunk.text)


class _RawBlock(NamedTuple):
    start: int
    end: int
    lines: list[str]
    underline_level: int | None = None  # only a heading underlined by a rule has one


def _raw_blocks(text: str, markdown: bool = False) -> Iterator[_RawBlock]:
    """Maximal runs of non-blank lines, as (start, end, lines, underline level); markdown
    headings stand alone, and so does each question heading on the line above its answer
    (see `_question_cuts`) and each heading underlined by a rule ("Ozymandias" over
    "----------", with its rule's level; the only blocks with one).

    A rule on its own ("-----", "***") only separates: it is no passage, and neither is a
    markdown file's front matter (its "title:" may name the notes, see `_title_of`).
    """
    pos = _front_matter_end(text) if markdown else 0
    run_start, lines = None, []

    def run(end: int) -> Iterator[_RawBlock]:
        cuts = _marked_heading_cuts(lines) if markdown else _question_cuts(lines)
        starts = list(itertools.accumulate((len(line) + 1 for line in lines), initial=run_start))
        pieces = [0] + [at for cut in cuts for at in (cut, cut + 1)] + [len(lines)]
        for first, last in itertools.pairwise(pieces):
            if last > first:
                piece_end = starts[last] - 1 if last < len(lines) else end
                yield _RawBlock(starts[first], piece_end, lines[first:last])

    for line in [*text[pos:].split("\n"), ""]:
        line_end = pos + len(line)
        rule = _RULE.match(line)
        if rule and markdown and rule.group(1) == "~":
            rule = None  # "~~~" opens a block of code in markdown
        if _MD_HEADING.match(line):
            if lines:
                yield from run(pos - 1)
            yield _RawBlock(pos, line_end, [line])
            run_start, lines = None, []
        elif rule:
            level = UNDERLINE_LEVELS.get(rule.group(1))
            if len(lines) == 1 and level and _underlined(lines[0]):
                yield _RawBlock(run_start, pos - 1, lines, level)
            elif lines:
                yield from run(pos - 1)
            run_start, lines = None, []
        elif line.strip():
            if run_start is None:
                run_start = pos
            lines.append(line)
        elif lines:
            yield from run(pos - 1)
            run_start, lines = None, []
        pos = line_end + 1


def _underlined(line: str) -> bool:
    """Can a rule under this line, alone in its run, make it a heading? Only if it reads
    as one: under a list item, a quotation, a table row or a line of prose the rule
    separates what comes after."""
    return not _TABLE_LINE.match(line) and _is_heading_line(_without_emphasis(line))


def _front_matter_end(text: str) -> int:
    """Where a markdown file's front matter ("---" / "title: …" / "---") ends, or 0."""
    front = _FRONT_MATTER.match(text)
    return front.end() if front else 0


def _front_matter_title(text: str) -> str:
    """The "title:" of a markdown file's front matter, or ""."""
    named = _FRONT_MATTER_TITLE.search(text, 0, _front_matter_end(text))
    return named.group(2).strip() if named else ""


HEADING_SHARE = 0.8  # a question heading is shorter than the lines of its answer by this


def _question_cuts(lines: list[str]) -> list[int]:
    """The lines of a run that are question headings, each with its answer right below it,
    no blank line between ("Q: How is Tommy bullied?" then "A: The other students tease
    Tommy…", then the next question). Notes set out as questions and answers often have
    no blank lines at all: each answer must be a passage under its own question, not a
    slice of the whole run under the first.

    A question heading ends with "?", looks like a heading, the next line opens a
    sentence, and it is clearly shorter than the longest line of its answer (the lines
    down to the next such question): a paragraph wrapped at a fixed width, one of whose
    lines happens to end on a question mark, is not cut.
    """
    stripped = [line.strip() for line in lines]
    asking = [
        i
        for i, line in enumerate(stripped[:-1])
        if line.endswith("?") and _is_heading_line(line) and stripped[i + 1][:1].isupper()
    ]
    cuts = []
    for i, following in itertools.pairwise([*asking, len(lines)]):
        answer = stripped[i + 1 : following]
        if answer and len(stripped[i]) < HEADING_SHARE * max(len(line) for line in answer):
            cuts.append(i)
    return cuts


def _marked_heading_cuts(lines: list[str]) -> list[int]:
    """The lines of a markdown run that are headings marked without "#" (`_marked_heading`)
    with a line of their run below them: "**Q: Who is Banquo?**" then "A: Macbeth's
    friend…", then the next question. Bold marks the heading, so unlike in plain text
    (`_question_cuts`) no question mark or length is needed."""
    return [i for i, line in enumerate(lines[:-1]) if _marked_heading(line)]


def _marked_heading(line: str) -> bool:
    """Is this markdown line a heading without "#"? Teachers often write a heading as a line
    in bold ("**Ambition**", "**Q: Who is Banquo?**"), or as a labelled question whose label
    alone is bold ("**Q:** Who is Banquo?"). Not a lead-in or a sentence in bold
    ("**Remember:**", "**Learn this quotation.**"): those are the notes' words."""
    if not _MAY_MARK_A_HEADING.match(line):
        return False
    words = _without_emphasis(line)
    labelled = _QUESTION_LABEL.match(words) and words.endswith("?")
    return bool((_BOLD_LINE.match(line) or labelled) and _is_heading_line(words))


def _without_emphasis(line: str) -> str:
    """A line's words without "*" and "_": what `unmark` shows of a heading-like line, at a
    fraction of its cost (it runs on every candidate line of a long file)."""
    return " ".join(re.sub(r"[*_]+", "", line).split())


def _is_heading_line(line: str) -> bool:
    words = line.split()
    return (
        0 < len(line) <= 120
        and len(words) <= 16
        and not BULLET.match(line)
        and not _QUOTE_START.match(line)
        and not line.rstrip().endswith((".", ",", ";", ":", "…", ")", "’", '"', "”"))
        and line[:1].isupper()
    )


def parse_blocks(text: str, markdown: bool = False) -> list[Block]:
    """Classify the blocks of a document: title, headings with levels, lists, quotes, paragraphs."""
    blocks: list[Block] = []
    raw = list(_raw_blocks(text, markdown))
    # Front matter naming the notes leaves the first heading a heading, not the title.
    titled = markdown and bool(_front_matter_title(text))
    known_levels: dict[str, int] = {}
    # Numbered headings come as a scheme: "3.5 Million viewers" alone is a line of prose.
    numbered = not markdown and sum(_numbered_level(raw, i) > 0 for i in range(1, len(raw))) > 1
    for i, (start, end, lines, underline_level) in enumerate(raw):
        # Trim the block to its first and last visible character.
        while text[start].isspace():
            start += 1
        if _answers_labelled_question(text, blocks, markdown) and (
            label := _ANSWER_LABEL.match(text, start, end)
        ):
            if label.end() >= end:  # "A:" alone, its answer in the next block
                continue
            first_line = lines[0].lstrip()[label.end() - start :]
            lines = [first_line, *lines[1:]] if first_line else lines[1:]
            start = label.end()  # the passage is the answer, not its "A:" label
            while text[start].isspace():
                start += 1
        if underline_level:  # a heading underlined by a rule, "=====" a title if first
            is_title = i == 0 and underline_level == 1 and not titled
            blocks.append(
                Block("title", start, end)
                if is_title
                else Block("heading", start, end, underline_level)
            )
            continue
        is_last = i == len(raw) - 1
        if markdown and len(lines) == 1 and _marked_heading(lines[0]) and not is_last:
            if not blocks and not titled:
                blocks.append(Block("title", start, end))
            else:
                blocks.append(Block("heading", start, end, MARKED_HEADING_LEVEL))
            continue
        md = _MD_HEADING.match(lines[0])
        if md:
            if i == 0 and len(md.group(1)) == 1 and not titled:
                blocks.append(Block("title", start, end))
            else:
                blocks.append(Block("heading", start, end, len(md.group(1))))
            continue
        if numbered and (level := _numbered_heading(raw, i, blocks)):
            blocks.append(Block("heading", start, end, level))
            continue
        first = lines[0].strip()
        # A heading may be wrapped over a few lines, as the notes' paragraphs may be.
        heading = " ".join(" ".join(lines).split())
        wrapped_heading = len(lines) <= 3 and (
            len(lines) == 1
            or (_looks_wrapped("\n".join(lines)) and not _SENTENCE_BREAK.search(heading))
        )
        if wrapped_heading and _is_heading_line(heading) and not is_last:
            if not blocks and not titled:
                blocks.append(Block("title", start, end))
                continue
            previous = blocks[-1]
            nested = previous.kind == "heading"
            level = previous.level + 1 if nested else known_levels.get(heading, 1)
            known_levels.setdefault(heading, level)
            blocks.append(Block("heading", start, end, level))
        elif _is_list(lines):
            blocks.append(Block("list", start, end))
        elif _QUOTE_START.match(first) or (
            markdown is False
            and ATTRIBUTION.search(lines[-1])
            and (_starts_as_quote(first) or _introduced(text, blocks))
        ):
            blocks.append(Block("quote", start, end))
        else:
            blocks.append(Block("paragraph", start, end))
    return _attach_lead_ins(text, blocks)


def _numbered_heading(raw: list[_RawBlock], i: int, blocks: list[Block]) -> int:
    """The level of a numbered heading in plain text ("2. Ruth" 1, "2.1 Ruth and Kathy" 2),
    or 0: a line on its own, numbered, that reads as a heading, with notes after it that
    are not the next item of a list. A list set out with blank lines between its items
    ("1. Ruth is jealous", blank, "2. Kathy is honest") is a list: its items are followed
    by the next item, or follow the item before."""
    return _numbered_level(raw, i) if blocks else 0


def _numbered_level(raw: list[_RawBlock], i: int) -> int:
    """`_numbered_heading` for a block that is not the first of its file."""
    lines = raw[i].lines
    number = _SECTION_NUMBER.match(lines[0])
    if len(lines) > 1 or i == len(raw) - 1 or not number:
        return 0
    if not _is_heading_line(lines[0][number.end() :].strip()) or BULLET.match(raw[i + 1].lines[0]):
        return 0
    before = raw[i - 1].lines[-1]  # the last line of the block before
    item = re.match(r"\s*(\d{1,3})[.)]\s", before)
    if item and number.group(2) and int(item.group(1)) + 1 == int(number.group(2)):
        return 0
    return (number.group(1) or number.group(2)).count(".") + 1


def _answers_labelled_question(text: str, blocks: list[Block], markdown: bool) -> bool:
    """Is the block after a heading labelled as a question ("Q: Who is Ruth?")?"""
    if not blocks or blocks[-1].kind != "heading":
        return False
    heading = text[blocks[-1].start : blocks[-1].end]
    labelled = _MAY_MARK_A_HEADING.match(heading.lstrip("# "))  # before reading past markup
    return bool(labelled and _QUESTION_LABEL.match(_heading_words(heading, markdown)))


def _heading_words(line: str, markdown: bool) -> str:
    """A heading line's words, without its "#"s or, in markdown, its emphasis."""
    words = " ".join(_MD_HEADING.sub(r"\2", line).split())
    return visible(unmark(words)) if markdown else words


def _is_list(lines: list[str]) -> bool:
    """Bullet or numbered items, perhaps after a lead-in line ending in ':'. An item may
    run over several lines (notes wrapped at a fixed width): only its first line has a
    bullet."""
    if len(lines) > 1 and lines[0].rstrip().endswith(":") and not BULLET.match(lines[0]):
        lines = lines[1:]
    return bool(BULLET.match(lines[0]))


def _introduced(text: str, blocks: list[Block]) -> bool:
    """Does the block before end as a lead-in ("Scrooge praises Fezziwig:")? Then a block
    after it that ends with a speaker ("… as if it cost a fortune. (Scrooge)") is the
    quotation it introduces, even set out without quotation marks."""
    return (
        bool(blocks)
        and blocks[-1].kind == "paragraph"
        and introduces_a_quotation(text[blocks[-1].start : blocks[-1].end])
    )


def _starts_as_quote(line: str) -> bool:
    """A paragraph ending in '(Kathy)' that reads as first-person narration is a quotation."""
    return bool(re.match(r"^(?:I|We|My|Our|She|He|They)\b", line))


_TABLE_LINE = re.compile(r"^\s*\|")


def _attach_lead_ins(text: str, blocks: list[Block]) -> list[Block]:
    """A paragraph ending in ':' introduces the list or table after it: keep them
    together. Alone, "The word equation is:" says nothing, and under its heading it looks
    close to any question on that heading's subject."""
    merged: list[Block] = []
    for block in blocks:
        lines = text[block.start : block.end].split("\n")
        set_out = block.kind == "list" or (
            block.kind == "paragraph" and all(_TABLE_LINE.match(line) for line in lines)
        )
        if (
            set_out
            and merged
            and merged[-1].kind == "paragraph"
            and text[merged[-1].start : merged[-1].end].rstrip().endswith(":")
        ):
            merged[-1] = Block(block.kind, merged[-1].start, block.end)
        else:
            merged.append(block)
    return merged


def is_markdown(source: str) -> bool:
    return source.lower().endswith((".md", ".markdown"))


_SOFT_BREAK = re.compile(r"(?<=[^\n])\n(?=[^\n])")  # a line break that is not a blank line


def unwrap(text: str, kind: str = "paragraph") -> str:
    """Prose as it reads: a line break that only wraps the text (the notes were saved at a
    fixed width, as an editor or a PDF does) becomes a space. In a paragraph or quotation
    that looks wrapped (see `_looks_wrapped`) every single line break is such a wrap; in a
    list, one that does not start an item or end a lead-in ("…through:"). Lines set out one
    by one, and verse, keep their breaks; blank lines stay. The result is as long as
    `text`, so every offset into `text` holds for it too.

    Example: unwrap("Kathy is a carer who seeks out donors from\nHailsham.") ==
    "Kathy is a carer who seeks out donors from Hailsham."
    """
    if kind != "list":
        return _SOFT_BREAK.sub(" ", text) if _looks_wrapped(text, kind) else text

    def join(match: re.Match) -> str:
        line = text[text.rfind("\n", 0, match.start()) + 1 : match.start()]
        line_end = text.find("\n", match.end())
        next_line = text[match.end() : line_end if line_end >= 0 else None]
        return "\n" if line.rstrip().endswith(":") or _SET_OUT.match(next_line) else " "

    return _SOFT_BREAK.sub(join, text)


# A line set out on its own, never a wrap: a bullet or numbered item, a table row, a
# markdown quotation.
_SET_OUT = re.compile(rf"\s*[|>]|{BULLET.pattern}")
WRAPPED_WIDTH = {"quote": 50, "paragraph": 30}  # verse lines are shorter than this


def _looks_wrapped(text: str, kind: str = "paragraph") -> bool:
    """Prose wrapped at a fixed width: every line but a paragraph's last nearly as long as
    the longest, and that one long enough (a quotation's shorter lines may be verse),
    rather than lines set out one by one ("Key themes" / "Memory and loss", a table, a
    list). The first line is not held to it: a passage may start mid-line."""
    paragraphs = [
        [line.strip() for line in part.split("\n") if line.strip()]
        for part in re.split(r"\n\s*\n", text)
    ]
    lines = [line for paragraph in paragraphs for line in paragraph]
    if all(len(p) < 2 for p in paragraphs) or any(_SET_OUT.match(line) for line in lines):
        return False
    full = [line for paragraph in paragraphs for line in paragraph[:-1]]
    if len(next(p for p in paragraphs if p)) > 1:
        full = full[1:]  # the text's first line
    widest = max(len(line) for line in lines)
    return widest >= WRAPPED_WIDTH.get(kind, 30) and all(len(line) >= 0.6 * widest for line in full)


def reflowed(document: Document) -> str:
    """A whole notes file's text as a student reads it: each paragraph unwrapped (see
    `unwrap`), markdown syntax hidden (see display.py); headings, lists and quotations
    keep their lines. As long as the text, with the same offsets."""
    text = document.text
    markdown = is_markdown(document.source)
    out = list(text)
    for block in parse_blocks(text, markdown):
        kind = "paragraph" if block.kind in ("title", "heading") else block.kind
        out[block.start : block.end] = unwrap(text[block.start : block.end], kind)
    return unmark("".join(out)) if markdown else "".join(out)


def shown(chunk: Chunk) -> str:
    """A passage's text as a student reads it: unwrapped, and for markdown notes with the
    syntax hidden (`visible` drops what is hidden). As long as `chunk.text`, so offsets
    into the passage hold for it too."""
    text = unwrap(chunk.text, chunk.kind)
    return unmark(text) if is_markdown(chunk.source) else text


def shown_span(chunk: Chunk, start: int, end: int) -> str:
    """The words of `chunk` between two offsets into its file, as a student reads them
    (a citation's quote in a terminal or an exported chat)."""
    return visible(shown(chunk)[start - chunk.start : end - chunk.start])


# --------------------------------------------------------------------------- chunks


def chunk_document(document: Document) -> list[Chunk]:
    """Cut a document into chunks that respect its structure; see the module docstring."""
    text = document.text
    markdown = is_markdown(document.source)
    headings: list[tuple[int, str]] = []  # the stack of (level, heading text)
    chunks: list[Chunk] = []
    for block in parse_blocks(text, markdown):
        block_text = text[block.start : block.end]
        if block.kind == "title":
            continue
        if block.kind == "heading":
            # "Q: Who is Ruth?" heads as the question
            heading = _QUESTION_LABEL.sub("", _heading_words(block_text, markdown))
            heading = heading if markdown else _SECTION_NUMBER.sub("", heading)  # "2.1 Ruth"
            headings = [h for h in headings if h[0] < block.level] + [(block.level, heading)]
            continue
        section = " › ".join(h for _, h in headings) or document.title
        for start, end in _split_block(text, block):
            chunk_text = text[start:end]
            chunks.append(
                Chunk(
                    id=_chunk_id(document, start, end),
                    source=document.source,
                    section=section,
                    kind=block.kind,
                    text=chunk_text,
                    start=start,
                    end=end,
                    title=document.title,
                    page=document.page_at(start),
                    source_sha256=document.sha256,
                )
            )
    return chunks


def _chunk_id(document: Document, start: int, end: int) -> str:
    source = hashlib.sha1(document.source.encode()).hexdigest()[:10]
    return f"{source}-{document.sha256[:12]}-{start}-{end}"


def _split_block(text: str, block: Block) -> list[tuple[int, int]]:
    """Spans of one block: whole if small (lists, quotes), else packed sentence by sentence."""
    if block.end - block.start <= WHOLE_CHARS:
        return [(block.start, block.end)]
    if block.kind == "list":
        units = _item_spans(text, block.start, block.end)
    elif _looks_wrapped(text[block.start : block.end], block.kind):  # sentences run on
        units = sentence_spans(text[block.start : block.end], block.start)
    else:
        units = []
        for s, e in _line_spans(text, block.start, block.end):
            units.extend(sentence_spans(text[s:e], s))
    units = [piece for unit in units for piece in _cut_long(text, *unit)]
    return _pack(_join_quotations(text, units))


_OPENING_QUOTE = re.compile(r"^[“\"‘']")
_SPOKEN = re.compile(
    r"[’'”\"][,.!?]?\s+(?:I|he|she|they|we)\s+(?:said|asked|replied|shouted|whispered)\b"
)


def _join_quotations(
    text: str, units: list[tuple[int, int]], offset: int = 0
) -> list[tuple[int, int]]:
    """Keep a quotation whole: a sentence that opens a quote right after a line of speech
    ("'It's nothing to worry about,' I said…" then "'It'll come off.") continues that
    speech, and a sentence ending in an attribution ("(Kathy to Tommy).") ends the quote
    that an earlier sentence opened. A citation must not show half of what was said.
    `units` are spans of `text` shifted by `offset`, as `sentence_spans(text, offset)` gives.
    """
    joined: list[tuple[int, int]] = []
    open_quote = False  # the previous unit opened a quotation its attribution has not closed
    for start, end in units:
        unit = text[start - offset : end - offset]
        previous = text[joined[-1][0] - offset : joined[-1][1] - offset] if joined else ""
        continues = bool(joined) and (
            (_OPENING_QUOTE.match(unit) and _SPOKEN.search(previous))
            or (open_quote and SPEAKER.search(unit))
        )
        if continues:
            joined[-1] = (joined[-1][0], end)
        else:
            joined.append((start, end))
        if SPEAKER.search(unit):
            open_quote = False
        elif _OPENING_QUOTE.match(unit):
            open_quote = True
    return joined


def _line_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans, pos = [], start
    for line in text[start:end].split("\n"):
        s, e = pos, pos + len(line)
        while s < e and text[s].isspace():
            s += 1
        if e > s:
            spans.append((s, e))
        pos += len(line) + 1
    return spans


def _item_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A list's items: a line with a bullet and the lines wrapped after it, up to the next
    bullet (a lead-in line ending in ':' is a unit of its own)."""
    items: list[tuple[int, int]] = []
    for s, e in _line_spans(text, start, end):
        if items and not BULLET.match(text[s:e]) and text[items[-1][1] - 1] != ":":
            items[-1] = (items[-1][0], e)
        else:
            items.append((s, e))
    return items


def _cut_long(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """A sentence longer than MAX_CHARS is cut at clause breaks, or failing that at spaces."""
    pieces = []
    while end - start > MAX_CHARS:
        window = text[start : start + MAX_CHARS]
        cut = max(window.rfind("; "), window.rfind(", "), window.rfind(" — "))
        if cut < TARGET_CHARS // 2:
            cut = window.rfind(" ")
        if cut <= 0:
            cut = MAX_CHARS - 1
        pieces.append((start, start + cut + 1))
        start += cut + 1
        while start < end and text[start].isspace():
            start += 1
    pieces.append((start, end))
    return [(s, _rstrip_end(text, s, e)) for s, e in pieces if e > s]


def _rstrip_end(text: str, start: int, end: int) -> int:
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _pack(units: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Join consecutive units into groups as close to TARGET_CHARS as possible.

    The grouping with the least squared distance from the target wins (no group over
    MAX_CHARS unless one unit alone is), found by dynamic programming: it gives even
    groups rather than a long chunk followed by a one-line scrap that means nothing on
    its own, and it bends around units that must stay whole (a quotation).
    """
    if not units:
        return []
    cost = [0.0] + [math.inf] * len(units)  # cost[j]: best grouping of units[:j]
    cut = [0] * (len(units) + 1)
    for j in range(1, len(units) + 1):
        for i in range(j - 1, -1, -1):
            span = units[j - 1][1] - units[i][0]
            if span > MAX_CHARS and i < j - 1:
                break
            total = cost[i] + (span - TARGET_CHARS) ** 2
            if total < cost[j]:
                cost[j], cut[j] = total, i
    groups, j = [], len(units)
    while j > 0:
        groups.append((units[cut[j]][0], units[j - 1][1]))
        j = cut[j]
    return groups[::-1]
