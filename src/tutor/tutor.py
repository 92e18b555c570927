"""The tutor: the one object the CLI and the app talk to.

    tutor = Tutor(load_settings())
    answer = tutor.ask("How is friendship shown in the novel?")
    print(answer.answer, [c.quote for c in answer.citations])

It keeps the index in step with the knowledge folder (indexing on first use and
whenever a notes file is added, changed or removed), retrieves, answers, verifies
every citation against the files, and suggests what to ask next.
"""

from __future__ import annotations

import dataclasses
import functools
import re
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from tutor import copies
from tutor.answer import (
    Answerer,
    Draft,
    ExtractiveAnswerer,
    asks_for_another_quotation,
    is_small_talk,
    lacks_the_quotation_asked,
    md_escape,
    quotations_listed,
    small_talk_reply,
    untold_quotation_first,
    verify_citations,
)
from tutor.asking import (
    ASKS_FOR_PARAGRAPH,
    MARKUP,
    WHOLE_WORK,
    asks_for_main_points,
    counted_points,
    essay_end_asked,
    plain_question,
    quotations_counted,
    turns_to_a_subject,
    where_in_notes_asked,
)
from tutor.config import Settings, load_settings
from tutor.conversation import (
    ANOTHER_ELSEWHERE,
    DECLINED,
    ESSAY_END_LEADS,
    HEDGE,
    NO_OTHER_QUOTATION,
    NO_QUOTATION_HERE,
    NO_QUOTATION_ON_THIS,
    NOT_SAID,
    OVERVIEW_LEAD,
    PLACE_IN_THE_NOTES,
    PLACE_IN_THE_OPENING,
    Query,
    after_preamble,
    build_query,
    chained_query,
    evidence_claim,
    listed_item_asked,
    other_pointed_at,
    points_back,
    quotation_topic,
    restated_pointer,
    turns,
    user_turns,
    without_source_lead,
)
from tutor.documents import (
    BACK_REFERENCE,
    SUPPORTED_SUFFIXES,
    holds_quotation,
    illustrates,
    is_speech,
    list_note_files,
    load_document,
    parse_document,
    sentence_spans,
    spliced_speech,
    whole_speech_sentences,
)
from tutor.errors import DocumentError, IndexDamaged, NoNotes, TutorError, UsageError
from tutor.index import (
    Progress,
    SourceEntry,
    SyncReport,
    VectorIndex,
    load_embeddings,
)
from tutor.lexical import (
    LexicalIndex,
    list_items,
)
from tutor.records import Answer, Chunk, Citation, Document, Passage
from tutor.rerank import EncodedQuery, TokenMatcher
from tutor.retrieve import (
    LEAD_IN,
    SEVERAL_FILES,
    Retrieval,
    Searches,
    asks_who_is,
    chosen_file,
    defines,
    defines_term,
    holds_run,
    named_as_in,
    names_only_a_subject,
    overview_of,
    quotations_beside,
    quotations_of,
    retrieve,
    sentence_relevance,
    term_asked,
    titled_file,
)
from tutor.words import (
    GENERIC,
    SENTENCE_LETTERS,
    letters_only,
    stems,
    subjects,
    words,
)

NOT_COVERED = f"{DECLINED} in the study notes, so I won't guess."
HISTORY_TURNS = 6  # the turns a question may lean on: the last three exchanges
POINTER_TURNS = 12  # the turns a pointer into an answer's list may reach back through
ASKED_TURNS = 200  # the turns whose questions no suggested question may ask again
QUOTATIONS_LEAD = "The quotations set out in the notes on “{title}”:"
FIRST_QUOTATIONS_LEAD = (
    "The first {shown} of the {all} quotations set out in the notes on “{title}”:"
)
# Asked for more than the notes set out ("give me 3 key quotes" where they set out two).
FEWER_QUOTATIONS_LEAD = (
    "You asked for {asked}; the notes on “{title}” set out {all} on lines of their own:"
)
KEY_QUOTATIONS = 6  # at most this many listed
# After them, when the notes quote the text inside passages of their own words too: a
# student told "the quotations set out" had taken those for all there are.
ALSO_QUOTED = (
    "The notes also quote the text inside {count} of their own passages: ask about a"
    " character or a moment to find those."
)
# Asked back when a request could be of any of several files (see `_which_file`).
SUM_UP_ASK_BACK = "Which one should I sum up?"
QUOTATIONS_ASK_BACK = "Whose quotations should I list?"
ASKS_BACK = (SUM_UP_ASK_BACK, QUOTATIONS_ASK_BACK)
# A follow-up asking the question before of another text: "And in Macbeth?"
_IN_A_TEXT = re.compile(r"\b(?:in|for|from)\b", re.I)
SUM_UP_OFFER = "Summarise {title}"  # offered for each file, as a button
QUOTATIONS_OFFER = "Key quotations from {title}"
STILL_ANSWERING = "Until it is fixed, the tutor answers from the last version it could read."
# Words a question can drop without asking anything else ("How is friendship shown in the
# novel?" asks what "how is friendship shown" does).
_FILLER = GENERIC | frozenset("a an the is are was were be been does do did in of to".split())


@dataclass(frozen=True)
class DocumentInfo:
    source: str
    title: str
    chunks: int
    indexed_at: str
    pages: int | None = None


@dataclass(frozen=True)
class Skipped:
    """A notes file that could not be used, and why (shown to the user, never fatal)."""

    source: str
    reason: str

    @property
    def unreadable_notes(self) -> bool:
        """A notes file (.txt, .md, .pdf) that could not be read, not a file of another type."""
        return Path(self.source).suffix.lower() in SUPPORTED_SUFFIXES


