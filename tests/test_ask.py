"""Asking: retrieval, follow-ups, abstention, verbatim citations, and bad questions."""

from __future__ import annotations

import dataclasses
import functools
import os
import re
import shutil
import subprocess
import sys
import textwrap
from collections import Counter

import numpy as np
import pytest

from tutor.answer import (
    ANSWER_CHARS,
    IN_SHORT,
    NEEDS_A_QUESTION,
    NO_QUOTATION_ON_THIS,
    NOTHING_FURTHER,
    NOTHING_MORE,
    POINT_CHARS,
    QUOTATION_LABEL,
    Draft,
    ExtractiveAnswerer,
    asks_for_another_quotation,
    lacks_the_quotation_asked,
    md_escape,
    plain_text,
    small_talk_reply,
)
from tutor.asking import (
    ASKS_FOR_PARAGRAPH,
    ASKS_FOR_QUOTATION,
    ASKS_HOW_IT_CAME_ABOUT,
    ASKS_TO_ANALYSE_LANGUAGE,
    ASKS_WHO_WROTE,
    SCREEN_STEMS,
    TOPIC_STEMS,
    asks_about_screen,
    asks_about_the_title,
    asks_for_a_count,
    asks_for_a_date,
    asks_for_other_themes,
    asks_for_other_works,
    asks_of_a_fate,
    asks_only_for_the_people,
    asks_what_a_quotation_shows,
    asks_what_it_shows,
    asks_who_said_it,
    bare_requests,
    counted_points,
    does_arithmetic,
    essay_end_asked,
    plain_question,
    quotation_named,
    quotations_counted,
    said_by,
    topics_asked,
    turns_to_a_subject,
    where_in_notes_asked,
)
from tutor.conversation import (
    ANOTHER_ELSEWHERE,
    AS_A_PARAGRAPH,
    DECLINED,
    HEDGE,
    NO_OTHER_QUOTATION,
    NO_QUOTATION_HERE,
    NOT_SAID,
    PARAGRAPH_LABELS,
    Query,
    after_preamble,
    answer_items,
    answered,
    asks_what_next,
    build_query,
    chained_query,
    evidence_claim,
    in_own_words,
    is_follow_up,
    listed_item_asked,
    meant_anew,
    new_subject,
    other_pointed_at,
    pointed_at,
    points_back,
    previous_question,
    quotation_topic,
    restated_pointer,
    told_point,
    what_next_asked,
    without_hedge,
)
from tutor.documents import (
    WHOLE_CHARS,
    chunk_document,
    holds_quotation,
    parse_document,
    quotes_the_text,
    spliced_speech,
)
from tutor.errors import UsageError
from tutor.lexical import (
    LexicalIndex,
    leans_back,
    leans_on,
    list_items,
)
from tutor.records import Chunk, Citation, Passage
from tutor.retrieve import (
    _TURNS_TO_SOMEONE,
    ASKS_FOR_A_FIGURE,
    ASKS_OF_THE_END,
    CONCLUSION_BONUS,
    GIVES_A_REASON,
    LEANED_ON_WEIGHT,
    TELLS_OF_THE_END,
    _discounted,
    asks_of_a_word,
    asks_who,
    asks_who_is,
    asks_who_wrote_the_work,
    carry_over,
    chosen_file,
    compared_names,
    counting_first,
    counts_it,
    dates_it,
    defines,
    defines_term,
    figure_on,
    figure_subjects,
    fuse,
    is_answerable,
    is_sure,
    names_the_quotation,
    overview_of,
    pair_asked,
    people_asked_about,
    prefer_conclusion,
    prefer_quotations,
    quotations_beside,
    quotations_of,
    quotes_from,
    quotes_in_marks,
    reading_of_top_quotation,
    said_to_asked,
    sets_beside_the_unknown,
    speaker_asked,
    term_asked,
    token_weights,
    with_definitions,
    words_quoted,
)
from tutor.tutor import (
    _IN_A_WORK,
    ALSO_QUOTED,
    FEWER_QUOTATIONS_LEAD,
    Tutor,
    _place_in_the_notes,
)
from tutor.words import (
    SpellingCorrector,
    asks_how_hard,
    content_words,
    edit_distance,
    events_repeated,
    in_single_words,
    meanings_of_a_circumstance,
    question_terms,
    sound_key,
    stems,
    subjects,
    with_phrasals_meant,
    with_words_meant,
    without_asking_like,
)

from .conftest import BUNDLED_NOTES


@pytest.fixture
def ready(tutor):
    tutor.sync()
    return tutor


def _assert_first_passage_says(tutor, questions, said):
    """Each question's first passage says `said`, and its answer's citations are verbatim."""
    for question in questions:
        answer = tutor.ask(question)
        assert said in answer.passages[0].chunk.text, question
        _assert_citations_verbatim(tutor, answer)


def _assert_citations_verbatim(tutor, answer):
    markers = {int(n) for n in re.findall(r"\[(\d+)\]", answer.answer)}
    assert markers == {c.n for c in answer.citations}
    for citation in answer.citations:
        chunk = citation.passage.chunk
        source_text = tutor.documents[chunk.source].text
        assert source_text[chunk.start : chunk.end] == chunk.text
        assert source_text[citation.quote_start : citation.quote_end] == citation.quote
        assert citation.quote in chunk.text


def test_notes_saved_hard_wrapped_give_the_same_answers(tutor, knowledge):
    """A teacher's notes wrapped at 72 columns (as a plain-text editor saves them) are
    searched and answered as the same notes: line ends are neither sentence ends nor
    line breaks in the answer."""
    questions = [
        "Why are the friendships at Hailsham so intense?",
        "How does Ishiguro present Ruth?",
        "Where does Kathy see Ruth again?",
    ]
    before = [tutor.ask(q).answer for q in questions]
    notes = knowledge / BUNDLED_NOTES.name
    text = notes.read_text(encoding="utf-8")
    notes.write_text("\n".join(textwrap.fill(line, 72) for line in text.split("\n")), "utf-8")
    tutor.sync()
    after = [tutor.ask(q) for q in questions]
    assert [a.answer for a in after] == before
    for answer in after:
        assert any("\n" in c.quote for c in answer.citations)  # quoted from wrapped lines
        _assert_citations_verbatim(tutor, answer)


def test_friendship_question_is_answered_with_verbatim_citations(ready):
    answer = ready.ask("How is friendship shown in the novel?")
    assert answer.answerable
    assert answer.citations and "[1]" in answer.answer
    assert "reunited near the end of the novel" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)
    # Every sentence of the answer outside our own framing words is a quote of a citation.
    for citation in answer.citations:
        assert md_escape(citation.quote).split("  \n")[0] in answer.answer
    assert 2 <= len(answer.follow_ups) <= 3
    assert set(answer.timings_ms) == {"retrieve", "answer", "total"}


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("Where does Kathy see Ruth again?", "recovery centre in Dover"),
        ("how is frendship shwon", "reunited near the end of the novel"),
        ("What does Kathy say to Tommy when he is humiliated?", "It’s nothing to worry about"),
    ],
)
def test_the_right_passage_comes_first(ready, question, evidence):
    answer = ready.ask(question)
    assert answer.answerable
    assert evidence in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    "question",
    [
        "Which quotation shows Kathy picking her old schoolmates as donors?",
        "Which quotation shows Kathy wanted to care for people she knew at school?",
        # "which line" asks for the novel's words as "which quotation" does
        "Which line shows Kathy choosing donors she went to school with?",
    ],
)
def test_a_request_for_a_quotation_puts_the_novel_s_words_first(ready, question):
    # Without the preference the notes' commentary ("When Kathy is a carer and begins…")
    # comes first: it is closer in meaning, but it is not what was asked for.
    top = ready.ask(question).passages[0].chunk
    assert "I started seeking out for my donors" in top.text


SEEKING_QUOTATION = [
    {"role": "user", "content": "Which quotation shows Kathy choosing donors from Hailsham?"},
    {"role": "assistant", "content": "… I started seeking out for my donors people from the past"},
]


@pytest.mark.parametrize(
    ("question", "history"),
    [
        ("What does Kathy picking donors she knew reveal about her?", []),
        ("What does Kathy wanting Hailsham donors show about her?", []),
        ("what does that tell us about her?", SEEKING_QUOTATION),
        # Asked why, a quotation from the novel (what she does) does not say why: the
        # notes' comment on it does (since stop 27).
        ("Why does Kathy seek out people from Hailsham?", []),
    ],
)
def test_asked_what_something_shows_the_comment_on_it_comes_first(ready, question, history):
    # Without the preference the point ("When Kathy is a carer…") or the quotation comes
    # first: both share more of the question's words than the comment that answers it.
    top = ready.ask(question, history).passages[0].chunk
    assert top.text.startswith("Kathy’s use of the word seeking suggests")


@pytest.mark.parametrize(
    "question",
    ["Why does Kathy choose to become Ruth's carer?", "How come Kathy ends up as Ruth's carer?"],
)
def test_asked_why_the_passage_that_explains_comes_before_the_notes_opening(ready, question):
    # Without the preference the opening's "…by the end of the novel, Kathy has become
    # Ruth’s carer…" comes first: it says what happens, closer in words, not why.
    top = ready.ask(question).passages[0].chunk
    assert "Kathy decides that the right thing to do" in top.text
    # A reason that only the opening gives still comes first.
    top = ready.ask("Why are the friendships at Hailsham so intense?").passages[0].chunk
    assert top.section == top.title and "all they have is each other" in top.text


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What does the word 'calmly' suggest about Hyde?", True),
        ("What does his reaction tell us about science?", True),
        ("what does this show about her", True),
        ("What does the word 'serpent' suggest?", True),  # ending on what it asks
        ("What does the imagery in 'Stars, hide your fires' show?", True),
        ("what does kathys word choice tell us when she talks about her donors", True),
        ("What does the novel suggest?", False),
        ("What does the Ghost of Christmas Past show Scrooge?", False),  # what he is shown
        ("What does Ruth tell Kathy when they argue?", False),  # what she says
        ("What does his wordy reply tell us when he leaves?", False),  # "wordy" is no word
        ("What does the novel suggest about memory?", False),  # a theme
        ("What does Kazuo Ishiguro show about friendship?", False),  # a name alone
        ("What does the Doctor say about Lady Macbeth?", False),  # his words, not a comment
        ("How is friendship shown?", False),
        # which of the text's words shows it: the notes' comment on a word answers
        ("which word shows she's doing it on purpose?", True),
        ("What verb suggests Kathy searches for them?", True),
        ("Which line shows Kathy cares about Ruth?", False),  # the novel's line itself
        ("Which quotation shows Kathy and Tommy becoming close again?", False),
        # the moment named after "that": "it" only stands in for it
        ("what does it show that kathy picks donors from hailsham?", True),
        ("What does this show that Kathy picks donors?", True),
        ("what does it show when kathy picks donors", True),
        ("What does it say that they were reunited?", False),  # "say": the notes' words
    ],
)
def test_what_asks_what_something_shows(question, asks):
    assert asks_what_it_shows(question) is asks


def test_a_quotation_far_off_the_topic_does_not_jump_ahead():
    commentary = Chunk("c1", "n.txt", "S", "paragraph", "Kathy seeks out donors.", 0, 23)
    quotation = Chunk("c2", "n.txt", "S", "quote", "… I started seeking out donors.", 30, 61)
    close = prefer_quotations([Passage(commentary, 1.5), Passage(quotation, 0.8)])
    assert [p.chunk.id for p in close] == ["c2", "c1"]
    far = prefer_quotations([Passage(commentary, 2.0), Passage(quotation, 0.4)])
    assert [p.chunk.id for p in far] == ["c1", "c2"]


FEZZIWIG_NOTES = """\
Scrooge in A Christmas Carol

Scrooge at the start

In Stave One Scrooge is a cold, greedy old man who cares only about money.

The Ghost of Christmas Past

The first spirit takes Scrooge back to the happy Christmas party held by his old master
Fezziwig. Scrooge praises Fezziwig:

The happiness he gives, is quite as great as if it cost a fortune. (Scrooge)

This shows that Scrooge is beginning to understand that kindness matters more than money.

Scrooge at the end

In Stave Five Scrooge wakes up full of joy and sends a turkey to the Cratchits.
"""


def _fezziwig_index() -> LexicalIndex:
    return LexicalIndex(chunk_document(parse_document("carol.txt", FEZZIWIG_NOTES.encode())))


def test_a_quotation_and_the_comment_on_it_lean_on_the_point_before_them():
    lexical = _fezziwig_index()
    point, quotation, comment = (
        next(c for c in lexical.chunks if c.text.startswith(opening))
        for opening in ("The first spirit", "The happiness", "This shows")
    )
    assert leans_on(point, quotation) == "quotation"
    assert leans_on(quotation, comment) == "comment"
    assert leans_on(comment, lexical.chunks[lexical.position[comment.id] + 1]) is None
    # A point scoring 2.0 lifts its quotation to 1.8 when a quotation is asked for, and
    # the comment on the quotation to 1.62 (2.0 x 0.9 x 0.9) whatever is asked.
    asked = {p.chunk.id: p.score for p in carry_over([Passage(point, 2.0)], lexical, True)}
    assert asked == {point.id: 2.0, quotation.id: 1.8, comment.id: 1.62}
    other = {p.chunk.id: p.score for p in carry_over([Passage(point, 2.0)], lexical, False)}
    assert other == {point.id: 2.0, comment.id: 1.62}
    # A passage ranked higher on its own keeps its own score.
    kept = carry_over([Passage(point, 2.0), Passage(comment, 1.9)], lexical, False)
    assert [(p.chunk.id, p.score) for p in kept] == [(point.id, 2.0), (comment.id, 1.9)]


def test_asked_for_one_quotation_the_notes_reading_of_it_comes_next():
    lexical = _fezziwig_index()
    point, quotation, comment, other = (
        next(c for c in lexical.chunks if c.text.startswith(opening))
        for opening in ("The first spirit", "The happiness", "This shows", "In Stave One")
    )
    # The bonus for quotations had put another passage quoting the text second; the
    # comment on the quotation given comes there.
    ranked = [Passage(quotation, 2.0), Passage(other, 1.9), Passage(point, 1.0)]
    ranked.append(Passage(comment, 0.5))
    read = reading_of_top_quotation(ranked, lexical)
    assert [p.chunk.id for p in read] == [quotation.id, comment.id, other.id, point.id]
    # With no comment after it, the point it illustrates comes next.
    lexical.leaning.pop(lexical.position[quotation.id])
    read = reading_of_top_quotation(ranked[:3], lexical)
    assert [p.chunk.id for p in read] == [quotation.id, point.id, other.id]
    # A top passage quoting nothing is left where it is.
    assert reading_of_top_quotation(ranked[1:], lexical) == tuple(ranked[1:])


def test_the_actual_line_where_something_is_said_is_that_quotation(ready):
    for question in (
        "What is Kathy's actual line about choosing donors she knew?",
        # "of Kathy" is hers as "Kathy's" is (not "the actual line of argument")
        "Please give me the exact words of Kathy about choosing her donors.",
    ):
        answer = ready.ask(question)
        assert "I started seeking out for my donors" in answer.passages[0].chunk.text
        assert "I started seeking out for my donors" in answer.citations[0].quote


def test_asked_which_line_the_answer_reads_the_quotation_it_gives(ready):
    answer = ready.ask("Which line shows Kathy choosing donors she went to school with?")
    first, second = (c.passage.chunk.text for c in answer.citations[:2])
    assert "I started seeking out for my donors" in first
    assert second.startswith("Kathy’s use of the word seeking")
    # "which line of Kathy's narration…": the passage on her choosing had come first, and
    # the quotation was not among the passages at all
    narration = ready.ask(
        "Which line of Kathy's narration shows her choosing patients from her own background?"
    )
    assert "I started seeking out for my donors" in narration.passages[0].chunk.text


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Which line shows Kathy cares about Ruth?", True),
        ("what key line shows their friendship", True),
        ("need the exact line where kathy sees tommy again", True),
        ("What's the actual line where Kathy says she chose them?", True),
        ("what are Ruth's precise words about him", True),
        ("what's the actual wording and why?", False),  # the notes' wording, not a quotation
        ("what are some precise words I could use to describe Tommy", False),
        ("can you explain it in more precise words", False),
        ("what is the actual line of argument here?", False),
        ("the actual words of the exam question are these", False),
        ("please give me the exact words of Kathy about choosing her donors", True),
        ("the precise words of her speech to Tommy", True),
        ("what is the actual line of thought here?", False),
        ("what is the actual line of best fit", False),
        ("the exact words of each question", False),
        ("Give me a line that shows Ruth is unkind", True),
        ("What does the line 'My heart had done a little leap' show?", False),  # named
        ("What line of argument could I take?", False),
        ("Is there a fine line between love and friendship?", False),
        ("what line should my essay take?", False),
        ("sum Ruth up in a line that I can remember", False),
        ("which line on the graph shows the pressure?", False),
        ("Which line of Kathy's narration shows her choosing patients?", True),
        ("what line of the novel shows they are still close", True),
        ("which line of the graph is steeper?", False),
        ("which line of argument is strongest?", False),
        ("Prove it with her own words.", True),  # someone's words
        ("how does Kathy put it in her own words", True),
        ("what happens, in Kathy's words?", True),
        ("can you explain it in my own words", False),
        ("in other words, is she kind?", False),
        ("sum it up in your own words", False),
        ("How does Ruth hurt Kathy with her words?", False),
        ("What does Ishiguro show in Ruth's words and actions?", False),
    ],
)
def test_a_line_of_the_novel_is_a_quotation_asked_for(question, asks):
    assert bool(ASKS_FOR_QUOTATION.search(question)) is asks


@pytest.mark.parametrize(
    ("before", "after", "how"),
    [
        ("Scrooge is mean.", "He refuses to give money to the poor.", "comment"),
        ("Scrooge is mean.", "However, Fred forgives him.", "comment"),
        ("Scrooge is mean.", "Fred tells Scrooge that he will visit again.", None),
        ("“Bah! Humbug!” (Scrooge)", "The word “Humbug” suggests scorn.", "comment"),
        ("Scrooge is mean.", "The image shows a cold, dark office.", None),  # no quotation
        ("Scrooge is mean.", "The quotation shows his scorn.", "comment"),
    ],
)
def test_what_a_passage_leans_on(before, after, how):
    first = Chunk("a", "n.txt", "S", "paragraph", before, 0, len(before))
    start = len(before) + 2
    second = Chunk("b", "n.txt", "S", "paragraph", after, start, start + len(after))
    assert leans_on(first, second) == how
    elsewhere = Chunk("b", "n.txt", "Other", "paragraph", after, start, start + len(after))
    assert leans_on(first, elsewhere) is None  # another section


def test_a_quotation_or_comment_that_does_not_name_its_subject_is_found(tutor, knowledge):
    # Only the point names Fezziwig: the quotation and the comment on it were found for
    # no question about him (neither came in the top six).
    (knowledge / "carol.txt").write_text(FEZZIWIG_NOTES, encoding="utf-8")
    tutor.sync()
    quote = tutor.ask("quote about fezziwig")
    assert quote.passages[0].chunk.text.startswith("The happiness he gives")
    learnt = tutor.ask("What does Scrooge learn from remembering Fezziwig's party?")
    assert any(p.chunk.text.startswith("This shows") for p in learnt.passages[:2])
    assert "kindness matters more than money" in learnt.answer


@pytest.mark.parametrize("top_k", [6, 2])
def test_evidence_commenting_on_a_quotation_brings_the_quotation(settings, embeddings, top_k):
    # "Kathy’s use of the word seeking suggests…" comments on the quotation before it; as
    # evidence it came without it (the quotation ranked too low to be shown), even when
    # the quotation is not among the passages retrieved at all (top 2).
    tutor = Tutor(dataclasses.replace(settings, top_k=top_k), embeddings=embeddings)
    answer = tutor.ask("What does Kathy do once she can choose her own patients?")
    assert "Kathy’s use of the word seeking suggests" in answer.answer
    assert "I started seeking out for my donors" in answer.answer
    assert len(answer.passages) == top_k
    _assert_citations_verbatim(tutor, answer)


def test_an_answer_quotes_a_character_s_words_whole(ready):
    answer = ready.ask("How does Kathy comfort Tommy when he is embarrassed?")
    point = answer.answer.split("[1]")[0]
    assert "It’s nothing to worry about" in point and "take it to Miss Jody" in point
    _assert_citations_verbatim(ready, answer)


def test_a_request_for_a_quotation_is_judged_covered_on_what_it_asks_one_on(ready):
    # The request's own words ("Which quotation would you use to show…") had kept it far
    # from every sentence of the notes, and it was declined.
    asked = "Which quotation would you use to show the students being unkind to each other?"
    assert quotation_topic(asked) == "the students being unkind to each other?"
    answer = ready.ask(asked)
    assert answer.answerable and answer.citations
    assert not ready.ask("Give me a quote from Romeo and Juliet about love").answerable
    assert not ready.ask("give me a quote about the film").answerable
    assert quotation_topic("any quotes?") is None  # nothing of its own to ask one on


def test_asked_for_a_quotation_spliced_into_the_notes_words_the_answer_gives_the_speech(ready):
    # The notes paste Kathy's words to Tommy after a garbled lead-in on quarrels; asked
    # for that quotation, the answer sets out her words alone, cited at their offsets.
    answer = ready.ask("Give me the quotation where Kathy reassures Tommy")
    assert answer.answer.startswith(f"{QUOTATION_LABEL}> 'It’s nothing to worry about,'")
    assert answer.citations[0].quote.startswith("'It’s nothing to worry about,'")
    assert answer.citations[0].quote.endswith("(Kathy to Tommy).")
    _assert_citations_verbatim(ready, answer)
    # The quotation in the lead-in answers a question on Ruth laughing: the sentence stays.
    laughing = ready.ask("quote where ruth laughs at tommy")
    assert "‘The idiot!" in laughing.citations[0].quote


@pytest.mark.parametrize(
    ("text", "speech"),
    [
        (
            "Kathy is kind to him when he is upset, 'Go on,' I said. 'Now.' (Kathy to Tommy).",
            "'Go on,' I said. 'Now.' (Kathy to Tommy).",
        ),
        # the last quotation spliced in, with only its own attribution after it
        (
            "Ruth mocks: ‘Fool! (Ruth), yet the others stay kind to him, 'Fine,' I said. (Kathy)",
            "'Fine,' I said. (Kathy)",
        ),
        ("Kind, 'Go,' I said. (Kathy)", None),  # too few of the notes' words before it
        ("'Go,' I said. (Kathy)", None),  # a speech already
        ("Kathy is kind to him when he is upset, 'Go on,' I said.", None),  # no attribution
    ],
)
def test_where_a_speech_spliced_into_the_notes_words_starts(text, speech):
    at = spliced_speech(text)
    assert (None if at is None else text[at:]) == speech
    # the same sentence further into a passage
    before = "Kathy is a good friend. "
    at = spliced_speech(before + text, len(before))
    assert (None if at is None else (before + text)[at:]) == speech


def test_a_speech_is_cut_out_only_of_a_point_that_is_that_one_sentence(tutor, knowledge):
    # Cut out of a point of several sentences, the speech had run on from the sentence
    # before it with the notes' words between dropped, under one marker.
    (knowledge / BUNDLED_NOTES.name).unlink()
    (knowledge / "kind.txt").write_text(
        "Kathy as a friend\n\nKathy is a patient friend to the boys at the school. When the "
        "other boys play a cruel trick on Tommy, Kathy stays calm with him, 'It's nothing to "
        "worry about,' I said. 'It'll come off.' (Kathy to Tommy). This shows her kindness.\n",
        encoding="utf-8",
    )
    tutor.sync()
    answer = tutor.ask("Give me the quotation where Kathy reassures Tommy")
    assert "It's nothing to worry about" in answer.answer
    if "patient friend" in answer.answer:  # the sentences around it, then whole
        assert "Kathy stays calm with him, 'It's nothing" in answer.answer
    _assert_citations_verbatim(tutor, answer)


def _passage(rank: int, text: str) -> Passage:
    start = 1000 * rank
    return Passage(
        Chunk(f"p{rank}", "notes.txt", "Notes", "paragraph", text, start, start + len(text)),
        1 - rank / 10,
    )


def test_evidence_is_the_sentence_the_tutor_scores_most_relevant():
    point = _passage(0, "Kathy becomes a carer.")
    evidence = _passage(
        1,
        "The students love football and music. With no family to turn to, they rely on each other.",
    )
    question = "Who do the students lean on?"
    by_words = ExtractiveAnswerer().compose(question, [point, evidence], [])
    assert by_words.citations[-1].quote == "The students love football and music."

    def relevance(chunk, spans):  # as token matching scores it (see test_rerank.py)
        return [float(chunk.text[s - chunk.start :].startswith("With no family")) for s, _ in spans]

    by_meaning = ExtractiveAnswerer().compose(question, [point, evidence], [], relevance)
    assert by_meaning.citations[-1].quote == "With no family to turn to, they rely on each other."


def test_evidence_comes_only_from_passages_near_the_top_one_s_score():
    point = _passage(0, "Kathy becomes Ruth's carer.")
    evidence = _passage(1, "Kathy remembers their time at Hailsham.")
    question = "Why does Kathy become Ruth's carer?"
    for score, kept in [(0.5, True), (0.3, False)]:  # the top passage scores 1.0
        ranked = [point, dataclasses.replace(evidence, score=score)]
        answer = ExtractiveAnswerer().compose(question, ranked, [])
        assert ("Kathy remembers" in answer.markdown) is kept
    # A follow-up is ranked on two questions at once: its scores say less.
    earlier = [{"role": "user", "content": question}, {"role": "assistant", "content": "…"}]
    ranked = [point, dataclasses.replace(evidence, score=0.3)]
    assert "Kathy remembers" in ExtractiveAnswerer().compose("why?", ranked, earlier).markdown


@pytest.mark.parametrize(
    "message",
    [
        "hi",
        "Hello there!",
        "thanks!",
        "thank you so much",
        "ok bye",
        "what's up?",
        "help",
        "hey, how's your day going?",
        "how are you?",
        "hi how r u doing today",
        "heyyy how r u doing tonight",  # stretched: had been declined as off topic
        "hiii",
        "heyy",
        "can you help me revise?",
        "I have my exam tomorrow, can you help?",
        "im so stressed about my exam tmrw",  # had been "I can't find this…": cold
        "I am really nervous about my exam",
        "I am really nervous about my mock",
        "scared of exams",
    ],
)
def test_a_greeting_or_thanks_gets_a_reply_in_kind_not_a_refusal(ready, message):
    answer = ready.ask(message)
    assert answer.reply and not answer.answerable and not answer.citations and not answer.passages
    assert DECLINED not in answer.answer  # not "I can't find this in the study notes"
    assert answer.follow_ups  # questions the notes can answer, to go on with


def test_exam_nerves_get_encouragement_not_a_question_about_them(ready):
    answer = ready.ask("im so stressed about my exam tmrw")
    assert "nerves" in answer.answer
    assert ready.ask("Is Kathy worried about Ruth?").answerable  # a character's worry
    for topic in ["stress", "worry", "panic"]:  # words of a topic too (biology, psychology)
        assert not ready.ask(topic).reply, topic
    assert not ready.ask("ok test me").reply  # a request to be tested


@pytest.mark.parametrize(
    "message", ["ok", "k thx", "cool", "got it", "makes sense", "ok thanks", "lol ok"]
)
def test_an_acknowledgement_after_an_answer_is_not_taken_for_a_follow_up(ready, message):
    """From a browser session: "ok" after an answer was answered from another passage,
    and "cool" repeated the answer word for word."""
    first = ready.ask("What does Ruth do at the Cottages?")
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.answer},
    ]
    answer = ready.ask(message, history)
    assert answer.reply and not answer.citations and not answer.passages
    assert answer.answer != NEEDS_A_QUESTION and DECLINED not in answer.answer
    assert ready.ask("ok what about tommy", history).answerable  # more is a question


def test_a_point_leading_into_a_quotation_brings_it_though_it_quotes_words_itself(tutor, knowledge):
    (knowledge / BUNDLED_NOTES.name).unlink()
    (knowledge / "carol.txt").write_text(
        "Scrooge in A Christmas Carol\n\nScrooge changes\n\nScrooge calls Christmas "
        '"a poor excuse for picking a man\'s pocket" at first, but by the end he has learnt '
        "to be generous, and he says:\n\n"
        '"I will honour Christmas in my heart, and try to keep it all the year." (Scrooge)\n\n'
        "Marley\n\nMarley's ghost warns Scrooge about the chains he forged in life.\n",
        encoding="utf-8",
    )
    answer = tutor.ask("How has Scrooge changed by the end?")
    assert answer.citations[0].quote.endswith("and he says:")
    # Right after the point, as the quotation it leads into, not as further evidence.
    after_point = answer.answer.split("[1]", 1)[1].lstrip()
    assert after_point.startswith('> "I will honour Christmas'), after_point
    _assert_citations_verbatim(tutor, answer)


def test_a_greeting_with_a_question_is_a_question(ready):
    answer = ready.ask("hi, how does Ruth hurt Kathy?")
    assert answer.answerable and "Cottages" in answer.answer
    # Asked how the tutor is, it says; a question on how someone is is a question.
    assert "well" in small_talk_reply("hey, how are you doing?")
    assert small_talk_reply("how are you meant to read Ruth?") is None
    told = [{"role": "user", "content": "Who is Ruth?"}, {"role": "assistant", "content": "…"}]
    assert small_talk_reply("how's that?", told) is None  # asks about the answer
    for question in ["help me revise Ruth", "my test is on Ruth", "ok test me"]:
        assert small_talk_reply(question, told) is None, question
    assert not does_arithmetic("Act 1 Scene 2 + 3") and not does_arithmetic("Staves 2 - 3")
    assert ready.ask("hi, how is Kathy doing at the end?").answerable
    assert ready.ask("can you help me with Ruth?").answerable  # help on something


def test_who_said_that_after_a_quotation_gives_that_quotation_and_its_speaker(ready):
    """From a student's session: "who said that?" after the Dover quotation was searched
    with the question before and gave Ruth's "The idiot!" ("…Ruth gave a little laugh and
    said…"): a student could take Ruth for the speaker."""
    history = _conversation(ready, ["Where does Kathy see Ruth again?"])
    assert "> She already had a carer" in history[1]["content"]
    for asked in ["who said that?", "Whose words are those?", "who is the speaker"]:
        answer = ready.ask(asked, history)
        first = answer.citations[0]
        assert first.quote.startswith("She already had a carer"), asked
        assert "(Kathy)" in first.quote, asked  # the speaker, quoted
    assert not asks_who_said_it("Who says 'The idiot!'?")  # names its quotation
    assert not asks_who_said_it("who said Ruth was a leader?")


def test_a_follow_up_turning_to_a_subject_the_notes_never_name_is_asked_alone(ready):
    """From a student's session: "what about photosynthesis?" after a question on the
    Cottages gave the Cottages paragraph again, as if it were on photosynthesis."""
    history = _conversation(ready, ["How does Ruth treat Kathy at the Cottages?"])
    answer = ready.ask("what about photosynthesis?", history)
    assert not answer.answerable and not answer.citations
    # The question before asked of another time or setting still leans on it.
    assert not turns_to_a_subject("what about as children?")
    assert ready.ask("what about as children?", history).answerable
    donations = ready.ask("and the donations?", history)  # near "donors", not the Cottages
    assert "Cottages" not in donations.citations[0].passage.chunk.text
    assert "Tommy" in ready.ask("what about tommy?", history).citations[0].quote
    assert not turns_to_a_subject("so what mattered more?")  # asks of the turn before
    assert ready.ask(
        "so what mattered more?", _conversation(ready, ["Where does Kathy see Ruth again?"])
    ).answerable


def test_explain_the_first_one_after_the_key_quotations_explains_that_quotation(ready):
    """From a student's session: after "Give me 3 key quotes about friendship" (the notes
    set out two), "explain the first one" and "explain the second one" were declined."""
    history = _conversation(ready, ["Give me 3 key quotes about friendship"])
    listed = answer_items(history[1]["content"])
    assert len(listed) == 2 and listed[0].startswith("… I started seeking out")
    first = ready.ask("explain the first one", history)
    assert first.citations[0].quote.startswith("… I started seeking out")
    assert "Kathy’s use of the word seeking suggests" in first.answer  # the notes' reading
    second = ready.ask("explain the second one", history)
    assert second.citations[0].quote.startswith("She already had a carer")


def test_the_other_one_after_explaining_the_first_explains_the_second(ready):
    """From a student's session: "and the other one? how's that shown" after "explain
    the first one" (of the notes' two ways) had been searched as the first one again."""
    history = _conversation(
        ready, ["What are the two ways friendship is shown?", "explain the first one"]
    )
    assert "seeking" in history[-1]["content"]  # the first way: Kathy seeking out donors
    other = ready.ask("and the other one? how's that shown", history)
    assert other.question == "and the other one? how's that shown"
    assert "Kathy decides that the right thing" in other.passages[0].chunk.text
    _assert_citations_verbatim(ready, other)
    pair = [
        {"role": "user", "content": "How is it shown?"},
        {"role": "assistant", "content": "Through her care for old friends, and the reunion."},
    ]
    second = [*pair, {"role": "user", "content": "Can you explain the second point?"}]
    assert other_pointed_at("ok and the other point?", second) == "ok and the first point?"
    assert other_pointed_at("and the other one?", pair) is None  # nothing pointed at
    assert other_pointed_at("and the other one?", []) is None
    for asking_anew in [  # not a pointer of its own, after "explain the first one"
        "Do they see each other one last time?",
        "any other example?",
        "is it the other way round?",
        "whats the other point of view on Ruth",
        "can you explain the other way Kathy cares for Tommy",
    ]:
        assert other_pointed_at(asking_anew, history) is None, asking_anew
    three = [
        {"role": "user", "content": "How is it shown?"},
        {"role": "assistant", "content": "Three ways:\n\n- memory\n- care\n- the reunion"},
        {"role": "user", "content": "explain the first one"},
    ]
    assert other_pointed_at("and the other one?", three) is None  # which other?


def test_a_sum_asked_after_an_answer_leans_on_nothing_and_is_declined(ready):
    """From a student's session: "what's 2+2?" after a question on Hailsham named nothing
    the notes hold, so it was searched with that question and answered from the notes."""
    history = _conversation(ready, ["Why are friendships so intense at Hailsham?"])
    for sum_asked in ["what's 2+2?", "what is 10 - 3", "solve 3x + 7 = 22"]:
        answer = ready.ask(sum_asked, history)
        assert not answer.answerable and not answer.citations, sum_asked
    assert not does_arithmetic("What are the 2 ways friendship is shown?")
    assert not does_arithmetic("What happens in Staves 2-3? (1812-1870)")
    assert not does_arithmetic("is their friendship 50/50?")
    assert ready.ask("and why?", history).answerable  # a follow-up still leans on it


def test_a_call_for_help_says_what_the_tutor_does():
    for message in ("help", "can you help me please", "I need some help"):
        assert "ask about a character" in small_talk_reply(message).lower(), message
    assert "welcome" in small_talk_reply("thanks for the help")  # thanked, not helped again


@pytest.mark.parametrize("message", ["why?", "tell me more", "what happens next?", "ok"])
def test_a_follow_up_with_nothing_asked_before_asks_for_a_question(ready, message):
    """It had been refused with "I can't find this in the study notes", which blames the
    notes for what the student did not ask."""
    answer = ready.ask(message)
    assert answer.reply and answer.answer == NEEDS_A_QUESTION and not answer.citations
    assert answer.follow_ups  # questions to start from
    asked = [{"role": "user", "content": "How does Ruth hurt Kathy?"}]
    asked.append({"role": "assistant", "content": ready.ask(asked[0]["content"]).answer})
    if message != "ok":
        assert ready.ask(message, asked).answerable  # with a question before, it leans on it
    assert small_talk_reply("hi") != NEEDS_A_QUESTION  # a greeting is greeted
    assert not ready.ask("tl;dr").reply  # the notes' gist: a request that needs nothing before
    greeted = [{"role": "user", "content": "hi"}, {"role": "assistant", "content": "Hello!"}]
    assert ready.ask(message, greeted).answer == NEEDS_A_QUESTION  # "hi" asked nothing


@pytest.mark.parametrize("question", ["what is the novel about?", "who is the author?"])
def test_a_question_naming_only_the_whole_work_is_a_question(ready, question):
    assert not ready.ask(question).reply


def test_evidence_is_not_held_to_a_share_of_a_score_a_bonus_raised():
    # Asked for a quotation, the top passage gained a bonus: 0.3 is not far below it.
    point = dataclasses.replace(_passage(0, "“I managed it,” she said. (Kathy)"), score=2.0)
    evidence = dataclasses.replace(_passage(1, "Kathy remembers Hailsham."), score=0.3)
    answer = ExtractiveAnswerer().compose(
        "Which quote shows Kathy remembers?", [point, evidence], []
    )
    assert "Kathy remembers" in answer.markdown


def test_a_question_the_notes_touch_on_once_gets_no_unrelated_evidence(ready):
    # "Who are the guardians?" had ended with Kathy seeking out donors, and its quotation.
    answer = ready.ask("Who are the guardians?")
    assert answer.answerable and "apart from the guardians" in answer.answer
    assert "seeking" not in answer.answer


def test_evidence_never_quotes_the_middle_of_someone_s_speech():
    sentence = "Kathy cares for her friends. "
    point = _passage(0, (sentence * (POINT_CHARS // len(sentence))).strip())  # little room left
    speech = (
        "'I know you are worried about the mark on your shirt and about what the others "
        "will say when they see it at dinner tonight, and I know they laughed, but it is "
        "really nothing to worry about at all, honestly, and nobody will remember it by "
        "tomorrow morning anyway,' I said before the silence got "
        "humiliating for him. 'Take it to Miss Jody.' (Kathy to Tommy)"
    )
    evidence = _passage(1, f"Kathy is kind to Tommy. {speech}")
    assert len(speech) > ANSWER_CHARS - len(point.chunk.text)  # the whole speech cannot fit
    draft = ExtractiveAnswerer().compose("Who is Miss Jody?", [point, evidence], [])
    quoted = [c.quote for c in draft.citations if c.passage is evidence]
    assert quoted and not any(q.startswith("'Take it") for q in quoted)
    assert "Take it to Miss Jody" not in draft.markdown


def test_evidence_that_leans_on_the_sentence_before_brings_it_along():
    point = _passage(0, "Kathy becomes a carer.")
    lead_in = "Kathy's use of the word seeking suggests she looks for old friends."
    leaning = "This shows that friendship is of real importance to her."
    evidence = _passage(1, f"Some donors are strangers. {lead_in} {leaning}")

    def relevance(chunk, spans):  # the "This shows…" sentence answers best
        return [float(chunk.text[s - chunk.start :].startswith("This")) for s, _ in spans]

    draft = ExtractiveAnswerer().compose(
        "Why is friendship important?", [point, evidence], [], relevance
    )
    assert draft.citations[-1].quote == f"{lead_in} {leaning}"  # one verbatim span
    assert f"{lead_in} {leaning} [2]" in draft.markdown

    # No room for both: not the sentence alone, which would read as if it read the point
    # before it (since stop 39); one naming its subject after a pronoun stands alone.
    crowded_text = "Kathy becomes a carer."
    while ANSWER_CHARS - len(crowded_text) >= len(f"{lead_in} {leaning}"):
        crowded_text = crowded_text[:-1] + " and she cares for her friends."
    crowded = _passage(0, crowded_text)
    assert ANSWER_CHARS - len(crowded_text) >= len(leaning)  # room for the sentence alone
    draft = ExtractiveAnswerer().compose(
        "Why is friendship important?", [crowded, evidence], [], relevance
    )
    assert all(c.passage is not evidence for c in draft.citations)
    naming = "Her friendship with Ruth is of real importance to Kathy."
    named = _passage(1, f"Some donors are strangers. {lead_in} {naming}")

    def relevance_named(chunk, spans):
        return [float(chunk.text[s - chunk.start :].startswith("Her")) for s, _ in spans]

    draft = ExtractiveAnswerer().compose(
        "Why is friendship important?", [crowded, named], [], relevance_named
    )
    assert draft.citations[-1].quote == naming


def test_evidence_brings_along_the_sentence_that_says_what_it_shows():
    point = _passage(0, "Kathy becomes a carer.")
    evidence_sentence = "Kathy's use of the word seeking suggests she looks for old friends."
    what_it_shows = "This shows that friendship is of real importance to her."
    turning_away = "However, some donors are strangers."

    def relevance(chunk, spans):  # the "seeking" sentence answers best
        return [float(chunk.text[s - chunk.start :].startswith("Kathy's")) for s, _ in spans]

    def evidence_quoted(text: str) -> str:
        draft = ExtractiveAnswerer().compose(
            "What does the word seeking reveal?", [point, _passage(1, text)], [], relevance
        )
        return draft.citations[-1].quote

    shown = evidence_quoted(f"{evidence_sentence} {what_it_shows} Donors vary.")
    assert shown == f"{evidence_sentence} {what_it_shows}"  # one verbatim span
    assert evidence_quoted(f"{evidence_sentence} {turning_away}") == evidence_sentence
    # "Therefore" goes on from the evidence; "This quotation shows…" speaks of a quotation
    # the answer would not show.
    carrying_on = "Therefore she becomes a carer for her old friends."
    assert evidence_quoted(f"{evidence_sentence} {carrying_on}").endswith(carrying_on)
    unshown = "This quotation shows that friendship matters to her."
    assert evidence_quoted(f"{evidence_sentence} {unshown}") == evidence_sentence


def test_the_point_is_a_whole_paragraph_when_the_notes_keep_it_whole():
    """Cut at its key sentence, the point lost the sentence after it, which says what the
    key sentence names."""
    text = (
        "The heart beats about seventy times a minute at rest, all through life. "
        "The natural resting heart rate is controlled by a group of pacemaker cells in the "
        "wall of the right atrium. These cells send out small electrical impulses that spread "
        "through the heart muscle and make it contract. If the pacemaker cells stop working "
        "properly, an artificial pacemaker can be fitted. This is a small electrical device "
        "placed under the skin that corrects irregularities in the heart rate."
    )
    assert 400 < len(text) <= WHOLE_CHARS  # one passage, not cut by the chunker

    def relevance(chunk, spans):
        return [
            float("artificial" in chunk.text[s - chunk.start : e - chunk.start]) for s, e in spans
        ]

    draft = ExtractiveAnswerer().compose(
        "What is an artificial pacemaker?", [_passage(0, text)], [], relevance
    )
    assert draft.citations[0].quote == text


def test_a_point_never_opens_on_a_sentence_that_leans_on_the_one_before():
    opening = "The students at Hailsham are like many other students of their age."
    leaning = "Friendships are very important to them."
    key = "With no family to turn to, friendship matters most."
    middle = "as teenagers do."  # as long as the point may be, with the opening over it
    while len(f"{leaning} People argue, make up or change groups, {middle} {key}") <= POINT_CHARS:
        middle = "People argue, make up or change groups, " + middle
    point = _passage(0, f"{opening} {leaning} {middle} {key}")
    assert len(point.chunk.text) > POINT_CHARS >= len(f"{leaning} {middle} {key}")

    def relevance(chunk, spans):
        return [float(chunk.text[s - chunk.start :].startswith("With no family")) for s, _ in spans]

    draft = ExtractiveAnswerer().compose("Why does friendship matter?", [point], [], relevance)
    assert draft.citations[0].quote.startswith(opening)  # who "them" is comes first
    assert draft.citations[0].quote.endswith(key)


@pytest.mark.parametrize(
    ("sentence", "leans"),
    [
        ("This shows that friendship matters.", True),
        ("However, Ruth hurts Kathy.", True),
        ("Ishiguro shows how they remain close.", True),  # who are "they"?
        ("Friendships are very important to them.", True),
        ("The quotation shows that George sees loneliness as normal.", True),  # which one?
        ("The line between carers and donors is blurred.", False),  # no quotation meant
        ("Kathy's use of the word seeking suggests that she searches.", False),
        ("With no actual family to turn to, friendship matters.", False),
        ("'It's nothing to worry about,' I said.", False),  # speech stands on its own
        ("Η Κάθι επισκέπτεται το Χέιλσαμ.", False),  # no Latin words at all
    ],
)
def test_sentences_that_lean_on_the_one_before(sentence, leans):
    assert leans_back(sentence) is leans


def test_a_quotation_is_evidence_when_it_is_not_the_key_quotation():
    # The point already quotes Kathy, so no key quotation is added; the next passage, a
    # quotation from another section, must still count as evidence, not be dropped.
    point = _passage(0, "Later Kathy meets Tommy. 'My heart had done a little leap.' (Kathy)")
    quoted = "… the instant I saw her again at that recovery centre in Dover."
    dover = Passage(Chunk("q1", "notes.txt", "Reunion", "quote", quoted, 90, 90 + len(quoted)), 0.8)
    other = _passage(2, "Ruth snubs Kathy at the Cottages.")
    draft = ExtractiveAnswerer().compose(
        "Where does Kathy see Ruth again?", [point, dover, other], []
    )
    assert [c.passage for c in draft.citations][:2] == [point, dover]
    assert "recovery centre in Dover" in draft.markdown


def test_a_sentence_after_a_list_starts_a_new_paragraph():
    """A sentence from another passage after a list must not read as its last item."""
    point = _passage(0, "Kathy remembers Hailsham.")
    items = "Key points:\n- memories are selective\n- memories give identity"
    listed = Passage(Chunk("l1", "notes.txt", "Memory", "list", items, 40, 40 + len(items)), 0.9)
    after = _passage(2, "Kathy narrates in retrospect.")

    def relevance(chunk, spans):
        return [1.0 for _ in spans]

    draft = ExtractiveAnswerer().compose(
        "How is memory shown?", [point, listed, after], [], relevance
    )
    assert "Kathy narrates in retrospect." in draft.markdown
    assert re.search(r"identity \[2\]\n\nKathy narrates", draft.markdown)


def test_a_point_that_comments_on_the_quotation_before_it_comes_after_it():
    quoted = "> The memories I value most, I won't lose them."
    quote = Passage(Chunk("q", "n.md", "Comfort", "quote", quoted, 0, len(quoted)), 0.8)
    comment = "This quotation shows that memory is all she keeps."
    start = len(quoted) + 2  # after a blank line
    point = Passage(
        Chunk("p", "n.md", "Comfort", "paragraph", comment, start, start + len(comment)), 0.9
    )
    draft = ExtractiveAnswerer().compose("Which quotation shows memory?", [point, quote], [])
    assert draft.markdown.index("I won't lose them") < draft.markdown.index("This quotation")
    assert [c.passage for c in draft.citations] == [quote, point]  # [1] is read first
    # a point that does not lean on it keeps its place, first
    plain = Passage(
        Chunk("p", "n.md", "Comfort", "paragraph", "Memory matters to Kathy.", start, start + 24),
        0.9,
    )
    draft = ExtractiveAnswerer().compose("Which quotation shows memory?", [plain, quote], [])
    assert draft.markdown.startswith("Memory matters to Kathy. [1]")


MEMORY_TXT = """Memory notes

Memory as comfort

At the end of the novel she says she will keep her memories safe:

    I lost Ruth, then I lost Tommy, but I won't lose my memories of them. (Kathy)

This quotation shows that memory is the one thing the system cannot take from her.

Kathy remembers Hailsham after his death. She keeps the tape.

Objects

Objects carry memories too.
"""


def _memory_chunks() -> tuple[list[Chunk], LexicalIndex]:
    chunks = chunk_document(parse_document("memory.txt", MEMORY_TXT.encode()))
    assert [c.kind for c in chunks] == ["paragraph", "quote", "paragraph", "paragraph", "paragraph"]
    return chunks, LexicalIndex(chunks)


def test_a_quotation_that_answers_is_set_out_as_one_not_told_as_the_tutors_words():
    chunks, _ = _memory_chunks()
    quotation, point = chunks[1], chunks[3]
    draft = ExtractiveAnswerer().compose(
        "What does Kathy say she won't lose?", [Passage(quotation, 0.9), Passage(point, 0.5)], []
    )
    assert draft.markdown.startswith(f"**Key quotation:**\n\n> {quotation.text} [1]")
    assert "The notes also point out: Kathy remembers Hailsham" in draft.markdown


def _others(n: int) -> list[Passage]:
    """`n` retrieved passages from another section, ahead of any quotation."""
    return [
        Passage(
            Chunk(
                f"o{i}",
                "memory.txt",
                "Objects",
                "paragraph",
                f"Object {i}.",
                900 + 20 * i,
                910 + 20 * i,
            ),
            0.8 - i / 100,
        )
        for i in range(n)
    ]


def test_a_point_introducing_a_quotation_brings_it_even_when_it_was_not_retrieved():
    chunks, lexical = _memory_chunks()
    lead, quote = chunks[0], chunks[1]
    assert quotations_beside(lead, lexical) == (quote,)  # indented, yet right after it
    draft = ExtractiveAnswerer().compose(
        "What does Kathy keep?",
        [Passage(lead, 0.9), *_others(5)],  # the quotation was not retrieved
        [],
        beside=[Passage(quote, 0.0)],
    )
    point, quotation = draft.markdown.split("\n\n")[:2]
    assert point == f"{lead.text} [1]"
    assert quotation.startswith("> I lost Ruth") and quotation.endswith("[2]")
    assert "Key quotation" not in draft.markdown  # the point has just introduced it
    assert draft.citations[1].passage.chunk == quote


def test_a_point_commenting_on_a_quotation_brings_it_even_when_it_was_not_retrieved():
    chunks, lexical = _memory_chunks()
    comment, quote = chunks[2], chunks[1]
    assert quotations_beside(comment, lexical) == (quote,)
    draft = ExtractiveAnswerer().compose(
        "What can the system not take?",
        [Passage(comment, 0.9), *_others(5)],
        [],
        beside=[Passage(quote, 0.0)],
    )
    assert draft.markdown.index("I lost Ruth") < draft.markdown.index("This quotation")
    # one that neither introduces nor comments on a quotation brings none, even one leaning
    # back by a pronoun ("his death") right after a quotation of the same section
    assert quotations_beside(chunks[3], lexical) == ()
    assert quotations_beside(chunks[4], lexical) == ()  # a heading between


def test_a_quotation_beside_is_never_evidence_in_place_of_a_retrieved_passage():
    chunks, _ = _memory_chunks()
    point = Passage(chunks[3], 0.9)
    draft = ExtractiveAnswerer().compose(
        "What does Kathy remember?", [point], [], beside=[Passage(chunks[1], 0.0)]
    )
    assert "The notes also point out" not in draft.markdown


def test_evidence_set_out_as_a_list_starts_on_a_line_of_its_own():
    point = _passage(0, "Plants make glucose in their leaves.")
    text = "• Leaves are broad to absorb light.\n• Stomata let carbon dioxide in."
    items = Passage(Chunk("p1", "notes.txt", "Notes", "list", text, 1000, 1000 + len(text)), 0.9)
    draft = ExtractiveAnswerer().compose("How do leaves help plants?", [point, items], [])
    assert "The notes also point out:\n\n• Leaves are broad" in draft.markdown
    prose = _passage(1, "Leaves are broad to absorb light.")
    draft = ExtractiveAnswerer().compose("How do leaves help plants?", [point, prose], [])
    assert "The notes also point out: Leaves are broad" in draft.markdown


def test_evidence_never_comments_on_a_quotation_the_answer_does_not_show():
    point = _passage(0, "Crooks is kept apart because of racism.")
    evidence = _passage(
        1, "The quotation shows that George sees loneliness as normal. Candy is lonely too."
    )

    def relevance(chunk, spans):  # the comment answers "best"
        return [float(chunk.text[s - chunk.start :].startswith("The quotation")) for s, _ in spans]

    draft = ExtractiveAnswerer().compose("Why is Crooks lonely?", [point, evidence], [], relevance)
    assert "The quotation shows" not in draft.markdown
    alone = _passage(1, "The quotation shows that George sees loneliness as normal.")
    draft = ExtractiveAnswerer().compose("Why is Crooks lonely?", [point, alone], [], relevance)
    assert "The quotation shows" not in draft.markdown  # no sentence of it, then
    said = _passage(1, "Candy’s comment shows that he fears being left alone. Candy is old.")
    draft = ExtractiveAnswerer().compose("Why is Crooks lonely?", [point, said], [], relevance)
    assert "Candy’s comment" not in draft.markdown  # which comment? it is not shown


def test_evidence_does_not_end_on_a_colon_whose_quotation_is_elsewhere():
    point = _passage(0, "Kathy remembers Hailsham.")
    evidence = _passage(
        1, "Remembering is a way of holding on. At the end she says she will keep them safe:"
    )

    def relevance(chunk, spans):  # the sentence with the colon answers "best"
        return [float(chunk.text[e - chunk.start - 1] == ":") for _, e in spans]

    draft = ExtractiveAnswerer().compose("How is memory shown?", [point, evidence], [], relevance)
    assert draft.citations[-1].quote == "Remembering is a way of holding on."


@pytest.mark.parametrize(
    "question",
    [
        "In the quote about her donors, why does Ishiguro use the word seeking?",
        "Why is the verb 'seeking' used in that quote?",
        # a quotation named by its speaker
        "Which word in Kathy's quote shows she goes out of her way to find them?",
    ],
)
def test_asked_why_a_word_of_a_quotation_is_used_the_comment_on_it_comes_first(ready, question):
    # "quote" only points at the quotation: the comment on the word answers
    assert asks_of_a_word(question)
    top = ready.ask(question).passages[0].chunk
    assert top.text.startswith("Kathy’s use of the word seeking")


def test_what_asks_of_a_word():
    assert not asks_of_a_word("Give me the quote with the word seeking in it")  # the quote
    assert not asks_of_a_word("Why does Kathy seek out donors?")  # no word named


def test_a_question_ending_on_a_time_it_points_back_at_is_a_follow_up(ready):
    history = [
        {"role": "user", "content": "Where does Kathy see Ruth again?"},
        {"role": "assistant", "content": "At a recovery centre in Dover."},
    ]
    # "then" is the reunion asked about before: searched alone it had been declined
    assert is_follow_up("Why were the old quarrels less important then?", history)
    assert is_follow_up("what did she feel at that point", history)
    assert not is_follow_up("Why were the old quarrels less important then?", [])
    assert not is_follow_up("Why do the students quarrel?", history)
    assert ready.ask("Why were the old quarrels less important then?", history).answerable


def test_a_follow_up_is_answered_about_the_previous_subject(ready):
    history = [
        {"role": "user", "content": "Tell me about Ruth."},
        {"role": "assistant", "content": "Ruth is portrayed as a typical leader."},
    ]
    follow_up = ready.ask("And how does she treat Kathy later on?", history)
    alone = ready.ask("And how does she treat Kathy later on?")
    assert follow_up.answerable
    assert "Ruth" in follow_up.passages[0].chunk.text
    assert "Ruth" in follow_up.citations[0].quote
    assert [p.chunk.id for p in follow_up.passages] != [p.chunk.id for p in alone.passages]


@pytest.mark.parametrize(
    "question",
    [
        "When was Kazuo Ishiguro born?",
        "How old is Kazuo Ishiguro?",
        "Is Kazuo Ishiguro married?",
        # Matched word by word under that heading ("go to Hailsham School") until the
        # word-by-word match read only the passage's own words.
        "Which university did Kazuo Ishiguro go to?",
    ],
)
def test_a_heading_naming_the_author_does_not_make_his_life_covered(ready, question):
    # Every "How does Kazuo Ishiguro show this?" heading shares his name with these.
    answer = ready.ask(question)
    assert not answer.answerable and not answer.citations
    assert ready.ask("How does Kazuo Ishiguro show friendship?").answerable


@pytest.mark.parametrize("question", ["Is Ruth kind to Kathy?", "is Ruth kind?"])
def test_chat_filler_and_code_in_a_question_change_nothing(ready, question):
    plain = ready.ask(question)
    assert plain.answerable
    for dressed in [
        f"hey, {question}",
        f"{question.rstrip('?')} lol",
        f"pls {question.lower()}",
        f"<script>alert('hi')</script>{question}",
        f":smile: {question}",  # an emoji shortcode, as typed in chat apps
        f"{question} https://www.bbc.co.uk/bitesize/guides/zx3b8mn/revision/1",
        f"{question} [link](http://evil.example)",  # a markdown link, text and all
        f"[link](javascript:alert(1)) <img src=x onerror=alert(1)> {question}",  # any scheme
        f"{question} $x^2$",  # maths
        f":red[{question}]",  # a coloured span: its text is the question
    ]:
        answer = ready.ask(dressed)
        assert answer.answerable, dressed
        assert answer.passages[0].chunk == plain.passages[0].chunk, dressed


@pytest.mark.parametrize(
    ("message", "asked"),
    [
        ("My mock is soon. How does Kathy care for Ruth?", "How does Kathy care for Ruth?"),
        (
            "I read it twice! anyway my question is how does Ruth tease Tommy?",
            "how does Ruth tease Tommy?",
        ),
        ("I love Ruth. Why is she mean?", None),  # "she" needs the telling
        ("How do they look out for each other? Is there a quote?", None),  # two questions
        ("Madame is scary. How do the students react when they meet her?", None),  # "her"
        ("How does he show friendship vs. rivalry between Ruth and Kathy?", None),
        ("How do they care, e.g. Kathy for Ruth at the Cottages?", None),
        ("How does Kathy care for Ruth?", None),
        # what a message says of itself before a dash or colon asks nothing
        (
            "conclusion for my essay - why do the three of them stay close",
            "why do the three of them stay close",
        ),
        ("quick question: is Ruth kind?", "is Ruth kind?"),
        ("Ruth vs Kathy: who is kinder?", None),  # names whom it asks about
        ("quote: kathy comforts tommy", None),  # asks for a quotation
        # where the question starts, said inside one long sentence
        (
            "I have been reading it for coursework and my teacher said to think about how "
            "they change, and Tommy seems picked on a lot, so my actual question is: how "
            "does Ruth treat Kathy at the Cottages?",
            "how does Ruth treat Kathy at the Cottages?",
        ),
        (
            "i keep getting confused. Anyway my question is how does Kathy show she cares?",
            "how does Kathy show she cares?",
        ),
        ("What is the question Kathy asks Tommy?", None),
        # a question pointing back at the telling needs it
        ("There's one girl in my group who everyone follows. Is Ruth meant to be like that?", None),
        (
            "I think old friends matter more than old arguments. Do the notes say Kathy "
            "feels that way about Ruth?",
            None,
        ),
        (  # "this way", "like that" pointing at what the question names
            "I've got my mock tomorrow and I'm stressed. Why does Ishiguro end the novel this way?",
            "Why does Ishiguro end the novel this way?",
        ),
        (
            "A test tomorrow on the novel. Why does Ruth treat Tommy like that in the field?",
            "Why does Ruth treat Tommy like that in the field?",
        ),
        (  # "like this quote": a quotation, not the telling
            "My teacher gave us the seeking quote. What does Kathy mean by a word like this "
            "quote uses?",
            "What does Kathy mean by a word like this quote uses?",
        ),
        (  # a question quoting someone's "the real question is": no lead-in
            "In the novel, what does Miss Lucy mean when she says the real question is why "
            "the students are taught art?",
            None,
        ),
    ],
)
def test_a_message_that_tells_before_it_asks_is_searched_by_its_question(message, asked):
    assert after_preamble(message) == asked


def test_what_a_student_tells_before_asking_does_not_outweigh_the_question(ready):
    question = "How does Kathy show she cares about her friends?"
    told = (
        "ok so basically i have my english mock next week and my teacher said we need to "
        "know about the theme of friendship and i keep getting confused because there are "
        "so many characters and i don't really get what happens at the cottages. "
    )
    alone, told_first = ready.ask(question), ready.ask(f"{told}anyway my question is {question}")
    assert told_first.question.startswith("ok so basically")
    assert told_first.answer == alone.answer
    assert [p.chunk.id for p in told_first.passages] == [p.chunk.id for p in alone.passages]


def test_a_question_asked_again_after_a_refusal_stands_alone(ready):
    refused = "**who** is _ruth_? # heading `code` [link](http://x.com) :smile:"
    history = [{"role": "user", "content": refused}]
    history.append({"role": "assistant", "content": ready.ask(refused).answer})
    assert not ready.ask(refused).answerable
    # asked again in plain words: not searched together with the declined question
    alone, again = ready.ask("who is ruth?"), ready.ask("who is ruth?", history)
    assert again.answerable
    assert [p.chunk.id for p in again.passages] == [p.chunk.id for p in alone.passages]
    assert again.answer == alone.answer


def test_answer_items_and_what_a_follow_up_points_at():
    listed = "It is shown through:  \n• Kathy’s care [1]  \n• the reunion \\[sic\\] [2]\n\nMore."
    assert answer_items(listed) == ["Kathy’s care", "the reunion [sic]"]
    prose = "Mainly through her care for old friends, and through the reunion at the end."
    assert answer_items(prose) == [
        "Mainly through her care for old friends",
        "through the reunion at the end",
    ]

    def turn(answer):
        return [
            {"role": "user", "content": "How is it shown?"},
            {"role": "assistant", "content": answer},
        ]

    assert pointed_at("Can you explain the first one?", turn(listed)) == "Kathy’s care"
    assert pointed_at("What does the first one show?", turn(listed)) == "Kathy’s care"
    assert pointed_at("Why is the second point important?", turn(listed)) == "the reunion [sic]"
    assert pointed_at("and your last point?", turn(prose)) == "through the reunion at the end"
    assert pointed_at("What is the third reason?", turn(prose)) is None  # there is none
    # A lead setting the items out is none of them: "the second one" after "The notes give
    # two: A, and B" had been A (the lead counted first), and found the wrong passage.
    led = "The notes give two: her care for old friends, and the reunion at the end."
    assert answer_items(led) == ["her care for old friends", "the reunion at the end"]
    assert pointed_at("can you explain the second one a bit more", turn(led)) == (
        "the reunion at the end"
    )
    said = "Ruth gave a little laugh and said: The idiot! Then she left."  # one item, spoken
    assert answer_items(said)[0] == "Ruth gave a little laugh and said"
    assert pointed_at("What happens the first time they meet?", turn(listed)) is None
    assert (
        pointed_at("Explain the first one.", turn("I can't find this, so I won't guess.")) is None
    )
    assert pointed_at("Explain the first one.", []) is None
    # After the first item was explained, the second is still the list's.
    explained = [
        *turn(listed),
        {"role": "user", "content": "Can you explain the first one?"},
        {"role": "assistant", "content": "Kathy seeks out donors from Hailsham."},
    ]
    assert pointed_at("And the second point?", explained) == "the reunion [sic]"
    asked_anew = [*turn(listed), *turn("She seeks out donors, and she stays loyal.")]
    assert pointed_at("And the second point?", asked_anew) == "she stays loyal"
    own_subject = [
        *turn(listed),
        {"role": "user", "content": "What is the first example of cruelty at Hailsham?"},
        {"role": "assistant", "content": "Cruelty is shown through the students, and Ruth."},
    ]
    assert pointed_at("And the second one?", own_subject) == "Ruth"


def test_ordinals_in_a_question_with_its_own_subject_point_at_nothing():
    history = [
        {"role": "user", "content": "How is friendship shown?"},
        {"role": "assistant", "content": "It is shown through:\n• care [1]\n• the reunion [2]"},
    ]
    for question in [
        "What is the first example of cruelty at Hailsham?",
        "Who was the last one to leave the Cottages?",
        "What is the second way Ishiguro presents memory?",
    ]:
        assert pointed_at(question, history) is None, question
    refused = [
        {"role": "assistant", "content": "I can't find this in a.md; b.md covers it, and c.md."}
    ]
    assert pointed_at("Explain the first one.", refused) is None


def test_chat_filler_the_notes_use_is_kept():
    assert plain_question("hey, is Ruth kind lol") == "is Ruth kind"
    assert plain_question("heyyy is Ruth kind") == "is Ruth kind"  # typed stretched
    # how long the answer should be is no word of what is asked
    assert plain_question("seeking - analyse this word pls (short)") == (
        "seeking - analyse this word please"
    )
    assert plain_question("why does Ruth snub Kathy, keep it brief") == "why does Ruth snub Kathy"
    assert plain_question("How is friendship shown, in one sentence?") == "How is friendship shown?"
    assert plain_question("explain briefly") == "explain briefly"  # nothing else asked
    assert plain_question("Is Ruth short with Kathy?") == "Is Ruth short with Kathy?"
    for about_the_words in (
        "Why does Tommy tell Kathy to be quick?",
        "Why does Kathy see Ruth only briefly?",
        "Is Ruth's answer brief?",
    ):
        assert plain_question(about_the_words) == about_the_words
    assert plain_question("ohhh ok is Ruth kind") == "is Ruth kind"
    assert plain_question("What is HI?", known=lambda word: word == "hi") == "What is HI?"
    assert (
        plain_question("Why does Tommy say hello to Kathy?") == "Why does Tommy say hello to Kathy?"
    )
    assert plain_question("Why does Tommy say hello?") == "Why does Tommy say hello?"
    assert plain_question("<style>p {}</style> Ruth?") == "Ruth?"


def test_a_spoken_opening_and_asking_to_be_reminded_are_not_searched(ready):
    """ "wait remind me who everyone looks up to" had been declined: "remind me" and "wait"
    outweighed the rest. "dover bit" too: "bit" (in one passage, as "a bit of nerve") had
    drowned out "dover"."""
    assert plain_question("wait why tho") == "why though"
    assert plain_question("sorry, is ruth kind") == "is ruth kind"
    assert plain_question("remind me who everyone looks up to") == "who everyone looks up to"
    assert plain_question("tell me about Ruth") == "tell me about Ruth"  # no question follows
    leader = ready.ask("wait remind me who everyone looks up to")
    assert leader.answerable and "look up to" in leader.passages[0].chunk.text
    dover = ready.ask("dover bit")
    assert dover.answerable and "Dover" in dover.passages[0].chunk.text
    assert dover.answer.count("Dover") >= 1


@pytest.mark.parametrize(
    ("question", "asked"),
    [
        ("they don't have parents right? so who do they rely on", "they don't have parents?"),
        ("but they fight a lot no? so how do they stay close", "but they fight a lot?"),
        ("Ruth had another carer, no? So how", "Ruth had another carer?"),
        # the word a question asks with stays
        ("Is that right?", "Is that right?"),
        ("so who is right?", "so who is right?"),
        ("i think they're the same, who is right?", "i think they're the same, who is right?"),
        ("Kathy left because of Tommy - is that right?", "Kathy left because of Tommy - is that"),
        ("so who’s right?", "so who’s right?"),
        ("Kathy was in the right?", "Kathy was in the right?"),
        ("Does it turn out to be true?", "Does it turn out to be true?"),
    ],
)
def test_a_tag_asking_to_confirm_a_statement_is_no_word_of_the_question(question, asked):
    assert plain_question(question).startswith(asked)


def test_a_tag_asking_to_confirm_is_not_matched_in_the_notes(ready):
    """ "they don't have parents right? so who do they actually rely on": its "right" had
    matched "the right thing to do" best of all, and that passage came first."""
    asked = ready.ask("they don't have parents right? so who do they actually rely on")
    assert "With no actual family to turn to" in asked.passages[0].chunk.text


def test_chat_shorthand_is_spelt_out_unless_the_notes_use_it(ready):
    assert plain_question("y does ruth hurt kathy bc she's jealous") == (
        "why does ruth hurt kathy because she's jealous"
    )
    assert plain_question("Solve for y", known=lambda word: word == "y") == "Solve for y"
    assert plain_question("Byron's art") == "Byron's art"  # inside a word: untouched
    assert plain_question("was it ez, wdym") == "was it easy, what do you mean"
    # "ez" was an unknown word: "was it ez for kathy to become ruths carer?" did not ask
    # how hard it was, and the passage on the nerve it took came third.
    easy = ready.ask("was it ez for kathy to become ruths carer? didnt ruth already have one")
    assert "nerve" in easy.passages[0].chunk.text
    # "abt" was an unknown subject: the question was declined, spelt out it is answered.
    shorthand, spelt = ready.ask("tell me abt tommy"), ready.ask("tell me about tommy")
    assert shorthand.answerable and shorthand.passages == spelt.passages
    # "kno" (too short for the speller) was an unknown subject too: declined
    assert plain_question("how well do they kno each other") == "how well do they know each other"
    assert plain_question("does any1 hav a quote") == "does anyone have a quote"
    known = ready.ask("how well do they kno each other")
    assert known.answerable and "know so much about" in known.passages[0].chunk.text


def test_a_follow_up_pointing_into_the_answer_is_about_that_item(ready):
    first = ready.ask("How is friendship shown in the novel?")
    items = answer_items(first.answer)
    assert len(items) >= 2
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.answer},
    ]
    for question, item in [
        ("Can you explain the first one a bit more?", items[0]),
        ("Tell me more about the second point.", items[1]),
    ]:
        answer = ready.ask(question, history)
        assert answer.answerable
        assert item.lower() in answer.passages[0].chunk.section.lower()  # under that item
        assert item not in answer.answer  # explained, not just repeated
    assert not ready.ask("Can you explain the first one a bit more?").answerable  # alone


def test_follow_ups_on_an_item_pointed_at_stay_on_that_item(ready):
    """From a browser session: "give me a quote for that" after "explain the first one"
    was searched as "explain the first one give me a quote for that" and refused, and
    "explain the second one" after that found no list to point into."""
    history: list[dict] = []

    def ask(question):
        answer = ready.ask(question, history)
        history.extend(
            [{"role": "user", "content": question}, {"role": "assistant", "content": answer.answer}]
        )
        return answer

    ask("How is friendship shown in the novel?")
    ask("explain the first one")
    quote = ask("give me a quote for that")
    assert quote.answerable
    assert "I started seeking out for my donors" in quote.citations[0].quote
    second = ask("explain the second one")
    assert second.answerable
    assert "reunited" in second.passages[0].chunk.section
    # the list has left the six turns read: "that" is what the last answer told
    again = ask("give me a quote for that")
    assert again.answerable
    assert "reunited" in again.citations[0].passage.chunk.section


def test_a_question_naming_a_section_goes_through_it_in_the_notes_order(ready):
    question = (
        "How does Kazuo Ishiguro show the way Kathy, Ruth and Tommy are reunited near the "
        "end of the novel?"
    )
    answer = ready.ask(question)
    section = answer.passages[0].chunk.section
    assert section.startswith("The way Kathy, Ruth and Tommy are reunited")
    under = [p.chunk for p in answer.passages if p.chunk.section == section]
    assert [c.start for c in under] == sorted(c.start for c in under)
    assert answer.citations[0].quote.startswith("Despite having their differences")


@pytest.mark.parametrize(
    "follow_up", ["Are they friends again by the end?", "Do they make up in the end?"]
)
def test_a_follow_up_quotes_what_it_asks_not_what_the_turn_before_asked(ready, follow_up):
    # The passage on Ruth and Kathy at the Cottages answers both turns: the answer to the
    # follow-up must lead with its own answer, not repeat how Ruth treated Kathy there.
    before = "How does Ruth treat Kathy at the Cottages?"
    first = ready.ask(before)
    assert "snubs Kathy" in first.citations[0].quote
    history = [{"role": "user", "content": before}, {"role": "assistant", "content": first.answer}]
    answer = ready.ask(follow_up, history)
    assert answer.passages[0].chunk == first.passages[0].chunk  # the same passage found…
    lead = answer.citations[0]
    assert "by the end of the novel" in lead.quote  # … but its sentences on what is asked
    assert lead.quote.startswith("However")  # nothing told before is brought back
    # With only the question before it in the history nothing was told: the whole passage.
    alone = ready.ask(follow_up, history[:1])
    assert "snubs Kathy" in alone.citations[0].quote
    query = build_query(follow_up, history, ready._lexical)
    assert before in query.text and query.evidence == follow_up
    why = build_query("Why?", history, ready._lexical)
    assert why.evidence == ""  # nothing of its own to choose by: the whole search is used


@pytest.mark.parametrize(
    "question",
    [
        "Who wrote Pride and Prejudice?",
        "What is the recipe for a chocolate cake?",
        "What is the capital of France?",
        "How is love shown in Romeo and Juliet?",
        # About the novel, but not in the notes: its title words must not carry it.
        "Who directed the film of Never Let Me Go?",
        "What is a deferral and how do Kathy and Tommy try to get one?",
        "What is the deferral rumour, and do Kathy and Tommy manage to get one?",
    ],
)
def test_off_topic_questions_are_declined_with_suggestions(ready, question):
    answer = ready.ask(question)
    assert not answer.answerable
    assert answer.citations == ()
    assert "[1]" not in answer.answer
    assert "can't find this in the study notes" in answer.answer
    assert answer.follow_ups and "How is friendship shown in the novel?" in answer.follow_ups


@pytest.mark.parametrize(
    "question",
    ["Who is the leader of the group?", "Do the students argue?", "What is Kathy's job?"],
)
def test_short_questions_the_notes_answer_are_answered(ready, question):
    assert ready.ask(question).answerable


@pytest.mark.parametrize(
    "question", ["ok but who wrote never let me go", "who is this novel written by?"]
)
def test_asked_who_wrote_the_work_a_passage_naming_its_writer_answers(ready, question):
    # "wrote" is no word the notes use, and a passage on what happens in the novel had
    # come first: "Kazuo Ishiguro shows the theme of friendship through…" says who.
    answer = ready.ask(question)
    assert answer.answerable
    assert "Ishiguro" in answer.passages[0].chunk.text
    # Asked of a work the notes never name, still declined.
    assert not ready.ask("who wrote the remains of the day").answerable
    # Asked who wrote something else, not the work: no passage is put first for its writer.
    assert not asks_who_wrote_the_work("who wrote the letter about Ruth?", ready._lexical)
    assert asks_who_wrote_the_work("who's the author?", ready._lexical)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("who wrote never let me go", True),
        ("Who's the author?", True),
        ("who is the book by", True),
        ("Who writes the best essays?", True),  # the pattern; retrieval weighs the rest
        ("What did Kathy write?", False),
        ("Who is the narrator?", False),
    ],
)
def test_what_asks_who_wrote_the_work(question, asks):
    assert bool(ASKS_WHO_WROTE.search(question)) is asks


@pytest.mark.parametrize(
    "question",
    [
        "What is the significance of the students having no family?",
        "Analyse the significance of the students having no family.",
    ],
)
def test_an_essay_frame_does_not_count_as_a_word_the_notes_lack(ready, question):
    # "significance" is in no passage; the question is about students and family.
    answer = ready.ask(question)
    assert answer.answerable and "no actual family" in answer.passages[0].chunk.text
    assert ready._lexical.known_share(question) == 1.0


def test_how_someone_is_treated_is_asked_in_words_the_notes_need_not_use(ready):
    # The notes never say "treat": Tommy is goaded, laughed at ("The idiot!"), comforted.
    answer = ready.ask("how is tommy treated?")
    assert answer.answerable and ready._lexical.known_share("how is tommy treated?") == 1.0
    assert "Tommy" in answer.answer
    assert not ready.ask("How is cancer treated?").answerable  # the rest still counts


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("Tell me about Dover", "recovery centre in Dover"),
        ("what happens at dover", "recovery centre in Dover"),
        ("What are the veterans?", "one of the veterans"),
    ],
)
def test_rare_things_the_notes_mention_in_passing_are_answered(ready, question, evidence):
    # No sentence is *about* Dover, so none is close in meaning; one passage names it.
    answer = ready.ask(question)
    assert answer.answerable and evidence in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_asking_for_help_with_writing_names_nothing_the_passage_must_match(ready):
    """ "why do they stay close? conclusion para help" had been declined: "conclusion",
    "para" and "help", in no passage, weighed as much as "stay" and "close"."""
    answer = ready.ask("why do they stay close? conclusion para help")
    assert answer.answerable and "is still strong" in answer.passages[0].chunk.text


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("Explain the quote about the recovery centre in Dover", "recovery centre in Dover"),
        ("Explain the Dover quote", "recovery centre in Dover"),
        ("analyse the quote my heart had done a little leap", "My heart had done a little leap"),
        # quoting the notes: the sentence quoted runs on for fifty words, so neither it nor
        # its passage is close in meaning to the question, which had been declined
        ("what does 'my heart had done a little leap' mean", "My heart had done a little leap"),
        ("analyse the words “my heart had done a little leap”", "My heart had done a little"),
        # two words in quotation marks that are not stopwords: both had been declined
        (
            "my notes say they didnt part 'on the most amicable of terms' - what does amicable "
            "mean, did they hate each other?",
            "not parting on the most amicable of terms",
        ),
        (
            "What's the effect of the word 'instant' in 'the instant I saw her again'?",
            "the instant I saw her again",
        ),
        # one word in quotation marks: what the notes say where they use it, not their one
        # comment on a quotation ("Kathy’s use of the word seeking suggests…")
        ("what does the word 'goaded' suggest about how tommy gets treated", "often goaded"),
    ],
)
def test_a_quotation_asked_about_by_its_words_is_answered(ready, question, evidence):
    # The notes never say "quote" or "analyse": those words ask how, not about what.
    answer = ready.ask(question)
    assert answer.answerable and HEDGE not in answer.answer
    assert evidence in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    ("question", "text", "quotes"),
    [
        (
            "what does 'my heart had done a little leap' mean",
            "My heart had done a little leap, because",
            True,
        ),
        ("explain 'a little leap'", "My heart had done a little leap.", False),  # 3 words
        ("what happens at the end of the novel", "reunited near the end of the novel", False),
    ],
)
def test_a_question_quotes_a_passage_by_five_words_in_a_row(question, text, quotes):
    assert quotes_from(question, text) is quotes


@pytest.mark.parametrize(
    ("question", "quoted"),
    [
        ("What does 'goaded' suggest about Tommy's role?", [("goaded",)]),
        (
            "the word ‘instant’ in “the instant I saw her”",
            [("instant",), ("the", "instant", "i", "saw", "her")],
        ),
        ("Ruth's and Tommy's roles; the students' lives", []),  # apostrophes quote nothing
        ("didn't they 'make up'?", [("make", "up")]),
        # an apostrophe inside a word closes nothing: this had quoted nothing, and the
        # question was declined
        ("the 'didn't exactly vanish' part", [("didn't", "exactly", "vanish")]),
        ("the ‘didn’t exactly vanish’ part", [("didn't", "exactly", "vanish")]),
        ("Comment on the word snubs", [("snubs",)]),  # named as a word
        # a name after "the verb" says whose it is: "Kathy" is no word asked about
        ("Comment on the verb Kathy uses for finding donors", []),
        ("comment on the verb kathy uses for finding donors", []),
        ("Why does Ishiguro use the word Seeking?", [("seeking",)]),
    ],
)
def test_the_words_a_question_sets_in_quotation_marks(question, quoted):
    assert words_quoted(question) == quoted


@pytest.mark.parametrize(
    ("question", "quotes"),
    [
        ("what does 'the most amicable of terms' mean", True),
        ("what does 'amicable' mean", True),  # one word of four letters or more
        ("what does 'of' mean", False),  # a stopword
        ("what does 'Kathy' mean", False),  # a name, written with a capital
        ("what does the word amicable mean", True),  # a word named as one
        ("why is it called 'Never Let Me Go'?", False),  # a title: no word in lower case
        ("what does 'the most friendly of terms' mean", False),  # not the notes' words
    ],
)
def test_words_of_the_notes_in_quotation_marks_are_a_quotation_of_them(question, quotes):
    text = "Despite not parting on the most amicable of terms in Never Let Me Go, Kathy…"
    assert quotes_in_marks(question, text) is quotes


def test_asked_to_analyse_a_quotations_language_the_comment_on_it_comes_first(ready):
    question = "Analyse the language in 'I started seeking out for my donors people from the past'"
    top = ready.ask(question).passages[0].chunk
    assert top.text.startswith("Kathy’s use of the word seeking suggests")
    # A comment on another quotation does not come first for any question on language.
    other = ready.ask("analyse the language used to describe the reunion with Tommy")
    assert "seeking" not in other.passages[0].chunk.text


def test_a_close_token_match_does_not_vouch_for_an_unknown_name():
    assert is_answerable(0.2, 0.3, [], token_match=0.75)
    assert not is_answerable(0.2, 0.3, [], token_match=0.6)
    assert not is_answerable(0.2, 0.3, ["Hamlet"], token_match=0.95)


def test_closeness_and_token_match_together_make_a_question_near_the_notes():
    # Neither is enough alone: 0.45 is not close, a 0.45 token match is no paraphrase.
    assert not is_sure(0.45, 0.2, [], token_match=0.45)
    assert is_answerable(0.45, 0.2, [], token_match=0.45)
    assert not is_answerable(0.45, 0.2, [], token_match=0.3)
    assert not is_answerable(0.6, 0.2, ["Hamlet"], token_match=0.45)
    assert is_sure(0.6, 0.2, [], token_match=0.45)  # what is sure is answerable
    assert is_answerable(0.6, 0.2, [], token_match=0.45)


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        # The notes never say "tease", "kids", "helps" or "embarrassed".
        ("Do the other kids tease Tommy?", "goaded into making a fool of himself"),
        ("Who helps Tommy when he is embarrassed?", "It’s nothing to worry about"),
    ],
)
def test_a_question_near_the_notes_is_answered_with_a_hedge(ready, question, evidence):
    answer = ready.ask(question)
    assert answer.answerable and evidence in answer.passages[0].chunk.text
    assert answer.answer.startswith(HEDGE + "\n\n")
    assert evidence in answer.answer
    _assert_citations_verbatim(ready, answer)
    assert not ready.ask("How is Tommy portrayed by his friends?").answer.startswith(HEDGE)


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        # "according to the notes" and a count of people say nothing of what is asked
        (
            "What part do the guardians play in the students' lives according to the notes?",
            "apart from the guardians, all they have is each other",
        ),
        ("conclusion for my essay - why do the three of them stay close", "remain close"),
    ],
)
def test_words_that_frame_a_question_do_not_make_it_uncovered(ready, question, evidence):
    answer = ready.ask(question)
    assert answer.answerable
    assert evidence in answer.answer
    _assert_citations_verbatim(ready, answer)


def test_a_follow_up_reads_past_the_hedge(ready):
    first = ready.ask("Do the other kids tease Tommy?")
    assert first.answer.startswith(HEDGE)
    assert told_point(first.answer).startswith("Ishiguro’s presentation")
    prose = f"{HEDGE}\n\nMainly through her care for old friends, and through the reunion. [1]"
    assert answer_items(prose) == ["Mainly through her care for old friends", "through the reunion"]
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.answer},
    ]
    goes_on = build_query("What happens next?", history, ready._lexical)
    assert goes_on.goes_on and HEDGE not in goes_on.text


def test_a_word_in_every_passage_counts_less_than_a_rare_one(ready):
    lexical: LexicalIndex = ready._lexical
    counts, passages = lexical.vocabulary(None)
    kathy, dover = stems(["kathy", "dover"])
    assert counts[kathy] > counts[dover] >= 1 and passages == len(lexical.chunks)
    # Both questions use two words the notes know and one they don't; "Kathy" is nearly
    # everywhere, "Dover" in one passage.
    assert lexical.known_share("Kathy Tommy deferral") < lexical.known_share("Dover Tommy deferral")
    assert lexical.known_share("Kathy Tommy Ruth") == 1.0
    assert lexical.known_share("deferral cloning") == 0.0


def test_degree_words_do_not_pick_a_passage(ready):
    # "even" is no subject: the passage saying "Even when they fall out" must not rise
    # for it (it came second before), nor "much more intense" for "so much".
    assert content_words("Do they ever really matter so much?") == ["matter"]
    answer = ready.ask("Do the students even have families?")
    assert all("Even when they fall out" not in p.chunk.text for p in answer.passages[:2])


def test_an_off_topic_question_after_on_topic_history_is_still_declined(ready):
    history = [{"role": "user", "content": "How is friendship shown in the novel?"}]
    assert not ready.ask("Who wrote Pride and Prejudice?", history).answerable


def test_suggested_questions_are_answerable(ready):
    for question in ready.starters() + list(
        ready.ask("How does Ishiguro present Ruth?").follow_ups
    ):
        assert ready.ask(question).answerable, question


def test_suggestions_skip_questions_already_asked(ready):
    first = ready.ask("How does Ishiguro present Ruth?")
    assert first.follow_ups
    history = [{"role": "user", "content": first.follow_ups[0]}]
    later = ready.ask("How does Ishiguro present Ruth?", history)
    assert first.follow_ups[0] not in later.follow_ups

    # … nor one asked in other words: misspelt, without "in the novel"; after a refusal too
    starter = next(q for q in ready.starters() if "in the novel" in q)
    asked_so = starter.replace(" in the novel", "").replace("friendship", "frendship")
    history = [{"role": "user", "content": asked_so}]
    refused = ready.ask("Who wrote Hamlet?", history)
    assert not refused.answerable and refused.follow_ups
    assert starter not in refused.follow_ups
    assert starter in ready.ask("Who wrote Hamlet?").follow_ups
    # but a question with the same words in another order or sense is a new question
    repeats = ready._asks_again(["Does Ruth betray Kathy?", "How is friendship shown?"])
    assert repeats("does ruth betray kathy") and repeats("How is frendship shown in the novel?")
    assert not repeats("Does Kathy betray Ruth?") and not repeats("Why is friendship shown?")
    assert not repeats("How is friendship not shown?")
    # "in Never Let Me Go", the set text the title names, says no more than "in the novel"
    named = ready._asks_again(["how is frendship shown in never let me go"])
    assert named(starter) and not named("How is Ruth shown in Never Let Me Go?")


def _starters_from(tutor, knowledge, name: str, notes: str) -> list[str]:
    """The starters the tutor offers when these markdown notes are all it has."""
    (knowledge / BUNDLED_NOTES.name).unlink()
    (knowledge / name).write_text(notes, encoding="utf-8")
    tutor.sync()
    return tutor.starters()


def test_suggestions_on_markdown_headings_read_as_questions(tutor, knowledge):
    """A heading's first word is capitalised because it comes first, so a suggestion says
    "about objects and memory"; a name the notes capitalise everywhere keeps its capital."""
    notes = (
        "# Memory\n\n## Objects and memory\n\nThe tape stands for Kathy's longing.\n\n"
        "## Kathy as a narrator\n\nObjects matter to Kathy, who remembers them all.\n\n"
        "## Madame: the outsider\n\nThe students are afraid of Madame.\n"
    )
    suggestions = _starters_from(tutor, knowledge, "memory.md", notes)
    assert "What do the notes say about objects and memory?" in suggestions
    assert "What do the notes say about Kathy as a narrator?" in suggestions
    # A name before a colon is still a name, and the colon reads as a comma.
    assert "What do the notes say about Madame, the outsider?" in suggestions


def test_a_heading_whose_it_has_no_referent_is_not_suggested(tutor, knowledge):
    notes = (
        "# Revision\n\n## What is photosynthesis?\n\nPlants make glucose from light.\n\n"
        "## Where does it happen?\n\nIn the chloroplasts of the leaves.\n\n"
        "## Why is it vital that leaves are green?\n\nChlorophyll absorbs the light.\n\n"
        "## How does it affect animals?\n\nAnimals breathe the oxygen plants release.\n"
    )
    suggestions = _starters_from(tutor, knowledge, "plants.md", notes)
    assert "What is photosynthesis?" in suggestions
    assert not any("it happen" in q for q in suggestions)  # "it" would be a riddle
    assert "Why is it vital that leaves are green?" in suggestions  # this "it" is no riddle
    assert not any("affect animals" in q for q in suggestions)


def test_markup_in_a_question_is_treated_as_text(ready):
    answer = ready.ask("<script>alert(1)</script> How is **friendship** shown?")
    assert answer.answerable
    assert "<script>" not in answer.answer


@pytest.mark.parametrize(
    "text",
    ["<b>*x*</b> & y", "a\\**b", "&lt; stays &lt;", "| a | b |", "x_y #1 [n] $5 ~s~ {a} `c` +1"],
)
def test_plain_text_undoes_md_escape(text):
    assert plain_text(md_escape(text)) == text


def test_markup_in_the_notes_is_escaped_in_answers(tutor, knowledge):
    (knowledge / "html.txt").write_text(
        "Hailsham tokens\n\n"
        "The students collect <b>tokens</b> and *treasure* them at Hailsham sales.\n",
        encoding="utf-8",
    )
    tutor.sync()
    answer = tutor.ask("What do the students collect at the Hailsham sales?")
    assert answer.answerable
    assert "&lt;b&gt;tokens&lt;/b&gt;" in answer.answer and "<b>" not in answer.answer
    assert "\\*treasure\\*" in answer.answer
    _assert_citations_verbatim(tutor, answer)


@pytest.mark.parametrize(
    ("question", "message"),
    [("", "empty"), ("   \n\t ", "empty"), ("why " * 2500, "characters long; the limit is 2,000")],
)
def test_unusable_questions_get_a_clear_message(ready, question, message):
    with pytest.raises(UsageError, match=message):
        ready.ask(question)


def test_an_empty_knowledge_folder_says_what_to_do(tutor, knowledge):
    for path in knowledge.iterdir():
        path.unlink()
    with pytest.raises(UsageError, match="has no readable notes"):
        tutor.ask("How is friendship shown?")


def test_a_refusal_limited_to_one_file_names_the_file_that_covers_it(tutor, knowledge):
    (knowledge / "mice.txt").write_text(
        "Friendship in Of Mice and Men\n\nGeorge looks after Lennie on the ranch.\n",
        encoding="utf-8",
    )
    tutor.sync()
    answer = tutor.ask("How does Ruth treat Kathy at the Cottages?", source="mice.txt")
    assert not answer.answerable
    assert "mice.txt" in answer.answer and BUNDLED_NOTES.name in answer.answer
    assert "ask again from all the notes" in answer.answer
    assert f"{BUNDLED_NOTES.name} covers it" in answer.answer
    # only near another file's notes: that file may cover it
    near = tutor.ask("Do the other kids tease Tommy?", source="mice.txt")
    assert not near.answerable and f"{BUNDLED_NOTES.name} may cover it" in near.answer
    # covered by no file: the plain refusal
    off_topic = tutor.ask("Who wrote Hamlet?", source="mice.txt")
    assert not off_topic.answerable and BUNDLED_NOTES.name not in off_topic.answer


def test_restricting_to_an_unknown_source_is_a_usage_error(ready):
    with pytest.raises(UsageError, match="no notes file called"):
        ready.ask("How is friendship shown?", source="missing.txt")


def test_fuse_scales_both_rankings():
    assert fuse({1: 0.8, 2: 0.4}, {2: 6.0}) == {1: 0.6, 2: 0.4}
    assert fuse({}, {}) == {}


def test_a_question_that_names_its_own_subject_is_not_mixed_with_the_last(ready):
    history = [
        {"role": "user", "content": "How is friendship shown in the novel?"},
        {"role": "assistant", "content": "Through Kathy's care for old friends…"},
    ]
    question = "And how does Ruth treat Kathy later on?"
    in_chat, alone = ready.ask(question, history), ready.ask(question)
    assert [p.chunk.id for p in in_chat.passages] == [p.chunk.id for p in alone.passages]
    assert "Ruth hurts Kathy" in in_chat.passages[0].chunk.text
    # … while one that leans on it still gets it
    assert is_follow_up("And what about Tommy?", history)
    assert is_follow_up("And why does she do that?", history)


def test_a_pronoun_after_what_the_question_names_points_inside_it(ready):
    """ "What is the exact quotation about Kathy seeking out donors, and where is it in the
    notes?" after "Compare the presentation of Ruth and Tommy." had been searched with
    Ruth and Tommy, and quoted them: its "it" is the quotation it names."""
    history = _conversation(ready, ["Compare the presentation of Ruth and Tommy."])
    question = (
        "What is the exact quotation about Kathy seeking out donors, and where is it in the notes?"
    )
    assert not is_follow_up(question, history)
    assert "I started seeking out" in ready.ask(question, history).passages[0].chunk.text
    # a pronoun for a person points back, however much is named before it
    assert is_follow_up("What does the glue of Hailsham and the Cottages show about her?", history)
    # a pronoun after fewer things named still points back
    assert is_follow_up("whats the key word to analyse in that", history)
    assert is_follow_up("is there a quote where someone is kind to him", history)


def test_a_phrasal_verb_is_matched_token_by_token_in_the_notes_words():
    """ "stick", in no passage, had outweighed every other word of "Does anyone stick up
    for him?" in token matching; the notes say the students "offer support"."""
    assert in_single_words("Does anyone stick up for him?") == (
        "Does anyone defend support for him?"
    )
    # one the notes use themselves stays, with its meaning beside it
    assert in_single_words("do they ever fall out?", frozenset({"fall_out"})) == (
        "do they ever fall out argue quarrel?"
    )
    assert in_single_words("Kathy makes sure she is Ruth's carer") == (
        "Kathy makes sure she is Ruth's carer"
    )
    # "look for" seeks; "make for" is no phrasal verb of known meaning, and "go after"
    # is as often "afterwards" ("Where do the students go after Hailsham?")
    assert in_single_words("does kathy look for her old friends") == (
        "does kathy seek search her old friends"
    )
    assert question_terms("what does kathy make for tommy") == ["kathi", "make", "tommi"]
    assert "seek" not in question_terms("Where do the students go after Hailsham?")
    # "winding him up" teases him, and so does winding Tommy up, who stays named as typed;
    # "the wind speeds up" is a noun
    assert in_single_words("why does everyone keep winding Tommy up?") == (
        "why does everyone keep tease goad annoy provoke Tommy?"
    )
    for question in ["Why does the wind speed up?", "Why does wind speed up over hills?"]:
        assert in_single_words(question) == question
    assert "goad" in question_terms("why do they wind Tommy up")
    assert "goad" in question_terms("why do the others wind Tommy up")  # a subject before
    assert "goad" not in question_terms("they wind up friends")
    # Said of the one teased ("getting wound up"), it means the same; so does being egged on
    assert in_single_words("Why does Tommy keep getting wound up?") == (
        "Why does Tommy keep getting tease goad annoy provoke?"
    )
    assert "goad" in in_single_words("Who gets egged on to look silly?")
    assert in_single_words("Does the story wind up happily?") == "Does the story wind up happily?"
    assert "goad" in in_single_words("why was Tommy wound up by the others")
    assert "goad" in question_terms("Tommy gets wound up easily")  # the word search too
    for unchanged in ["they got wound up in the plan", "what does the egg on the table mean"]:
        assert in_single_words(unchanged) == unchanged
    # … and so does winding up one named before it ("the one the others keep winding up")
    for fronted in (
        "What does it tell us that Tommy is the one the others keep winding up?",
        "Is Tommy the one everybody winds up for a laugh?",
        "Who is the boy that the others keep winding up, and why?",
    ):
        assert "goad" in in_single_words(fronted), fronted
        assert "goad" in question_terms(fronted), fronted
    for unchanged in [
        "Who winds up being Ruth's carer?",
        "Who wound up as a carer?",
        "Is that why Ruth winds up so bitter?",  # from the review of stop 57
        "Why is it Kathy that winds up so lonely?",
        "Kathy is the one who winds up always caring for others",
    ]:
        assert in_single_words(unchanged) == unchanged, unchanged


def test_words_for_quarrelling_are_followed_by_the_notes_words_for_it(ready):
    """ "Do the students ever just bicker about silly stuff?" and "…the students' petty
    squabbles" had been declined: the notes say "silly quarrels", "argue" and "fall out",
    and neither the sentence embedding nor the token vectors put "bicker", "squabbles"
    or "petty" near them."""
    used = set(stems(["argue", "quarrel", "silly", "fall", "out"]))
    assert with_words_meant("why do they bicker", used) == "why do they bicker argue quarrel"
    assert with_words_meant("their petty squabbles", used) == (
        "their petty silly squabbles argue quarrel"
    )
    assert with_words_meant("after a row", used) == "after a row fall out argue"
    # only meanings the notes use, and none for a word they use themselves
    assert with_words_meant("why do they bicker", set()) == "why do they bicker"
    assert with_words_meant("a petty row", used | {"petti"}) == "a petty row fall out argue"
    assert with_words_meant("they bickered", used) == "they bickered argue quarrel"  # by stem
    # a row of seats, or three times in a row, is no quarrel; what is said is not said again
    for unchanged in (
        "they sit in a row",
        "a row of houses",
        "the front row seats",
        "why bicker argue quarrel",
    ):
        assert with_words_meant(unchanged, used) == unchanged
    # how two "left things" is how they parted, where the notes speak of parting
    assert with_words_meant("how did they leave things?", {"part"}) == "how did they parted?"
    assert with_words_meant("why did she leave it so long", {"part"}) == (
        "why did she leave it so long"
    )
    assert with_words_meant("how did they leave things?", set()) == "how did they leave things?"
    left = ready.ask("how did kathy and ruth leave things")
    assert "not parting on the most amicable of terms" in left.passages[0].chunk.text
    for question in (
        "Do the students ever just bicker about silly stuff?",
        "Which short quotation does the guide use to illustrate the students' petty squabbles?",
    ):
        answer = ready.ask(question)
        assert answer.answerable and "silly quarrels" in answer.passages[0].chunk.text


def test_parents_and_disappearing_are_read_in_the_notes_words(ready):
    """Students ask about "parents" and quarrels that "disappear"; the notes speak of
    "family" and differences that "didn't exactly vanish", and neither the sentence
    embedding nor the token vectors joined the two (the opening on "all they have is each
    other" had come before "With no actual family to turn to…")."""
    used = set(stems(["family", "vanish"]))
    assert with_words_meant("they have no parents", used) == "they have no parents family"
    assert with_words_meant("does it disappear", used) == "does it disappear vanish"
    assert with_words_meant("they have no parents", set()) == "they have no parents"
    no_parents = ready.ask("What does having no parents mean for the students' friendships?")
    assert "no actual family to turn to" in no_parents.passages[0].chunk.text
    gone = ready.ask("when they meet again do all their arguments just disappear completely")
    assert "didn’t exactly vanish" in gone.passages[0].chunk.text
    # "embarrassed" is the notes' "humiliating", "cruel" their "hurts"
    assert with_words_meant("he is embarrassed", {"humili"}) == "he is embarrassed humiliate"
    assert with_words_meant("is Ruth cruel", {"hurt"}) == "is Ruth cruel hurt"
    stepping_in = ready.ask("Why does Kathy step in when Tommy is embarrassed?")
    assert "before the silence got humiliating" in stepping_in.passages[0].chunk.text
    # an "opportunity" is the notes' "option"; a "chance" is as often luck
    assert with_words_meant("any opportunities?", {"option"}) == "any opportunities option?"
    assert with_words_meant("did they meet by chance", {"option"}) == "did they meet by chance"
    given = ready.ask("What opportunity does Kathy gain as a carer to look after old friends?")
    assert "given the option of picking" in given.passages[0].chunk.text
    # to "help" each other is the notes' "offer support": the opening's "argue" had come
    # first for "Apart from arguing, do the students ever help each other out?"
    assert with_words_meant("do they help him", {"support"}) == "do they help support him"
    # "disagreements" are the notes' "differences": the Dover quotation ("…all our
    # differences…") had come second to "silly quarrels"
    assert with_words_meant("their disagreements", {"differ"}) == "their disagreements differences"
    quoted = ready.ask(
        "Which quote shows that their old disagreements don't matter as much any more?"
    )
    assert "all our differences" in quoted.passages[0].chunk.text
    # to "admire" is the notes' "look up to", "memories" what they "remember", and
    # "classmates" their fellow "students": each passage had come second
    # (the word search reads a word the notes never use as the phrasal verb of theirs it
    # means, as token matching does: `_PHRASAL_TABLE` backwards, not a second list)
    for asked in ("Who do they admire?", "Is she respected?", "Do they ever reconcile?"):
        best = ready._lexical.search(asked, 1)
        assert best, asked
        said = ready._lexical.chunks[best[0][0]].text
        assert ("look up to" if "reconcile" not in asked else "make up") in said, asked
    admired = ready.ask("Who is the one the other students admire?")
    assert "the girl many other students look up to" in admired.passages[0].chunk.text
    shared = ready.ask("What does the novel suggest about the memories the friends share?")
    assert "remembered things no one else did" in shared.passages[0].chunk.text
    old_classmates = ready.ask("does kathy remember her old classmates")
    assert "has not forgotten the students" in old_classmates.passages[0].chunk.text
    # "status" and "dominant" are the notes' "leader", "popular" their "look up to",
    # "shift" their "change", "tensions" their "differences"
    assert "leader" in question_terms("Who has the most status?")
    assert "look_up" in question_terms("Who is the popular one?")
    assert "chang" in question_terms("Do the groups shift?")
    assert "differ" in question_terms("Are the tensions resolved?")
    status = ready.ask("Who has the most status among the students?")
    assert "He portrays Ruth as a typical leader" in status.passages[0].chunk.text
    # the one "in charge" of a group, its "queen bee" or "top dog", is its "leader"; being
    # put in charge of someone's care is not
    assert with_words_meant("Is Ruth the queen bee?", {"leader"}) == "Is Ruth the leader?"
    assert with_words_meant("is she in charge", {"leader"}) == "is she leader"
    in_charge_of_care = "was Kathy put in charge of Ruth's care?"
    assert with_words_meant(in_charge_of_care, {"leader"}) == in_charge_of_care
    for not_leading in ("Who was put in charge?", "Who is in charge at Hailsham?"):
        assert with_words_meant(not_leading, {"leader"}) == not_leading
    # … and the one everyone "kind of follows", or whose lead they follow; not "follows
    # up", "what follows from this" nor "everyone follows the rules"
    for leads in (
        "who everyone kind of follows.",
        "the others follow her around",
        "they all follow her lead",
    ):
        assert "leader" in with_words_meant(leads, {"leader"}), leads
    for not_leading in (
        "everybody follows up",
        "what follows from this",
        "everyone follows the rules",
        "Why does everyone follow Hailsham's rules?",
        "Do the others follow Ruth to the Cottages?",
    ):
        assert with_words_meant(not_leading, {"leader"}) == not_leading
    followed = ready.ask(
        "There's one girl in my group who everyone kind of follows. Is Ruth like that?"
    )
    assert "He portrays Ruth as a typical leader" in followed.passages[0].chunk.text
    top_dog = ready.ask("Who is the top dog among the students?")
    assert top_dog.answerable
    assert "He portrays Ruth as a typical leader" in top_dog.passages[0].chunk.text
    # friends who stay "connected" stay "tied together" (not "the connection between…"),
    # and a "moral" choice is "the right thing to do"
    tied = set(stems(["tied", "together"]))
    assert with_words_meant("they stay connected", tied) == "they stay tied together"
    assert with_words_meant("the connection between", tied) == "the connection between"
    for not_tied in ("How is Kathy connected to Norfolk?", "How does this connect to it?"):
        assert with_words_meant(not_tied, tied) == not_tied
    assert "right" in question_terms("Is it a moral choice?")
    connected = ready.ask("How do the old friends remain connected after they quarrel?")
    assert "Hailsham is a glue" in connected.passages[0].chunk.text
    duty = ready.ask("Is looking after Ruth a moral duty for Kathy?")
    assert "the right thing to do" in duty.passages[0].chunk.text
    # "in spite of" is the notes' "despite": Ruth hurting Kathy (which also says Kathy
    # "has become Ruth's carer") had come before "Despite having their differences…"
    assert with_words_meant("in spite of it all", {"despit"}) == "despite it all"
    # friends who "look after each other" are the notes' students who "care for each
    # other and offer support", not Kathy looking after her donors
    used = ready._lexical.stem_set
    assert "offer support" in with_words_meant("do they look after one another", used)
    assert with_words_meant("who does Kathy look after", used) == "who does Kathy look after"
    possessive = "do they look after each other's donors"
    assert with_words_meant(possessive, used) == possessive
    mutual = ready.ask("How does Ishiguro show that the students look after one another?")
    assert "offer support when it is needed" in mutual.passages[0].chunk.text
    spite = ready.ask(
        "What is the significance of Kathy becoming Ruth's carer in spite of their past?"
    )
    assert spite.passages[0].chunk.text.startswith("Despite having their differences")
    for asking_for_help in (  # the student asking the tutor, not about helping
        "can you help me understand why Ruth lies?",
        "I need help with the theme of friendship",
        "pls help: why does ruth hurt kathy",
    ):
        assert with_words_meant(asking_for_help, {"support"}) == asking_for_help
        assert "support" not in question_terms(asking_for_help)
    for about_helping in ("Does Tommy get help from Kathy?", "Who does Ruth turn to for help?"):
        assert "support" in with_words_meant(about_helping, {"support"})
        assert "support" in question_terms(about_helping)
    for question in (
        "Apart from arguing, do the students ever help each other out?",
        "do his friends ever actually help him tho",
    ):
        helped = ready.ask(question)
        assert "offer support when it is needed" in helped.passages[0].chunk.text, question


def test_mean_as_unkind_is_read_as_the_notes_hurts_not_as_the_verb(ready):
    """ "Why is Ruth mean?", "is ruth mean to kathy": the adjective had matched "Her past
    friendship with Ruth means more to Kathy…", which came before "…Ruth hurts Kathy
    greatly"; the verb ("What does 'goaded' mean?") keeps its sense."""
    used = set(stems(["hurts", "means"]))
    for unkind in (
        "Why is Ruth mean?",
        "is ruth mean to kathy",
        "Does she stay mean to her?",
        "ruth lowkey mean ngl why",
        "give me a quote where ruth is a bit mean about someone",
        "Is it mean of Ruth to laugh?",
        "Ruth isn’t mean",
        "is ruth kind of mean",
        "why does ruth say mean things",
    ):
        meant = with_words_meant(unkind, used)
        assert "unkind hurt" in meant and " mean" not in meant.lower(), unkind
    for verb in (
        "What does 'goaded' mean?",
        "What is 'goaded' mean?",
        "why does ruth still mean so much to kathy",
        "What is the quote supposed to mean",
        "Is that what they mean?",
        "Does the song mean anything to her",
        "what is meant by glue",
        "What does being a carer mean to Kathy?",
        "What exactly is 'goaded' mean?",
        "What's mean about it",
    ):
        assert with_words_meant(verb, used) == verb, verb
    assert with_words_meant("Why is Ruth mean?", {"mean"}) == "Why is Ruth mean?"  # no "hurt"
    for question in ("Why is Ruth mean?", "is ruth mean to kathy"):
        answer = ready.ask(question)
        assert answer.answerable and "Ruth hurts Kathy greatly" in answer.passages[0].chunk.text


def test_a_students_phrases_are_read_as_the_notes_own_words(ready):
    """ "Like real life" is the notes' "realistic", "say goodbye" their "parting", made to
    "feel silly" their "humiliates" ("silly" had matched "silly quarrels"), "nice to each
    other" their "care", a "lie" their "pretending", "believable" their "realistic"."""
    used = set(stems(["realistic", "parting", "humiliates", "care", "pretending"]))
    assert with_words_meant("do they act like real life", used) == "do they act realistic"
    assert with_words_meant("is it true-to-life", used) == "is it realistic"
    assert with_words_meant("do they seem so real", used | {"meet"}) == "do they realistic"
    assert with_words_meant("she bumps into Tommy", used | {"meet"}) == "she meets Tommy"
    assert with_words_meant("they ran into trouble", used | {"meet"}) == "they ran into trouble"
    used |= set(stems(["pretends", "fondness"]))
    assert with_words_meant("Ruth acts like she can't remember", used) == (
        "Ruth pretends she can't remember"
    )
    assert with_words_meant("does she make out she forgot", used) == "does she pretends she forgot"
    assert with_words_meant("Ruth acts like a leader", used) == "Ruth acts like a leader"
    assert with_words_meant("do they like each other", used) == "do they fondness"
    for unchanged in (
        "Does Kathy feel real bad?",
        "Do the clones look like each other?",
        "Does Ruth act like Madame?",
        "Does Tommy act like he did as a kid?",
        "Could she make out Tommy's face in the dark?",
        "Kathy ran into her room",
        "she bumped into the door",
    ):
        assert with_words_meant(unchanged, used) == unchanged, unchanged
    assert with_words_meant("did they say goodbye as friends", used) == (
        "did they parting as friends"
    )
    assert with_words_meant("Ruth makes her feel so silly", used) == "Ruth makes her humiliated"
    assert with_words_meant("are they nice", used) == "are they nice care"
    assert with_words_meant("why does she lie", used) == "why does she lie pretend"
    assert with_words_meant("do they act like real life", set()) == "do they act like real life"
    assert with_words_meant("a silly quarrel", used) == "a silly quarrel"
    for question, said in (
        ("How does Ruth make Kathy feel silly about the past?", "pretending to have forgotten"),
        ("Is the way the friends act like real life?", "very realistic"),
        ("Are they nice to each other?", "care for each other"),
        ("why does ruth lie about stuff kathy remembers", "pretending to have forgotten"),
        ("Do Kathy and Ruth ever like each other again by the end?", "fondness"),
    ):
        answer = ready.ask(question)
        assert answer.answerable and said in answer.passages[0].chunk.text, question


def test_parting_for_good_is_read_as_the_notes_tied_together(ready):
    """ "Why can't they just walk away from each other after a row?" (cut ties, cut each
    other off, drift apart, stop being friends) asks what keeps friends from parting for
    good, which "…they will still be tied together…" answers: the words for quarrelling
    had put "silly quarrels" first, and several such questions were declined."""
    used = set(stems(["tied", "together"]))
    for parting in (
        "why can't they walk away from each other",
        "why can't they cut ties",
        "why not cut each other off",
        "why don't they drift apart",
        "why don't they stop being friends",
        "why didn’t they walk away from each other",  # NEGATED_AUX, curly apostrophe
        # since stop 57
        "why can't they escape each other",
        "why can't they ever shake each other off",
        "why can't they break away from one another",
    ):
        meant = with_words_meant(parting, used)
        assert meant.endswith("tied together") and meant != parting, parting
    assert with_words_meant("why can't they cut ties", set()) == "why can't they cut ties"
    for unchanged in (
        "they walk away from Hailsham",
        "they cut the cake",
        "does Kathy escape from the Cottages",
        "drift apart but stay tied together",  # said already
        "why did Ruth stop being friends with Kathy",  # a parting that happened
        "do Kathy and Tommy drift apart after Hailsham",  # whether one does
    ):
        assert with_words_meant(unchanged, used) == unchanged
    for question in (
        "Why can't they just walk away from each other after a row?",
        "why cant they just stop being friends after a fight",
        "Why can't the students just cut ties after an argument?",
        "Why can't they ever properly shake each other off, even after a big bust-up?",
    ):
        answer = ready.ask(question)
        assert answer.answerable, question
        assert "still be tied together" in answer.passages[0].chunk.text, question


def test_falling_out_as_a_circumstance_finds_what_follows_it(ready):
    """ "What happens to their friendship once they fall out?" asks what follows a falling
    out, which "Even when they fall out, they will still be tied together…" tells; "argue"
    and "quarrel", which follow "fall out" in token matching, had put the opening on
    students who "argue… make up" first. Asked whether they ever fall out, the words for
    arguing still weigh in full."""
    kept = frozenset({"fall_out"})
    for circumstance in (
        "what happens to their friendship once they fall out?",
        "Does falling out end a friendship?",
        "why can't they break apart after a falling-out",
    ):
        assert meanings_of_a_circumstance(circumstance, kept) == {"argue", "quarrel"}
    for asked in (
        "Do the Hailsham students ever fall out?",
        "are they falling out?",
        "When do they fall out?",  # asks when, not what follows
        "Why do they keep falling out?",
        "What causes the falling out between Ruth and Kathy?",
    ):
        assert meanings_of_a_circumstance(asked, kept) == frozenset()
    assert meanings_of_a_circumstance("when they fall out", frozenset()) == frozenset()
    assert meanings_of_a_circumstance("if they fall out are they arguing", kept) == {"quarrel"}
    assert meanings_of_a_circumstance("If Ruth and Kathy fall out, why…", kept) == {
        "argue",
        "quarrel",
    }
    top = ready.ask("what happens to their friendship once they fall out?").passages[0].chunk
    assert "they will still be tied together" in top.text
    # the other way round: the notes' own "argue", set up as a circumstance, is read as
    # their "fall out" too; asked about, it is not
    used = {"argu", "fall_out"}
    assert with_phrasals_meant("so why stay close even after they argue", kept, used) == (
        "so why stay close even after they argue fall out"
    )
    for asked in (
        "Do they argue?",
        "When do they argue?",
        "Why do they argue so much?",
        "So when do they argue?",  # from the review of stop 57
        "Do they even argue?",
    ):
        assert with_phrasals_meant(asked, kept, used) == asked
    history = [
        {"role": "user", "content": "What does the writer compare Hailsham to?"},
        {"role": "assistant", "content": "To a glue that bonds its students together."},
    ]
    top = ready.ask("Why does it have that effect even after they argue?", history)
    assert "they will still be tied together" in top.passages[0].chunk.text


def test_the_word_search_also_looks_for_the_notes_words_for_a_students_word(ready):
    """The word search (bm25) looked for "parents" and "disappear", which the notes never
    use, but not "family" and "vanish", which token matching already read for them: the
    two searches disagreed, and the opening ("all they have is each other") or Kathy
    meeting Tommy came first."""
    assert {"famili"} <= set(question_terms("Why do they have no parents?"))
    assert {"argu", "quarrel"} <= set(question_terms("why do they bicker"))
    assert "famili" not in question_terms("Why do they have no friends?")
    for question, evidence in (
        ("Why does having no parents make their friendships matter more?", "no actual family"),
        ("When the friends meet again do their old disagreements disappear?", "vanish"),
    ):
        assert evidence in ready.ask(question).passages[0].chunk.text, question


def test_does_anyone_stick_up_for_him_finds_kathy_standing_up_for_tommy(ready):
    history = [
        {"role": "user", "content": "How do the other students treat Tommy at Hailsham?"},
        {"role": "assistant", "content": "They goad him into making a fool of himself."},
    ]
    top = ready.ask("Does anyone stick up for him?", history).passages[0].chunk
    assert "offer support when it is needed" in top.text
    assert _token_weights_of(ready, "Does anyone stick up for Tommy?")["anyone"] == 0.0


def test_a_follow_up_after_a_question_the_notes_do_not_cover_stands_on_its_own(ready):
    """ "Ruth?" after "Who wrote Hamlet?" is about Ruth, not Hamlet: searched together the
    two were refused, although the notes answer "Ruth?" alone."""
    history = [
        {"role": "user", "content": "Who wrote Hamlet?"},
        {"role": "assistant", "content": "I can't find this in the study notes."},
    ]
    assert is_follow_up("Ruth?", history)
    answer = ready.ask("Ruth?", history)
    assert answer.answerable
    assert "Ruth" in answer.passages[0].chunk.text
    assert not answer.answer.startswith(HEDGE)  # clearly covered alone, only near together
    _assert_citations_verbatim(ready, answer)
    assert not ready.ask("And who wrote Macbeth?", history).answerable
    # one that points back at the off-topic question is not answered from unrelated notes
    elsewhere = [{"role": "user", "content": "Who is Elizabeth Bennet?"}]
    assert not ready.ask("How does she treat her friends?", elsewhere).answerable


def test_a_follow_up_naming_a_new_subject_is_answered_about_it(tutor, knowledge):
    """ "And friendship?" after a question on memory, with notes on both: the answer is
    about friendship (from the friendship notes), not about memory again."""
    (knowledge / "memory.md").write_text(MEMORY_NOTES, encoding="utf-8")
    tutor.sync()
    history = [{"role": "user", "content": "How is memory shown in the novel?"}]
    before = tutor.ask(history[0]["content"])
    assert before.passages[0].chunk.source == "memory.md"
    answer = tutor.ask("And friendship?", history)
    assert answer.answerable
    top = answer.passages[0].chunk
    assert top.source == BUNDLED_NOTES.name
    assert "friendship" in top.text.lower()
    assert new_subject("And what about Tommy?", "How does Ruth treat Kathy?") == ("tommi",)
    assert new_subject("And why does she do that?", "How does Ruth treat Kathy?") == ()
    assert new_subject("Any other examples?", "How does Ruth hurt Kathy?") == ()  # a request


def test_the_like_of_what_is_it_like_is_no_new_subject(ready):
    """ "What about Tommy - what's it like when she sees him again?" after a question on
    Dover turns to Tommy; "like" had counted as a new subject too, and the Dover
    quotation ("…like the fact that we'd grown up together…") had gained for it."""
    dover = "How does Kathy feel when she sees Ruth again in Dover?"
    tommy = "What about Tommy - what's it like when she sees him again?"
    assert new_subject(tommy, dover) == ("tommi",)
    answer = ready.ask(tommy, [{"role": "user", "content": dover}])
    assert "My heart had done a little leap" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    "previous",
    [
        "Why does Kathy become Ruth's carer?",
        "How does Ruth treat Kathy?",
        "How is friendship shown?",
    ],
)
def test_a_follow_up_naming_only_a_new_subject_is_answered_from_passages_on_it(ready, previous):
    """ "What about Tommy?" after "Why does Kathy become Ruth's carer?" had been answered
    from the passage on why she becomes Ruth's carer, which never names him; after the
    others, from a passage naming "Kathy, Ruth and Tommy" in passing."""
    history = [{"role": "user", "content": previous}]
    history.append({"role": "assistant", "content": ready.ask(previous).answer})
    top = ready.ask("what about Tommy?", history).passages[0].chunk
    assert top.text.count("Tommy") >= 2, top.text


def test_a_follow_up_turning_to_something_new_is_about_it_whatever_its_pronouns(ready):
    """ "she" is Kathy still; with any pronoun the question had no subject of its own,
    and the Dover quotation came before the reunion with Tommy."""
    question = "What about when she meets Tommy again?"
    previous = "How does Kathy feel when she sees Ruth again in Dover?"
    assert new_subject(question, previous) == ("meet", "tommi")
    assert new_subject("And why does she do that?", previous) == ()
    history = [{"role": "user", "content": previous}]
    history.append({"role": "assistant", "content": ready.ask(previous).answer})
    assert "Tommy" in ready.ask(question, history).passages[0].chunk.text


def test_markdown_notes_are_answered_in_their_words_without_their_syntax(tutor, knowledge):
    """A teacher's .md notes: the answer reads "the central theme", not "**central theme**",
    while each citation is still the file's own characters at its offsets."""
    (knowledge / "memory.md").write_text(MEMORY_NOTES, encoding="utf-8")
    tutor.sync()
    answer = tutor.ask("What is the central theme?", source="memory.md")
    assert answer.answerable
    _assert_citations_verbatim(tutor, answer)
    assert "**central theme**" in answer.citations[0].quote
    assert "Memory is the central theme of the novel." in answer.answer
    assert "\\*" not in answer.answer and "#" not in answer.answer


MEMORY_NOTES = """# Memory in Never Let Me Go

Memory is the **central theme** of the novel. Kathy narrates the whole story *in
retrospect*, looking back from her life as a carer, and her account is shaped by what
she chooses to remember.

## Memory as comfort

For Kathy, remembering Hailsham is a way of holding on to the people she has lost.
Her memories of the others are the one thing the system cannot take from her.
"""


def test_spelling_and_follow_up_helpers():
    assert edit_distance("shwon", "shown") == 1
    assert edit_distance("frendship", "friendship") == 1
    assert is_follow_up("And what about her?", [{"role": "user", "content": "Ruth?"}])
    assert not is_follow_up("Who wrote Hamlet?", [{"role": "user", "content": "Ruth?"}])
    assert not is_follow_up("And what about her?", [])


def test_a_misspelt_degree_word_stays_a_stopword(ready):
    # "realy" is one edit from the notes' "real" ("of real importance") and from "really";
    # it must not become a subject. A misspelt notes word still finds its notes word.
    corrected = ready._lexical.correct("Does Ruth realy hurs Kathy, actualy?")
    assert corrected == "Does Ruth really hurts Kathy, actually?"


def test_a_misspelling_that_stems_as_a_notes_word_is_still_mended(ready):
    """ "importent" stems as "important" does, so it had passed for a form of a notes word;
    the token vectors read it as a word of its own, and the list of ways the novel shows
    friendship came before "…friendship between the students was of the utmost
    importance". A dictionary's forms of notes words are kept as they are."""
    assert ready._lexical.correct("why is friendship so importent") == (
        "why is friendship so important"
    )
    kept = "Ruth's behaviour is partly to blame"
    assert ready._lexical.correct(kept) == kept
    answer = ready.ask("why is friendship so importent in the book")
    assert "of the utmost importance" in answer.passages[0].chunk.text


def test_a_contraction_is_not_taken_for_a_misspelling(ready):
    # "didn" alone is one edit from "did": the contraction became "did't", a word no one
    # uses, which the dense search embedded and the known-word share counted as unknown.
    question = "Which quote shows their old arguments didn't matter, and Kathy wasn't hurt?"
    assert ready._lexical.correct(question) == question
    assert ready._lexical.correct("Kathyy's frend") == "kathy's friend"  # a possessive is


def test_quoting_the_notes_words_with_an_apostrophe_is_answered_from_them(ready):
    answer = ready.ask(
        "what does the bit between the dashes add - the 'didn't exactly vanish' part?"
    )
    assert answer.answerable and "didn’t exactly vanish" in answer.passages[0].chunk.text


def test_chat_hedges_are_no_words_of_the_question(ready):
    assert ready.ask("ruth lowkey mean ngl why").answerable  # had been declined for them


def test_who_someone_misheard_is_in_the_book_is_who_they_are(ready):
    top = ready.ask("who is tommie in the book").passages[0].chunk.text  # Kathy meeting him
    assert "Tommy as the student who is often goaded" in top


def test_a_name_misheard_or_spelt_as_it_sounds_is_the_notes_name(ready):
    """Dictation and students write names as they sound: "tommie" had been searched as a
    word of its own (an English one: a name), "rooth" as "root", "hail sham" as two
    words; "why does everyone make fun of tommie" was declined."""
    lexical: LexicalIndex = ready._lexical
    assert lexical.correct("is rooth the popular one") == "is ruth the popular one"
    assert lexical.correct("and tommie's temper") == "and tommy's temper"
    assert lexical.correct("Cathy and Katy") == "kathy and kathy"
    assert lexical.correct("who teaches at hail sham") == "who teaches at hailsham"
    # a common English word is not a name's, nor is a word two edits from one that is
    # an English word in its own right, nor are two words that are the notes' own
    assert lexical.correct("the root of it, the truth") == "the root of it, the truth"
    assert lexical.correct("why is ruth so catty") == "why is ruth so catty"
    assert lexical.correct("they make up") == "they make up"
    assert lexical.correct("Ruth's inner life") == "Ruth's inner life"  # no "'sinner"
    assert sound_key("mackbeth") == sound_key("Macbeth")
    assert sound_key("tommie") == sound_key("Tommy") and sound_key("rooth") == sound_key("Ruth")
    assert sound_key("root") == sound_key("Ruth")  # alike: frequency keeps "root" a word
    answer = ready.ask("why does everyone always make fun of tommie like why do they wind him up")
    assert answer.answerable and "goaded into making a fool" in answer.passages[0].chunk.text
    # someone else the notes never name is still someone else, not a misspelling
    for other in ("Who is Judy?", "Who is Timmy?"):
        assert not ready.ask(other).answerable, other


def test_a_name_cut_short_or_with_a_pet_ending_is_the_notes_name(ready):
    """Students call Kathy "Kath", Tommy "Tom" and Ruth "Ruthie": each had been a name the
    notes never use, so "how does Ishiguro present Tom in the friend group?" was declined,
    and "does Kath complete…" was not seen to ask one of the notes' people's fate."""
    lexical: LexicalIndex = ready._lexical
    assert lexical.correct("did Kath and ruthie fall out") == "did kathy and ruth fall out"
    assert lexical.correct("is Tom teased") == "is tommy teased"
    assert lexical.unknown_names("how does Ishiguro present Tom in the friend group?") == []
    assert lexical.unknown_names("do Kath and Ruthie end up friends again?") == []
    for question in (
        "how does Ishiguro present Tom in the friend group?",
        "do Kath and Ruthie end up friends again by the end?",
    ):
        answer = ready.ask(question)
        assert answer.answerable and answer.citations, question
    # the notes know nothing of how their stories end, by any name
    for question in ("does Tom complete at the end of the book?", "does Kath complete"):
        assert not ready.ask(question).answerable, question
    # a common English word needs its capital to be a name, a short one too, and a name
    # the notes' cannot be shortened to stays someone else
    assert lexical.correct("stuck in a rut with a tom cat") == "stuck in a rut with a tom cat"
    assert lexical.unknown_names("Who is Timmy?") == ["Timmy"]
    assert lexical.unknown_names("Is Hails a place?") == ["Hails"]  # Hailsham, cut by 3
    # a name cut short loses a pet ending's letters: "Dove" is no "Dover", "Rome" no
    # "Romeo"; and a pet form must be rare in English ("Slimy" is no "Slim")
    assert lexical.unknown_names("Is Dove Cottage nice?") == ["Dove"]
    notes = "Play Notes\n\nRomeo loves Juliet. Slim is wise, and Romeo trusts Slim and Juliet.\n"
    other = LexicalIndex(chunk_document(parse_document("play.txt", notes.encode())))
    assert other.unknown_names("Is the play set in Rome?") == ["Rome"]
    assert other.unknown_names("Why is the hat Slimy?") == ["Slimy"]


def test_a_word_spelt_as_it_sounds_is_the_notes_word(ready):
    """Students who spell by sound write "stoodents", "desyde", "becum", "Cottidges": too
    many edits from the notes' words for the spelling correction, so general English
    correction had read "becum" as another English word ("begum"), and "why does Kathee
    desyde to becum Rooth's carer?" was declined."""
    lexical: LexicalIndex = ready._lexical
    assert lexical.correct("do the stoodents make up") == "do the students make up"
    assert lexical.correct("at the Cottidges") == "at the cottages"
    assert lexical.correct("she will becum a carer") == "she will become a carer"
    assert lexical.correct("laughing at sumone") == "laughing at someone"
    # a stem's sound finds the notes' nearest form: the notes say "decides", "deciding"
    assert lexical.correct("why desyde") == "why decides"
    assert sound_key("cottidges") == sound_key("Cottages")
    assert sound_key("desyd") == sound_key("decid") and sound_key("becum") == sound_key("become")
    # an English word one edit away that sounds as written, or has two letters swapped,
    # is the likelier ("mokking" had become "making", "teesing" the stopword "these");
    # a word too short for its sound to say which it is is not read by it ("kair")
    assert lexical.correct("why is ruth mokking him") == "why is ruth mocking him"
    assert lexical.correct("is ruth teesing kathy") == "is ruth teasing kathy"
    assert lexical.correct("a peice of advice") == "a piece of advice"
    assert lexical.correct("do they kair") != "do they care"
    answer = ready.ask("why does Kathee desyde to becum Rooth's carer?")
    assert answer.answerable
    assert "decides that the right thing to do" in answer.passages[0].chunk.text


def test_the_sound_index_is_built_only_for_a_word_no_dictionary_has():
    """Filing every notes word by its sound costs start-up time on a large vocabulary
    (0.61 s against 0.14 s for 20,000 words): it waits until a word needs it."""
    vocabulary = Counter({"students": 5, "decides": 2, "cottages": 1, "friendship": 3})
    speller = SpellingCorrector(vocabulary)
    assert speller.correct("frendship") == "friendship"  # within edits: no sound needed
    assert speller.correct("world") == "world"  # English, left alone
    assert "_words_by_sound" not in vars(speller)
    assert speller.correct("stoodents") == "students"
    assert "_words_by_sound" in vars(speller)
    # given the stems, it stems no notes word itself: a wrong map shows it is the one used
    wrong = {word: "x" for word in vocabulary}
    assert SpellingCorrector(vocabulary, stem_of=wrong).correct("desyde") != "decides"
    assert SpellingCorrector(vocabulary).correct("desyde") == "decides"
    # the English word list is loaded once, however many notes indexes are built
    assert SpellingCorrector(vocabulary).english is speller.english


def test_a_general_english_correction_is_the_same_in_every_run():
    """pyspellchecker breaks a tie between equally common candidates in set order, which
    changes with Python's hash seed: "becum" was "begum" in one run and "cecum" in
    another. The tutor breaks ties alphabetically, so a question reads the same each run."""
    script = (
        "from collections import Counter; from tutor.words import SpellingCorrector; "
        "s = SpellingCorrector(Counter({'students': 1})); "
        "print(s.correct('cragx'), s.correct('martinx'))"
    )
    runs = {
        tuple(
            subprocess.run(
                [sys.executable, "-c", script],
                env={**os.environ, "PYTHONHASHSEED": str(seed)},
                capture_output=True,
                text=True,
                check=True,
            ).stdout.split()[-2:]
        )
        for seed in range(6)
    }
    assert runs == {("crag", "martin")}
    # as pyspellchecker's own correction, a word written without its accents is that word
    assert SpellingCorrector(Counter({"students": 1})).correct("cliche") == "cliché"


def test_unknown_names_are_spotted(ready):
    lexical: LexicalIndex = ready._lexical
    assert lexical.unknown_names("Who is Harry Potter's best friend?") == ["Harry", "Potter"]
    assert lexical.unknown_names("How does Ishiguro present Ruth and Tomy?") == []


@pytest.mark.parametrize(
    ("question", "undefined"),
    [
        ("what even is a deferral in never let me go", ["deferral"]),
        ("What does 'deferral' mean?", ["deferral"]),
        ("define deferal", ["deferal"]),  # misspelt, and still not in the notes
        # asking more of it, about people the notes name: the thing asked about decides
        ("What is a deferral and how do Kathy and Tommy try to get one?", ["deferral"]),
        (
            "What is the deferral rumour, and do Kathy and Tommy manage to get one?",
            ["deferral", "rumour"],
        ),
        ("whats the efect of the word seeking in kathys line", []),  # frames, misspelt
        ("whats the deal with kathy and ruths friendship", []),
        ("What's the relationship between Kathy and Ruth like?", []),
        ("What are the two main ways Ishiguro shows friendship?", []),
        # the thing whose significance is asked
        (
            "What's the significance of the stranded boat that Kathy, Ruth and Tommy go to see?",
            ["stranded", "boat"],
        ),
        ("What is the significance of the word seeking?", []),
        # what the thing is of or for is asked about too
        ("What is the motive for Kathy leaving the Cottages?", []),
        ("What is the motive behind Ruth's behaviour?", []),
        ("what is the importance of hailsham", []),
        ("So what is a carer in the novel?", []),  # the notes use it
        ("what is a carrer", []),  # a misspelling of a word they use
        ("And what's the quote for that?", []),  # no term: a request
        ("whats a deferral", ["deferral"]),
        ("what is a donation?", []),  # a form of "donors", which the notes use
        # what happens at a thing: that thing is asked about (it had been answered from
        # the "seeking out" passage)
        ("what happens on the boat trip, the bit where they all go to see it", ["boat", "trip"]),
        ("what happens at the cottages", []),
        ("what happened at the recovery centre", []),
        ("what happens in the scene where tommy loses his temper", []),  # a pointer
    ],
)
def test_a_term_the_notes_never_use_is_not_explained_from_them(ready, question, undefined):
    """With the rest of the question the novel's title, which the notes match everywhere,
    "what even is a deferral in never let me go" had a hedged answer on friendship."""
    assert ready._lexical.undefined_terms(question) == undefined
    if undefined:
        answer = ready.ask(question)
        assert not answer.answerable and not answer.citations


def test_a_possessive_is_no_term_asked_about(tutor, knowledge):
    """ "What is Madame's Gallery?" asks what the Gallery is: "Madame" had been taken for
    the term, compared capitalised with the notes' words, found in none, and declined."""
    (knowledge / "gallery.md").write_text(
        "# The Gallery at Hailsham\n\n## What is Madame's Gallery?\n\nMadame takes the best "
        "art for her Gallery and the students believe it shows what is inside them.\n",
        encoding="utf-8",
    )
    tutor.sync()
    assert tutor._lexical.undefined_terms("What is Madame's Gallery?") == []
    assert tutor._lexical.undefined_terms("What is Deferral?") == ["deferral"]
    assert tutor.ask("What is Madame's <b>Gallery</b>?").answerable


@pytest.mark.parametrize(
    "question",
    # Near enough to the notes in meaning and word by word to be answered with a hedge,
    # but about the novel's film and its author's life, which the notes never mention.
    ["Who plays Tommy in the movie?", "Is Kazuo Ishiguro married?"],
)
def test_a_question_on_the_works_context_the_notes_never_mention_is_declined(ready, question):
    assert ready._lexical.unknown_context_words(question)
    answer = ready.ask(question)
    assert not answer.answerable and not answer.citations


def test_a_context_word_does_not_overrule_a_clear_match(tutor, knowledge):
    # "marry" asks about the story here, and the notes say it in other words.
    (knowledge / "carol.txt").write_text(
        "Scrooge and Belle\n\nIn Stave Two the Ghost of Christmas Past shows Scrooge his "
        "former fiancee Belle. Belle ends their engagement because Scrooge has come to love "
        "money more than her.\n",
        encoding="utf-8",
    )
    tutor.sync()
    question = "Who was Scrooge going to marry?"
    assert tutor._lexical.unknown_context_words(question, "carol.txt") == ["marry"]
    answer = tutor.ask(question)
    assert answer.answerable and not answer.answer.startswith(HEDGE)
    assert "his former fiancee Belle" in answer.answer


def _ask_after_a_refusal(tutor, first: str, then: str):
    """Ask `first`, which the notes do not cover, then `then` as its follow-up."""
    refused = tutor.ask(first)
    assert not refused.answerable
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": refused.answer},
    ]
    return tutor.ask(then, history)


@pytest.mark.parametrize(
    ("first", "then"),
    [
        ("Who plays Kathy in the film?", "why?"),
        ("Is Kazuo Ishiguro married?", "does he have kids?"),
        # Naming only a new subject, a follow-up asks the same of it: who plays Tommy.
        ("Who plays Kathy in the film?", "And Tommy?"),
        ("Who plays Kathy in the film?", "Kathy?"),  # not the question asked again
        ("Who played Ruth in the movie?", "what about Kathy?"),
        ("Who played Ruth in the movie?", "and who directed it?"),
    ],
)
def test_a_follow_up_to_a_question_on_the_works_context_is_declined_too(ready, first, then):
    answer = _ask_after_a_refusal(ready, first, then)
    assert not answer.answerable and not answer.citations


@pytest.mark.parametrize(
    ("first", "then", "evidence"),
    [
        ("Who plays Kathy in the film?", "why does she become a carer?", "Kathy"),
        ("When was Never Let Me Go published?", "how is friendship shown in it?", "friendship"),
    ],
)
def test_a_follow_up_asking_its_own_question_after_one_on_the_context_is_answered(
    ready, first, then, evidence
):
    answer = _ask_after_a_refusal(ready, first, then)
    assert answer.answerable and evidence in answer.answer


def test_context_words_count_only_when_the_notes_never_use_them(tutor, knowledge):
    (knowledge / "context.txt").write_text(
        "Never Let Me Go in context\n\n"
        "The 2010 film of Never Let Me Go stars Carey Mulligan as Kathy and Andrew "
        "Garfield as Tommy.\n",
        encoding="utf-8",
    )
    tutor.sync()
    lexical: LexicalIndex = tutor._lexical
    assert lexical.unknown_context_words("Who plays Kathy in the film?") == []
    assert lexical.unknown_context_words("When was the novel published?") == ["published"]
    assert lexical.unknown_context_words("Where was Ishiguro born?", BUNDLED_NOTES.name)
    answer = tutor.ask("Who stars as Kathy in the film?")
    assert answer.answerable and "Carey Mulligan" in answer.answer


@pytest.mark.parametrize(
    ("question", "about_screen"),
    [
        ("Who played Ruth in the movie?", True),
        ("Who was Ruth played by?", True),
        ("Who starred as Kathy?", True),
        ("Who plays tricks on Tommy?", False),
        ("How does Ruth play with Kathy's feelings?", False),
        # Essay and drama wording, not the screen.
        ("What role is played by Hailsham in the students' friendships?", False),
        ("Is Ruth cast as the villain of the novel?", False),
        ("How might a director stage the witches' prophecy?", False),
    ],
)
def test_what_asks_about_the_work_on_screen(question, about_screen):
    assert asks_about_screen(question) is about_screen


@pytest.mark.parametrize(
    ("question", "wants_a_year"),
    [
        ("When was A Christmas Carol published?", True),
        ("What year was Kazuo Ishiguro born?", True),
        ("When was Macbeth written?", True),
        ("When does Ruth hurt Kathy?", False),
        ("Who wrote Never Let Me Go?", False),
        ("When is insulin released?", False),
        ("When does Kathy write to Tommy?", False),  # the story, in the present
    ],
)
def test_what_asks_for_a_date(question, wants_a_year):
    assert asks_for_a_date(question) is wants_a_year


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What happens to Tommy at the very end of the novel?", True),
        ("what happens to tommie in the end", True),
        ("and what happens to her after that, does she complete there?", True),
        ("What happens to Ruth after her final donation?", True),
        ("when Tommy completes, is Kathy there?", True),
        ("What happens to the three of them in the end?", False),  # the friendship
        ("What happens to Kathy's feelings about their old arguments?", False),
        ("What happens to her after that?", False),  # what the notes say next
        ("What happens to Tommy at the end of the chapter?", False),
        ("What happens to Ruth at the end of the trip to Norfolk?", False),
        ("what happens to tommy in the end of the chapter", False),
        ("What happens to Kathy by the end of the novel?", False),  # the notes say
        ("What happens to Hailsham in the end?", False),  # a place
        ("What happens to Tommy at the end of the book?", True),
        ("does kathy ever complete", True),
        ("did tommy complete any drawings", False),
        ("Kathy completes eleven years as a carer", False),
        ("ruth completed 2 donations", False),
        ("give me the complete quote", False),
        ("they completed their essays on Ruth", False),
        ("how do I solve it by completing the square", False),
        ("Does she survive her donations?", True),
        ("does Tommy survive his fourth donation", True),
        ("did ruth die?", True),
        ("does their friendship survive?", False),
        ("Did Kathy survive the Cottages?", False),
        ("she died inside when Ruth laughed", False),
    ],
)
def test_what_asks_how_one_persons_story_ends(question, asks):
    people = frozenset(stems(["tommy", "ruth", "kathy"]))
    assert asks_of_a_fate(question, people) is asks


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Why is the novel called Never Let Me Go?", True),
        ("what does the title mean", True),
        ("what is the significance of the title?", True),
        ("Why is it called a glue?", False),  # the notes' image
        ("ruth is called a 'typical leader' - why", False),
        ("Why is Norfolk called the lost corner of England?", False),
        ("What's the significance of the novel's title?", True),
        ("what does the title Never Let Me Go mean?", True),
        ("my essay title means I have to write about Ruth", False),
        ("what is the point of the title of my essay", False),
    ],
)
def test_what_asks_why_a_work_bears_its_title(question, asks):
    assert asks_about_the_title(question) is asks


def test_what_asks_about_marriage_or_death():
    assert topics_asked("Who did Kathy marry?") == [TOPIC_STEMS["marriage"]]
    assert topics_asked("Who played Kathy's husband in the film?") == [
        SCREEN_STEMS,
        TOPIC_STEMS["marriage"],
    ]
    assert topics_asked("Does Ruth marry into the group?") == [TOPIC_STEMS["marriage"]]
    assert topics_asked("Does Tommy die?") == [TOPIC_STEMS["death"]]
    assert topics_asked("How does Ruth treat Kathy?") == []
    assert topics_asked("How do white blood cells kill pathogens?") == []
    assert topics_asked("Do Ruth and Tommy become a couple?") == [TOPIC_STEMS["romance"]]
    assert topics_asked("give me a couple of quotes on Ruth") == []  # a few
    assert topics_asked("a couple more examples please") == []
    assert topics_asked("give me a couple quotes about Ruth") == []
    assert topics_asked("are they a couple at this point") == [TOPIC_STEMS["romance"]]
    assert dates_it("When was Dickens born?", "Charles Dickens (1812-1870) wrote it.")
    assert not dates_it("When was Dickens born?", "A Christmas Carol (1843) is short.")


@pytest.mark.parametrize(
    "question",
    # Each is close in meaning to the notes on Ruth (closer than many questions they do
    # answer), but only notes on the film can say who plays her or what it shows.
    [
        "Who played Ruth in the movie?",
        "Who was Ruth played by?",
        "In the film, how does Ruth treat Kathy?",
        # Nor can notes that never speak of a husband, wife or wedding say who marries whom
        # (answered with Kathy and Tommy's reunion); "Who was Scrooge going to marry?" is
        # answered from notes on his "former fiancee" (above).
        "Who did Kathy marry?",
        "Does Tommy marry Kathy?",
        # Nor can notes that never speak of a death say who dies.
        "Does Kathy die in the end?",
        "Is Ruth dead?",
        # Nor the author's life: "is ishiguro still alive and what else did he write" had
        # been answered with the friendship's ending.
        "is ishiguro still alive and what else did he write",
        "Is Kazuo Ishiguro still alive?",
        # Nor how one person's story ends, nor a reprieve they never mention: these had been
        # answered with Kathy meeting Tommy again "near the end of the novel".
        "What happens to Tommy at the very end of the novel?",
        "what happens to him in the end, does he complete?",
        "Did Ruth complete after her second donation?",
        "Does Ruth survive her donations?",
        "Do Kathy and Tommy get a deferral?",
        # Nor who is a couple, in notes that never speak of love
        "Do Ruth and Tommy become a couple?",
        "ruth n tommy r dating right?? when did they get together",
        # Nor why the novel bears its title, in notes that never speak of it
        "Why is the novel called Never Let Me Go?",
        # Nor the work set beside one the notes never name, put as close to them as a
        # paraphrase (had been answered)
        "I'm confused about how friendship in Never Let Me Go compares with Ishiguro's"
        " The Remains of the Day.",
    ],
)
def test_a_question_on_the_film_a_marriage_or_a_death_is_declined_however_close(ready, question):
    answer = ready.ask(question)
    assert not answer.answerable and not answer.citations


@pytest.mark.parametrize(
    "question",
    [
        "How is Ruth different from Tommy?",
        "Compare Kathy and Ruth.",
    ],
)
def test_a_comparison_of_what_the_notes_name_is_still_answered(ready, question):
    assert ready.ask(question).answerable


def test_only_what_a_comparison_names_after_with_or_to_is_set_beside_the_work(ready):
    lexical = ready._lexical

    def beside(question: str) -> bool:
        return sets_beside_the_unknown(question, lexical.unknown_names(question), lexical)

    assert beside("How does Ruth compare with Ishiguro's The Remains of the Day?")
    assert beside("Is Kathy similar to Jane Eyre?")
    assert not beside("Compare Kathy and Ruth, Sir")  # a sign-off, unknown but not compared
    assert not beside("Compare Ruth and Kathy for my English essay")
    assert not beside("How is Ruth different from Rooth?")  # a notes name, typed as it sounds
    assert not beside("How is Ruth different from Kathy?")  # nothing unknown


def test_a_couple_of_quotes_is_a_few_and_still_answered(ready):
    answer = ready.ask("give me a couple of quotes about Ruth and Kathy")
    assert answer.answerable and answer.citations


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What other novels has Kazuo Ishiguro written?", True),
        ("Did Ishiguro write any other famous books?", True),
        ("What other plays did Shakespeare write?", True),
        ("Give me another example from the book", False),
        ("Which other quotations show Kathy's loyalty?", False),
        ("Are there other characters like Ruth in the novel?", False),
        ("Which other poems explore conflict?", False),  # an anthology's own poems
        ("What other books does Kathy read at the Cottages?", False),
        ("what else did ishiguro write", True),
        ("What else has the author written?", True),
        ("What else does Kathy do for Ruth?", False),
        ("what else does ishiguro write about Ruth", False),  # about the notes' own text
        ("What is Kazuo Ishiguro's other famous novel about a butler?", True),
        ("name another novel by ishiguro", True),
        ("Are there other books by the same writer?", True),
        ("Give me another example by the way", False),
        ("What are ishiguro's other novels?", True),
        ("What are Tommy's other works like?", False),  # his art
        ("What other stories are told by Kathy?", False),
        ("Did Madame keep any other works by Tommy?", False),
        ("What other books does Kathy mention by chance?", False),
    ],
)
def test_what_asks_about_an_authors_other_works(question, asks):
    assert asks_for_other_works(question) is asks


def test_a_question_on_the_authors_other_works_needs_notes_that_speak_of_them(tutor, knowledge):
    # Close in meaning to notes naming Kazuo Ishiguro and the novel, which cannot answer it.
    notes = (
        "Kazuo Ishiguro\n\nKazuo Ishiguro's other novels include The Remains of the Day "
        "and Klara and the Sun.\n"
    )
    _declined_until_notes_say_it(
        tutor, knowledge, "What other novels has Kazuo Ishiguro written?", notes, "Remains"
    )


def _declined_until_notes_say_it(tutor, knowledge, question: str, notes: str, said: str):
    """The question is declined on the bundled notes, and answered (saying `said`) once
    a file of `notes` that covers it is added."""
    declined = tutor.ask(question)
    assert not declined.answerable and not declined.citations
    (knowledge / "added.txt").write_text(notes, encoding="utf-8")
    tutor.sync()
    answered = tutor.ask(question)
    assert answered.answerable and said in answered.answer


def test_other_themes_need_notes_that_speak_of_themes(tutor, knowledge):
    """ "what other themes are in the novel" had been answered with the list of ways the
    notes show friendship, the one theme they are on."""
    assert asks_for_other_themes("what other themes are in the novel")
    assert not asks_for_other_themes("How is the theme of friendship shown?")
    assert not asks_for_other_themes("What is the main theme of Never Let Me Go?")
    assert tutor.ask("How is the theme of friendship shown?").answerable
    assert tutor.ask("What is the main theme of Never Let Me Go?").answerable  # their one
    notes = (
        "Themes in Never Let Me Go\n\nBesides friendship, the novel's themes include memory "
        "and loss, which Kathy returns to throughout.\n"
    )
    _declined_until_notes_say_it(
        tutor, knowledge, "what other themes are in the novel", notes, "memory"
    )


def test_notes_speak_of_other_works_only_when_they_name_them_as_others():
    def speaks(text: str) -> bool:
        notes = f"Ishiguro\n\n{text}\n".encode()
        return LexicalIndex(chunk_document(parse_document("a.txt", notes))).speaks_of_other_works(
            None
        )

    assert speaks("Ishiguro's other novels include The Remains of the Day.")
    assert speaks("He also wrote Klara and the Sun.")
    assert not speaks("In his novel, Ishiguro explores memory.")
    assert not speaks("Kathy reads her books at the Cottages.")


@pytest.mark.parametrize(
    ("question", "name"),
    [
        ("Who is Lanyon?", "Lanyon"),
        ("who's dr lanyon", "lanyon"),
        ("What is Utterson like?", "Utterson"),
        ("tell me about tommy", "tommy"),
        ("What is friendship like in the novel?", None),  # not a name alone
        ("whats ruth like at hailsham", "ruth"),  # where, or when, of a name the notes use
        ("What is Tommy like during the Cottages?", "Tommy"),
        ("What is life like at Hailsham?", None),  # no name
        ("Who is Madame and why does she take the art?", None),  # asks more
        ("who is tommy in the book", "tommy"),  # the work is no place asked about
        ("What is Tommy like in the novel?", "Tommy"),
        ("who is tommy in the cottages", None),
    ],
)
def test_asking_who_someone_is(question, name):
    assert asks_who(question, frozenset({"ruth", "tommi", "lanyon", "hailsham"})) == name


def test_asked_who_someone_is_in_the_book_the_answer_says_whether_the_notes_say_so(ready):
    assert asks_who_is("who is jody in the book", ready._lexical.names) == "jody"
    answer = ready.ask("who is miss jody in the book")  # named only in a quotation
    assert answer.answer.startswith("The notes don't say who Miss Jody is"), answer.answer


def test_what_says_who_someone_is():
    assert defines("He portrays Ruth as a typical leader.", "ruth")
    assert defines("Later. Dr Lanyon is Jekyll's old friend, a scientist.", "Lanyon")
    assert not defines("When Kathy is a carer she seeks out old friends.", "Kathy")
    assert not defines("Ruth hurts Kathy greatly.", "Ruth")
    # a phrase set beside the name, opening a sentence or saying who
    assert defines("Poole, Jekyll's butler, fetches Utterson.", "Poole")
    assert defines("Jacob Marley, Scrooge’s dead business partner, is the first warning.", "Marley")
    assert defines("He goes back to Belle, the young woman who ended it.", "Belle")
    assert not defines("Once he hears about Hyde, Utterson's curiosity takes over, and", "Hyde")
    assert not defines("When Macbeth murders Duncan, a Jacobean audience would see him.", "Duncan")
    # after a first name, not after a word opening a clause or naming someone else
    assert defines("At the start Ebenezer Scrooge is a cold, greedy old man.", "Scrooge")
    assert not defines("At the start Lady Macbeth is the stronger partner.", "Macbeth")
    assert not defines("Kathy, Ruth and Tommy are reunited.", "Kathy")


def test_asked_who_someone_is_what_says_so_joins_the_ranking():
    """ "Who is Scrooge?" had answered with a passage on his "-ing" verbs: the one saying
    who he is ranked too low to be found at all."""
    notes = (
        "Notes\n\nAt the start Ebenezer Scrooge is a cold, greedy old man.\n\n"
        "The verbs ending in -ing suggest that Scrooge never lets go of his money.\n\n"
        "Fred keeps inviting his uncle to dinner.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    says, verbs, fred = lexical.chunks
    joined = with_definitions((Passage(verbs, 2.0), Passage(fred, 1.0)), "scrooge", lexical)
    assert [p.chunk for p in joined] == [verbs, fred, says]
    assert joined[-1].score == 2.0  # as the top one: a definition bonus then puts it first
    assert with_definitions((Passage(says, 2.0),), "scrooge", lexical) == (Passage(says, 2.0),)


def test_asked_who_someone_is_in_notes_that_say_it_further_on(tutor, knowledge):
    carol = BUNDLED_NOTES.parents[1] / "benchmarks" / "notes" / "christmas-carol-redemption.txt"
    (knowledge / BUNDLED_NOTES.name).unlink()
    shutil.copy(carol, knowledge)
    tutor.sync()
    answer = tutor.ask("Who is Scrooge?")
    assert defines(answer.passages[0].chunk.text, "Scrooge")
    assert answer.citations[0].passage.chunk == answer.passages[0].chunk
    assert not answer.answer.startswith(NOT_SAID.split("{")[0])


def test_asked_who_someone_the_notes_only_name_is_the_answer_says_they_do_not_say(ready):
    """ "Who is Miss Jody?" was answered by the one quotation naming her, as if it said who
    she is; "Who is Kathy?" by Ruth hurting Kathy."""
    opening = NOT_SAID.split("{")[0]
    for question, name in [("Who is Miss Jody?", "Miss Jody"), ("who's kathy", "Kathy")]:
        answer = ready.ask(question)
        assert answer.answer.startswith(f"{NOT_SAID.format(what=f'who {name} is')}\n\n"), question
        assert not any(defines(c.passage.chunk.text, name.split()[-1]) for c in answer.citations)
        assert not without_hedge(answer.answer).startswith(opening)
        _assert_citations_verbatim(ready, answer)
    for question in ["who is ruth", "Who is Tommy?", "Tell me about Miss Jody"]:
        assert not ready.ask(question).answer.startswith(opening), question
    asked_so = ready.ask("who was miss jody")  # as asked, not "who Miss Jody is"
    assert asked_so.answer.startswith(NOT_SAID.format(what="who Miss Jody was"))
    # Named only in Kathy's words to Tommy, Miss Jody is no one the notes speak of: the
    # question is not covered, though what they say is shown. Kathy they speak of.
    assert not asked_so.answerable and asked_so.citations
    assert ready.ask("who's kathy").answerable
    # led into as chat does, the same question
    led_in = ready.ask("so who is Miss Jody?")
    assert led_in.answer.startswith(NOT_SAID.format(what="who Miss Jody is"))
    led_in = ready.ask("ok so who was Miss Jody?")
    assert led_in.answer.startswith(NOT_SAID.format(what="who Miss Jody was"))


@pytest.mark.parametrize(
    ("question", "unsaid", "term"),
    [
        ("who are the veterans", "who the veterans are", "the veterans"),
        ("What is a carer?", "what a carer is", "a carer"),
        ("wat does amicable mean", "what “amicable” means", "amicable"),
    ],
)
def test_asked_what_a_word_the_notes_only_use_is_the_answer_says_they_do_not_say(
    ready, question, unsaid, term
):
    """ "who are the veterans" was answered by the Cottages paragraph, which only uses the
    word ("like one of the veterans"), as if it said who they are."""
    answer = ready.ask(question)
    assert answer.answer.startswith(f"{NOT_SAID.format(what=unsaid)}\n\n")
    assert answer.answerable  # a word the notes use in their own sentences
    assert any(term.split()[-1] in c.passage.chunk.text for c in answer.citations)
    assert not any(defines_term(c.passage.chunk.text, term) for c in answer.citations)
    _assert_citations_verbatim(ready, answer)


def test_asked_what_a_word_the_passages_never_name_is_the_answer_says_they_do_not_say(ready):
    """ "what are the donations" was answered, with no hedge, by passages on "donors", as
    if they said what the donations are. Named in another form ("what is a guardian":
    "…apart from the guardians…"), a passage may say it in words not read, and no line
    is added."""
    answer = ready.ask("what are the donations")
    assert answer.answer.startswith(f"{NOT_SAID.format(what='what the donations are')}\n\n")
    assert not answer.answerable  # a word the notes never use: not covered
    assert not any("donation" in c.passage.chunk.text.lower() for c in answer.citations)
    _assert_citations_verbatim(ready, answer)
    answer = ready.ask("what is a guardian")
    assert any("guardians" in c.passage.chunk.text for c in answer.citations)
    assert not answer.answer.startswith(NOT_SAID.split("{")[0])


def test_what_asks_what_a_term_is():
    assert term_asked("What are The Cottages?") == ("what", "are", "The Cottages")
    assert term_asked("who are the veterans") == ("who", "are", "the veterans")
    assert term_asked("what does 'snubs' mean?") == ("what", "means", "snubs")
    assert term_asked("What was the Divine Right of Kings?") == (
        "what",
        "was",
        "the Divine Right of Kings",
    )
    assert term_asked("What is Ruth like?") is None  # what someone is like
    assert term_asked("what is the theme") is None  # only how a question is put
    assert term_asked("What is a carer and why does Kathy become one?") is None  # more
    # what a quotation means is the notes' reading of it, not a word they must explain
    assert term_asked("what does the Dover quote mean?") is None
    assert term_asked("what does 'unsex me here' mean?") is None
    assert term_asked("what is the significance of the dagger") is None
    # "what's it mean" asks what it means, and "the … thing" names it vaguely
    assert term_asked("whats the veterans thing mean") == ("what", "means", "the veterans")
    assert term_asked("what's amicable mean?") == ("what", "means", "amicable")
    assert term_asked("ok so what are the veterans") == ("what", "are", "the veterans")


def test_what_says_what_a_term_is():
    assert defines_term("Cardiac output is the volume of blood pumped.", "cardiac output")
    assert defines_term(
        "a **double circulatory system**, which means blood…", "a double circulatory system"
    )
    assert defines_term('He calls him "troglodytic", meaning like a cave-dweller.', "troglodytic")
    assert defines_term("A pacemaker can be fitted. This is a small device.", "a pacemaker")
    assert defines_term(
        "The image is of a rider.", "vaulting ambition", 'What does "vaulting ambition" mean?'
    )
    assert not defines_term("Ruth tries to be like one of the veterans.", "the veterans")
    # a metaphor the sentence explains: what the thing it is called does
    assert defines_term("In a way, the school is a glue that bonds them.", "the glue")
    assert not defines_term("They stick together like glue that has set.", "the glue")
    assert not defines_term("During their time at The Cottages, Ruth snubs Kathy.", "the Cottages")


def test_asked_what_a_term_is_in_notes_that_say_it_there_is_no_such_line(tutor, knowledge):
    heart = BUNDLED_NOTES.parents[1] / "benchmarks" / "notes" / "heart-and-circulation.md"
    (knowledge / BUNDLED_NOTES.name).unlink()
    shutil.copy(heart, knowledge)
    tutor.sync()
    for question in [
        "What is cardiac output?",
        "What is plasma?",
        "What does stroke volume mean?",
        "What is the septum?",  # "A wall of muscle called the septum…"
        "What are the atria?",  # "…two **atria** at the top, which receive…"
    ]:
        answer = tutor.ask(question)
        assert answer.answerable, question
        assert not answer.answer.startswith(NOT_SAID.split("{")[0]), question


@pytest.mark.parametrize(
    ("notes", "question"),
    [
        ("jekyll-duality.txt", "what is Soho?"),  # Soho looks "like a district…": their words
        ("christmas-carol-redemption.txt", "what is Want?"),  # a heading: "Ignorance and Want"
    ],
)
def test_a_thing_the_notes_speak_of_around_a_quotation_or_in_a_heading_is_covered(
    tutor, knowledge, notes, question
):
    (knowledge / BUNDLED_NOTES.name).unlink()
    shutil.copy(BUNDLED_NOTES.parents[1] / "benchmarks" / "notes" / notes, knowledge)
    tutor.sync()
    assert tutor.ask(question).answerable


@pytest.mark.parametrize("question", ["who is ruth", "Tell me about Ruth.", "what's ruth like?"])
def test_asked_who_someone_is_the_answer_opens_with_what_the_notes_say_they_are(ready, question):
    answer = ready.ask(question)
    assert "He portrays Ruth as a typical leader" in answer.passages[0].chunk.text
    assert answer.answer.startswith(answer.citations[0].quote.split("(")[0][:20])
    assert "He portrays Ruth as a typical leader" in answer.answer.split("\n\n")[0]


def test_a_follow_up_after_got_a_quote_leans_on_the_question_that_named_something(ready):
    """ "got a quote for that?" names nothing ("got" had been read as its subject), so
    "how would i write about it in my essay" after it leans on the question before it.
    Searched with "got a quote for that?", it had found none of the reunion passages."""
    history = [
        {"role": "user", "content": "how do kathy and tommy get on when they meet again"},
        {"role": "assistant", "content": "They are close again straight away."},
        {"role": "user", "content": "got a quote for that?"},
        {"role": "assistant", "content": "“My heart had done a little leap…” (Kathy)"},
    ]
    assert previous_question(history) == history[0]["content"]
    answer = ready.ask("how would i write about it in my essay", history)
    assert "Tommy and I had come close together again" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_review_cases_of_stop_28(ready):
    # a pointer naming a subject of its own stays that question
    asked = "What is the first example of cruelty at Hailsham?"
    history = [{"role": "user", "content": asked}, {"role": "assistant", "content": "Ruth…"}]
    assert previous_question(history) == asked
    # titles that make another person are no titles to drop
    assert asks_who("Who is Lady Macbeth?") is None
    assert asks_who("Who is Dr Lanyon?") == "Lanyon"
    # every phrasal verb in the table can be found; "back" is no verb
    assert "leav_out" in question_terms("Is Tommy left out?")
    assert "back" in question_terms("How does Kathy look back on Hailsham?")
    # a markdown link keeps its text when that says something
    assert plain_question("Who is [Ruth](https://x.org/ruth)?") == "Who is Ruth?"
    wiki = "https://en.wikipedia.org/wiki/Never_Let_Me_Go_(novel)"
    assert "link" not in plain_question(f"What does seeking suggest [link]({wiki})")
    # an acknowledgement asked as a question is a question
    first = ready.ask("What does Ruth do at the Cottages?")
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.answer},
    ]
    assert not ready.ask("was she nice?", history).reply
    assert not ready.ask("ok?", history).reply


def test_why_keeps_a_point_that_gives_its_reason_itself(tutor, knowledge):
    (knowledge / BUNDLED_NOTES.name).unlink()
    (knowledge / "carol.txt").write_text(
        "Scrooge and Belle\n\nBelle ended their engagement because Scrooge loved money "
        "more than her. Scrooge praises Fezziwig:\n\n"
        '"He has the power to render us happy or unhappy." (Scrooge)\n\n'
        "This shows that Scrooge is beginning to understand that kindness matters more.\n",
        encoding="utf-8",
    )
    tutor.sync()
    answer = tutor.ask("Why does Belle end her engagement to Scrooge?")
    assert "because Scrooge loved money" in answer.answer.split("\n\n")[0]


def test_a_phrasal_verb_is_searched_as_one_word():
    notes = (
        "Notes\n\nRuth and Kathy quarrel often at the Cottages, but they always make up "
        "with each other in time.\n\nKathy tries to make sure Ruth is safe.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    made_up, made_sure = (lexical.position[c.id] for c in lexical.chunks[-2:])
    scores = dict(lexical.search("Do Ruth and Kathy make up?", 5))
    assert scores[made_up] > scores.get(made_sure, 0.0)  # "make up" is not "make sure"
    assert {made_up, made_sure} <= dict(lexical.search("What does Kathy make?", 5)).keys()


def test_the_word_search_reads_a_students_words_as_token_matching_does():
    """Token matching read "leave things" as "parted" and "a row" as a falling-out
    (`with_words_meant`), but the word search (bm25) still looked for "leave", which
    matched Kathy deciding to leave the Cottages, and found nothing for the row."""
    notes = (
        "Notes\n\nKathy decides to leave the Cottages to become a carer.\n\n"
        "Kathy and Ruth are not parting on the best of terms.\n\n"
        "Friends argue and fall out but stay close.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    leaving, parting, arguing = (lexical.position[c.id] for c in lexical.chunks[-3:])
    scores = dict(lexical.search("How did Kathy and Ruth leave things between them?", 5))
    assert scores[parting] > scores.get(leaving, 0.0)
    scores = dict(lexical.search("Why does Kathy leave the Cottages?", 5))
    assert scores[leaving] > scores.get(parting, 0.0)  # her leaving is still her leaving
    assert arguing in dict(lexical.search("what happens after a row", 5))
    assert arguing not in dict(lexical.search("what happens in a row", 5))
    # by the words of the file searched, as token matching reads them: other notes
    # speaking of "a row of houses" do not keep "row" from reading as a falling-out here
    houses = b"Other\n\nA row of houses stands by the sea.\n"
    other = chunk_document(parse_document("o.txt", houses))
    both = LexicalIndex([*lexical.chunks, *other])
    arguing = both.position[lexical.chunks[-1].id]
    assert arguing in dict(both.search("what happens after a row", 5, source="n.txt"))


def test_a_say_in_something_reads_as_a_choice(ready):
    """ "Does Kathy get any say in who she looks after?" asks whether she may choose her
    patients; the noun "say" had matched "I said" in Kathy's words to Tommy, which came
    first. The verb keeps its meaning."""
    used = {"option", "pick", "say"}
    assert "option" in with_words_meant("Does she get any say in who she cares for?", used)
    assert "option" in with_words_meant("once she has some say over which patients", used)
    assert "option" in with_words_meant("once she's allowed some say over them", used)
    for said in (
        "What does Ruth say in the end?",
        "What do they say about Tommy?",
        "We hear her say in Act 1 that she is tired",  # the verb after "her"
        "What do some say about Scrooge?",
    ):
        assert with_words_meant(said, used) == said
    top = ready.ask("As a carer, does Kathy get any say in who she looks after?").passages[0]
    assert "given the option of picking" in top.chunk.text


def test_a_phrasal_verb_finds_the_single_word_the_notes_use_for_it():
    notes = "Notes\n\nTommy is often alone.\n\nThe students offer support to Tommy.\n"
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    alone, supported = (lexical.position[c.id] for c in lexical.chunks[-2:])
    scores = dict(lexical.search("Does anyone stick up for Tommy?", 5))
    assert scores[supported] > scores.get(alone, 0.0)
    # "laugh at" someone is to mock them, not the "little laugh of agreement" of a reunion
    notes = "Notes\n\nKathy gives Tommy a little laugh of agreement.\n\nThe others mock Tommy.\n"
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    agreeing, mocked = (lexical.position[c.id] for c in lexical.chunks[-2:])
    scores = dict(lexical.search("why do people always laugh at tommy", 5))
    assert scores[mocked] > scores.get(agreeing, 0.0)
    assert "laugh_at" not in question_terms("does she give a little laugh at the end?")


@pytest.mark.parametrize(
    "question, asked",
    [
        ("What is Tommy like?", "What is Tommy?"),
        ("what's she like as a friend?", "what's she as a friend?"),
        ("whats ruth like in the group", "whats ruth in the group"),
        ("What are the Hailsham students like?", "What are the Hailsham students?"),
        ("What is it like when they meet again?", "What is it when they meet again?"),
        # whom someone copies, the verb, and a comparison keep their "like"
        ("What is Ruth trying to be like?", "What is Ruth trying to be like?"),
        ("Does Tommy like Kathy?", "Does Tommy like Kathy?"),
        ("Why is Hailsham like glue?", "Why is Hailsham like glue?"),
        ("What is the thing Kathy would like most?", "What is the thing Kathy would like most?"),
        ("What is something Tommy doesn't like?", "What is something Tommy doesn't like?"),
        (
            "What is Kathy's attitude to people like Ruth?",
            "What is Kathy's attitude to people like Ruth?",
        ),
        ("What is Ruth like-minded with?", "What is Ruth like-minded with?"),
        # a follow-up is searched with the question before it
        (
            "whats tommy like and how does kathy treat him",
            "whats tommy and how does kathy treat him",
        ),
        # "how come" asks why: its "come" names nothing
        ("how come they can't just walk away?", "why they can't just walk away?"),
        ("How come Ruth is like that?", "why Ruth is like that?"),
        ("how they come back together", "how they come back together"),
        # "like" said as filler names nothing; the verb and a comparison keep theirs
        (
            "is friendship important overall like in one line",
            "is friendship important overall  in one line",
        ),
        (
            "what role does Ruth have like is she in charge",
            "what role does Ruth have  is she in charge",
        ),
        ("they argue a lot like?", "they argue a lot ?"),
        ("do they like it?", "do they like it?"),
        ("what do they like?", "what do they like?"),
        ("what does it feel like?", "what does it feel like?"),
        ("is Ruth like Kathy in the end?", "is Ruth like Kathy in the end?"),
        ("I would like to know why", "I would like to know why"),
        ("Who does Tommy like?", "Who does Tommy like?"),
        ("Who did Tommy like at Hailsham?", "Who did Tommy like at Hailsham?"),
        ("Who is Kathy like?", "Who is Kathy like?"),
    ],
)
def test_the_like_of_what_is_it_like_is_not_matched(question, asked):
    assert without_asking_like(question) == asked


def test_asked_for_a_conclusion_the_passage_concluding_the_notes_comes_first(ready):
    """ "sum up in one line what the notes conclude about friendship" had found first the
    list of the ways friendship is shown, not the paragraph ending the notes."""
    answer = ready.ask("sum up in one line what the notes conclude about friendship")
    assert "utmost importance" in answer.passages[0].chunk.text
    # a section named as the conclusion concludes, wherever it stands; else the closing
    # paragraph; and a question not asking for one leaves the ranking alone
    notes = (
        "Notes\n\nScrooge is mean at first.\n\nConclusion\n\nScrooge learns to be kind.\n\n"
        "Context\n\nDickens wrote in 1843.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    mean, kind, context = (Passage(c, 1.0) for c in lexical.chunks)
    assert prefer_conclusion([context, mean, kind], lexical)[0] == dataclasses.replace(
        kind, score=1.0 + CONCLUSION_BONUS
    )
    plain = LexicalIndex(chunk_document(parse_document("p.txt", b"Notes\n\nOne.\n\nTwo.\n")))
    one, two = (Passage(c, 1.0) for c in plain.chunks)
    assert prefer_conclusion([one, two], plain)[0].chunk == two.chunk
    # each file on its own: a summary in one is no conclusion of another; a title naming a
    # summary heads no section
    both = LexicalIndex(
        chunk_document(parse_document("n.txt", notes.encode()))
        + chunk_document(parse_document("s.txt", b"Plot summary\n\nFirst.\n\nLast.\n"))
    )
    lifted = {
        p.chunk.text
        for p in prefer_conclusion([Passage(c, 1.0) for c in both.chunks], both)
        if p.score > 1.0
    }
    assert lifted == {"Scrooge learns to be kind.", "Last."}
    overall = ready.ask("is Ruth a good friend overall?").passages[0].chunk.text
    assert overall == ready.ask("is Ruth a good friend?").passages[0].chunk.text


def test_a_word_weighs_as_rare_as_its_kin_in_the_notes(ready):
    """ "friends", seldom written in notes on friendship, had weighed as a rare word: its
    match with "friendship" put first, for "Do Kathy and Ruth ever become friends again?",
    the passage on Kathy choosing to care for Ruth, not the one ending "…their fondness
    for each other has returned"."""
    notes = (
        "Notes\n\nFriendship matters.\n\nTheir friendship lasts.\n\n"
        "Kathy has friends.\n\nTommy is teased.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    assert lexical.kin_rarity("friend") < lexical.rarity("friend")
    assert lexical.kin_rarity("friendship") == lexical.rarity("friendship")
    assert lexical.kin_rarity("tommi") == lexical.rarity("tommi")  # no kin: as it was
    # a noun in "-ment" weighs as the verb the notes use: "arguments" where they "argue"
    argued = LexicalIndex(
        chunk_document(parse_document("a.txt", b"Notes\n\nThey argue.\n\nTommy is teased.\n"))
    )
    assert argued.kin_rarity("argument") == argued.rarity("argu") < argued.rarity("argument")
    assert argued.kin_rarity("treatment") == argued.rarity("treatment")  # no "treat"
    short = LexicalIndex(chunk_document(parse_document("c.txt", b"Notes\n\nSee bbc.com now.\n")))
    assert short.kin_rarity("comment") == short.rarity("comment")  # "com" is no verb of it
    again = ready.ask("Do Kathy and Ruth ever become friends again?")
    assert "fondness for each other has returned" in again.passages[0].chunk.text


def test_what_someone_is_like_is_searched_for_them_not_for_like():
    """The notes use "like" to compare ("like many other students…", "like the fact
    that…"); asked what Tommy is like, those passages must not outrank him."""
    notes = (
        "Notes\n\nThe students are like many others of their age.\n\n"
        "Tommy is often teased by the others.\n\nKathy and Ruth argue at the Cottages.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    compared, tommy, _ = (lexical.position[c.id] for c in lexical.chunks)
    scores = dict(lexical.search("What is Tommy like?", 5))
    assert scores[tommy] > scores.get(compared, 0.0)
    assert question_terms("What is Tommy like?") == ["tommi"]


@pytest.mark.parametrize(
    "question, history, evidence",
    [
        ("what's tommy like with the others", [], "goaded into making a fool"),
        (
            "what is the friendship between kathy and tommy like at the end",
            [],
            "My heart had done a little leap",
        ),
        (
            "Does Kathy ever help him out?",
            [
                {"role": "user", "content": "What's Tommy like?"},
                {"role": "assistant", "content": "Tommy is often goaded into making a fool."},
            ],
            "It’s nothing to worry about",
        ),
    ],
)
def test_asked_what_someone_is_like_the_notes_on_them_come_first(
    ready, question, history, evidence
):
    """Before, each opened with Kathy's words at Dover ("…like the fact that we'd grown up
    together"), which name neither Tommy nor his friends' treatment of him."""
    answer = ready.ask(question, history)
    assert evidence in answer.passages[0].chunk.text


def test_only_notes_with_text_before_their_first_heading_have_an_opening():
    opening = "Macbeth\n\nThe play is about ambition.\n\n## Guilt\n\nGuilt haunts him.\n"
    bare = "# Macbeth\n\n## Guilt\n\nGuilt haunts him.\n\n## Sleep\n\nHe cannot sleep.\n"
    for notes, has_opening in [(opening, True), (bare, False)]:
        lexical = LexicalIndex(chunk_document(parse_document("m.md", notes.encode())))
        assert ("m.md" in lexical.opening_sections) is has_opening, notes


def test_notes_that_speak_of_a_death_answer_who_dies(tutor, knowledge):
    (knowledge / "macbeth.txt").write_text(
        "Macbeth's end\n\nIn the final battle Macduff kills Macbeth and carries his head to "
        "Malcolm, the new king.\n",
        encoding="utf-8",
    )
    tutor.sync()
    answer = tutor.ask("How does Macbeth die?")
    assert answer.answerable and "Macduff kills Macbeth" in answer.answer


def test_a_question_on_the_film_goes_to_the_notes_on_the_film(tutor, knowledge):
    (knowledge / "film.txt").write_text(
        "The 2010 film\n\nIn the 2010 film of Never Let Me Go, Kathy is played by Carey "
        "Mulligan, Tommy by Andrew Garfield and Ruth by Keira Knightley.\n",
        encoding="utf-8",
    )
    tutor.sync()
    answer = tutor.ask("Who played Ruth in the movie?")  # the notes say "film", not "movie"
    assert answer.answerable
    assert {c.passage.chunk.source for c in answer.citations} == {"film.txt"}
    assert "Keira Knightley" in answer.answer


def test_a_question_asking_when_a_work_was_published_needs_a_year(tutor, knowledge):
    (knowledge / "carol.txt").write_text(
        "A Christmas Carol\n\nA Christmas Carol by Charles Dickens is a story about whether "
        "a person can change. Dickens shows Scrooge learning that kindness matters more "
        "than money.\n",
        encoding="utf-8",
    )
    (knowledge / "jekyll.txt").write_text(
        "Jekyll and Hyde\n\nRobert Louis Stevenson's novella Jekyll and Hyde (1886) is a "
        "mystery about a respected doctor and the brutal man he becomes.\n",
        encoding="utf-8",
    )
    tutor.sync()
    undated = tutor.ask("When was A Christmas Carol published?")
    assert not undated.answerable and not undated.citations
    dated = tutor.ask("When was Jekyll and Hyde published?")
    assert dated.answerable and "(1886)" in dated.answer
    # A year dates the book, not its author's birth.
    born = tutor.ask("When was Robert Louis Stevenson born?")
    assert not born.answerable and not born.citations


@pytest.mark.parametrize(
    ("question", "wants_a_count"),
    [
        ("How many donations has Tommy made by the end?", True),
        ("how many friends does kathy have", True),
        ("How old is Kathy when she tells the story?", True),
        ("At what age do the students leave Hailsham?", True),
        ("What age group is the novel for?", False),
        ("Why do the old friends meet again?", False),
        # a frequency, which "often" or "there are moments when…" answers
        ("How many times does Ruth hurt Kathy?", False),
        ("How old-fashioned is the way they speak?", False),
        ("In what age is the novel set?", False),
        ("How much does Kathy care about Ruth?", False),
        ("How does Ruth treat her many friends?", False),
    ],
)
def test_what_asks_for_a_count(question, wants_a_count):
    assert asks_for_a_count(question) is wants_a_count


def test_what_gives_a_count():
    def chunk(text: str, section: str = "Notes") -> Chunk:
        return Chunk("id", "notes.txt", section, "paragraph", text, 0, len(text))

    assert counts_it(chunk("There are two atria and two ventricles."))
    assert counts_it(chunk("It beats 72 times a minute."))
    assert counts_it(chunk("Each one changes him.", section="How do the three spirits change him?"))
    listed = chunk("Friendship is shown through:\n• her care\n• their reunion")
    assert counts_it(listed, "How many ways is friendship shown?")
    assert not counts_it(listed, "How many donations has Ruth had?")  # a list counts ways
    # "one" is a pronoun far more often than a count, and a year dates
    assert not counts_it(chunk("They know things no one else did, and care for one another."))
    assert not counts_it(chunk("Stevenson's novella (1886) is a mystery."))


def test_a_passage_giving_a_count_comes_first_for_how_many():
    def passage(text: str, score: float) -> Passage:
        return Passage(Chunk(text, "n.txt", "Notes", "paragraph", text, 0, len(text)), score)

    fred, spirits, far = (
        passage("Fred is full of the Christmas spirit.", 0.9),
        passage("The three spirits each teach Scrooge a lesson.", 0.8),
        passage("Marley wears twelve chains.", 0.7),
    )
    assert counting_first([fred, spirits, far]) == (spirits, fred, far)
    # only the best few compete: a count far down the ranking answers another question
    assert counting_first([fred, fred, fred, far], within=3) == (fred, fred, fred, far)


@pytest.mark.parametrize(
    "question, names_one",
    [
        ("What does that quote show about her?", True),
        ("What does the seeking quote tell us about Kathy?", True),
        ("what does this quotation show?", True),
        ("What does the seeking quote mean?", True),
        # asks for a quotation as well as what it shows, or for the words that show it
        ("give me a quote and what does it show about Kathy", False),
        ("the idiot quote - what does it show about their friendship", False),
        ("Which quotation shows Kathy and Tommy becoming close again?", False),
        ("Which words would be good quotes to show Ruth is jealous", False),
        # asked to explain one it names, not a choice of them
        ("explain the Dover quote", True),
        ("can you analyse this quotation", True),
        ("explain the key quotes", False),
        ("explain the best quote", False),
        # asked how it works, or why it works so well
        ("How does that quotation work?", True),
        ("why is the Dover quote so effective", True),
        ("how do quotes work in an essay?", False),
        ("why is the best quote so effective", False),
        # asked indirectly, after a word asking to be told
        ("Explain what the Dover quotation shows about Kathy.", True),
        ("I don't get what the seeking quote means", True),
        ("Explain what quotation shows Kathy cares", False),
        ("I know what the Dover quote means, can you give me another quote?", False),
    ],
)
def test_what_names_a_quotation_to_ask_what_it_shows(question, names_one):
    assert asks_what_a_quotation_shows(question) is names_one


def test_what_something_shows_asked_indirectly_is_asked_what_it_shows(ready):
    """ "Explain what Kathy's word choice in the 'seeking out' quotation reveals about
    her" asks what "What does … reveal about her?" asks, but the quotation had come
    first, as if asked for, and the notes' comment on its word second."""
    assert asks_what_it_shows("Tell me what the glue metaphor suggests about Hailsham")
    assert asks_what_it_shows("explain what it implies")
    for not_asked in (
        "What evidence shows that Kathy cares?",  # asks for the evidence
        "Explain what happens at the Cottages",
        "Explain what Ruth does at the Cottages and what it shows",  # "does" is no subject
        "Explain what Kathy says in the line where she tells Tommy about it",  # a clause
    ):
        assert not asks_what_it_shows(not_asked), not_asked
    revealed = ready.ask(
        "Explain what Kathy's word choice in the 'seeking out' quotation reveals about her."
    )
    assert revealed.passages[0].chunk.text.startswith("Kathy’s use of the word seeking")


def test_asked_how_a_quotation_works_the_notes_reading_of_it_comes_first(ready):
    """ "How does that quotation work?" after the seeking quotation had it first again,
    and the notes' comment on its words second."""
    history = _conversation(ready, ["give me the quote about kathy seeking out her donors"])
    assert "seeking out" in history[1]["content"]
    works = ready.ask("how does that quotation work?", history)
    assert works.passages[0].chunk.text.startswith("Kathy’s use of the word seeking")


def test_a_quotation_named_by_its_own_words():
    assert quotation_named("What does the Dover quote mean?") == ("dover",)
    assert quotation_named("explain the Miss Jody line") == ("miss", "jody")
    assert quotation_named("what does the key quote mean?") == ()
    assert quotation_named("What does this quote mean?") == ()
    assert quotation_named("what does Dover mean?") == ()
    # a longer name, its own "the" not taken for the start of another
    assert quotation_named("what does the heart doing a little leap line show") == (
        "heart",
        "little",
        "leap",
    )
    assert quotation_named("what is the point of the Dover quote") == ("dover",)
    # named as a bit or a part of the notes, or typed as a search ("dover quote meaning")
    assert quotation_named("What is the point of the Dover bit?") == ("dover",)
    assert quotation_named("dover quote meaning differences") == ("dover",)
    for question in (
        "Why is Tommy a bit angry?",  # "a bit", not "the … bit"
        "Ruth part in the story",
        "What happens in the later part of the novel?",  # a place in the text
        "How does the end part make you feel",
        "I need a quote about guilt",  # a search needs the name right before "quote"
        "Find a quote on greed",
    ):
        assert quotation_named(question) == (), question


@pytest.mark.parametrize(
    "question", ["What is the point of the Dover bit?", "dover quote meaning differences"]
)
def test_a_quotation_named_as_a_bit_of_the_notes_is_answered(ready, question):
    """ "What is the point of the Dover bit?" and "dover quote meaning differences" found
    Kathy's words at Dover first, and were declined: only "Dover" is near them."""
    answer = ready.ask(question)
    assert answer.answerable
    assert "Dover" in answer.passages[0].chunk.text
    assert answer.passages[0].chunk in [c.passage.chunk for c in answer.citations]
    _assert_citations_verbatim(ready, answer)
    # a place in the text names no quotation, though one quotation begins "Later"
    lexical = ready._lexical
    later = next(c for c in lexical.chunks if c.text.startswith("Later when Kathy meets"))
    assert not names_the_quotation("What happens in the later part of the novel?", later, lexical)
    assert names_the_quotation("What is the point of the little leap bit?", later, lexical)


def test_a_quotation_named_by_a_phrase_near_its_words_is_read(ready):
    """ "what does the heart doing a little leap line show" was declined: a name ran to
    two words at most. "My heart had done a little leap" holds every word it is named by
    ("doing" is a stopword); a name holding one word it does not names nothing."""
    answer = ready.ask("what does the heart doing a little leap line show")
    assert answer.answerable
    top = answer.passages[0].chunk
    assert "My heart had done a little leap" in top.text
    assert top in [c.passage.chunk for c in answer.citations]
    _assert_citations_verbatim(ready, answer)
    lexical = ready._lexical
    assert names_the_quotation("what does the heart leap line show", top, lexical)
    assert not names_the_quotation("what does the heart leap Ruth line show", top, lexical)
    # pointing at a quotation names none: "this quote", "that line"
    assert quotation_named("explain the significance of this quote") == ()


@pytest.mark.parametrize("question", ["what does the Dover quote mean?", "explain the Dover quote"])
def test_a_quotation_named_by_a_word_of_it_is_read_with_its_point(ready, question):
    """ "what does the Dover quote mean?" was declined: only "Dover" is near the notes, and
    the quotation runs on for eighty words. "explain the Dover quote" gave the quotation
    and the quarrels at Hailsham, not the point it illustrates."""
    answer = ready.ask(question)
    assert answer.answerable
    top = answer.passages[0].chunk
    lexical = ready._lexical
    at = lexical.position[top.id]
    assert top.kind == "quote" and "Dover" in top.text
    assert lexical.leaning.get(at - 1) == (at, "quotation")  # it illustrates a point
    assert lexical.chunks[at - 1] in [c.passage.chunk for c in answer.citations]
    assert not answer.answer.startswith((HEDGE, NOT_SAID.split("{")[0]))
    _assert_citations_verbatim(ready, answer)
    # named by words it does not hold, it is still not found
    assert not ready.ask("what does the Hamlet quote mean?").answerable


@pytest.mark.parametrize(
    "question, history",
    [
        ("What does the seeking quote tell us about Kathy?", []),
        ("What does the seeking quote mean?", []),
        (
            "what does this quotation show?",
            [
                {"role": "user", "content": "Give me a quote about Kathy choosing her donors"},
                {"role": "assistant", "content": "'I started seeking out for my donors…'"},
            ],
        ),
    ],
)
def test_asked_what_a_quotation_shows_the_comment_on_it_comes_first(ready, question, history):
    """Naming a quotation is not asking for one: before, these opened with the quotation
    itself, which the student has, and not the notes' reading of it."""
    answer = ready.ask(question, history)
    assert "suggests that she actively searches" in answer.passages[0].chunk.text
    assert "suggests that she actively searches" in answer.answer


def test_a_question_asking_how_many_needs_a_count(tutor, knowledge):
    """The bundled notes give no count of donations or students, however close a question
    on Ruth's donations sits to them; notes that count the heart's chambers answer."""
    (knowledge / "heart.txt").write_text(
        "The heart\n\nThe heart has four chambers: two atria at the top, which receive "
        "blood, and two ventricles at the bottom, which pump it out.\n",
        encoding="utf-8",
    )
    tutor.sync()
    for question in (
        "How many donations has Ruth made by the time Kathy becomes her carer?",
        "How many students are there at Hailsham?",
        "How old is Kathy?",  # had been answered with "students of their age"
    ):
        answer = tutor.ask(question)
        assert not answer.answerable and not answer.citations, question
    counted = tutor.ask("How many chambers does the heart have?")
    assert counted.answerable and "four chambers" in counted.answer
    # a list counts: the notes set out the ways Ishiguro shows friendship
    ways = tutor.ask(
        "How many ways does Ishiguro show friendship?", source="friendship-in-never-let-me-go.txt"
    )
    assert ways.answerable and ways.answer.count("•") >= 2


PLAY_NOTES = """# The Visitor: revision notes

## Characters

| Character | Role |
|---|---|
| Walter Grey | Mill owner who refuses all blame |
| Ada Grey | His daughter, who changes the most |

## Themes

### Class

- Walter Grey sacks a weaver for asking for a fair wage.
- The rich look down on the workers and treat them as cheap labour.

### Generations

The young accept their guilt, while the old refuse to change.

## Key terms

- **Irony**: when the audience knows something a character does not.
"""


@pytest.mark.parametrize(
    ("question", "section"),
    [
        # Declined, the words of the section being only in its heading.
        ("How is the theme of class shown?", "Class"),
        ("What do the notes say about generations?", "Generations"),
        # Answered from the key terms, which say "a character does not".
        ("What do the notes say about characters?", "Characters"),
    ],
)
def test_a_question_naming_a_section_is_answered_from_it(tutor, knowledge, question, section):
    (knowledge / "visitor.md").write_text(PLAY_NOTES, encoding="utf-8")
    tutor.sync()
    answer = tutor.ask(question, source="visitor.md")
    assert answer.answerable and not answer.answer.startswith(HEDGE)
    assert answer.citations[0].passage.chunk.section.endswith(section)


def test_numbered_sections_are_told_apart(tutor, knowledge):
    """From review: counting numbers as words any question may use had made every
    "Stave …" heading look named by "What happens in Stave Four?"."""
    (knowledge / BUNDLED_NOTES.name).unlink()
    staves = ["One", "Two", "Three", "Four", "Five"]
    events = ["meets Marley", "sees his past", "sees the Cratchits", "sees his grave", "wakes"]
    (knowledge / "carol.md").write_text(
        "# A Christmas Carol\n\n"
        + "".join(
            f"## Stave {n}\n\nIn this stave Scrooge {event} and is changed by it.\n\n"
            for n, event in zip(staves, events, strict=True)
        ),
        encoding="utf-8",
    )
    tutor.sync()
    answer = tutor.ask("What happens in Stave Four?")
    assert answer.passages[0].chunk.section.endswith("Stave Four")
    assert "sees his grave" in answer.answer.split("\n\n")[0]


def test_suggested_questions_on_sections_are_answered(tutor, knowledge):
    (knowledge / "visitor.md").write_text(PLAY_NOTES, encoding="utf-8")
    tutor.sync()
    suggested = tutor.starters(source="visitor.md")
    assert suggested
    for question in suggested:
        assert tutor.ask(question, source="visitor.md").answerable, question


@pytest.mark.parametrize(
    ("question", "rows"),
    [
        ("Who is Ada Grey?", ["| Ada Grey | His daughter, who changes the most |"]),
        # Two rows named, or none: the table is quoted whole, as it stands in the notes.
        ("Compare Walter Grey and Ada Grey.", ["| Walter Grey |", "| Ada Grey |"]),
        ("Which character changes the most?", ["| Walter Grey |", "| Ada Grey |"]),
    ],
)
def test_a_table_row_the_question_names_is_quoted_alone(tutor, knowledge, question, rows):
    (knowledge / "visitor.md").write_text(PLAY_NOTES, encoding="utf-8")
    tutor.sync()
    answer = tutor.ask(question, source="visitor.md")
    point = answer.citations[0]
    assert point.passage.chunk.section.endswith("Characters")
    assert all(row in point.quote for row in rows)
    assert ("| Walter Grey |" in point.quote) is (len(rows) > 1)
    _assert_citations_verbatim(tutor, answer)


def test_a_table_row_as_evidence_is_set_out_on_its_own_line():
    table = "| Name | Role |\n|---|---|\n| Walter Grey | Mill owner |\n| Ada Grey | Daughter |"
    prose, table = (
        Passage(dataclasses.replace(p.chunk, source="notes.md"), p.score)  # markdown notes
        for p in (
            _passage(0, "Ada Grey changes the most of anyone in the play."),
            _passage(1, table),
        )
    )
    draft = ExtractiveAnswerer().compose("Who is Ada Grey?", [prose, table], [])
    assert "The notes also point out:\n\nAda Grey · Daughter [2]" in draft.markdown
    assert draft.citations[1].quote == "| Ada Grey | Daughter |"


def test_a_heading_may_use_the_words_a_question_on_a_topic_is_put_in():
    notes = "# Notes\n\n## Themes\n\nGuilt and class.\n\n## Presentation of Ada\n\nShe changes.\n"
    lexical = LexicalIndex(chunk_document(parse_document("play.md", notes.encode())))
    assert lexical.sections_named("What do the notes say about themes?") == ["play.md"]
    assert lexical.sections_named("How is Ada presented?") == ["play.md"]
    assert lexical.sections_named("How is Walter presented?") == []


def test_a_table_cut_from_its_header_still_names_its_first_row():
    # A long table is cut into passages; the next one starts on a row, with no header.
    rows = "| Walter Grey | Mill owner |\n| Ada Grey | Daughter |"
    draft = ExtractiveAnswerer().compose("Who is Walter Grey?", [_passage(0, rows)], [])
    assert draft.citations[0].quote == "| Walter Grey | Mill owner |"


def test_a_heading_that_asks_a_question_is_no_section_name():
    notes = (
        "Blood\n\nWhat is blood made of?\n\nPlasma carries red cells, white cells and platelets.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("blood.txt", notes.encode())))
    assert lexical.sections_named("What do the notes say about blood?") == ["blood.txt"]
    # Its words, without asking it: no section named.
    assert lexical.sections_named("How does the kidney filter the blood to make urine?") == []


def test_a_number_is_not_taken_for_a_name(tutor, knowledge):
    # Notes on "Stave One" and "Stave Five" do not name "Stave Four", but "Four" is no
    # name the notes lack: the promise at the end of Stave Four was declined as if it were.
    (knowledge / "carol.txt").write_text(
        "Scrooge in A Christmas Carol\n\n"
        "In Stave One Scrooge is cold and mean to everyone he meets.\n\n"
        "At the end of the fourth stave, Scrooge promises to honour Christmas in his heart "
        "and try to keep it all the year.\n\n"
        "In Stave Five Scrooge wakes up happy and sends a turkey to the Cratchits.\n",
        encoding="utf-8",
    )
    tutor.sync()
    lexical: LexicalIndex = tutor._lexical
    assert lexical.unknown_names("What does Scrooge promise at the end of Stave Four?") == []
    assert lexical.unknown_names("What does Marley promise in Stave Four?") == ["Marley"]


STORM_NOTES = """# The Lighthouse Keeper: revision notes

## The night of the storm

Mara climbs the lighthouse stairs when the storm breaks and finds the great lamp dark.
She trims the wick by hand and relights it, although the glass is cracked. She keeps
watch until dawn, ringing the bell every few minutes for the boats still out at sea. In
the morning she is found asleep beside the lamp, her hands cut by the glass.

## The rescue

A fishing boat that had lost its way follows the light back to the harbour, and its
crew owe their lives to her stubborn courage.

## The storm as a symbol

The storm stands for the dangers of the outside world. Its wind and dark sea in the
night test every character, and the calm of the next morning shows that fear can pass.

## The harbour town

The people of the harbour town distrust Mara at first and call her proud. The storm,
its night of wind and the calm morning after it change their minds about her.
"""


def test_asking_what_comes_next_is_answered_from_what_the_notes_say_next(tutor, knowledge):
    """ "What does she do then?" goes on from the turn before: the answer starts after
    the sentence that answered it, not with it again; when that sentence ends its
    passage, the answer starts with the passage set out next in the notes (ranked
    second), and "next" is not searched as a word ("the calm of the next morning")."""
    (knowledge / "storm.md").write_text(STORM_NOTES, encoding="utf-8")
    tutor.sync()
    history = [{"role": "user", "content": "What does Mara find when she climbs the stairs?"}]
    before = tutor.ask(history[0]["content"], source="storm.md")
    assert "finds the great lamp dark" in before.answer
    then = tutor.ask("What does she do then?", history)
    assert then.answerable
    assert then.answer.startswith("She trims the wick by hand")
    assert "finds the great lamp dark" not in then.answer
    _assert_citations_verbatim(tutor, then)
    # Asked again, it goes on from where that answer stopped (its last sentence ends the
    # passage), read from the answer itself: the next passage in the notes.
    history += [
        {"role": "assistant", "content": before.answer},
        {"role": "user", "content": "What does she do then?"},
        {"role": "assistant", "content": then.answer},
    ]
    again = tutor.ask("And after that?", history)
    assert again.answer.startswith("A fishing boat that had lost its way")
    _assert_citations_verbatim(tutor, again)

    history = [{"role": "user", "content": "How is Mara found in the morning?"}]
    assert (
        tutor.ask(history[0]["content"], source="storm.md")
        .passages[0]
        .chunk.section.endswith("The night of the storm")
    )
    after = tutor.ask("What happens next?", history)
    # the passage the answer goes on from comes first: it is what answers "next"
    assert [p.chunk.section.split(" › ")[-1] for p in after.passages[:2]] == [
        "The rescue",
        "The night of the storm",
    ]
    assert after.citations[0].passage.chunk == after.passages[0].chunk
    assert after.passages[0].score >= after.passages[1].score
    assert after.answer.startswith("A fishing boat that had lost its way")  # not told again
    assert "found asleep beside the lamp" not in after.answer
    _assert_citations_verbatim(tutor, after)


def test_what_comes_next_at_the_end_of_the_notes_says_so(tutor, knowledge):
    (knowledge / "storm.md").write_text(STORM_NOTES, encoding="utf-8")
    tutor.sync()
    history: list[dict] = []
    sections = []
    for question in ["What does Mara find when she climbs the stairs?"] + ["And then?"] * 4:
        answer = tutor.ask(question, history, source="storm.md")
        sections.append(answer.citations[0].passage.chunk.section if answer.citations else None)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.answer},
        ]
    assert [s.split(" › ")[-1] if s else None for s in sections] == [
        "The night of the storm",
        "The rescue",
        "The storm as a symbol",
        "The harbour town",
        None,  # the last passage of the notes was told: nothing is told again
    ]
    assert answer.answer == NOTHING_FURTHER and not answer.citations


def test_only_a_follow_up_ending_on_then_next_or_after_that_asks_what_comes_next():
    before = [{"role": "user", "content": "What does Mara find in the lighthouse?"}]
    for question in (
        "What does she do then?",
        "what happens next",  # not a follow-up by its words alone: "happens", "next"
        "And after that?",
        "What does Tommy do next?",
        "Then what?",  # "then" opening "what" asks it too
        "and then what happened?",
        "So then what does she do?",
    ):
        assert asks_what_next(question, before), question
    assert not asks_what_next("What does she do then?", [])  # nothing came before
    for question in (
        "Why then does she stay?",
        "What happens to the harbour town after the storm?",
        "Why then?",
        "What does it mean then?",  # asks for more of the same
        "Any other quotes then?",
        "Who does she look after?",
        "What about the ending then?",
        "but do they ever actually help each other then?",  # "in that case"
        "so is she kind then?",
        "so does she forgive her then?",
        "so didn't she forgive her then?",
        "and won't they then?",
        "Then what does it mean?",
        "then what about the ending?",
        "then what is a carer?",  # asks what a carer is
        "Then what? Who is Ruth?",  # the question is the second sentence
    ):
        assert not asks_what_next(question, before), question
    assert asks_what_next("So did they make up after that?", before)
    # searched as "what happened", said once: "next" had stayed in the search text
    assert what_next_asked("Then what happened next?") == "what happened"


def test_asking_what_comes_next_again_and_again_walks_on_through_the_notes(ready):
    """Each "What happens next?" goes on from where the tutor's last answer stopped, also
    once the first question has left the chat history the tutor reads, with chat filler
    around it, and when the last answer opened with its key quotation."""
    history: list[dict] = []
    points: list[str] = []
    for question in ["Why does Kathy leave the Cottages?"] + ["What happens next? lol"] * 5:
        answer = ready.ask(question, history)
        assert answer.answerable, (question, len(points))
        points.append(answer.citations[0].quote)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.answer},
        ]
    assert len(set(points)) == len(points)  # nothing told twice
    starts = [ready.documents[BUNDLED_NOTES.name].text.index(p) for p in points]
    assert starts == sorted(starts)  # in the notes' order

    first = "What does Kathy's use of the word seeking suggest?"
    told = ready.ask(first)
    assert told.answer.startswith("**Key quotation:**")
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": told.answer},
    ]
    after = ready.ask("What happens next?", history)
    assert after.answerable and "the word seeking suggests" not in after.answer


def test_asked_who_comes_next_the_passage_told_next_comes_first(ready):
    """After a turn on the Dover reunion (in someone else's words), "And who does she
    meet up with after that?" is answered by "Later when Kathy meets Tommy…": that
    passage had come second to the Dover quotation in the passages shown, though the
    answer opened with it."""
    history = [
        {"role": "user", "content": "What happens once Kathy manages to become Ruth's carer?"},
        {
            "role": "assistant",
            "content": "She is assigned to Ruth and sees her again at a recovery centre in "
            "Dover, where their old differences seem much less important.",
        },
    ]
    answer = ready.ask("And who does she meet up with after that?", history)
    assert answer.answerable
    assert "Later when Kathy meets Tommy" in answer.passages[0].chunk.text
    assert answer.citations[0].passage == answer.passages[0]  # shown with one score
    scores = [p.score for p in answer.passages]
    assert scores == sorted(scores, reverse=True)


def test_what_comes_next_passes_over_what_an_earlier_answer_told(ready):
    """The Dover quotation comes next in the notes after the passage "why?" answered
    from, but the first answer told it: it had been given again, point and all."""
    history = _conversation(ready, ["Where does Kathy see Ruth again?", "why?"])
    assert "She already had a carer" in history[1]["content"]
    assert "She already had a carer" not in history[3]["content"]
    then = ready.ask("what does she do then?", history)
    assert then.answerable and then.citations
    assert "She already had a carer" not in then.answer
    # without that earlier answer, the quotation is what comes next
    alone = ready.ask("what does she do then?", history[2:])
    assert alone.citations[0].quote.startswith("She already had a carer")


def test_what_comes_next_after_a_pointer_into_an_answer_goes_on_from_that_item(ready):
    """ "Can you explain the first one?" was searched as the item it pointed at, so "What
    happens next?" after it goes on in that item's section, not in the introduction."""
    history: list[dict] = []
    for question in ("How is friendship shown in the novel?", "Can you explain the first one?"):
        answer = ready.ask(question, history)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.answer},
        ]
    explained = answer
    after = ready.ask("What happens next?", history)
    assert after.answerable
    section = explained.citations[0].passage.chunk.section
    assert section.startswith("Kathy’s determination")
    assert after.citations[0].passage.chunk.section == section
    assert after.citations[0].quote != explained.citations[0].quote


def test_a_request_naming_a_new_subject_stands_alone(ready):
    """ "Tell me about Tommy." after "How is friendship shown in the novel?" asks about
    Tommy, not about friendship again: it is answered as if asked first."""
    first = "How is friendship shown in the novel?"
    history = [
        {"role": "user", "content": first},
        {"role": "assistant", "content": ready.ask(first).answer},
    ]
    for question in ("Tell me about Tommy.", "Who is Ruth?"):
        assert not is_follow_up(question, history), question
        alone, after = ready.ask(question), ready.ask(question, history)
        assert after.answerable
        assert [p.chunk.id for p in after.passages] == [p.chunk.id for p in alone.passages]
        assert after.answer == alone.answer
    for question in ("Ruth?", "How come?", "Any quotes?", "Tell me more.", "Is Tommy the same?"):
        assert is_follow_up(question, history), question


def test_why_or_tell_me_more_after_an_answer_does_not_repeat_it(ready):
    history: list[dict] = []
    said: list[str] = []
    for question in ["How does Ruth hurt Kathy?", "why?", *["tell me more"] * 4]:
        answer = ready.ask(question, history)
        assert answer.answerable, (question, len(said))
        assert answer.answer not in said, (question, len(said))  # never the same again
        said.append(answer.answer)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.answer},
        ]
        _assert_citations_verbatim(ready, answer)
    # "why?" gives the sentence of the answer before that says why, and no more of it.
    why = ready.ask("why?", history[:2])
    assert why.citations[0].quote.startswith("During their time at The Cottages, Ruth tries")
    assert "There are moments during the novel" not in why.answer
    # "why?" again brings something else, not the same reason.
    asked_why = [{"role": "user", "content": "why?"}, {"role": "assistant", "content": why.answer}]
    assert ready.ask("why?", [*history[:2], *asked_why]).answer != why.answer
    # "tell me more" brings a point the answer before did not give.
    more = ready.ask("tell me more", history[:2])
    first = " ".join(plain_text(history[1]["content"]).split())
    assert " ".join(more.citations[0].quote.split()) not in first


def test_why_after_what_someone_does_is_answered_from_the_comment_on_it(ready):
    """The notes make a point ("she begins to seek out donors who used to go to
    Hailsham"), quote the novel, then comment on the quotation ("This shows that
    friendship is of real importance to her"): asked why, the comment answers. After an
    answer that gave all three, "why?" had answered with an unrelated passage."""
    first = ready.ask("What does Kathy do when she gets to choose her donors?")
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.answer},
    ]
    why = ready.ask("why?", history)
    assert why.passages[0].chunk.text.startswith("Kathy’s use of the word seeking")
    assert why.citations[0].passage.chunk == why.passages[0].chunk
    assert "in the hope of being able to care for them" in why.answer
    _assert_citations_verbatim(ready, why)
    again = [*history, {"role": "user", "content": "why?"}]
    again.append({"role": "assistant", "content": why.answer})
    assert "friendship is of real importance to her" in ready.ask("why?", again).answer


@pytest.mark.parametrize("why", ["y tho", "why though?"])
def test_why_though_asks_why_and_does_not_repeat_the_answer(ready, why):
    """From a browser session: "though" had been taken for a word of the question's own,
    so "y tho" after "wat about tommy" led with the same passage again."""
    first = ready.ask("wat about tommy")
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.answer},
    ]
    answer = ready.ask(why, history)
    assert answer.answerable
    assert answer.citations[0].quote != first.citations[0].quote


def test_asked_what_a_quotation_suggests_the_answer_gives_the_point_it_illustrates(ready):
    """From a browser session: the answer had been the quotation and an unrelated
    passage; the notes read the quotation in the point they set it out for."""
    answer = ready.ask(
        "What does the quotation 'all our differences – while they didn't exactly vanish – "
        "seemed not nearly as important' suggest about Kathy and Ruth?"
    )
    assert "all our differences" in answer.passages[0].chunk.text
    assert answer.passages[1].chunk.text.startswith("Despite having their differences")
    assert "Her past friendship with Ruth means more to Kathy" in answer.answer
    _assert_citations_verbatim(ready, answer)


def test_asked_to_explain_it_simpler_after_follow_ups_the_gist_of_the_last_answer(ready):
    """After three "tell me more"s the first question had left the history the tutor
    reads, "simpler" was taken for a subject the notes never name, and "explain simpler"
    was refused; so was every follow-up after it."""
    history: list[dict] = []
    for question in ["How does Ruth treat Kathy?", *["tell me more"] * 3]:
        answer = ready.ask(question, history)
        history += [
            {"role": "user", "content": question},
            {"role": "assistant", "content": answer.answer},
        ]
    for request in ["explain simpler", "in simple words please", "simplify"]:
        gist = ready.ask(request, history)
        assert gist.answer.startswith(IN_SHORT) and len(gist.citations) == 1, request
        # the gist of the last answer, not of the passage it came from
        last = " ".join(plain_text(history[-1]["content"]).split())
        assert " ".join(gist.citations[0].quote.split()) in last, request
    later = [*history, {"role": "user", "content": "explain simpler"}]
    later.append({"role": "assistant", "content": gist.answer})
    for question in ["tl;dr", "why?"]:
        assert ready.ask(question, later).answerable, question


def test_the_notes_having_nothing_more_tells_no_point():
    # "That is all the notes say…" is nothing a follow-up can go on from.
    assert told_point(NOTHING_MORE) == "" and told_point(NOTHING_FURTHER) == ""
    assert told_point("Ruth leads the group. [1]") == "Ruth leads the group."
    assert told_point("Ruth leads the group.") == "Ruth leads the group."  # told elsewhere


def test_why_after_an_answer_gives_the_reason_a_consequence_is_drawn_from(ready):
    """ "why tho" after an answer from the notes' opening had opened with "Therefore,
    their friendships become more important and much more intense.", what follows from
    the reason, not the reason. (The question was "wat is friendship like in never let me
    go" until stop 36; without the "like", which names nothing, its answer now opens with
    "Ishiguro's presentation of the friendship groups in Never Let Me Go…".)"""
    history = _conversation(ready, ["wat are friendships like at hailsham"])
    answer = ready.ask("why tho", history)
    point = answer.answer.split("\n\n")[0]
    assert point.index("all they have is each other") < point.index("Therefore, their")
    _assert_citations_verbatim(ready, answer)
    history = _conversation(ready, ["wat are friendships like at hailsham", "why tho"])
    again = ready.ask("why?", history)
    assert "Therefore, their" not in again.answer.split("\n\n")[0]  # new material


def test_asked_what_an_image_means_the_sentence_reading_it_is_in_the_point():
    """ "What does the 'vaulting ambition' image mean?" had stopped at the quotation, before
    the sentence saying what the image suggests (a teacher's notes, from a browser check)."""
    notes = (
        "Ambition in Macbeth\n\n## Macbeth's ambition\n\nShakespeare presents ambition as "
        "the tragic flaw that drives Macbeth from loyal soldier to tyrant. After the witches' "
        "prophecy in Act 1 Scene 3, Macbeth immediately imagines murdering Duncan, which shows "
        "that the desire for power was already in him. In Act 1 Scene 7 he admits that he has "
        'no reason to kill the king except his own desire: "I have no spur / To prick the '
        "sides of my intent, but only / Vaulting ambition, which o'erleaps itself / And falls "
        "on th'other\". The image of a rider leaping onto a horse and falling off the other "
        "side suggests that ambition which goes too far destroys itself.\n"
    )
    [chunk] = [
        c for c in chunk_document(parse_document("m.md", notes.encode())) if "Vault" in c.text
    ]
    for question, reads in [
        ("What does the 'vaulting ambition' image mean?", True),
        ("Which quotation shows Macbeth's ambition?", False),
    ]:
        draft = ExtractiveAnswerer().compose(question, [Passage(chunk, 0.9)], [])
        point = draft.markdown.split("\n\n")[0]
        assert ("destroys itself" in point) is reads, question
        assert "Vaulting ambition" in point


def test_tell_me_more_with_nothing_more_to_tell_says_so():
    notes = (
        "Ruth\n\nRuth is the leader of the group. She hurts Kathy because she wants to fit in.\n"
    )
    [chunk] = chunk_document(parse_document("r.txt", notes.encode()))
    told = ExtractiveAnswerer().compose("Who is Ruth?", [Passage(chunk, 0.9)], [])
    history = [
        {"role": "user", "content": "Who is Ruth?"},
        {"role": "assistant", "content": told.markdown},
    ]
    more = ExtractiveAnswerer().compose("tell me more", [Passage(chunk, 0.9)], history)
    assert more.markdown == NOTHING_MORE and not more.citations
    why = ExtractiveAnswerer().compose("why?", [Passage(chunk, 0.9)], history)
    assert why.markdown.startswith("She hurts Kathy because she wants to fit in. [1]")


def test_asked_for_a_summary_the_tutor_sums_up_the_notes(ready):
    answer = ready.ask("Summarise the notes in 50 words pls")
    assert answer.answerable and "Friendship in Never Let Me Go" in answer.answer
    opening = BUNDLED_NOTES.read_text("utf-8").split("\n\n")[1]  # after the title
    assert (
        answer.citations[0].passage.chunk.text == opening
    )  # where the notes say what they are about
    _assert_citations_verbatim(ready, answer)
    # "that" points back: it asks about the answer before, not the notes as a whole.
    earlier = [{"role": "user", "content": "How does Ruth hurt Kathy?"}]
    earlier.append({"role": "assistant", "content": ready.ask(earlier[0]["content"]).answer})
    assert "Friendship in Never Let Me Go" not in ready.ask("sum that up", earlier).answer


def test_asked_for_a_summary_of_several_notes_the_tutor_asks_which(tutor, knowledge):
    (knowledge / "carol.txt").write_text(FEZZIWIG_NOTES, encoding="utf-8")
    which = tutor.ask("give me an overview")
    assert not which.answerable and not which.citations
    assert set(which.follow_ups) == {
        "Summarise Friendship in Never Let Me Go",
        "Summarise Scrooge in A Christmas Carol",
    }
    carol = tutor.ask("Summarise Scrooge in A Christmas Carol")
    assert carol.answerable and {c.passage.chunk.source for c in carol.citations} == {"carol.txt"}
    assert carol.citations[0].quote.startswith("In Stave One Scrooge is a cold")


def test_asked_for_an_introduction_or_conclusion_the_tutor_gives_the_notes_argument(ready):
    """ "what should my intro say" and "and a conclusion?" had been declined: neither
    names anything the notes speak of. Both state an essay's argument, which is what the
    notes' overview gives."""
    summary = ready.ask("Summarise the notes")
    intro = ready.ask("what should my intro say")
    assert intro.answer.startswith("An introduction sets out your argument")
    assert [c.quote for c in intro.citations] == [c.quote for c in summary.citations]
    _assert_citations_verbatim(ready, intro)
    history = [
        {"role": "user", "content": "How does Ruth hurt Kathy?"},
        {"role": "assistant", "content": ready.ask("How does Ruth hurt Kathy?").answer},
    ]
    conclusion = ready.ask("and a conclusion?", history)
    assert conclusion.answer.startswith("A conclusion sums up your argument")
    assert [c.quote for c in conclusion.citations] == [c.quote for c in summary.citations]
    # a question on the novel's opening or ending, or on how the text introduces
    # someone, is a question like any other; so is one pointing back at the answer
    for question in [
        "what happens in the conclusion",
        "what is the novel's conclusion",
        "what is the introduction of tommy like",
    ]:
        assert essay_end_asked(question) is None, question
        assert not ready.ask(question).answer.startswith(("An introduction", "A conclusion"))
    pointing = ready.ask("write a conclusion for that paragraph", history)
    assert not pointing.answer.startswith("A conclusion")
    # a follow-up after it leans on its point, not its opening line
    assert not told_point(intro.answer).startswith(("An introduction", "In short"))


@pytest.mark.parametrize(
    ("question", "file"),
    [
        ("sumarise the notes", "carol.txt"),  # chosen as the only file
        ("what are the key points?", "carol.txt"),
        ("Summarise A Christmas Carol", "carol.txt"),
        # the notes' argument is the notes as a whole (both had been declined)
        ("Summarise the argument of the notes in two sentences", "carol.txt"),
        ("what's the main argument of the notes", "carol.txt"),
        # the guide is the notes (all three had been declined)
        ("What are the main ideas in the guide?", "carol.txt"),
        ("What is the revision guide about?", "carol.txt"),
        ("What are the notes about?", "carol.txt"),
        ("What does the guide say about Fred?", None),
        ("summary of Fezziwig's party", None),  # more than the title: a question
        ("what is the main argument between Scrooge and Fred about", None),
        ("Can you recap stave 1?", None),  # a part of the text
        ("How does Scrooge change?", None),
    ],
)
def test_what_asks_for_an_overview(question, file):
    lexical = _fezziwig_index()
    assert overview_of(question, lexical) == file


def test_asked_for_the_key_quotations_the_tutor_lists_those_the_notes_set_out(ready):
    answer = ready.ask("What are the key quotations?")
    assert answer.answerable
    # The two the bundled notes set out on lines of their own, whole, in their order.
    assert [c.quote[:32] for c in answer.citations] == [
        "… I started seeking out for my d",
        "She already had a carer assigned",
    ]
    assert all(c.quote == c.passage.chunk.text for c in answer.citations)
    _assert_citations_verbatim(ready, answer)
    # Told "the quotations set out", a student had taken those two for all there are: the
    # notes quote Kathy to Tommy and "My heart had done a little leap" inside passages.
    notes = BUNDLED_NOTES.read_text(encoding="utf-8").split("\n\n")
    spoken = [p for p in notes if re.search(r"\((?:Kathy|Ruth|Tommy)\b", p)]
    set_out = [p for p in spoken if p.strip() in {c.quote for c in answer.citations}]
    within = len(spoken) - len(set_out)  # Kathy to Tommy, and on meeting Tommy again
    assert within > 0
    assert answer.answer.endswith(ALSO_QUOTED.format(count=str(within)))


def test_a_follow_up_asking_for_quotes_or_a_summary_asks_about_the_answer_before(ready):
    earlier = [{"role": "user", "content": "How does Ruth hurt Kathy?"}]
    earlier.append({"role": "assistant", "content": ready.ask(earlier[0]["content"]).answer})
    for follow_up in ["Any quotes?", "Can you summarise?", "tl;dr", "quotes please"]:
        answer = ready.ask(follow_up, earlier)
        assert "set out in the notes" not in answer.answer, follow_up
        assert "In short, the notes" not in answer.answer, follow_up
        # on what was asked before: "key quotes" and "tl;dr" had been declined
        assert answer.answerable, follow_up
        assert any("Ruth hurts Kathy" in p.chunk.text for p in answer.passages[:3]), follow_up
    # A summary asked for after an answer is its gist: one sentence of it, not all again.
    for request in ["tl;dr", "Can you summarise?"]:
        gist = ready.ask(request, earlier)
        assert gist.answer.startswith(f"{IN_SHORT} ") and len(gist.citations) == 1, request
        assert len(gist.answer) < len(earlier[1]["content"]) / 2, request
        assert " ".join(gist.citations[0].quote.split()) in " ".join(
            plain_text(earlier[1]["content"]).split()
        )
    # "key quotes" asks for the notes' quotations, after an answer too (it was declined).
    for request in ["key quotes", "what are the key quotes?"]:
        listed = ready.ask(request, earlier)
        assert listed.answer == ready.ask("What are the key quotations?").answer, request
    # A question after such a request leans on the question before it, not on the request.
    earlier += [{"role": "user", "content": "key quotes"}, {"role": "assistant", "content": "…"}]
    assert "Ruth hurts Kathy" in ready.ask("why?", earlier).passages[0].chunk.text
    # Saying "the notes" asks about them all, whatever came before.
    assert "In short, the notes" in ready.ask("summarise the notes", earlier).answer
    assert "In short, the notes" in ready.ask("summarise the guide", earlier).answer


@pytest.mark.parametrize(
    "question", ["How is friendship shown?", "Where does Kathy see Ruth again?"]
)
def test_a_gist_sums_up_the_point_the_answer_before_opened_with(ready, question):
    """Searched by the question before, "tl;dr" after "How is friendship shown?" ranked a
    comment first and gave "In short: This shows that friendship is of real importance…";
    a quotation that was the point came back under its "Key quotation:" label."""
    first = ready.ask(question)
    earlier = [
        {"role": "user", "content": question},
        {"role": "assistant", "content": first.answer},
    ]
    gist = ready.ask("tl;dr", earlier)
    assert len(gist.citations) == 1
    assert gist.citations[0].passage.chunk.id == first.citations[0].passage.chunk.id
    assert gist.citations[0].quote in first.citations[0].quote
    assert "Key quotation" not in gist.answer
    quoted = first.passages[0].chunk.kind == "quote"
    assert gist.answer.startswith(f"{IN_SHORT}\n\n> " if quoted else f"{IN_SHORT} ")


@pytest.mark.parametrize("request_", ["tl;dr", "shorter please"])
def test_the_gist_of_an_answer_to_why_is_its_reason(ready, request_):
    """Chosen by the answer's own words, which every sentence of it matches alike, the gist
    of "Why are the friendships at Hailsham so intense?" had been "People argue with each
    other, make up with each other…". It is the sentence giving the reason, with the one
    before it when it only draws the consequence ("Therefore, …")."""
    question = "Why are the friendships at Hailsham so intense?"
    first = ready.ask(question)
    earlier = [
        {"role": "user", "content": question},
        {"role": "assistant", "content": first.answer},
    ]
    gist = ready.ask(request_, earlier)
    assert gist.answer.startswith(IN_SHORT)
    assert len(gist.citations) == 1
    quote = gist.citations[0].quote
    assert quote in first.citations[0].quote
    sentences = re.split(r"(?<=[.!?])\s+", quote)
    assert GIVES_A_REASON.search(sentences[-1])
    if re.match(r"\W*(?:therefore|thus|hence)\b", sentences[-1], re.I):
        assert len(sentences) == 2  # what it follows from comes too


def test_what_asks_for_another_quotation():
    def chat(*turns: str) -> list[dict]:
        return [
            {"role": role, "content": text}
            for turn in turns
            for role, text in (("user", turn), ("assistant", "> 'It'll come off.' [1]"))
        ]

    assert asks_for_another_quotation("give me another quote", chat("How is Ruth shown?"))
    assert asks_for_another_quotation("another one", chat("give me a quote about Ruth"))
    assert asks_for_another_quotation("and one more?", chat("quote about Ruth?", "another one"))
    assert not asks_for_another_quotation("another one", chat("give me a reason"))
    assert not asks_for_another_quotation("tell me more", chat("give me a quote about Ruth"))
    assert not asks_for_another_quotation("give me another quote", [])  # nothing given yet


def test_another_quote_is_a_quotation_not_given_yet_until_there_is_none(ready):
    """ "give me another quote" after "explain the second point" had answered "With no
    actual family to turn to, friendship… was of the utmost importance.", the notes' own
    words; "another one" after a quotation gave the Cottages paragraph, twice."""
    for opening, requests in [
        (
            ["how is friendship shown in the novel", "explain the second point"],
            ["give me another quote"],
        ),
        (["give me a quote about kathy and ruth"], ["another one", "and one more", "another one"]),
    ]:
        history = _conversation(ready, opening)
        for request in requests:
            answer = ready.ask(request, history)
            told = " ".join(t["content"] for t in history if t["role"] == "assistant")
            if answer.answer == NO_OTHER_QUOTATION:
                assert not answer.citations
                break
            first = answer.citations[0]
            assert holds_quotation(first.passage.chunk), (request, answer.answer)
            assert first.quote not in told, request
            # nothing after it only tells again what was told (the Miss Jody passage had
            # come under "The notes also point out" in every answer)
            assert all(c.quote not in told for c in answer.citations), request
            _assert_citations_verbatim(ready, answer)
            history += [
                {"role": "user", "content": request},
                {"role": "assistant", "content": answer.answer},
            ]


def test_another_quote_goes_beyond_the_passages_found_then_says_there_is_none(ready):
    """After "give me a quote about friendship" (the quotations set out) and "another
    one", the next had said every quotation was given, with "My heart had done a little
    leap…" never given; asked again after that, it was declined."""
    history = _conversation(ready, ["give me a quote about friendship"])
    quoting = [c for c in ready._lexical.chunks if holds_quotation(c)]
    given: set[str] = {c.passage.chunk.id for c in ready.ask(history[0]["content"]).citations}
    elsewhere = 0
    for _ in range(len(quoting) + 1):
        answer = ready.ask("another one", history)
        history += [
            {"role": "user", "content": "another one"},
            {"role": "assistant", "content": answer.answer},
        ]
        if answer.answer == NO_OTHER_QUOTATION:
            break
        assert answer.citations[0].passage.chunk.id not in given
        if answer.answer.startswith(ANOTHER_ELSEWHERE):  # beyond the passages found
            assert answer.citations[0].passage not in answer.passages[1:]
            # after it only its reading in the notes, if any: the passages found were
            # on the request before ("…seeking out…" had come with the Cottages)
            at = ready._lexical.position[answer.citations[0].passage.chunk.id]
            for citation in answer.citations[1:]:
                assert ready._lexical.position[citation.passage.chunk.id] == at + 1
                assert leans_on(ready._lexical.chunks[at], citation.passage.chunk)
            elsewhere += 1
            # what was told is the quotation, not the line saying where it is from: "what
            # does that show?" after it had read that line as the point
            told = told_point(answer.answer)
            assert " ".join(told.split()) == " ".join(answer.citations[0].quote.split())
        given.add(answer.citations[0].passage.chunk.id)
    assert answer.answer == NO_OTHER_QUOTATION
    assert elsewhere  # the notes have quotations on more than friendship's passages
    assert given == {c.id for c in quoting}  # every one, before saying there is none
    again = ready.ask("another one", history)
    assert again.answer == NO_OTHER_QUOTATION and not again.answerable


@pytest.mark.parametrize(
    "question",
    [
        "what does the quote 'it'll come off' show about kathy",
        "What keeps the students tied together even when they fall out?",
        "are the hailsham kids basically like normal teenagers?",
    ],
)
def test_evidence_reading_the_sentence_before_it_never_comes_without_it(ready, question):
    """ "This shows that friendship is of real importance to her…" had come after Kathy's
    words on meeting Tommy again, as if it read them; "Therefore, their friendships
    become…" after the quarrels at Hailsham. Without room for the sentence before, such a
    sentence is left out."""
    answer = ready.ask(question)
    reading = re.compile(r"\W*(?:this|that|these|those|therefore|thus|hence)\b", re.I)
    for citation in answer.citations:
        if reading.match(citation.quote):
            assert citation.quote_start == citation.passage.chunk.start, citation.quote
    _assert_citations_verbatim(ready, answer)


def _conversation(tutor, questions: list[str]) -> list[dict]:
    history: list[dict] = []
    for question in questions:
        answer = tutor.ask(question, history).answer
        history += [{"role": "user", "content": question}, {"role": "assistant", "content": answer}]
    return history


def test_asked_for_a_quote_after_an_answer_that_gave_one_gives_it_again(ready):
    """ "give me a quote" was taken for "tell me more": the Dover quotation was told
    already, so it gave a passage on silly quarrels instead."""
    history = _conversation(ready, ["Why does Kathy become Ruth's carer?"])
    assert "She already had a carer" in history[1]["content"]
    quote = ready.ask("give me a quote", history)
    assert quote.citations[0].quote.startswith("She already had a carer assigned to her")
    another = ready.ask("another quote", history)  # not the one told
    assert not another.citations[0].quote.startswith("She already had a carer")
    _assert_citations_verbatim(ready, quote)


def test_asked_for_a_quote_where_the_notes_quote_none_it_says_so_and_gives_the_nearest(ready):
    """The notes quote nothing on Ruth at the Cottages: "any quotes?" had given the
    Cottages paragraph a third time."""
    history = _conversation(ready, ["who is ruth", "what does she do at the cottages"])
    answer = ready.ask("any quotes?", history)
    assert answer.answer.startswith(NO_QUOTATION_ON_THIS)
    assert quotes_the_text(answer.citations[0].quote)  # the nearest quotation, cited
    _assert_citations_verbatim(ready, answer)
    # What follows leans on that answer's point, not on its opening line.
    history += [{"role": "user", "content": "any quotes?"}]
    history.append({"role": "assistant", "content": answer.answer})
    assert NO_QUOTATION_ON_THIS[:20] not in told_point(answer.answer)
    for follow_up in ["tl;dr", "explain simpler", "what happens next?"]:
        assert ready.ask(follow_up, history).answerable, follow_up
    # A question asking more than for a quotation keeps its answer.
    asked = ready.ask("What does Ruth do at the Cottages? give me a quote")
    assert not asked.answer.startswith(NO_QUOTATION_ON_THIS) and "Cottages" in asked.answer
    # What answers best quoting the novel, it is given as before, with no such opening.
    seeking = ready.ask("Any quotes?", _conversation(ready, ["How does Kathy choose donors?"]))
    assert not seeking.answer.startswith(NO_QUOTATION_ON_THIS)
    assert any("I started seeking out" in c.quote for c in seeking.citations)


def test_asked_for_a_quotation_and_more_where_the_notes_quote_none_it_says_so(ready):
    """ "Is there a quotation showing Ruth snubs Kathy at the Cottages?" was answered with
    the Cottages paragraph, which quotes nothing from the novel, and never said so."""
    for question in [
        "Is there a quotation showing Ruth snubs Kathy at the Cottages?",
        "What does Ruth do at the Cottages? give me a quote",
    ]:
        answer = ready.ask(question)
        assert answer.answer.startswith(NO_QUOTATION_HERE), question
        assert "Cottages" in answer.citations[0].passage.chunk.text  # what answers, kept
        assert not any(quotes_the_text(c.quote) for c in answer.citations)
        assert not any(holds_quotation(c.passage.chunk) for c in answer.citations)
        assert told_point(answer.answer).startswith("There are moments")
        _assert_citations_verbatim(ready, answer)
    # Where the notes quote the novel on it, or the question names a quotation, no such line.
    for question in [
        "Is there a quotation showing Kathy seeks out donors from Hailsham?",
        "What does the quote about seeking out donors show about Kathy?",
    ]:
        assert NO_QUOTATION_HERE not in ready.ask(question).answer, question


def test_the_missing_quotation_is_read_from_the_passages_cited_not_only_their_spans():
    point = _passage(0, "Ruth snubs Kathy at the Cottages.")
    quoting = _passage(1, "Ruth laughs at Tommy. 'The idiot!' she says. (Kathy)")
    question = "Is there a quotation showing Ruth is unkind?"

    def draft(passage, quote):
        return Draft("…", (Citation(1, passage, quote, passage.chunk.start, passage.chunk.end),))

    assert lacks_the_quotation_asked(question, draft(point, point.chunk.text))
    # a passage quoting the novel in a sentence the answer left out does not lack one
    assert not lacks_the_quotation_asked(question, draft(quoting, "Ruth laughs at Tommy."))
    assert not lacks_the_quotation_asked("any quotes?", draft(point, point.chunk.text))  # bare
    assert not lacks_the_quotation_asked("How is Ruth unkind?", draft(point, point.chunk.text))


def test_a_quote_for_an_answer_written_elsewhere_is_for_what_that_answer_said(ready):
    """A history passed in (a teacher's example, another tool) says what "that" is in
    words of its own: "any quote for that?" had been searched with the question alone,
    which found Kathy meeting Tommy, not the donors the answer spoke of."""
    said = "She chooses donors who went to Hailsham whenever she can pick her patients."
    history = [
        {"role": "user", "content": "What does Kathy do later in the novel?"},
        {"role": "assistant", "content": said},
    ]
    answer = ready.ask("any quote for that?", history)
    assert answer.citations[0].quote.startswith("… I started seeking out for my donors")
    assert in_own_words(said, ready._lexical)
    # The tutor's own answers quote the notes: their question is searched, as before.
    own = _conversation(ready, ["How does Kathy choose donors?"])
    point = told_point(own[1]["content"])
    assert not in_own_words(point, ready._lexical)
    assert point not in build_query("any quote for that?", own, ready._lexical).text
    # A line leading into what follows says nothing of its own; nor do short sentences.
    assert not in_own_words(
        "In short, the notes on “Friendship in Never Let Me Go” say:", ready._lexical
    )
    assert not in_own_words("Yes. She does.", ready._lexical)


def test_the_notes_say_a_sentence_whatever_markup_sets_it_out():
    notes = (
        "# Macbeth\n\nThis **hallucination** shows that his mind is already disturbed.\n\n"
        "Banquo is wary of the witches.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("m.md", notes.encode())))
    assert lexical.says("This hallucination shows that his mind is already disturbed.")
    assert not in_own_words("This hallucination shows that his mind is already disturbed.", lexical)
    assert not lexical.says("his mind is already disturbed Banquo is wary")  # across passages
    assert in_own_words("Macbeth sees a dagger because he feels guilty.", lexical)


def test_a_bare_request_for_a_quote_opening_with_a_point_that_quotes_none_says_so():
    """ "quote?" after an answer saying Tommy is goaded gave that point again, and then a
    quotation on quarrels as "The notes also point out:": the notes quote the novel
    nowhere on the point."""
    point = _passage(0, "Tommy is often goaded into making a fool of himself.")
    quoting = _passage(
        1, "'It's nothing to worry about,' I said before the silence got humiliating. (Kathy)"
    )
    history = [
        {"role": "user", "content": "What is Tommy like?"},
        {"role": "assistant", "content": "He is goaded into making a fool of himself."},
    ]
    answer = ExtractiveAnswerer().compose("quote?", [point, quoting], history)
    assert answer.markdown.startswith(NO_QUOTATION_ON_THIS)
    assert answer.citations[0].passage is quoting
    # A point and the quotation it leads into open the answer together: no such line.
    leads = _passage(0, "Tommy is often goaded, and Kathy says:")
    said = "'It's nothing to worry about.' (Kathy)"
    start = leads.chunk.end + 2  # set out right after it
    quotation = dataclasses.replace(
        quoting,
        chunk=dataclasses.replace(
            quoting.chunk, kind="quote", text=said, start=start, end=start + len(said)
        ),
    )
    led = ExtractiveAnswerer().compose("quote?", [leads, quotation], history)
    assert not led.markdown.startswith(NO_QUOTATION_ON_THIS)


def test_a_quotation_put_first_though_not_on_what_was_asked_says_so(ready):
    """ "give me a quote" after "how does ruth treat kathy at the cottages?": the notes
    quote nothing on the Cottages, and the quotation on quarrels that the quotation
    bonus put first had been given as if it were on them."""
    history = _conversation(ready, ["how does ruth treat kathy at the cottages?"])
    answer = ready.ask("give me a quote", history)
    assert answer.answer.startswith(NO_QUOTATION_ON_THIS)
    assert "Cottages" not in answer.citations[0].passage.chunk.text  # the nearest, said so
    assert ready.ask("quote about ruth at the cottages").answer.startswith(NO_QUOTATION_ON_THIS)
    # A quotation the passage leads to, or one on a word it shares, is on it.
    for asked in ["Why does Kathy become Ruth's carer?", "How does Kathy choose donors?"]:
        quote = ready.ask("give me a quote for that", _conversation(ready, [asked]))
        assert not quote.answer.startswith(NO_QUOTATION_ON_THIS), asked
        assert any(quotes_the_text(c.quote) for c in quote.citations), asked
    # Nor is one lacking a word of the question that is no name: "quarrels" is "argue".
    history = _conversation(
        ready, ["give me a quote that shows the students look after each other"]
    )
    argue = ready.ask("whats a quote where they argue instead", history)
    assert "silly quarrels" in argue.citations[0].passage.chunk.text
    assert not argue.answer.startswith(NO_QUOTATION_ON_THIS)


def test_the_quotations_listed_are_at_most_six_and_say_so(tutor, knowledge):
    (knowledge / BUNDLED_NOTES.name).unlink()
    lines = [f"Point {i}.\n\n“Quotation number {i} is here,” said Ann. (Ann)\n" for i in range(8)]
    (knowledge / "ann.txt").write_text("Ann\n\n" + "\n".join(lines), encoding="utf-8")
    answer = tutor.ask("key quotations please")
    assert answer.answer.startswith("The first 6 of the 8 quotations set out")
    assert [c.quote[:19] for c in answer.citations] == [f"“Quotation number {i}" for i in range(6)]
    # asked for three, three; asked for more than there are, it says how many there are
    three = tutor.ask("give me three key quotes")
    assert three.answer.startswith("The first 3 of the 8 quotations set out")
    assert len(three.citations) == 3
    ten = tutor.ask("give me 10 quotes")  # more than there are, and more than it lists
    assert ten.answer.startswith("The first 6 of the 8 quotations set out")
    assert len(ten.citations) == 6


def test_asked_for_more_quotations_than_the_notes_set_out_it_says_how_many(ready):
    """From a student's session: "Give me 3 key quotes about friendship" listed the two
    the notes set out, as if they were three."""
    answer = ready.ask("Give me 3 key quotes about friendship")
    title = ready.documents[BUNDLED_NOTES.name].title
    lead = FEWER_QUOTATIONS_LEAD.format(asked="3 quotations", all="2 quotations", title=title)
    assert answer.answer.startswith(lead)
    assert len(answer.citations) == 2
    assert quotations_counted("any quotes?") is None
    assert quotations_counted("give me two good quotations") == 2
    assert quotations_counted("give me 2 more quotes") is None  # others, not the first two


def test_asked_for_quotations_of_several_notes_the_tutor_asks_which(tutor, knowledge):
    (knowledge / "carol.txt").write_text(FEZZIWIG_NOTES, encoding="utf-8")
    (knowledge / "cells.txt").write_text("Cells\n\nPlant cells have walls.\n", "utf-8")
    which = tutor.ask("quotes please")
    assert not which.answerable and not which.citations
    assert set(which.follow_ups) == {  # not the cells notes: they set out none
        "Key quotations from Scrooge in A Christmas Carol",
        "Key quotations from Friendship in Never Let Me Go",
    }
    carol = tutor.ask(which.follow_ups[0])
    assert carol.answerable and carol.citations


def test_a_file_picked_by_typing_after_the_tutor_asks_which_is_answered_as_its_button(
    tutor, knowledge
):
    (knowledge / "carol.txt").write_text(FEZZIWIG_NOTES, encoding="utf-8")
    for request, pick in [
        ("give me an overview", "the Christmas Carol one please"),
        ("quotes please", "the christmas carol one"),
        ("quotes please", "by place"),
    ]:
        which = tutor.ask(request)
        history = [
            {"role": "user", "content": request},
            {"role": "assistant", "content": which.answer},
        ]
        button = next(offer for offer in which.follow_ups if "Christmas Carol" in offer)
        if pick == "by place":
            pick = ("the first one", "the second one")[which.follow_ups.index(button)]
        typed, pressed = tutor.ask(pick, history), tutor.ask(button, history)
        assert typed.question == pick
        assert typed.answerable and typed.citations, pick
        assert typed.answer == pressed.answer, pick
        assert {c.passage.chunk.source for c in typed.citations} == {"carol.txt"}, pick
    # A question of its own, even one naming a title, is asked as one.
    which = tutor.ask("give me an overview")
    history = [
        {"role": "user", "content": "give me an overview"},
        {"role": "assistant", "content": which.answer},
    ]
    question = "How does Scrooge change in A Christmas Carol?"
    assert tutor.ask(question, history).answer == tutor.ask(question).answer


def test_a_button_pressed_after_two_questions_asked_back_does_what_it_says(tutor, knowledge):
    (knowledge / "carol.txt").write_text(FEZZIWIG_NOTES, encoding="utf-8")
    history = []
    for said in ("quotes please", "summarise the notes"):  # asked back: "Whose…?", "Which…?"
        history += [
            {"role": "user", "content": said},
            {"role": "assistant", "content": tutor.ask(said, history).answer},
        ]
    summary = tutor.ask("Summarise Scrooge in A Christmas Carol", history)
    assert summary.answer.startswith("In short, the notes on “Scrooge in A Christmas Carol”")


def test_a_follow_up_naming_another_file_s_title_asks_the_question_before_of_it(tutor, knowledge):
    (knowledge / "carol.txt").write_text(FEZZIWIG_NOTES, encoding="utf-8")
    for first, then, file in [
        ("How does Scrooge change?", "And in Never Let Me Go?", BUNDLED_NOTES.name),
        ("How does Ruth hurt Kathy?", "what about in a christmas carol", "carol.txt"),
    ]:
        history = [{"role": "user", "content": first}]
        history.append({"role": "assistant", "content": tutor.ask(first).answer})
        answer = tutor.ask(then, history)
        assert answer.passages and {p.chunk.source for p in answer.passages} == {file}, then
        # The question before, asked of that file alone: not the file's title as a topic.
        alone = tutor.ask(first, source=file)
        assert answer.answerable == alone.answerable, then
        assert [p.chunk.id for p in answer.passages] == [p.chunk.id for p in alone.passages]
    # Naming a subject before "in" asks about it: not the question before again.
    history = [{"role": "user", "content": "How does Ruth hurt Kathy?"}]
    history.append({"role": "assistant", "content": tutor.ask(history[0]["content"]).answer})
    friendship = tutor.ask("What about friendship in the novel?", history)
    assert "friendship" in friendship.passages[0].chunk.text.lower()


def test_a_request_for_quotations_after_an_answer_keeps_to_that_answer_s_file(tutor, knowledge):
    (knowledge / "carol.txt").write_text(FEZZIWIG_NOTES, encoding="utf-8")
    for first, file in [
        ("How does Scrooge change?", "carol.txt"),
        ("How does Ruth hurt Kathy?", BUNDLED_NOTES.name),
    ]:
        history = [{"role": "user", "content": first}]
        history.append({"role": "assistant", "content": tutor.ask(first).answer})
        listed = tutor.ask("key quotations", history)
        assert listed.answer.startswith("The quotations set out in the notes on"), first
        assert {c.passage.chunk.source for c in listed.citations} == {file}, first
        assert listed.answer == tutor.ask("key quotations", source=file).answer
    # The file is the one the answer before quotes, whatever its question said.
    summary = tutor.ask("Summarise Scrooge in A Christmas Carol")
    history = [
        {"role": "user", "content": "the second one"},  # a typed pick, as the app keeps it
        {"role": "assistant", "content": summary.answer},
    ]
    listed = tutor.ask("key quotations", history)
    assert {c.passage.chunk.source for c in listed.citations} == {"carol.txt"}


@pytest.mark.parametrize(
    ("reply", "chosen"),
    [
        ("the Christmas Carol one", "carol.txt"),
        ("christmas carol pls", "carol.txt"),
        ("the first", "carol.txt"),
        ("2", "cells.txt"),
        ("the last one", "cells.txt"),
        ("the third one", None),  # only two were offered
        ("How does Scrooge change?", None),
        ("Who is Scrooge?", None),  # a question on a name in the title
        ("cells or carol", None),  # not one
    ],
)
def test_which_offered_file_a_typed_reply_picks(reply, chosen):
    carol = chunk_document(parse_document("carol.txt", FEZZIWIG_NOTES.encode()))
    cells = chunk_document(parse_document("cells.txt", b"Plant Cells\n\nPlant cells have walls.\n"))
    lexical = LexicalIndex([*carol, *cells])
    assert chosen_file(reply, ["carol.txt", "cells.txt"], lexical) == chosen


def test_asked_for_quotations_with_one_of_several_notes_setting_any_out_it_lists_those(
    tutor, knowledge
):
    (knowledge / "cells.txt").write_text("Cells\n\nPlant cells have walls.\n", "utf-8")
    answer = tutor.ask("quotes please")
    assert answer.answerable and not answer.reply
    assert {c.passage.chunk.source for c in answer.citations} == {BUNDLED_NOTES.name}


def test_notes_setting_out_no_quotation_answer_a_request_for_them_as_any_question(tutor, knowledge):
    (knowledge / BUNDLED_NOTES.name).unlink()
    (knowledge / "cells.txt").write_text(
        "Cells\n\nPlant cells have a cell wall made of cellulose.\n", encoding="utf-8"
    )
    answer = tutor.ask("give me some quotes")
    assert not answer.answerable and DECLINED in answer.answer


@pytest.mark.parametrize(
    ("question", "file"),
    [
        ("What are the key quotations?", "carol.txt"),
        ("quotes please", "carol.txt"),
        ("Which quotation shows Scrooge changing?", None),  # asks for one
    ],
)
def test_what_asks_for_the_notes_quotations(question, file):
    assert quotations_of(question, _fezziwig_index()) == file


def test_notes_with_a_section_of_key_quotations_answer_from_it():
    notes = "Macbeth\n\n## Key quotations\n\n> Out, damned spot!\n"
    lexical = LexicalIndex(chunk_document(parse_document("macbeth.md", notes.encode())))
    assert quotations_of("What are the key quotations?", lexical) is None


def test_a_phrasal_verb_with_its_object_between_is_searched_as_one_word():
    """ "winding him up": the particle after an object pronoun still makes the verb
    phrasal, and it finds the notes' word for it ("goaded")."""
    notes = (
        "Notes\n\nTommy is often goaded into losing his temper.\n\n"
        "Tommy and Kathy are close when they meet again.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("n.txt", notes.encode())))
    goaded, close = (lexical.position[c.id] for c in lexical.chunks[-2:])
    assert "wind_up" in question_terms("Why do they keep winding him up?")
    assert "goad" not in question_terms("Where do Kathy and Tommy wind up at the end?")
    scores = dict(lexical.search("Why do his mates keep winding him up?", 5))
    assert scores[goaded] > scores.get(close, 0.0)


@pytest.mark.parametrize(
    "path",
    [BUNDLED_NOTES, *sorted((BUNDLED_NOTES.parents[1] / "benchmarks" / "notes").iterdir())],
    ids=lambda path: path.name,
)
def test_the_notes_names_are_whole_words(path):
    """A word before a title's next word was cut a letter short instead of skipped: "Miss
    Jody" gave the name "mis", "Never Let Me Go" the names "neve", "le" and "m", which a
    question saying "I'm" then named."""
    lexical = LexicalIndex(chunk_document(parse_document(path.name, path.read_bytes())))
    whole_words = re.findall(r"[A-Za-z]+", path.read_text(encoding="utf-8"))
    assert lexical.names and lexical.names <= set(stems([w.lower() for w in whole_words]))


def test_a_follow_up_with_a_pronoun_and_a_new_name_is_about_that_name(ready):
    """ "does she stay friends with kathy?" after "Who is Ruth?": "she" is Ruth, and the
    answer had been on Ruth as a leader again; Kathy, named anew, is what it asks about."""
    lexical = ready._lexical
    assert "kathi" in lexical.names and "ruth" in lexical.names
    assert "howev" not in lexical.names and "friendship" not in lexical.names
    assert "jodi" in lexical.names
    assert "miss" not in lexical.names and "never" not in lexical.names  # titles' words
    assert points_back("does she stay friends with kathy?")
    assert not points_back("What about when she meets Tommy again?")
    previous = "Who is Ruth?"
    assert new_subject("does she stay friends with kathy?", previous, lexical.names) == ("kathi",)
    assert new_subject("does she stay friends with kathy?", previous) == ()  # no names known
    history = [{"role": "user", "content": previous}]
    history.append({"role": "assistant", "content": ready.ask(previous).answer})
    top = ready.ask("does she stay friends with kathy?", history).passages[0].chunk.text
    assert "fondness" in top or "past friendship" in top, top


@pytest.mark.parametrize(
    "follow_up", ["how do u know", "How can you tell?", "is there a similar idea later on"]
)
def test_asking_how_we_know_or_comparing_leans_on_the_turn_before(ready, follow_up):
    """Each had been searched alone and declined: "how do u know" names nothing the notes
    hold, and "similar" compares with what was said."""
    previous = "What does Hailsham do for the students' friendships?"
    history = [{"role": "user", "content": previous}]
    history.append({"role": "assistant", "content": ready.ask(previous).answer})
    assert is_follow_up(follow_up, history)
    assert not is_follow_up("how do you know each other", history)  # asks of its own
    # a comparing word in a question that says what it asks is no sign
    for alone in [
        "Why does Kathy keep going back to the same memories of Hailsham?",
        "Is Tommy too innocent to see what Ruth does?",
    ]:
        assert not is_follow_up(alone, history), alone
    answer = ready.ask(follow_up, history)
    assert answer.answerable, answer.answer


def test_turning_back_to_the_book_after_a_declined_film_question(ready):
    """ "what about in the book, why does she want hailsham people" after a declined
    question on the film had been searched with the film, and declined too."""
    first = "what does kathy do when shes a carer"
    history = [{"role": "user", "content": first}]
    history.append({"role": "assistant", "content": ready.ask(first).answer})
    film = "is it the same in the film"
    declined = ready.ask(film, history)
    assert not declined.answerable
    history += [
        {"role": "user", "content": film},
        {"role": "assistant", "content": declined.answer},
    ]
    answer = ready.ask("what about in the book, why does she want hailsham people", history)
    assert answer.answerable
    assert "Hailsham" in answer.passages[0].chunk.text
    # asked of the film again, it stays declined
    assert not ready.ask("and what about Tommy in the film?", history).answerable
    # a film question naming someone is kept: "he" is Tommy
    cast = [
        {"role": "user", "content": "How does Ruth treat Kathy?"},
        {"role": "assistant", "content": "She snubs her."},
        {"role": "user", "content": "Who plays Tommy in the film?"},
        {"role": "assistant", "content": declined.answer},
    ]
    assert answered(cast, "Is he like that in the book?") == cast
    assert answered(history, "what about in the book, why does she do that") == history[:2]


def test_a_new_name_after_who_is_asks_who_that_is(ready):
    """ "and Tommy?" after "who is ruth" asks who Tommy is: it had opened with his
    reunion with Kathy (naming him twice), not with "…and Tommy as the student who…"."""
    history = [{"role": "user", "content": "who is ruth"}]
    history.append({"role": "assistant", "content": ready.ask("who is ruth").answer})
    answer = ready.ask("and Tommy?", history)
    assert defines(answer.passages[0].chunk.text, "Tommy"), answer.passages[0].chunk.text
    assert answer.answer.split("\n\n")[0].count("Tommy as the student")


def test_a_follow_up_to_follow_ups_is_searched_with_the_questions_they_leaned_on(ready):
    """ "are they friends again by the end?" was searched with "does she ever apologise?"
    alone, which names neither Ruth nor Kathy, and declined."""
    before = _conversation(ready, ["How does Ruth hurt Kathy?", "does she ever apologise?"])
    last = ready.ask("are they friends again by the end?", before)
    assert last.answerable, last.answer
    assert "their fondness for each other has returned" in last.answer
    history = [
        {"role": "user", "content": "How does Ruth hurt Kathy?"},
        {"role": "assistant", "content": "Ruth snubs her."},
        {"role": "user", "content": "does she ever apologise?"},
        {"role": "assistant", "content": "Not in so many words."},
    ]
    chained = chained_query("are they friends again by the end?", history, ready._lexical)
    assert chained is not None and "Ruth" in chained.text and "apologi" in chained.text
    # a follow-up to a question standing alone is searched with it already
    assert chained_query("why?", history[:2], ready._lexical) is None


def test_essay_paragraphs_point_into_the_answer_before(ready):
    """ "what should my first paragraph be about?" after the list of ways friendship is
    shown had been declined; "give me evidence for that" then gave an unrelated quotation,
    as something not told before."""
    chat = _conversation(
        ready,
        ["How is friendship shown in the novel?", "what should my first paragraph be about?"],
    )
    first = chat[3]["content"]
    assert DECLINED not in first and "seek out donors" in first, first
    evidence = ready.ask("give me evidence for that", chat)
    history = chat[:2]
    assert pointed_at("what should my first paragraph be about?", history)
    assert pointed_at("What happens in the last part of the novel?", history) is None
    assert "I started seeking out for my donors" in evidence.answer, evidence.answer
    assert "recovery centre in Dover" not in evidence.answer


def test_a_count_of_quotations_asked_for_lists_them(ready):
    """ "give me three key quotes" had been declined: "three" counted as a subject the
    notes never name, where "give me 3 key quotes" listed them."""
    answer = ready.ask("give me three key quotes")
    assert answer.answerable
    assert answer.answer == ready.ask("give me 3 key quotes").answer


def test_no_suggestion_asks_again_what_the_chat_asked_before_the_history_read(ready):
    """The fifth turn had been offered "How is friendship shown in the novel?", the first
    question, which had left the six turns a question may lean on."""
    first = "How is friendship shown in the novel?"
    history = _conversation(
        ready, [first, "explain the second one", "give me a quote for that", "what about Tommy?"]
    )
    told_first = (
        "I am revising for my mock. Anyway, how does Kathy show she cares about her friends?"
    )
    for last in ("why?", "Who wrote Hamlet?", told_first):
        suggested = ready.ask(last, history).follow_ups
        assert suggested and first not in suggested, suggested


def test_asked_about_two_people_a_passage_on_another_pair_loses(ready):
    """ "how does kathy feel seeing ruth again" had opened with Kathy meeting Tommy again
    (its "again"); the Dover passage names no one but places, and places are no one."""
    lexical = ready._lexical
    assert {"dover", "hailsham", "cottag"} <= lexical.places
    assert not lexical.places & {"kathi", "ruth", "tommi"}
    top = ready.ask("how does kathy feel seeing ruth again").passages[0].chunk.text
    assert "recovery centre in Dover" in top
    # A follow-up naming no one asks about whom the question before named: "why?" after
    # "Where does Kathy see Ruth again?" had led with Kathy meeting Tommy again.
    history = _conversation(ready, ["Where does Kathy see Ruth again?"])
    why = ready.ask("why?", history)
    assert "Tommy" not in why.citations[0].quote, why.answer
    feel = ready.ask("and how does she feel at that moment? is there a quote", history)
    assert "recovery centre in Dover" in feel.passages[0].chunk.text
    # … unless it turns to someone else ("what about him…", "And he?")
    assert not _TURNS_TO_SOMEONE.match("why?") and _TURNS_TO_SOMEONE.match("and him?")
    he = ready.ask("And he?", history)
    assert any("Tommy" in p.chunk.text for p in he.passages[:2])
    # Asked which of them, a passage on each is what it needs: none loses
    which = ready.ask("which reunion is warmer, tommys or ruths")
    tops = " ".join(p.chunk.text for p in which.passages[:3])
    assert "become Ruth’s carer" in tops and "meets Tommy for the first time" in tops


def test_a_name_is_a_place_when_the_notes_mostly_set_it_after_in_at_or_from():
    notes = (
        "Town Notes\n\nScrooge walks home from Camden. Scrooge is cold, and Scrooge is mean "
        "in Camden. Bob is angry at Scrooge. All dine at Fred's house, where Fred laughs.\n"
    )
    lexical = LexicalIndex(chunk_document(parse_document("town.txt", notes.encode())))
    assert "camden" in lexical.places  # after "from" and "in", each time it is named
    # once in four ("angry at Scrooge") is no place, nor is "at Fred's house" Fred
    assert not lexical.places & {"scroog", "fred"}


def test_a_name_of_two_words_is_one_person_asked_about():
    notes = "Carol Notes\n\nBob Cratchit is poor, and old Scrooge pays Bob little. Cratchit is kind"
    lexical = LexicalIndex(chunk_document(parse_document("carol.txt", notes.encode())))
    assert people_asked_about(Query("How does Bob Cratchit feel?", "", False), lexical) == set()
    # nor is "Bob" alone, one word of a longer name: "Cratchit is kind" is on him too
    assert people_asked_about(Query("How is Bob presented?", "", False), lexical) == set()
    both = Query("How does Bob Cratchit feel about Scrooge?", "", False)
    assert people_asked_about(both, lexical) == {"bob", "cratchit", "scroog"}


def test_asked_about_one_person_a_passage_on_someone_else_loses(ready):
    """ "whats ruth like at hailsham" had opened with the students at Hailsham, and
    "…what part does Tommy usually play in his group?" with Kathy's words at Dover."""
    lexical = ready._lexical
    assert people_asked_about(Query("whats ruth like at hailsham", "", False), lexical) == {"ruth"}
    assert "typical leader" in ready.ask("whats ruth like at hailsham").passages[0].chunk.text
    tommy = ready.ask("Back in the Hailsham days, what part does Tommy usually play in his group?")
    assert "Tommy as the student who is often goaded" in tommy.passages[0].chunk.text


def test_asked_to_compare_people_a_passage_naming_them_all_comes_first(ready):
    """ "Compare Ruth and Tommy" had opened with Kathy becoming Ruth's carer, and never
    given the sentence that sets the two side by side."""
    lexical = ready._lexical
    assert compared_names("Compare Ruth and Tommy", lexical) == {"ruth", "tommi"}
    assert compared_names("Ruth vs Tommy: who is kinder?", lexical) == {"ruth", "tommi"}
    assert compared_names("What is the difference between Ruth and Tommy?", lexical)
    # "differences" are a quarrel's, not a comparison; "both" asks of both
    assert not compared_names("Do Kathy and Ruth's differences disappear?", lexical)
    assert not compared_names("Do Ruth and Tommy both love Kathy?", lexical)
    assert not compared_names("Did the differences between Kathy and Ruth vanish?", lexical)
    answer = ready.ask("Compare Ruth and Tommy")
    assert "He portrays Ruth as a typical leader" in answer.passages[0].chunk.text
    assert "and Tommy as the student" in answer.answer.split("\n\n")[0]


@pytest.mark.parametrize(
    "question", ["how are ruth and tommy different", "How is Ruth different from Tommy?"]
)
def test_asked_how_people_differ_the_passage_setting_them_side_by_side_comes_first(ready, question):
    """ "different" had matched "Despite having their differences…" (a passage naming
    Ruth alone), ahead of the passage setting Ruth and Tommy side by side."""
    top = ready.ask(question).passages[0].chunk.text
    assert "He portrays Ruth as a typical leader" in top


def test_a_question_asking_a_short_answer_is_answered(ready):
    answer = ready.ask("seeking - analyse this word pls (short)")  # "short" had declined it
    assert answer.answerable and "the word seeking" in answer.passages[0].chunk.text


def test_the_writer_and_the_place_of_a_comparison_are_not_compared(ready):
    """ "Compare the way Ishiguro presents Ruth and Tommy when they're at Hailsham" had
    opened with a quotation: no passage names the writer, the place and both people, and
    the bonus for naming them all went elsewhere."""
    lexical = ready._lexical
    question = "Compare the way Ishiguro presents Ruth and Tommy when they're at Hailsham."
    assert compared_names(question, lexical) == {"ruth", "tommi"}
    # with no two people left, the names stand as asked
    assert compared_names("Compare Kathy at Hailsham with Kathy at the Cottages", lexical) == {
        "kathi",
        "hailsham",
        "cottag",
    }
    assert "He portrays Ruth as a typical leader" in ready.ask(question).passages[0].chunk.text
    # people listed are compared, whatever verb follows
    listed = "Compare how Kathy, Ruth and Tommy show their loyalty"
    assert compared_names(listed, lexical) == {"kathi", "ruth", "tommi"}


def test_asked_how_two_get_on_a_passage_on_those_two_alone_comes_first(ready):
    """ "Explore how Ishiguro presents the friendship between Kathy and Ruth" had opened
    with "…the friendship between Kathy, Ruth and Tommy is still strong", which names
    them among three."""
    lexical = ready._lexical
    asked = "Explore how Ishiguro presents the friendship between Kathy and Ruth."
    assert pair_asked(asked, lexical) == {"kathi", "ruth"}  # not the writer
    assert pair_asked("what is kathy and ruths relationship like", lexical) == {"kathi", "ruth"}
    # one person and a place are no pair
    assert not pair_asked("Explore the bond between her and Tommy at Hailsham", lexical)
    assert not pair_asked("Is the friendship between Kathy, Ruth and Tommy strong?", lexical)
    assert not pair_asked("How are Kathy and Ruth presented?", lexical)  # not how they get on
    # a quotation asked for, or quoted, is what the question is about
    assert not pair_asked("Give me a quote about the friendship between Kathy and Ruth", lexical)
    quoting = "What does 'no one else did' suggest about Kathy and Ruth's friendship?"
    assert not pair_asked(quoting, lexical)
    for question in (asked, "How does Ishiguro present the bond between Ruth and Kathy?"):
        top = ready.ask(question).passages[0].chunk.text
        assert "Kathy" in top and "Ruth" in top and "Tommy" not in top, (question, top)
    # "a good friend to Kathy" asks how Ruth and Kathy get on too: the conclusion on the
    # three had come first and "…Ruth hurts Kathy greatly" fourth
    good = "Is Ruth a good friend to Kathy?"
    assert pair_asked(good, lexical) == {"kathi", "ruth"}
    assert pair_asked("is kathy friends with ruth", lexical) == {"kathi", "ruth"}
    assert not pair_asked("Who are Kathy's friends?", lexical)
    head = [p.chunk.text for p in ready.ask(good).passages[:2]]
    assert any("Ruth hurts Kathy greatly" in text for text in head)
    assert not any("Tommy" in text for text in head)
    # how close two are, or how they get on, asks how they get on too: "…the friendship
    # between Kathy, Ruth and Tommy is still strong" had come before Kathy meeting Tommy
    close = "How does Ishiguro show that Kathy and Tommy are still close after years apart?"
    assert pair_asked(close, lexical) == {"kathi", "tommi"}
    assert pair_asked("do kathy and ruth get along", lexical) == {"kathi", "ruth"}
    for not_a_pair in (
        "What happens to Kathy and Tommy close to the ending?",
        "How are Kathy and Tommy shown at the close of the novel?",
        "Take a closer look at how Kathy describes Ruth",
        "Does Kathy get on with her life after Tommy completes?",
    ):
        assert not pair_asked(not_a_pair, lexical), not_a_pair
    assert "Later when Kathy meets Tommy" in ready.ask(close).passages[0].chunk.text


def test_a_quotation_is_on_the_two_its_point_names(ready):
    """Kathy's words at Dover ("…all our differences – while they didn’t exactly vanish
    –…") name neither Ruth nor anyone else, but illustrate the point on Kathy and Ruth:
    asked whether the problems between them were gone, the answer had opened with Ruth
    hurting Kathy at the Cottages, which names the two."""
    answer = ready.ask("When Kathy sees Ruth again, are the problems between them totally gone?")
    assert "didn’t exactly vanish" in answer.passages[0].chunk.text


def test_the_end_of_a_contraction_weighs_nothing(ready):
    """The token of "they're" after its apostrophe, "re", is in no passage, so it had
    weighed as the question's rarest word."""
    question = "Compare the way Ishiguro presents Ruth and Tommy when they're at Hailsham."
    weights = _token_weights_of(ready, question)
    assert weights["re"] == 0.0 and weights["Ruth"] > 0.0


def _token_weights_of(ready, question: str) -> dict[str, float]:
    """Each word-piece of the question (by the word it is of) and its weight in token
    matching against the passages the question finds."""
    chunks = [p.chunk for p in ready.ask(question).passages]
    _, token_words = ready._searches().tokens(question, chunks)
    weighed = token_weights(token_words, ready._lexical, None)
    return dict(zip(token_words, weighed, strict=True))


def test_words_putting_a_claim_to_be_checked_weigh_nothing(ready):
    """ "Am I right that Kathy and Ruth stay estranged right to the end?": "right" had
    matched Kathy deciding "the right thing to do", and "true" or "correct", in no
    passage, weighed as a question's rarest word. The claim's own words still weigh."""
    for question, frame, claim in (
        ("Is it true that Kathy and Ruth stay apart to the end?", "true", "apart"),
        ("Am I right in thinking Ruth hurts Kathy?", "right", "hurts"),
        ("Am I right in thinking Ruth hurts Kathy?", "thinking", "hurts"),
        ("My friend says Ruth is a leader, is that correct?", "says", "leader"),
        ("My friend says Ruth is a leader, is that correct?", "correct", "leader"),
        ("Ruth leaves the Cottages first, right?", "right", "leaves"),
        ("I read that Kathy leaves the Cottages because of Ruth", "read", "leaves"),
    ):
        weights = _token_weights_of(ready, question)
        assert weights[frame] == 0.0 and weights[claim] > 0.0, (question, frame)
    # asked of the claim itself, or said in it, they weigh
    assert _token_weights_of(ready, "Was it right for Kathy to become Ruth's carer?")["right"]
    assert _token_weights_of(ready, "why does she say it right then?")["right"]
    assert _token_weights_of(ready, "a quote where someone says Tommy is a fool")["says"]
    assert _token_weights_of(ready, "Is it wrong that Kathy still cares for Ruth?")["wrong"]
    assert _token_weights_of(ready, "Is it true love between Kathy and Tommy?")["true"]
    assert _token_weights_of(ready, "when a teacher tells Tommy he is fine")["tells"]
    checked = ready.ask(
        "My mum says the pupils at the school in this novel are just like normal kids. "
        "Is that right?"
    )
    assert checked.answerable and checked.citations


def test_an_exam_command_word_names_nothing(ready):
    """ "Explore", in no passage, had weighed as the rarest word of "Explore how Ishiguro
    presents the friendship between Kathy and Ruth." and pulled the ranking towards
    whatever its token happened to sit closest to."""
    question = "Explore how Ishiguro presents the friendship between Kathy and Ruth."
    assert "explore" not in content_words(question)
    weights = _token_weights_of(ready, question)
    assert weights["Explore"] == 0.0 and weights["Ruth"] > 0.0
    # "Comment on…", "To what extent…", and words that only join a clause ("since")
    for question, word in [
        ("Comment on how Tommy is treated by the other students.", "Comment"),
        ("Can you find a quote where Kathy comforts Tommy?", "find"),
        ("To what extent is Ruth a good friend to Kathy?", "extent"),
        ("how long have kathy and ruth known each other, since they were kids?", "since"),
        ("Find evidence that the students look after one another.", "Find"),
    ]:
        weights = _token_weights_of(ready, question)
        assert weights[word] == 0.0 and max(weights.values()) > 0
    # a task opens the question; further in, "find" is what happens, a comment is said
    assert _token_weights_of(ready, "Does Kathy find Tommy again?")["find"] > 0
    assert _token_weights_of(ready, "What is Ruth's comment about the tape?")["comment"] > 0
    assert _token_weights_of(ready, "What state is Kathy in at the end?")["state"] > 0
    assert not subjects("comment on that")  # a follow-up, as "say more on that" is


def test_every_name_for_the_work_weighs_as_the_one_the_notes_use(ready):
    """ "book", in no passage, had weighed as the rarest word of "do the friendships in
    the book feel true to life?", where "novel", in many, weighed little: both name the
    work, and neither says which passage answers."""
    book = _token_weights_of(ready, "how are friendships in the book tested?")
    novel = _token_weights_of(ready, "how are friendships in the novel tested?")
    assert book["book"] == novel["novel"] < book["tested"]  # in no passage
    # "play" is a verb as often: "what role does Hailsham play" keeps its own weight, and
    # the writer is no name of the work
    assert _token_weights_of(ready, "what role does Hailsham play?")["play"] > novel["novel"]
    assert _token_weights_of(ready, "what is the writer's view?")["writer"] > novel["novel"]
    extract = _token_weights_of(ready, "In the extract, how are friendships tested?")
    assert extract["extract"] == novel["novel"]


def test_another_form_of_a_word_the_notes_use_counts_as_theirs(ready):
    """ "Why is the reunion important?" had opened with the hedge: the notes say
    "reunited", never "reunion", and the question's rarest word counted as unknown."""
    lexical = ready._lexical
    assert lexical._a_form_used("reunion")  # of "reunited"
    assert not lexical._a_form_used("clone")  # not of "close"
    assert not lexical._a_form_used("donat")  # not of "donors": three letters only
    answer = ready.ask("Why is the reunion important?")
    assert answer.answerable and not answer.answer.startswith(HEDGE), answer.answer


def test_asked_for_an_essay_paragraph_the_answer_is_laid_out_as_point_evidence_explanation(
    ready,
):
    """ "can u write me a PEE paragraph on that" had been taken for "tell me more" and gave
    what the answer before had not told: Ruth hurting Kathy at the Cottages."""
    history = _conversation(ready, ["why does kathy decide to care for ruth?"])
    answer = ready.ask("can u write me a PEE paragraph on that", history)
    assert answer.answer.startswith(AS_A_PARAGRAPH)
    labels = [answer.answer.find(label) for label in PARAGRAPH_LABELS.values()]
    assert 0 < labels[0] < labels[1] < labels[2]
    point = answer.answer[labels[0] : labels[1]]
    evidence = answer.answer[labels[1] : labels[2]]
    assert "Kathy decides that the right thing to do" in point
    # the evidence is the novel's words set out beside the point, at any rank
    assert "> She already had a carer assigned to her" in evidence
    _assert_citations_verbatim(ready, answer)
    # what follows leans on the point, not on the labels or the opening line
    assert told_point(answer.answer).startswith("Despite having their differences")
    # A bare request after an answer is a follow-up, searched as the question before it.
    history = _conversation(ready, ["how does kathy show friendship as a carer?"])
    peel = ready.ask("PEEL paragraph pls", history)
    assert peel.answerable and "seeking" in peel.passages[0].chunk.text
    # One naming its subject is searched by it, without the words asking for a paragraph.
    cottages = ready.ask("write me a paragraph on how Ruth treats Kathy at the Cottages")
    assert "The Cottages" in cottages.passages[0].chunk.text
    assert cottages.answer.count("**Point:**") == 1
    # A paragraph on the novel's words: the notes' point before them makes the point,
    # and they are the evidence (the quotation had been the point).
    dover = ready.ask("PEE paragraph on how Kathy feels at Dover")
    point, evidence = dover.answer.split(PARAGRAPH_LABELS["evidence"])[:2]
    assert "> She already had a carer" in evidence and "> " not in point


def test_an_essay_paragraph_makes_its_point_evidence_and_explanation_on_one_thing(ready):
    """From a browser check: "can u help me write a paragraph about friendship for my
    essay" had made its point with "The students at Hailsham are like many other students
    of their age.", its evidence Kathy seeking out her donors, and its explanation the
    intensity of friendships at Hailsham; "write me a PEE paragraph on that" after "How
    does Ruth treat Kathy at the Cottages?" had left out the point just told."""
    answer = ready.ask("can u help me write a paragraph about friendship for my essay")
    point, rest = answer.answer.split(PARAGRAPH_LABELS["evidence"])
    evidence, explanation = rest.split(PARAGRAPH_LABELS["explanation"])
    assert "use of the word seeking" in point
    assert "> … I started seeking out for my donors" in evidence
    assert "This shows that friendship is of real importance to her" in explanation
    _assert_citations_verbatim(ready, answer)
    history = _conversation(ready, ["How does Ruth treat Kathy at the Cottages?"])
    answer = ready.ask("write me a PEE paragraph on that", history)
    point = answer.answer.split(PARAGRAPH_LABELS["evidence"])[0]
    assert "There are moments during the novel when Ruth hurts Kathy greatly." in point


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("can u write me a PEE paragraph on that", True),
        ("help me write a paragraph about tommy", True),
        ("can you write a paragraph on ruth?", True),
        ("PEEL pls", True),
        ("idk what to write", True),
        ("what should my first paragraph be about?", False),  # points into an answer
        ("peel me an orange", False),
        ("do i need to write a paragraph on this for the exam?", False),  # asks about one
        ("do the notes have a paragraph about Tommy?", False),
    ],
)
def test_what_asks_for_an_essay_paragraph(question, asks):
    assert bool(ASKS_FOR_PARAGRAPH.search(question)) is asks


@pytest.mark.parametrize(
    "request_",
    [
        "can u make it shorter",
        "make it shorter please",
        "i dont get it",
        "i still don't get it",
        "i don't understand",
        "im confused",
        "i am confused",
    ],
)
def test_asked_for_it_shorter_or_saying_it_is_not_understood_gives_the_gist(ready, request_):
    """Each had been declined, or answered with a new and longer answer."""
    history = _conversation(ready, ["Who is Tommy?"])
    gist = ready.ask(request_, history)
    assert gist.answer.startswith(f"{IN_SHORT} ") and len(gist.citations) == 1
    assert len(gist.answer) < len(history[1]["content"]) / 2
    assert "Tommy" in gist.citations[0].quote


def test_not_understanding_and_asking_why_asks_why(ready):
    history = _conversation(ready, ["Who is Tommy?"])
    for asked in ["i dont get it, why would she do that?", "is that too long for an essay?"]:
        assert not ready.ask(asked, history).answer.startswith(IN_SHORT), asked


def test_not_knowing_what_to_write_gets_a_paragraph_on_the_question_before(ready):
    history = _conversation(ready, ["How does Ruth hurt Kathy?"])
    answer = ready.ask("idk what to write", history)  # had been declined
    assert answer.answer.startswith(AS_A_PARAGRAPH)
    assert "Ruth hurts Kathy" in answer.passages[0].chunk.text


def test_small_talk_before_a_question_is_not_leaned_on(ready):
    """ "what is the book about" after "hello" had been searched as "hello what is the
    book about", and declined."""
    alone = ready.ask("what is the book about")
    for greeting in ["hello", "hi", "thanks!"]:
        history = _conversation(ready, [greeting])
        answer = ready.ask("what is the book about", history)
        assert answer.answerable, greeting
        assert answer.answer == alone.answer, greeting
    # Nor does it take up the turns a question may lean on: "why?" after a question,
    # "thanks", "ok" and "cool" had got "I need a question to go on".
    history = _conversation(ready, ["How does Ruth hurt Kathy?", "thanks", "ok", "cool"])
    why = ready.ask("why?", history)
    assert why.answerable and "Ruth" in why.passages[0].chunk.text


def test_what_the_book_is_about_is_what_the_notes_say_they_are_about(ready):
    """An overview of the notes, asked first or after an answer (where it had been the
    gist of that answer: "In short: During their time at The Cottages…")."""
    first = ready.ask("wat is this book about")
    assert first.answer.startswith("In short, the notes on")
    history = _conversation(ready, ["How does Ruth hurt Kathy?"])
    assert ready.ask("what is the book about", history).answer == first.answer
    assert not ready.ask("what is the book about in the film").answerable
    # Asking what the book says about something is a question, after an answer too.
    that = ready.ask("what does the book say about that?", history)
    assert not that.answer.startswith("In short") and "Ruth" in that.passages[0].chunk.text


@pytest.mark.parametrize(
    ("question", "used"),
    [
        ("Analyse the effect of the word snubs.", "often snubs Kathy"),  # had been declined
        ("What does the word snubs suggest about Ruth?", "often snubs Kathy"),
        ("what does 'goaded' suggest about how the others treat him?", "goaded"),  # declined
    ],
)
def test_a_word_named_as_one_is_answered_from_where_the_notes_use_it(ready, question, used):
    answer = ready.ask(question)
    assert answer.answerable and HEDGE not in answer.answer
    assert used in answer.passages[0].chunk.text
    # not with the notes' comment on another word ("Kathy’s use of the word seeking…")
    assert all("the word seeking" not in c.quote for c in answer.citations)
    _assert_citations_verbatim(ready, answer)


def test_a_pointer_reaches_back_to_the_list_past_the_turns_a_follow_up_leans_on(ready):
    """ "and the second point?" after "explain the first one", "give me a quote for that"
    and "why is that important?" had been declined: the list was four exchanges back."""
    history = _conversation(
        ready,
        [
            "How is friendship shown in the novel?",
            "explain the first one",
            "give me a quote for that",
            "why is that important?",
        ],
    )
    answer = ready.ask("and the second point?", history)
    assert answer.answerable
    assert "reunited near the end" in answer.passages[0].chunk.section


def test_a_message_naming_nothing_is_a_follow_up(ready):
    """ "another one" after "give me a quote" had been searched alone, and declined."""
    history = _conversation(ready, ["how does kathy help tommy", "give me a quote"])
    another = ready.ask("another one", history)
    assert another.answerable
    told = history[-1]["content"]
    assert all(c.quote not in told for c in another.citations if quotes_the_text(c.quote))
    # After a refusal it still leans on the refused question: not on an older topic.
    declined = _conversation(ready, ["How does Ruth hurt Kathy?", "what does deferral mean"])
    assert declined[-1]["content"].startswith(DECLINED)
    assert not ready.ask("give me a quote", declined).answerable


def test_a_word_whose_meaning_is_asked_is_answered_where_the_notes_use_it(ready):
    answer = ready.ask("what does goaded mean")  # had been declined
    assert answer.answerable and "goaded" in answer.passages[0].chunk.text
    assert not ready.ask("what does deferral mean").answerable  # the notes never use it


def test_an_item_asked_for_by_its_place_in_the_notes_list_is_that_item(ready):
    """ "whats the first way ishiguro shows friendship" had found the reunion with Tommy,
    and "ok whats the second way" after its follow-ups was declined."""
    first = ready.ask("whats the first way ishiguro shows friendship")
    assert "Kathy’s determination" in first.passages[0].chunk.section
    history = _conversation(
        ready, ["whats the first way ishiguro shows friendship", "whats the evidence for it"]
    )
    assert "seeking" in ready.ask("whats the evidence for it", history[:2]).passages[0].chunk.text
    second = ready.ask("ok whats the second way", history)
    assert second.answerable and "reunited" in second.passages[0].chunk.section
    main = ready.ask("what's the second main way friendship is shown?")
    assert "reunited" in main.passages[0].chunk.section
    # A list of something else is not asked into.
    assert (
        listed_item_asked("What is the first example of cruelty at Hailsham?", first.passages)
        is None
    )


@pytest.mark.parametrize(
    ("question", "count"),
    [
        ("what are the two main points I should make?", 2),
        ("I need 3 key reasons for my essay", 3),
        ("Give me two quotes about Ruth", None),  # quotations, not points
        ("What is the second way friendship is shown?", None),  # a place, not a count
    ],
)
def test_a_count_of_points_asked_for(question, count):
    assert counted_points(question) == count


def test_asked_for_two_main_points_a_list_of_two_on_it_comes_first(ready):
    """Asked for the two main points of an essay on friendship, the tutor had opened with
    the notes' opening, and put second their list of the two ways friendship is shown."""
    question = (
        "I'm planning an essay on friendship in Never Let Me Go - "
        "what are the two main points I should make?"
    )
    top = ready.ask(question).passages[0].chunk
    assert top.kind == "list" and len(list_items(top)) == 2
    # asked of the whole notes: the list opens the overview, before the opening passage
    overview = ready.ask("what are the two main points I should make?")
    assert overview.passages[0].chunk.kind == "list"
    assert overview.answer.index("• Kathy’s determination") < overview.answer.index(
        "The students at Hailsham"
    )
    # a count of reasons for something the list is not on leaves the ranking alone
    top = ready.ask("What are the two main reasons Kathy leaves the Cottages?").passages[0]
    assert top.chunk.kind != "list"


def test_asked_what_someone_in_the_text_says_their_quoted_words_come_first(ready):
    """ "According to Kathy, what makes her bond with Ruth special?" asks for her words at
    Dover ("…we'd grown up together at Hailsham…"), which had not been among the
    passages found: Ruth hurting Kathy came first."""
    names = ready._lexical.names
    assert speaker_asked("According to Kathy, what makes her bond with Ruth special?", names)
    assert speaker_asked("in ruths own words, how does she see Tommy?", names) == "ruth"
    assert speaker_asked("According to the notes, why is Hailsham a glue?", names) is None
    answer = ready.ask("According to Kathy, what makes her bond with Ruth special?")
    assert "we’d grown up together at Hailsham" in answer.passages[0].chunk.text
    assert answer.citations and "(Kathy)" in answer.citations[0].quote


def test_asked_what_one_person_tells_another_their_words_to_them_come_first(ready):
    """ "which guardian does Kathy tell Tommy to go to if he can't sort it himself?" had
    found first the passage on the guardians ("sort" matched nothing of Kathy's words),
    and answered with the whole garbled sentence on quarrels her words were pasted into."""
    names = ready._lexical.names
    assert said_to_asked("who does kathy tell tommy to go to", names) == ("kathi", "tommi")
    assert said_to_asked("What does Kathy say to Tommy?", names) == ("kathi", "tommi")
    assert said_to_asked("What did Kathy tell him?", names) is None  # a pronoun
    assert said_to_asked("Does Tommy say Tommy?", names) is None
    # words said to comfort another are words to them: "quote where kathy comforts tommy"
    # had found first her words on meeting Tommy again at the end
    assert said_to_asked("Why does Kathy reassure Tommy?", names) == ("kathi", "tommi")
    assert said_to_asked("quote where kathy comforts tommy", names) == ("kathi", "tommi")
    assert said_to_asked("Kathy comforts him", names) is None
    comfort = ready.ask("quote where kathy comforts tommy")
    assert "(Kathy to Tommy)" in comfort.passages[0].chunk.text
    for question in [
        "which guardian does Kathy tell Tommy to go to if he can't sort it himself?",
        "Which member of staff does Kathy tell Tommy to go to if he can't sort it out?",
    ]:
        answer = ready.ask(question)
        assert "(Kathy to Tommy)" in answer.passages[0].chunk.text
        opening = answer.citations[0].quote
        assert opening.startswith("'It’s nothing to worry about,'") and "Miss Jody" in opening
        assert "quarrels" not in answer.answer
    # a say in something is not something said: the whole point stays; nor are Kathy's
    # words what Ruth says to Tommy
    said = ready.ask("what do the notes say about how the students support each other?")
    assert "offer support" in said.answer
    ruth = ready.ask("what does Ruth say to Tommy?")
    assert not ruth.citations[0].quote.startswith("'It’s nothing to worry about,'")


@pytest.mark.parametrize(
    ("question", "about"),
    [
        ("Which section of the notes discusses the reunion at the end?", "the reunion at the end?"),
        (
            "where in the notes does it talk about Kathy seeking out donors?",
            "Kathy seeking out donors?",
        ),
        ("which bit talks about tommy being goaded", "tommy being goaded"),
        ("Which section is that in?", "that in?"),  # leans on the answer before
        ("Which part of the novel shows Kathy caring?", None),  # the novel's, not the notes'
        ("What part is on the left side of the heart?", None),  # of the heart
        ("which part is that in?", "that in?"),
        ("What part does Ruth play?", None),
        ("write a paragraph about Ruth", None),
        # the review of stop 31: a section that "has" a quotation, "where is it in the notes"
        (
            "Which section of the notes has the key quote about seeking?",
            "the key quote about seeking?",
        ),
        (
            "What is the quote about seeking, and where is it in the notes?",
            "What is the quote about seeking, and it ?",
        ),
        ("where's that in my notes", "that"),
    ],
)
def test_what_a_question_asking_where_the_notes_say_it_asks_about(question, about):
    assert where_in_notes_asked(question) == about


def test_asked_where_the_notes_say_something_the_answer_names_the_section(ready):
    """ "Which section of the notes discusses the reunion at the end?" had been declined:
    "section", "notes" and "discusses" drew it away from every passage."""
    answer = ready.ask("Which section of the notes discusses the reunion at the end?")
    section = answer.passages[0].chunk.section
    assert answer.answerable and section.startswith("The way Kathy, Ruth and Tommy are reunited")
    assert answer.answer.startswith(
        "In “Friendship in Never Let Me Go”, the passage below is under “The way"
    )
    _assert_citations_verbatim(ready, answer)
    history = _conversation(ready, ["How does Ruth hurt Kathy?"])
    answer = ready.ask("Where exactly in the notes is that?", history)
    assert "Ruth hurts Kathy" in answer.passages[0].chunk.text
    assert answer.answer.startswith(
        "In “Friendship in Never Let Me Go”, the passage below is in the opening"
    )
    # what follows leans on what it told, not on the line saying where
    assert told_point(answer.answer).startswith("There are moments during the novel")
    # near the question but not clearly on it: the hedge, and no claim where it is
    hedged = ready.ask("Which section of the notes talks about Tommy's temper?")
    assert hedged.answer.startswith(HEDGE) and "passage below is under" not in hedged.answer


def test_a_pointer_after_a_question_asking_into_the_notes_list_restates_it():
    history = [
        {"role": "user", "content": "whats the first way ishiguro shows friendship"},
        {"role": "assistant", "content": "When Kathy is a carer… [1]"},
        {"role": "user", "content": "why?"},
        {"role": "assistant", "content": "This shows… [1]"},
    ]
    assert restated_pointer("ok whats the second way", history) == (
        "whats the second way ishiguro shows friendship"
    )
    names_more = "What is the second example of cruelty at Hailsham?"  # a question of its own
    assert restated_pointer(names_more, history) is None
    other = [*history, {"role": "user", "content": "Who is Ruth?"}]
    other.append({"role": "assistant", "content": "Ruth is… [1]"})
    assert restated_pointer("and the second way?", other) is None  # a question came between
    # … unless the notes did not answer it: it set out nothing to point into
    for reply in (f"{DECLINED} in the study notes.", f"{HEDGE}\n\nThere are… [1]"):
        unanswered = [*history, {"role": "user", "content": "is kathy reliable tho"}]
        unanswered.append({"role": "assistant", "content": reply})
        assert restated_pointer("and the second way?", unanswered) == (
            "whats the second way ishiguro shows friendship"
        )
    # a hedged answer setting out a list is one to point into
    listing = f"{HEDGE}\n\nIt shows this through:\n• memory [1]\n• loss [1]"
    hedged = [*history, {"role": "user", "content": "what themes are there"}]
    hedged.append({"role": "assistant", "content": listing})
    assert restated_pointer("and the second way?", hedged) is None


def test_a_question_asked_last_inside_one_long_sentence_is_searched_alone(ready):
    """A long aside and then the question, in one sentence: "…falling asleep lol and my
    teacher keeps going on about how…, like whats the actual reason they stay close" had
    been declined, the aside outweighing the question."""
    rambling = (
        "i missed loads of lessons this term because i was ill and my teacher keeps saying "
        "they stay friends for years, like what is the real reason the three of them stay close"
    )
    assert after_preamble(rambling) == "what is the real reason the three of them stay close"
    aside = "this book is honestly so sad and i got through it in one night"
    asked = "did kathy and ruth part on good terms"
    assert after_preamble(f"{aside} anyway {asked}") == asked
    parted = ready.ask(f"{aside} anyway {asked}")
    assert "amicable" in parted.passages[0].chunk.text
    # A first question is no telling, nor is a task or a short aside.
    assert after_preamble("how does kathy feel about ruth, why does she become her carer") is None
    task = (
        "Explain how Ishiguro presents the friendship between Kathy and Ruth at the "
        "Cottages, which quotes show the tension best"
    )
    assert after_preamble(task) is None
    analyse = (
        "Analyse the moment at the Cottages when Ruth pretends to forget things in front of "
        "the veterans, what does it reveal about friendship"
    )
    assert after_preamble(analyse) is None
    assert after_preamble("i love this book, why does kathy become ruth's carer") is None
    # a statement asked about by a question word after it is a first question, not a telling
    two_asked = (
        "Kathy tells Tommy to go to someone if he can't sort the stain himself - who, and "
        "what does the moment show about Kathy?"
    )
    assert after_preamble(two_asked) is None
    assert "Miss Jody" in ready.ask(two_asked).passages[0].chunk.text


def test_a_telling_asked_only_what_to_write_about_it_is_searched_whole(ready):
    """ "…how ruth and kathys friendship changes thru the book, from school to the cottages
    to the end, whats the main points i should put" had been searched as "whats the main
    points i should put", which names nothing, and was declined."""
    planning = (
        "ok so im writing a paragraph on how ruth and kathys friendship changes thru the "
        "book, from school to the cottages to the end, whats the main points i should put"
    )
    assert after_preamble(planning) is None
    answer = ready.ask(planning)
    assert answer.answerable and "Cottages" in answer.passages[0].chunk.text
    asked = "what do the cottages show about ruth and kathy?"  # names its subject: cut
    assert after_preamble(f"I am writing an essay on friendship. {asked}") == asked
    key = "What is the key quote about seeking?"  # asks for a quotation: cut too
    assert after_preamble(f"I have my mock next week and keep getting confused. {key}") == key


def test_a_follow_up_comparing_with_someone_new_compares_with_who_was_asked_about(ready):
    """ "And how does that compare with Tommy?" after a question on Ruth had found Kathy
    meeting Tommy again first, not the sentence setting Ruth and Tommy side by side."""
    history = _conversation(ready, ["what is Ruth like as a character?"])
    compared = ready.ask("how does that compare with Tommy?", history)
    top = compared.passages[0].chunk.text
    assert "Ruth" in top and "Tommy" in top and "typical leader" in top


def test_a_modal_names_nothing(ready):
    """ "might", in no passage, had weighed most in "Why might the others treat Tommy the
    way they do?", and matched "may have had" best."""
    weights = _token_weights_of(ready, "Why might the others treat Tommy the way they do?")
    assert weights["might"] == 0 and weights["Tommy"] > 0


def test_a_request_for_evidence_is_searched_by_its_claim(ready):
    """ "What evidence would you use to show that the students sometimes mock each other?"
    had been declined: "evidence" and "would you use" outweighed the claim."""
    claim = "the students sometimes tease one another"
    for asking in ("What evidence would you use to show that", "find me evidence that"):
        assert evidence_claim(f"{asking} {claim}?") == f"{claim}?"
    assert evidence_claim("What's the evidence?") is None
    assert evidence_claim("what evidence is there") is None  # no claim
    mocked = ready.ask("What evidence would you use to show that the students mock each other?")
    assert mocked.answerable and "The idiot!" in mocked.passages[0].chunk.text


def test_an_answer_item_pointed_at_by_its_place_is_no_term_asked_about(ready):
    """ "whats the second way", after a question the notes did not answer, had opened "The
    notes don't say what the second way is" and found Ruth hurting Kathy."""
    assert term_asked("whats the second way") is None
    assert term_asked("what is the last one") is None
    assert term_asked("what is a carer") == ("what", "is", "a carer")
    history = _conversation(
        ready, ["whats the first way ishiguro shows friendship", "is kathy a reliable narrator tho"]
    )
    assert history[-1]["content"].startswith((DECLINED, HEDGE))
    second = ready.ask("whats the second way", history)
    assert not second.answer.startswith("The notes don't say")
    assert "reunited" in second.passages[0].chunk.section


def test_asked_which_word_shows_it_the_comment_on_a_word_comes_first(ready):
    """ "which word shows she's doing it on purpose?" after a question on Kathy picking her
    donors had opened with the point again ("When Kathy is a carer…"), not with the notes'
    comment on the word "seeking"."""
    history = [
        {"role": "user", "content": "How does Kathy pick her donors?"},
        {"role": "assistant", "content": "She looks for donors she knew from Hailsham."},
    ]
    answer = ready.ask("which word shows she's doing it on purpose?", history)
    assert "use of the word seeking" in answer.passages[0].chunk.text


def test_what_it_shows_after_a_quotation_is_asked_of_what_the_answer_told(ready):
    """ "wat does it show" after "give me a quote" (the passage quoting Kathy reassuring
    Tommy) had opened with Kathy becoming Ruth's carer."""
    history = _conversation(ready, ["how does kathy help tommy", "give me a quote"])
    told = told_point(history[-1]["content"])
    assert "nothing to worry about" in told
    answer = ready.ask("wat does it show", history)
    assert "care for each other and offer support" in answer.passages[0].chunk.text


def test_a_pointer_restates_a_question_only_when_the_notes_list_what_it_asks(ready):
    """ "and the second reason?" after "what's the first reason kathy leaves the
    cottages" had been answered word for word as the turn before: the notes list no
    reasons."""
    history = _conversation(ready, ["what's the first reason kathy leaves the cottages"])
    second = ready.ask("and the second reason?", history)
    assert second.answer != history[1]["content"]


@pytest.mark.parametrize(
    "question",
    [
        "How does Ishiguro present Ruth hurting Kathy in 'Never Let Me Go'?",  # a title
        "what is the word used to describe Ruth hurting Kathy?",  # "used" is no word asked
    ],
)
def test_a_title_in_quotation_marks_or_a_word_used_is_no_word_asked_about(ready, question):
    plain = question.replace("'", "").replace("the word used to describe ", "")
    assert ready.ask(question).passages[0].chunk.id == ready.ask(plain).passages[0].chunk.id


# --------------------------------------------------------------------------- stop 32


def test_chat_spellings_of_contractions_weigh_nothing(ready):
    """ "whats" (no apostrophe), in no passage, had weighed as much as any rare word of
    the notes, and "don" of "don't" (the tokenizer's word) too."""
    assert plain_question("whats ruth like, i dont get it") == "what's ruth like, i don't get it"
    assert plain_question("whats up", known=lambda word: word == "whats") == "whats up"
    weights = _token_weights_of(ready, plain_question("whats the point, they dont care"))
    assert weights["what"] == 0 and weights["don"] == 0 and weights["care"] > 0


def test_an_acronym_of_a_title_the_notes_write_out_is_spelt_out(ready):
    """ "whats the main ways friendship is shown in nlmg, need 2 points for my intro" had
    opened with the notes' first paragraph: "nlmg", in no passage, outweighed every
    word of it, and the list of two was second."""
    lexical = ready._lexical
    assert lexical.acronyms_spelt_out("friendship in nlmg") == "friendship in Never Let Me Go"
    assert lexical.acronyms_spelt_out("NLMG quotes") == "Never Let Me Go quotes"
    # an English word or a chat word is never an acronym, and only titles give acronyms:
    # every run of names in the passages gave dozens ("meh" for "Mr Edward Hyde")
    assert lexical.acronyms_spelt_out("is ruth a rat") == "is ruth a rat"
    assert "kathy to tommy" not in {name.lower() for name in lexical.acronyms.values()}
    hyde = "Jekyll Notes\n\nMr Edward Hyde is cruel. A Christmas Carol is other.\n"
    index = LexicalIndex(chunk_document(parse_document("jh.txt", hyde.encode())))
    assert index.acronyms_spelt_out("meh is he cruel") == "meh is he cruel"
    answer = ready.ask(
        "whats the main ways friendship is shown in nlmg, need 2 points for my intro"
    )
    assert answer.passages[0].chunk.kind == "list"
    _assert_citations_verbatim(ready, answer)


def test_a_name_after_miss_or_mr_is_a_name_typed_in_lower_case(ready):
    lexical = ready._lexical
    question = "who is miss lucy and why does she leave hailsham"
    assert lexical.unknown_names(question) == ["lucy"]
    assert lexical.unknown_names("who is miss jody") == []  # in the notes
    # "miss" is a verb, "uncle" a word: the review of stop 32 found these declined
    for question in ["do they miss home", "do the students miss freedom", "a nice uncle?"]:
        assert lexical.unknown_names(question) == []
    declined = ready.ask(question)
    assert not declined.answerable and not declined.citations
    # … and anywhere a title stands before a name: not only after "who is"
    assert lexical.unknown_names("what r the guardians like, is miss lucy nice") == ["lucy"]
    assert lexical.unknown_names("what does mrs wilson think of ruth") == ["wilson"]
    assert lexical.unknown_names("does kathy miss tommy") == []
    # the verb "miss" and the noun "professor" (from the review of stop 57)
    for question in (
        "Does Kathy feel lonely and miss home?",
        "they did miss lessons",
        "How would a professor interpret Ruth's behaviour?",
    ):
        assert lexical.unknown_names(question) == [], question
    assert lexical.unknown_names("what does madame think of them") == []


def test_a_question_in_a_students_words_is_judged_as_the_notes_would_put_it(ready):
    """ "Do pupils fall out?" is 0.25 near the notes in meaning, "Do students fall out?"
    0.46: a word of the student's that stands for one of the notes' (`PLAIN_WORDS`) had
    left such questions declined although their passage came first."""
    assert with_words_meant("do pupils fall out", {"student"}, instead=True) == (
        "do student fall out"
    )
    assert with_words_meant("do pupils fall out", {"student"}) == "do pupils student fall out"
    for question in ("Do pupils fall out?", "Does Tommy ever get any backup from his friends?"):
        answer = ready.ask(question)
        assert answer.answerable and answer.citations, question
        _assert_citations_verbatim(ready, answer)
    assert "fall out" in ready.ask("Do pupils fall out?").passages[0].chunk.text
    # friends still "tight" are the notes' friends who "remain close"
    assert "close" in question_terms("are the three of them still tight?")
    tight = ready.ask("After years of not seeing one another, are the three of them still tight?")
    assert "is still strong" in tight.passages[0].chunk.text
    # a word too loose to search as the notes' ("fight") is read as theirs only to judge
    # whether they cover the question: "Do they fight a lot?" had been declined
    assert with_words_meant("do they fight", {"argu"}, instead=True, loosely=True) == (
        "do they argue"
    )
    assert with_words_meant("do they fight", {"argu"}, instead=True) == "do they fight"
    assert with_words_meant("after their fights", {"quarrel"}, instead=True, loosely=True) == (
        "after their quarrels"
    )
    for not_quarrelling in ("Does Tommy fight his fate?", "What is the main argument here?"):
        reread = with_words_meant(not_quarrelling, {"argu", "quarrel"}, instead=True, loosely=True)
        assert reread == not_quarrelling
    fight = ready.ask("Do they fight a lot?")
    assert fight.answerable and "argue" in fight.passages[0].chunk.text + fight.answer
    # … and so do friends who fight and then make up (had been declined)
    assert with_words_meant(
        "do they fight and then make up", {"argu"}, instead=True, loosely=True
    ) == ("do they argue and then make up")
    assert ready.ask("Do they fight and then make up?").answerable
    for not_quarrelling in ("Was the fight made up?", "Does Ruth fight and make up for it?"):
        reread = with_words_meant(not_quarrelling, {"argu"}, instead=True, loosely=True)
        assert reread == not_quarrelling


def test_which_words_to_focus_on_leans_on_the_quotation_before(ready):
    """ "which words should i zoom in on" after a quotation had been declined: "zoom"
    and "words" were taken for a subject of its own that no passage names."""
    first = ready.ask("whats a good quote for kathy and tommy")
    history = [
        {"role": "user", "content": first.question},
        {"role": "assistant", "content": first.answer},
    ]
    for question in ["which words should i zoom in on", "which words should I focus on"]:
        answer = ready.ask(question, history)
        assert answer.answerable and answer.citations
        # the quotation just given, read again; not the notes' one comment on a word
        assert answer.citations[0].passage.chunk == first.citations[0].passage.chunk
        _assert_citations_verbatim(ready, answer)
    # "the key word" asks for a word, not what a "key" is
    assert ready._lexical.undefined_terms("whats the key word to analyse in that") == []
    assert ready._lexical.undefined_terms("what even is a deferral") == ["deferral"]


def test_themes_of_the_notes_own_theme_are_not_other_themes(tutor, knowledge):
    """From the review of stop 31: "more important themes" and "different themes of
    friendship" had been taken for other themes, and declined."""
    assert not asks_for_other_themes("is friendship one of the more important themes?")
    assert not asks_for_other_themes("Explain the different themes of friendship")
    assert asks_for_other_themes("any more themes?")
    assert asks_for_other_themes("what different themes are there in the novel")
    assert asks_for_other_themes("What are the other themes of the novel?")
    assert tutor.ask("is friendship one of the more important themes?").answerable
    # notes on another work do not cover the novel's other themes
    (knowledge / "frankenstein.txt").write_text(
        "Ambition in Frankenstein\n\nVictor's ambition drives him to create life.\n", "utf-8"
    )
    tutor.sync()
    assert not tutor.ask("what other themes are in the novel").answerable
    # notes on another theme of the same work, never saying "themes", cover other themes
    notes = "Memory in Never Let Me Go\n\nKathy treasures her memories of Hailsham.\n"
    (knowledge / "memory.txt").write_text(notes, encoding="utf-8")
    tutor.sync()
    assert tutor.ask("what other themes are in the novel").answerable


def test_the_main_theme_is_what_the_notes_are_on(ready):
    """ "What is the main theme?" had been declined: alone, it is close to no passage."""
    for question in ["What is the main theme?", "whats the main theme of nlmg"]:
        answer = ready.ask(question)
        assert answer.answerable
        assert any("theme of friendship" in p.chunk.text for p in answer.passages[:2])
    assert not ready.ask("What are the main themes of Macbeth?").answerable


def test_the_place_line_says_where_the_passage_is_not_that_it_answers(ready):
    """From the review of stop 31: "where in my notes does it say Tommy is Kathy's
    boyfriend?" was told "this is under…", as if the notes said so."""
    answer = ready.ask("Which section of the notes has the key quote about seeking?")
    assert answer.answerable
    assert answer.answer.startswith("In “Friendship in Never Let Me Go”, the passage below is")
    assert "seeking" in answer.passages[0].chunk.text
    # asked in markup, the question is read as it says
    marked = ready.ask("<b>Which section</b> of the notes discusses Dover?")
    assert marked.answer.startswith("In “Friendship in Never Let Me Go”, the passage below is")
    # after an answer, the place is that of the passage quoted first (the review of stop
    # 32 found "in the opening" above a quotation from under another heading)
    history = _conversation(ready, ["How does Ruth treat Kathy at the Cottages?"])
    where = ready.ask("where is it in the notes?", history)
    place = where.answer.split("\n\n")[0]
    assert where.citations and place == _place_in_the_notes(where.citations[0].passage.chunk)
    # what follows leans on the answer, past the place line and any other opening
    place = "In “Notes”, the passage below is under “Ruth”:"
    told = f"{place}\n\n{NO_QUOTATION_ON_THIS}\n\nRuth leads. [1]"
    assert without_hedge(told) == "Ruth leads. [1]"


def test_why_though_after_a_why_gives_the_reason_behind_therefore(ready):
    """From the review of stop 31: after "Why are their friendships so intense?", "why
    tho" gave "Therefore, their friendships become more important…" alone: its reason
    had been skipped as told."""
    history = _conversation(ready, ["Why are their friendships so intense?"])
    answer = ready.ask("why tho", history)
    assert "all they have is each other" in answer.answer
    assert "Therefore, their friendships become" in answer.answer
    _assert_citations_verbatim(ready, answer)


def test_a_moment_placed_by_when_is_asked_about(ready):
    """From the review of stop 31: "What is the atmosphere when Kathy meets Tommy again?"
    was declined as asking about an unknown "atmosphere"; the "when" clause says which
    moment, and the notes cover it."""
    lexical = ready._lexical
    assert lexical.undefined_terms("What is the atmosphere when Kathy meets Tommy again?") == []
    assert lexical.undefined_terms("What is the irony, and how does it relate to Kathy?") == []
    assert lexical.undefined_terms("What's the song on the tape that Kathy loses?") == ["song"]
    # a "when" clause does not make an unknown thing known (the review of stop 32)
    question = "What is the boat when Ruth, Kathy and Tommy go to see it?"
    assert lexical.undefined_terms(question) == ["boat"]
    answer = ready.ask("What is the atmosphere when Kathy meets Tommy again?")
    assert answer.answerable
    assert "Tommy and I had come close together again" in answer.answer


def test_only_the_notes_writers_and_places_frame_a_comparison(ready):
    """From the review of stop 31: "Compare how Ruth uses Tommy and Kathy" had dropped
    Ruth, taken for the writer; the notes speak of Ishiguro so, never of Ruth."""
    lexical = ready._lexical
    assert compared_names("Compare how Ruth uses Tommy and Kathy", lexical) == {
        "ruth",
        "tommi",
        "kathi",
    }
    assert compared_names("Compare how Ruth looks at Kathy and Tommy", lexical) == {
        "ruth",
        "tommi",
        "kathi",
    }
    assert {"ishiguro", "hailsham"} <= lexical.writers_and_places
    # a character who "describes" something once is no writer; the writer, named often, is
    carol = "Notes\n\nDickens shows Scrooge's greed. Dickens makes him cold.\nFred describes it.\n"
    notes = LexicalIndex(chunk_document(parse_document("carol.txt", carol.encode())))
    assert "dicken" in notes.writers_and_places and "fred" not in notes.writers_and_places
    # a word opening the notes' sentences is no writer, however often it "shows"
    carol += "This shows his greed. This makes him cold.\n"
    notes = LexicalIndex(chunk_document(parse_document("carol.txt", carol.encode())))
    assert notes.writers == {"dicken"}


def test_a_speaker_with_a_title_is_not_the_name_alone():
    """From the review of stop 32: "Mrs Birling" is not "(Birling)", her husband; a title
    is part of whom the question asks for, so no one's quotations are raised for it."""
    names = frozenset({"birl", "macbeth"})
    assert speaker_asked("In Mrs Birling's own words, whose responsibility is it?", names) is None
    assert speaker_asked("According to Lady Macbeth, why must Duncan die?", names) is None


def test_the_main_points_uncounted_are_a_list_on_them(ready):
    """ "Give me the main points for an essay on how friendship is presented in Never Let
    Me Go." had opened with the notes' paragraph on realistic friendship groups: the
    notes list the ways friendship is shown."""
    answer = ready.ask(
        "Give me the main points for an essay on how friendship is presented in Never Let Me Go."
    )
    assert answer.passages[0].chunk.kind == "list"
    assert "shows the theme of friendship through" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)
    # a list on something else is not raised: the question asks about Ruth
    ruth = ready.ask("What are the main ways Ruth hurts Kathy?")
    assert ruth.passages[0].chunk.kind != "list"
    # asked of the whole notes ("…on friendship in the book" names only their title), the
    # list opens the overview, before the opening passage it had come after
    overview = ready.ask("What are the main points for an essay on friendship in the book?")
    assert overview.answer.startswith("In short")
    assert overview.passages[0].chunk.kind == "list"
    assert overview.answer.index("• Kathy’s determination") < overview.answer.index(
        "The students at Hailsham"
    )
    summary = ready.ask("Summarise the notes")  # no main points asked: the opening first
    assert summary.passages[0].chunk.kind != "list"


def test_what_does_that_mean_gives_the_notes_reading_of_the_quotation_told(ready):
    """ "What does that mean?" after a quotation had answered with the notes' opening
    paragraph: it was taken for "tell me more" and given what had not been told yet.
    It asks for the notes' reading of what was told, without the quotation again."""
    first = ready.ask("give me a quote showing kathy looks for her old school friends")
    quoted = [c for c in first.citations if c.passage.chunk.kind == "quote"]
    assert quoted, first.answer
    reading = "suggests that she actively searches"  # the notes' comment on that quotation
    for told in [first.answer, f"“{quoted[0].quote}”"]:  # the whole answer; the quotation alone
        history = [
            {"role": "user", "content": first.question},
            {"role": "assistant", "content": told},
        ]
        answer = ready.ask("What does that mean?", history)
        assert answer.answerable and answer.citations, told
        assert reading in answer.citations[0].quote, answer.answer
        assert quoted[0].quote not in answer.answer  # not given again
        _assert_citations_verbatim(ready, answer)
    # after an answer opening in the notes' own words, "that" is those words: more of the
    # notes, not the same again (the review of this stop found it repeated word for word)
    history = _conversation(ready, ["How is Ruth presented?"])
    told = {c.passage.chunk for c in ready.ask("How is Ruth presented?").citations}
    answer = ready.ask("What does that mean?", history)
    assert answer.answerable and not told & {c.passage.chunk for c in answer.citations}


def test_asked_whether_it_was_easy_the_search_looks_for_what_it_took(ready):
    """ "Was it easy for Kathy to become Ruth's carer?", asked in seventeen of the sets
    written for checking, had found the passage saying "it taking a bit of nerve on my
    part. But in the end I managed it" third: the embedding joins "easy" to neither."""
    assert asks_how_hard("was that easy for her to arrange?")
    assert asks_how_hard("How hard was it for her?")
    assert not asks_how_hard("how hard does kathy try to become ruths carer")  # how much
    assert not asks_how_hard("explain it in easy words")  # an easy answer
    assert not asks_how_hard("Ruth tries hard to be like one of the veterans")
    assert asks_how_hard("Was it difficult?")  # after an answer
    assert asks_how_hard("Would it be hard for Kathy?")
    assert asks_how_hard("wasn't it hard for Kathy to forgive Ruth")
    assert asks_how_hard("Find evidence that arranging to care for Ruth was not easy for Kathy.")
    # since stop 43: "straightforward", and having to push or fight for it
    assert asks_how_hard("Was it straightforward for her to get that job?")
    assert asks_how_hard("did she get it easily or did she have to push for it?")
    assert asks_how_hard("Did Kathy have to fight to get assigned?")
    assert not asks_how_hard("Did Ruth push Tommy?")
    # since stop 57: what stood in the way ("She already had a carer assigned… a bit of
    # nerve" had come third)
    for question in (
        "What obstacle did Kathy face in becoming Ruth's carer?",
        "Was there anything standing in the way of Kathy caring for Ruth?",
        "What made it harder for Kathy to become Ruth's carer?",
    ):
        assert asks_how_hard(question), question
    for question in (
        "does the author make it easy to read?",
        "does he make it hard to like Ruth?",
        # from the review of stop 57: one getting in another's way, the reader's feelings
        "How does Ruth stand in the way of Kathy and Tommy's relationship?",
        "Does Ruth make things harder for Tommy?",
        "Does the author make it hard for us to sympathise with Ruth?",
        "What are the obstacles to their friendship?",
    ):
        assert not asks_how_hard(question), question
    obstacle = ready.ask("What obstacle stood in Kathy's way when she wanted to care for Ruth?")
    assert "She already had a carer assigned" in obstacle.passages[0].chunk.text
    # from the review of this stop: hard on someone, easy to see, a simple thing
    for question in [
        "Ruth is hard on Tommy. Why?",
        "Is it easy to see why Kathy forgives Ruth?",
        "How easy is it to see why Kathy forgives Ruth?",
        "What is simple diffusion?",
    ]:
        assert not asks_how_hard(question), question
    assert "nerv" in question_terms("Was it easy for Kathy to become Ruth's carer?")
    used = ready._lexical.stem_set
    assert "nerve" in in_single_words("was that hard for her to sort out?", used=used)
    # words the notes never use would weigh most in token matching: only theirs are added
    # (the review of this stop found "Was it hard for doctors to treat heart disease?"
    # declined on notes on the heart)
    assert "courage" not in in_single_words("was that hard for her?", used=used)
    assert "nerve" not in in_single_words("was that hard for her?")
    nerve = "taking a bit of nerve"
    passages = ready.ask("Was it easy for Kathy to become Ruth's carer?").passages
    assert any(nerve in p.chunk.text for p in passages[:2])


def test_a_point_comes_with_the_quotation_the_notes_set_out_after_it(ready):
    """The notes illustrate "Her past friendship with Ruth means more to Kathy than any
    quarrel…" with the Dover quotation set out right after it. Asked why Ruth still
    matters to Kathy, that point was found first and the quotation not at all, so the
    answer had none; it is the key quotation now, retrieved or not."""
    answer = ready.ask("Why does Ruth still matter to Kathy after all their arguments?")
    lexical = ready._lexical
    at = lexical.position[answer.passages[0].chunk.id]
    illustrated, how = lexical.leaning[at]
    assert how == "quotation"
    quotation = lexical.chunks[illustrated]
    assert quotation.kind == "quote"
    assert quotation in [c.passage.chunk for c in answer.citations]
    assert QUOTATION_LABEL in answer.answer
    _assert_citations_verbatim(ready, answer)


def test_a_follow_up_pointing_back_after_who_is_is_on_that_person(ready):
    """ "how do the others treat him" after "who is tommy" had been searched as "who is
    tommy how do the others treat him", and "who" drew "…the only ones who really cared
    for each other" first. It is searched on Tommy; "and Tommy?" after "who is ruth" still
    asks who Tommy is."""
    history = [
        {"role": "user", "content": "who is tommy"},
        {"role": "assistant", "content": ready.ask("who is tommy").answer},
    ]
    query = build_query("how do the others treat him", history, ready._lexical)
    assert query.text.lower().startswith("tommy how do")
    answer = ready.ask("how do the others treat him", history)
    top = answer.passages[0].chunk.text
    assert "goaded into making a fool of himself" in top or "humiliating for him" in top
    _assert_citations_verbatim(ready, answer)
    whos = [{"role": "user", "content": "whos tommy"}, {"role": "assistant", "content": "…"}]
    assert build_query("how do they treat him", whos, ready._lexical).text.startswith("tommy")
    ruth = [{"role": "user", "content": "who is ruth"}, {"role": "assistant", "content": "…"}]
    assert "who is ruth" in build_query("and Tommy?", ruth, ready._lexical).text.lower()


def test_a_follow_up_saying_there_is_searched_with_the_place_the_answer_named(ready):
    """ "…when she sees her there?" after "Where does Kathy meet Ruth again?": the place is
    in the answer, not the question, and searched with the question before, "meet…
    again" had found Kathy meeting Tommy again first. "there" saying something is, or
    "their" misspelt, points at no place."""
    history = [  # as a history passed to `tutor ask --jsonl` may have it
        {"role": "user", "content": "Where does Kathy meet Ruth again?"},
        {"role": "assistant", "content": "At a recovery centre in Dover, as her carer."},
    ]
    question = "What does Kathy think of their old quarrels when she sees her there?"
    answer = ready.ask(question, history)
    assert "recovery centre in Dover" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)
    for question in [
        "is there more on their quarrels",
        "is there, like, a quote on their quarrels",
        "what does it show about there friendship",
    ]:
        assert not build_query(question, history, ready._lexical).text.startswith("At a")


@pytest.mark.parametrize(
    "question",
    [
        "Going by the revision notes: what two ways does Ishiguro use to show friendship?",
        "I'm helping my niece revise. According to her handout, what two ways does Ishiguro "
        "use to show friendship?",
    ],
)
def test_a_question_saying_where_its_answer_comes_from_is_asked_without_that(ready, question):
    """Words naming where the answer is to come from ("revision notes", "handout") are
    words the notes never use, and had outweighed the question: it was declined."""
    answer = ready.ask(question)
    assert answer.answerable and answer.question == question
    assert answer.passages[0].chunk.kind == "list"  # the two ways the notes set out
    _assert_citations_verbatim(ready, answer)
    # "In the novel," is no part of who someone is
    assert ready.ask("In the novel, who is Miss Jody?").answer.startswith("The notes don't say")


def _token_weight(tutor: Tutor, question: str, word: str) -> float:
    """The weight token matching gives a word of the question, split as the model splits it."""
    _, token_words = tutor._searches().tokens(question, tutor._lexical.chunks[:1])
    weights = token_weights(token_words, tutor._lexical, None)
    return float(weights[[w.lower() for w in token_words].index(word.lower())])


def test_words_naming_the_notes_or_an_essay_s_case_weigh_nothing_in_token_matching(ready):
    """ "what does the guide say about how well the students know each other?": "guide" (in
    no passage) and "say" (matching "I said") had outweighed "know", and the passage on
    quarrels and Kathy's words to Tommy came first, not "…they know so much about one
    another". In "How could I argue that…" an essay argues a case: no quarrel is asked."""
    weight = functools.partial(_token_weight, ready)
    asked = "what does the guide say about how well the students know each other"
    assert weight(asked, "guide") == weight(asked, "say") == 0 < weight(asked, "know")
    assert weight("what do my notes say about Ruth", "notes") == 0
    assert weight("what do my notes say about Ruth", "say") == 0
    assert weight("what does Kathy say to Tommy", "say") > 0  # Kathy's words are asked for
    assert weight("How could I argue that the students know each other", "argue") == 0
    assert weight("what should my paragraph be arguing about friendship", "arguing") == 0
    assert weight("What should my essay argue about Ruth?", "argue") == 0
    assert weight("why do they argue so much", "argue") > 0
    assert weight("do you argue with Ruth", "argue") > 0
    assert weight("What causes Ruth and Kathy to argue?", "argue") > 0
    assert weight("What was the argument that Ruth and Kathy had?", "argument") > 0
    answer = ready.ask(
        "ok thanks. changing topic - what does the guide say about how well the students "
        "know each other?"
    )
    assert "know so much about one another" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_evidence_asked_for_a_claim_weighs_nothing_in_token_matching(ready):
    """ "Find me evidence that the others wind Tommy up just to amuse themselves." was
    declined: "evidence" (in no passage) weighed as its rarest word, and "wind Tommy up"
    after "the others" was read as the noun. Alone, "What's the evidence?" asks for a
    quotation, and the word is left to weigh."""
    weight = functools.partial(_token_weight, ready)
    assert weight("Find me evidence that Kathy is loyal", "evidence") == 0
    assert weight("Is there any proof of Ruth being unkind?", "proof") == 0
    assert weight("What's the evidence?", "evidence") > 0
    answer = ready.ask("Find me evidence that the others wind Tommy up just to amuse themselves.")
    assert answer.answerable
    assert "for the entertainment of his friends" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    ("question", "quotation"),
    [
        (
            "What quote shows Kathy's old arguments with Ruth stopped mattering when she saw "
            "her again?",
            "seemed not nearly as important",
        ),
        ("Which quotation shows Kathy comforting Tommy?", "It’s nothing to worry about"),
        ("Give me a quote that shows the friends having petty arguments", "The idiot!"),
    ],
)
def test_asked_for_a_quotation_a_passage_is_matched_on_what_it_quotes_too(
    ready, question, quotation
):
    """The paragraph on "silly quarrels" (quoting "The idiot!" and Kathy's words to Tommy)
    had come before the Dover quotation on their differences mattering less: its
    commentary, not what it quotes, matched "arguments". Its commentary still says what
    its quotations show."""
    answer = ready.ask(question)
    assert quotation in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("Which line says the students know a lot about one another?", "know so much about"),
        ("Is there a line saying the students sometimes swap friendship groups?", "change"),
    ],
)
def test_a_line_that_says_something_is_found_by_what_it_says(ready, question, evidence):
    """ "Which line says the students know a lot about one another?" asks where the notes
    say it, not for the novel's words: the quotation bonus, "line" (in no passage) and
    "says" (matching "I said") had put the paragraph on quarrels first, and "…they were the
    only ones who really cared for each other" had been declined."""
    weight = functools.partial(_token_weight, ready)
    assert weight(question, "line") == 0
    assert weight("What does Kathy say to Tommy?", "say") > 0
    assert weight("Which line says Kathy cares", "says") == 0
    assert weight("the part that says Kathy cares", "says") == 0
    assert not ASKS_FOR_QUOTATION.search(question)
    assert ASKS_FOR_QUOTATION.search("Which line shows Kathy choosing her donors?")
    answer = ready.ask(question)
    assert answer.answerable
    assert evidence in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)
    only = ready.ask("Which line says they were the only people who cared about each other?")
    assert only.answerable
    assert any("only ones who really cared" in c.quote for c in only.citations)


@pytest.mark.parametrize(
    ("question", "evidence"),
    [
        ("When Kathy sees Ruth again, do all their problems just go away?", "exactly vanish"),
        ("When Kathy meets Ruth again do all their old problems just disappear?", "vanish"),
        ("in which town is kathy meeting ruth again when she becomes her carer?", "Dover"),
        ("Are Kathy and Ruth friends again by the end?", "fondness for each other"),
    ],
)
def test_again_weighs_when_it_repeats_an_event_not_when_it_restores_a_state(
    ready, question, evidence
):
    """Meeting again is the moment the notes tell of a meeting ("the instant I saw her
    again…"): "again", a stopword, had left Kathy choosing to care for Ruth first. Being
    friends again asks whether the friendship returned ("…their fondness for each other
    has returned"), and there "again" weighs nothing."""
    for repeating in [
        "when they meet again",
        "IS SHE MEETING RUTH AGAIN",  # "is" helps "meeting": no state
        "are they close and do they meet again",  # "and" opens another question
        "Are they ok? When they meet again…",
    ]:
        assert events_repeated(repeating)[-1], repeating
        assert "again" in question_terms(repeating)
    for restoring in [
        "Are Kathy and Ruth friends again by the end?",
        "They're friends again?",
        "Aren't they friends again?",
        "Are they getting close again?",
        "Is everything fine again?",
        "Do they get on again?",
        "Explain that again",  # a request, not an event
    ]:
        assert events_repeated(restoring) == [False], restoring
        assert "again" not in question_terms(restoring)
    assert events_repeated("Are they friends again? When they meet again…") == [False, True]
    # decided on the text searched, not on the words token matching reads ("get on" is
    # matched as "friend": "Do they friend again?")
    searched = "Do they get on again?"
    _, token_words = ready._searches().tokens(in_single_words(searched), ready._lexical.chunks[:1])
    weights = token_weights(token_words, ready._lexical, None, events_repeated(searched))
    assert "get" not in token_words
    assert weights[token_words.index("again")] == 0
    meeting = _token_weight(ready, "when do they meet again", "again")
    assert meeting > 0
    weight = _token_weight(ready, question, "again")
    assert weight == (0 if "friends" in question else pytest.approx(meeting))
    answer = ready.ask(question)
    assert evidence in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_a_follow_up_is_ranked_more_by_its_own_words_than_by_those_it_leans_on(ready):
    """The question before says what a follow-up is about, its own words what it asks:
    "Hailsham", from the question before, had put the Dover quotation ("…grown up together
    at Hailsham") before the passage on the students offering support."""
    history = [
        {"role": "user", "content": "What is Tommy like at Hailsham?"},
        {"role": "assistant", "content": "He is often goaded into making a fool of himself."},
    ]
    query = build_query("Does anyone stick up for him when that happens?", history, ready._lexical)
    assert query.own == "Does anyone stick up for him when that happens?"
    assert query.text == f"{query.previous} {query.own}"  # what it leans on comes first
    answer = ready.ask("Does anyone stick up for him when that happens?", history)
    assert "offer support when it is needed" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_the_words_a_follow_up_leans_on_weigh_half_in_ranking(ready):
    """Counted on the model's own tokens: "??" is two words, "Hailsham" one in two pieces,
    and a word repeated across the join ("ruth ruth") is split where the join is."""
    for leaning, own in [
        ("why is ruth so mean??", "does she ever say sorry"),
        ("what is tommy like at hailsham...", "does anyone help him"),
        ("tell me about ruth", "ruth and kathy?"),
    ]:
        text = f"{leaning} {own}"
        _, token_words = ready._searches().tokens(text, ready._lexical.chunks[:1])
        weights = np.ones(len(token_words), dtype=np.float32)
        discounted = _discounted(weights, token_words, text, leaning)
        own_tokens = len(ready._searches().tokens(own, ready._lexical.chunks[:1])[1])
        leaning_tokens = len(token_words) - own_tokens
        assert discounted.tolist() == [LEANED_ON_WEIGHT] * leaning_tokens + [1.0] * own_tokens
        assert weights.tolist() == [1.0] * len(token_words)  # a copy
    # tokens that do not line up with the text's words: left as they are
    weights = np.ones(3, dtype=np.float32)
    assert (
        _discounted(weights, ["ok😭😭", "why", "?"], "ok😭😭 why?", "ok😭😭").tolist() == [1.0] * 3
    )


def test_asked_what_someone_says_a_block_of_their_own_words_comes_first(ready):
    """ "What does Kathy say she and Ruth share that nobody else does?" had opened with the
    paragraph on quarrels, which quotes "'The idiot!' (Kathy)" among the notes' words, not
    her words at Dover "…the fact that we knew and remembered things no one else did"."""
    names = ready._lexical.names
    assert speaker_asked("What does Kathy say matters more than the arguments?", names) == ("kathi")
    assert speaker_asked("what did kathy say about ruth", names) == "kathi"
    assert speaker_asked("What does Kathy say to Tommy?", names) is None  # said to someone
    assert speaker_asked("what do the notes say about Ruth?", names) is None
    assert speaker_asked("How does Kathy describe Ruth?", names) is None  # her view, not words
    for question in [
        "What does Kathy say she and Ruth share that nobody else does?",
        "According to Kathy, what matters more than the arguments she and Ruth had?",
    ]:
        answer = ready.ask(question)
        assert "we knew and remembered things no one else did" in answer.passages[0].chunk.text
        _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    "question",
    [
        "What is Hailsham compared to in the notes?",
        "What image do the notes use to describe the effect Hailsham has on its students?",
        "What comparison does the writer use to describe how the school binds its pupils?",
    ],
)
def test_asked_for_a_figure_of_speech_the_passage_using_one_comes_first(ready, question):
    """The glue metaphor ("In a way, Hailsham is a glue that bonds…") had come second to
    the opening paragraph ("…like many other students of their age") or the passage quoting
    Kathy's search for "people from Hailsham"."""
    answer = ready.ask(question)
    assert "Hailsham is a glue" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("What is Hailsham compared to?", True),
        ("hailsham glue metaphor", True),
        ("Is 'glue' a good image to use in my essay?", True),
        ("why are their friendships so intense compared to normal schools", False),
        ("How does Ruth compare to Tommy?", False),
        ("In comparison, how does Tommy behave?", False),
        ("What does Kathy compare Hailsham to?", True),
        ("What comparison does the writer use for the school?", True),
        ("What comparison can I make between Ruth and Tommy?", False),
    ],
)
def test_what_asks_for_a_figure_of_speech(question, asks):
    assert bool(ASKS_FOR_A_FIGURE.search(question)) is asks


def test_asked_who_one_person_suggests_another_turns_to_their_words_come_first(ready):
    """ "suggest" tells someone something as "tell" does: "Who does Kathy suggest Tommy
    goes to if he can't sort it out himself?" had opened with the Dover quotation."""
    names = ready._lexical.names
    question = "Who does Kathy suggest Tommy goes to if he can't sort it out himself?"
    assert said_to_asked(question, names) == ("kathi", "tommi")
    answer = ready.ask(question)
    assert "(Kathy to Tommy)" in answer.passages[0].chunk.text
    assert "Miss Jody" in answer.citations[0].quote
    assert said_by("What does the guide suggest Ruth feels?") is None  # the notes say no words


def test_a_word_the_notes_never_use_is_matched_with_their_phrasal_verb_for_it(ready):
    """The notes say Ruth is "the girl many other students look up to"; "admires" met
    nothing of it token by token, and "Is Ruth the popular one that everybody admires?"
    opened with Ruth at the Cottages ("…like one of the veterans")."""
    kept = ready._lexical.phrasal()
    assert "look_up" in kept
    used = frozenset(ready._lexical.stem_set)
    assert with_phrasals_meant("everybody admires her", kept, used) == (
        "everybody admires look up her"
    )
    assert with_phrasals_meant("Do they reconcile?", kept, used) == "Do they reconcile make up?"
    assert with_phrasals_meant("they care", kept, used) == "they care"  # a word of the notes
    answer = ready.ask("Is Ruth the popular one that everybody admires?")
    assert "look up to" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_a_phrasal_verb_is_matched_with_the_single_words_the_notes_use_for_it(ready):
    """ "looks after" is matched as "care" and "protect"; "protect", in no passage, had
    weighed as the rarest word of "When Kathy gets to choose who she looks after, who does
    she go for?", and the passage on Ruth at the Cottages came first."""
    used = frozenset(ready._lexical.stem_set)
    question = "When Kathy gets to choose who she looks after, who does she go for?"
    matched = in_single_words(question, ready._lexical.phrasal(), used)
    assert "care" in matched and "protect" not in matched
    assert "protect" in in_single_words(question)  # no notes: every single word
    answer = ready.ask(question)
    assert "picking some of her patients" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    "question",
    [
        "Who are the main characters?",
        "List the main characters",
        "Which characters does the revision guide focus on?",
        "Which three characters does the guide focus on?",
        "Which three characters are reunited near the end of the book?",
    ],
)
def test_asked_who_the_characters_are_the_passage_naming_them_all_answers(ready, question):
    """ "characters" and "main" are in no passage, so "Who are the main characters?" had
    been declined, and the passages naming one or two of the three came first."""
    assert ready._lexical.main_people() == {"kathi", "ruth", "tommi"}  # not Miss Jody
    answer = ready.ask(question)
    assert answer.answerable
    top = answer.passages[0].chunk.text
    assert all(name in top for name in ("Kathy", "Ruth", "Tommy"))
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    ("question", "besides"),
    [
        ("Who are the main characters?", []),
        ("which three characters are reunited?", ["reunit"]),
        ("Which characters die?", ["die"]),
        ("What do people think of Ruth?", None),
        ("Who is Ruth?", None),
        ("What character traits does Ruth show?", None),  # one character's
        ("Which character becomes a carer?", None),
    ],
)
def test_what_else_a_question_on_the_characters_asks(question, besides):
    assert asks_only_for_the_people(question) == besides


def test_asked_who_the_characters_are_of_what_the_notes_never_say_is_declined(ready):
    for question in ["Which characters die?", "Who are the main characters in Emma?"]:
        assert not ready.ask(question).answerable


def test_what_the_book_or_its_writer_is_asked_to_say_weighs_nothing(ready):
    """ "say" in "What does the book say about Ruth?" matched "I said" in the passage on
    quarrels, which came first; Ishiguro's saying is asked as the book's. Dickens writing
    is what "Why did Dickens write…?" asks about."""
    weight = functools.partial(_token_weight, ready)
    assert weight("What does the book say about Ruth", "say") == 0
    assert weight("What does the book have to say about Ruth?", "say") == 0
    assert weight("What do the notes actually say about Ruth?", "say") == 0
    assert weight("what does Ishiguro say about Ruth", "say") == 0
    assert weight("why did Ishiguro write the novel", "write") > 0
    top = ready.ask("What does the book say about Ruth?").passages[0].chunk.text
    assert "I said" not in top and "Ruth" in top


@pytest.mark.parametrize(
    "question",
    [
        "In what ways does Kathy have to be brave to become Ruth's carer?",
        "Did it take courage for Kathy to become Ruth's carer?",
    ],
)
def test_asked_whether_something_took_courage_the_words_on_what_it_took_come_first(ready, question):
    """ "brave" and "courage" ask what a thing took, as "was it hard" does: the passage on
    Kathy choosing to care for Ruth had come before her words "…it taking a bit of nerve
    on my part. But in the end I managed it"."""
    assert asks_how_hard(question)
    assert not asks_how_hard("Is Brave New World a dystopia too?")
    assert not asks_how_hard("Is Tommy brave?")  # what he is like, not what a thing took
    assert asks_how_hard("Was Kathy brave enough to ask for Ruth?")
    answer = ready.ask(question)
    assert "a bit of nerve" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_beside_other_notes_each_file_is_matched_with_its_own_words(tutor, knowledge):
    """Words and phrasal verbs are those of the file answering: "protect", in notes on the
    heart, had kept "looks after" matched as "care protect", and the passage on Ruth at
    the Cottages came first again. Their main people are each file's own, and "Who are
    the main characters?" with several works and none named is not answered as sure of
    one of them."""
    notes = BUNDLED_NOTES.parents[1] / "benchmarks" / "notes"
    for name in ("christmas-carol-redemption.txt", "heart-and-circulation.md"):
        shutil.copy(notes / name, knowledge)
    tutor.sync()
    lexical = tutor._lexical
    assert lexical.main_people(BUNDLED_NOTES.name) == {"kathi", "ruth", "tommi"}
    assert not lexical.main_people("heart-and-circulation.md")
    assert "carol" not in lexical.main_people("christmas-carol-redemption.txt")  # the title
    question = "When Kathy gets to choose who she looks after, who does she go for?"
    assert "picking some of her patients" in tutor.ask(question).passages[0].chunk.text
    assert not tutor.ask("Who are the main characters?").answerable
    named = tutor.ask("Who are the main characters in Never Let Me Go?")
    assert named.answerable and named.passages[0].chunk.source == BUNDLED_NOTES.name


@pytest.mark.parametrize(
    "question",
    [
        "How hard does Kathy try to get assigned to Ruth?",
        "How hard does Kathy work to get allocated to Ruth?",
        "How hard did Kathy try to get assigned to Ruth?",
        "how hard does kathy try to become ruths carer",
    ],
)
def test_how_hard_someone_tries_asks_what_they_do(ready, question):
    """ "How hard does Kathy try…?" asks how much she does ("…she does all she can to make
    sure that she is assigned to Ruth"): its "hard" and "try" had matched "Ruth tries hard
    to be like one of the veterans" first. "How hard was it…" still asks whether it was
    hard."""
    plain = plain_question(question).lower()
    assert plain.startswith("how much d") and "kathy do to" in plain and "try" not in plain
    answer = ready.ask(question)
    assert "she does all she can" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_how_hard_someone_tries_is_read_as_how_much_and_how_hard_it_was_is_not():
    assert plain_question("how hard did she try?") == "how much did she do?"
    assert plain_question("How hard do you think Kathy tries?") == (
        "How much do you think Kathy does?"
    )
    # the effort asked as such, and the trying word too: "try" had matched "Ruth tries hard"
    assert plain_question("How much effort does Kathy put into becoming Ruth's carer?") == (
        "How much does Kathy do to becoming Ruth's carer?"
    )
    assert plain_question("How much effort did Kathy put in?") == "How much did Kathy do?"
    assert plain_question("How hard is she working to get Ruth?") == (
        "How much is she doing to get Ruth?"
    )
    for unchanged in [
        "How hard was it for Kathy to get assigned to Ruth?",
        "How hard was it to push for a deferral?",  # whether it was hard
        "How hard is Ruth on Tommy?",
        "Ruth tries hard to be like the veterans.",
        "How hard does she make it for Tommy?",  # no effort of hers
        "How hard is the work of a carer?",  # a noun
        "How hard was Tommy's work for the Gallery?",
        "How hard did Ruth push Kathy away?",  # someone pushed
        "How hard was Kathy pushed by Ruth?",
        "How hard do the students work in their art classes?",
        "How much work do the guardians make the students do?",
        "How hard was life for Kathy working as a carer?",
    ]:
        assert plain_question(unchanged) == unchanged


def test_which_word_of_a_quotation_and_exploring_its_language_ask_for_a_comment():
    assert asks_of_a_word("what word from the quotation shows her care?")
    assert asks_of_a_word("which words in the Dover quote show friendship?")
    assert not asks_of_a_word("which quote shows her care?")
    assert not asks_of_a_word("which words does Kathy use when she meets Tommy?")
    assert ASKS_TO_ANALYSE_LANGUAGE.search("Examine the language Ishiguro uses for Ruth.")
    assert ASKS_TO_ANALYSE_LANGUAGE.search("Explore Ishiguro's language choices here.")
    for not_on_language in [
        "Explore how Ishiguro presents Ruth.",
        "Explore the theme of 'friendship' in the novel.",
        "Explore how Ishiguro presents Kathy in these lines.",
        "What words could I use to explore Kathy and Ruth's friendship?",
    ]:
        assert not ASKS_TO_ANALYSE_LANGUAGE.search(not_on_language), not_on_language


_SEEKING_QUOTE = [
    {"role": "user", "content": "What quote shows Kathy picking Hailsham donors?"},
    {
        "role": "assistant",
        "content": "Kathy says: 'I started seeking out for my donors people from the past.'",
    },
]


@pytest.mark.parametrize(
    "question, history",
    [
        ("which word in that quote should I analyse and why?", _SEEKING_QUOTE),
        ("which word in the quote shows she tries hard for this?", _SEEKING_QUOTE),
        ("Explore Ishiguro's language choices in Kathy's account of how she finds her donors.", []),
    ],
)
def test_asked_which_word_of_a_quotation_to_analyse_the_comment_on_it_comes_first(
    ready, question, history
):
    """Which word of a quotation to analyse, or an exam prompt to explore its language,
    asks for the notes' comment on the word ("Kathy’s use of the word seeking
    suggests…"), not the quotation the student has, nor the point it illustrates: both
    had come first."""
    answer = ready.ask(question, history)
    assert "use of the word seeking" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    "question, evidence",
    [
        ("How long had it been since Kathy last saw Tommy?", "for the first time in many years"),
        ("When does Kathy see Tommy again?", "for the first time in many years"),
        ("Where does Kathy see Ruth again?", "recovery centre in Dover"),
    ],
)
def test_a_quotation_is_on_whom_its_point_names(ready, question, evidence):
    """The Dover quotation names only its speaker ("(Kathy)") and "her"; its point names
    Ruth. Asked about Kathy and Tommy, its "the instant I saw her again" had come before
    Kathy meeting Tommy "for the first time in many years". Asked about Kathy and Ruth, it
    still comes first."""
    answer = ready.ask(question)
    assert evidence in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


@pytest.mark.parametrize(
    "question",
    [
        "why the three of them stay close untill the end?",
        "What does the guide think keeps the three of them close at the end?",
    ],
)
def test_a_question_counting_the_main_people_is_as_near_as_one_naming_them(ready, question):
    """MiniLM puts "the three of them" far from "Kathy, Ruth and Tommy" (0.31 against 0.72
    for the conclusion's sentence), and such questions were declined though the notes'
    conclusion answers them. How near the notes come is read with the names too, to
    answer with a hedge; the ranking keeps the question as asked. The names alone sit
    close to the notes, so a question matching nothing else of theirs is still
    declined."""
    answer = ready.ask(question)
    assert answer.answerable
    assert "is still strong" in answer.passages[0].chunk.text
    assert "is still strong" in answer.answer
    _assert_citations_verbatim(ready, answer)
    assert not ready.ask("Do the three of them watch football?").answerable


def test_the_people_a_question_counts_are_named_as_its_notes_file_names_them():
    bundled = BUNDLED_NOTES.read_bytes()
    chunks = chunk_document(parse_document(BUNDLED_NOTES.name, bundled))
    carol = chunk_document(parse_document("carol.txt", FEZZIWIG_NOTES.encode()))
    lexical = LexicalIndex(chunks + carol)
    named = lexical.people_counted_named
    assert named("Are the three of them still close?", BUNDLED_NOTES.name) == (
        "Are Kathy, Ruth and Tommy still close?"
    )
    assert named("Is the trio still close?", BUNDLED_NOTES.name) == (
        "Is Kathy, Ruth and Tommy still close?"
    )
    assert named("When do all 3 of them meet?", BUNDLED_NOTES.name) == (
        "When do Kathy, Ruth and Tommy meet?"
    )
    for unchanged in [
        "What are the three ways friendship is shown?",  # not people
        "Which three characters are reunited?",  # asks who they are
        "Name the three.",
        "When the two of them meet again…",  # the notes have three main people
    ]:
        assert named(unchanged, BUNDLED_NOTES.name) == unchanged
    # the other file's people are its own, and not three: no one is named
    assert len(lexical.main_people("carol.txt")) != 3
    assert named("Are the three of them close?", "carol.txt") == "Are the three of them close?"


@pytest.mark.parametrize(
    "question",
    ["Do Kathy and Ruth ever make up?", "do ruth and kathy make up in the end"],
)
def test_making_up_is_read_as_mending_a_friendship(ready, question):
    """Making up mends a friendship: read as "forgive" and "reconcile" alone, it had
    matched Kathy choosing to care for Ruth "despite… their differences" before "…their
    fondness for each other has returned", asked so in eighteen sets."""
    assert "mend" in in_single_words(question)
    answer = ready.ask(question)
    assert "fondness for each other has returned" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_the_verb_someone_uses_asks_for_the_notes_comment_on_it(ready):
    """ "Comment on the verb Kathy uses…" names no word: "Kathy" had been taken for the
    word asked about, and the notes' comment on "seeking" lost its place for commenting
    on another word."""
    answer = ready.ask("What is the effect of the verb Kathy uses for looking for her donors?")
    assert "Kathy’s use of the word seeking" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_the_full_quote_again_is_a_bare_request_a_follow_up_looks_past(ready):
    """ "whats the full quote again" names nothing ("full" asks for the whole of it), so
    "what does that show about friendship for her" after it leans on the question before
    it, on the word "seeking": it had been searched with "full quote" and found the
    notes' opening on how important friendships are."""
    assert bare_requests("what is the full quote?")
    assert bare_requests("give me the whole quotation")
    history = _conversation(
        ready, ["what does the word seeking suggest?", "whats the full quote again"]
    )
    answer = ready.ask("ok so what does that show about friendship for her", history)
    assert "friendship is of real importance to her" in answer.passages[0].chunk.text


def test_a_question_put_to_the_characters_asks_about_them(ready):
    """A student role-playing speaks to the characters: "Kathy, at what point in your job
    were you allowed to choose who you looked after?" had been declined, MiniLM putting
    "your job" and "you looked after" far from "…the option of picking some of her
    patients"."""
    lexical: LexicalIndex = ready._lexical
    assert lexical.plain("Kathy, why did you become her carer?") == (
        "why did Kathy become her carer?"
    )
    assert lexical.plain("Hey Ruth - what was your problem with Kathy?") == (
        "what was Ruth’s problem with Kathy?"
    )
    assert lexical.plain("Kathy, Ruth, Tommy, why do you three stay so tight?") == (
        "why do Kathy, Ruth and Tommy stay so tight?"
    )
    # the verb agrees with one person
    assert lexical.plain("Kathy, are you happy?") == "is Kathy happy?"
    assert lexical.plain("Kathy, you're Ruth's carer, why?") == "Kathy is Ruth's carer, why?"
    # the tutor asked for a view, a topic set off by a colon, someone the notes do not
    # know, or nobody spoken to: the question as it was
    for kept in (
        "Ruth, Kathy and Tommy: who do you think is the most loyal?",
        "Kathy, what do you think of Ruth?",
        "Tommy: why do you think his anger matters?",
        "Romeo, why do you love Juliet?",
        "So, what do you think about Ruth?",
        "Kathy, thank you. What about Ruth?",
    ):
        assert lexical.plain(kept) == kept, kept
    answer = ready.ask(
        "Kathy, at what point in your job were you allowed to choose who you looked after?"
    )
    assert answer.answerable and answer.citations
    assert any("option of picking" in p.chunk.text for p in answer.passages[:3])
    _assert_citations_verbatim(ready, answer)


def test_picking_on_someone_or_a_silly_argument_is_covered(ready):
    """Picking on, teasing or bullying someone is the notes' "goaded", and a "silly
    argument" their "silly quarrels", when judging whether the notes cover a question:
    "…why does everyone keep picking on him?" and "Is there an example of the students
    just having a silly argument?" had been declined."""
    assert with_words_meant("they keep picking on him", {"goad"}, instead=True, loosely=True) == (
        "they keep goading him"
    )
    assert with_words_meant("was he bullied", {"goad"}, instead=True, loosely=True) == (
        "was he goaded"
    )
    assert with_words_meant("do they tease him", {"goad"}, instead=True, loosely=True) == (
        "do they goad him"
    )
    assert with_words_meant("a silly argument", {"quarrel"}, instead=True, loosely=True) == (
        "a silly quarrel"
    )
    # not loosely, and not an essay's argument
    assert with_words_meant("they keep picking on him", {"goad"}, instead=True) == (
        "they keep picking on him"
    )
    for kept in (
        "the main argument",
        "which quote should I pick on friendship?",
        "Can you tease out the themes?",
        "my mock exam",
        "Is Ruth a bully?",
    ):
        assert with_words_meant(kept, {"goad", "quarrel"}, instead=True, loosely=True) == kept
    for question, said in (
        ("Tommy seems so sweet, so why does everyone keep picking on him?", "goaded"),
        ("Is there an example of the students just having a silly argument?", "silly quarrels"),
    ):
        answer = ready.ask(question)
        assert answer.answerable and said in answer.passages[0].chunk.text, question
        _assert_citations_verbatim(ready, answer)


def test_a_fate_asked_with_the_novels_word_in_quotes_is_beyond_the_notes(ready):
    """ "Does Tommy 'complete' at the end of the book…?" puts the novel's word in quotes;
    the notes say nothing of how his story ends, but the quotes hid the question's kind
    and it had been answered."""
    assert not ready.ask(
        "Does Tommy 'complete' at the end of the book, or do we not find out?"
    ).answerable
    assert not ready.ask("Does Ruth “complete” in the end?").answerable


def test_a_figure_asked_of_something_finds_the_figure_on_it(ready):
    """ "What does Ishiguro compare Hailsham to?" asks for a figure of speech on Hailsham:
    the opening's "…like many other students…" and the list naming Ishiguro and Hailsham
    (read as two things to compare) had come before "In a way, Hailsham is a glue…"."""
    lexical: LexicalIndex = ready._lexical
    assert figure_subjects("What does Ishiguro compare Hailsham to?", lexical) == {"hailsham"}
    asked = "What image describes Hailsham's effect on the students?"
    assert figure_subjects(asked, lexical) == {"hailsham"}  # the name, not every student
    assert figure_on("It rained. In a way, Hailsham is a glue that binds.", frozenset({"hailsham"}))
    assert not figure_on("Hailsham is a school. It is like a glue.", frozenset({"hailsham"}))
    asked = (
        "What does Ishiguro compare Hailsham to?",
        "What image do my notes use to describe Hailsham's effect on the students?",
    )
    _assert_first_passage_says(ready, asked, "Hailsham is a glue")


def test_how_something_came_about_is_asked_as_its_reason(ready):
    """ "How does Kathy end up being Ruth's carer?" asks how it came about, as a
    why-question asks its reason: the opening's "…by the end of the novel, Kathy has
    become Ruth's carer…" had come before "…Kathy decides that the right thing to do
    would be to become Ruth's carer…"."""
    assert ASKS_HOW_IT_CAME_ABOUT.search("how did she come to look after Ruth")
    assert ASKS_HOW_IT_CAME_ABOUT.search("How did Kathy, Ruth and Tommy end up being friends?")
    assert not ASKS_HOW_IT_CAME_ABOUT.search("How do things end up between Kathy and Ruth?")
    assert not ASKS_HOW_IT_CAME_ABOUT.search("How does Kathy end up feeling about Ruth?")
    assert not ASKS_HOW_IT_CAME_ABOUT.search("How does Kathy come to terms with it?")
    assert not ASKS_HOW_IT_CAME_ABOUT.search("How does Kathy become a carer?")
    asked = ("How does Kathy end up being Ruth's carer?", "how does kathy end up as ruths carer")
    _assert_first_passage_says(ready, asked, "decides that the right thing")
    # how they end is still the opening's "…their fondness for each other has returned"
    ending = ready.ask("How do things end up between Kathy and Ruth?")
    assert "fondness for each other has returned" in ending.passages[0].chunk.text


def test_how_to_answer_and_that_word_point_at_the_answer_and_the_telling(ready):
    """ "Kathy, you said you were 'seeking' out Hailsham people. Can you unpack that word
    like a teacher would?" had been declined: "like a teacher would" says how to answer,
    not what about; "Can you…" asks the tutor, not Kathy; and "that word" points back at
    the telling, which names it."""
    assert plain_question("Can you unpack that word like a teacher would?") == (
        "Can you unpack that word?"
    )
    assert plain_question("Why does Ruth act like a teacher would?") == (
        "Why does Ruth act like a teacher would?"
    )
    lexical: LexicalIndex = ready._lexical
    assert lexical.plain("Kathy, you were seeking people out. Can you explain that?") == (
        "Kathy was seeking people out. Can you explain that?"
    )
    assert plain_question("Did Miss Emily explain it as a teacher would?") == (
        "Did Miss Emily explain it as a teacher would?"
    )
    # a request the tutor alone is asked ("can u…"), not a verb describing someone
    assert plain_question("can u explain that word like a teacher would?") == (
        "can you explain that word?"
    )
    described = (
        "Show how Ruth acts like a teacher does",
        "Help me see why Ruth acts like a teacher would?",
    )
    for question in described:
        assert plain_question(question) == question
    assert (
        after_preamble("Ruth calls Tommy an idiot once. What does that word show about Ruth?")
        is None
    )
    # a quotation the question names itself is what it asks about
    assert after_preamble("Ruth calls Tommy an idiot once. What does this line mean: 'The idiot!'?")
    told = "Kathy, you said you were 'seeking' out Hailsham people."
    answer = ready.ask(f"{told} Can you unpack that word like a teacher would?")
    assert answer.answerable and "word seeking" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_a_question_on_the_end_finds_the_notes_on_the_end_of_the_novel(ready):
    """ "Where do Kathy and Ruth stand with each other by the end of the book?" asks how
    things are at the end of the novel, which the opening's "…by the end of the novel,
    Kathy has become Ruth’s carer…" tells; Kathy's "But in the end I managed it" had come
    first (its "end"). "In the end" and "the end of the day" ask no such thing."""
    assert ASKS_OF_THE_END.search("Are Kathy and Ruth friends again by the end?")
    assert ASKS_OF_THE_END.search("What happens to them towards the end of the book?")
    assert not ASKS_OF_THE_END.search("Is she the one who keeps it going in the end?")
    assert not ASKS_OF_THE_END.search("At the end of the day, is Ruth a good friend?")
    assert not ASKS_OF_THE_END.search("How are they by the end of their time at Hailsham?")
    assert ASKS_OF_THE_END.search("Do they stay friends until the end?")
    assert ASKS_OF_THE_END.search("Are they close again by the novel's end?")
    assert ASKS_OF_THE_END.search("Is Ruth sorry at the end of Never Let Me Go?")
    for not_the_work in (
        "until the end of term",
        "at the end of the chapter",
        "till the end of the day",
    ):
        assert not ASKS_OF_THE_END.search(f"Is Kathy tired {not_the_work}?")
    assert not ASKS_OF_THE_END.search("Is Kathy tired at the end of work?")
    assert not ASKS_OF_THE_END.search("Is Ruth kind by the end of Ruth's time there?")
    assert TELLS_OF_THE_END.search("However by the end of the novel, Kathy has become…")
    assert not TELLS_OF_THE_END.search("But in the end I managed it.")
    asked = (
        "Where do Kathy and Ruth stand with each other by the end of the book?",
        "How have things between Kathy and Ruth changed by the end?",
    )
    _assert_first_passage_says(ready, asked, "fondness for each other has returned")


def test_a_follow_ups_own_phrasal_verb_names_what_it_asks(ready):
    """ "Does anyone stand up for him when that happens?" after a question on Tommy's
    place in the group asks who supports him ("…the students also care for each other
    and offer support when it is needed"); searched with the question before, the
    passage on his place had come first. A phrasal verb the notes use themselves adds
    nothing: "when they fall out" is matched as they say it."""
    lexical: LexicalIndex = ready._lexical
    before = "How is Tommy shown in the friendship group?"
    assert meant_anew("Does anyone stick up for him?", before, lexical) == ("support",)
    assert meant_anew("So once they fall out, is that it for them?", before, lexical) == ()
    assert meant_anew("Who does she pick to look after?", before, lexical) == ()  # "care"
    history = [
        {"role": "user", "content": before},
        {"role": "assistant", "content": "He is the one the others wind up for a laugh."},
    ]
    for asked in (
        "Does anyone actually stand up for him when that happens?",
        "Does anyone stick up for him?",
    ):
        answer = ready.ask(asked, history)
        assert "offer support" in answer.passages[0].chunk.text, asked
        _assert_citations_verbatim(ready, answer)


def test_what_the_student_will_make_of_the_answer_is_no_part_of_the_question(ready):
    """ "My teacher says there are two main ways the novel shows friendship. What are
    they, so I can make one slide each?" had been declined as naming nothing: its
    question was read as "What are they, so I can make one slide each?", alone. What a
    student will make of the answer (a slide, a speech, a presentation) is set aside, so
    "presentation" does not match the notes' "Ishiguro's presentation of…" either."""
    set_aside = {
        "What are they, so I can make one slide each?": "What are they?",
        "Is there a line of hers I could read out to the class to prove that?": (
            "Is there a line of hers to prove that?"
        ),
        "For my presentation, how is Tommy shown?": "how is Tommy shown?",
        "How is Tommy shown, for my presentation?": "How is Tommy shown?",
        "What should I say on my poster about Ruth?": "What should I say about Ruth?",
    }
    for question, asked in set_aside.items():
        assert plain_question(question) == asked
    kept = (  # a class, a speech or a talk the question is about, and no words run together
        "Why is Ruth cruel to Tommy in class?",
        "How is the presentation of Ruth different?",
        "Why do people in my class think Ruth is mean?",
        "Give me a line I could quote from Miss Lucy's speech",
        "Is there a quote that we could use from the talk Miss Emily gives?",
        "Is there a quote that I could use about Ishiguro's presentation of Ruth?",
        "What line could I quote, so that I can show how Ruth treats Tommy in class?",
        "Why does Miss Lucy say that we should be told, in her speech to the class?",
    )
    for question in kept:
        assert plain_question(question) == question
    told = "My teacher says there are two main ways the novel shows friendship."
    answer = ready.ask(f"{told} What are they, so I can make one slide each?")
    assert answer.answerable
    assert "Kathy’s determination to be a carer" in answer.passages[0].chunk.text
    _assert_citations_verbatim(ready, answer)


def test_a_term_asked_in_the_work_is_the_term_alone(ready):
    """ "What are the donations in Never Let Me Go?" asks what the donations are, which
    the notes never say (they speak of "donors"); the work's name, in the title of every
    heading, had counted as the notes naming the term, and the question was answered.
    Asked of something they do say ("What is Hailsham in Never Let Me Go?"), it is."""
    assert _IN_A_WORK.search("What are carers in society in the novel?")["work"] == "the novel"
    assert _IN_A_WORK.search("what are the donations in never let me go")["work"] == (
        "never let me go"
    )
    for asked in (
        "What are the donations in Never Let Me Go?",
        "what are the donations in the novel",
    ):
        answer = ready.ask(asked)
        assert not answer.answerable, asked
        assert "don't say what the donations are" in answer.answer
    hailsham = ready.ask("What is Hailsham in Never Let Me Go?")
    assert hailsham.answerable and "Hailsham is a glue" in hailsham.answer
    _assert_citations_verbatim(ready, hailsham)
