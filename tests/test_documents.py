"""Loading and chunking: offsets are exact, structure is recognised, bad files are refused."""

from __future__ import annotations

import io
import itertools
import random
import re
import statistics
import subprocess
import sys
import textwrap

import pytest

from tutor.display import HIDDEN, unmark, visible
from tutor.documents import (
    chunk_document,
    comments_on_a_quotation,
    embedding_units,
    holds_quotation,
    list_note_files,
    load_document,
    parse_document,
    quoted_spans,
    reflowed,
    sentence_spans,
    shown,
    speaks_of_the_quotation,
    unwrap,
    whole_speech_sentences,
)
from tutor.errors import DocumentError
from tutor.records import Chunk

from .conftest import BUNDLED_NOTES

MARKDOWN_NOTES = """# Loneliness in Of Mice and Men

Steinbeck shows loneliness through the ranch workers. George says: "Guys like us are the
loneliest guys in the world." Crooks is isolated because of his race.

## Curley's wife

- She has no name in the novella.
- She talks to Lennie in the barn because nobody else will listen.

> "I get lonely," she said. "You can talk to people, but I can't talk to nobody but Curley."

## How does Steinbeck show this?

Candy fears being thrown out once he is too old to work, like his dog.
"""


def _random_notes(seed: int) -> str:
    """Notes-shaped text with headings, bullets, quotes, CRLF, tabs and long paragraphs."""
    rng = random.Random(seed)
    vocabulary = [
        "Kathy",
        "Ruth",
        "Tommy",
        "Hailsham",
        "friendship",
        "carer",
        "donors",
        "memory",
        "loss",
        "hope",
        "the",
        "a",
        "of",
    ]
    parts = ["Title of the notes"]
    for _ in range(rng.randint(3, 12)):
        kind = rng.choice(["heading", "para", "list", "quote", "long", "underlined", "rule"])
        if kind == "underlined":
            parts.append(rng.choice(["Key themes\n==========", "Ruth’s role\n-----------"]))
        elif kind == "rule":
            parts.append(rng.choice(["-----", "* * *", "=========="]))
        elif kind == "heading":
            parts.append(
                rng.choice(["How does the author show this?", "Key themes", "Ruth’s role"])
            )
        elif kind == "list":
            parts.append(
                "Points:\n" + "\n".join(f"\t• item {i} " for i in range(rng.randint(1, 4)))
            )
        elif kind == "quote":
            parts.append("‘I remember,’ she said. (Kathy)")
        else:
            n = 3 if kind == "para" else 40
            sentences = [
                " ".join(rng.choice(vocabulary) for _ in range(rng.randint(3, 25))).capitalize()
                + "."
                for _ in range(rng.randint(1, n))
            ]
            parts.append(" ".join(sentences))
    return rng.choice(["\n\n", "\r\n\r\n", "\n\n\n"]).join(parts) + "\n"


def _documents():
    yield load_document(BUNDLED_NOTES)
    yield parse_document("mice.md", MARKDOWN_NOTES.encode())
    # An answer label with nothing after it on its line (its label must not take the line
    # break and give a passage that ends before it starts).
    yield parse_document("bare-label.md", b"Intro.\n\n**Q:** Who is Banquo?\n**A:**\n\nA friend.\n")
    yield parse_document("bare-label.txt", b"Intro.\n\nQ: Who is Banquo?\nA:\n\nA friend.\n")
    for seed in range(25):
        yield parse_document(f"random-{seed}.txt", _random_notes(seed).encode())


@pytest.mark.parametrize("document", list(_documents()), ids=lambda d: d.source)
def test_every_chunk_is_the_exact_span_of_its_document(document):
    chunks = chunk_document(document)
    assert chunks
    for chunk in chunks:
        assert document.text[chunk.start : chunk.end] == chunk.text
        assert chunk.text and chunk.text == chunk.text.strip()
        assert chunk.source == document.source
        assert chunk.source_sha256 == document.sha256
    assert len({c.id for c in chunks}) == len(chunks)
    # Chunks never overlap and come in document order.
    for before, after in itertools.pairwise(chunks):
        assert before.end <= after.start


def test_bundled_notes_keep_sections_lists_and_quotations():
    document = load_document(BUNDLED_NOTES)
    chunks = chunk_document(document)
    assert document.title == "Friendship in Never Let Me Go"
    lists = [c for c in chunks if c.kind == "list"]
    assert lists and lists[0].text.startswith("In Never Let Me Go Kazuo Ishiguro shows")
    assert "the way Kathy, Ruth and Tommy are reunited" in lists[0].text
    assert lists[0].section == "How is the theme of friendship shown in the novel?"
    seeking = next(c for c in chunks if "I started seeking out" in c.text)
    assert seeking.kind == "quote"
    assert seeking.section == (
        "Kathy’s determination to be a carer for past Hailsham students"
        " › How does Kazuo Ishiguro show this?"
    )
    assert "’" in document.text  # typographic quotes are kept as they are
    assert statistics.median(len(c.text) for c in chunks) < 400
    assert max(len(c.text) for c in chunks) <= 600


@pytest.mark.parametrize("width", [40, 60, 72, 100])
def test_notes_wrapped_at_a_fixed_width_are_the_same_notes(width):
    """Notes saved hard-wrapped (an editor's fill, a PDF's lines) give the same passages,
    with the same sections and kinds, and read as the original once unwrapped: no passage
    starts or ends mid-sentence where a line happened to end."""
    original = load_document(BUNDLED_NOTES)
    text = "\n".join(textwrap.fill(line, width) for line in original.text.split("\n"))
    wrapped = parse_document("notes.txt", text.encode())
    assert wrapped.text != original.text
    if width >= 50:  # narrower, a quotation's short lines might be verse: they are kept
        assert reflowed(wrapped) == original.text
    spans = [(c.start, c.end, c.kind, c.section) for c in chunk_document(wrapped)]
    assert spans == [(c.start, c.end, c.kind, c.section) for c in chunk_document(original)]