class Tutor:
    def __init__(
        self,
        settings: Settings | None = None,
        embeddings=None,
        answerer: Answerer | None = None,
    ):
        self.settings = settings or load_settings()
        self.embeddings = embeddings if embeddings is not None else load_embeddings(self.settings)
        self.answerer = answerer or ExtractiveAnswerer()
        self.index = VectorIndex(self.settings, self.embeddings)
        self.token_matcher = TokenMatcher.for_embeddings(self.embeddings)
        self.documents: dict[str, Document] = {}
        self.skipped: list[Skipped] = []
        self._lexical = LexicalIndex([])
        self._sections_by_source: dict[str, list[str]] = {}
        self._manifest: dict[str, SourceEntry] = {}
        self._folder_signature: tuple | None = None

    # ------------------------------------------------------------------ knowledge

    def sync(
        self, rebuild: bool = False, progress: Progress | None = None, keep_if_empty: bool = True
    ) -> SyncReport:
        """Bring the index in line with the knowledge folder; unreadable files are skipped.

        A knowledge folder that does not exist (a mistyped TUTOR_KNOWLEDGE_DIR) leaves the
        index alone: it is not an empty folder, and emptying the index would lose work.
        Nor does a folder with no notes at all, unless asked for in so many words (a
        rebuild, or `keep_if_empty` False: the last file removed in the app): it is far
        more often the wrong folder, or notes being moved, than a wish to forget everything.
        Nothing is answered from the kept index meanwhile, and the next sync with notes in
        the folder makes the index match the folder again."""
        if not self.settings.knowledge_dir.is_dir():
            self.documents, self.skipped = {}, []
            self._lexical, self._sections_by_source = LexicalIndex([]), {}
            return SyncReport()
        signature = self._signature()
        documents, skipped = [], []
        for path in list_note_files(self.settings.knowledge_dir, every_type=True):
            try:
                documents.append(load_document(path, self.settings.max_file_mb))
            except DocumentError as exc:
                skipped.append(Skipped(path.name, str(exc)))
        # A notes file that cannot be read now keeps its chunks from before: nothing is
        # lost. Its last good text is the one this tutor holds, or else the copy kept
        # beside the index (a new process: see copies.py).
        current = {d.source: d for d in documents}
        for i, skip in enumerate(skipped):
            last_good = self.documents.get(skip.source) or (
                copies.kept(self.settings.db_dir, skip.source) if skip.unreadable_notes else None
            )
            if last_good is not None:
                current[skip.source] = last_good
                skipped[i] = dataclasses.replace(skip, reason=f"{skip.reason} {STILL_ANSWERING}")
        self.skipped = skipped
        if not current and keep_if_empty and not rebuild:
            self.documents = {}
            try:
                self._reload_chunks()  # answers nothing, but leaves the index as it was
            except IndexDamaged:
                pass  # nothing worth keeping: the build below sets it aside
            else:
                self._folder_signature = signature
                kept = tuple(sorted(self._manifest))
                return SyncReport(kept=kept, set_aside=self.index.take_set_aside())

        def build(rebuild: bool) -> SyncReport:
            report = self.index.sync(list(current.values()), progress=progress, rebuild=rebuild)
            self.documents = current
            self._reload_chunks()
            copies.keep(self.settings.db_dir, current.values())
            return report

        try:
            report = build(rebuild)
        except IndexDamaged:
            # The index is derived from the notes: set the damaged one aside, build anew.
            self.index.set_aside()
            report = build(rebuild=True)
        # Damage found on opening the index, or on reading it above: said once.
        report = dataclasses.replace(report, set_aside=self.index.take_set_aside())
        self._folder_signature = signature  # only once in step: a failed sync is retried
        return report

    def ensure_ready(self, progress: Progress | None = None) -> SyncReport | None:
        """Index on first use, and again whenever the knowledge folder has changed."""
        lost = self.index.folder_replaced()
        if lost:
            self.index.reconnect()  # the index folder was deleted or rebuilt under us
        if lost or self._folder_signature is None or self._signature() != self._folder_signature:
            return self.sync(progress=progress)
        return None

    def _signature(self) -> tuple:
        return tuple(
            (p.name, p.stat().st_mtime_ns, p.stat().st_size)
            for p in list_note_files(self.settings.knowledge_dir, every_type=True)
        )

    def _reload_chunks(self) -> None:
        current = {name: d.sha256 for name, d in self.documents.items()}
        self._manifest, stored = self.index.snapshot()
        self._lexical = LexicalIndex(  # which keeps them in file order
            [c for c in stored if current.get(c.source) == c.source_sha256]
        )
        sections: dict[str, list[str]] = {}
        for chunk in self._lexical.chunks:
            sections.setdefault(chunk.source, []).append(chunk.section)
        self._sections_by_source = {s: _unique(listed) for s, listed in sections.items()}

    def add_file(self, name: str, data: bytes, progress: Progress | None = None) -> SyncReport:
        """Save an uploaded notes file into the knowledge folder and index it (the very same
        bytes as the file already there are neither written nor indexed again)."""
        name = Path(name).name
        if Path(name).suffix.lower() not in SUPPORTED_SUFFIXES:
            raise UsageError(
                f"{name}: the tutor reads {', '.join(SUPPORTED_SUFFIXES)} files; save it as "
                "plain text (.txt) or PDF (in Word: File › Save As) and add that."
            )
        if len(data) > self.settings.max_file_mb * 1024 * 1024:  # before reading it
            raise DocumentError(
                f"{name} is over the {self.settings.max_file_mb:g} MB limit per file."
            )
        parse_document(name, data)  # raises DocumentError before anything is written
        folder = self.settings.knowledge_dir
        target = folder / name
        if target.is_file() and target.read_bytes() == data:  # the very same file again
            return SyncReport(unchanged=(name,))
        folder.mkdir(parents=True, exist_ok=True)
        partial = folder / f".{name}.partial"
        partial.write_bytes(data)
        partial.replace(folder / name)
        return self.sync(progress=progress)

    def remove_document(self, name: str) -> SyncReport:
        path = self.settings.knowledge_dir / Path(name).name
        if not path.is_file():
            raise UsageError(
                f"There is no notes file called {name!r} in {self.settings.knowledge_dir}."
            )
        path.unlink()
        return self.sync(keep_if_empty=False)  # removed on purpose, even the last one

    def list_documents(self) -> list[DocumentInfo]:
        """The notes files with their chunk counts, as of the last sync."""
        manifest = self._manifest
        return [
            DocumentInfo(
                name,
                doc.title,
                manifest[name].chunks if name in manifest else 0,
                manifest[name].indexed_at if name in manifest else "",
                len(doc.page_starts) or None,
            )
            for name, doc in sorted(self.documents.items())
        ]

    # ------------------------------------------------------------------ asking

    def ask(
        self,
        question: str,
        history: Sequence[dict] = (),
        source: str | None = None,
        id: str | None = None,
    ) -> Answer:
        """Answer a question from the notes, or say plainly that they do not cover it."""
        started = time.perf_counter()
        question = check_question(question, self.settings.max_question_chars)
        self._check_ready(source)
        whole = _clean_history(history)
        asked = user_turns(whole)  # what no suggestion may ask again: the whole chat's
        # Small talk is nothing to lean on, nor takes up the turns a question may lean on:
        # "what is the book about" after "hello" had been searched as "hello what is the
        # book about", and "why?" after a question, "thanks", "ok" and "cool" declined.
        whole = _without_small_talk(whole)
        history = whole[-HISTORY_TURNS:]  # what the question may lean on
        reach = whole[-POINTER_TURNS:]  # what a pointer ("the second point") may point into
        reply = small_talk_reply(question, history)
        again = (
            not reply
            and (  # "another one" after none was left: still none
                turns(history, "assistant")[-1:] == [NO_OTHER_QUOTATION]
                and asks_for_another_quotation(question, whole)
            )
        )
        if reply or again:  # "hi", "thanks!", "why?" asking nothing before: nothing to look up
            return Answer(
                question,
                NO_OTHER_QUOTATION if again else reply,
                False,
                follow_ups=tuple(self.starters(source=source, asked=(question, *asked))),
                timings_ms=_timings(started, time.perf_counter()),
                id=id,
                reply=not again,
            )
        searches = self._searches()  # each text encoded once, however often searched
        asking = _Asking(question, whole, history, reach, asked, source, id, started)
        if answer := self._answered_otherwise(asking, searches):
            return answer
        query = build_query(question, history, self._lexical, reach)
        scoped = self._scoped(asking, query)
        if isinstance(scoped, Answer):
            return scoped
        within, query = scoped

        def search(query, within: str | None = within):
            return self._retrieve(query, within, searches)

        query, result, history = self._searched(asking, query, search)
        retrieved = time.perf_counter()
        passages = tuple(p for p in result.passages if self._is_verbatim(p))
        if not result.answerable or not passages:
            return Answer(
                question,
                self._not_covered(query, source, search),
                False,
                passages=passages,
                follow_ups=tuple(self.starters(source=source, asked=(question, *asked))),
                timings_ms=_timings(started, retrieved),
                id=id,
            )
        opening = ""
        if asks_for_another_quotation(question, whole):  # "another quote", "another one"
            found = untold_quotation_first(passages, whole, self._quotations_in(passages))
            if found is None:
                return Answer(
                    question,
                    NO_OTHER_QUOTATION,
                    False,
                    passages=passages,
                    follow_ups=tuple(self.follow_ups(question, passages, asked=asked)),
                    timings_ms=_timings(started, retrieved),
                    id=id,
                )
            first, elsewhere = found
            passages = tuple(first)
            opening = f"{ANOTHER_ELSEWHERE}\n\n" if elsewhere else ""
        relevance = (
            sentence_relevance(
                query.evidence or query.text,
                searches.spans,
                self._lexical,
                passages[0].chunk.source,
            )
            if searches.spans
            else None
        )
        draft = self.answerer.compose(
            question,
            passages,
            history,
            relevance=relevance,
            beside=self._quotations_beside(question, passages),
            goes_on=query.goes_on,
        )
        draft = verify_citations(draft, self.documents)
        if query.goes_on:
            passages, citations = led_by_what_follows(passages, draft.citations)
            draft = dataclasses.replace(draft, citations=citations)
        follow_ups = self.follow_ups(question, passages, asked=asked)
        markdown, covered = _framed(question, draft, result, self._lexical)
        return Answer(
            question,
            opening + markdown,
            bool(draft.citations) and covered,
            draft.citations,
            passages,
            tuple(follow_ups),
            _timings(started, retrieved),
            id,
        )

    def _check_ready(self, source: str | None) -> None:
        """Index on first use, and fail clearly on a file or folder that is not there."""
        self.ensure_ready()
        if source is not None and source not in self.documents:
            raise UsageError(
                f"There is no notes file called {source!r}; "
                f"choose one of: {', '.join(sorted(self.documents)) or '(none)'}."
            )
        if not self.settings.knowledge_dir.is_dir():
            raise NoNotes(
                f"The knowledge folder {self.settings.knowledge_dir} does not exist: create it "
                "and put .txt, .md or .pdf notes in it, or point TUTOR_KNOWLEDGE_DIR at your notes."
            )
        if not self._lexical.chunks:
            raise NoNotes(
                f"The knowledge folder {self.settings.knowledge_dir} has no readable notes yet: "
                "add .txt, .md or .pdf files to it."
            )

    def _answered_otherwise(self, asking: _Asking, searches: Searches) -> Answer | None:
        """The reply to a question that is not searched as it stands: a pick after the
        tutor asked which file, an earlier question asked again with a new place ("ok
        whats the second way"), a question after a preamble, a request for an overview or
        for the key quotations (or, with several files setting some out, asking whose)."""
        question, source, id, started = asking.question, asking.source, asking.id, asking.started
        history, asked = asking.history, asking.asked
        if picked := self._picked_after_ask_back(question, history):
            # "the Macbeth one" after "Which one should I sum up?": as its button would
            # be, which asks in full and needs nothing said before
            answer = self.ask(picked, (), source, id)
            return dataclasses.replace(answer, question=question)
        if other := other_pointed_at(question, asking.reach):
            # "and the other one?" after "explain the first one": the second one
            answer = self.ask(other, asking.whole, source, id)
            return dataclasses.replace(answer, question=question)
        restated = restated_pointer(question, asking.reach)
        if restated and self._asks_into_a_list(restated, source, searches):
            # "ok whats the second way" after "whats the first way ishiguro shows
            # friendship": that question again, with the new place
            answer = self.ask(restated, (), source, id)
            return dataclasses.replace(answer, question=question)
        if asked_last := (
            after_preamble(question) or without_source_lead(question) or evidence_claim(question)
        ):
            # what the student tells first is not what they ask ("…so I'm confused.
            # How does Kathy show she cares?"), when the question says it all itself; nor
            # where they say its answer is to come from ("According to the guide, …"),
            # nor that they want evidence for a claim ("What evidence shows that …")
            answer = self.ask(asked_last, asking.whole, source, id)  # cut again inside
            return dataclasses.replace(answer, question=question)
        # "whats the main theme of nlmg" asks what "what's the main theme of Never Let Me Go" does
        overview = overview_of(self._lexical.plain(question), self._lexical, source, history)
        if overview is not None:  # "summarise the notes": not about anything in them
            return self._overview(question, overview, asked, searches, started, id)
        quoted = quotations_of(question, self._lexical, source, history)
        if quoted == SEVERAL_FILES and history:  # "key quotes" after an answer: its file's
            quoted = self._file_answered_before(history) or SEVERAL_FILES
        if quoted == SEVERAL_FILES:  # ask whose, of the files setting some out
            quoting = self._quoting_files()
            if len(quoting) > 1:
                return self._which_file(
                    question,
                    QUOTATIONS_ASK_BACK,
                    QUOTATIONS_OFFER,
                    started,
                    id,
                    quoting,
                )
            quoted = quoting[0] if quoting else None
        if quoted and (listed := self._quotations(question, quoted, asked, started, id)):
            return listed  # "What are the key quotations?"
        return None

    def _scoped(self, asking: _Asking, query: Query) -> tuple[str | None, Query] | Answer:
        """The file to search and the query for it: the file the student picked; else,
        for a follow-up, a summary or key quotations after an answer, the file named or
        answered before. Or, for "key quotations" after an answer, that file's list."""
        question, history, asked = asking.question, asking.history, asking.asked
        within = asking.source
        if asking.source is None and history and len(self.documents) > 1:
            files = list(self._lexical.by_source)
            named = _text_named(question, files, self._lexical) if query.follow_up else None
            before = named and [  # the last question asking about something: not "why?"
                q for q in asked if subjects(q) and titled_file(q, files, self._lexical) is None
            ]
            if named and before:
                # "And in Macbeth?" after "How is guilt shown?" from other notes: the
                # question before (the last naming more than a title), of the file named
                within, query = named, build_query(before[-1], (), self._lexical)
            elif not named and (
                (query.follow_up and not query.focus)
                or SEVERAL_FILES
                in (overview_of(question, self._lexical), quotations_of(question, self._lexical))
            ):
                # "why?", "summarise", "key quotations" after an answer: of its file
                within = self._file_answered_before(history)
                listing = within and not query.follow_up  # not "Any quotes?" on the answer
                if (
                    listing
                    and quotations_of(question, self._lexical, within) == within
                    and (
                        listed := self._quotations(
                            question, within, asked, asking.started, asking.id
                        )
                    )
                ):
                    return listed
        return within, query

    def _searched(
        self, asking: _Asking, query: Query, search: Callable[[Query], Retrieval]
    ) -> tuple[Query, Retrieval, Sequence[dict]]:
        """The search for the question (rebuilding a damaged index, found only on
        reading), searched again where it asks for an item of a list the notes set out;
        for a follow-up only near the notes, or turning only to a subject they never
        name, the question alone; for one still not answerable, leaning on the turn two
        back. Also the history the answer leans on."""
        question, history = asking.question, asking.history
        searched_alone: Retrieval | None = None  # the question searched alone, once at most

        def alone() -> tuple[Query, Retrieval]:
            nonlocal searched_alone
            query = build_query(question, (), self._lexical)
            if searched_alone is None:
                searched_alone = search(query)
            return query, searched_alone

        try:
            result = search(query)
        except IndexDamaged:  # found only now, on reading: rebuild and search again
            self.sync(rebuild=True)
            result = search(query)
        if item := listed_item_asked(question, result.passages):
            # "whats the first way ishiguro shows friendship": that item of the notes' list
            query = dataclasses.replace(query, text=f"{item} {query.text}")
            result = search(query)
        if (
            query.follow_up
            and query.focus
            and not result.sure
            and not (result.beyond and names_only_a_subject(question, query.focus))
            and not points_back(question)  # "she" is named only in the turn before
        ):
            # The turn before may be what the notes do not cover ("Who wrote Hamlet?",
            # then "Ruth?"), or another text's: a follow-up naming its own subject may
            # still stand on its own. One pointing back ("How does she…?") may not, nor
            # one asking what the notes cannot tell of its new subject ("And Tommy?"
            # after "Who plays Kathy in the film?").
            # Clearly covered alone, it is answered so rather than as only near together.
            alone_query, alone_result = alone()
            if alone_result.sure or (alone_result.answerable and not result.answerable):
                query, result, history = alone_query, alone_result, []
        if (
            query.follow_up
            and turns_to_a_subject(question)
            and names_only_a_subject(question, query.focus)
            and not self._lexical.stem_set.intersection(query.focus)
            and result.answerable
        ):
            # It names only a new subject, and no word the notes use ("what about
            # photosynthesis?", "and the clones?" after a question on the Cottages):
            # searched with the turn before, the answer had been that turn's again, as if
            # on the new subject. It is answered as it would be asked alone: declined, or
            # hedged where the notes come near it in meaning. Not one asking something of
            # its own ("so what mattered more?"), whose words lean on the turn before.
            (query, result), history = alone(), []
        if (
            query.follow_up
            and not result.answerable
            and (chained := chained_query(question, history, self._lexical))
        ):
            # "are they friends again by the end?" after "does she ever apologise?" after
            # "How does Ruth hurt Kathy?": "they" are named two turns back
            chained_result = search(chained)
            if chained_result.answerable:
                query, result = chained, chained_result
        if not result.answerable and (topic := quotation_topic(question)):
            # "Which quotation could I use to show the students having a petty argument?":
            # the request's own words had kept it far from every sentence of the notes;
            # what it asks a quotation on decides whether they cover it (the ranking stays
            # the request's, which puts quotations first)
            on_topic = search(build_query(topic, history, self._lexical, asking.reach))
            if on_topic.answerable and not on_topic.beyond:
                result = dataclasses.replace(result, answerable=True, sure=on_topic.sure)
        return query, result, history

    def _quotations_beside(
        self, question: str, passages: tuple[Passage, ...]
    ) -> tuple[Passage, ...]:
        """The quotations the point or the evidence (from the next two passages) may
        need, the one the notes set out to illustrate the point, and for a paragraph on
        the novel's words, the notes' point around them."""
        held = {p.chunk.id for p in passages}
        needed = {
            chunk.id: chunk
            for p in passages[:3]
            for chunk in quotations_beside(p.chunk, self._lexical)
            if chunk.id not in held
        }
        top = passages[0].chunk
        at = self._lexical.position.get(top.id)
        around = self._lexical.chunks[max(at - 1, 0) : at + 2] if at is not None else []
        # a paragraph on the novel's words: the notes' point around them makes its point
        on_words = bool(ASKS_FOR_PARAGRAPH.search(question)) and top.kind == "quote"
        for chunk in around:
            if chunk.id in held:
                continue
            # the quotation set out to illustrate the point, or the point around the words
            if illustrates(top, chunk) or (on_words and chunk.kind != "quote"):
                needed[chunk.id] = chunk
        return tuple(  # not retrieved, so no retrieval score
            passage
            for passage in (Passage(chunk, 0.0) for chunk in needed.values())
            if self._is_verbatim(passage)
        )

    def _asks_into_a_list(self, question: str, source: str | None, searches: Searches) -> bool:
        """Is the question answered by an item of a list the notes set out, asked for by
        its place (`listed_item_asked`)? "and the second reason?" after "what's the first
        reason kathy leaves the cottages" is not: the notes list no reasons."""
        found = self._retrieve(build_query(question, (), self._lexical), source, searches)
        return listed_item_asked(question, found.passages) is not None

    def _retrieve(self, query: Query, within: str | None, searches: Searches) -> Retrieval:
        """Search the notes (one file's, given `within`) with every search there is."""
        return retrieve(
            query,
            searches.dense,
            self._lexical,
            self.settings.top_k,
            within,
            searches.tokens,
            searches.sentences,
            searches.spans,
        )

    def _overview(
        self,
        question: str,
        source: str,
        asked: Sequence[str],
        searches: Searches,
        started: float,
        id: str | None,
    ) -> Answer:
        """An overview of one notes file: its opening passage, where notes say what they
        are about, then what comes closest to its title, a list first ("…shows the theme
        of friendship through: …"). Asked of several files at once, which one is asked
        back."""
        if source == SEVERAL_FILES:
            return self._which_file(question, SUM_UP_ASK_BACK, SUM_UP_OFFER, started, id)
        title = self.documents[source].title or source
        ranked = retrieve(
            build_query(title, (), self._lexical),
            searches.dense,
            self._lexical,
            self.settings.top_k,
            source,
            searches.tokens,
        ).passages
        opening = self._lexical.chunks[self._lexical.by_source[source][0]]
        score = next((p.score for p in ranked if p.chunk.id == opening.id), 0.0)
        rest = [p for p in ranked if p.chunk.id != opening.id]
        rest.sort(key=lambda p: p.chunk.kind != "list")  # a list of the main points first
        # "what are the two main points?": a list of two is what is asked, before the
        # opening; asked for the main points uncounted, a list of two or more
        count = counted_points(question)
        main = asks_for_main_points(question)
        counted = [
            p
            for p in rest
            if (items := len(list_items(p.chunk))) == count or (main and not count and items > 1)
        ][:1]
        rest = [p for p in rest if p not in counted]
        # In the order the answer uses them; the opening keeps its own score (0 if it
        # was not retrieved for the title).
        ordered = (*counted, Passage(opening, score), *rest)
        passages = tuple(p for p in ordered if self._is_verbatim(p))
        retrieved = time.perf_counter()
        draft = verify_citations(self.answerer.compose(title, passages, ()), self.documents)
        part = essay_end_asked(question)  # "what should my intro say"
        lead = ESSAY_END_LEADS[part] if part else OVERVIEW_LEAD
        return Answer(
            question,
            f"{lead.format(title=md_escape(title))}\n\n{draft.markdown}",
            bool(draft.citations),
            draft.citations,
            passages,
            tuple(self.follow_ups(question, passages, asked=asked)),
            _timings(started, retrieved),
            id,
        )

    def _which_file(
        self,
        question: str,
        ask_back: str,
        asking: str,
        started: float,
        id: str | None,
        offered: Sequence[str] | None = None,
    ) -> Answer:
        """Asked of all the notes what only one file can answer ("summarise the notes"):
        ask back which (`ask_back`), offering the question (`asking`) for each title (of
        the `offered` files only, when given: no file that cannot answer it)."""
        titles = [
            d.title or d.source for d in self._docs() if offered is None or d.source in offered
        ]
        return Answer(
            question,
            "These notes cover several texts: "
            + "; ".join(f"“{title}”" for title in titles)
            + f". {ask_back} Pick one below.",
            False,
            follow_ups=tuple(asking.format(title=title) for title in titles),
            timings_ms=_timings(started, time.perf_counter()),
            id=id,
            reply=True,
        )

    def _file_answered_before(self, history: Sequence[dict]) -> str | None:
        """The notes file the answer before quotes most sentences of (answers quote the
        notes verbatim, whatever markup sets them out), or None: a refusal or a reply
        quotes none. Read from the answer, not found again from its question, which may
        have been "the second one" or a button's words."""
        answered = turns(history, "assistant")
        said = letters_only(answered[-1]) if answered else ""
        if not said:
            return None
        quoted = {
            source: sum(
                key in said for i in members for key in _sentence_keys(self._lexical.chunks[i].text)
            )
            for source, members in self._lexical.by_source.items()
        }
        source, count = max(quoted.items(), key=lambda item: item[1])
        return source if count else None

    def _picked_after_ask_back(self, question: str, history: Sequence[dict]) -> str | None:
        """The offer (of those the answer before made, asking which file) that this reply
        picks by name or place ("the Macbeth one", "the second"), as its button says it;
        None when the reply picks none."""
        answered = turns(history, "assistant")
        asked_back = next((a for a in ASKS_BACK if answered and a in answered[-1]), None)
        if asked_back is None:
            return None
        offer, offered = (
            (QUOTATIONS_OFFER, self._quoting_files())
            if asked_back == QUOTATIONS_ASK_BACK
            else (SUM_UP_OFFER, [d.source for d in self._docs()])
        )
        chosen = chosen_file(question, offered, self._lexical)
        return offer.format(title=self.documents[chosen].title or chosen) if chosen else None

    def _quoting_files(self) -> list[str]:
        """The notes files that set out quotations on lines of their own."""
        return [d.source for d in self._docs() if self._set_out_quotations(d.source)]

    def _quotations(
        self, question: str, source: str, asked: Sequence[str], started: float, id: str | None
    ) -> Answer | None:
        """The quotations one notes file sets out, in its order (at most KEY_QUOTATIONS);
        None when it sets out none, and the question is answered as any other."""
        set_out = self._set_out_quotations(source)
        # "give me 3 key quotes": three at most. "give me one quote" is "a quote", and
        # lists them all, as it did: the notes' order is no ranking to pick one by.
        asked_for = quotations_counted(question)
        shown = min(KEY_QUOTATIONS, asked_for if asked_for and asked_for > 1 else KEY_QUOTATIONS)
        passages = [p for p in set_out[:shown] if self._is_verbatim(p)]
        if not passages:
            return None
        draft = verify_citations(quotations_listed(passages), self.documents)
        title = md_escape(self.documents[source].title or source)
        lead = QUOTATIONS_LEAD.format(title=title)
        if asked_for and asked_for > len(set_out) == len(passages):  # had listed two, silent
            wanted, listed = (_counted_quotations(n) for n in (asked_for, len(set_out)))
            lead = FEWER_QUOTATIONS_LEAD.format(asked=wanted, all=listed, title=title)
        elif len(set_out) > len(passages):  # "The first six of the eight quotations…"
            lead = FIRST_QUOTATIONS_LEAD.format(shown=len(passages), all=len(set_out), title=title)
        markdown = f"{lead}\n\n{draft.markdown}"
        if within := self._quoting_within(source):
            count = "one" if within == 1 else str(within)
            markdown += f"\n\n{ALSO_QUOTED.format(count=count)}"
        return Answer(
            question,
            markdown,
            bool(draft.citations),
            draft.citations,
            tuple(passages),
            tuple(self.follow_ups(question, passages, asked=asked)),
            _timings(started, time.perf_counter()),
            id,
        )

    def _set_out_quotations(self, source: str) -> list[Passage]:
        """The quotations a notes file sets out on lines of their own, in its order. Not
        retrieved, so with no retrieval score."""
        return [Passage(c, 0.0) for c in self._lexical.chunks_of(source) if c.kind == "quote"]

    def _quoting_within(self, source: str) -> int:
        """How many passages of a notes file quote the text among their own words."""
        return sum(
            c.kind != "quote" and holds_quotation(c) for c in self._lexical.chunks_of(source)
        )

    def _quotations_in(self, passages: Sequence[Passage]) -> list[tuple[Passage, ...]]:
        """The passages quoting the text in the top passage's file, but those given, in
        the notes' order, each with the passage after it when that one reads it ("Kathy’s
        use of the word seeking suggests…" after "… I started seeking out…"). Not
        retrieved, so with no retrieval score."""
        given = {p.chunk.id for p in passages}
        lexical = self._lexical
        found = []
        for chunk in lexical.chunks_of(passages[0].chunk.source):
            quotation = Passage(chunk, 0.0)
            if chunk.id in given or not holds_quotation(chunk) or not self._is_verbatim(quotation):
                continue
            after, how = lexical.leaning.get(lexical.position[chunk.id], (0, None))
            reading = Passage(lexical.chunks[after], 0.0) if how == "comment" else None
            if reading and reading.chunk.id not in given and self._is_verbatim(reading):
                found.append((quotation, reading))
            else:
                found.append((quotation,))
        return found

    def _not_covered(self, query, source: str | None, search) -> str:
        """Say the notes do not cover it; when answers were limited to one file that does
        not, but another file does, say which, so "not in the notes" is never misleading."""
        if source is None or len(self.documents) < 2:
            return NOT_COVERED
        wider = search(query, None)
        if not (wider.answerable and wider.passages):
            return NOT_COVERED
        other = wider.passages[0].chunk.source
        if other == source:
            return NOT_COVERED
        covers = "covers it" if wider.sure else "may cover it"  # near, not clearly on it
        return (
            f"{DECLINED} in {source}, the notes you chose to answer from, so I won't "
            f"guess. {other} {covers}: ask again from all the notes to see what it says."
        )

    def _searches(self) -> Searches:
        """The dense search, the token matching (of passages, and of sentences inside one
        passage) and the closest bare sentence, for one question. The query is encoded
        once however often they run, in one model pass for all when the model allows."""
        matcher = self.token_matcher

        @functools.cache
        def encode(text: str) -> EncodedQuery:
            return matcher.encode_query(text)

        @functools.cache
        def vector(text: str) -> list[float]:
            return encode(text).vector if matcher else self.embeddings.embed_query(text)

        def dense(text: str, k: int, source: str | None) -> list[tuple[Chunk, float]]:
            return self.index.search(vector(text), k, source)

        def tokens(text: str, chunks: Sequence[Chunk]):
            query = encode(text)
            return matcher.best_matches(query, chunks), query.words

        def spans(text: str, chunk: Chunk, sentences: Sequence[tuple[int, int]]):
            query = encode(text)
            return matcher.span_matches(query, chunk, sentences), query.words

        def sentences(text: str, chunks: Sequence[Chunk]) -> float:
            return matcher.closest_sentence(encode(text), chunks)

        if not matcher:
            return Searches(dense)
        return Searches(dense, tokens, spans, sentences)

    def _is_verbatim(self, passage: Passage) -> bool:
        chunk = passage.chunk
        document = self.documents.get(chunk.source)
        return document is not None and document.text[chunk.start : chunk.end] == chunk.text

    # ------------------------------------------------------------------ suggestions

    def starters(
        self, limit: int = 4, source: str | None = None, asked: Sequence[str] = ()
    ) -> list[str]:
        """Questions the notes (or one notes file) answer, from their own headings (new
        notes bring new ones), but none the student has `asked` already."""
        per_document = [
            _heading_questions(d, self._sections(d.source))
            for d in self._docs()
            if source in (None, d.source)
        ]
        ordered = [q for group in _interleave(per_document) for q in group]
        repeats = self._asks_again(asked)
        return [q for q in _unique(ordered) if not repeats(q)][:limit]

    def follow_ups(
        self,
        question: str,
        passages: Sequence[Passage],
        limit: int = 3,
        asked: Sequence[str] = (),
    ) -> list[str]:
        """Questions on the sections next to the answer's, skipping the one just answered
        and any the student has `asked` already."""
        answered = passages[0].chunk.section if passages else None
        sections = _unique(
            [p.chunk.section for p in passages[1:] if p.chunk.source == passages[0].chunk.source]
            + self._sections(passages[0].chunk.source if passages else None)
        )
        document = self.documents.get(passages[0].chunk.source) if passages else None
        candidates = [q for s in sections if s != answered for q in _section_questions(s, document)]
        repeats = self._asks_again((question, *asked))
        return [q for q in _unique(candidates) if not repeats(q)][:limit]

    def _asks_again(self, asked: Sequence[str]) -> Callable[[str], bool]:
        """Does a suggested question ask again what one of `asked` did? The same words in
        the same order, once spelling is corrected and filler ("is", "the") and words
        such as "novel" are dropped: "How is friendship shown in the novel?" after "how
        is frendship shwon", but not "Does Kathy betray Ruth?" after "Does Ruth betray
        Kathy?", nor "Why…" after "How…", nor "…not forgive…" after "…forgive…". Nor does
        "in Never Let Me Go" (the set text a title names after "in", of two words or
        more) count, as "in the novel" does not: "how is frendship shown in never let
        me go" had been offered "How is friendship shown in the novel?"."""
        works = {
            tuple(named)
            for d in self.documents.values()
            if (at := re.search(r"\bin\s+(.+)$", d.title)) and len(named := words(at[1])) > 1
        }

        def gist(text: str) -> tuple[str, ...]:
            said = words(self._lexical.correct(text))
            for work in works:  # "in never let me go": the text every question is about
                for at in range(len(said) - len(work), -1, -1):
                    if tuple(said[at : at + len(work)]) == work:
                        del said[at : at + len(work)]
            return tuple(stems([w for w in said if w not in _FILLER]))

        gists = {g for g in map(gist, asked) if g}
        return lambda question: gist(question) in gists

    def _docs(self) -> list[Document]:
        return [self.documents[name] for name in sorted(self.documents)]

    def _sections(self, source: str | None) -> list[str]:
        """The heading paths of a notes file, in document order."""
        return self._sections_by_source.get(source, [])


