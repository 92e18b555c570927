"""The Streamlit app, driven headless with AppTest against the real tutor in tmp_path."""

from __future__ import annotations

import html
import io
import re
import textwrap
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from streamlit.testing.v1 import AppTest

import tutor.transcript
from tutor.conversation import (
    HEDGE,
)
from tutor.documents import shown_span, unwrap
from tutor.tutor import Tutor

from .chroma_server import free_port

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "app.py"
BUNDLED_NOTES = ROOT / "knowledge" / "friendship-in-never-let-me-go.txt"
FRIENDSHIP = "How is friendship shown in the novel?"
NORFOLK_NOTES = b"""# Norfolk in Never Let Me Go

## Why is Norfolk called the lost corner of England?

At Hailsham, Miss Emily tells the students that Norfolk is the lost corner of England,
a quiet place off the main roads. The students turn this into a joke that Norfolk is
where everything they have lost ends up, like a lost property office.

## What does Norfolk mean to Kathy?

For Kathy, Norfolk comes to stand for the hope of getting back what she has lost.
"""
NORFOLK = "Why is Norfolk called the lost corner of England?"


def start_app(tmp_path: Path, monkeypatch) -> AppTest:
    """The app on the settings in the environment (the conftest `settings` fixture sets them)."""
    monkeypatch.setenv("TUTOR_CONFIG", str(tmp_path / "absent.toml"))
    at = AppTest.from_file(str(APP), default_timeout=120).run()
    assert not at.exception
    return at


@pytest.fixture
def app(settings, tmp_path, monkeypatch) -> AppTest:
    """The app on a fresh copy of the bundled notes, in tmp_path."""
    return start_app(tmp_path, monkeypatch)


@pytest.mark.parametrize(
    ("theme", "dark", "media"),
    [("dark", True, False), ("light", False, False), (None, True, True)],
)
def test_the_pop_up_style_follows_the_theme_streamlit_reports(
    settings, tmp_path, monkeypatch, theme, dark, media
):
    # Reported dark: the dark rules apply; light: none; not yet reported (a first draw):
    # they follow the system setting.
    monkeypatch.setenv("TUTOR_CONFIG", str(tmp_path / "absent.toml"))
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.context = {"theme": theme}
    at.run()
    assert not at.exception
    styles = " ".join(h.proto.body for h in at.html)
    assert ("#262730" in styles, "prefers-color-scheme: dark" in styles) == (dark, media)


# ---------------------------------------------------------------- helpers


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    return at


def walk(node):
    for child in getattr(node, "children", {}).values():
        yield child
        yield from walk(child)


def popovers(at: AppTest) -> dict[str, list[str]]:
    """Citation pop-ups in the chat: label (unescaped) -> the markdown and captions inside."""
    found = {}
    for block in walk(at.main):
        if block.type == "popover":
            texts = [e.value for e in walk(block) if e.type in ("markdown", "caption")]
            found[unescape(block.proto.popover.label)] = texts
    return found


def unescape(markdown: str) -> str:
    return re.sub(r"\\(.)", r"\1", unescape_colons(markdown))


def unescape_colons(markdown: str) -> str:
    """The app shows every colon as an entity, so no Streamlit shortcode comes alive."""
    return markdown.replace("&#58;", ":")


def answer_htmls(at: AppTest) -> list[str]:
    """The answers as shown: HTML whose [n] markers open their passages."""
    return [
        e.value
        for m in at.chat_message
        if m.name == "assistant"
        for e in walk(m)
        if e.type == "html"
    ]


def check_inline_markers(shown: str, answer) -> None:
    """Each [n] in the text is a button opening a pop-up with its passage, quote marked,
    and the text reads as the answer does."""
    targets = re.findall(r'<button class="tutor-cite" popovertarget="([\w-]+)"', shown)
    assert len(targets) == len(set(targets)) == len(answer.citations)
    text = shown.split("<div class='tutor-answer'>", 1)[1].split("</div>", 1)[0]
    plain = " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
    for citation, target in zip(answer.citations, targets, strict=True):
        chunk = citation.passage.chunk
        quote = shown_span(chunk, citation.quote_start, citation.quote_end)
        assert f"[{citation.n}]" in plain and " ".join(quote.split()) in plain
        card = re.search(rf'<div popover id="{target}".*?</div>', shown, re.S)
        assert card, f"no pop-up for {target}"
        marked = html.unescape(re.search(r"<mark>(.*?)</mark>", card.group(0), re.S).group(1))
        assert marked.replace("<br>", "\n") == quote
        assert chunk.source in card.group(0)


