"""The study tutor in the browser: `streamlit run app.py`.

A thin shell over `tutor.tutor.Tutor`: a chat whose answers cite the notes, a
pop-up per citation, and a sidebar to manage the notes. Text from the notes and
from the student is always escaped with `md_escape`: it is shown, never run.
"""

from __future__ import annotations

import bisect
import functools
import html
import math
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import datetime
from urllib.parse import urlencode

import streamlit as st

from tutor.answer import SUGGESTIONS_AFTER, md_escape
from tutor.config import Settings, load_settings
from tutor.display import HIDDEN, visible
from tutor.documents import (
    BACK_REFERENCE,
    Block,
    is_markdown,
    parse_blocks,
    reflowed,
    shown,
    shown_span,
)
from tutor.errors import NoNotes, TutorError, UsageError
from tutor.index import Progress, load_embeddings
from tutor.records import Answer, Citation
from tutor.transcript import to_markdown
from tutor.tutor import Tutor

NO_NOTES = "There are no notes to answer from yet: add .txt, .md or .pdf notes in the sidebar."
ALL_DOCUMENTS = "All documents"
# ?notes=file.txt&at=120-480&v=1a2b3c4d5e6f opens a passage of that version of the file
NOTES_PARAM, AT_PARAM, VERSION_PARAM = "notes", "at", "v"
CHAT_PARAM = "chat"  # the chat's id in the page's address, so a reload finds it again
KEPT_CHATS = 100  # chats kept for a reload; the one used longest ago is forgotten first
ECHO_CHARS = 600  # a longer question is shown back cut to this length
STREAM_SECONDS = 0.8  # a streamed answer takes at most this long to appear
ASSISTANT = ":material/school:"
ICONS = {"success": ":material/check_circle:", "error": ":material/error:"}


# ---------------------------------------------------------------- shared per process


@st.cache_resource(show_spinner="Loading the embedding model…")
def load_model(model: str, _settings: Settings):
    """The embedding model, loaded once per process (keyed on its name)."""
    return load_embeddings(_settings)


@st.cache_resource
def kept_chats() -> tuple[OrderedDict[str, dict[str, list]], threading.Lock]:
    """Each chat's answers by the id in its page's address, and a lock for them.

    Streamlit starts a new session on every reload (or when a phone drops the
    connection), and a student's chat had gone with the old one. Kept in memory only:
    restarting the app forgets them.
    """
    return OrderedDict(), threading.Lock()


def restore_chat() -> None:
    """Give a new session the chat its address names (a reload), or a new one; and mark
    the chat as used now, so the chats forgotten first are those used longest ago."""
    chats, lock = kept_chats()
    chat_id = st.query_params.get(CHAT_PARAM, "")
    if not re.fullmatch(r"[0-9a-f]{32}", chat_id):
        chat_id = uuid.uuid4().hex
        st.query_params[CHAT_PARAM] = chat_id
    with lock:
        if "answers" in st.session_state:  # this session's chat: kept under its id
            kept = {"answers": st.session_state.answers, "asked_with": st.session_state.asked_with}
            chats[chat_id] = kept
        else:
            kept = chats.setdefault(chat_id, {"answers": [], "asked_with": []})
        chats.move_to_end(chat_id)
        while len(chats) > KEPT_CHATS:  # an empty chat goes first, else the one used longest ago
            empty = next((key for key, chat in chats.items() if not chat["answers"]), None)
            chats.pop(empty if empty is not None else next(iter(chats)))
    # the same lists: what this session adds (or clears) is what a reload finds
    st.session_state.answers = kept["answers"]
    st.session_state.asked_with = kept["asked_with"]


@st.cache_resource(show_spinner=False)
def open_tutor(settings: Settings) -> tuple[Tutor, threading.Lock]:
    """One tutor per settings (so each test's folders get their own) and a lock for it."""
    embeddings = load_model(settings.embedding_model, settings)
    return Tutor(settings, embeddings=embeddings), threading.Lock()


# ---------------------------------------------------------------- helpers


@contextmanager
def guarded(lock: threading.Lock):
    """Run tutor calls one at a time; show a TutorError as a message, keep the page going."""
    try:
        with lock:
            yield
    except TutorError as exc:
        st.error(literal(str(exc)), icon=ICONS["error"])


def literal(text: str) -> str:
    """Notes or student text for Streamlit's markdown, shown exactly as written.

    `md_escape` stops markdown and HTML; colons become entities too, because
    Streamlit's markdown also turns ":smile:", ":red[…]" and ":material/home:" into
    emoji, colours and icons, and drops words such as "email:me".
    """
    return defuse(md_escape(text))