# ---------------------------------------------------------------------- helpers


def check_question(question: object, limit: int) -> str:
    """The question with its whitespace tidied, or a UsageError saying what is wrong.

    Characters that are not text (a lone surrogate from a broken encoding) become "?".
    """
    if not isinstance(question, str):
        raise UsageError(f"The question must be text, not {type(question).__name__}.")
    if not question.strip():
        raise UsageError("The question is empty: type a question about the notes.")
    unmarked = MARKUP.sub(" ", question)
    if not unmarked.strip():
        raise UsageError("The question is only markup, with no words: type a question in words.")
    if not re.search(r"[^\W_]", unmarked):  # "😀🎉", "???", control codes
        raise UsageError(
            "The question has no words, only symbols or emoji: type a question in words."
        )
    question = " ".join(_text(question).split())
    if len(question) > limit:
        raise UsageError(
            f"The question is {len(question):,} characters long; the limit is "
            f"{limit:,}. Ask about one point at a time."
        )
    return question


def _text(value: str) -> str:
    return value.encode("utf-8", "replace").decode("utf-8")


@dataclasses.dataclass(frozen=True)
class _Asking:
    """One question as `Tutor.ask` received it, with the chat it was asked in."""

    question: str
    whole: Sequence[dict]  # the chat, small talk left out
    history: Sequence[dict]  # the turns the question may lean on
    reach: Sequence[dict]  # the turns a pointer ("the second point") may point into
    asked: list[str]  # every question of the chat, which no suggestion may ask again
    source: str | None
    id: str | None
    started: float