def test_a_wrapped_title_and_heading_are_read_whole():
    text = (
        "Revision notes on friendship and memory in Kazuo\nIshiguro’s Never Let Me Go\n\n"
        "Kathy’s determination to be a carer for past\nHailsham students\n\n"
        "When Kathy is a carer, she begins to seek out donors from Hailsham.\n"
    )
    document = parse_document("notes.txt", text.encode())
    assert document.title == (
        "Revision notes on friendship and memory in Kazuo Ishiguro’s Never Let Me Go"
    )
    [chunk] = chunk_document(document)
    assert chunk.section == "Kathy’s determination to be a carer for past Hailsham students"


def test_a_question_heading_right_above_its_answer_is_a_heading():
    """Notes set out as questions and answers, no blank line between ("How is Tommy
    bullied?" then its answer), give the question as the answer's section."""
    text = (
        "Revision notes on Tommy\n\n"
        "How is Tommy bullied?\n"
        "The other students tease Tommy and make him lose his temper on the sports field.\n\n"
        "Why does Kathy help him?\n"
        "Kathy feels sorry for him and tells him not to worry about his polo shirt.\n"
    )
    chunks = chunk_document(parse_document("tommy.txt", text.encode()))
    assert [(c.section, c.text[:20]) for c in chunks] == [
        ("How is Tommy bullied?", "The other students t"),
        ("Why does Kathy help him?", "Kathy feels sorry fo"),
    ]
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_question_and_answer_pairs_with_no_blank_lines_are_a_passage_each():
    """Q&A notes often run on with no blank line at all: each answer is a passage under
    its own question (without its "Q:" label), and starts after its "A:" label."""
    pairs = [
        ("Q: Who are the witches?", "A: Three supernatural figures who greet Macbeth."),
        ("Q: Why does Macbeth kill Duncan?", "A: His ambition is awakened by the prophecy."),
        ("Question 3: Who is Banquo?", "Answer 3: Macbeth's friend and fellow general."),
        ("  Q4) What is Birnam Wood?", "  A4) The forest that seems to move on Dunsinane."),
    ]
    text = "Macbeth questions\n\n" + "\n".join(f"{q}\n{a}" for q, a in pairs) + "\n"
    chunks = chunk_document(parse_document("macbeth.txt", text.encode()))
    assert [(c.section, c.text) for c in chunks] == [
        (re.split(r"[:)] ", q, maxsplit=1)[1], re.split(r"[:)] ", a, maxsplit=1)[1])
        for q, a in pairs
    ]
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_markdown_headings_in_bold_and_bold_labelled_questions_head_their_answers():
    """Markdown notes often mark a heading with bold, not "#", and run questions and
    answers on with no blank line: each answer is a passage under its own question, nested
    under the "#" heading before it, without its labels, bold or not."""
    text = (
        "# Macbeth\n\n## Act 1\n\n"
        "**Q: Who are the witches?**\nA: Three supernatural figures who greet Macbeth.\n"
        "**Q:** Why does Macbeth kill Duncan?\n**A:** His ambition is awakened.\n"
        "**Who is Banquo?**\nMacbeth's friend and fellow general.\n\n"
        "## Act 5\n\n__Birnam Wood__\n\nThe forest that seems to move on Dunsinane.\n"
    )
    chunks = chunk_document(parse_document("macbeth.md", text.encode()))
    assert [(c.section, c.text) for c in chunks] == [
        ("Act 1 › Who are the witches?", "Three supernatural figures who greet Macbeth."),
        ("Act 1 › Why does Macbeth kill Duncan?", "His ambition is awakened."),
        ("Act 1 › Who is Banquo?", "Macbeth's friend and fellow general."),
        ("Act 5 › Birnam Wood", "The forest that seems to move on Dunsinane."),
    ]
    assert all(text[c.start : c.end] == c.text for c in chunks)


@pytest.mark.parametrize("name", ["quiz.md", "quiz.txt"])
def test_an_answer_label_on_a_line_of_its_own_is_no_passage(name):
    bold = "**" if name.endswith(".md") else ""
    text = (
        f"# Macbeth quiz\n\n{bold}Q: Who is Banquo?{bold}\n\n{bold}A:{bold}\n\n"
        f"Macbeth's friend and fellow general.\n\n{bold}Q: Who kills Duncan?{bold}\n\n"
        f"{bold}A:{bold}\nMacbeth kills him in his sleep.\n"
    )
    chunks = chunk_document(parse_document(name, text.encode()))
    assert [(c.section, c.text) for c in chunks] == [
        ("Who is Banquo?", "Macbeth's friend and fellow general."),
        ("Who kills Duncan?", "Macbeth kills him in his sleep."),
    ]
    assert all(text[c.start : c.end] == c.text for c in chunks)


@pytest.mark.parametrize(
    "line",
    [
        "**Remember:**",  # a lead-in
        "**Learn this quotation.**",  # a sentence in bold
        "**Macbeth** is ambitious",  # bold words in a line
        "- **Ambition**",  # a list item
    ],
)
def test_bold_that_does_not_mark_a_heading_stays_in_its_passage(line):
    text = f"# Macbeth\n\n## Ambition\n\n{line}\nHe kills Duncan to become king.\n"
    chunks = chunk_document(parse_document("macbeth.md", text.encode()))
    assert {c.section for c in chunks} == {"Ambition"}
    assert any(line in c.text for c in chunks)