def defuse(markdown: str) -> str:
    """Markdown with no Streamlit shortcodes left: every colon as an entity."""
    return markdown.replace(":", "&#58;")


def progress_bar() -> Progress:
    """A progress callback that draws a bar where it is first called."""
    bar = None

    def update(done: int, total: int, what: str) -> None:
        nonlocal bar
        bar = bar or st.progress(0.0)
        share = min(done / max(total, 1), 1.0)  # of sentences embedded: the file cards
        bar.progress(share, text=f"Indexing {literal(what)}… {share:.0%}")  # count passages

    return update


def flash(kind: str, message: str) -> None:
    """A message for the sidebar on the next run (actions rerun the page when they are done)."""
    st.session_state.setdefault("flash", []).append((kind, message))


Outcome = str | list[tuple[str, str]]  # a success message, or (kind, message) pairs


def run_action(lock, label: str, action: Callable[[Progress], Outcome]) -> None:
    """Change the knowledge base with visible progress, report the outcome, redraw the page."""
    with st.status(literal(label), expanded=True) as status:
        try:
            with lock:
                outcome = action(progress_bar())
            for kind, message in [("success", outcome)] if isinstance(outcome, str) else outcome:
                flash(kind, message)
        except TutorError as exc:
            flash("error", literal(str(exc)))
        status.update(state="complete")
    st.rerun()


# How a line of each kind of block is set out in the notes view (markdown).
LAID_OUT = {"title": "**{}**", "heading": "**{}**", "quote": "> {}"}


def marked(text: str, start: int, end: int, blocks: Sequence[Block] = ()) -> str:
    """`text` as literal markdown, with `text[start:end]` in bold on an orange background
    (bold as well, so the highlight does not rest on colour alone).

    Lines stay lines and blank lines stay paragraph breaks; the highlight is
    applied line by line because it cannot span a line break. Lines of a heading in
    `blocks` (offsets into `text`) are bold, and those of a quotation set out as one, as
    in an answer, so the notes read as laid out, not as a run of plain paragraphs.
    """
    paragraphs: list[list[str]] = [[]]
    starts = [b.start for b in blocks]  # in order, as parse_blocks gives them
    offset = 0
    for line in text.split("\n"):
        s, e = max(start - offset, 0), min(end - offset, len(line))
        begins = offset + len(line) - len(line.lstrip())  # a block starts after its indent
        at = bisect.bisect_right(starts, begins) - 1
        kind = blocks[at].kind if at >= 0 and begins < blocks[at].end else ""
        offset += len(line) + 1
        if not line.strip():
            paragraphs.append([])
        elif not visible(line).strip():
            continue  # a line of markdown syntax alone (a table's rule): nothing to show
        elif s < e and visible(line[s:e]).strip():
            paragraphs[-1].append(LAID_OUT.get(kind, "{}").format(highlight_line(line, s, e)))
        else:
            paragraphs[-1].append(LAID_OUT.get(kind, "{}").format(literal(line.strip())))
    return "\n\n".join("  \n".join(lines) for lines in paragraphs if lines)


def highlight_line(line: str, start: int, end: int) -> str:
    part = line[start:end]
    blank = f" \t{HIDDEN}"  # the bold must hug words, not spaces or hidden syntax
    start += len(part) - len(part.lstrip(blank))
    end -= len(part) - len(part.rstrip(blank))
    before, quote, after = (literal(p) for p in (line[:start], line[start:end], line[end:]))
    return f"{before}:orange-background[**{quote}**]{after}".strip()


def clipped(text: str, limit: int = 42) -> str:
    """`text`, cut at a word to at most `limit` characters and an ellipsis."""
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def short_section(section: str, limit: int = 42) -> str:
    """The last heading of a section path, or its parent when it says only "this"."""
    parts = section.split(" › ")
    name = parts[-1]
    if len(parts) > 1 and BACK_REFERENCE.search(name):
        name = parts[-2]
    return clipped(name, limit)


def where(citation: Citation) -> str:
    chunk = citation.passage.chunk
    return short_section(chunk.section) + (f", p. {chunk.page}" if chunk.page else "")