def _framed(
    question: str, draft: Draft, result: Retrieval, lexical: LexicalIndex
) -> tuple[str, bool]:
    """The answer's text with what it must say first: that the notes may not answer the
    question directly (only near it), that no quotation is on its subject, or that they
    do not say who someone is or what a word is (`NOT_SAID`); one of those at most, the
    hedge first: what is only near the question is no place to look for a quotation on
    it. Before it, where in the notes the passage quoted first is, when that was asked.

    Also: do the notes cover the question? Not when they do not say who or what was
    asked about and never speak of it in their own words either, only quoting the novel
    naming it ("…take it to Miss Jody.") or not naming it at all ("what are donations"):
    the answer still shows what they say, as an answer they do not have."""
    markdown, covered = draft.markdown, True
    if draft.citations and not result.sure:  # near the question, not clearly on it
        markdown = f"{HEDGE}\n\n{markdown}"
    elif (
        draft.citations
        and result.quotes_elsewhere
        and not markdown.startswith(NO_QUOTATION_ON_THIS)
    ):
        markdown = f"{NO_QUOTATION_ON_THIS}\n\n{markdown}"
    elif lacks_the_quotation_asked(question, draft):
        markdown = f"{NO_QUOTATION_HERE}\n\n{markdown}"
    elif unsaid := _not_said(question, draft, lexical.names):
        what, asked_about = unsaid
        markdown = f"{NOT_SAID.format(what=what)}\n\n{markdown}"
        source = draft.citations[0].passage.chunk.source
        notes = (lexical.chunks[at] for at in lexical.by_source.get(source, ()))
        covered = _spoken_of(asked_about, notes)
    if (
        draft.citations
        and result.sure
        and where_in_notes_asked(plain_question(question)) is not None
    ):
        # where the passage quoted first is, which may not be the best one found
        markdown = f"{_place_in_the_notes(draft.citations[0].passage.chunk)}\n\n{markdown}"
    return markdown, covered


