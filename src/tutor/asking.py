"""What a question asks, read from its words alone: no notes, no conversation.

A request for a quotation, a paragraph or the gist; what a quotation shows or means;
a date, a count, a film or another work the notes may not cover; chat filler, markup
and shorthand taken out. retrieve.py and conversation.py read a question through these.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence

import numpy as np

from tutor.words import (
    DEMONSTRATIVES,
    HOW_COME,
    NEGATED_AUX,
    NOTES_NAMED,
    NOTES_WORDS,
    NUMBER_WORDS,
    STOPWORDS,
    content_words,
    is_generic,
    stems,
    subjects,
    words,
)

# Words asking about a work's making or its author's life, its film, its prizes: study
# notes on a theme rarely cover these, so a question using one the notes never use is not
# answered for being only near them in meaning ("Who plays Kathy in the film?", "Is Kazuo
# Ishiguro married?"); a clear match still answers it ("Why did Belle not marry
# Scrooge?"), as some of these words can be about the text itself.
CONTEXT_WORDS = frozenset(
    """
    film films movie movies actor actors actress director screenplay television tv
    published publish publication publisher born birth birthday married marry biography
    award awards prize prizes nobel booker nominated shortlisted
    alive dead died death
    """.split()
)
# Words asking about the work on screen. Notes that use none of them cannot say who plays
# whom or what a film changes, however close such a question sits to them in meaning:
# "Who played Scrooge in the film?" is 0.65 close to notes on Scrooge, closer than many
# questions those notes do answer. ("Actor" and "director" are drama's own words: "How
# might a director stage the witches?" asks about the play.)
SCREEN_WORDS = frozenset("film films movie movies screenplay tv television".split())
# "Who played Ruth?", "Who was Kathy played by?", "Who was cast as Tommy?", "Who directed
# it?"; not "What role is played by Hailsham…?" nor "Is Ruth cast as the villain?"
_ASKS_FOR_CAST = re.compile(
    r"\b(?i:who) (?:plays|played|play|stars|starred)(?: as)? [A-Z]"
    r"|\b(?i:who)\b.*\b(?:played|directed) by\b|\b(?i:who) (?:was|were) cast as\b"
    r"|\b(?i:who) directed\b"
)
# Topics only notes that speak of them can answer, however close a question on one sits
# to other notes in meaning: (words of a question asking about it, words of notes speaking
# of it). Notes that never speak of a husband, wife or fiancee cannot say who marries whom
# ("Who did Kathy marry?" is 0.57 close to the notes on Kathy and Tommy), nor can notes
# that never speak of a death say who dies ("Does Kathy die in the end?", 0.66), nor notes
# that never speak of love who is a couple, nor notes that never speak of a deferral who
# gets one.
_TOPICS = {
    "marriage": (
        "marry marries married marrying marriage wedding husband wife",
        """marry marries married marrying marriage wedding husband husbands wife wives
        fiancee fiance engagement spouse widow widower""",
    ),
    "death": (  # not "kill": "How do white blood cells kill pathogens?"
        "die dies died dying death dead",
        """die dies died dying death deaths dead kill kills killed killing murder murders
        murdered murderer suicide funeral executed execution""",
    ),
    "romance": (  # "Do Ruth and Tommy become a couple?" (not "a couple of quotes")
        """couple couples dating boyfriend boyfriends girlfriend girlfriends romance
        romantic romantically lover lovers kiss kissed kisses kissing""",
        """couple couples dating boyfriend boyfriends girlfriend girlfriends romance
        romantic romantically lover lovers kiss kissed kisses kissing love loves loved
        sex sexual""",
    ),
    "reprieve": (  # "Do Kathy and Tommy get a deferral?"
        "deferral deferrals reprieve",
        "deferral deferrals defer deferred reprieve",
    ),
}
# A question asking when a work was written, published or staged, or its author born,
# wants a year: "When was A Christmas Carol published?" is 0.67 close to the notes'
# passage on what the story is about, which cannot answer it.
# Only in the past: "When does Kathy write to Tommy?" asks about the story.
_ASKS_WHEN = re.compile(r"\bwhen (?:was|were|did)\b|\b(?:what|which) (?:year|date|century)\b", re.I)
_DATE_EVENTS = """
    publish published publication born birth write wrote written premiere premiered perform
    performed