def test_a_wrapped_paragraph_with_a_line_ending_on_a_question_is_not_cut():
    paragraph = (
        "Ruth often snubs Kathy at the Cottages, and\n"
        "the reader may ask why she does it so often?\n"
        "She wants to seem like one of the veterans,\n"
        "and Kathy reminds her of the Hailsham she is\n"
        "trying to leave behind."
    )
    text = f"Notes on Ruth\n\n{paragraph}\n"
    [chunk] = chunk_document(parse_document("ruth.txt", text.encode()))
    assert chunk.text == paragraph and chunk.section == "Notes on Ruth"


def test_a_wrapped_paragraph_opening_with_a_question_is_not_cut():
    paragraph = textwrap.fill(
        "Why does Ruth snub Kathy at the Cottages so often? She wants to seem like one of "
        "the veterans, and Kathy reminds her of the Hailsham she is trying to leave behind.",
        50,
    )
    assert paragraph.split("\n")[0].endswith("?")  # the first line ends on the question
    text = f"Notes on Ruth\n\n{paragraph}\n"
    [chunk] = chunk_document(parse_document("ruth.txt", text.encode()))
    assert chunk.text == paragraph and chunk.section == "Notes on Ruth"


def test_lines_set_out_one_by_one_are_neither_a_heading_nor_joined():
    text = "Notes\n\nKey themes\nMemory and loss\nFriendship and jealousy\n\nThe end.\n"
    chunks = chunk_document(parse_document("notes.txt", text.encode()))
    themes = next(c for c in chunks if "Memory and loss" in c.text)  # indexed, not a heading
    assert unwrap(themes.text, themes.kind) == themes.text


def test_a_wrapped_list_keeps_its_items():
    items = [
        f"- Point {i}: " + "Kathy remembers Hailsham and the friends she made. " * 3
        for i in range(6)
    ]
    text = "Key points:\n" + "\n".join(textwrap.fill(item, 50) for item in items) + "\n"
    chunks = chunk_document(parse_document("points.md", text.encode()))
    assert {c.kind for c in chunks} == {"list"} and len(chunks) > 1  # long: cut between items
    shown = [unwrap(c.text, c.kind).split("\n") for c in chunks]
    assert shown[0][0] == "Key points:"  # a lead-in keeps its own line
    assert [line for lines in shown for line in lines][1:] == [item.strip() for item in items]


@pytest.mark.parametrize(
    ("text", "kind", "shown"),
    [
        (
            "Kathy is a carer who seeks out donors from\nHailsham.\n\nRuth is not.",
            "paragraph",
            "Kathy is a carer who seeks out donors from Hailsham.\n\nRuth is not.",
        ),
        ("Key themes\nMemory and loss\nFriendship and jealousy", "paragraph", None),
        ("| Chapter 1 | Kathy remembers Hailsham |\n| Chapter 2 | Ruth leads |", "paragraph", None),
        ("Three things about Hailsham matter to them:\n- the sales\n- the Exchanges", "list", None),
        (
            "Shall I compare thee\nto a summer's day?",
            "quote",
            "Shall I compare thee\nto a summer's day?",
        ),
        ("> A quotation set out as a markdown block\n> with two long lines of it", "quote", None),
        (
            "‘I remember it taking a bit of nerve on my part. But in the\nend I managed it.’",
            "quote",
            "‘I remember it taking a bit of nerve on my part. But in the end I managed it.’",
        ),
    ],
)
def test_unwrap_joins_wrapped_lines_only(text, kind, shown):
    assert unwrap(text, kind) == (shown or text)
    assert len(unwrap(text, kind)) == len(text)


@pytest.mark.parametrize(
    ("kind", "text", "quotes"),
    [
        ("quote", "… I started seeking out for my donors people from the past.", True),
        ("paragraph", "'It’ll come off.' (Kathy to Tommy)", True),
        ("paragraph", "She admits: “we’d grown up together at Hailsham” in the end.", True),
        ("paragraph", "Ruth calls him ‘The idiot! Look at him’ and laughs.", True),
        ("paragraph", "Kathy’s use of the word ‘seeking’ suggests that she searches.", False),
        ("paragraph", "Ruth’s friends and Tommy’s friends (see Chapter 3) drift apart.", False),
    ],
)
def test_passages_that_quote_the_text_are_told_apart(kind, text, quotes):
    chunk = Chunk("c1", "notes.txt", "Section", kind, text, 0, len(text))
    assert holds_quotation(chunk) is quotes


def test_a_line_after_a_lead_in_that_ends_with_its_speaker_is_a_quotation():
    # Set out without quotation marks, "…as if it cost a fortune. (Scrooge)" is still the
    # quotation "Scrooge praises Fezziwig:" introduces; one with no lead-in is prose.
    notes = textwrap.dedent(
        """\
        Scrooge and Fezziwig

        The first spirit shows him Fezziwig's party. Scrooge praises Fezziwig:

        The happiness he gives, is quite as great as if it cost a fortune. (Scrooge)

        This shows that Scrooge is beginning to understand that kindness matters.

        Fezziwig is generous to everyone at the party (Dickens)
        """
    )
    chunks = chunk_document(parse_document("carol.txt", notes.encode()))
    kinds = {c.text[:12]: c.kind for c in chunks}
    assert kinds == {
        "The first sp": "paragraph",
        "The happines": "quote",
        "This shows t": "paragraph",
        "Fezziwig is ": "paragraph",
    }