def _spoken_of(asked_about: tuple[str, ...], chunks: Iterable[Chunk]) -> bool:
    """Do the notes name these words in their own words: in a heading, or in a sentence
    outside what it quotes? "Kathy", "the veterans", "Soho" ("Soho looks "like a district…"")
    and "Want" (a section "Ignorance and Want") they do; "Miss Jody" only in Kathy's
    words to Tommy, spliced into a sentence of theirs."""
    first = asked_about[0].split("'")[0]  # cheap first: passages holding the word at all
    for chunk in chunks:
        if holds_run(asked_about, chunk.section):
            return True
        if chunk.kind == "quote" or first not in chunk.text.lower():
            continue
        for start, end in whole_speech_sentences(chunk.text):
            if holds_run(asked_about, _own_words(chunk.text[start:end])):
                return True
    return False


# What a sentence quotes: runs in quotation marks (an apostrophe inside a word, "It’s",
# closes none).
_QUOTED = re.compile(r"“[^”]*”|\"[^\"]*\"|‘(?:[^’]|’(?=\w))*’|(?<!\w)'(?:[^']|'(?=\w))*'(?!\w)")


def _own_words(sentence: str) -> str:
    """The notes' own words in a sentence: none in a speech (opening with a quotation
    mark, closed by an attribution), the words before a speech spliced in, and no run in
    quotation marks."""
    if is_speech(sentence):
        return ""
    if (at := spliced_speech(sentence)) is not None:
        sentence = sentence[:at]
    return _QUOTED.sub(" ", sentence)