def answers(at: AppTest):
    return at.session_state["answers"]


def suggestion_buttons(at: AppTest) -> list:
    """The suggested-question buttons on the page (starters and follow-ups)."""
    return [b for b in at.main.button if (b.key or "").startswith(("starter-", "follow-"))]


def chat_texts(at: AppTest, role: str) -> list[str]:
    return [
        e.value for m in at.chat_message if m.name == role for e in walk(m) if e.type == "markdown"
    ]


# ---------------------------------------------------------------- tests


def test_empty_chat_shows_what_the_tutor_knows_and_starters(app):
    assert app.title[0].value == "Study tutor"
    assert "*Friendship in Never Let Me Go*" in app.caption[0].value
    starters = [b.label for b in app.main.button]
    assert 3 <= len(starters) <= 4
    assert FRIENDSHIP in starters
    assert not app.chat_message
    assert app.get("download_button")[0].proto.disabled  # nothing to download yet

    sidebar = [m.value for m in app.sidebar.markdown] + [c.value for c in app.sidebar.caption]
    assert "**friendship-in-never-let-me-go.txt**" in sidebar
    assert any(
        re.fullmatch(r"\d+ passages · indexed \d\d \w{3} \d{4}, \d\d:\d\d", t) for t in sidebar
    )

    app.button(key=f"starter-{starters.index(FRIENDSHIP)}").click().run()
    assert not app.exception
    assert chat_texts(app, "user") == [FRIENDSHIP]
    assert answers(app)[0].answerable


def test_answer_streams_with_citations_in_popups(app, monkeypatch):
    exported = []
    real = tutor.transcript.to_markdown
    monkeypatch.setattr(
        tutor.transcript,
        "to_markdown",
        lambda *a, **k: exported.append(real(*a, **k)) or exported[-1],
    )

    ask(app, FRIENDSHIP)
    answer = answers(app)[0]
    assert answer.citations
    [shown] = answer_htmls(app)
    check_inline_markers(shown, answer)
    assert not app.get("download_button")[0].proto.disabled  # includes the answer just given
    assert "[^1]:" in exported[-1] and f"**You:** {FRIENDSHIP}" in exported[-1]

    def check_popups(at):
        found = popovers(at)
        assert len(found) == len(answer.citations)
        for c in answer.citations:
            label = next(label for label in found if label.startswith(f"[{c.n}] "))
            inside = "\n".join(found[label])
            first_line = c.quote.strip().split("\n")[0].strip()
            # the quote, highlighted in bold as well as colour
            assert f":orange-background[**{first_line}" in unescape(inside)
            assert c.passage.chunk.source in unescape(inside)
            assert c.passage.chunk.section in unescape(inside)

    check_popups(app)
    app.run()  # any rerun (e.g. another widget) keeps the rendered history
    assert not app.exception
    assert answer_htmls(app) == [shown]
    check_popups(app)

    # "Show in notes": a dialog opening on the words the pop-up marks, highlighted among
    # the paragraphs around them, and the whole document, highlighted in place, one
    # click further
    cited = next(c for c in answer.citations if c.quote != c.passage.chunk.text)
    app.button(key=f"source-0-{cited.n}-notes").click().run()  # a quote inside its passage
    assert not app.exception
    chunk = cited.passage.chunk
    notes = " ".join(BUNDLED_NOTES.read_text(encoding="utf-8").split())
    # the dialog comes last on the page: the passage in its context, then the whole file
    highlights = [m.value for m in app.markdown if ":orange-background[" in m.value][-2:]
    shown = []
    for document in highlights:
        highlighted = re.findall(r":orange-background\[\*\*(.*?)\*\*\]", document)
        assert " ".join(unescape(h) for h in highlighted) == " ".join(cited.quote.split())
        plain = re.sub(r":orange-background\[\*\*(.*?)\*\*\]", r"\1", document)
        laid_out = re.sub(r"^\*\*(.*)\*\*$|^> ", r"\1", plain, flags=re.MULTILINE)
        shown.append(" ".join(unescape(laid_out).split()))
    context, whole = shown
    assert whole == notes
    # set out as in the notes: headings in bold, the novel's words as quotations
    lines = [unescape(line) for line in highlights[1].splitlines()]
    assert "**How does Kazuo Ishiguro show this?**" in lines
    assert any(line.startswith("> … I started seeking out") for line in lines)
    assert (
        " ".join(chunk.text.split()) in context and context in notes and len(context) < len(notes)
    )