@pytest.mark.parametrize(
    ("sentence", "comments"),
    [
        ("This quotation shows that memory matters.", True),
        ("The word “forged” suggests that Marley made the chain himself.", True),
        ("The simile “solitary as an oyster” suggests a hard shell.", True),
        ("The long list of verbs ending in “-ing” suggests that he never stops.", True),
        ("The repetition of “as good a” shows how complete the change is.", True),
        ("The contrast between light and darkness shows that he knows.", True),
        ("The line between carers and donors is a thin one.", False),
        ("The word equation is: glucose and oxygen.", False),
        ("Kathy’s use of the word seeking suggests that she searches.", True),
        ("Ruth’s behaviour is partly to blame for Kathy leaving.", False),
        ("It’s these words that show it.", False),  # "It’s" is no one's
        ("The words “cost a fortune” suggest generosity.", True),  # names them
        # what someone says, referred to by who said it
        ("Polonius’s comment shows that the madness has a purpose.", True),
        ("Her reply suggests that she is hurt.", True),
        ("Kathy’s words show that she cares.", True),
        ("Polonius’s plan shows that he is a schemer.", False),  # no quotation
        ("Kathy’s response to Ruth’s cruelty shows her loyalty.", False),  # what she did
    ],
)
def test_a_comment_on_a_quotation_or_its_words_is_recognised(sentence, comments):
    assert comments_on_a_quotation(sentence) is comments


@pytest.mark.parametrize(
    ("sentence", "unnamed"),
    [
        ("This quotation shows that memory matters.", True),
        ("These lines suggest that she is afraid.", True),
        ("Polonius’s comment shows that the madness has a purpose.", True),
        ("Her reply suggests that she is hurt.", True),
        ("Kathy’s words show that she cares.", True),
        ("The word “forged” suggests that Marley made the chain himself.", False),  # names it
        ("Kathy’s use of the word seeking suggests that she searches.", False),
        ("Kathy’s response to Ruth’s cruelty shows her loyalty.", False),
    ],
)
def test_a_comment_on_a_whole_quotation_it_does_not_give_is_told_apart(sentence, unnamed):
    # Only one on the quotation as a whole, unnamed, means nothing without it.
    assert speaks_of_the_quotation(sentence) is unnamed


def test_chunk_ids_are_stable_and_change_with_content():
    first = chunk_document(load_document(BUNDLED_NOTES))
    again = chunk_document(load_document(BUNDLED_NOTES))
    assert [c.id for c in first] == [c.id for c in again]
    edited = parse_document(BUNDLED_NOTES.name, BUNDLED_NOTES.read_bytes() + b"\nOne more line.\n")
    assert not {c.id for c in chunk_document(edited)} & {c.id for c in first}


def test_markdown_headings_give_the_section_path():
    chunks = chunk_document(parse_document("mice.md", MARKDOWN_NOTES.encode()))
    sections = {c.section for c in chunks}
    assert "Curley's wife" in sections
    quote = next(c for c in chunks if c.text.startswith(">"))
    assert quote.kind == "quote"
    assert (
        next(c for c in chunks if "Candy fears" in c.text).section
        == "How does Steinbeck show this?"
    )


UNDERLINED_NOTES = """Power and Conflict Revision
===========================

Ozymandias
----------

Shelley shows that time destroys human power. The statue lies broken in the desert.

> "Look on my Works, ye Mighty, and despair!"

Context
"""

UNDERLINED_NOTES += (
    "~~~~~~~\n"
    + """Shelley was a Romantic poet.

London
------
Blake presents the city as a place of suffering.
"""
)


@pytest.mark.parametrize("name", ["poems.txt", "poems.md"])
def test_a_heading_underlined_by_a_rule_is_a_heading(name):
    notes = UNDERLINED_NOTES if name.endswith(".txt") else UNDERLINED_NOTES.replace("~", "-")
    document = parse_document(name, notes.encode())
    chunks = chunk_document(document)
    assert document.title == "Power and Conflict Revision"
    context = "Ozymandias › Context" if name.endswith(".txt") else "Context"  # "~~~" a level down
    assert [(c.section, c.text[:20]) for c in chunks] == [
        ("Ozymandias", "Shelley shows that t"),
        ("Ozymandias", '> "Look on my Works,'),
        (context, "Shelley was a Romant"),
        ("London", "Blake presents the c"),
    ]
    assert all(document.text[c.start : c.end] == c.text for c in chunks)


@pytest.mark.parametrize("name", ["notes.txt", "notes.md"])
def test_a_rule_under_prose_or_a_list_leaves_them_as_they_are(name):
    text = (
        "Notes\n\nKathy remembers Hailsham fondly and she\nthinks about it often in later life.\n"
        "-----\n- Ruth is jealous\n- Tommy has tantrums\n-----\nthe end of the notes\n-----\n"
        "Next part.\n"
    )
    chunks = chunk_document(parse_document(name, text.encode()))
    assert [(c.section, c.text) for c in chunks] == [
        ("Notes", "Kathy remembers Hailsham fondly and she\nthinks about it often in later life."),
        ("Notes", "- Ruth is jealous\n- Tommy has tantrums"),
        ("Notes", "the end of the notes"),  # not a heading: it does not read as one
        ("Notes", "Next part."),
    ]


def test_tildes_in_markdown_open_code_not_underline():
    text = "# Notes\n\nExample\n~~~\ncode line\n~~~\n"
    [chunk] = chunk_document(parse_document("notes.md", text.encode()))
    assert chunk.text == "Example\n~~~\ncode line\n~~~"


