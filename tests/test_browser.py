"""The real app in a real headless Chromium: `streamlit run app.py`, typed into like a student.

Screenshots go to test-artifacts/. With TUTOR_UPDATE_SCREENSHOT=1 the run also
refreshes docs/screenshot.png, the picture in the README.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import urlparse

import pytest

from .chroma_server import free_port

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = ROOT / "test-artifacts"
NOTES = ROOT / "knowledge" / "friendship-in-never-let-me-go.txt"
MARKUP_NOTES = b"""# The Gallery at Hailsham

## What is Madame's Gallery?

Madame takes the best <b>art</b> for her *Gallery* [see chapter 3] and the students
believe it shows what is inside them.
"""
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-quic",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """`streamlit run app.py` on a free port, with its notes and index in a tmp folder."""
    home = tmp_path_factory.mktemp("app")
    (home / "knowledge").mkdir()
    shutil.copy(NOTES, home / "knowledge")
    env = os.environ | {
        "TUTOR_KNOWLEDGE_DIR": str(home / "knowledge"),
        "TUTOR_DB_DIR": str(home / "db"),
        "TUTOR_CONFIG": str(home / "absent.toml"),
        "HF_HUB_OFFLINE": "1",
    }
    env.pop("TUTOR_CHROMA_URL", None)
    port = free_port()
    command = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true"]
    command += ["--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--browser.gatherUsageStats", "false"]
    log = (home / "streamlit.log").open("wb")
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if process.poll() is not None:
                pytest.fail(f"streamlit exited early:\n{(home / 'streamlit.log').read_text()}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start:\n{(home / 'streamlit.log').read_text()}")
            time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        log.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium (apt-get install chromium).")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, server, off_machine):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.on("request", lambda request: off_machine.append(request.url) if leaves(request) else 0)
    page.goto(server)
    page.get_by_text("Not sure where to start").wait_for(timeout=120_000)  # indexed and ready
    yield page
    context.close()


@pytest.fixture
def off_machine() -> list[str]:
    """Every URL the page asked for beyond this machine (none: the app works offline)."""
    return []


def leaves(request) -> bool:
    host = urlparse(request.url).hostname
    return request.url.startswith(("http:", "https:")) and host not in ("127.0.0.1", "localhost")


def ask(page, question: str) -> None:
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    box.press("Enter")


def open_citation(page, n: int):
    """Wait for the latest answer to finish streaming, open its [n] pop-up, return the pop-up."""
    answer = page.get_by_test_id("stChatMessage").last
    answer.get_by_test_id("stPopover").filter(has_text=f"[{n}]").get_by_role("button").click()
    body = page.get_by_test_id("stPopoverBody")
    body.wait_for()
    return body


def settle(page) -> None:
    """Wait until the app has finished its run: no running indicator, no faded stale elements."""
    page.wait_for_function(
        """() => !document.querySelector('[data-testid="stStatusWidget"]')
              && !document.querySelector('[data-stale="true"]')"""
    )


def normal(text: str) -> str:
    return " ".join(text.split())


# The contrast ratio (WCAG 2) of each element's text against the background behind it,
# with the text colour's alpha and every ancestor's opacity blended in.
CONTRASTS = """selector => {
  const rgba = s => {
    const m = s.match(/[\\d.]+/g).map(Number);
    return [...m.slice(0, 3), m[3] ?? 1];
  };
  const channel = c => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  const luminance = ([r, g, b]) => 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  const behind = el => {
    for (; el; el = el.parentElement) {
      const c = rgba(getComputedStyle(el).backgroundColor);
      if (c[3] > 0) return c;
    }
    return [255, 255, 255, 1];
  };
  return [...document.querySelectorAll(selector)].filter(el => el.offsetParent).map(el => {
    let alpha = rgba(getComputedStyle(el).color)[3];
    for (let a = el; a; a = a.parentElement) alpha *= parseFloat(getComputedStyle(a).opacity);
    const fg = rgba(getComputedStyle(el).color), bg = behind(el);
    const seen = [0, 1, 2].map(i => fg[i] * alpha + bg[i] * (1 - alpha));
    const [hi, lo] = [luminance(seen), luminance(bg)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  });
}"""


def test_captions_are_readable_in_light_and_dark_themes(page):
    """Grey captions (sources, hints, file details) meet WCAG AA for small text, 4.5:1."""
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_timeout(500)
        ratios = page.evaluate(CONTRASTS, '[data-testid="stCaptionContainer"]')
        assert len(ratios) >= 2, scheme
        assert min(ratios) >= 4.5, (scheme, ratios)


def test_the_inline_pop_up_follows_a_dark_theme(page):
    page.emulate_media(color_scheme="dark")
    ask(page, "How is friendship shown?")
    page.get_by_test_id("stChatMessage").filter(has_text="How is friendship shown?").wait_for()
    page.get_by_test_id("stChatMessage").last.locator("button.tutor-cite").first.click()
    card = page.locator(".tutor-source:popover-open")
    card.wait_for()
    # A dark card, not a white one, and every text in it readable (WCAG AA, 4.5:1).
    page_colour = page.get_by_test_id("stApp").evaluate(
        "el => getComputedStyle(el).backgroundColor"
    )
    card_colour = card.evaluate("el => getComputedStyle(el).backgroundColor")
    assert brightness(card_colour) < 80 and brightness(page_colour) < 80, card_colour
    for part in ("p", ".where", "mark", "a", ".close"):  # each measured, each readable
        ratios = page.evaluate(CONTRASTS, f".tutor-source:popover-open {part}")
        assert ratios and min(ratios) >= 4.5, (part, ratios)
    page.screenshot(path=ARTIFACTS / "browser-dark-source.png")


def test_the_words_used_are_the_easiest_to_read_in_show_in_notes(page):
    # A quotation from the novel is set out as one in the notes view; Streamlit fades
    # quotations, and the highlighted words inside one were the faintest on the page.
    ask(page, "Where does Kathy see Ruth again?")
    page.get_by_test_id("stChatMessage").filter(has_text="Where does Kathy see Ruth").wait_for()
    body = open_citation(page, 1)
    body.get_by_role("button", name="Show in notes").click()
    dialog = page.get_by_test_id("stDialog")
    marked = dialog.locator("blockquote .stMarkdownColoredBackground").first
    marked.wait_for()
    assert "recovery centre in Dover" in marked.inner_text()
    for scheme in ("light", "dark"):
        page.emulate_media(color_scheme=scheme)
        page.wait_for_timeout(500)
        ratios = page.evaluate(CONTRASTS, '[data-testid="stDialog"] .stMarkdownColoredBackground')
        assert ratios and min(ratios) >= 4.5, (scheme, ratios)
    page.screenshot(path=ARTIFACTS / "browser-notes-quotation.png")


def brightness(css_colour: str) -> float:
    """The mean of an rgb()/rgba() colour's red, green and blue, 0..255."""
    return sum(float(v) for v in re.findall(r"[\d.]+", css_colour)[:3]) / 3


def test_ask_and_open_a_citation(page, off_machine):
    ask(page, "How is friendship shown?")
    page.get_by_test_id("stChatMessage").filter(has_text="How is friendship shown?").wait_for()

    # The [n] inside the answer's text opens its passage, with the quoted words marked.
    marker = page.get_by_test_id("stChatMessage").last.locator("button.tutor-cite").last
    marker.click()
    card = page.locator(".tutor-source:popover-open")
    card.wait_for()
    marked = normal(card.locator("mark").inner_text())
    assert len(marked) > 20 and marked in normal(NOTES.read_text(encoding="utf-8"))
    weight = card.locator("mark").evaluate("el => getComputedStyle(el).fontWeight")
    assert int(weight) >= 600  # marked in bold too, not by colour alone
    page.screenshot(path=ARTIFACTS / "browser-inline-source.png")

    # Its "Show in notes" opens the same words, highlighted, in a tab of its own; the chat
    # stays.
    with page.context.expect_page() as opened:
        card.get_by_role("link", name="Show in notes").click()
    notes = opened.value
    notes.set_default_timeout(60_000)
    highlighted = notes.locator(".stMarkdownColoredBackground").first
    highlighted.wait_for()
    assert notes.get_by_role("heading", name="In your notes").is_visible()
    assert normal(highlighted.inner_text()) == marked
    notes.screenshot(path=ARTIFACTS / "browser-notes-tab.png")
    notes.close()
    assert page.get_by_test_id("stChatMessage").count() == 2
    card.get_by_role("button", name="Close").click()  # a phone has no Escape key
    card.wait_for(state="hidden")

    body = open_citation(page, 1)

    answer = page.get_by_test_id("stChatMessage").nth(1).inner_text()
    assert re.search(r"\[1\]", answer)
    highlighted = body.locator(".stMarkdownColoredBackground").first
    highlighted.wait_for()
    assert highlighted.is_visible()
    quote = normal(highlighted.inner_text())
    assert len(quote) > 20 and quote in normal(NOTES.read_text(encoding="utf-8"))
    assert normal(highlighted.locator("strong").first.inner_text()) == quote  # bold as well
    assert "friendship-in-never-let-me-go.txt" in body.inner_text()
    ARTIFACTS.mkdir(exist_ok=True)
    settle(page)
    page.screenshot(path=ARTIFACTS / "browser-answer.png")

    # The last source is the furthest into the notes: its dialog must still open on it.
    page.keyboard.press("Escape")
    body.wait_for(state="hidden")
    count = page.get_by_test_id("stChatMessage").last.get_by_test_id("stPopover").count()
    body = open_citation(page, count)
    body.locator(".stMarkdownColoredBackground").first.wait_for()
    quote = normal(body.locator(".stMarkdownColoredBackground").first.inner_text())
    body.get_by_role("button", name="Show in notes").click()
    dialog = page.get_by_test_id("stDialog")
    highlighted = dialog.locator(".stMarkdownColoredBackground").first
    highlighted.wait_for()
    assert "In your notes" in dialog.inner_text()
    assert normal(highlighted.inner_text()) == quote
    box = highlighted.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= 900  # in view, no scrolling
    page.screenshot(path=ARTIFACTS / "browser-notes.png")
    assert off_machine == []  # fonts, icons and scripts all come from the app itself

    if os.environ.get("TUTOR_UPDATE_SCREENSHOT") == "1":
        readme_screenshot(page)


def readme_screenshot(page) -> None:
    """docs/screenshot.png: the starter question answered, with a pop-up open.

    The pop-up shown is the first whose passage is longer than the sentence used,
    so the picture shows the highlight within its passage.
    """
    page.set_viewport_size({"width": 1280, "height": 1000})
    page.reload()
    page.get_by_role("button", name="How is friendship shown in the novel?").click()
    n, body = 1, open_citation(page, 1)
    count = page.get_by_test_id("stChatMessage").last.get_by_test_id("stPopover").count()
    while n < count:
        body.locator(".stMarkdownColoredBackground").first.wait_for()
        highlighted = " ".join(body.locator(".stMarkdownColoredBackground").all_inner_texts())
        if len(normal(highlighted)) + 20 < len(normal(body.locator("p").nth(1).inner_text())):
            break
        page.keyboard.press("Escape")
        body.wait_for(state="hidden")
        n, body = n + 1, open_citation(page, n + 1)
    page.mouse.move(1260, 600)  # hover over nothing, so no tooltip in the picture
    settle(page)
    page.wait_for_timeout(500)
    (ROOT / "docs").mkdir(exist_ok=True)
    page.screenshot(path=ROOT / "docs" / "screenshot.png")


def test_upload_through_the_real_widget_and_markup_stays_text(page):
    uploader = page.get_by_test_id("stFileUploaderDropzoneInput")
    uploader.set_input_files(
        {"name": "gallery.md", "mimeType": "text/markdown", "buffer": MARKUP_NOTES}
    )
    page.get_by_text("Added gallery.md").wait_for()
    # Listed in the sidebar (drawn a moment after the message on a busy machine), as a
    # file card's bold name: the uploader's own chip may still show the name as well.
    listed = page.get_by_test_id("stSidebar").locator("strong")
    listed.filter(has_text=re.compile(r"^gallery\.md$")).wait_for()

    ask(page, "What is Madame's <b>Gallery</b>?")
    question = page.get_by_test_id("stChatMessage").filter(has_text="What is Madame's")
    question.wait_for()
    assert "What is Madame's <b>Gallery</b>?" in question.inner_text()  # shown, not rendered
    body = open_citation(page, 1)
    text = normal(body.inner_text())
    assert "gallery.md" in text
    # HTML stays text; markdown emphasis in a .md file is syntax, shown as the plain word
    assert "Madame takes the best <b>art</b> for her Gallery [see chapter 3]" in text
    assert body.locator("b").count() == 0 and body.locator("em").count() == 0
    settle(page)
    page.screenshot(path=ARTIFACTS / "browser-upload.png")


def test_removing_a_file_leaves_no_confirmation_open(page):
    notes = [
        {
            "name": f"{name}.md",
            "mimeType": "text/markdown",
            "buffer": f"# {name}\n\n{text}".encode(),
        }
        for name, text in [
            ("alpha", "Alpha notes: the students keep a diary of every quarrel."),
            ("beta", "Beta notes: the guardians read the diaries each term."),
        ]
    ]
    page.get_by_test_id("stFileUploaderDropzoneInput").set_input_files(notes)
    page.get_by_text("Added alpha.md, beta.md").wait_for()
    settle(page)
    sidebar = page.get_by_test_id("stSidebar")
    card = sidebar.get_by_test_id("stVerticalBlock").filter(
        has=page.get_by_text("alpha.md", exact=True)
    )
    card.last.get_by_role("button", name="Remove").click()
    page.get_by_role("button", name="Yes, remove it").click()
    page.get_by_text("Removed alpha.md").wait_for()
    settle(page)
    page.wait_for_timeout(500)
    assert not sidebar.get_by_text("alpha.md", exact=True).count()
    assert sidebar.get_by_text("beta.md", exact=True).is_visible()
    assert not page.get_by_role("button", name="Yes, remove it").is_visible()

    # Streamlit's shortcodes in a question stay text: no emoji, colour or icon.
    ask(page, "Is :red[Ruth] a :smile: friend to :material/home: Kathy?")
    question = page.get_by_test_id("stChatMessage").filter(has_text="a :smile: friend")
    question.wait_for()
    assert "Is :red[Ruth] a :smile: friend to :material/home: Kathy?" in question.inner_text()


def test_notes_printed_to_pdf_are_read_as_the_same_notes(browser, tmp_path):
    """The bundled notes, set in a browser with headings in larger bold type and spaced
    paragraphs, then saved as a PDF (as a teacher's notes often arrive): the tutor finds the
    same passages under the same headings as in the text file."""
    import html as html_lib

    from tutor.documents import chunk_document, load_document, parse_blocks, parse_document

    notes = load_document(NOTES)
    tags = {"title": "h1", "heading": "h2"}
    body = []
    for block in parse_blocks(notes.text):
        text = html_lib.escape(notes.text[block.start : block.end]).replace("\n\n", "\n")
        tag = tags.get(block.kind, "p")
        if block.kind == "heading" and block.level > 1:
            tag = "h3"
        body.append(f"<{tag}>{text.replace(chr(10), '<br>')}</{tag}>")
    context = browser.new_context()
    page = context.new_page()
    page.set_content(f"<html><body style='font: 12pt serif'>{''.join(body)}</body></html>")
    pdf = page.pdf(width="8.5in", height="40in")  # one tall page: no paragraph split by a page
    context.close()
    (ARTIFACTS / "notes.pdf").write_bytes(pdf)

    printed = parse_document("notes.pdf", pdf)

    def passages(document):
        return [(c.section, c.kind, " ".join(c.text.split())) for c in chunk_document(document)]

    assert printed.title == notes.title
    assert passages(printed) == passages(notes)


def test_a_question_sent_before_the_last_is_answered_is_not_lost(page):
    # The second question stops the run answering the first; the first is still answered.
    ask(page, "who is tommy?")
    page.wait_for_timeout(150)
    ask(page, "and ruth?")
    messages = page.get_by_test_id("stChatMessage")
    messages.nth(3).wait_for()  # two questions, two answers
    settle(page)
    said = [normal(m.inner_text()) for m in messages.all()]
    assert len(said) == 4
    assert said[0].endswith("who is tommy?") and said[2].endswith("and ruth?")
    assert "Tommy" in said[1]


def test_on_a_phone_suggestions_read_left_and_a_source_pop_up_scrolls(browser, server):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(server)
    page.get_by_text("Not sure where to start").wait_for(timeout=120_000)
    ask(page, "Why does Kathy become Ruth's carer?")
    page.get_by_text("You could also ask").wait_for()
    settle(page)
    # A suggestion that wraps onto several lines reads from the left, not centred.
    texts = page.locator('[class*="st-key-follow-"] button p').all()
    assert texts and all(t.evaluate("e => getComputedStyle(e).textAlign") == "left" for t in texts)
    # A source's pop-up taller than the room left for it scrolls to its "Show in notes".
    sources = page.get_by_test_id("stChatMessage").last.get_by_test_id("stPopover")
    sources.last.get_by_role("button").click()
    body = page.get_by_test_id("stPopoverBody")
    body.wait_for()
    assert body.evaluate("e => getComputedStyle(e).overflowY") == "auto"
    body.get_by_role("button", name="Show in notes").scroll_into_view_if_needed()
    assert body.get_by_role("button", name="Show in notes").is_visible()
    context.close()


def test_reloading_the_page_keeps_the_chat(page):
    ask(page, "who is tommy?")
    page.get_by_text("You could also ask").wait_for()
    settle(page)
    assert "chat=" in page.url
    page.reload()
    page.get_by_test_id("stChatMessage").nth(1).wait_for()
    settle(page)
    said = [normal(m.inner_text()) for m in page.get_by_test_id("stChatMessage").all()]
    assert len(said) == 2 and said[0].endswith("who is tommy?") and "Tommy" in said[1]