def test_sources_from_one_section_are_told_apart_by_the_words_they_quote(app):
    ask(app, "Why does Kathy seek out donors who went to Hailsham?")
    answer = answers(app)[-1]
    sections = [c.passage.chunk.section for c in answer.citations]
    assert len(set(sections)) < len(sections)  # some share a section: the case in hand
    labels = list(popovers(app))
    words = [label.split("] ", 1)[1] for label in labels]  # without the "[n]"
    assert len(words) == len(answer.citations) == len(set(words))  # each its own words
    for label, citation in zip(labels, answer.citations, strict=True):
        if sections.count(citation.passage.chunk.section) > 1:
            opening = label.split("“", 1)[1].rstrip("”…")
            assert opening in " ".join(citation.quote.split())  # the words it quotes


def test_the_notes_view_sets_out_indented_quotations_and_headings(
    settings, knowledge, tmp_path, monkeypatch
):
    (knowledge / BUNDLED_NOTES.name).unlink()
    (knowledge / "memory.txt").write_text(
        "Memory notes\n\nMemory as comfort\n\n"
        "At the end of the novel she says she will keep her memories safe:\n\n"
        "    I lost Ruth, then I lost Tommy,\n"
        "    but I won't lose my memories of them. (Kathy)\n\n"
        "This quotation shows that memory is the one thing the system cannot take from her.\n",
        encoding="utf-8",
    )
    app = ask(start_app(tmp_path, monkeypatch), "What does Kathy say she will keep safe?")
    answer = answers(app)[-1]
    assert answer.answerable and "I lost Ruth" in answer.answer  # the quotation it introduces
    app.button(key="source-0-1-notes").click().run()
    [context] = [m.value for m in app.markdown if ":orange-background[" in m.value][-1:]
    lines = [unescape(line) for line in context.splitlines()]
    assert "**Memory as comfort**" in lines
    quoted = [line for line in lines if "I lost Ruth" in line or "but I won" in line]
    assert len(quoted) == 2 and all(line.startswith("> ") for line in quoted)  # both lines


def test_show_in_notes_after_the_notes_changed_says_so_instead_of_marking_other_words(
    settings, knowledge, tmp_path, monkeypatch
):
    app = ask(start_app(tmp_path, monkeypatch), FRIENDSHIP)
    notes = knowledge / BUNDLED_NOTES.name
    notes.write_text("A new first line.\n\n" + notes.read_text(encoding="utf-8"), "utf-8")
    app.button(key="source-0-1-notes").click().run()
    assert not app.exception
    assert any("has changed since this answer" in w.value for w in app.warning)


def test_notes_wrapped_at_a_fixed_width_read_as_prose_not_as_broken_lines(
    settings, knowledge, tmp_path, monkeypatch
):
    """Notes saved hard-wrapped (as an editor or a PDF does) show their sentences whole:
    in the answer, in both pop-ups and in the notes view, a wrap is a space."""
    notes = knowledge / BUNDLED_NOTES.name
    notes.write_text(wrapped(BUNDLED_NOTES.read_text(encoding="utf-8"), 60), encoding="utf-8")
    app = ask(start_app(tmp_path, monkeypatch), "Why are the friendships at Hailsham so intense?")
    answer = answers(app)[-1]
    assert answer.citations and "paragraph" in {c.passage.chunk.kind for c in answer.citations}
    assert all("\n" in c.quote for c in answer.citations)  # the notes really are wrapped
    [shown] = answer_htmls(app)
    check_inline_markers(shown, answer)
    assert "<br" not in shown  # neither in the answer's text nor in its pop-ups

    found = popovers(app)
    for c in answer.citations:
        label = next(label for label in found if label.startswith(f"[{c.n}] "))
        assert f":orange-background[**{unwrap(c.quote)}**]" in unescape("\n".join(found[label]))

    app.button(key="source-0-1-notes").click().run()
    context = [m.value for m in app.markdown if ":orange-background[" in m.value][-2]
    assert f":orange-background[**{unwrap(answer.citations[0].quote)}**]" in unescape(context)