def test_numbered_headings_are_headings_and_a_list_set_out_loosely_stays_a_list():
    text = (
        "Never Let Me Go\n\n1. Friendship at Hailsham\n\nAll they have is each other.\n\n"
        "2. Ruth\n\nRuth is a leader.\n\n2.1 Ruth and Kathy\n\nKathy becomes her carer.\n\n"
        "Why Ruth snubs Kathy:\n\n1. Ruth is jealous\n\n2. The veterans impress her\n\n"
        "So Ruth acts.\n\n3) Tommy\n\nTommy is teased.\n"
    )
    document = parse_document("notes.txt", text.encode())
    chunks = chunk_document(document)
    assert [(c.section, c.kind, c.text[:18]) for c in chunks] == [
        ("Friendship at Hailsham", "paragraph", "All they have is e"),
        ("Ruth", "paragraph", "Ruth is a leader."),
        ("Ruth › Ruth and Kathy", "paragraph", "Kathy becomes her "),
        ("Ruth › Ruth and Kathy", "list", "Why Ruth snubs Kat"),  # items followed by the next
        ("Ruth › Ruth and Kathy", "list", "2. The veterans im"),  # or after the one before
        ("Ruth › Ruth and Kathy", "paragraph", "So Ruth acts."),
        ("Tommy", "paragraph", "Tommy is teased."),
    ]
    assert all(text[c.start : c.end] == c.text for c in chunks)


def test_one_numbered_line_is_no_numbering_scheme():
    text = (
        "The film of Never Let Me Go\n\nIt was released in 2010.\n\n"
        "3.5 Million viewers\n\nThat many people saw it in its first month.\n\n"
        "1. It was shown in cinemas\n2. It came out on DVD\n\nIt is still watched.\n"
    )
    chunks = chunk_document(parse_document("film.txt", text.encode()))
    assert {c.section for c in chunks} == {"The film of Never Let Me Go"}
    assert "3.5 Million viewers" in [c.text for c in chunks]


def test_a_lone_letter_opening_a_list_of_points_is_no_answer_label():
    text = (
        "Macbeth\n\nQ: Why does Macbeth kill Duncan?\n\n"
        "a)\nHis ambition.\nb) The witches' prophecy.\n"
    )
    [chunk] = chunk_document(parse_document("quiz.txt", text.encode()))
    assert chunk.text.startswith("a)\nHis ambition.")


@pytest.mark.parametrize("rule", ["---", "-----", "* * *", "***", "___", "=========="])
@pytest.mark.parametrize("name", ["notes.txt", "notes.md"])
def test_a_rule_on_its_own_separates_and_is_no_passage(name, rule):
    notes = (
        f"Ruth\n\nRuth leads the others.\n\n{rule}\n\nTommy is teased by the boys.\n"
        f"{rule}\n- Kathy comforts him.\n{rule}\nThey stay friends.\n"
    )
    chunks = chunk_document(parse_document(name, notes.encode()))
    assert [c.text for c in chunks] == [
        "Ruth leads the others.",
        "Tommy is teased by the boys.",  # a sentence above a rule is not a heading
        "- Kathy comforts him.",  # nor is a list item
        "They stay friends.",
    ]
    assert {c.section for c in chunks} == {"Ruth"}


def test_markdown_front_matter_is_no_passage_and_names_the_notes():
    notes = (
        "---\ntitle: 'Macbeth: ambition'\nauthor: Ms Shah\n---\n\n## Ambition\n\nMacbeth kills.\n"
    )
    document = parse_document("macbeth.md", notes.encode())
    [chunk] = chunk_document(document)
    assert document.title == "Macbeth: ambition"
    assert (chunk.section, chunk.text) == ("Ambition", "Macbeth kills.")
    untitled = parse_document(
        "macbeth.md", notes.replace("title: 'Macbeth: ambition'\n", "").encode()
    )
    assert untitled.title == "Ambition"  # as if the front matter were not there
    # A file opening on a rule keeps the notes after it, labelled lines included.
    for first, words in [
        ("Macbeth is brave.", ["brave"]),
        ("Q: Who is Banquo?\nA: A general.", ["Banquo", "general"]),
        ("Key quote: foul", ["foul"]),
    ]:
        ruled = chunk_document(parse_document("m.md", f"---\n{first}\n---\n\nHe kills.\n".encode()))
        kept = " ".join(f"{c.section} {c.text}" for c in ruled)
        assert all(word in kept for word in words) and ruled[-1].text == "He kills."
    # Front matter naming the notes leaves the first heading a heading.
    headed = notes.replace("## Ambition", "# Act 1\n\n## Ambition")
    [chunk] = chunk_document(parse_document("macbeth.md", headed.encode()))
    assert chunk.section == "Act 1 › Ambition"


def test_a_lead_in_keeps_the_table_it_introduces():
    notes = (
        "# Respiration\n\n## What is respiration?\n\nCells release energy from glucose.\n\n"
        "The word equation is:\n\n| reactants | products |\n|---|---|\n"
        "| glucose + oxygen | carbon dioxide + water |\n\nIt happens in mitochondria.\n"
    )
    chunks = chunk_document(parse_document("respiration.md", notes.encode()))
    [table] = [c for c in chunks if "|" in c.text]
    assert table.text.startswith("The word equation is:")
    assert table.text.endswith("carbon dioxide + water |")
    assert not any(c.text.rstrip().endswith(":") for c in chunks)  # no lead-in left alone
    assert all(notes[c.start : c.end] == c.text for c in chunks)


@pytest.mark.parametrize(
    "line, section",
    [
        ("## Learning C#", "Learning C#"),  # a "#" ending a word is the heading's own
        ("## Memory ##", "Memory"),  # closing marks, after a space, are not
        ("### Is Ruth a bully? #", "Is Ruth a bully?"),
    ],
)
def test_a_markdown_heading_loses_its_marks_and_nothing_else(line, section):
    notes = f"# Notes\n\n{line}\n\nRuth leads the others and they follow her.\n"
    chunks = chunk_document(parse_document("notes.md", notes.encode()))
    assert [c.section for c in chunks] == [section]


