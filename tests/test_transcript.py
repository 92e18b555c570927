"""The chat export: answers in Markdown, citations as footnotes, everything escaped."""

from __future__ import annotations

import re

from tutor.records import Answer, Chunk, Citation, Passage
from tutor.transcript import to_markdown

TEXT = "Ruth hurts Kathy greatly.\nLater, Kathy becomes Ruth’s carer and <b>forgives</b> her."


def citation(n: int, start: int, end: int, section="Ruth › How is this shown?", page=None):
    chunk = Chunk("c1", "notes.txt", section, "paragraph", TEXT, 0, len(TEXT), page=page)
    return Citation(n, Passage(chunk, 0.9), TEXT[start:end], start, end)


def answer(question: str, text: str, citations=(), answerable=True, follow_ups=()):
    return Answer(question, text, answerable, tuple(citations), follow_ups=tuple(follow_ups))


def test_markers_become_footnotes_numbered_through_the_whole_chat():
    first = answer(
        "Who is Ruth?",
        "Ruth hurts Kathy greatly. [1] She forgives her. [2]",
        [citation(1, 0, 25), citation(2, 26, len(TEXT), page=3)],
    )
    second = answer("And later?", "Kathy becomes Ruth’s carer. [1]", [citation(1, 26, 60)])

    markdown = to_markdown([first, second], exported="24 Nov 2026, 11:09")

    assert markdown.startswith("# Chat with the study tutor\n")
    assert "*Exported 24 Nov 2026, 11:09.*" in markdown
    assert "**You:** Who is Ruth?" in markdown
    assert "**Tutor:** Ruth hurts Kathy greatly. [^1] She forgives her. [^2]" in markdown
    assert "**Tutor:** Kathy becomes Ruth’s carer. [^3]" in markdown
    assert not re.search(r"(?<!\^)\[\d\]", markdown)  # no bare [n] left
    definitions = re.findall(r"^\[\^(\d+)\]: (.*)$", markdown, re.M)
    assert [n for n, _ in definitions] == ["1", "2", "3"]
    assert definitions[0][1] == "“Ruth hurts Kathy greatly.” — notes.txt, Ruth › How is this shown?"
    assert definitions[1][1].endswith("notes.txt, Ruth › How is this shown?, p. 3")
    # a quote over several lines becomes one line, so the footnote stays one footnote
    assert "“Later, Kathy becomes Ruth’s carer and &lt;b&gt;forgives&lt;/b&gt; her.”" in markdown
    assert markdown.index("[^1]:") > markdown.index("**You:** And later?")
    assert "\n\n[^2]: " in markdown and markdown.endswith(
        "p. 3\n\n[^3]: " + definitions[2][1] + "\n"
    )


def test_gaps_in_citation_numbers_do_not_collide():
    # verification can drop a citation, leaving [1] and [3]
    first = answer("Q1", "A. [1] B. [3]", [citation(1, 0, 25), citation(3, 26, 40)])
    second = answer("Q2", "C. [1]", [citation(1, 0, 25)])
    markdown = to_markdown([first, second])
    assert "A. [^1] B. [^2]" in markdown
    assert "C. [^3]" in markdown
    assert len(re.findall(r"^\[\^\d+\]:", markdown, re.M)) == 3


def test_student_and_note_markup_is_escaped():
    question = "<script>alert(1)</script> what is *this* [x](http://evil)?"
    markdown = to_markdown([answer(question, "See the notes. [1]", [citation(1, 26, len(TEXT))])])
    assert "<script>" not in markdown and "<b>" not in markdown
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in markdown
    assert r"\*this\* \[x\](http://evil)" in markdown


def test_an_escaped_bracket_from_the_notes_is_not_a_marker():
    text = r"The notes say \[1\] literally. [1]"
    markdown = to_markdown([answer("Q", text, [citation(1, 0, 25)])])
    assert r"The notes say \[1\] literally. [^1]" in markdown


def test_unanswerable_questions_list_the_suggestions_and_have_no_footnotes():
    markdown = to_markdown(
        [
            answer(
                "Who wrote Pride and Prejudice?",
                "I can't find this in the study notes, so I won't guess.",
                answerable=False,
                follow_ups=["How is friendship shown in the novel?"],
            )
        ]
    )
    assert "questions like these:\n\n- How is friendship shown in the novel?" in markdown
    assert "[^" not in markdown


def test_an_empty_chat_says_so():
    assert "*No questions asked yet.*" in to_markdown([])


def test_footnotes_quote_markdown_notes_without_their_syntax():
    text = "Memory is the **central theme** of the *novel*."
    chunk = Chunk("c1", "memory.md", "Memory", "paragraph", text, 10, 10 + len(text))
    cited = Citation(1, Passage(chunk, 0.9), text, 10, 10 + len(text))
    markdown = to_markdown([answer("Q", "Memory is the central theme of the novel. [1]", [cited])])
    assert "[^1]: “Memory is the central theme of the novel.” — memory.md, Memory" in markdown