def test_markdown_notes_show_their_words_not_their_syntax(
    settings, knowledge, tmp_path, monkeypatch
):
    """A teacher's .md notes read as text in the answer, both pop-ups and the notes view:
    no "**", "> " or "##", and a table's rule line is not shown."""
    (knowledge / BUNDLED_NOTES.name).unlink()
    (knowledge / "memory.md").write_text(MEMORY_NOTES, encoding="utf-8")
    app = ask(start_app(tmp_path, monkeypatch), "Which quotation shows memory as comfort?")
    answer = answers(app)[-1]
    assert answer.answerable
    assert any("**" in c.passage.chunk.text or ">" in c.quote for c in answer.citations)
    [shown] = answer_htmls(app)
    check_inline_markers(shown, answer)
    text = html.unescape(re.sub(r"<[^>]+>", " ", shown.split("</style>", 1)[1]))
    assert "I lost Ruth, then I lost Tommy" in text
    assert "**" not in text and "> " not in text and "##" not in text
    for inside in popovers(app).values():
        assert not re.search(r"\\\*|\\#|&gt;|\|---", "\n".join(inside))
    app.button(key="source-0-1-notes").click().run()
    context, whole = [m.value for m in app.markdown if ":orange-background[" in m.value][-2:]
    for notes in (context, whole):
        assert not re.search(r"\\\*|\\#|&gt;|---", notes)
    assert "Objects and memory" in unescape(whole) and "Judy Bridgewater tape" in unescape(whole)

    ask(app, "What does the Judy Bridgewater tape represent?")  # cited from the table
    table = [c for c in answers(app)[-1].citations if "|" in c.quote]
    assert table
    inside = "\n".join(t for texts in popovers(app).values() for t in texts)
    highlights = re.findall(r":orange-background\[\*\*(.*?)\*\*\]", inside, re.S)
    assert any("Judy Bridgewater tape" in h for h in highlights)
    assert all(h == h.strip() and "|" not in h for h in highlights)  # bold hugs the words


MEMORY_NOTES = """# Memory in Never Let Me Go

Memory is the **central theme** of the novel. Kathy narrates the whole story *in
retrospect*, looking back from her life as a carer.

## Memory as comfort

For Kathy, remembering Hailsham is a way of holding on to the people she has lost.

> The memories I value most, I don't see them ever fading. I lost Ruth, then I lost
> Tommy, but I won't lose my memories of them.

This quotation shows that memory is the one thing the system cannot take from her.

## Objects and memory

| Object | What it represents |
|---|---|
| The Judy Bridgewater tape | Kathy's longing for a child and for love |
"""


def wrapped(text: str, width: int) -> str:
    """`text` with every line filled to `width` columns, as a plain-text editor saves it."""
    return "\n".join(
        textwrap.fill(line, width) if line.strip() else line for line in text.split("\n")
    )


def test_a_notes_link_in_an_inline_pop_up_opens_the_passage_on_its_own_page(
    app, knowledge, tmp_path, monkeypatch
):
    ask(app, FRIENDSHIP)
    answer = answers(app)[-1]
    [shown] = answer_htmls(app)
    links = re.findall(r'<a href="([^"]+)" target="_blank"', shown)
    assert len(links) == len(answer.citations)  # one per pop-up
    link = parse_qs(urlparse(html.unescape(links[-1])).query)
    cited = answer.citations[-1]
    chunk = cited.passage.chunk
    assert link["notes"] == [chunk.source]
    assert link["at"] == [f"{cited.quote_start}-{cited.quote_end}"]  # the words it marks

    def open_link(params: dict[str, str]) -> AppTest:
        page = AppTest.from_file(str(APP), default_timeout=120)
        page.query_params.update(params)
        page.run()
        assert not page.exception
        assert page.title[0].value == "In your notes" and not page.chat_input
        return page

    page = open_link({key: value[0] for key, value in link.items()})
    passage = next(m.value for m in page.markdown if ":orange-background[" in m.value)
    highlighted = re.findall(r":orange-background\[\*\*(.*?)\*\*\]", passage)
    assert " ".join(unescape(h) for h in highlighted) == " ".join(cited.quote.split())
    assert not page.warning

    # A link that no longer fits the notes says so instead of highlighting the wrong words.
    (knowledge / chunk.source).write_text("Rewritten notes.\n", encoding="utf-8")
    page = open_link({key: value[0] for key, value in link.items()})
    assert "has changed since this answer" in page.warning[0].value
    page = open_link({"notes": chunk.source, "at": "not-a-range"})
    assert "does not say which passage" in page.warning[0].value
    page = open_link({"notes": "gone.txt", "at": "0-10", "v": link["v"][0]})
    assert "no longer in the knowledge base" in page.warning[0].value


def test_a_greeting_gets_a_plain_reply_whose_suggestions_go_with_the_next_question(app):
    ask(app, "hi")
    assert answers(app)[0].reply and not app.info  # chat, not a "not found" notice
    assert any("Hello!" in unescape(m.value) for m in app.markdown)
    assert [b for b in app.main.button if b.key.startswith("follow-0-")]
    ask(app, "Who wrote Pride and Prejudice?")
    assert not [b for b in app.main.button if b.key.startswith("follow-0-")]
    assert [b for b in app.main.button if b.key.startswith("follow-1-")]  # a refusal's stay