def test_sentence_spans_keep_attributions_and_abbreviations():
    text = "Mr. Smith left early. It felt close again... (Kathy) Later on, it rained! Did it?"
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        "Mr. Smith left early.",
        "It felt close again... (Kathy) Later on, it rained!",
        "Did it?",
    ]


def test_sentence_spans_keep_initials_and_close_markdown_emphasis():
    text = "*J. B. Priestley's play, set in 1912.* **Sheila** changes. She read T. S. Eliot."
    sentences = [text[s:e] for s, e in sentence_spans(text)]
    assert sentences == [
        "*J. B. Priestley's play, set in 1912.*",
        "**Sheila** changes.",
        "She read T. S. Eliot.",
    ]
    lone = "Neither did I. Tommy laughed. In Act V. Macbeth dies."
    assert len(sentence_spans(lone)) == 4  # a lone capital is no initial


def test_embedding_units_split_a_spliced_quotation_but_share_its_speaker():
    text = "She said: ‘The idiot! (Kathy), the students also care for each other."
    units = [text[s:e] for s, e in embedding_units(text)]
    assert units == [
        "She said: ‘The idiot! (Kathy),",
        "(Kathy), the students also care for each other.",
    ]


def test_embedding_units_cut_off_the_notes_words_before_a_spliced_quotation():
    text = (
        "The students also care for each other and offer support when it is needed, "
        "'It’s nothing to worry about,' I said before the silence got humiliating for him."
    )
    units = [text[s:e] for s, e in embedding_units(text)]
    assert units == [
        "The students also care for each other and offer support when it is needed,",
        "'It’s nothing to worry about,' I said before the silence got humiliating for him.",
    ]
    # a short lead-in stays with its quotation, and a quoted word is no quotation
    for whole in ["Ruth said: ‘The idiot!’", "Kathy’s use of the word 'seeking' matters."]:
        assert [whole[s:e] for s, e in embedding_units(whole)] == [whole]


def _paragraph_chunks(text: str) -> list[str]:
    document = parse_document("notes.txt", ("Title\n\n" + text + "\n").encode())
    return [c.text for c in chunk_document(document)]


def test_a_quotation_spoken_over_several_sentences_stays_in_one_chunk():
    analysis = " ".join(
        f"Point {n} about the friends is made in this sentence here." for n in range(5)
    )
    speech = (
        "Kathy stands by him, 'It’s nothing to worry about,' I said before the silence got "
        "humiliating for him. 'It’ll come off. If you can’t get it off yourself, then just "
        "take it to Miss Jody.' (Kathy to Tommy)."
    )
    chunks = _paragraph_chunks(f"{analysis} {speech} {analysis}")
    assert len(chunks) > 1
    holding = [c for c in chunks if "It’ll come off" in c]
    assert len(holding) == 1
    assert "I said" in holding[0] and "(Kathy to Tommy)." in holding[0]


def test_whole_speech_sentences_keep_one_speaker_s_words_together():
    text = "He fell. 'Go,' I said. 'Now. Quickly.' (Kathy to Tommy) It rained."
    assert [text[s:e] for s, e in whole_speech_sentences(text)] == [
        "He fell.",
        "'Go,' I said. 'Now. Quickly.' (Kathy to Tommy) It rained.",
    ]


def test_long_paragraphs_are_cut_into_even_groups_within_the_limit():
    sentences = [f"Sentence {n} {'word ' * (3 + n % 7)}ends here." for n in range(60)]
    chunks = _paragraph_chunks(" ".join(sentences))
    assert " ".join(chunks) == " ".join(sentences)  # every sentence once, in order
    assert all(len(c) <= 600 for c in chunks)
    lengths = [len(c) for c in chunks]
    assert max(lengths) - min(lengths) < 200  # no scrap left at the end


@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("empty.txt", b"", "is empty.*paste the notes into it"),  # what to do, too
        ("blank.md", b"  \n\n\t \n", "is empty"),
        ("binary.txt", bytes(range(256)) * 4, "binary.*save it as plain text"),
        ("latin1.txt", "café crème".encode("latin-1"), "not saved as UTF-8.*at byte 4\\)"),
        ("scan.pdf", b"%PDF-1.4 not really a pdf", "PDF"),
        ("outline.md", b"# Memory\n\n## Objects\n\n### Songs\n", "only headings"),
        ("rules.txt", b"-----\n\n* * *\n", "only lines drawn across the page"),
        ("front.md", b"---\ntitle: Macbeth\n---\n", "front matter, no notes"),
    ],
)
def test_unreadable_files_are_refused_with_a_reason(name, data, message):
    with pytest.raises(DocumentError, match=message):
        parse_document(name, data)


def test_unsupported_and_oversized_files_are_refused(tmp_path):
    docx = tmp_path / "notes.docx"
    docx.write_bytes(b"PK\x03\x04")
    with pytest.raises(DocumentError, match="unsupported file type"):
        load_document(docx)
    huge = tmp_path / "huge.txt"
    with huge.open("w") as handle:
        line = "Kathy remembers Hailsham and her friends there. " * 20 + "\n"
        while handle.tell() < 20 * 1024 * 1024:
            handle.write(line)
    with pytest.raises(DocumentError, match=r"20\.0 MB, over the 5 MB limit"):
        load_document(huge, max_mb=5)


def test_pdf_text_keeps_page_numbers():
    pdf = _pdf(
        [
            [("F1", 12, 720, "Kathy becomes a carer.")],
            [("F1", 12, 720, "Ruth and Tommy meet again at Dover.")],
        ]
    )
    document = parse_document("notes.pdf", pdf)
    chunks = chunk_document(document)
    dover = next(c for c in chunks if "Dover" in c.text)
    assert dover.page == 2
    assert document.text[dover.start : dover.end] == dover.text