def _not_said(
    question: str, draft: Draft, names: frozenset[str] = frozenset()
) -> tuple[str, tuple[str, ...]] | None:
    """What a question asking who someone is, or what something is or means, asks ("who
    Miss Jody is", "what the veterans are", "what “amicable” means"), when the passages
    the answer cites name it but none says it (`defines`, `defines_term`), or, for a
    word, do not name it at all: notes may name someone only in a quotation ("…take it
    to Miss Jody"), or use a word in passing ("one of the veterans") without saying what
    it is. Markdown-escaped, as it is shown; with the words asked about."""
    asked = plain_question(question)
    cited = [c.passage.chunk for c in draft.citations]
    if not cited:
        return None
    if name := asks_who_is(asked, names):  # `names`: "who is jody in the book"
        if any(defines(chunk.text, name) for chunk in cited):
            return None
        named = next(filter(None, (named_as_in(chunk.text, name) for chunk in cited)), None)
        verb = "was" if re.match(rf"\W*{LEAD_IN}who\s+was\b", asked, re.I) else "is"
        return (f"who {md_escape(named)} {verb}", (name.lower(),)) if named else None
    # "What are the donations in Never Let Me Go?" asks what the donations are: the work
    # its notes are on (named in their title) is no part of the term
    titled = set(stems(words(" ".join(chunk.title for chunk in cited)))) | _THE_WORK
    asked = _IN_A_WORK.sub(
        lambda found: found["end"] if set(stems(words(found["work"]))) <= titled else found[0],
        asked,
    )
    if not (term := term_asked(asked)):
        return None
    asks, verb, said = term
    wanted = tuple(subjects(said))
    if not wanted:
        return None
    if not any(holds_run(wanted, chunk.text) for chunk in cited):
        # Named in no form at all, they do not say: "what are the donations" had been
        # answered, unhedged, by passages on "donors". In another form ("carers"), a
        # passage may say it in words not read here.
        named = set(stems(list(wanted)))
        if any(named & set(stems(words(f"{c.section} {c.text}"))) for c in cited):
            return None
    elif any(defines_term(chunk.text, said, chunk.section) for chunk in cited):
        return None
    if verb == "means":
        return f"what “{md_escape(said)}” means", wanted
    return f"{asks} {md_escape(said)} {verb}", wanted