def test_off_topic_question_gets_a_friendly_not_covered_message(app):
    ask(app, "Who wrote Pride and Prejudice?")
    assert not answers(app)[0].answerable
    assert "can't find this in the study notes" in unescape(app.info[0].value)
    assert not app.error
    assert not popovers(app)
    suggestions = [b for b in app.main.button if b.key.startswith("follow-0-")]
    assert FRIENDSHIP in [b.label for b in suggestions]

    next(b for b in suggestions if b.label == FRIENDSHIP).click().run()
    assert not app.exception
    assert answers(app)[1].question == FRIENDSHIP and answers(app)[1].answerable
    assert popovers(app)


def test_an_answer_the_notes_do_not_have_still_shows_what_they_say_with_its_sources(app):
    # The notes only quote Kathy naming Miss Jody: not covered, but the passage is shown
    # as an answer is, with clickable markers, not escaped into a plain notice.
    ask(app, "Who's Miss Jody?")
    answer = answers(app)[0]
    assert not answer.answerable and answer.citations
    assert not app.info
    [shown] = answer_htmls(app)
    check_inline_markers(shown, answer)
    assert popovers(app)


def test_an_answer_near_the_notes_opens_with_its_hedge_as_a_paragraph(app):
    ask(app, "Do the other kids tease Tommy?")
    answer = answers(app)[0]
    assert answer.answerable and answer.answer.startswith(HEDGE)
    [shown] = answer_htmls(app)
    check_inline_markers(shown, answer)
    text = shown.split("<div class='tutor-answer'>", 1)[1]
    assert text.lstrip().startswith(f"<p>{HEDGE}</p>")  # its own paragraph, first
    assert len(popovers(app)) == len(answer.citations)


def test_follow_up_question_passes_the_history(app, monkeypatch):
    calls = []
    real_ask = Tutor.ask

    def spy(self, question, history=(), **kwargs):
        calls.append((question, list(history)))
        return real_ask(self, question, history=history, **kwargs)

    monkeypatch.setattr(Tutor, "ask", spy)
    ask(app, "Tell me about Ruth.")
    ask(app, "And how does she treat Kathy later on?")

    first = answers(app)[0]
    assert calls[1][1] == [
        {"role": "user", "content": "Tell me about Ruth."},
        {"role": "assistant", "content": first.answer},
    ]
    follow_up = answers(app)[1]
    assert follow_up.answerable
    assert "Ruth" in follow_up.citations[0].passage.chunk.text
    assert len(app.chat_message) == 4


def test_markup_in_a_question_is_shown_as_text(app):
    ask(app, "<script>alert(1)</script> How is *friendship* shown?")
    shown = chat_texts(app, "user")[0]
    assert "<script>" not in shown
    assert shown.startswith("&lt;script&gt;alert(1)&lt;/script&gt;")
    assert r"\*friendship\*" in shown
    assert all("<script" not in h.value for h in app.get("html"))  # the answer's HTML


def test_upload_makes_notes_answerable_and_removing_them_undoes_it(app):
    ask(app, NORFOLK)
    assert not answers(app)[-1].answerable

    app.file_uploader[0].set_value(("norfolk.md", NORFOLK_NOTES, "text/markdown")).run()
    assert not app.exception
    assert any("Added norfolk.md" in s.value for s in app.sidebar.success)
    assert "**norfolk.md**" in [m.value for m in app.sidebar.markdown]
    assert not app.file_uploader[0].value  # a fresh uploader for the next file

    ask(app, NORFOLK)
    answer = answers(app)[-1]
    assert answer.answerable
    assert answer.citations[0].passage.chunk.source == "norfolk.md"
    assert any("norfolk.md" in "\n".join(texts) for texts in popovers(app).values())

    # the document filter: answers from one file only
    app.sidebar.selectbox[0].set_value("norfolk.md").run()
    caption = next(c.value for c in app.main.caption if c.value.startswith("I answer from"))
    assert "Norfolk in Never Let Me Go" in caption and "Friendship" not in caption
    ask(app, FRIENDSHIP)
    assert {c.passage.chunk.source for c in answers(app)[-1].citations} <= {"norfolk.md"}
    assert {p.chunk.source for p in answers(app)[-1].passages} == {"norfolk.md"}
    assert not answers(app)[-1].answerable  # … and the refusal says which file covers it
    assert BUNDLED_NOTES.name in answers(app)[-1].answer

    app.button(key="remove-norfolk.md").click().run()
    assert not app.exception
    assert any("Removed norfolk.md" in s.value for s in app.sidebar.success)
    assert "**norfolk.md**" not in [m.value for m in app.sidebar.markdown]
    assert app.sidebar.selectbox[0].value == "All documents"
    ask(app, NORFOLK)
    assert not answers(app)[-1].answerable
    assert len(answers(app)) == 4  # the chat survived every change