@pytest.mark.parametrize("algorithm", ["RC4-128", "AES-128", "AES-256"])
def test_a_password_protected_pdf_says_so_and_one_locked_only_against_editing_reads(
    algorithm,
):
    from pypdf import PdfReader, PdfWriter

    def locked(user_password: str) -> bytes:
        writer = PdfWriter(clone_from=PdfReader(io.BytesIO(_pdf([[line]]))))
        writer.encrypt(user_password, owner_password="teacher", algorithm=algorithm)
        out = io.BytesIO()
        writer.write(out)
        return out.getvalue()

    line = ("F1", 12, 720, "Kathy becomes a carer.")
    assert "Kathy becomes a carer." in parse_document("handout.pdf", locked("")).text
    with pytest.raises(DocumentError, match=r"password-protected.*save a copy without"):
        parse_document("exam.pdf", locked("secret"))
    # Said once, by us, not also as pypdf's warnings on stderr (in a process of its own:
    # pytest's log capture would hide them here).
    read_cut = (
        "import sys\nfrom tutor.documents import parse_document\n"
        "try:\n    parse_document('cut.pdf', sys.stdin.buffer.read())\n"
        "except Exception as exc:\n    print(exc)\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", read_cut], input=_pdf([[line]])[:60], capture_output=True
    )
    assert b"not a readable PDF" in run.stdout and run.stderr == b""


def test_a_paragraph_running_over_a_page_break_stays_one_passage():
    first = [("F1", 12, 720, "Despite their differences, Kathy decides that the right thing")]
    second = [
        ("F1", 12, 720, "to do would be to become a carer for Ruth. She does all she can"),
        ("F1", 12, 706, "to be assigned to her."),
        ("F1", 12, 680, "Ruth and Tommy meet again at Dover."),
    ]
    document = parse_document("notes.pdf", _pdf([first, second]))
    carer, dover = chunk_document(document)
    assert " ".join(carer.text.split()) == (
        "Despite their differences, Kathy decides that the right thing to do would be to "
        "become a carer for Ruth. She does all she can to be assigned to her."
    )
    assert (carer.page, dover.page) == (1, 2)
    assert document.page_at(document.text.index("to do would")) == 2


def test_pdf_layout_gives_headings_and_paragraphs():
    """A PDF has only lines on a page; plain extraction runs a heading into the next
    paragraph and paragraphs into each other. Larger or bold type starts a heading, and a
    gap wider than the line spacing starts a paragraph, as blank lines do in a text file."""
    lines = [
        ("F2", 20, 740, "Friendship in Never Let Me Go"),  # the title, larger and bold
        ("F1", 12, 710, "The students at Hailsham argue with each other and make up"),
        ("F1", 12, 696, "again. Friendships are very important to them."),
        ("F1", 12, 672, "Ruth is a typical leader, the girl many other students look"),
        ("F1", 12, 658, "up to."),
        ("F2", 12, 630, "How does Kazuo Ishiguro show this?"),  # bold, the body's size
        ("F1", 12, 610, "Kathy seeks out donors who used to go to Hailsham School."),
    ]
    document = parse_document("notes.pdf", _pdf([lines]))
    assert document.title == "Friendship in Never Let Me Go"
    chunks = chunk_document(document)
    assert [(c.section, " ".join(c.text.split())) for c in chunks] == [
        (
            "Friendship in Never Let Me Go",
            "The students at Hailsham argue with each other and make up again. "
            "Friendships are very important to them.",
        ),
        (
            "Friendship in Never Let Me Go",
            "Ruth is a typical leader, the girl many other students look up to.",
        ),
        (
            "How does Kazuo Ishiguro show this?",
            "Kathy seeks out donors who used to go to Hailsham School.",
        ),
    ]
    for chunk in chunks:
        assert document.text[chunk.start : chunk.end] == chunk.text


def _pdf(pages: list[list[tuple[str, int, int, str]]]) -> bytes:
    """A minimal valid PDF (no PDF library needed): each page a list of lines, each line
    (font, size, y, text) with F1 Helvetica and F2 Helvetica-Bold."""
    kids = " ".join(f"{3 + 2 * i} 0 R" for i in range(len(pages)))
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        f"<< /Type /Pages /Kids [{kids}] /Count {len(pages)} >>",
    ]
    fonts = " ".join(
        f"/{name} << /Type /Font /Subtype /Type1 /BaseFont /{face} >>"
        for name, face in (("F1", "Helvetica"), ("F2", "Helvetica-Bold"))
    )
    for lines in pages:
        page = len(objects) + 1
        objects.append(
            f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents {page + 1} 0 R "
            f"/Resources << /Font << {fonts} >> >> >>"
        )
        stream = " ".join(
            f"BT /{font} {size} Tf 72 {y} Td ({text}) Tj ET" for font, size, y, text in lines
        )
        objects.append(f"<< /Length {len(stream)} >>\nstream\n{stream}\nendstream")
    out, offsets = b"%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n".encode()
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return out