# A work named after what a question asks: "… in Never Let Me Go?", "… in the novel?"
_IN_A_WORK = re.compile(
    r"(?<!\s)\s+(?:in|from)\s+(?P<work>(?!(?:in|from)\b)[\w’']+"
    r"(?:\s+(?!(?:in|from)\b)[\w’']+){0,5}?)(?P<end>\W*)$",
    re.I,
)
_THE_WORK = frozenset(stems(["the", "this", *WHOLE_WORK]))


def _counted_quotations(count: int) -> str:
    """ "one quotation", "3 quotations"."""
    return "one quotation" if count == 1 else f"{count} quotations"


def _place_in_the_notes(chunk: Chunk) -> str:
    """Where in its notes file a passage is: "In “Friendship in Never Let Me Go” this is
    under “The way Kathy, Ruth and Tommy are reunited… › How does Kazuo Ishiguro show
    this?”:", for a question asking which section says something."""
    title = md_escape(chunk.title or chunk.source)
    if not chunk.section or chunk.section == chunk.title:
        return PLACE_IN_THE_OPENING.format(title=title)
    return PLACE_IN_THE_NOTES.format(title=title, section=md_escape(chunk.section))


def led_by_what_follows(
    passages: tuple[Passage, ...], citations: tuple[Citation, ...]
) -> tuple[tuple[Passage, ...], tuple[Citation, ...]]:
    """The passages, the one an answer to "what happens next?" goes on from first, and
    the citations, each of that passage showing it as listed.

    Retrieval ranks the passage the turn before told first and the one set out after it
    second (`retrieve.with_what_follows`); when the told sentence ended its passage, the
    answer's point is the next passage, and that is the best passage for what is asked
    now: "And who does she meet up with again after that?" after the Dover reunion is
    answered by "Later when Kathy meets Tommy…", which must not come second to the Dover
    quotation in the passages shown. It scores as the top one, so scores stay in order,
    and its citations show that score too."""
    if not citations or not passages:
        return passages, citations
    lead = citations[0].passage.chunk
    if lead.id == passages[0].chunk.id or all(p.chunk.id != lead.id for p in passages):
        return passages, citations
    first = Passage(lead, passages[0].score)
    rest = (p for p in passages if p.chunk.id != lead.id)
    return (first, *rest), tuple(
        dataclasses.replace(c, passage=first) if c.passage.chunk.id == lead.id else c
        for c in citations
    )