def test_after_answer_from_changes_the_suggestions_are_the_chosen_notes_own(app):
    ask(app, FRIENDSHIP)
    suggested = list(answers(app)[-1].follow_ups)
    assert suggested and [unescape(b.label) for b in suggestion_buttons(app)] == suggested
    app.file_uploader[0].set_value(("norfolk.md", NORFOLK_NOTES, "text/markdown")).run()

    app.sidebar.selectbox[0].set_value("norfolk.md").run()
    assert not app.exception
    shown = [unescape(b.label) for b in suggestion_buttons(app)]
    assert shown and not set(shown) & set(suggested)  # the friendship ones are gone
    assert any("Now answering from" in c.value and "Norfolk" in c.value for c in app.main.caption)

    suggestion_buttons(app)[0].click().run()  # a suggestion now is a question these notes answer
    assert not app.exception
    assert answers(app)[-1].question == shown[0]
    assert answers(app)[-1].answerable
    assert {c.passage.chunk.source for c in answers(app)[-1].citations} == {"norfolk.md"}
    assert [unescape(b.label) for b in suggestion_buttons(app)] == list(answers(app)[-1].follow_ups)

    app.sidebar.selectbox[0].set_value("All documents").run()  # one file's still hold
    assert [unescape(b.label) for b in suggestion_buttons(app)] == list(answers(app)[-1].follow_ups)


def test_after_a_file_is_removed_its_suggestions_go_with_it(app):
    app.file_uploader[0].set_value(("norfolk.md", NORFOLK_NOTES, "text/markdown")).run()
    ask(app, "Who wrote Pride and Prejudice?")  # "Answer from" stays on all documents
    offered = [unescape(b.label) for b in suggestion_buttons(app)]
    assert any("Norfolk" in q for q in offered)

    app.button(key="remove-norfolk.md").click().run()
    assert not app.exception
    shown = [unescape(b.label) for b in suggestion_buttons(app)]
    assert shown and not any("Norfolk" in q for q in shown)  # none asks the removed file
    suggestion_buttons(app)[-1].click().run()
    assert answers(app)[-1].question == shown[-1]
    assert answers(app)[-1].answerable  # what is offered now, the notes answer


def test_several_uploads_add_the_good_ones_and_report_each_bad_one(app):
    app.file_uploader[0].set_value(
        [
            ("empty.md", b"", "text/markdown"),
            ("norfolk.md", NORFOLK_NOTES, "text/markdown"),
            ("latin1.txt", "café crème".encode("latin-1"), "text/plain"),
            ("essay.docx", b"PK\x03\x04", "application/octet-stream"),  # not turned away unsaid
        ]
    ).run()
    assert not app.exception
    assert [s.value for s in app.sidebar.success] == ["Added norfolk.md. Ask away!"]
    errors = [unescape(e.value) for e in app.sidebar.error]
    assert len(errors) == 3
    assert "empty.md" in errors[0] and "latin1.txt" in errors[1]
    assert "essay.docx" in errors[2] and "save it as plain text (.txt) or PDF" in errors[2]
    assert "**norfolk.md**" in [m.value for m in app.sidebar.markdown]

    # a file uploaded again under the same name replaces the old one, and says so
    app.file_uploader[0].set_value(("norfolk.md", NORFOLK_NOTES + b"\nMore.\n", "text/markdown"))
    app.run()
    assert [s.value for s in app.sidebar.success] == [
        "Replaced norfolk.md with the file you uploaded. Ask away!"
    ]

    # the very same file again replaces nothing, and says that instead
    app.file_uploader[0].set_value(("norfolk.md", NORFOLK_NOTES + b"\nMore.\n", "text/markdown"))
    app.run()
    assert [s.value for s in app.sidebar.success] == [
        "norfolk.md: already in your notes, unchanged. Ask away!"
    ]

    # an off-topic question with the filter on suggests questions from that file only
    app.sidebar.selectbox[0].set_value("norfolk.md").run()
    ask(app, "Who wrote Pride and Prejudice?")
    suggestions = answers(app)[-1].follow_ups
    assert suggestions and all("Norfolk" in q for q in suggestions)
    assert [unescape(b.label) for b in app.main.button] == list(suggestions)


