"""A question read in its conversation, and the query searched for it.

A follow-up ("And how does she treat Kathy later on?") is searched together with the
question before it, so "she" still means Ruth; "tell me more", "why?", "any quote for
that?" and pointers into the last answer ("the second one") lean on what was said.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from tutor.asking import (
    ASKS_FOR_PARAGRAPH,
    ASKS_FOR_QUOTATION,
    ASKS_TO_ANALYSE_LANGUAGE,
    CONTEXT_WORDS,
    OPENING_FILLER,
    ORDINALS,
    PARAGRAPH_WORDS,
    SCREEN_WORDS,
    TURNS_TO,
    WHO_IS,
    asks_about_screen,
    asks_for_gist,
    asks_what_it_means,
    asks_who_said_it,
    bare_requests,
    does_arithmetic,
    plain_question,
    requests_only,
    where_in_notes_asked,
)
from tutor.display import plain_text
from tutor.documents import (
    BULLET,
    sentence_spans,
)
from tutor.lexical import (
    LISTS_SEARCHED,
    LexicalIndex,
    items_of_a_list_on,
)
from tutor.records import Passage
from tutor.words import (
    FOLLOW_UP_PRONOUNS,
    NOT_A_SUBJECT,
    NOTES_NAMED,
    PERSONAL_PRONOUNS,
    PHRASAL_WORDS,
    REQUEST_WORDS,
    SENTENCE_LETTERS,
    STOPWORDS,
    content_words,
    in_single_words,
    is_generic,
    letters_only,
    phrasal_verbs,
    stems,
    subjects,
    without_asking_like,
    words,
)

# Words comparing with what was asked before: "Is Tommy the same?", "Tommy too?"
COMPARING = frozenset("same too also either likewise similar similarly".split())

CHAIN_REACH = 4  # questions a follow-up to follow-ups may be searched with, itself included
SELF_CONTAINED_WORDS = 3  # a question with this many topical words and no pronoun stands alone
NAMED_BEFORE_A_PRONOUN = 4  # … or with this many subjects before its first pronoun
FOLLOW_UP_OPENERS = (
    "and ",
    "but ",
    "so ",
    "what about",
    "how about",
    "also",
    "then ",
    "why?",
    "why not",
)

# How every refusal opens (see tutor.py): a refusal is no answer to point into.
DECLINED = "I can't find this"
# What "What happens next?" gets when the notes end with what the last answer told.
NOTHING_FURTHER = (
    "That is as far as the notes go here: nothing comes after it. Ask about another part of them."
)
# What "another quote" gets when every quotation of the notes file was given.
NO_OTHER_QUOTATION = (
    "The notes quote the text nowhere else: the answers above give every quotation they"
    " have. Ask about another part of them."
)
# "another quote" when every quotation among the passages found was given: another of
# the file's, said to be so, first.
ANOTHER_ELSEWHERE = "The notes give no other quotation on this. Another of their quotations:"
# What "tell me more" gets when the passages found hold nothing the last answer did not.
NOTHING_MORE = (
    "That is all the notes say on this: the answer above has it. Ask about another part of them."
)
# How a gist opens: "tl;dr" after an answer (see `answer._gist`).
IN_SHORT = "In short:"
# How an overview of a notes file opens (`Tutor._overview`), and, asked for help with an
# essay's introduction or conclusion, with what it is for.
OVERVIEW_LEAD = "In short, the notes on “{title}” say:"
ESSAY_END_LEADS = {
    "introduction": "An introduction sets out your argument; in short, the notes on “{title}” say:",
    "conclusion": "A conclusion sums up your argument; in short, the notes on “{title}” say:",
}
_OVERVIEW_LINE = re.compile(
    "|".join(
        r"\A" + re.escape(lead).replace(re.escape("{title}"), r"[^\n]{1,300}?")
        for lead in (OVERVIEW_LEAD, *ESSAY_END_LEADS.values())
    )
)
# How an answer opens when asked for a quotation where what answers best quotes none.
NO_QUOTATION_ON_THIS = (
    "The notes quote the text nowhere in what answers this best. The nearest passage that does:"
)
# … and when the question asks more than a quotation, so what answers it stays.
NO_QUOTATION_HERE = "The notes quote the text nowhere on this. This is what they say:"
# … and when asked who someone is or what something is or means, where no passage it
# cites says ("who Miss Jody is", "what the veterans are", "what “amicable” means"):
# "Who is Miss Jody?" is answered by the one quotation naming her, which a student could
# take for an answer.
NOT_SAID = "The notes don't say {what}. This is what they say:"
_NOT_SAID_LINE = re.compile(
    r"\AThe notes don't say (?:who|what) [^\n]{1,400}?\. This is what they say:"
)
# How an answer opens when the notes come close to a question without clearly covering
# it (see `retrieve.is_sure`): said first, and no part of the point a follow-up refers to.
HEDGE = "The notes may not answer this directly. This is what they say that comes closest:"


@dataclass(frozen=True)
class Query:
    question: str  # as asked
    text: str  # what is searched: spelling-corrected, with history for follow-ups
    follow_up: bool
    # Word stems a follow-up brings that the turn before lacks, when it names its own
    # subject ("And friendship?" after "How is memory shown?"): the answer must be on them.
    focus: tuple[str, ...] = ()
    # What the answer's sentences are chosen by; empty: `text`. See `build_query`.
    evidence: str = ""
    # A follow-up asking what comes next ("What does she do then?"): see `asks_what_next`.
    goes_on: bool = False
    # The question a follow-up leans on, as searched: see `previous_question`.
    previous: str = ""
    # A follow-up's own words as searched, ending `text`: what it leans on is the rest.
    own: str = ""


def turns(history: Sequence[dict], role: str = "user") -> list[str]:
    """What the student asked (or, with role "assistant", was answered) before, oldest first."""
    return [t.get("content", "") for t in history if t.get("role") == role]


def user_turns(history: Sequence[dict]) -> list[str]:
    """What the student asked before, oldest first."""
    return turns(history, "user")


# "what about in the book…", "in the novel though": back from a film the notes do not cover.
_TURNS_BACK_TO_THE_TEXT = re.compile(
    r"\b(?:in|about)\s+the\s+(?:book|novel|text)\b(?!\s+(?:and|or|vs|versus)\s+the\s+film)", re.I
)


def _only_about_the_screen(question: str) -> bool:
    """Does the question ask about the film and name nothing else ("is it the same in the
    film"; not "Who plays Tommy in the film?", whose Tommy a follow-up may mean)?"""
    named = [w for w in subjects(question) if w.lower() not in _SCREEN_TALK]
    return asks_about_screen(question) and not named


# How a question on a film asks, naming nothing: "Is it different in the movie?"
_SCREEN_TALK = (
    SCREEN_WORDS
    | CONTEXT_WORDS
    | COMPARING
    | frozenset(
        """
        different differ differs difference change changed changes version adaptation
        adapted show shown shows portray portrayed play plays played cast
        """.split()
    )
)


def answered(history: Sequence[dict], question: str = "") -> list[dict]:
    """The history a follow-up can lean on: without a question the tutor declined (and
    its refusal) that `question` asks again, every subject of it named there.

    A question asked again in plain words after a refusal stands alone: "who is kathy?"
    after "**who** is _kathy_? [link](http://x.com)" had been searched together with the
    declined one, and declined as well. One with a subject of its own still leans on the
    declined question: "And Tommy?" after "Who plays Kathy in the film?" asks who plays
    Tommy, and "Kathy?" (saying nothing of what it asks) who plays Kathy. One turning
    back to the book leaves a declined question on the film behind: "what about in the
    book, why does she want hailsham people" after "is it the same in the film" asks of
    the book what "she" did in the turn before.
    """
    asks = set(stems(content_words(plain_question(question))))
    back_to_the_text = bool(_TURNS_BACK_TO_THE_TEXT.search(question))
    kept: list[dict] = []
    for turn in history:
        declined = turn.get("role") == "assistant" and (
            turn.get("content", "").lstrip().startswith(DECLINED)
        )
        if not declined:
            kept.append(turn)
        elif kept and kept[-1].get("role") == "user":
            earlier = set(stems(content_words(plain_question(kept[-1].get("content", "")))))
            if asks and asks <= earlier and len(words(question)) > 2:  # not "Kathy?"
                kept.pop()
            elif back_to_the_text and _only_about_the_screen(kept[-1].get("content", "")):
                kept.pop()  # "what about in the book, …" after "is it the same in the film"
            else:
                kept.append(turn)
    return kept


def previous_question(history: Sequence[dict]) -> str:
    """The question a follow-up leans on: the last one that names what it asks about,
    not a bare request ("key quotes" after "How does Ruth hurt Kathy?") nor a follow-up
    naming nothing ("why?"). With none left in the history, the point the last answer
    told (a third "tell me more" in a row goes on from there); "" when there is none.
    A question pointing into an answer ("explain the first one") names the item it
    points at: "give me a quote for that" after it had been searched as "explain the
    first one give me a quote for that", and refused. When the list it pointed into has
    left the history, it names what the answer to it told."""

    def named(at: int, question: str) -> str:
        if item := pointed_at(question, history[:at]):
            return item
        reply = history[at + 1] if at + 1 < len(history) else {}
        if points_only(question) and reply.get("role") == "assistant":
            return told_point(reply.get("content", ""))
        return question

    asked = [
        named(at, turn.get("content", ""))
        for at, turn in enumerate(history)
        if turn.get("role") == "user"
    ]
    # read as plain: "whats the full quote again" names nothing, as "what's…" does not
    naming = [t for t in asked if subjects(p := plain_question(t)) and not bare_requests(p)]
    told = [point for point in map(told_point, turns(history, "assistant")[-1:]) if point]
    return (naming or told or asked or [""])[-1]


# The end of a sentence telling something: not "vs." or "e.g." ("friendship vs. rivalry").
_STATEMENT_END = re.compile(r"(?<=[a-z]{3}[.!])(?<!\betc\.)\s+(?=\S)", re.I)
# How a question may be led into after telling something: "anyway my question is…"
_ASKING_LEAD = re.compile(
    r"^(?:(?:anyway|so|ok|okay|basically|but)\W+)*"
    r"(?:(?:my|the) question is|i (?:want|wanted|need) to (?:know|ask)|i was wondering)?\W*",
    re.I,
)

_LEAD_WORDS = frozenset("anyway so ok okay basically but".split())  # of `_ASKING_LEAD`
# Where a message says that its question comes now, mid-sentence or not.
_SAYS_IT_ASKS_NOW = re.compile(
    r"(?:^|[,.;:!–—-]\s*)(?:(?:and|so|but|anyway|basically|ok|okay)\W+)*"  # after a break
    r"(?:(?:my|the)\s+(?:actual\s+|real\s+|main\s+|proper\s+)?question\s+(?:is|was)"
    r"|what\s+i\s+(?:really\s+)?(?:want|wanted|need)\s+to\s+(?:know|ask)\s+is)\b[\s:,–—-]*",
    re.I,
)

# What a message may say of itself before a dash or colon, asking nothing: "conclusion for
# my essay - why do they stay close", "quick question: is Ruth kind?"
_SAYS_OF_ITSELF = frozenset(
    """
    essay exam conclusion introduction intro paragraph homework revision revising question
    quick urgent help stuck plan
    """.split()
)
_SAYS_OF_ITSELF_BREAK = re.compile(r"\s+[-–—]+\s+|\s*:\s+")
# Where the answer is to come from, before the question: "According to the revision
# guide, what are the two main ways…?", "based on my notes, why…", "in the novel, who
# is…?" (a question on the text is asked of the notes anyway). The notes are where
# every answer comes from; searched with it, "revision guide" (words the notes never
# use) had outweighed the question, and it was declined.
_SOURCE_LEAD = re.compile(
    r"^\W*(?:according\s+to|based\s+on|going\s+by|from|in|using)\s+"
    r"(?:the|my|your|these|this|our|her|his|their)\s+"
    rf"(?:{NOTES_NAMED}|novel|book|text|story|play)\s*[,:]\s*",
    re.I,
)


def without_source_lead(question: str) -> str | None:
    """The question without the words saying where its answer is to come from, when it
    opens with them (`_SOURCE_LEAD`: "According to the revision guide, what are the two
    main ways…?"), or None."""
    return _after_lead(question, _SOURCE_LEAD)


def _after_lead(question: str, lead: re.Pattern[str]) -> str | None:
    """What the question asks after the lead it opens with, when it opens with one and
    asks something after it; else None."""
    text = question.strip()
    found = lead.match(text)
    return text[found.end() :] if found and content_words(text[found.end() :]) else None


# How a question opens (not "which", "when" or "where", which also open a clause that
# only goes on telling: "…at the Cottages, which is where…")
_ASKING_OPENERS = frozenset(
    "what whats what's why how who is are do does did can could was were should would will "
    "has have".split()
)
# A question starting after a comma or "anyway", perhaps led into: "…, like whats the
# reason…", "…on the bus anyway did kathy and ruth…"
_CLAUSE_ASKS = re.compile(
    rf"(?:,|\s+anyway\b,?)\s+(?:(?:{'|'.join(sorted(_LEAD_WORDS | {'like', 'and'}))})\s+)*"
    rf"(?=(?:{'|'.join(sorted(_ASKING_OPENERS))})\b)",
    re.I,
)
TELLING_WORDS = 6  # topical words a telling needs before a question inside its sentence
# What opens a task, not a telling: "Explain how Ishiguro presents…, which quotes show…"
_TASK_OPENERS = frozenset(
    """
    which when where explain compare contrast analyse analyze explore describe discuss write
    evaluate assess examine comment find identify outline list name give show tell using use
    consider look summarise summarize define
    """.split()
)


# A statement turned into a first question by a question word after it: "Kathy tells
# Tommy to go to someone if he can't sort the stain himself - who, and what does…".
_ENDS_ASKING = re.compile(r"[-–—:,]\s*(?:who|what|why|how|where|when|which)\W*$", re.I)


def _tells(text: str) -> bool:
    """Does the text tell something at length ("ok so ive only read like half of it bc i
    keep falling asleep…"), rather than ask a first question ("how does kathy feel about
    ruth", "…if he can't sort the stain himself - who") or set a task ("Explain how
    Ishiguro presents…")?"""
    plain = plain_question(text)
    opening = next(iter(words(plain)), "")
    return (
        opening not in _ASKING_OPENERS
        and opening not in _TASK_OPENERS
        and len(content_words(plain)) >= TELLING_WORDS
        and not _ENDS_ASKING.search(plain)
    )


# Asking for evidence of a claim, before the claim: "What evidence would you use to show
# that the students mock each other?", "Find evidence that…", "What evidence is there
# that…". Searched with it, "evidence", "would you use" (words no passage uses) had
# outweighed the claim, and a question the notes answer was declined.
_EVIDENCE_FOR = re.compile(
    r"^\W*(?:(?:what|which)\s+(?:evidence|proof)\s+(?:is\s+there|(?:would|could|can|should|do)"
    r"\s+(?:you|i|we)\s+use\s+to\s+(?:show|prove|support|argue)|(?:shows|proves|suggests))"
    r"|(?:find|give|show)\s+(?:me\s+)?(?:some\s+)?(?:evidence|proof))\s+that\s+",
    re.I,
)


def evidence_claim(question: str) -> str | None:
    """The claim a question asks evidence for, when it opens by asking for evidence
    (`_EVIDENCE_FOR`): "What evidence would you use to show that the students sometimes
    mock each other?" -> "the students sometimes mock each other?"; else None."""
    return _after_lead(question, _EVIDENCE_FOR)


# The words of a request for a quotation up to what it is to show: "Which quotation could
# I use to show…", "give me a quote that shows…", "any quotes about…".
_QUOTATION_FRAME = re.compile(
    r"^.*?\b(?:quot(?:e|es|ation|ations)|lines?)\b"
    r"(?:\s+(?:that|which|where|when|to|for|of|about|on|showing|shows?|show|suggests?|proves?"
    r"|could|can|would|should|might|i|we|you|use|from\s+the\s+(?:novel|book|text)))*\s*",
    re.I,
)


def quotation_topic(question: str) -> str | None:
    """What a request for a quotation asks for one on, when it names something of its own
    (two words or more): "Which quotation could I use to show the students having a petty
    argument?" -> "the students having a petty argument?". None for a bare request ("any
    quotes?"), as `evidence_claim` gives the claim evidence is asked for."""
    if not ASKS_FOR_QUOTATION.search(question):
        return None
    topic = _after_lead(question, _QUOTATION_FRAME)
    return topic if topic and len(content_words(topic)) >= 2 else None


def after_preamble(question: str) -> str | None:
    """The question a message asks last, after telling something first, when it says
    all it asks itself (SELF_CONTAINED_WORDS topical words): "I have my mock next week
    and keep getting confused. Anyway, how does Kathy show she cares about her friends?"
    Searched whole, the telling outweighed the asking (the answer was on friendship in
    general). None for any other message: "I love Ruth. Why is she mean?" needs the
    telling to say who "she" is.

    A message saying where its question starts is searched from there, also inside a
    sentence ("…he seems to be picked on a lot, so my actual question is: how does Ruth
    treat Kathy at the Cottages?").

    Example: after_preamble("My mock is soon. How does Kathy care for Ruth?") == "How
    does Kathy care for Ruth?"
    """
    text = question.strip()
    told, *rest = _SAYS_OF_ITSELF_BREAK.split(text, maxsplit=1)
    if rest and content_words(rest[0]) and set(content_words(told)) <= _SAYS_OF_ITSELF:
        return rest[0]
    breaks = list(_STATEMENT_END.finditer(text)) if text.endswith("?") else []
    said = list(_SAYS_IT_ASKS_NOW.finditer(text))
    if said:  # "…and I'm a bit confused, so my actual question is: how does Ruth…?"
        told, asked = text[: said[-1].start()], text[said[-1].end() :]
    elif breaks:
        told, asked = text[: breaks[-1].start()], text[breaks[-1].end() :]
        asked = _ASKING_LEAD.sub("", asked, count=1) or asked
    elif (clauses := list(_CLAUSE_ASKS.finditer(text))) and _tells(text[: clauses[-1].start()]):
        # "ive only read half of it and my teacher keeps going on about how…, like whats
        # the actual reason they stay close": one long sentence, its question last
        told, asked = text[: clauses[-1].start()], text[clauses[-1].end() :]
    else:
        return None
    # read as asked: "What are they, so I can make one slide each?" names nothing itself
    own_words = content_words(plain_question(asked))
    if "?" in told or len(own_words) < SELF_CONTAINED_WORDS or _ASKS_WHAT_TO_WRITE.search(asked):
        return None
    # "Madame is scary. How do the students react when they meet her?": "her" is a name
    # the telling gives and the question does not
    named = (
        {
            w.lower()
            for w in re.findall(r"\b[A-Z][a-z]+", told)
            if not re.fullmatch(OPENING_FILLER, w, re.I)  # "Hi."
        }
        - STOPWORDS
        - _LEAD_WORDS
    )
    if named - set(words(asked)) and set(words(asked)) & PERSONAL_PRONOUNS:
        return None
    if _POINTS_BACK.search(asked):  # "…who everyone kind of follows. Is Ruth like that?"
        return None
    return asked


# A question pointing back at what the telling before it said: "Is Ruth meant to be like
# that?", "Do the notes say Kathy feels that way about Ruth?", "…unpack that word?" (not
# "Why does Ishiguro end the novel this way?" nor "Why does Ruth treat Tommy like that in
# the field?", which point at what they name)
_POINTS_BACK = re.compile(
    r"\b(?:like|as)\s+(?:that|this)\W*$"
    r"|\b(?:feel|feels|felt|feeling|think|thinks|thought|see|sees|saw)\s+(?:[\w'’]+\s+)?"
    r"(?:that|this)\s+way\b"
    # "…you said you were 'seeking' out Hailsham people. Can you unpack that word?" (not
    # "that word 'seeking'", "what does this quote mean: '…'" nor "this line in chapter
    # 7", which name it, nor "a word like this quote uses")
    r"|(?<!\blike\s)\b(?:that|this|those|these)\s+(?:words?|phrases?|quotes?|quotations?|lines?|verbs?"
    r"|metaphors?|terms?)\b(?!\s+(?:in|from|where|of|about|on)\b|.*[\s:(]['‘\"“]\w)",
    re.I,
)


# Asking only what to write, on what the telling said: "…from school to the cottages to
# the end, whats the main points i should put".
_ASKS_WHAT_TO_WRITE = re.compile(
    r"^\W*(?:what(?:['’]?s|\s+are|\s+is|\s+should)?|which)\s+(?:[\w'’]+\s+){0,4}?"
    r"(?:i|we)\s+(?:should|need\s+to|could|can|have\s+to|must|ought\s+to)\s+"
    r"(?:put|include|mention|cover|write|say|make|use|talk\s+about)\W*$",
    re.I,
)


# Asking for the evidence of what was said: "how do you know?", "how can u tell".
_ASKS_HOW_WE_KNOW = re.compile(
    r"\W*(?:(?:and|but|so|ok)\W+)?how\s+(?:do|can|would|could|did)\s+(?:you|u|we|i)\s+"
    r"(?:know|tell)\b(?:\s+(?:that|this|it|for\s+sure))?\W*$"
)


def compares_with_before(question: str) -> bool:
    """Does the question compare with what was said, naming too little to stand alone ("is
    there a similar idea later on", "Is Tommy the same?", "Tommy too?")? Not "Why does
    Kathy keep going back to the same memories of Hailsham?", which says what it asks."""
    said = words(question)
    if COMPARING.isdisjoint(said):
        return False
    topical = [w for w in content_words(question) if w not in COMPARING and not is_generic(w)]
    return len(topical) < SELF_CONTAINED_WORDS or said[-1] in COMPARING


def points_back(question: str) -> bool:
    """Does the question point back with a pronoun ("How does she…?"), not turning to
    something new ("What about when she meets Tommy again?")? Then it cannot stand alone."""
    return not PERSONAL_PRONOUNS.isdisjoint(words(question)) and not TURNS_TO.match(question)


def is_follow_up(question: str, history: Sequence[dict]) -> bool:
    """Does the question lean on the previous turn ("And how does she…", "Why?")?

    An opening "And…" alone is not enough when the question names its own subject:
    "And how does Ruth treat Kathy later on?" after "How is friendship shown?" is about
    Ruth, and searching it together with the general question drowned that. Nor is
    having one word of substance, when that word is a new subject and the question says
    what it wants to know of it: "Tell me about Tommy." after "How is friendship shown?"
    stands alone, where "Ruth?", "How come?", "Any quotes?" and "Is Tommy the same?" lean
    on the turn before, as do "key quotes", "tl;dr" (see `requests_only`) and any
    message naming nothing ("PEEL paragraph pls", "another one"; see `names_nothing`).
    So does a question comparing with something
    ("is there a similar idea at the end of the book"), and one asking how we know ("how
    do u know").
    """
    if not user_turns(history) or does_arithmetic(question):
        return False
    lowered = question.strip().lower()
    topical = len(content_words(lowered))
    says_what_it_asks = (
        len(words(lowered)) > 2
        and not COMPARING.intersection(words(lowered))  # "Is Tommy the same?"
        and bool(new_subject(lowered, previous_question(history)))
    )
    return (
        _pronoun_leans_back(lowered)
        or compares_with_before(lowered)  # "is there a similar idea later on", "Tommy too?"
        or bool(_ASKS_HOW_WE_KNOW.match(lowered))  # "how do u know"
        or (topical <= 1 and not says_what_it_asks)
        or requests_only(question)  # "key quotes", "tl;dr"
        or names_nothing(question)  # "PEEL paragraph pls", "another one"
        or (lowered.startswith(FOLLOW_UP_OPENERS) and topical < SELF_CONTAINED_WORDS)
        or bool(_AT_THAT_TIME.search(lowered))  # "why didn't the differences matter then?"
    )


# A question ending on a time it points back at: "…matter as much then?", "…at that point?"
_AT_THAT_TIME = re.compile(
    r"\b(?:then|by then|back then|at (?:that|this) (?:point|time|moment|stage)|at the time)\W*$"
)


_NOT_PERSONS = frozenset("it its they them their theirs".split())


def _pronoun_leans_back(question: str) -> bool:
    """Does a pronoun of the question point at the turn before? A pronoun for a person
    does ("What do the witches' prophecies in Act 1 Scene 3 reveal about him?" after
    "How is Banquo presented?"); one for a thing does not when the question has named
    NAMED_BEFORE_A_PRONOUN things or more before it, which it points at: "What is the
    exact quotation about Kathy seeking out donors, and where is it in the notes?" after
    "Compare the presentation of Ruth and Tommy." had been searched with Ruth and Tommy,
    and quoted them rather than Kathy seeking out her donors."""
    said = words(question)
    at = next((i for i, w in enumerate(said) if w in FOLLOW_UP_PRONOUNS), None)
    if at is None:
        return False
    if any(w in PERSONAL_PRONOUNS - _NOT_PERSONS for w in said):
        return True  # "…reveal about him?": a person named before, as a rule
    named = {w for w in subjects(" ".join(said[:at])) if not is_generic(w) and w not in _SHOWING}
    return len(named) < NAMED_BEFORE_A_PRONOUN


def names_nothing(question: str) -> bool:
    """Does the message name nothing to look up, nor ask for what the notes hold as a
    whole ("tl;dr", "key quotes")? "why?", "tell me more", "what happens next?": it can
    only lean on a question asked before.

    Example: names_nothing("why?") is True; names_nothing("what is the novel about?") is
    False.
    """
    plain = plain_question(question)
    rest = what_next_asked(plain)  # "what happens next?"
    asked = content_words(plain if rest is None else rest)
    # "what is the novel about?" names the whole work: a question, not a follow-up
    named = [w for w in asked if w not in REQUEST_WORDS | _HAPPENING | _ONE]
    return bool(words(plain)) and not named and not bare_requests(question)


# The verbs of "what does it show/suggest/tell us": no subject of the question's own.
_SHOWING = frozenset("show shows suggest suggests tell tells us reveal reveals mean means".split())
# "another one": no subject, but a heading's number ("Stave One") is one
_ONE = frozenset(["one", "ones"])
_HAPPENING = frozenset("happen happens happened happening go goes going".split())
# "What does she do then?", "What happens next?", "And after that?"
_WHAT_NEXT = re.compile(r"\b(?:then|next|after(?:wards|\s+(?:that|this))?)\W*$", re.IGNORECASE)
_GOES_ON_OPENERS = frozenset("what and so then but ok okay".split())
# "Then what?", "and then what happened?": "then" opens what asks "what happens then?"
_THEN_WHAT = re.compile(
    r"^(?:(?:and|so|but|ok|okay)\W+)?then\W+"
    r"(?=what(?:\s+(?:happens|happened|happen|do|does|did|next)\b[^.?!]*)?\W*$)",
    re.IGNORECASE,
)
# "but do they ever actually help each other then?", "so is she kind then?": a
# yes-or-no question ending on "then" means "in that case", not "after that"
_YES_OR_NO_VERBS = (
    "do does did is are was were can could will would should has have had am may might must"
    " shall don't doesn't didn't isn't aren't wasn't weren't can't couldn't won't wouldn't"
    " shouldn't hasn't haven't hadn't"
).split()
_ASKS_YES_OR_NO = frozenset(_YES_OR_NO_VERBS + [v.replace("'", "") for v in _YES_OR_NO_VERBS])


def what_next_asked(question: str) -> str | None:
    """The rest of a question shaped as asking what comes next, else None: it ends on
    "then", "next" or "after that", opens with "what", "and" or "so" (or is no more than
    that), and names at most one subject ("What does Tommy do next?"); "Then what?" and
    "and then what happened?" ask it too. "Why then?",
    "What does it mean then?", "but do they ever help each other then?", "Who does she
    look after?" and "What happens to the town after the storm?" do not ask it."""
    question = question.strip()
    if then_what := _THEN_WHAT.match(question):  # as "what happens then?", said once
        rest = question[then_what.end() :].rstrip(" ?.!")
        question = rest if _WHAT_NEXT.search(rest) else rest + " then?"
    rest = _WHAT_NEXT.sub("", question).rstrip()  # no "\s*" in it: quadratic on long spaces
    opening = words(rest)
    topical = content_words(rest)
    asked = next((w for w in opening if w not in _GOES_ON_OPENERS - {"what"}), "")
    if (
        rest == question
        or (opening and opening[0] not in _GOES_ON_OPENERS)
        or (asked in _ASKS_YES_OR_NO and re.search(r"\bthen\W*$", question, re.I))
        or "about" in opening
        or len(topical) > 1
        or any(w in NOT_A_SUBJECT for w in topical)
    ):
        return None
    return rest


def asks_what_next(question: str, history: Sequence[dict]) -> bool:
    """Is the question a follow-up asking what the notes say after what answered the turn
    before (see `what_next_asked`)?"""
    return bool(user_turns(history)) and what_next_asked(question) is not None


def told_point(answer: str) -> str:
    """The point an answer of the tutor's opened with, as plain words: its first paragraph
    that is neither the key quotation nor a label, without [n] markers and markdown
    escapes; with none, the key quotation (a quotation that answered is the point, set
    out as one); "" for a refusal, "nothing more", or an answer with neither."""
    if answer.startswith((DECLINED, NOTHING_FURTHER, NOTHING_MORE, NO_OTHER_QUOTATION)):
        return ""  # a refusal, or the notes having nothing more to tell
    paragraphs = [
        p.strip().removeprefix(PARAGRAPH_LABELS["point"])
        for p in re.split(r"\n\s*\n", without_hedge(answer))
    ]
    told = [p for p in paragraphs if p and not p.startswith(("**", ">", "The notes also"))]
    for paragraph in told[:1]:
        return _plain_words(paragraph)
    return next(iter(quotations_set_out(answer)), "")


def quotations_set_out(answer: str) -> list[str]:
    """The quotations an answer of the tutor's sets out (its `>` paragraphs), in order, as
    plain words (`_plain_words`)."""
    return [
        _plain_words(re.sub(r"^\s*>\s?", "", paragraph, flags=re.M))
        for paragraph in re.split(r"\n\s*\n", answer)
        if paragraph.lstrip().startswith(">")
    ]


def _plain_words(paragraph: str) -> str:
    """A paragraph of an answer without its [n] markers and markdown escapes."""
    return plain_text(re.sub(r"\s*\[\d+\]", "", paragraph)).strip()


def quotation_told(history: Sequence[dict]) -> str:
    """The first quotation the last answer set out (`quotations_set_out`), or ""."""
    answers = turns(history, "assistant")
    return next(iter(quotations_set_out(answers[-1])), "") if answers else ""


def without_hedge(answer: str) -> str:
    """An answer of the tutor's without the line it may open with: the hedge (`HEDGE`),
    "In short:" (a gist), "The notes quote nowhere…" (`NO_QUOTATION_ON_THIS`,
    `NO_QUOTATION_HERE`), "A paragraph built from…" (`AS_A_PARAGRAPH`) or where the
    notes say it (`PLACE_IN_THE_NOTES`), or that they do not say who someone is or what
    a word is or means (`NOT_SAID`), or that a quotation is from elsewhere in the notes
    (`ANOTHER_ELSEWHERE`), or an overview's lead ("In short, the notes on … say:"):
    "what does that show?" after one had read that line as the point told."""
    answer = _PLACE_LINE.sub("", answer.strip(), count=1).lstrip()  # it comes first
    answer = _NOT_SAID_LINE.sub("", answer, count=1).lstrip()
    answer = _OVERVIEW_LINE.sub("", answer, count=1).lstrip()
    for opening in (
        HEDGE,
        IN_SHORT,
        NO_QUOTATION_ON_THIS,
        NO_QUOTATION_HERE,
        AS_A_PARAGRAPH,
        ANOTHER_ELSEWHERE,
    ):
        answer = answer.removeprefix(opening).lstrip()
    return answer


_POINTS_AT_ITEM = re.compile(
    rf"\b({'|'.join(ORDINALS)})\s+(?:(?:main|key|big|major)\s+)?"
    r"(?:one|point|reason|way|example|bullet|item|idea|paragraph)s?\b",
    re.IGNORECASE,
)
# "and the other one?": the one of two not pointed at before ("explain the first one").
# Not "each other one day", "any other example" (no "the"), "the other way round".
_POINTS_AT_OTHER = re.compile(
    r"\bthe\s+other\s+"
    r"(one|point|reason|way|example|bullet|item|idea|paragraph)\b(?!\s+(?:round|around|of)\b)",
    re.IGNORECASE,
)


def other_pointed_at(question: str, history: Sequence[dict]) -> str | None:
    """The question with "the other one" put as the place it means, when the student's
    last question pointed at one of a list of two ("explain the first one"): "and the
    other one? how's that shown" asks for the second. It had been searched as the first
    one again. None when the question names a subject of its own ("can you explain the
    other way Kathy cares for Tommy"), the last question pointed at nothing ("what's the
    other way she hurts her?" after an answer on one way), or the list was no pair.

    Example: other_pointed_at("and the other one?", [{"role": "user", "content": "How
    is it shown?"}, {"role": "assistant", "content": "Through her care for old friends,
    and the reunion."}, {"role": "user", "content": "explain the first one"}]) == "and the
    second one?"
    """
    found = _POINTS_AT_OTHER.search(question)
    asked = user_turns(history)
    if not found or not asked or _POINTS_AT_ITEM.search(question):
        return None
    rest = question[: found.start()] + question[found.end() :]
    if len([w for w in content_words(rest) if w not in NOT_A_SUBJECT]) > 1:
        return None  # "the other way Kathy cares for Tommy": a subject of its own
    pointer = _POINTS_AT_ITEM.search(asked[-1])
    if not pointer or not points_only(asked[-1]):
        return None
    before = history_before(history, len(asked) - 1)
    listed, items = pointed_at(asked[-1], before), _pair_pointed_into(before)
    if len(items) != 2 or listed not in items:
        return None
    other = "second" if listed == items[0] else "first"
    return f"{question[: found.start()]}the {other} {found.group(1)}{question[found.end() :]}"


def _pair_pointed_into(history: Sequence[dict]) -> list[str]:
    """The items of the last answer in the history (the list a pointer points into)."""
    answers = turns(history, "assistant")
    return answer_items(answers[-1]) if answers else []


_CLAUSE_BREAK = re.compile(r"[;:]\s+|,\s+(?:and|or|but)\s+|(?<=[.!?])\s+")


def items_set_out(answer: str) -> list[str]:
    """An answer's list items, or the quotations it sets out, when there are two or more;
    else []."""
    plain = re.sub(r"\s*\[\d+\]", "", without_hedge(answer)).replace("\\", "")
    items = [BULLET.sub("", line).strip() for line in plain.splitlines() if BULLET.match(line)]
    if len(items) >= 2:
        return items
    quoted = quotations_set_out(without_hedge(answer))
    return quoted if len(quoted) >= 2 else []


def answer_items(answer: str) -> list[str]:
    """What an answer sets out one by one: its list items if it has a list, its
    quotations if it sets out several ("key quotes": "explain the first one" had been
    declined), else the clauses of its opening paragraph ("Mainly through A, and through
    B" -> A, B).

    Example: answer_items("It shows it through:\n• memory [1]\n• loss") == ["memory", "loss"]
    """
    if items := items_set_out(answer):
        return items
    plain = re.sub(r"\s*\[\d+\]", "", without_hedge(answer)).replace("\\", "")
    opening = plain.strip().split("\n\n", 1)[0]
    # "The notes give two: A, and B": a lead setting out clauses in its sentence is no item
    listing = re.match(r"(?P<lead>[^.!?:]*):\s+(?P<listed>[^.!?]*)", opening)
    if listing and len(_clauses(listing["listed"])) > 1:
        return _clauses(opening[listing.end("lead") + 1 :])
    return _clauses(opening)


def _clauses(text: str) -> list[str]:
    """The clauses of a text (`_CLAUSE_BREAK`) that hold a content word, trimmed."""
    return [c.strip(" .") for c in _CLAUSE_BREAK.split(text) if content_words(c)]


def listed_item_asked(question: str, passages: Sequence[Passage]) -> str | None:
    """The item a question asks for by its place in a list the notes set out, when the
    question names what the list is of: "whats the first way ishiguro shows friendship"
    asks for the first item of "…shows the theme of friendship through: • Kathy’s
    determination… • the way Kathy, Ruth and Tommy are reunited…", found among the best
    passages (the first list there with that many items). It had found the reunion with
    Tommy, and "ok whats the second way" after it Ruth hurting Kathy."""
    match = _POINTS_AT_ITEM.search(question)
    if not match or points_only(question):
        return None
    at = ORDINALS[match.group(1).lower()]
    asked = set(stems(subjects(question[: match.start()] + " " + question[match.end() :])))
    for passage in passages[:LISTS_SEARCHED]:
        items = items_of_a_list_on(passage.chunk, asked)
        if len(items) >= 2 and -len(items) <= at < len(items):
            return items[at]
    return None


def restated_pointer(question: str, history: Sequence[dict]) -> str | None:
    """A pointer naming nothing ("ok whats the second way") after a question asking for
    an item of the notes' list by its place ("whats the first way ishiguro shows
    friendship", perhaps followed up since), as that question with the new place: "whats
    the second way ishiguro shows friendship". It had been searched for an item of the
    answer before, which set out no list, and declined."""
    if not points_only(question):
        return None
    wanted = _POINTS_AT_ITEM.search(question)
    asked = user_turns(history)
    for at in range(len(asked) - 1, -1, -1):
        earlier = asked[at]
        found = _POINTS_AT_ITEM.search(earlier)
        if found and not points_only(earlier):
            return earlier[: found.start(1)] + wanted.group(1) + earlier[found.end(1) :]
        if not is_follow_up(earlier, history_before(history, at)) and not _left_unanswered(
            history, at
        ):
            return None  # a question of its own came between, and was answered
    return None


def _left_unanswered(history: Sequence[dict], asked: int) -> bool:
    """Was the user's `asked`-th question (counted from 0) declined, or answered only with
    what comes near it (`HEDGE`) and no list? It set out nothing to point into: "ok whats
    the second way" after "is kathy a reliable narrator tho" still points into the list
    asked of before it."""
    after = history[len(history_before(history, asked)) + 1 :]
    answer = next((t.get("content", "") for t in after[:1] if t.get("role") == "assistant"), "")
    answer = answer.lstrip()
    if not answer.startswith(HEDGE):
        return answer.startswith(DECLINED)
    return not items_set_out(answer)


def history_before(history: Sequence[dict], asked: int) -> list[dict]:
    """The history before the user's `asked`-th question (counted from 0)."""
    seen = -1
    for i, turn in enumerate(history):
        if turn.get("role") == "user":
            seen += 1
            if seen == asked:
                return list(history[:i])
    return list(history)


def points_only(question: str) -> bool:
    """Does the question point into an answer ("explain the first one") and name no
    subject of its own ("What is the first example of cruelty at Hailsham?" does)?"""
    match = _POINTS_AT_ITEM.search(question)
    if not match:
        return False
    rest = question[: match.start()] + question[match.end() :]
    return len([w for w in content_words(rest) if w not in NOT_A_SUBJECT]) <= 1


def pointed_at(question: str, history: Sequence[dict]) -> str | None:
    """The item of the previous answer a follow-up points at ("explain the first one"),
    or of the answer before those that explained its items or followed them up ("And the
    second point?" after "explain the first one" and "give me a quote for that"), or
    None: also when the question names a subject of its own ("What is the first
    example of cruelty at Hailsham?"), or the answer before was a refusal or no list."""
    match = _POINTS_AT_ITEM.search(question)
    answers = turns(history, "assistant")
    if not match or not answers or answers[-1].lstrip().startswith(DECLINED):
        return None
    if not points_only(question):
        return None  # "…the first example of cruelty at Hailsham": a subject of its own
    # "And the second point?" after "Can you explain the first one?": the list is in the
    # answer before the ones that explained its items.
    exchanges, asked = [], -1  # (where its question is in `history`, answer), oldest first
    for at, turn in enumerate(history):
        if turn.get("role") == "user":
            asked = at
        elif turn.get("role") == "assistant":
            exchanges.append((asked, turn.get("content", "")))
    # So is it in the answer before a follow-up on an item ("give me a quote for that").
    listing = len(exchanges) - 1
    while listing > 0 and (at := exchanges[listing][0]) >= 0:
        asked_there, before = history[at].get("content", ""), history[:at]
        if not pointed_at(asked_there, before) and (
            len(answer_items(exchanges[listing][1])) > 1 or not is_follow_up(asked_there, before)
        ):
            break  # a question of its own ("What is the first example of cruelty?")
        listing -= 1
    items = answer_items(exchanges[listing][1])
    at = ORDINALS[match.group(1).lower()]
    return items[at] if len(items) > 1 and -len(items) <= at < len(items) else None


def build_query(
    question: str,
    history: Sequence[dict],
    lexical: LexicalIndex,
    whole: Sequence[dict] | None = None,
) -> Query:
    """The search for a question: spelling corrected, and a follow-up searched together
    with the question before it, which names what "she" or "they" are.

    A follow-up with words of its own still picks its answer's sentences by them alone:
    the passages found are on the earlier subject already, and the sentences that answer
    the earlier question are not what is asked now ("Do they ever become friends again?"
    after "Why did Kathy leave the Cottages?" quotes "…their fondness for each other has
    returned", not why she left).

    A pointer into an answer ("and the second point?") may reach further back (`whole`:
    the tutor gives the last twelve turns) than the turns a follow-up leans on: after
    "explain the first one", "give me a quote for that" and "why is that important?",
    the list it points into is four exchanges back.
    """

    question = lexical.plain(question)
    asked = lexical.correct(question)
    history = answered(history, question)
    if item := pointed_at(question, answered(whole, question) if whole else history):
        return Query(question, f"{lexical.correct(item)} {asked}", True)
    if asks_who_said_it(question) and (quoted := quotation_told(history)):
        # "who said that?" after the Dover quotation: that quotation, with its speaker
        # ("(Kathy)"), is the answer. Searched with the question before, it had found
        # Ruth's "The idiot!" (its "said"), and a student could take Ruth for the speaker.
        return Query(question, quoted, True)
    goes_on = asks_what_next(asked, history)
    rest = what_next_asked(asked)
    if rest is not None:  # "next" is no subject, with or without a turn before
        asked = rest
    if ASKS_FOR_PARAGRAPH.search(asked):  # "help me write a paragraph about tommy"
        asked = " ".join(
            w for w in asked.split() if w.lower().strip(".,:;!?") not in PARAGRAPH_WORDS
        )
    if (where := where_in_notes_asked(asked)) is not None:  # "which section discusses…"
        asked = where
    if not (goes_on or is_follow_up(question, history)):
        return Query(question, asked, False)
    previous = lexical.correct(lexical.plain(previous_question(history)))
    if (who := WHO_IS.match(previous)) and PERSONAL_PRONOUNS.intersection(words(asked)):
        # "how do they treat him" after "who is tommy": on Tommy, not on who anyone is
        # ("…the only ones who really cared for each other" had come first)
        previous = previous[who.end() :].strip(" ?!.")
    last = history[-1]
    if goes_on or asks_for_gist(question):
        # the answer goes on from (or sums up) what the tutor told last, or was asked last
        previous = (last.get("role") == "assistant" and told_point(last["content"])) or previous
    elif (
        (asks_what_it_means(asked) and not set(subjects(asked)) - _SHOWING)
        or (ASKS_TO_ANALYSE_LANGUAGE.search(asked) and names_nothing(question))
    ) or (_POINTS_AT_ITEM.search(previous) and not points_only(previous)):
        # "wat does it show" after "give me a quote": what the quotation told shows;
        # "whats the evidence for it" after "whats the first way ishiguro shows
        # friendship": the item of the notes' list it was answered by (`listed_item_asked`)
        told = last.get("role") == "assistant" and told_point(last["content"])
        previous = f"{told} {previous}" if told else previous
    if ASKS_FOR_PARAGRAPH.search(question) and names_nothing(question):
        # "write me a PEE paragraph on that": the turn before's question, as it was asked
        return Query(question, previous, True, (), "", previous=previous)
    text = f"{previous} {asked}"
    if goes_on:
        focus = new_subject(asked, previous, lexical.names)
        return Query(
            question, text, True, focus, previous, goes_on=True, previous=previous, own=asked
        )
    if requests_only(question):  # it names no subject: "any quote for that?"
        told = told_point(last["content"]) if last.get("role") == "assistant" else ""
        if in_own_words(told, lexical):  # what "that" is, said by another hand
            text = f"{told} {text}"
        return Query(question, text, True, (), "", previous=previous, own=asked)
    if _ASKS_HOW_WE_KNOW.match(question.lower()):
        return Query(question, text, True, (), "", previous=previous, own=asked)
    focus = new_subject(asked, previous, lexical.names) + meant_anew(asked, previous, lexical)
    evidence = asked if content_words(asked) else ""
    told = told_point(last["content"]) if last.get("role") == "assistant" else ""
    if told and told not in previous and _POINTS_TO_A_PLACE.search(asked):
        # "…when she sees her there?" after "Where does Kathy meet Ruth again?": the
        # place is in the answer ("…at that recovery centre in Dover…"), not the question
        previous = f"{told} {previous}"
        text = f"{previous} {asked}"
    return Query(question, text, True, focus, evidence, previous=previous, own=asked)


# "there" pointing at a place, ending what it says ("when she sees her there?", "how did
# that affect them there"): not saying something is ("is there a quote", "is there, like,
# one on that"), nor "their" misspelt ("what does it show about there friendship")
_POINTS_TO_A_PLACE = re.compile(
    r"(?<!\bis )(?<!\bare )(?<!\bwas )(?<!\bwere )(?<!\bisn't )(?<!\baren't )"
    r"\bthere(?=\s*(?:[?.!,;]|$|(?:when|and|but|too|again|then|though|tho|or|at|in|with)\b))",
    re.I,
)


def in_own_words(point: str, lexical: LexicalIndex) -> bool:
    """Does an answer's point say what it says in words of its own, not the notes'?

    The extractive answerer quotes the notes, and the question its answer was for finds
    that passage again. An answer written elsewhere (a teacher's worked example, another
    tool, a history passed to `tutor ask --jsonl`, an LLM backend) says in its own words
    what "that" in "any quote for that?" is: "When she is allowed to pick some of her
    patients, she looks for donors who went to Hailsham" after "How does Kathy show
    loyalty when she's a carer?", whose question alone had found the Cottages and a
    quotation on quarrels. A line leading into what follows ("In short, the notes on …
    say:") says nothing of its own.
    """
    sentences = [point[start:end] for start, end in sentence_spans(point)]
    return any(
        not lexical.says(sentence)
        for sentence in sentences
        if len(letters_only(sentence)) >= SENTENCE_LETTERS and not sentence.endswith(":")
    )


def chained_query(question: str, history: Sequence[dict], lexical: LexicalIndex) -> Query | None:
    """A follow-up to follow-ups, searched with the questions they leaned on, back to the
    one that stood alone (at most CHAIN_REACH questions in all): "are they friends again
    by the end?" after "does she ever apologise?" after "How does Ruth hurt Kathy?" is
    about Ruth and Kathy, which "does she ever apologise?" alone does not say. None when
    the question or the turn before it stands alone.

    Tried only for a follow-up the notes would not answer otherwise: searching every
    follow-up with the whole chain drifted, as older questions outweighed newer ones.
    """
    query = build_query(question, history, lexical)
    history = answered(history, question)
    asked_at = [at for at, turn in enumerate(history) if turn.get("role") == "user"]
    if not (query.follow_up and query.previous and asked_at):
        return None
    chain = [query.text[len(query.previous) :].strip()]
    for at in reversed(asked_at[-(CHAIN_REACH - 1) :]):
        before = build_query(history[at].get("content", ""), history[:at], lexical)
        if not before.follow_up:
            chain.append(before.text)
            break
        chain.append(before.text[len(before.previous) :].strip())
    if len(chain) < 3 and not before.follow_up:
        return None  # the turn before stood alone: `build_query` searched it so already
    text = " ".join(reversed(chain))
    return Query(question, text, True, query.focus, query.evidence, previous=text, own=query.own)


# "What about when she meets Tommy again?": turns to a new subject, whatever pronouns follow.
def new_subject(
    question: str, previous: str, names: frozenset[str] = frozenset()
) -> tuple[str, ...]:
    """The word stems of a follow-up that names its own subject and that the question
    before it lacks. When the follow-up points back with a pronoun, only the names among
    them (`names`, stems of the notes' names): "And when she sees Ruth again?" after a
    question on Kathy meeting Tommy turns to Ruth, and "she" is Kathy still. Unless it
    turns to something new: "What about when she meets Tommy again?" after a question on
    Kathy seeing Ruth is on Tommy, and on meeting again.

    Example: new_subject("And what about Tommy?", "How does Ruth treat Kathy?") == ("tommi",)
    """
    before = set(stems(content_words(previous)))
    # as word matching reads it: not the "like" of "what's it like when…", which names
    # nothing (and "how come" as "why")
    asked = without_asking_like(question)
    topical = [w for w in content_words(asked) if w not in NOT_A_SUBJECT | _ONE]
    new = tuple(dict.fromkeys(s for s in stems(topical) if s not in before))
    if any(w in FOLLOW_UP_PRONOUNS for w in words(question)) and not TURNS_TO.match(question):
        return tuple(s for s in new if s in names)
    return new


def meant_anew(question: str, previous: str, lexical: LexicalIndex) -> tuple[str, ...]:
    """The word stems a follow-up's own phrasal verb means, as the notes say it, that
    the question before it lacks: "Does anyone stand up for him when that happens?"
    after "How is Tommy shown in the group?" asks who supports him, the notes' "…offer
    support when it is needed", and searched with the question before, the passage on
    Tommy's place in the group had come first. Its "him" and "that" name no new
    subject (`new_subject`), but the verb does. So does a word of the question the notes
    say with a phrasal verb of their own ("…even after they argue?" as their "fall
    out"), as `in_single_words` reads it. Only a word the notes give one passage
    is a subject of its own ("look after" as "care", which the notes use often, is
    not), and a phrasal verb the notes use themselves ("when they fall out") is
    matched as it stands, not by what it means. (Measured on every labelled set: ten
    such follow-ups rose to first, none fell.)"""
    notes_phrasals = lexical.phrasal()
    said = [
        meaning
        for verb in phrasal_verbs(words(question)).values()
        if verb in notes_phrasals  # "when they fall out", as the notes say it: no more
        for meaning in PHRASAL_WORDS.get(verb, ())
    ]
    old = set(stems(words(question))) | set(stems(content_words(previous))) | set(stems(said))
    used, _ = lexical.vocabulary(None)
    single = stems(words(in_single_words(question, notes_phrasals)))
    return tuple(dict.fromkeys(s for s in single if s not in old and used.get(s) == 1))


# Where the passage shown is, not a claim that it says what was asked: "where in my notes
# does it say Tommy is Kathy's boyfriend?" finds the nearest passage, which does not.
PLACE_IN_THE_NOTES = "In “{title}”, the passage below is under “{section}”:"
PLACE_IN_THE_OPENING = (
    "In “{title}”, the passage below is in the opening, before the first heading:"
)
_PLACE_LINE = re.compile(
    r"\AIn “[^\n]*”, the passage below is (?:under “[^\n]*”|in the opening, [^\n]*):\n"
)

# How such an answer opens: its sentences are the notes', so the student rewords them.
AS_A_PARAGRAPH = (
    "A paragraph built from the notes' own sentences (point, evidence, explanation): put it"
    " in your own words."
)
# The labels of its parts; a follow-up leans on the point without its label.
PARAGRAPH_LABELS = {
    "point": "**Point:** ",
    "evidence": "**Evidence:** ",
    "explanation": "**Explanation:** ",
}