def _timings(started: float, retrieved: float) -> dict[str, float]:
    done = time.perf_counter()
    return {
        "retrieve": (retrieved - started) * 1000,
        "answer": (done - retrieved) * 1000,
        "total": (done - started) * 1000,
    }


def _without_small_talk(history: Sequence[dict]) -> list[dict]:
    """The history without each message that is only small talk ("hello", "ok thanks")
    and the reply to it."""
    kept: list[dict] = []
    skipping = False
    for turn in history:
        if turn["role"] == "user":
            skipping = is_small_talk(turn["content"])
        if not skipping:
            kept.append(turn)
    return kept


def _clean_history(history: Sequence[dict]) -> list[dict]:
    """The chat's last ASKED_TURNS turns, each checked and cut to 2,000 characters."""
    if history is None:
        return []
    if not isinstance(history, list | tuple):
        raise UsageError(
            'The history must be a list of turns, [{"role": "user", "content": "…"}, …], '
            f"not {type(history).__name__}."
        )
    cleaned = []
    for turn in history[-ASKED_TURNS:]:
        if not isinstance(turn, dict) or turn.get("role") not in ("user", "assistant"):
            raise UsageError(
                'Each history turn must be {"role": "user"|"assistant", "content": "…"}.'
            )
        content = turn.get("content") or ""
        if not isinstance(content, str):
            raise UsageError(f"A history turn's content must be text, not {content!r}.")
        cleaned.append({"role": turn["role"], "content": _text(content)[:2000]})
    return cleaned


def _heading_questions(document: Document, sections: list[str]) -> list[str]:
    # Top-level headings first: they are the notes' own big questions.
    ranked = sorted(sections, key=lambda s: s.count(" › "))
    questions = [q for section in ranked for q in _section_questions(section, document)]
    return _unique(questions) or [f"What do the notes say about {document.title}?"]


def _section_questions(section: str, document: Document | None) -> list[str]:
    """Turn a heading path into a question a student could ask.

    "X › How does Kazuo Ishiguro show this?" -> "How does Kazuo Ishiguro show x?"
    "How is the theme of friendship shown in the novel?" -> "How is friendship shown in the novel?"
    """
    parts = section.split(" › ")
    last = parts[-1]
    if document is not None and section == document.title:
        return []
    if last.endswith("?"):
        if BACK_REFERENCE.search(last):
            if len(parts) == 1:
                # "Where does it happen?" with no heading above it: what "it" is, is
                # unsaid. "Why is it important that Kathy remembers?" says it after.
                return [last] if _ANTICIPATORY_IT.search(last) else []
            subject = _lower_first(parts[-2].rstrip("?.:"), document)
            return [BACK_REFERENCE.sub(subject, last, count=1)]
        return [re.sub(r"\bthe (theme|idea|topic) of ", "", last, flags=re.I)]
    topic = re.sub(r"\s*:\s+", ", ", last.rstrip(".:"))  # "Utterson: the…" -> "Utterson, the…"
    return [f"What do the notes say about {_lower_first(topic, document)}?"]


_ANTICIPATORY_IT = re.compile(
    r"\b(?:it\s+(?:is|was)|(?:is|was)\s+it|it['’]s)\b.*\b(?:that|to|whether)\b", re.I
)


def _lower_first(phrase: str, document: Document | None) -> str:
    """Lower-case the first word unless it is a name. A word the notes also use in lower
    case is not one ("The way…"); nor is one they capitalise only where it comes first,
    as a heading's first word ("Objects and memory", "Exam tip"). A name is capitalised
    inside sentences too ("Kathy’s determination…": "…the way Kathy, Ruth and Tommy…").

    Example: "Objects and memory" -> "objects and memory"; "Kathy as a narrator" stays.
    """
    first = re.sub(r"[^\w’'-]+$", "", phrase.split(" ", 1)[0])  # "Utterson:" -> "Utterson"
    if document is None or not first[:1].isupper():
        return phrase
    return phrase if _is_name(first, document) else phrase[:1].lower() + phrase[1:]


_NAMES: dict[tuple[str, str], bool] = {}  # (file version, word) -> is it a name?


def _is_name(word: str, document: Document) -> bool:
    """Remembered per file version: suggestions are made from every heading for every
    answer, and each test reads the whole notes file."""
    key = (document.sha256, word)
    if key not in _NAMES:
        if len(_NAMES) > 4096:
            _NAMES.clear()
        base = re.sub(r"[’']s$", "", word)
        _NAMES[key] = not re.search(
            rf"\b{re.escape(word.lower())}\b", document.text
        ) and _named_mid_sentence(base, document.text)
    return _NAMES[key]


def _named_mid_sentence(word: str, text: str) -> bool:
    """Does `text` use `word`, capitalised, other than at the start of a line or sentence?"""
    for match in re.finditer(rf"\b{re.escape(word)}\b", text):
        before = text[max(match.start() - 8, 0) : match.start()].rstrip(" \t\"“‘'(*_")
        if before and not before.endswith(("\n", ".", "!", "?", ":", "•", "-", "#", ">", "|")):
            return True
    return False


def _interleave(groups: list[list[str]]) -> list[list[str]]:
    longest = max((len(g) for g in groups), default=0)
    return [[g[i] for g in groups if i < len(g)] for i in range(longest)]


def _unique(items: Sequence[str]) -> list[str]:
    seen, result = set(), []
    for item in items:
        key = _normal(item)
        if item and key not in seen:
            seen.add(key)
            result.append(item)
    return result


def _text_named(question: str, files: Sequence[str], lexical: LexicalIndex) -> str | None:
    """The file a follow-up names as the text to ask the question before of: "And in
    Macbeth?", "what about in Jekyll and Hyde?"; not "What about friendship in the novel?"
    (it asks about friendship) nor "And friendship?"."""
    place = _IN_A_TEXT.search(question)
    if place is None or subjects(question[: place.start()]):
        return None
    return titled_file(question[place.end() :], files, lexical)


@functools.lru_cache(maxsize=65536)
def _sentence_keys(text: str) -> tuple[str, ...]:
    """A passage's sentences of SENTENCE_LETTERS letters or more, as `letters_only` gives
    them: worked out once per passage, not for every follow-up."""
    keys = (letters_only(text[start:end]) for start, end in sentence_spans(text))
    return tuple(key for key in keys if len(key) >= SENTENCE_LETTERS)


def _normal(text: str) -> str:
    return " ".join(re.sub(r"[^\w\s]", "", text.lower().replace("’", "'")).split())


__all__ = ["DocumentInfo", "Skipped", "Tutor", "TutorError"]