def test_a_blank_question_is_not_echoed_and_a_long_one_is_shortened(app, settings):
    ask(app, "   ")
    assert not chat_texts(app, "user")
    assert any("The question is empty" in e.value for e in app.error)

    essay = "Why does Kathy care so much about her friends? " * 250 + "And what about Ruth?"
    ask(app, essay)
    shown = unescape(chat_texts(app, "user")[0])
    assert len(shown) < 700 and shown.startswith(essay[:100])
    assert "And what about Ruth? (" in shown  # its end too, where a question is most often
    [counted] = re.findall(r"\(([\d,]+) characters\)", shown)
    limit = f"{settings.max_question_chars:,}"
    [refusal] = [unescape(e.value) for e in app.error if limit in unescape(e.value)]
    assert f"The question is {counted} characters long" in refusal  # the echo agrees
    app.run()  # any rerun (opening a source, say): the question and why stay on the page
    assert unescape(chat_texts(app, "user")[0]) == shown
    assert any(limit in unescape(e.value) for e in app.error)
    ask(app, FRIENDSHIP)  # … until the next question
    assert not any(limit in unescape(e.value) for e in app.error)
    assert len(chat_texts(app, "user")) == 1


def test_a_question_sent_while_another_is_answered_waits_its_turn(app):
    # A question sent while one is being answered stops that run; the one it stopped is
    # left waiting (as the run records it before asking) and is answered first.
    app.session_state["unanswered"] = ["How does Ruth hurt Kathy?"]
    ask(app, "why does she do that?")
    asked = [a.question for a in answers(app)]
    assert asked == ["How does Ruth hurt Kathy?", "why does she do that?"]
    assert [unescape(t) for t in chat_texts(app, "user")] == asked
    assert app.session_state["unanswered"] == []
    # the second was asked after the first: "she" is Ruth
    assert "Ruth tries hard" in answers(app)[1].passages[0].chunk.text
    # only the last answer offers suggestions
    assert all(b.key.startswith("follow-1-") for b in suggestion_buttons(app))


def test_one_tutor_serves_every_run(settings, tmp_path, monkeypatch):
    # Opened once per settings, with one lock: a tutor (and its index) per rerun would
    # redo its start-up on every click, and two tabs could write the index at once.
    opened = []
    init = Tutor.__init__

    def counted(self, *args, **kwargs):
        opened.append(self)
        init(self, *args, **kwargs)

    monkeypatch.setattr(Tutor, "__init__", counted)
    app = start_app(tmp_path, monkeypatch)
    ask(app, FRIENDSHIP)
    ask(app, "why?")
    assert len(opened) == 1


def test_a_reload_finds_the_chat_again(app):
    ask(app, FRIENDSHIP)
    chat_id = app.query_params["chat"]
    chat_id = chat_id[0] if isinstance(chat_id, list) else chat_id
    assert re.fullmatch(r"[0-9a-f]{32}", chat_id)

    def reloaded(params: dict[str, str]) -> AppTest:
        page = AppTest.from_file(str(APP), default_timeout=120)
        page.query_params.update(params)
        page.run()
        assert not page.exception
        return page

    # A new session (as a reload starts) with the chat's address: the same chat, and it
    # goes on from there.
    again = reloaded({"chat": chat_id})
    assert [a.question for a in answers(again)] == [FRIENDSHIP]
    assert [unescape(t) for t in chat_texts(again, "user")] == [FRIENDSHIP]
    ask(again, "why?")
    assert [a.question for a in answers(again)] == [FRIENDSHIP, "why?"]
    # Without it (or with an id that is not one), a chat of its own.
    for params in ({}, {"chat": "../../etc"}):
        other = reloaded(params)
        assert not answers(other) and not chat_texts(other, "user")
        assert other.query_params["chat"] != chat_id
    # Clear empties the chat a reload finds too.
    again.sidebar.button[-1].click().run()
    assert not answers(reloaded({"chat": chat_id}))


def test_clear_removes_a_refused_question_too(app, settings):
    ask(app, "why " * settings.max_question_chars)  # refused: no answer in the chat
    assert chat_texts(app, "user") and not answers(app)
    clear = app.sidebar.button[-1]
    assert clear.label == "Clear" and not clear.disabled
    clear.click().run()
    assert not app.exception
    assert not app.chat_message and not app.error