"""
# A question asking what else an author wrote ("What other novels has Ishiguro
# written?") sits close to notes naming the author and the novel, which cannot answer it
# unless they speak of other works. "Another example from the book" asks about this one.
WORKS = r"(?:novels?|books?|works|plays|poems|stories)"
# One work, as a question names it: "the novel's title", "at the end of the book"
A_WORK = r"(?:novel|novella|book|story|text|play|poem|work)"
# "what other novels…", "what else did he write", "anything else she has written"
_ASKS_FOR_OTHER_WORKS = re.compile(
    rf"\b(?:other|another)\s+(?:\w+\s+)?{WORKS}\b"
    r"|\b(?:what|anything)\s+else\s+(?:did|has|have|had|does)\s+(?:\w+\s+){1,2}"
    r"(?:write|written|publish(?:ed)?)\b(?!\s+(?:about|on)\b)",  # not "…write about Ruth"
    re.I,
)
# … of an author: "…written", "another novel by Ishiguro", "Ishiguro's other novel about a
# butler" (a novel or book: "Tommy's other works" are his art, "stories told by Kathy"
# hers)
_OF_WRITING = re.compile(
    r"\b(?:writ(?:e|es|ing|ten|ers?)|wrote|publish(?:ed|es)?|authors?)\b"
    r"|\b(?:novels?|books?)\s+(?:written\s+)?by\s+"
    r"(?!(?:the|a|an|this|that|these|those|which|way|far|then|now|chance|contrast|heart"
    r"|herself|himself|themselves)\b)\w"
    r"|\b\w+['’]s\s+(?:other|another)\s+(?:\w+\s+)?(?:novels?|books?)\b",
    re.I,
)

# A count of people the notes name one by one: "why do the three of them stay close".
COUNT_OF_PEOPLE = re.compile(
    r"\b(?:two|three|four|five|six)(?=\s+of\s+(?:them|us|you|those|the\s+\w+s)\b)", re.I
)

SCREEN_STEMS = frozenset(stems(sorted(SCREEN_WORDS)))
_DATE_EVENT_STEMS = frozenset(stems(_DATE_EVENTS.split()))


def asks_about_screen(question: str) -> bool:
    """Does the question ask about a film or television version of the work, or its cast?

    Example: asks_about_screen("Who played Ruth?") is True; ("Who plays tricks?") is False.
    """
    return not SCREEN_WORDS.isdisjoint(words(question)) or bool(_ASKS_FOR_CAST.search(question))


# Who speaks the quotation just given: "who said that?", "whose words are those?". The
# whole message: "Who says 'The idiot!'?" names its quotation.
_ASKS_WHO_SAID_IT = re.compile(
    r"^\W*(?:who\s+(?:said|says|say|speaks|spoke|is\s+speaking|was\s+speaking)"
    r"(?:\s+(?:that|this|it|those|these)(?:\s+(?:words|lines?|quote|quotation))?)?"
    r"|who\s+(?:is|was)\s+the\s+speaker|whose\s+words\s+(?:are|were)\s+(?:those|these|they))"
    r"\W*$",
    re.I,
)


def asks_who_said_it(question: str) -> bool:
    """Does the message ask only who speaks the quotation the answer before gave?"""
    return bool(_ASKS_WHO_SAID_IT.match(question.strip()))


# How a message turns to another subject: "what about X?", "and what about X?", "ok how
# about X" (`TURNS_TO`); also "and X?" (`turns_to_a_subject`). Not to another time or
# setting of the same subject ("what about as children?", "and later?", "and in Dover?"):
# that asks the question before again.
TURNS_TO = re.compile(r"\W*(?:(?:and|but|ok|so)\W+)?(?:what|how)\s+about\b", re.I)
_TURNS_TO_A_SUBJECT = re.compile(
    r"^\W*(?:(?:ok(?:ay)?|so|but|and)\W+)*(?:(?:what|how)\s+about|what\s+of|(?<=and\s))\s*"
    r"(?!(?:as|in|at|on|when|while|during|after|afterwards|before|later|then|now|by|with"
    r"|from|to|for)\b)\w",
    re.I,
)


def turns_to_a_subject(question: str) -> bool:
    """Does the message open by turning to a subject ("what about photosynthesis?", "and
    the clones?"), not by asking something of its own ("so what mattered more?") nor by
    moving the question before to another time or setting ("what about as children?")?"""
    return bool(_TURNS_TO_A_SUBJECT.match(question))


# A sum to work out: "what's 2+2?", "3x + 7 = 22", "10 - 3", with no other words than
# these: not "Staves 2 - 3", "Act 1 Scene 2 + 3", "is their friendship 50/50?".
_ARITHMETIC = re.compile(r"\d\s*[+*/×÷^=]\s*\(?\s*\d|\d\s+-\s+\d|\d\s*x\s*[-+=]")
_SUM_WORDS = frozenset(
    "what whats is was does solve calculate work out equal equals plus minus times divided by "
    "the answer to of x s".split()
)


def does_arithmetic(question: str) -> bool:
    """Does the message only ask to work out a sum? It names nothing the notes could hold,
    so it leans on no answer before it: "what's 2+2?" after a question on Hailsham had
    been answered from the notes."""
    said = re.findall(r"[a-z]+", question.lower())
    return bool(_ARITHMETIC.search(question)) and _SUM_WORDS.issuperset(said)


TOPIC_STEMS = {name: frozenset(stems(notes.split())) for name, (_, notes) in _TOPICS.items()}


# "a couple of quotes", "a couple quotes", "a couple more": a few, not two in love ("Do
# Ruth and Tommy become a couple?", "are they a couple at this point")
_A_FEW = re.compile(
    r"\bcouple\s+(?!(?:at|in|now|then|yet|or|and|too|anymore|any|by|when|while|after|before"
    r"|though|tho|right|already|again|ever|later|from|during|because)\b)(?=[a-z])",
    re.I,
)


def topics_asked(question: str) -> list[frozenset[str]]:
    """For each topic the question asks about that only notes speaking of it can answer
    (the work on screen, `_TOPICS`), the word stems by which notes speak of it.

    Example: topics_asked("Who did Kathy marry?") == [TOPIC_STEMS["marriage"]]
    """
    asked = set(words(_A_FEW.sub(" ", question)))
    return ([SCREEN_STEMS] if asks_about_screen(question) else []) + [
        TOPIC_STEMS[name]
        for name, (question_words, _) in _TOPICS.items()
        if not asked.isdisjoint(question_words.split())
    ]


# How one person's story ends, which notes on a theme rarely tell: "What happens to Tommy
# at the very end of the novel?", "what happens to him in the end", "What happens to Ruth
# after her second donation?" (not "What happens to the three of them in the end?", "What
# happens to Kathy's feelings…", nor "What happens to her after that?", which may ask what
# the notes say next, "…at the end of the trip", nor "…by the end of the novel", which notes
# may say). The one person is one of the notes' main people or a pronoun.
_FATE_OF = re.compile(
    r"\bhappen(?:s|ed)?\s+to\s+(?P<person>\w+)\s+(?:"
    r"(?:at|in|towards?)\s+the\s+(?:very\s+)?end"
    rf"(?:\s+of\s+(?:(?:the\s+)?{A_WORK}|it)\b|(?=\s*(?:[?.!,;]|$|(?:and|or|does|did|is"
    r"|was|like)\b)))"
    r"|eventually\b|finally\b|ultimately\b"
    r"|after\s+(?:his|her|their)\s+(?:\w+\s+)?(?:donations?|operations?)\b)",
    re.I,
)
# A donor's death in the novel's own word or in plain ones: "does he complete?", "Did Ruth
# complete after her second donation?", "does kathy ever complete", "Does she survive her
# donations?", "did tommy die?" (not "complete the essay", "the complete quote",
# "completing the square", "did tommy complete any drawings", "does their friendship
# survive?", "she died inside": only after its subject, and with nothing after it but the
# end, a mark, when or where, or the donations).
_COMPLETES = re.compile(
    r"\b(?P<person>\w+)\s+(?:(?:ever|then|finally|eventually|actually|\w+ly)\s+)?"
    r"['‘\"“]?(?:complet(?:e|es|ed)|surviv(?:e|es|ed)|die|dies|died)\b['’\"”]?"
    r"(?=\s*(?:[?.!,;]|$|(?:at|in|on|after|before|when|eventually|yet|too|then|there|or|and)\b"
    r"|(?:his|her|their|the)\s+(?:\w+\s+)?(?:donations?|operations?)\b))",
    re.I,
)
_ONE_PERSON = frozenset("he she him her".split())
# Words of notes speaking of how a life or a story ends
FATE_STEMS = frozenset(
    stems(
        "die dies died death dead complete completes survive deferral defer reprieve fate".split()
    )
)


# Why a work bears its title: "Why is the novel called Never Let Me Go?", "what does the
# title mean", "the significance of the title" (not "ruth is called a 'typical leader'",
# "Why is it called a glue?", "my essay title means…"). Only notes speaking of the title
# can say.
_THE_TITLE = (
    rf"(?:the|its|(?:the\s+)?{A_WORK}['’]s)\s+title\b"
    r"(?!\s+of\s+(?:my|your|an?)\b)"
)
_ASKS_ABOUT_THE_TITLE = re.compile(
    rf"\bwhy\s+(?:is|was)\s+(?:the|this)\s+{A_WORK}\s+(?:called|titled|named)\b"
    rf"|\b(?:meaning|significance|importance|point)\s+of\s+{_THE_TITLE}"
    rf"|\b(?:explain|about)\s+{_THE_TITLE}"
    rf"|\b{_THE_TITLE}\s+(?:(?-i:[A-Z])[\w'’]*\s+)*(?:mean|means|meant|suggest|suggests|signify"
    r"|signifies)\b",
    re.I,
)
TITLE_STEMS = frozenset(stems("title titled".split()))


def asks_about_the_title(question: str) -> bool:
    """Does the question ask why a work bears its title, or what the title means?"""
    return bool(_ASKS_ABOUT_THE_TITLE.search(question))


def asks_of_a_fate(question: str, names: frozenset[str]) -> bool:
    """Does the question ask how one person's story ends: what happens to them at the end,
    or whether they "complete", survive or die (also as the time of something else:
    "when Tommy completes, is Kathy there?")? `names` are the word stems of the notes'
    main people."""
    for pattern in (_FATE_OF, _COMPLETES):
        for found in pattern.finditer(question):
            person = found["person"].lower()
            if person in _ONE_PERSON or stems([person])[0] in names:
                return True
    return False


def asks_for_other_works(question: str) -> bool:
    """Does the question ask what else an author wrote?

    Example: asks_for_other_works("What other novels has Ishiguro written?") is True;
    ("Give me another example from the book") and ("Which other poems explore
    conflict?", of an anthology) are False.
    """
    return bool(_ASKS_FOR_OTHER_WORKS.search(question) and _OF_WRITING.search(question))


# "what other themes are there", "the other themes of the novel", "any more themes?"; not
# "the more important themes" nor "the different themes of friendship", which ask about
# the theme the notes are on
_ASKS_FOR_OTHER_THEMES = re.compile(
    r"\b(?:(?:other|another)\s+(?:\w+\s+)?|more\s+)themes?\b"
    r"|\bdifferent\s+(?:\w+\s+)?themes?\b(?!\s+of\b)",
    re.I,
)


def asks_for_other_themes(question: str) -> bool:
    """Does the question ask which themes a work has besides the one the notes are on?

    Example: asks_for_other_themes("what other themes are in the novel") is True;
    ("How is the theme of friendship shown?") and ("What is the main theme of the
    novel?", which the notes' one theme answers) are False.
    """
    return bool(_ASKS_FOR_OTHER_THEMES.search(question))


def asks_for_a_date(question: str) -> bool:
    """Does the question ask when a work was written, published or staged, or someone born?

    Example: asks_for_a_date("When was Macbeth written?") is True; ("When does Ruth
    change?") is False.
    """
    return bool(_ASKS_WHEN.search(question)) and not _DATE_EVENT_STEMS.isdisjoint(
        stems(words(question))
    )


# "How many donations has Ruth had?" and "How old is Kathy?" ask for a count; notes giving
# none cannot answer them, however close they sit in meaning (they were answered from the
# notes on Ruth as a donor, and with "students of their age"). Not "how many times", which
# "often" or "there are moments when…" answers; nor "how old-fashioned", "what age group",
# "in what age is it set".
_ASKS_FOR_A_COUNT = re.compile(
    r"\bhow\s+many\b(?!\s+times\b)|\bhow\s+old(?![\w-])"
    r"|(?<!in )\b(?:what|which)\s+age\b(?!\s*-?\s*(?:groups?|range|bracket|of)\b)",
    re.I,
)


def asks_for_a_count(question: str) -> bool:
    """Does the question ask how many, or how old?

    Example: asks_for_a_count("How many donations does Ruth have?") is True, and so is
    asks_for_a_count("What age is Kathy?").
    """
    return bool(_ASKS_FOR_A_COUNT.search(question))


# The points of an answer a question may count: "the two main ways", "how many reasons".
LISTED_POINTS = (
    r"(?:(?:main|key|important|big|biggest|major)\s+)?"
    r"(?:ways?|points?|reasons?|things?|ideas?|aspects?|methods?|examples?|factors?|parts?)\b"
)

NUMBER_STEMS = frozenset(stems(sorted(NUMBER_WORDS)))

# An HTML tag, as pasted into a question; a script or style element goes whole: it is code.
MARKUP = re.compile(
    r"<(script|style)\b[^>]{0,200}>.*?</\1\s*>|<[^>]{0,200}>"
    r"|(?<![\w:]):[a-z][a-z0-9_+-]{0,40}:(?![\w:])"  # an emoji shortcode: ":smile:"
    r"|\bhttps?://[^\s()<>]+|\bwww\.[^\s()<>]+"  # a web address: no question's subject
    r"|\$(?=\S)[^$\n]{0,100}(?<=\S)\$(?!\d)",  # maths, "$x^2$"; not "$5 and $6"
    re.I | re.S,
)
# Chat filler that opens or closes a question: "hey, is Ruth kind?", "is Ruth kind lol".
# A greeting or "um" only opens one ("Why does Tommy say hello?" keeps its last word), and
# so does a spoken opening ("wait why tho", "sorry but…", "ok so…").
OPENING_FILLER = (
    r"(?:hey+|hiya+|hi+|hello+|lol|pls|plz|um+|uh+|hmm+|erm+|er|oh+|btw|omg|wait|sorry|ok|okay+)"
)
_CLOSING_FILLER = r"(?:lol|lmao|pls|plz|thx|btw|omg)"
# The closing filler starts just after a word or at one (`(?<!\W)|\b`): tried from every
# point of a long run of spaces or quote marks, it had been quadratic (125 ms on 2,000).
FILLER = re.compile(
    rf"^(?:\W*{OPENING_FILLER}\b)+\W*|(?:(?<!\W)|\b)(?:\W*\b{_CLOSING_FILLER})+\W*$", re.IGNORECASE
)
# Asking to be told before the question itself: "remind me who everyone looks up to" asks
# "who everyone looks up to" (searched whole, "remind me" had outweighed the rest).
_ASKS_TO_BE_TOLD = re.compile(
    r"^(?:(?:can|could|would|will)\s+(?:you|u)\s+)?(?:please\s+|pls\s+)?(?:remind|tell)\s+me\s+"
    r"(?=(?:who|what|whats|what's|why|how|when|where|which|whether|if)\b)",
    re.I,
)
# Chat shorthand for common words: "tell me abt tommy" asks "tell me about tommy" (an
# unknown "abt" counted as a subject the notes lack, and the question was declined).
CHAT_SHORTHAND = dict(
    entry.replace("-", " ").split(":")
    for entry in """
    abt:about bc:because bcos:because becos:because becuz:because cuz:because coz:because
    u:you ur:your r:are y:why wat:what wot:what wht:what wen:when b4:before w/:with
    thru:through tho:though ppl:people smth:something sth:something fav:favourite
    fave:favourite convo:conversation rly:really shud:should cud:could wud:would
    pls:please plz:please ez:easy bout:about cos:because gonna:going-to kno:know
    knw:know hav:have hv:have any1:anyone every1:everyone some1:someone sum1:someone
    wanna:want-to esp:especially probs:probably wdym:what-do-you-mean
    whats:what's hows:how's whos:who's wheres:where's whys:why's thats:that's
    dont:don't doesnt:doesn't didnt:didn't isnt:isn't wasnt:wasn't arent:aren't
    werent:weren't cant:can't couldnt:couldn't wouldnt:wouldn't shouldnt:shouldn't
    wont:won't im:I'm ive:I've youre:you're theyre:they're
    """.split()
)
_SHORTHAND = re.compile(
    r"(?<![\w'’])(?:" + "|".join(map(re.escape, CHAT_SHORTHAND)) + r")(?![\w'’])", re.I
)

# A markdown link: "[Lanyon](https://…)" says "Lanyon", "[link](https://…)" nothing. An
# address may hold brackets: "…/Never_Let_Me_Go_(novel)".
MARKDOWN_LINK = re.compile(
    r"\[(?P<text>[^\]\n]{0,200})\]\(\s*(?:[a-z][a-z0-9+.-]{1,20}:|www\.)(?:[^\s()]|\([^\s()]*\))*\s*\)",
    re.I,
)
_SAYS_ONLY_LINK = re.compile(r"\W*(?:link|here|click here|this|source|website|url)?\W*", re.I)

# A coloured or styled span in Streamlit's markdown, ":red[hi]": its text is what it says.
_DIRECTIVE = re.compile(r"(?<![\w:]):[a-z]+(?:-[a-z]+)?\[(?P<text>[^\]\n]{0,200})\]", re.I)


def _link_text(match: re.Match) -> str:
    text = match["text"]
    return " " if _SAYS_ONLY_LINK.fullmatch(text) or MARKUP.fullmatch(text.strip()) else text


# How long the answer should be, asked beside a question ("seeking - analyse this word pls
# (short)", "why does Ruth snub Kathy, keep it brief"): no words of its topic. "short" had
# counted as a word the notes never use, and the question was declined.
# Set off by a comma, dash or colon unless unmistakable ("in one sentence", "keep it
# short"): "Why does Tommy tell Kathy to be quick?" and "…see Ruth only briefly?" ask
# about the words. The run of separators is matched from its start only (the lookbehind),
# so a question of many commas is not searched again from each.
_PLEASE = r"(?:\s+(?:pls|plz|please))?"
_HOW_LONG = re.compile(
    rf"\(\s*(?:(?:pls|plz|please)\s+)?(?:short|brief|briefly|quick|quickly|short answer|"
    rf"in short|simple|simply|keep it (?:short|brief|simple)){_PLEASE}\s*\)"
    rf"|(?<![\s,;:–—-])(?:\s*[,;:–—-][\s,;:–—-]*(?:(?:pls|plz|please)\s+)?"
    rf"(?:(?:be|make it|answer)\s+(?:short|brief|quick|simple)|briefly|in brief)"
    rf"|[\s,;:–—-]+(?:(?:pls|plz|please)\s+)?(?:keep it (?:short|brief)|in (?:a few|one|two|1|2) "
    rf"(?:words|sentences?|lines?))){_PLEASE}(?=\W*$)",
    re.I,
)


# How to answer, at the end: "…can you unpack that word like a teacher would?", "…as an
# examiner would put it, please", "…the way my English teacher does" (the words of a
# teacher had counted as a subject the notes lack, and the question was declined). Not
# "like a teacher" alone, which may ask what someone is like.
_AS_A_TEACHER_WOULD = re.compile(
    r"(?<![\s,])[\s,]*\b(?:like|as|the\s+way)\s+(?:a|an|my|your|the)\s+(?:\w+\s+){0,2}?"
    r"(?:teacher|tutor|examiner|marker)s?\s+(?:would|does|do|might|could|did)"
    r"(?:\s+(?:explain|say|put|answer|mark|read|analyse|analyze|unpack)(?:\s+(?:it|that|this))?)?"
    r"(?:\s*,?\s*(?:please|pls|plz))?(?=\W*$)",
    re.I,
)
# A request put to the tutor: "can you…", "could u please…" (read by the strip below and
# by `lexical.addressed_by_name`, which keeps such a "you" as the tutor's).
PUT_TO_THE_TUTOR = r"\b(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+)?"
# … only when the tutor is asked to explain, not someone in the book ("Did Miss Emily
# explain it to them as a teacher would?", "Why does Ruth act like a teacher would?"):
# a request opening a sentence ("Explain…", "Please unpack…") or put to the tutor ("Can
# you explain…"). Only verbs asking for an explanation: "Show how Ruth acts like a
# teacher would" asks how Ruth acts.
_EXPLAINING = (
    r"(?:explain|unpack|answer|analy[sz]e|break\s+(?:\w+\s+)?down|go\s+through"
    r"|talk\s+(?:me\s+)?through|tell\s+me|put|mark|read|teach)\b"
)
_ASKS_TO_EXPLAIN = re.compile(
    rf"(?:^|[.?!;:]\s+)\W*(?:(?:please|pls|now|so|ok|okay)\s+)?{_EXPLAINING}"
    rf"|{PUT_TO_THE_TUTOR}{_EXPLAINING}",
    re.I,
)
# A tag asking to confirm a statement: "they don't have parents right? so who…", "they are
# normal school kids no?". Its "right" had matched "the right thing to do" best of all.
# Not the word a question asks with: "Is that right?", "…, who is right?", "Kathy was in
# the right?".
_TAG = re.compile(r"(?<=\w)[\s,]+(?:right|no|yeah|yes|innit|eh|correct|true)(?=\s*\?)", re.I)
_CLAUSE_BREAK = re.compile(r"[.?!,;:–—]|\s-\s")
_ASKS_WITH = frozenset(
    """what whats why how who whos which where when whose is are was were do does did can
    could should would will has have am isn't aren't wasn't weren't don't doesn't didn't
    y r""".split()
)
_BEFORE_ITS_WORD = frozenset("is are am was were be been being that it this i the in".split())
_CLAUSE_FILLER = frozenset("so and but ok okay wait hey hmm hm well lol oh um".split())


def without_tags(question: str) -> str:
    """The question without tags asking to confirm a statement (`_TAG`), where the clause
    before it does not open as a question and the tag is no word it ends on.

    Example: without_tags("they don't have parents right? so who helps") == "they don't
    have parents? so who helps"
    """
    breaks = [found.end() for found in _CLAUSE_BREAK.finditer(question)]

    def untagged(tag: re.Match) -> str:
        at = bisect.bisect_right(breaks, tag.start())  # the clause the tag ends
        said = words(question[breaks[at - 1] if at else 0 : tag.start()])
        opening = next((w for w in said if w not in _CLAUSE_FILLER), "")
        if not said or said[-1] in _BEFORE_ITS_WORD or opening in _ASKS_WITH:
            return tag.group()
        return ""

    return _TAG.sub(untagged, question)


# "How hard does Kathy try to…?" (or "How much effort does she put into…?") asks how much
# she does: the answer tells what she does ("…she does all she can to make sure that she
# is assigned to Ruth"), not that anyone tries hard. Its "hard" and "try" had matched
# "Ruth tries hard to be like one of the veterans" first. Not "how hard was it (to push
# for…)", which asks whether it was hard (`asks_how_hard`).
_PUT_OR_MADE = frozenset("put puts putting make makes making made".split())
HOW_HARD_ONE_TRIES = re.compile(
    r"\bhow\s+(?P<much>hard|much\s+(?:effort|work|energy))"
    r"\s+(?P<aux>do|does|did|has|have|had|will|would|is|was|are|were)"
    r"\s+(?!(?:it|that|this|there)\b)(?P<who>(?:[\w’'-]+\s+){1,3}?)"
    r"(?P<tries>try|tries|trying|tried|work|works|working|worked|push|pushes|pushing|pushed"
    r"|fight|fights|fighting|fought|strive|strives|striving|strove"
    rf"|{'|'.join(sorted(_PUT_OR_MADE))})\b"
    # what may follow the trying: a purpose or an object of the effort, not a person
    # pushed ("how hard did Ruth push Kathy away?") nor a thing made
    r"(?:(?P<into>\s+in(?:to|\s+to)?\b)"
    r"|(?=\s+(?:to|for|at|on|in|with|against|and)\b|\s*[?.!,]|\s*$))",
    re.I,
)
# the trying word read as a noun ("How hard is the work of a carer?", "Tommy's fight"), or
# asked of someone's circumstances ("How hard was life for Kathy working as a carer?")
_NOT_ONES_OWN = re.compile(
    r"(?:\b(?:the|a|an|his|her|their|its|this|that|my|your|our)|['’]s)\s+$"  # a noun's
    r"|\b(?:for|of|to|with|at|in|on|by|as)\b",  # a circumstance's: "for Kathy", "at work"
    re.I,
)


def _as_what_one_does(found: re.Match) -> str:
    """ "how hard does Kathy try to…" as "how much does Kathy do to…", and "how much effort
    does she put into…" as "how much does she do to…": the trying is no word of what is
    asked (its "try" had matched "Ruth tries hard…"), what she does is. Left as asked: a
    noun ("How hard is the work of a carer?"), a passive ("How hard was Kathy pushed?"),
    and "put" or "make" without "effort" ("How hard does she make it for Tommy?")."""
    tries, aux, who = found["tries"].lower(), found["aux"].lower(), found["who"]
    effort = not found["much"].lower().startswith("hard")
    if (
        (tries in _PUT_OR_MADE and not effort)
        or (found["into"] and tries not in _PUT_OR_MADE)  # "work in their art classes"
        or (aux in ("is", "was", "are", "were") and not tries.endswith("ing"))
        or _NOT_ONES_OWN.search(" " + who)
    ):
        return found.group(0)
    done = (
        "doing"
        if tries.endswith("ing")
        else "done"
        if aux in ("has", "have", "had")
        else "does"
        if tries.endswith("s")
        else "do"
    )
    ends = not found.string[found.end() :].strip(" ?.!,")  # "How much effort did she put in?"
    said = f"{found.group(0)[:3]} much {found['aux']} {who}{done}"  # "How", "how"
    said += " to" if found["into"] and not ends else ""
    return said.upper() if found.group(0).isupper() else said


# What a student will make of the answer, beside the question: "…What are they, so I can
# make one slide each?", "…an example that I could mention in my speech?", "…a line I
# could read out to the class", "For my presentation, …". It names nothing the notes
# speak of: "so I can make one slide each" had put the question so far from the notes
# that it was declined, and "presentation" matched the notes' "Ishiguro's presentation
# of the friendship groups". Only the student's own ("my speech", "one slide each"), not
# "Miss Lucy's speech", "the talk Miss Emily gives", "Ishiguro's presentation of Ruth"
# or "Ruth treats Tommy in class". Each run of spaces is matched from its start only.
_MADE_OF_IT = r"(?:presentation|speech|talk|slides?|slideshow|powerpoint|poster)"
_THING_MADE = rf"(?:\w+\s+){{0,2}}?{_MADE_OF_IT}"  # "presentation", "group slide", "first talk"
_MINE = (
    rf"(?:(?:my|our|a|an|one|each)\s+{_THING_MADE}"
    r"|(?:to\s+(?:my|our|the)|in\s+(?:my|our))\s+class)"
)
_FOR_WHAT_I_MAKE = re.compile(
    r"(?<![\s,])(?:\s*,\s*|\s+)(?:so\s+(?:that\s+)?(?:i|we)\s+(?:can|could)"
    r"|(?:(?:that|which)\s+)?(?:i|we)\s+(?:can|could|might|should|would)\s+"
    r"(?=(?:use|mention|quote|put|read|say|include|show|add|cite|write)\b))"
    rf"[^?.!]{{0,80}}?\b{_MINE}(?:\s+(?:each|title|later|tomorrow))?\b"
    rf"|(?:(?<![\s,])(?:\s*,)?\s+|^\W*)(?:for|in|on)\s+(?:my|our)\s+{_THING_MADE}\b\s*,?",
    re.I,
)


def plain_question(question: str, known: Callable[[str], bool] = lambda word: False) -> str:
    """What a question asks, without markup ("<b>Ruth</b>?" asks "Ruth ?") or chat filler
    around it ("hey, is Ruth kind lol" asks "is Ruth kind"), with chat shorthand spelt
    out ("abt" asks "about"), unless the notes use the word themselves (`known`): notes
    on chemistry may well explain "HI". "How hard does she try" asks "how much does she
    do" (`HOW_HARD_ONE_TRIES`)."""
    question = _DIRECTIVE.sub(r"\g<text>", MARKDOWN_LINK.sub(_link_text, question))
    question = without_tags(" ".join(MARKUP.sub(" ", question).split()))

    def unless_known(match: re.Match) -> str:
        return match.group(0) if any(known(w) for w in words(match.group(0))) else " "

    def spelt_out(match: re.Match) -> str:
        word = match.group(0)
        if known(word) or (len(word) > 1 and word.isupper()):  # "HV lines": an acronym
            return word
        return CHAT_SHORTHAND[word.lower()]

    question = " ".join(FILLER.sub(unless_known, question).split()) or question
    question = _ASKS_TO_BE_TOLD.sub("", question)
    if (made := _FOR_WHAT_I_MAKE.subn(" ", question))[1]:
        question = re.sub(r"\s+(?=[?.!,])", "", " ".join(made[0].split())) or question
    if (teacher := _AS_A_TEACHER_WOULD.search(question)) and _ASKS_TO_EXPLAIN.search(
        question[: teacher.start()]
    ):
        question = question[: teacher.start()] + question[teacher.end() :]
    if subjects(without_length := _HOW_LONG.sub(" ", question)):  # not "explain briefly"
        question = re.sub(r"\s+(?=[?.!]*$)", "", " ".join(without_length.split()))
    question = HOW_HARD_ONE_TRIES.sub(_as_what_one_does, question)
    return _SHORTHAND.sub(spelt_out, question)


# "the first one", "your second point", "the last reason": a pointer into the answer before.
ORDINALS = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": -1}

# "what are the two main points I should make?": a count of the points asked for.
COUNTED_POINTS = re.compile(rf"\b(?P<count>two|three|four|five|[2-5])\s+{LISTED_POINTS}", re.I)
_COUNTS = {
    word: number
    for number, word in enumerate("one two three four five six seven eight nine ten".split(), 1)
}


def count_of(word: str) -> int:
    """The number a count is written as: "three" or "3" -> 3."""
    return _COUNTS.get(word.lower()) or int(word)


def counted_points(question: str) -> int | None:
    """How many points a question asks for ("the two main ways…"), or None."""
    found = COUNTED_POINTS.search(question)
    if not found:
        return None
    return count_of(found["count"])


# Asks for the main points of something, counted or not ("the main points", "the two main
# ways"): a list of them answers.
_MAIN_POINTS = re.compile(
    r"\b(?:main|key|important|big|biggest|major)\s+"
    r"(?:ways|points|reasons|ideas|aspects|methods|factors)\b",
    re.I,
)


def asks_for_main_points(question: str) -> bool:
    """Does the question ask for the main points of something, counted or not ("What are
    the main points for an essay on friendship?")?"""
    return bool(_MAIN_POINTS.search(question))


# "give me 3 key quotes", "three quotations about Ruth": how many quotations are asked
# for. Not "2 more quotes", which asks for others than those given.
_COUNTED_QUOTATIONS = re.compile(
    rf"\b(?P<count>{'|'.join(_COUNTS)}|\d{{1,2}})\s+"
    r"(?:(?:key|main|good|important|short|useful|best)\s+)*quot(?:e|es|ation|ations)\b",
    re.I,
)


def quotations_counted(question: str) -> int | None:
    """How many quotations a question asks for ("give me 3 key quotes"), or None."""
    found = _COUNTED_QUOTATIONS.search(question)
    if not found:
        return None
    return count_of(found["count"]) or None


# "Summarise the notes", "give me an overview", "what are the key points?": asks for the
# notes as a whole (or one file's, named by its title: "summarise Macbeth").
# The part of an essay a student asks help with: "my intro", "an introduction", "and a
# conclusion?"; not "the conclusion" of the novel.
_ESSAY_PART = r"(?:my|an|a|your)\s+(?P<part>intro|introduction|conclusion)s?"
# What a question may call the work or the notes: "the book", "the revision guide"
_THE_WORK_OR_NOTES = rf"(?:book|novel|novella|text|story|play|{NOTES_NAMED})"
ASKS_FOR_OVERVIEW = re.compile(
    r"\b(?:summ?ar(?:i[sz]e|y|ies)|overview|recap|sum (?:\w+ ){0,2}up"
    r"|(?:key|main) (?:points?|ideas?|arguments?|themes?|messages?)|tl;?dr|gist"
    r"|simpl(?:er|y|ify)|(?:in|using) (?:simple|plain|easy|easier) (?:words|terms|english)"
    r"|eli5|dumb (?:it|that|this) down"
    # "what should my intro say", "help me with a conclusion": an essay's opening and
    # close state its argument, which is what the notes' overview gives (not "what
    # happens in the conclusion", which asks about the novel's)
    rf"|{_ESSAY_PART}"
    # "can u make it shorter", "i still don't get it", "i am confused"
    r"|shorter|shorten"
    r"|(?:do ?n[o']?t|can'?t|cant) (?:still )?(?:get|understand)(?: (?:it|that|this))?"
    r"|(?:i'?m|im|i am) (?:so |still )?(?:confused|lost)"
    # "what is the book about" (asked as all there is to ask): the notes say what they
    # are about where they begin; not "what does the book say about that?"
    r"|(?:what|wat|wot)(?:'?s| is| are| does| do)? (?:the|this|these|my|your)"
    rf" {_THE_WORK_OR_NOTES} (?:about|cover|say)(?=\W*$))\b",
    re.I,
)
OVERVIEW_WORDS = frozenset(
    stems(
        """
        summarise summarize summary summaries overview recap sum key main point points idea
        ideas gist tldr tl dr everything whole word words short brief briefly quick
        quickly simple simply few please pls plz sentence sentences paragraph line lines
        explain simpler simplify plain easy easier terms english eli5 dumb put
        make shorter shorten long get understand confused lost
        argument arguments content contents theme themes message messages
        say help
        """.split()
    )
    + stems(sorted(NOTES_WORDS))
)

# "What are the key quotations?", "quotes please": asks for the notes' quotations as a
# whole, not for one showing something.
QUOTATION_WORDS = frozenset(
    stems(
        """
        quote quotes quotation quotations key main important best good useful some few list
        all notes note please pls plz give full whole entire complete exact actual precise
        """.split()
    )
)

# A part of the text named by its number ("chapter 1", "Act 2", "stave three"): more than
# any title names.
_NAMES_A_PART = re.compile(
    r"\b(?:chapters?|acts?|scenes?|parts?|sections?|pages?|staves?|stanzas?|volumes?|papers?)"
    r"\s+(?:\d+|[ivx]+|one|two|three|four|five|six|seven|eight|nine|ten)\b",
    re.I,
)
# Words saying a request is about the notes as a whole, even after an answer.
_WHOLE_NOTES = NOTES_WORDS | {"everything", "whole"}
_ESSAY_END = re.compile(rf"\b{_ESSAY_PART}\b", re.I)


def essay_end_asked(question: str) -> str | None:
    """The part of an essay a question asks help with, "introduction" or "conclusion"
    (the first it names), or None."""
    found = _ESSAY_END.search(question)
    if not found:
        return None
    return "conclusion" if found["part"].lower() == "conclusion" else "introduction"


_WHAT_THE_WORK_IS_ABOUT = re.compile(rf"\b{_THE_WORK_OR_NOTES} (?:about|cover|say)\W*$", re.I)


def named_besides(
    question: str, request: re.Pattern[str], request_words: frozenset[str]
) -> set[str] | None:
    """The word stems a request (`request`) names besides `request_words`; None when the
    question makes no such request, or names a part of the text ("recap chapter 1")."""
    if not request.search(question) or _NAMES_A_PART.search(question):
        return None
    asked = subjects(request.sub(" ", question))  # "sumarise" is no subject
    return {
        s
        for s in stems(asked)
        if s not in request_words and not s.isdigit() and s not in NUMBER_STEMS  # "three"
    }


# Words asking for the notes' quotations as a set, even after an answer: "key quotes",
# "list the main quotations"; "Any quotes?" asks for one on what the answer said.
_ALL_QUOTATIONS = frozenset("key main important all list".split())


def asks_for_whole(question: str, request: re.Pattern[str]) -> bool:
    """Does a request ask about the notes as a whole ("summarise the notes", "key
    quotes"), whatever came before?"""
    said = set(words(question.lower()))
    return (
        bool(said & _WHOLE_NOTES)
        or (request is ASKS_FOR_QUOTATION and bool(said & _ALL_QUOTATIONS))
        # "what is the book about" after an answer asks about the book, not the answer
        or (request is ASKS_FOR_OVERVIEW and bool(_WHAT_THE_WORK_IS_ABOUT.search(question)))
        # "and a conclusion?" after an answer: on the argument of the notes as a whole,
        # not "a conclusion for that paragraph"
        or (
            request is ASKS_FOR_OVERVIEW
            and essay_end_asked(question) is not None
            and not said & DEMONSTRATIVES
        )
    )


def requests_only(question: str) -> bool:
    """Is the question a bare request for an overview or quotations ("tl;dr", "any
    quotes?"), naming nothing, and not for the notes' whole (see `asks_for_whole`)?
    After an answer, it asks about what that answer said."""
    return any(not asks_for_whole(question, request) for request in bare_requests(question))


# "Which section of the notes discusses the reunion at the end?", "where in my notes is
# that?": asks where the notes say something, with what it asks about after the frame.
_NOTES = r"(?:the|my|these|your)\s+notes"
_TALKING = r"discuss(?:es)?|covers?|talks?\s+about|mentions?|deals?\s+with|explains?"
_TALKS_OF = rf"(?:\s+(?:does|do|did)(?:\s+(?:it|they|the\s+notes))?)?\s+(?:{_TALKING})"
_DISCUSSES = (  # a section "is about" a thing, "has" or "contains" a quotation
    r"(?:\s+(?:does|do|did|is|are)(?:\s+(?:it|they|the\s+notes))?)?"
    rf"\s+(?:{_TALKING}|says?|has|holds?|contains?|quotes?|is\s+about|are\s+about|is\s+on|are\s+on)"
)
_ASKS_WHERE_IN_NOTES = re.compile(
    # "…of the notes", or saying what it discusses: not "Which part of the novel…?", nor
    # "What part is on the left side of the heart?"
    rf"\b(?:(?:which|what)\s+(?:sections?|parts?|bits?|headings?|paragraphs?)\s+(?:of|in)\s+{_NOTES}"
    rf"(?:{_DISCUSSES})?"
    rf"|(?:which|what)\s+(?:sections?|headings?|paragraphs?){_DISCUSSES}"
    rf"|(?:which|what)\s+(?:parts?|bits?){_TALKS_OF}"
    rf"|where(?:\s+exactly|\s+abouts)?\s+in\s+{_NOTES}(?:{_DISCUSSES})?"
    # "…and where is it in the notes?", "where's that in my notes"
    rf"|where(?:\s+(?:is|are)|'s|’s)(?=\s+(?:it|that|this|they|those|these)\s+in\s+{_NOTES})"
    # "which section is that in?": the pronoun stays, and leans on the answer before
    r"|(?:which|what)\s+(?:sections?|parts?|bits?|headings?|paragraphs?)\s+(?:is|are|was)"
    r"(?=\s+(?:that|this|it|they)\s+(?:in|from|under)\b))\b",
    re.I,
)


def where_in_notes_asked(question: str) -> str | None:
    """What a question asking where the notes say something asks about, the frame taken
    out ("Which section of the notes discusses the reunion at the end?" -> "the reunion
    at the end"), or None for any other question. Searched with its frame, it had been
    declined: "section", "notes" and "discusses" drew it away from every passage."""
    found = _ASKS_WHERE_IN_NOTES.search(question)
    if not found:
        return None
    rest = f"{question[: found.start()]} {question[found.end() :]}"
    # "where is it in the notes?" keeps its pronoun, to lean on the answer before, but not
    # the notes it names
    return " ".join(re.sub(rf"\b(?:in|from)\s+{_NOTES}\b", " ", rest, flags=re.I).split())


def asks_for_gist(question: str) -> bool:
    """Is the question a bare request to sum up ("tl;dr", "can you sum that up?")? After
    an answer, it asks for that answer's gist, searched by the point it told: searched by
    the question before, "tl;dr" after "How is friendship shown?" had ranked a comment
    first and answered "In short: This shows that friendship is of real importance…"."""
    return (
        ASKS_FOR_OVERVIEW in bare_requests(question)
        and not asks_for_whole(question, ASKS_FOR_OVERVIEW)
        and not ASKS_WHY.search(question)  # "i dont get it, why would she do that?"
    )


def bare_requests(question: str) -> list[re.Pattern[str]]:
    """The requests (for an overview, for quotations) the question makes, naming nothing
    else: "key quotes", "tl;dr", "summarise the notes"."""
    return [
        request
        for request, request_words in (
            (ASKS_FOR_OVERVIEW, OVERVIEW_WORDS),
            (ASKS_FOR_QUOTATION, QUOTATION_WORDS),
        )
        if named_besides(question, request, request_words) == set()
    ]


# "Analyse the language in 'I started seeking out…'", "whats the key word to analyse in
# that": asks for the notes' comment on a quotation's words (see
# `retrieve.comment_on_top_quotation`).
_LANGUAGE = r"\b(?:language|words?|phrases?|lines?|imagery|metaphors?|similes?|verbs?|adjectives?)"

# "What does Kathy's choice of donors reveal about her?", "what does that show about
# her?", "What does the word 'serpent' suggest?": asks what something in the text means,
# not what the novel says on a theme.
_WHAT_IT_SHOWS = (
    r"\bwhat (?:does|do|did|might|could|can|would) (?P<subject>[^?]{1,200}?) "
    r"(?:show|suggest|tell|reveal|imply|indicate|demonstrate|highlight|teach)s?"
    r"(?: us| the reader| readers| you)?"
)
ASKS_WHAT_IT_SHOWS = re.compile(rf"{_WHAT_IT_SHOWS}(?: about\b|\W*$)", re.I)
# "what does kathys word choice tell us when she talks about her donors": of words, it
# asks what they mean whatever follows.
ASKS_WHAT_WORDS_SHOW = re.compile(_WHAT_IT_SHOWS, re.I)
# "what does it show that kathy picks donors from hailsham?", "what does this show when
# she…": the moment after "that" or "when"
_WHAT_IT_SHOWS_THAT = re.compile(
    r"\bwhat (?:does|do|did|might|could|can|would) (?:it|this) "
    r"(?:show|suggest|tell|reveal|imply|indicate|demonstrate)s?"
    r"(?: us| the reader| readers| you)? (?:that|when)\b",
    re.I,
)
# "which word shows she's doing it on purpose?": the notes' comment on a word answers
# ("which line shows…" asks for the novel's line itself).
_ASKS_WHICH_WORDS_SHOW = re.compile(
    r"\b(?:which|what)\s+(?:\w+\s+)?(?:words?|phrases?|verbs?|adjectives?|language)\b[^?]*?"
    r"\b(?:show|suggest|tell|reveal|imply|indicate|prove|hint)s?\b",
    re.I,
)
# "analyse", or what a student says for it: "which words should I focus on / zoom in on"
_ANALYSE = (
    r"\b(?:analy[sz](?:e|es|ing|is)|focus(?:ing)?\s+on|zoom(?:ing)?\s+in(?:\s+on)?"
    r"|pick\s+out|highlight)\b"
)
# … or an exam prompt on the language itself: "Explore Ishiguro's language choices in…",
# "Examine the imagery…" (not "Explore the theme of 'friendship'", "Explore how
# Ishiguro presents… in these lines")
_EXPLORE_LANGUAGE = (
    r"\b(?:explor|examin)(?:e|es|ing)\b[^?.]*?"
    r"\b(?:language|word\s+choices?|choices?\s+of\s+words?|imagery|metaphors?|similes?)\b"
)
ASKS_TO_ANALYSE_LANGUAGE = re.compile(
    rf"{_ANALYSE}[^?.]*?(?:{_LANGUAGE}\b|\s['‘“\"]\w)|{_LANGUAGE}\b[^?.]*?{_ANALYSE}"
    rf"|{_EXPLORE_LANGUAGE}",
    re.I,
)
# Subjects that make it a question on a theme: "What does the novel suggest about memory?"
WHOLE_WORK = frozenset(
    "novel book text story play poem extract author writer novelist poet playwright".split()
)

# Who wrote the work: "who wrote never let me go", "who's the author", "who is it by".
ASKS_WHO_WROTE = re.compile(
    r"\bwho\s+(?:wrote|writes|has\s+written)\b"
    r"|\bwho(?:\s+is|\s+was|['’]?s)\s+(?:the\s+)?(?:author|writer|novelist)\b"
    r"|\bwho\s+(?:is|was)\s+(?:it|(?:this|the)(?:\s+(?:book|novel|story|text))?)"
    r"\s+(?:written\s+)?by\b",
    re.I,
)

# One person of the text telling another: "Who does Kathy tell Tommy to go to…?", "what
# does kathy say to tommy", "Kathy tells Tommy to go to someone…", "Who does Kathy suggest
# Tommy goes to…", or comforting them in words ("quote where kathy comforts tommy"). Not a
# say in something ("some say over who…"), what the notes say, or what someone says
# happens or is so.
SAID_TO = re.compile(
    r"\b(?P<speaker>[a-z]+)\s+(?:tell|tells|told|telling|say|says|said|saying"
    r"|suggest|suggests|suggested|advise|advises|advised|urge|urges|urged"
    r"|reassure|reassures|reassured|reassuring|comfort|comforts|comforted|comforting"
    r"|console|consoles|consoled|consoling)\s+"
    r"(?:to\s+)?(?P<listener>(?!(?:about|of|that|the|a|an|in|on|over|us|me|you|it|so|this|"
    r"what|how|when|why|where|happens|happened|is|was|are|were)\b)[a-z]+)\b",
    re.I,
)


def said_by(question: str) -> str | None:
    """The word naming who a question asks the words of, said to someone: "What does Kathy
    say to Tommy…?" -> "Kathy". None for "When Kathy gets some say over who…", "What do
    the notes say about Ruth?", "What does the guide suggest Ruth feels?" or "what does
    Kathy say happens when they fall out?"."""
    for found in SAID_TO.finditer(question):
        speaker = found["speaker"]
        said = speaker.lower()
        if said not in STOPWORDS and said not in NOTES_WORDS and not is_generic(said):
            return speaker
    return None


# Asking who the (main) characters are: "Who are the main characters?", "Which three
# characters does the guide focus on?", "list the main characters" (not "What do people
# think of Ruth?", "What character traits does Ruth show?", "Which character…": one).
ASKS_FOR_THE_PEOPLE = re.compile(
    r"\b(?:(?:who|which|what)\s+(?:(?:are|were)\s+)?|(?:list|name)\s+|tell\s+me\s+about\s+)"
    r"(?:all\s+)?(?:the\s+)?"
    r"(?:(?:main|key|central|major|most\s+important|important|three|two|four|other)\s+)*"
    r"(?:characters|people|protagonists)\b",
    re.I,
)
# The words of such a question that say only how it asks: "Which three characters does
# the guide focus on?" asks nothing more; "Which characters die?" asks of dying.
_ABOUT_THE_PEOPLE = frozenset(
    stems(
        """
        character characters people person persons protagonist protagonists main key central
        major important three two four other all list name tell focus discuss mention talk
        cover feature appear novel book text story play
        """.split()
    )
    + stems(sorted(NOTES_WORDS))
)


def asks_only_for_the_people(question: str) -> list[str] | None:
    """The word stems a question asking who the characters are (`ASKS_FOR_THE_PEOPLE`)
    asks of them besides ("reunit" in "which three characters are reunited?"), or None
    for any other question."""
    if not ASKS_FOR_THE_PEOPLE.search(question):
        return None
    return [s for s in stems(content_words(question)) if s not in _ABOUT_THE_PEOPLE]


ASKS_WHY = re.compile(rf"\bwhy\b|{HOW_COME.pattern}", re.I)

# Asking how something came about, as a why-question asks its reason: "How does Kathy
# end up being Ruth's carer?", "how did she come to look after Ruth", "How does Kathy
# manage to get Ruth as her donor?" (not "How do things end up between them?" nor "How
# does Kathy end up feeling?", which ask how they end, nor "come to terms with", nor
# "become" alone, which asks what she becomes as often as how).
ASKS_HOW_IT_CAME_ABOUT = re.compile(
    r"\bhow\s+(?:does|did|do|has|had|is|was)\b(?:[\s,]+[\w'’]+){1,5}?\s+"
    r"(?:end(?:s|ed)?\s+up\s+(?=as\b|\w+ing\b)"
    r"(?!(?:feel|think|react|realis|realiz|know|see|look)\w*\b)"
    r"|c[oa]me\s+(?:to(?!\s+terms\b)|about)|g[eo]t\s+to\s+be|manage[sd]?\s+to)\b",
    re.I,
)


# A quotation asked for by name, or as "which line shows…", "what line would you use",
# "which line of Kathy's narration…", "the exact line where…", "a line that shows…"
# (not "what does the line 'My heart…' show", which names one, nor "what line should my
# essay take", "a line of enquiry", "which line on the graph…", "sum her up in a line
# that I can remember").
ASKS_FOR_QUOTATION = re.compile(
    r"\bquot(?:e|es|ed|ation|ations)\b"
    r"|\b(?:which|what)\s+(?:(?:key|exact|one|best)\s+)?lines?\s+(?:shows?|showing|suggests?"
    r"|proves?|would|could|can|best|from|in\s+the|do|does|is|are|where|when)\b"
    # "which line of Kathy's narration shows…", "what line of the novel…"
    r"|\b(?:which|what)\s+lines?\s+of\s+(?:\w+['’]s\s+|her\s+|his\s+|the\s+)?"
    r"(?:narration|narrative|speech|dialogue|novel|book|text|story)\b"
    r"|\bexact\s+lines?\b"
    # someone's own words: "Kathy's actual line", "the precise words she uses" (not "some
    # precise words to describe him", "in more precise words", "the actual line of
    # argument", "the actual words of the exam question"); "the exact words of Kathy"
    r"|(?:\b\w+['’]s|\b(?:her|his|their|the))\s+(?:exact|actual|precise)\s+(?:line|words)\b"
    r"(?!\s+(?:to|for|i|you|we|of)\b)"
    r"|\bthe\s+(?:exact|actual|precise)\s+(?:line|words)\s+of\s+(?:(?-i:[A-Z])\w*|him|her|them"
    r"|the\s+(?:novel|book|text|narrator|characters?))\b"
    r"|(?<!\bin\s)(?<!\bon\s)\b(?:a|one|another)\s+(?:(?:good|short|key)\s+)?line\s+"
    r"(?:where|when|(?:that|which)(?!\s+(?:says?|tells?)\b)|showing|from\s+the)\b"
    # "prove it with her own words", "in Kathy's words" (not "in my own words", "in
    # other words", "in the notes' words", "hurt Kathy with her words", "in Ruth's words
    # and actions")
    r"|\b(?:(?:in|using)\s+(?:her|his|their|(?-i:[A-Z])\w*['’]s)\s+(?:own\s+)?"
    r"|(?:with|from)\s+(?:her|his|their|(?-i:[A-Z])\w*['’]s)\s+own\s+)words\b"
    r"(?!\s+and\b)",
    re.I,
)
# Asked to write a paragraph of an essay: "can u write me a PEE paragraph on that",
# "write a paragraph on how Ruth treats Kathy" (not "what should my first paragraph be
# about?", which points into an answer). See `answer._render`.
ASKS_FOR_PARAGRAPH = re.compile(
    r"\b(?-i:PEE|PEEL|PEA|PETAL|PEED)\b"  # the acronyms, in capitals ("peel me an orange")
    r"|\b(?:pee|peel|pea|petal|peed)\s+(?:paragraph|para|structure|format|pls|please)\b"
    # a request, not a question about paragraphs ("do i need to write a paragraph…?")
    r"|^(?!\s*(?:do|does|did|is|are|should|can i|could i|how)\b.*\?\s*$)"
    r".*\b(?:write|draft|give|make|help)\b.{0,40}\bparagraphs?\b"
    r"|\b(?:idk|i ?do ?n[o']?t know|not sure) what (?:to|i should|should i) (?:write|put|say)\b",
    re.I,
)
# The words asking for it, which say nothing of what it is to be about.
PARAGRAPH_WORDS = frozenset(
    "write writing draft paragraph paragraphs para pee peel pea petal peed".split()
)


_HELP_WITH = frozenset(
    "help para paras paragraph paragraphs conclusion conclusions intro intros introduction".split()
)


def topical(
    token_words: Sequence[str], weights: np.ndarray, counts: frozenset[str] = frozenset()
) -> np.ndarray:
    """The token weights with words that say nothing of the topic (`words.GENERIC`: "quote",
    "analyse", "novel") weighing nothing, unless nothing else is left: what answerability
    asks the top passage to match.

    "Explain the quote about the recovery centre in Dover" was declined: "quote", in no
    passage, outweighed "recovery", "centre" and "Dover", which the passage quoting the
    scene matches. Ranking keeps them: there "quote" and "treat" help more than they hurt.
    Counts of people (`counts`: "three" in "the three of them") weigh nothing either, nor
    does asking for help with a piece of writing: "why do they stay close? conclusion para
    help" was declined, "conclusion", "para" and "help" matching nothing.
    """
    kept = np.asarray(
        [
            not is_generic(w.lower()) and w.lower() not in counts and w.lower() not in _HELP_WITH
            for w in token_words
        ],
        dtype=np.float32,
    )
    return weights * kept if (weights * kept).sum() > 0 else weights


# "Explain what Kathy's word choice reveals about her", "I don't get what the Dover quote
# means": what something shows, asked indirectly, as "what does … reveal / mean" asks it
# (the quotation had been read as asked for, and came before the notes' comment on it).
# Only after a word that asks for it to be told, or says it is not understood: "What
# evidence shows…?" asks for evidence, and "I know what the Dover quote means, …" does not
# ask; nor is a clause ("Explain what Kathy says when she tells Tommy…") a subject.
_ASKED_INDIRECTLY = re.compile(
    r"\b(?P<frame>explain|describe|discuss|outline|unpack|analy[sz]e|tell\s+(?:me|us)"
    rf"|(?:{NEGATED_AUX}\s+(?:really\s+)?"
    r"(?:get|understand|know|see))|not\s+sure|wondering)\s+what\s+"
    r"(?P<subject>(?:(?!\b(?:what|how|why|does|do|did|might|could|can|would|is|are|was|were"
    r"|says?|said|tells?|told|happens?|happened|when|where|while|after|before|if|because)\b)"
    r"[^?.!]){1,200}?)\s+"
    r"(?P<verb>show|suggest|tell|reveal|indicate|demonstrate|highlight|mean|teach(?=es)|impl(?=ies))"
    r"(?:s|es|ies)\b",
    re.I,
)


def asked_directly(question: str) -> str:
    """The question with what it asks indirectly ("explain what the quote shows") put as
    a direct question ("explain what does the quote show"), for the readings below.

    Example: asked_directly("Explain what it reveals.") == "Explain what does it reveal."
    """

    def direct(found: re.Match) -> str:
        verb = found["verb"].lower()
        verb = "imply" if verb == "impl" else verb
        return f"{found['frame']} what does {found['subject']} {verb}"

    return _ASKED_INDIRECTLY.sub(direct, question)


def asks_what_it_shows(question: str) -> bool:
    """Does the question ask what something in the text shows, suggests or reveals?

    "What does Kathy picking old Hailsham students as donors tell us about her?" asks
    for the notes' comment on that moment, "What does the novel suggest about memory?"
    (or "…does Ishiguro suggest…": a name alone) for what they say on a theme; so does
    "Explain what the Dover quotation shows about Kathy" (`asked_directly`).
    """
    question = asked_directly(question)
    if _ASKS_WHICH_WORDS_SHOW.search(question) or _WHAT_IT_SHOWS_THAT.search(question):
        return True
    found = ASKS_WHAT_IT_SHOWS.search(question)
    if not found:
        found = ASKS_WHAT_WORDS_SHOW.search(question)
        if not (found and re.search(rf"{_LANGUAGE}\b", found["subject"], re.I)):
            return False
    subject = [w for w in found["subject"].split() if w.lower() not in {"the", "this", "a"}]
    names_only = len(subject) <= 2 and all(word[:1].isupper() for word in subject)
    return not (subject and (names_only or {w.lower() for w in subject} <= WHOLE_WORK))


# A quotation named by words of its own: "the Dover quote", "the Miss Jody line", "the
# heart doing a little leap line", "the Dover bit"; not "the key quote", "the best
# quotation", nor a place in the text ("the later part", "the end bit").
_QUOTATION_NAMED = re.compile(
    r"\bthe\s+(?P<name>(?:(?!(?:the|this|that|these|those)\b)[\w’'-]+\s+){0,5}?"
    r"(?!(?:the|this|that|these|those)\b)[\w’'-]+)"
    r"\s+(?:(?P<quote>quote|quotation|line)|bit|part|passage|extract)\b",
    re.I,
)
# … and typed as a search, one or two words before "quote" opening the question: "dover
# quote meaning", "seeking quote" (not "I need a quote about guilt")
_QUOTATION_SEARCHED = re.compile(
    r"^\W*+(?P<name>[\w’'-]+(?:\s+[\w’'-]+)?)\s+(?P<quote>quote|quotation|line)"
    r"(?=\W*$|\s+(?:meaning|means?|analysis|explained|explanation|significance)\b)",
    re.I,
)
_PLACES_IN_A_TEXT = frozenset(
    "opening beginning start middle early earlier later end ending final last".split()
)
_CHOSEN_AS = frozenset(
    "key main best most important good famous first second third last other next same "
    "whole long short one".split()
)
# Asked to explain a quotation it names: "explain the Dover quote", "can you analyse
# this quotation" (not "explain the key quotes": one quotation, not a choice of them).
_EXPLAINS_A_QUOTATION = re.compile(
    r"^\W*(?:(?:can|could|would)\s+(?:you|u)\s+|please\s+|pls\s+)?"
    r"(?:explain|analy[sz]e|unpack|interpret|break\s+down|talk\s+me\s+through)\s+"
    r"(?:the|this|that)\s+(?P<subject>(?:[\w’'-]+\s+){0,2}?(?:quote|quotation))\b",
    re.I,
)

# "How does that quotation work?", "why is the Dover quote so effective?": asks for the
# notes' reading of it too.
_HOW_A_QUOTATION_WORKS = re.compile(
    r"\b(?:how\s+(?:does|do)|why\s+(?:is|are))\s+(?:the|this|that|these|those)\s+"
    r"(?P<subject>(?:[\w’'-]+\s+){0,2}?(?:quotes?|quotations?))\s+"
    r"(?:work|so\s+effective|effective|so\s+powerful|powerful|important|so\s+important)\b",
    re.I,
)


def quotation_named(question: str) -> tuple[str, ...]:
    """The words a question names a quotation by ("What does the Dover quote mean?",
    "What is the point of the Dover bit?" -> ("dover",)), or () when it names none, or
    only picks one ("the key quote")."""
    found = _QUOTATION_NAMED.search(question) or _QUOTATION_SEARCHED.search(question)
    if not found:
        return ()
    named = tuple(w for w in words(found["name"]) if w not in STOPWORDS)
    if not found["quote"] and _PLACES_IN_A_TEXT & set(named):
        return ()  # "the later part of the novel" is no quotation's
    return () if not named or _CHOSEN_AS & set(named) else named


def asks_what_a_quotation_shows(question: str) -> bool:
    """Does the question name a quotation to ask what it shows or means ("What does that
    quote show about her?", "What does the seeking quote tell us about Kathy?", "…mean?",
    "explain the Dover quote")? Such a question does not ask for a quotation, unlike "give
    me a quote and what does it show"."""
    question = asked_directly(question)
    for explained in (
        _EXPLAINS_A_QUOTATION.search(question),
        _HOW_A_QUOTATION_WORKS.search(question),
    ):
        if explained and not _CHOSEN_AS & set(words(explained["subject"])):
            return True
    found = _ASKS_MEANING.search(question)
    if found and found["subject"] and ASKS_FOR_QUOTATION.search(found["subject"]):
        return True
    found = ASKS_WHAT_WORDS_SHOW.search(question)
    return (
        found is not None
        and bool(ASKS_FOR_QUOTATION.search(found["subject"]))
        and asks_what_it_shows(question)
    )


def asks_what_it_means(question: str) -> bool:
    """Does the question ask what something in the text means or shows ("What does the
    'vaulting ambition' image mean?", "what does that mean", "What does the word
    'seeking' suggest?")?"""
    return bool(_ASKS_MEANING.search(asked_directly(question))) or asks_what_it_shows(question)


_ASKS_MEANING = re.compile(
    r"\bwhat (?:does|do|did) (?P<subject>[^?]{0,200}?)\bmean\b|\bmeaning\b", re.I
)


# How a question asking who someone is opens: "who is", "who was", "who's", "whos".
WHO_IS = re.compile(r"\W*who(?:\s+(?:is|was)\b|[’']?s\b)", re.I)