@pytest.mark.parametrize(
    ("markdown", "read"),
    [
        (
            "Memory is the **central theme** of the *novel*.",
            "Memory is the central theme of the novel.",
        ),
        ("It is __all__ she _has_ left.", "It is all she has left."),
        ("## Memory as comfort ##", "Memory as comfort"),
        (
            "> The memories I value most,\n> I don't see them fading.",
            "The memories I value most,\nI don't see them fading.",
        ),
        ("- selective\n* coloured\n+ identity", "• selective\n• coloured\n• identity"),
        (
            "See [the guide](https://example.org/x) or <https://example.org>.",
            "See the guide (https://example.org/x) or https://example.org.",
        ),
        (
            "| Object | Meaning |\n|---|:---:|\n| tape | longing |",
            "Object · Meaning\ntape · longing",  # no space left by the outer bars
        ),
        (
            "Use `**` for bold and \\*stars\\* for *nothing*.",
            "Use ** for bold and *stars* for nothing.",
        ),
        ("Her story is told *in\nretrospect*.", "Her story is told in\nretrospect."),
        ("~~Ruth~~ Kathy", "Ruth Kathy"),
        ("Ozymandias\n==========\n\nTime wins.", "Ozymandias\n\nTime wins."),
        # not markdown syntax: left as written
        ("2 * 3 * 4, snake_case_name, a | b, 5 - 3", "2 * 3 * 4, snake_case_name, a | b, 5 - 3"),
        ("*not closed and **not either", "*not closed and **not either"),
    ],
)
def test_markdown_syntax_is_hidden_from_what_students_read(markdown, read):
    assert visible(unmark(markdown)) == read


@pytest.mark.parametrize("seed", range(40))
def test_unmark_keeps_every_offset(seed):
    """Shown text is as long as the notes and changes only syntax characters, so a quote's
    offsets into the notes mark the same words in it."""
    rng = random.Random(seed)
    pieces = ["**", "*", "_", "__", "`", "> ", "- ", "# ", "[", "](", ")", "|", "---", "\\", "~~"]
    text = "".join(
        rng.choice(pieces)
        if rng.random() < 0.3
        else rng.choice(["Kathy ", "Ruth", "\n", "\n\n", ". "])
        for _ in range(200)
    ) + _random_notes(seed)
    out = unmark(text)
    assert len(out) == len(text)
    assert all(o == t or o in (HIDDEN, "•", "·", " ") for o, t in zip(out, text, strict=True))
    assert all(t in "*_`>-#[]|\\~+= " for o, t in zip(out, text, strict=True) if o != t)


def test_markdown_notes_give_plain_sections_and_shown_text_but_verbatim_passages():
    notes = (
        "# *Loneliness* in Of Mice and Men\n\n## **Curley's** wife\n\n"
        'She is **lonely** and talks to *Lennie*.\n\n> "I get lonely," she said.\n'
    )
    document = parse_document("mice.md", notes.encode())
    assert document.title == "Loneliness in Of Mice and Men"
    chunks = chunk_document(document)
    assert [c.section for c in chunks] == ["Curley's wife"] * 2
    for chunk in chunks:
        assert document.text[chunk.start : chunk.end] == chunk.text  # citations stay verbatim
    assert "**lonely**" in chunks[0].text
    assert visible(shown(chunks[0])) == "She is lonely and talks to Lennie."
    assert visible(shown(chunks[1])) == '"I get lonely," she said.'
    whole = visible(reflowed(document))
    assert "*" not in whole and "#" not in whole and ">" not in whole
    # a .txt file is not markdown: its stars are the teacher's own characters
    plain = parse_document("mice.txt", notes.encode())
    assert "**lonely**" in shown(chunk_document(plain)[0])


def test_files_the_tutor_cannot_cite_get_a_reason_that_says_what_to_do(tmp_path):
    with pytest.raises(DocumentError, match=r"saved as UTF-16.*save it with the encoding UTF-8"):
        parse_document("notes.txt", "Ruth hurts Kathy.".encode("utf-16"))
    latin1_name = b"r\xe9vision.txt".decode("utf-8", "surrogateescape")  # as the OS hands it
    with pytest.raises(DocumentError, match=r"name is not in UTF-8.*rename it"):
        parse_document(latin1_name, b"Ruth hurts Kathy.")
    # an open Word document's lock file is not notes, as a hidden file is not
    for name in ("notes.txt", "~$notes.txt", ".notes.txt.swp", ".DS_Store"):
        (tmp_path / name).write_bytes(b"Ruth hurts Kathy.")
    assert [p.name for p in list_note_files(tmp_path, every_type=True)] == ["notes.txt"]


def test_the_quoted_spans_of_a_passage_mixing_notes_and_quotations():
    """Runs in quotation marks (apostrophes inside), and what comes before a speaker back
    to the mark opening it, or to its sentence's start when there is none."""
    text = (
        "The friends quarrel, ‘You fool! (Ruth), yet they help too, 'It’s fine,' I said. "
        "'Don’t worry.' (Kathy to Tommy). Later Kathy is moved,My heart leapt (Kathy)"
    )
    found = [text[start:end] for start, end in quoted_spans(text)]
    assert "‘You fool! (Ruth)" in found
    assert "'It’s fine,'" in found
    assert "'Don’t worry.'" in found
    assert "'Don’t worry.' (Kathy to Tommy)" in found
    assert "Later Kathy is moved,My heart leapt (Kathy)" in found
    assert not any("yet they help" in span for span in found)
    assert len(found) == 5  # the four above, and the speech in marks before its speaker
    assert quoted_spans("The notes say nothing in marks, and name no speaker.") == []
    assert quoted_spans("Ishiguro assesses it (AO2) here.") == []  # a label, no speaker
    # a quotation closed before the commentary: the commentary is no speech
    closed = "Ruth calls him ‘an idiot’ and then says it is fine (Ruth)."
    assert next(closed[s:e] for s, e in quoted_spans(closed)) == "‘an idiot’"
    assert all(not closed[s:e].startswith("Ruth calls") for s, e in quoted_spans(closed))
    emphasis = "Ruth snaps, *'You fool'* (Ruth)"
    assert "'You fool'* (Ruth)" in [emphasis[s:e] for s, e in quoted_spans(emphasis)]
    # marks never closed are read in linear time (a 100 kB text: well under a second)
    assert quoted_spans("‘a’b " * 20000) is not None