def test_asking_with_no_notes_says_to_add_some_in_the_sidebar(
    settings, knowledge, tmp_path, monkeypatch
):
    for path in knowledge.iterdir():
        path.unlink()
    app = start_app(tmp_path, monkeypatch)
    assert any("No notes yet" in c.value for c in app.sidebar.caption)
    assert app.sidebar.selectbox(key="source").disabled  # nothing to choose or rebuild yet
    assert [b.disabled for b in app.sidebar.button if b.label == "Rebuild index"] == [True]
    ask(app, FRIENDSHIP)
    [told] = [unescape(e.value) for e in app.error]
    assert "add .txt, .md or .pdf notes in the sidebar" in told
    assert str(knowledge) not in told  # no server path for a student


def test_shortcodes_in_a_question_stay_text(app):
    ask(app, "Is Ruth a :red[good] friend :smile: to :material/home: Kathy?")
    shown = chat_texts(app, "user")[0]
    assert ":" not in shown  # every colon is an entity: no emoji, colour or icon
    assert (
        unescape_colons(shown) == r"Is Ruth a :red\[good\] friend :smile: to :material/home: Kathy?"
    )


def blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer, data = PdfWriter(), io.BytesIO()
    writer.add_blank_page(width=200, height=200)
    writer.write(data)
    return data.getvalue()


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [("empty.md", b"", "empty"), ("scan.pdf", blank_pdf(), "text")],
)
def test_a_bad_upload_is_explained_and_changes_nothing(app, name, data, message):
    ask(app, FRIENDSHIP)
    documents_before = [m.value for m in app.sidebar.markdown]

    app.file_uploader[0].set_value((name, data, "application/octet-stream")).run()
    assert not app.exception
    errors = [e.value for e in app.sidebar.error]
    assert len(errors) == 1 and name in errors[0] and message in errors[0]
    assert [m.value for m in app.sidebar.markdown] == documents_before
    assert len(answers(app)) == 1 and len(popovers(app)) == len(answers(app)[0].citations)

    ask(app, FRIENDSHIP)  # and the tutor still works
    assert answers(app)[1].answerable


def test_rebuild_and_clear_chat(app):
    ask(app, FRIENDSHIP)
    app.sidebar.button[-2].click().run()  # Rebuild index
    assert not app.exception
    assert any(s.value.startswith("Rebuilt the index") for s in app.sidebar.success)
    assert len(answers(app)) == 1

    app.sidebar.button[-1].click().run()  # Clear
    assert not app.exception
    assert not app.chat_message and not answers(app)
    assert FRIENDSHIP in [b.label for b in app.main.button]


def test_a_chroma_server_that_is_down_is_a_clear_message(settings, tmp_path, monkeypatch):
    port = free_port()  # nothing listens there
    monkeypatch.setenv("TUTOR_CHROMA_URL", f"http://127.0.0.1:{port}")
    at = start_app(tmp_path, monkeypatch)
    assert len(at.error) == 1
    message = unescape(at.error[0].value)
    assert f"The Chroma server at http://127.0.0.1:{port} is not answering" in message
    assert [b.label for b in at.button] == ["Try again"]
    at.button[0].click().run()  # still down: the same clear message, no traceback
    assert not at.exception and [unescape(e.value) for e in at.error] == [message]


def test_an_index_too_damaged_to_open_is_rebuilt_and_said_so(
    settings, embeddings, tmp_path, monkeypatch
):
    Tutor(settings, embeddings=embeddings).sync()
    (settings.db_dir / "chroma.sqlite3").write_bytes(b"not a database " * 100)
    at = start_app(tmp_path, monkeypatch)
    warnings = [unescape(w.value) for w in at.sidebar.warning]
    assert len(warnings) == 1 and warnings[0].startswith("The index was damaged")
    assert str(settings.db_dir.resolve()) + ".broken" in warnings[0]
    at.chat_input[0].set_value("Who is Ruth?").run()  # answered from the rebuilt index
    assert not at.exception and at.chat_message[-1].markdown
    assert not at.sidebar.warning  # said once, not on every page run


def test_unreadable_notes_are_shown_as_warnings(settings, knowledge, tmp_path, monkeypatch):
    (knowledge / "broken.pdf").write_bytes(b"%PDF-1.4 not really a PDF")
    at = start_app(tmp_path, monkeypatch)
    warnings = [unescape(w.value) for w in at.sidebar.warning]
    assert len(warnings) == 1
    assert warnings[0].startswith("Couldn't read **broken.pdf**: broken.pdf is not a readable PDF")
    assert [m.value for m in at.sidebar.markdown if m.value.startswith("**")] == [
        "**friendship-in-never-let-me-go.txt**"
    ]
    ask(at, FRIENDSHIP)
    assert answers(at)[0].answerable