def source_labels(citations: Sequence[Citation]) -> dict[int, str]:
    """What each source button says: where its passage is in the notes; when several
    sources of one answer share that place, the opening words each quotes instead, so
    that three buttons do not all read "Kathy’s determination to be a carer for…"."""
    places = [where(c) for c in citations]
    labels = {}
    for citation, place in zip(citations, places, strict=True):
        if places.count(place) == 1:
            labels[citation.n] = place
            continue
        chunk = citation.passage.chunk
        quoted = " ".join(shown_span(chunk, citation.quote_start, citation.quote_end).split())
        labels[citation.n] = f"“{clipped(quoted.lstrip('…. '))}”"
    return labels


def words(text: str) -> Iterator[str]:
    """The answer word by word, for `st.write_stream`: quick, so it never holds a student up."""
    tokens = re.findall(r"\S+\s*", text)
    for token in tokens:
        yield token
        time.sleep(min(0.02, STREAM_SECONDS / len(tokens)))


def when(indexed_at: str) -> str:
    try:
        return datetime.fromisoformat(indexed_at).astimezone().strftime("%d %b %Y, %H:%M")
    except ValueError:
        return indexed_at or "not yet"


def shortened(question: str, limit: int = ECHO_CHARS) -> str:
    """The question as shown back: a pasted essay is cut, not echoed in full. Its start
    and its end are kept, as a long message most often asks its question last.

    Example: shortened("word " * 400, 15) == "word word… word (1,999 characters)", counted as the
    tutor counts them (spaces tidied), so the echo and a "too long" message agree.
    """
    if len(question) <= limit:
        return question
    counted = len(" ".join(question.split()))
    head = question[: limit * 2 // 3].rsplit(" ", 1)[0].rstrip()
    tail = question[-(limit // 3) :]
    cut_word, *rest = tail.split(maxsplit=1) if not tail[:1].isspace() else ("", tail)
    tail = (rest[0] if rest else cut_word).strip()  # not the end of a word cut in two
    return f"{head}… {tail} ({counted:,} characters)"


def ask(question: str) -> None:
    st.session_state.queued = question


def question_buttons(questions, key: str, icon: str) -> None:
    """One button per question; clicking one asks it."""
    for i, q in enumerate(questions):
        st.button(literal(q), key=f"{key}-{i}", icon=icon, on_click=ask, args=(q,))


def show_in_notes(popover: str, source: str, start: int, end: int, version: str) -> None:
    st.session_state[popover] = False  # close the pop-up: the dialog takes over
    st.session_state.notes_at = (source, start, end, version)


# ---------------------------------------------------------------- chat


@st.dialog("In your notes", width="large")
def notes_dialog(tutor: Tutor, source: str, start: int, end: int, version: str) -> None:
    notes_in_context(tutor, source, start, end, version)


def notes_in_context(tutor: Tutor, source: str, start: int, end: int, version: str) -> None:
    """The words `start:end` of a notes file (those an answer used: the ones its pop-up
    marks), highlighted among the paragraphs around them, and the whole file
    (highlighted in place) one click further; unless the file is no longer the version
    the answer cited (`version`, a prefix of its SHA-256), whose offsets these are."""
    document = tutor.documents.get(source)
    if document is None:
        st.warning(f"**{literal(source)}** is no longer in the knowledge base.")
        return
    text = reflowed(document)
    moved = not 0 <= start < end <= len(text)
    if moved or not (version and document.sha256.startswith(version)):
        st.warning(
            f"**{literal(source)}** has changed since this answer, so the passage may have "
            "moved: ask the question again to cite the notes as they are now."
        )
        return
    first, last = around(text, start, end)
    blocks = parse_blocks(document.text, is_markdown(source))
    st.caption(f"**{literal(source)}** · the words the answer uses, highlighted, in their place")
    with st.container(border=True):
        around_blocks = [replace(b, start=b.start - first, end=b.end - first) for b in blocks]
        st.markdown(marked(text[first:last], start - first, end - first, around_blocks))
    if first > 0 or last < len(text):
        with st.expander("The whole file"):
            st.markdown(marked(text, start, end, blocks))


def notes_link(citation: Citation) -> str:
    """A link (relative, so it works under any address) that opens the quoted words in
    the notes: the inline pop-ups are plain HTML and cannot open Streamlit's dialog."""
    chunk = citation.passage.chunk
    return "?" + urlencode(
        {
            NOTES_PARAM: chunk.source,
            AT_PARAM: f"{citation.quote_start}-{citation.quote_end}",
            VERSION_PARAM: chunk.source_sha256[:12],
        }
    )


def notes_page(tutor: Tutor) -> None:
    """The page a notes link opens (in its own tab, so the chat stays where it was)."""
    st.title("In your notes", anchor=False)
    source = st.query_params.get(NOTES_PARAM, "")
    at = re.fullmatch(r"(\d{1,9})-(\d{1,9})", st.query_params.get(AT_PARAM, ""))
    version = st.query_params.get(VERSION_PARAM, "")
    if not at:
        st.warning("This link does not say which passage to show: open it again from an answer.")
    else:
        notes_in_context(tutor, source, int(at.group(1)), int(at.group(2)), version)
    st.caption("Your chat is still open in the tab you came from.")


def around(text: str, start: int, end: int, paragraphs: int = 1) -> tuple[int, int]:
    """The passage `text[start:end]` widened to whole paragraphs, plus `paragraphs` more
    on each side: the dialog opens on the passage in its place, not at the top of a
    long file where the student would have to scroll to find it."""
    starts = [0, *(m.end() for m in re.finditer(r"\n[ \t]*\n\s*", text))]
    first = max(i for i, s in enumerate(starts) if s <= start)
    last = max(i for i, s in enumerate(starts) if s < end or s == starts[first])
    first, last = max(first - paragraphs, 0), min(last + paragraphs + 1, len(starts))
    return starts[first], (starts[last] if last < len(starts) else len(text))


def show_citation(citation: Citation, popover: str) -> None:
    chunk = citation.passage.chunk
    page = f" · p. {chunk.page}" if chunk.page else ""
    st.caption(f"**{literal(chunk.source)}**{page} · {literal(chunk.section)}")
    start = citation.quote_start - chunk.start
    st.markdown(marked(shown(chunk), start, start + len(citation.quote)))
    st.caption("The highlighted words are the ones the answer uses.")
    st.button(
        "Show in notes",
        key=f"{popover}-notes",
        icon=":material/menu_book:",
        on_click=show_in_notes,
        args=(popover, chunk.source, citation.quote_start, citation.quote_end, chunk.source_sha256),
    )


# Inline markers and their pop-ups are plain HTML: a button with `popovertarget` opens a
# `popover` element natively (keyboard, Escape and click-outside included), with no script.
# Markers take the text's colour, so they read in a light or a dark theme alike.
ANSWER_CSS = """
.tutor-answer p, .tutor-answer blockquote { margin: 0 0 1rem; }
.tutor-answer blockquote { border-left: 3px solid #c9ced6; padding-left: 1rem; color: inherit; }
.tutor-cite { font: inherit; font-weight: 600; color: inherit; background: none; border: none;
  padding: 0 .1rem; cursor: pointer; text-decoration: underline 2px #f08c00;
  text-underline-offset: 3px; }
.tutor-cite:focus-visible { outline: 2px solid #f08c00; border-radius: 3px; }
.tutor-source { max-width: min(40rem, 92vw); padding: 1rem 1.25rem; border: 1px solid #c9ced6;
  border-radius: .6rem; box-shadow: 0 8px 28px rgba(0,0,0,.18); line-height: 1.55;
  background: #fff; color: #1f2328; }
.tutor-source .where { color: #3d4350; font-size: .9rem; margin: 0 2rem .5rem 0; }
.tutor-source .close { position: absolute; top: .35rem; right: .5rem; font-size: 1.4rem;
  line-height: 1; padding: .3rem .5rem; border: none; background: none; color: #3d4350;
  cursor: pointer; border-radius: .3rem; }
.tutor-source .close:hover { background: #eef0f3; }
.tutor-source .close:focus-visible { outline: 2px solid #f08c00; }
.tutor-source mark { background: #ffd8a8; color: inherit; font-weight: 600; padding: 0 .1rem; }
.tutor-source .hint { color: #3d4350; font-size: .85rem; margin: .6rem 0 0; }
.tutor-source a { color: #1a56b0; font-weight: 600; }
"""
# The inline pop-up (and the highlight) in a dark theme: dark, as Streamlit's own pop-overs
# are, not a white card glaring on a dark page. Every colour keeps 4.5:1 or more against
# its background.
# ":root" makes these rules outweigh ANSWER_CSS wherever Streamlit places either.
DARK_CSS = """
:root .tutor-source { background: #262730; color: #fafafa; border-color: #4a4d57;
  box-shadow: 0 8px 28px rgba(0,0,0,.5); }
:root .tutor-source :is(.where, .hint, .close) { color: #c4c8d0; }
:root .tutor-source .close:hover { background: #3a3c46; }
:root .tutor-source mark { background: #7a3d00; color: #fff; }
:root .tutor-source a { color: #8ab4f8; }
:root span.stMarkdownColoredBackground { background-color: #7a3d00 !important; color: #fff; }
"""
# Streamlit draws captions at 60% opacity: 3.8:1 on white, below the 4.5:1 that WCAG AA
# asks of small text. At 75% they are still visibly secondary and read at about 6:1.
# It draws a quotation at 60% too, and the words an answer used, highlighted inside one in
# "Show in notes", were the faintest on the page: quotations read at full strength, and
# the highlight (Streamlit's pale orange, the app's only coloured background) is the
# inline pop-up's.
PAGE_CSS = """
[data-testid="stCaptionContainer"] { opacity: .75; }
:root [data-testid="stMarkdownContainer"] blockquote { opacity: 1; }
span.stMarkdownColoredBackground { background-color: #ffd8a8 !important; color: #1f2328; }
[class*="st-key-starter-"] button, [class*="st-key-follow-"] button { justify-content: flex-start; }
[class*="st-key-starter-"] button p, [class*="st-key-follow-"] button p { text-align: left; }
[data-testid="stPopoverBody"] { max-height: min(75vh, 48rem); overflow-y: auto; }
"""


def page_css(theme: str | None) -> str:
    """The page's own styles for Streamlit's theme ("light" or "dark").

    Streamlit reports its theme only once the page has been drawn; until then (None) the
    dark styles follow the system setting, which is what Streamlit itself follows unless
    the student picked a theme in its menu.
    """
    if theme == "dark":
        return PAGE_CSS + DARK_CSS
    if theme == "light":
        return PAGE_CSS
    return f"{PAGE_CSS} @media (prefers-color-scheme: dark) {{ {DARK_CSS} }}"


# [n] as the answerer writes it: brackets in the notes' own text are escaped (\[).
_MARKER = re.compile(r"(?<!\\)\[(\d+)\]")


@functools.cache
def markdown_renderer():
    """CommonMark with raw HTML off, and images off: an answer never makes the page fetch
    from elsewhere. Built once: every rerun renders every answer of the chat again."""
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": False}).disable("image")


def answer_html(answer: Answer, prefix: str, labels: dict[int, str]) -> str:
    """The answer as HTML in which each `[n]` opens its passage, the quoted words marked.

    Markdown is rendered with raw HTML switched off, so text from the notes or a model
    stays text; the markers are swapped for placeholders first so that brackets inside
    the notes can never become buttons.
    """
    cited = {c.n: c for c in answer.citations}
    text = answer.answer.replace("\ue000", "").replace("\ue001", "")  # ours alone
    placeheld = _MARKER.sub(
        lambda m: f"\ue000{m.group(1)}\ue001" if int(m.group(1)) in cited else m.group(0), text
    )
    body = markdown_renderer().render(placeheld)
    body = re.sub(
        "\ue000(\\d+)\ue001",
        lambda m: (
            f'<button class="tutor-cite" popovertarget="{prefix}-{m.group(1)}" '
            f'aria-label="Source {m.group(1)}: {html.escape(labels[int(m.group(1))])}">'
            f"[{m.group(1)}]</button>"
        ),
        body,
    )
    cards = "".join(source_card(c, f"{prefix}-{c.n}") for c in answer.citations)
    return f"<style>{ANSWER_CSS}</style><div class='tutor-answer'>{body}</div>{cards}"


def source_card(citation: Citation, element_id: str) -> str:
    """A citation's pop-up: file, section (and page), the passage with the quote marked."""
    chunk = citation.passage.chunk
    start = citation.quote_start - chunk.start
    end = start + len(citation.quote)
    text = shown(chunk)
    passage = visible(
        html.escape(text[:start])
        + f"<mark>{html.escape(text[start:end])}</mark>"
        + html.escape(text[end:])
    ).replace("\n", "<br>")
    page = f" · p. {chunk.page}" if chunk.page else ""
    return (
        f'<div popover id="{element_id}" class="tutor-source" role="dialog" '
        f'aria-label="Source {citation.n}">'
        f'<button class="close" popovertarget="{element_id}" popovertargetaction="hide" '
        f'aria-label="Close">×</button>'
        f'<p class="where"><b>[{citation.n}] {html.escape(chunk.source)}</b>{page} · '
        f"{html.escape(chunk.section)}</p><p>{passage}</p>"
        f'<p class="hint">The highlighted words are the ones the answer uses. '
        f'<a href="{html.escape(notes_link(citation))}" target="_blank" rel="noopener">'
        "Show in notes</a> (opens a new tab; this chat stays here).</p></div>"
    )


def show_answer(answer: Answer, turn: int, suggest: bool, stream: bool = False) -> None:
    """One answer of the chat, its sources, and (when `suggest`) its suggested questions."""
    labels = source_labels(answer.citations)
    if answer.reply:  # "Hello!", "Which one should I sum up?": plain chat
        st.markdown(literal(answer.answer))
    elif not answer.citations:  # declined: nothing of the notes to show
        st.info(literal(answer.answer), icon=":material/travel_explore:")
    else:
        slot = st.empty()
        if stream:
            with slot:
                st.write_stream(words(defuse(answer.answer)))
        slot.html(answer_html(answer, f"cite-{turn}", labels))  # now with clickable markers
    if answer.citations:
        st.caption("Sources: open one to see the passage in your notes.")
        with st.container(horizontal=True, gap="small"):
            for c in answer.citations:
                label = literal(f"[{c.n}] {labels[c.n]}")
                key = f"source-{turn}-{c.n}"
                with st.popover(label, key=key, on_change="rerun"):
                    show_citation(c, popover=key)
    # Always one container, empty once the turn is no longer the latest, so old
    # suggestions vanish at once instead of lingering while the next answer streams.
    with st.container():
        if answer.follow_ups and suggest:
            if not answer.reply:  # a reply says itself to pick one below
                st.caption(SUGGESTIONS_AFTER[answer.answerable])
            question_buttons(answer.follow_ups, f"follow-{turn}", ":material/arrow_forward:")


def chat(tutor: Tutor, lock: threading.Lock, source: str | None) -> None:
    chosen = [d for d in tutor.documents.values() if source in (None, d.source)]
    titles = [  # "Answer from" one file: the caption names that one
        f"*{literal(d.title or d.source)}*" for d in chosen or tutor.documents.values()
    ]
    st.title("Study tutor", anchor=False)
    if titles:
        listed = ", ".join(titles[:-1]) + (" and " if len(titles) > 1 else "") + titles[-1]
        st.caption(
            f"I answer from your study notes on {listed}, and show the passage behind every answer."
        )
    else:
        st.caption(
            "Your notes folder is empty: add .txt, .md or .pdf notes in the sidebar to begin."
        )

    answers: list[Answer] = st.session_state.answers
    queued = st.session_state.pop("queued", None)  # a starter or follow-up button was clicked
    # Questions asked and not yet answered, oldest first: a question sent while another
    # is being answered stops that run, so the one before waits here to be answered first.
    unanswered: list[str] = st.session_state.unanswered
    sent = st.chat_input("Ask a question about your notes…") or queued
    if sent is not None:
        unanswered.append(sent)
    question = unanswered[0] if unanswered else None
    # A suggestion is asked of the notes as they are now: once "Answer from" changed to
    # another file or a file was removed, an answer's suggestions (made for the notes
    # then) are not shown, and the last answer's give way to the notes' own starters.
    notes_now = (source, frozenset(tutor.documents))
    asked_with: list = st.session_state.asked_with
    shown = list(answers)  # as they are now: another tab on this chat may add to them
    current = [  # answers from one file still hold once all documents answer
        i >= len(asked_with)
        or (source in (None, asked_with[i][0]) and asked_with[i][1] <= notes_now[1])
        for i in range(len(shown))
    ]
    switched = bool(shown) and not current[-1]
    for turn, past in enumerate(shown):
        latest = turn == len(shown) - 1
        with st.chat_message("user"):
            st.markdown(literal(shortened(past.question)))
        with st.chat_message("assistant", avatar=ASSISTANT):
            # A refusal keeps its suggestions (what the notes can answer instead); a
            # reply's ("Hello!…") go with the next question, as an answer's do.
            suggest = (not past.answerable and not past.reply) or (latest and not question)
            show_answer(past, turn, suggest=suggest and current[turn])

    if (switched or not shown) and not question and titles:
        with st.container():  # one block: the next question replaces it all at once
            if shown:
                st.caption(f"Now answering from {listed}. Questions these notes can answer:")
            else:
                st.markdown("**Not sure where to start? Try one of these:**")
            question_buttons(tutor.starters(source=source), "starter", ":material/lightbulb:")

    refused = st.session_state.pop("refused", None)  # (question, why): kept until the next
    if refused and not question:
        question_refused(*refused)
        st.session_state.refused = refused
    while unanswered:
        question = unanswered[0]
        latest = len(unanswered) == 1
        if question.strip():  # a blank one gets only the tutor's "the question is empty"
            with st.chat_message("user"):
                st.markdown(literal(shortened(question)))
        with st.chat_message("assistant", avatar=ASSISTANT):
            history = [
                {"role": role, "content": text}
                for a in answers
                for role, text in (("user", a.question), ("assistant", a.answer))
            ]
            answer = None
            try:
                with lock, st.spinner("Looking through your notes…"):
                    answer = tutor.ask(question, history=history, source=source)
            except Exception as exc:  # not a rerun stopping it (a BaseException): it waits
                unanswered.pop(0)  # never asked again and again
                if not isinstance(exc, TutorError):
                    raise
                why = NO_NOTES if isinstance(exc, NoNotes) else str(exc)  # no folder path
                st.error(literal(why), icon=ICONS["error"])
                if isinstance(exc, UsageError) and question.strip():  # shown until the next
                    st.session_state.refused = (question, why)
            if answer:
                answers.append(answer)  # answered: with no Streamlit call between
                unanswered.pop(0)
                asked_with.extend([notes_now] * (len(answers) - len(asked_with)))
                show_answer(answer, len(answers) - 1, suggest=latest, stream=True)

    if notes_at := st.session_state.pop("notes_at", None):
        notes_dialog(tutor, *notes_at)


def question_refused(question: str, why: str) -> None:
    """A question the tutor could not take (too long, only markup), with why: it stays on
    the page through reruns (opening a source, say) until the next question is asked."""
    with st.chat_message("user"):
        st.markdown(literal(shortened(question)))
    with st.chat_message("assistant", avatar=ASSISTANT):
        st.error(literal(why), icon=ICONS["error"])


# ---------------------------------------------------------------- sidebar


def knowledge_base(tutor: Tutor, lock: threading.Lock) -> str | None:
    """The sidebar's notes: list, upload, remove, filter, rebuild. Returns the filter."""
    st.header("Your notes", anchor=False)
    for kind, message in st.session_state.pop("flash", []):
        getattr(st, kind)(message, icon=ICONS[kind])
    for skipped in tutor.skipped:
        st.warning(f"Couldn't read **{literal(skipped.source)}**: {literal(skipped.reason)}")

    documents = []
    with guarded(lock):
        documents = tutor.list_documents()
    if not documents and not tutor.skipped:
        st.caption("No notes yet: add a .txt, .md or .pdf file below to begin.")
    for info in documents:
        with st.container(border=True):
            st.markdown(f"**{literal(info.source)}**")
            pages = f" · {info.pages} pages" if info.pages else ""
            passages = f"{info.chunks} passage{'' if info.chunks == 1 else 's'}"
            st.caption(f"{passages}{pages} · indexed {when(info.indexed_at)}")
            # Keyed by file: unkeyed, the next file's pop-up took the removed one's place
            # and opened with "Yes, remove it" ready for it.
            with st.popover(
                "Remove", icon=":material/delete:", type="tertiary", key=f"confirm-{info.source}"
            ):
                st.markdown(
                    f"Remove **{literal(info.source)}**? The file is deleted from the notes "
                    "folder and the tutor stops answering from it."
                )
                if st.button("Yes, remove it", key=f"remove-{info.source}", type="primary"):
                    run_action(
                        lock, f"Removing {info.source}…", lambda _, s=info.source: remove(tutor, s)
                    )

    # No `type=` filter: Streamlit would turn a Word file away with a hint too faint to
    # see (and drop it silently among others); the tutor says why and what to do instead.
    uploaded = st.file_uploader(
        "Add notes",
        accept_multiple_files=True,
        key=f"upload-{st.session_state.uploads}",
        max_upload_size=math.ceil(tutor.settings.max_file_mb),
        help="Plain text, Markdown, or a PDF with selectable text.",
    )
    if uploaded:
        st.session_state.uploads += 1  # the next run shows an empty uploader
        names = ", ".join(f.name for f in uploaded)
        run_action(lock, f"Adding {names}…", lambda progress: add(tutor, uploaded, progress))

    options = [ALL_DOCUMENTS, *sorted(tutor.documents)]  # a removed file falls back to "All"
    no_notes = not tutor.documents  # nothing to choose or rebuild until notes are added
    source = st.selectbox(
        "Answer from",
        options,
        key="source",
        help="Limit answers to one notes file.",
        disabled=no_notes,
    )
    if st.button(
        "Rebuild index",
        icon=":material/refresh:",
        help="Re-read and re-index every notes file.",
        disabled=no_notes,
    ):
        run_action(lock, "Rebuilding the index…", lambda progress: rebuild(tutor, progress))
    return None if source == ALL_DOCUMENTS else source


def chat_tools() -> None:
    """Download and clear, drawn after the chat so they include the answer just given."""
    st.divider()
    st.subheader("This chat", anchor=False)
    answers = st.session_state.answers
    with st.container(horizontal=True, gap="small"):
        st.download_button(
            "Download",
            data=to_markdown(answers, exported=datetime.now().strftime("%d %b %Y, %H:%M")),
            file_name="study-tutor-chat.md",
            mime="text/markdown",
            icon=":material/download:",
            disabled=not answers,
            on_click="ignore",
            help="The chat as Markdown, with the cited passages as footnotes.",
        )
        st.button(
            "Clear",
            icon=":material/delete_sweep:",
            disabled=not answers and "refused" not in st.session_state,
            on_click=clear_chat,
        )


def clear_chat() -> None:
    """Forget the chat, and a refused question still on the page with it."""
    st.session_state.answers.clear()
    st.session_state.asked_with.clear()
    st.session_state.unanswered.clear()
    st.session_state.pop("refused", None)


def add(tutor: Tutor, files, progress: Progress) -> list[tuple[str, str]]:
    """Add each file; one that cannot be read is reported and the others are still added."""
    added, replaced, unchanged, problems = [], [], [], []
    for file in files:
        try:
            report = tutor.add_file(file.name, file.getvalue(), progress=progress)
        except TutorError as exc:
            problems.append(("error", literal(str(exc))))
            continue
        if file.name in report.unchanged:  # the very same file again: nothing replaced
            unchanged.append(file.name)
        else:
            (replaced if file.name in report.updated else added).append(file.name)
    done = [f"Added {literal(', '.join(added))}."] if added else []
    if replaced:  # a file of the same name was there: say so, it is gone now
        done.append(f"Replaced {literal(', '.join(replaced))} with the file you uploaded.")
    if unchanged:
        done.append(f"{literal(', '.join(unchanged))}: already in your notes, unchanged.")
    if not done:
        return problems
    return [("success", " ".join([*done, "Ask away!"])), *problems]


def remove(tutor: Tutor, source: str) -> str:
    tutor.remove_document(source)
    return f"Removed {literal(source)} from your notes."


def rebuild(tutor: Tutor, progress: Progress) -> str:
    report = tutor.sync(rebuild=True, progress=progress)
    return f"Rebuilt the index: {report.chunks_embedded} passages in {report.seconds:.1f} s."


# ---------------------------------------------------------------- page


def main() -> None:
    # An emoji icon is drawn in the browser; a :material/…: one is fetched from Google's
    # servers, which an offline laptop cannot reach.
    st.set_page_config(page_title="Study tutor", page_icon="🎓")
    theme = st.context.theme.type
    st.html(f"<style>{page_css(theme)}</style>")  # style only: Streamlit gives it no space
    st.session_state.setdefault("unanswered", [])  # asked, waiting for an answer (see `chat`)
    st.session_state.setdefault("uploads", 0)
    try:
        tutor, lock = open_tutor(load_settings())
    except TutorError as exc:
        st.error(literal(str(exc)), icon=ICONS["error"])
        st.stop()
    slot, ready, report = st.empty(), False, None
    with slot.container(), guarded(lock), st.spinner("Getting your notes ready…"):
        report = tutor.ensure_ready(progress=progress_bar())
        ready = True
    if not ready:  # the index is unreachable: the message is above; offer a retry
        st.button("Try again", icon=":material/refresh:")
        st.stop()
    slot.empty()  # the progress bar has done its job
    if NOTES_PARAM in st.query_params:
        notes_page(tutor)
        return
    restore_chat()  # the answers, and per answer the notes it was asked of
    with st.sidebar:
        if report is not None and report.set_aside is not None:
            st.warning(
                literal(
                    "The index was damaged, so it was rebuilt from your notes; nothing is "
                    f"lost. The damaged copy is in {report.set_aside}."
                )
            )
        source = knowledge_base(tutor, lock)
    chat(tutor, lock, source)
    with st.sidebar:
        chat_tools()


main()
