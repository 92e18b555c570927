"""The `tutor` command: the JSON contract, JSONL batches, eval, and exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tutor.answer import SUGGESTIONS_AFTER
from tutor.cli import main

ANSWER_KEYS = {
    "id",
    "question",
    "answer",
    "answerable",
    "citations",
    "passages",
    "follow_ups",
    "timings_ms",
}
CITATION_KEYS = {"n", "source", "section", "text", "quote", "start", "end", "score"}
PASSAGE_KEYS = {"source", "section", "text", "start", "end", "score"}


@pytest.fixture
def cli_env(settings, embeddings):
    """Settings are already in the environment (see conftest); the model is warm."""
    return settings


def test_ask_json_follows_the_contract(cli_env, knowledge, capsys):
    assert main(["ask", "--json", "How is friendship shown in the novel?"]) == 0
    answer = json.loads(capsys.readouterr().out)
    assert set(answer) == ANSWER_KEYS
    assert answer["answerable"] is True
    assert answer["citations"] and answer["passages"]
    source = (knowledge / answer["citations"][0]["source"]).read_text(encoding="utf-8")
    for citation in answer["citations"]:
        assert set(citation) == CITATION_KEYS
        assert source[citation["start"] : citation["end"]] == citation["text"]
        assert citation["quote"] in citation["text"]
        assert f"[{citation['n']}]" in answer["answer"]
    for passage in answer["passages"]:
        assert set(passage) == PASSAGE_KEYS
        assert source[passage["start"] : passage["end"]] == passage["text"]
    scores = [p["score"] for p in answer["passages"]]
    assert scores == sorted(scores, reverse=True)
    assert set(answer["timings_ms"]) == {"retrieve", "answer", "total"}


def test_a_greeting_is_answered_in_kind_with_questions_to_pick(cli_env, capsys):
    assert main(["ask", "hi"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Hello!") and "\n  - How is friendship shown in the novel?" in out
    assert SUGGESTIONS_AFTER[False] not in out  # the reply says itself to pick one


def test_ask_prints_a_readable_answer_with_numbered_sources(cli_env, capsys):
    assert main(["ask", "Where does Kathy see Ruth again?"]) == 0
    out = capsys.readouterr().out
    assert "recovery centre in Dover" in out
    assert "Sources:" in out and "[1] friendship-in-never-let-me-go.txt" in out


def test_the_terminal_answer_reads_as_the_notes_do_not_as_escaped_markdown(
    cli_env, knowledge, capsys
):
    """The answer's markdown escapes the notes' own characters (so the app shows them as
    text); a terminal has no markdown, so it must show them as written."""
    sentence = "Kathy & Tommy share a *secret* at Hailsham_School: <b>#1</b> | 50% > $5."
    (knowledge / "notes.txt").write_text(f"Secrets\n\n{sentence}\n", encoding="utf-8")
    assert main(["ask", "--source", "notes.txt", "What secret do Kathy and Tommy share?"]) == 0
    out = capsys.readouterr().out
    body = out.split("\nSources:", 1)[0]
    assert f"{sentence} [1]" in body
    assert "\\" not in body and "&amp;" not in body and "&gt;" not in body


def test_the_terminal_shows_markdown_notes_without_their_syntax(cli_env, knowledge, capsys):
    """In a .md file "**" and "> " are markdown, not the teacher's words: neither the answer
    nor its sources show them."""
    notes = "# Secrets\n\n> Kathy and Tommy share a **secret** at *Hailsham*.\n"
    (knowledge / "notes.md").write_text(notes, encoding="utf-8")
    assert main(["ask", "--source", "notes.md", "What secret do Kathy and Tommy share?"]) == 0
    body, sources = capsys.readouterr().out.split("\nSources:", 1)
    assert "Kathy and Tommy share a secret at Hailsham. [1]" in body
    assert "“Kathy and Tommy share a secret at Hailsham.”" in sources
    assert "*" not in body + sources and ">" not in sources
    # The answer sets the quotation out as a quotation, "> " its own mark, once.
    assert body.count(">") == 1 and "\n> Kathy and Tommy share a secret" in body


def test_the_terminal_sources_keep_a_list_s_items_on_lines_of_their_own(cli_env, capsys):
    assert main(["ask", "How is friendship shown in the novel?"]) == 0
    sources = capsys.readouterr().out.split("\nSources:", 1)[1]
    assert (
        "shows the theme of friendship through:\n"
        "       • Kathy’s determination to be a carer for past Hailsham students\n"
        "       • the way Kathy, Ruth and Tommy are reunited near the end of the novel”"
    ) in sources


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["ask", ""], "empty"),
        (["ask", "   "], "empty"),
        (["ask", "<div><br/></div>"], "only markup"),
        (["ask", "😀🎉🔥 ???"], "no words"),
        (["ask", "\x01\x02\u200b"], "no words"),
        (["ask", "x" * 10_000], "characters long"),
        (["ask"], "Give a question"),
        (["ask", "--source", "nope.txt", "How is friendship shown?"], "no notes file called"),
    ],
)
def test_usage_errors_exit_2_with_a_message(cli_env, capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_ingest_reports_files_chunks_and_seconds(cli_env, capsys):
    assert main(["ingest"]) == 0
    first = capsys.readouterr().out
    assert "1 added" in first and "chunks embedded in" in first
    assert main(["ingest"]) == 0
    assert "1 unchanged" in capsys.readouterr().out and main(["ingest", "--rebuild"]) == 0
    rebuilt = capsys.readouterr().out
    assert "(full rebuild)" in rebuilt and "added" not in rebuilt  # not "1 added" again


def test_ingest_of_an_empty_folder_exits_2_and_keeps_what_was_indexed(cli_env, knowledge, capsys):
    assert main(["ingest"]) == 0
    names = sorted(path.name for path in knowledge.iterdir())
    for path in knowledge.iterdir():
        path.unlink()
    capsys.readouterr()
    assert main(["ingest"]) == 2
    told = capsys.readouterr().err
    assert "no readable notes" in told and "add .txt, .md or .pdf" in told
    assert f"the index still holds {', '.join(names)} from before" in told
    assert "tutor ingest --rebuild to empty it" in told
    assert main(["ingest", "--rebuild"]) == 0  # as it says: the index is emptied, on purpose
    told = capsys.readouterr().err
    assert "the index is now empty" in told and "still holds" not in told
    assert main(["ingest"]) == 2  # and an empty folder is still worth a word next time


def test_ctrl_c_during_ingest_says_nothing_is_lost(cli_env, monkeypatch, capsys):
    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr("tutor.tutor.Tutor.sync", interrupted)
    assert main(["ingest", "--rebuild"]) == 130
    assert "stopped. Nothing indexed is lost" in capsys.readouterr().err


def test_eval_prints_every_figure(cli_env, tmp_path, capsys):
    labelled = tmp_path / "set.jsonl"
    labelled.write_text(
        json.dumps(
            {
                "id": "a",
                "question": "Where does Kathy see Ruth again?",
                "gold": ["Dover"],
                "in_scope": True,
            }
        )
        + "\n"
        + json.dumps({"id": "b", "question": "Who wrote Hamlet?", "gold": [], "in_scope": False})
        + "\n",
        encoding="utf-8",
    )
    assert main(["eval", "--json", str(labelled)]) == 0
    figures = json.loads(capsys.readouterr().out)
    for name in (
        "hit@1",
        "hit@3",
        "mrr",
        "answered_in_scope",
        "abstained_out_of_scope",
        "answer_quotes_gold",
        "invalid_citations",
    ):
        assert name in figures
    assert figures["hit@1"] == 1.0 and figures["abstained_out_of_scope"] == 1.0
    assert figures["invalid_citations"] == 0


@pytest.mark.parametrize(
    ("item", "message"),
    [
        ({"id": "q7", "question": "", "gold": ["x"]}, "eval item 'q7': The question is empty"),
        ({"id": "q8", "question": "Who is Ruth?"}, "eval item 'q8' is in scope but has no gold"),
        # a string would be matched character by character: a perfect score for anything
        ({"id": "q9", "question": "Who?", "gold": "zebra"}, "gold must be a list of strings"),
        ({"id": "q10", "question": "Who?", "gold": ["x"], "history": 5}, "history must be a list"),
    ],
)
def test_eval_names_the_item_it_cannot_score(cli_env, tmp_path, capsys, item, message):
    labelled = tmp_path / "set.jsonl"
    labelled.write_text(json.dumps(item) + "\n", encoding="utf-8")
    assert main(["eval", str(labelled)]) == 2
    assert message in capsys.readouterr().err


def test_eval_of_a_file_with_no_questions_is_a_usage_error(cli_env, tmp_path, capsys):
    labelled = tmp_path / "empty.jsonl"
    labelled.write_text("\n \n", encoding="utf-8")
    assert main(["eval", str(labelled)]) == 2  # not a report of zeros
    assert "has no labelled questions" in capsys.readouterr().err


def test_jsonl_batch_in_a_real_process(cli_env, tmp_path):
    lines = [
        {"id": "q1", "question": "Tell me about Ruth.", "history": []},
        {
            "id": "q2",
            "question": "And how does she treat Kathy later on?",
            "history": [
                {"role": "user", "content": "Tell me about Ruth."},
                {"role": "assistant", "content": "Ruth is a leader."},
            ],
        },
        {"id": "q3", "question": ""},
        {"id": "q4", "question": "Who wrote Pride and Prejudice?"},
    ]
    stdin = "\n".join(json.dumps(line) for line in lines) + "\nnot json\n"
    result = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "ask", "--jsonl"],
        input=stdin,
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        timeout=300,
    )
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("id") for o in outputs] == ["q1", "q2", "q3", "q4", None]
    assert set(outputs[0]) == ANSWER_KEYS and outputs[0]["answerable"]
    assert "Ruth" in outputs[1]["passages"][0]["text"]
    assert "empty" in outputs[2]["error"] and "line 5" in outputs[4]["error"]
    assert outputs[3]["answerable"] is False
    assert result.returncode == 2  # some lines were unusable


def test_jsonl_survives_broken_text_and_odd_lines(cli_env):
    """Every input line gets its output line, whatever is wrong with another one."""
    lines = [
        b'\xef\xbb\xbf{"id": "bom", "question": "Who is Ruth?"}',  # a BOM from a Windows editor
        b'{"id": "surrogate", "question": "Who is Tommy\\udcff?"}',  # a lone surrogate
        b'{"id": "byte", "question": "Who is Kathy\xff?"}',  # not UTF-8 at all
        b'{"id": "number", "question": 42}',
        b'{"id": "null", "question": "Ruth?", "history": [{"role": "user", "content": null}]}',
        b'{"id": "history", "question": "Ruth?", "history": 5}',
        b'["a list"]',
        b'{"id": "last", "question": "Where does Kathy see Ruth again?"}',
    ]
    result = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "ask", "--jsonl"],
        input=b"\n".join(lines) + b"\n",
        capture_output=True,
        env=os.environ.copy(),
        timeout=300,
    )
    assert b"Traceback" not in result.stderr
    outputs = [json.loads(line) for line in result.stdout.decode("utf-8").splitlines()]
    assert [o.get("id") for o in outputs] == [
        "bom",
        "surrogate",
        "byte",
        "number",
        "null",
        "history",
        None,
        "last",
    ]
    answered = {o["id"]: o for o in outputs if "answer" in o}
    assert set(answered) == {"bom", "surrogate", "byte", "null", "last"}
    assert "Tommy?" in answered["surrogate"]["question"]
    assert "must be text" in outputs[3]["error"] and "JSON object" in outputs[6]["error"]
    assert "history must be a list" in outputs[5]["error"]
    assert answered["last"]["answerable"]
    assert result.returncode == 2


def test_usage_errors_are_told_before_the_model_loads(cli_env, tmp_path, monkeypatch, capsys):
    def no_model(*_):
        raise AssertionError("the model was loaded")

    monkeypatch.setattr("tutor.tutor.load_embeddings", no_model)
    assert main(["ask", "  "]) == 2
    assert main(["eval", str(tmp_path / "missing.jsonl")]) == 2
    assert main(["eval", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "empty" in err and "There is no file" in err and "missing.jsonl" in err
    assert f"{tmp_path} is a folder" in err


@pytest.mark.parametrize(
    ("variable", "value", "message"),
    [
        ("TUTOR_DB_DIR", "file", "is a file; point it at a folder"),
        ("TUTOR_CHROMA_URL", "http://localhost:abc", "is not a server address"),
        ("TUTOR_CHROMA_URL", "http://[::1", "is not a server address"),
        ("TUTOR_CHROMA_URL", "http://exa mple.com", "is not a server address"),
        ("TUTOR_EMBEDDING_MODEL", "/no/such/model", "no sentence-transformers model folder"),
        ("TUTOR_TOP_K", "many", "must be a positive whole number"),
        ("TUTOR_DB_DIR", "parent", "holds the notes folder"),
        ("TUTOR_MAX_FILE_MB", "nan", "must be a positive number"),
        ("TUTOR_CONFIG", "tutor = 5", "tutor must be a table: a [tutor] line"),
        ("TUTOR_CONFIG", "tutor = [", "is not valid TOML"),
        ("TUTOR_CONFIG", "[tutor]\ntop_k = inf", "top_k must be a positive whole number"),
        ("TUTOR_CONFIG", "[tutor]\ntop_k = 2.5", "top_k must be a positive whole number"),
        ("TUTOR_CONFIG", "[tutor]\ntop_k = true", "top_k must be a positive whole number"),
        ("TUTOR_CONFIG", "[tutor]\nmax_file_mb = [1]", "max_file_mb must be a positive number"),
    ],
)
def test_bad_settings_exit_2_with_a_message(
    cli_env, tmp_path, monkeypatch, capsys, variable, value, message
):
    if value == "file":
        value = str(tmp_path / "a-file")
        (tmp_path / "a-file").write_text("not a folder")
    if value == "parent":  # the knowledge folder lives in tmp_path
        value = str(tmp_path)
    if variable == "TUTOR_CONFIG":  # a settings file written as the value says
        (tmp_path / "tutor.toml").write_text(value + "\n", encoding="utf-8")
        value = str(tmp_path / "tutor.toml")
    monkeypatch.setenv(variable, value)
    assert main(["ask", "How is friendship shown in the novel?"]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_an_index_folder_that_cannot_be_written_is_a_clear_message(
    cli_env, tmp_path, monkeypatch, capsys
):
    (tmp_path / "a-file").write_text("not a folder")
    monkeypatch.setenv("TUTOR_DB_DIR", str(tmp_path / "a-file" / "db"))  # mkdir cannot work
    assert main(["ingest"]) == 1
    err = capsys.readouterr().err
    assert "cannot be written" in err and "TUTOR_DB_DIR" in err and "Traceback" not in err


def test_ingest_names_skipped_files_and_exits_2_for_unreadable_notes(cli_env, knowledge, capsys):
    (knowledge / "essay.docx").write_bytes(b"PK\x03\x04")
    assert main(["ingest"]) == 0  # a stray file of another type is named, not an error
    captured = capsys.readouterr()
    assert "1 file (1 added" in captured.out
    assert "not indexed: essay.docx: unsupported file type .docx" in captured.err

    (knowledge / "empty.md").write_bytes(b"")
    assert main(["ingest"]) == 2  # notes that cannot be read are
    captured = capsys.readouterr()
    assert "1 file (0 added" in captured.out  # the readable notes are indexed all the same
    assert "not indexed: empty.md is empty" in captured.err


def test_an_off_topic_answer_lists_what_the_notes_can_answer(cli_env, capsys):
    assert main(["ask", "Who wrote Pride and Prejudice?"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("I can't find this in the study notes, so I won't guess.")
    suggestions = out.split("The notes can answer questions like these:\n", 1)[1]
    assert suggestions.count("  - ") >= 2


def test_a_reader_that_stops_early_gets_no_traceback(cli_env):
    reader = subprocess.Popen(
        ["head", "-c", "10"], stdin=subprocess.PIPE, stdout=subprocess.DEVNULL
    )
    writer = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "ask", "--jsonl"],
        input=b'{"id": "a", "question": "Who is Ruth?"}\n' * 40,
        stdout=reader.stdin,
        stderr=subprocess.PIPE,
        env=os.environ.copy(),
        timeout=300,
    )
    reader.stdin.close()
    reader.wait()
    assert b"Traceback" not in writer.stderr and b"BrokenPipe" not in writer.stderr


def test_jsonl_with_the_server_down_answers_every_line_with_an_error(cli_env):
    from .chroma_server import free_port

    url = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    result = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "ask", "--jsonl"],
        input='{"id": "a", "question": "Who is Ruth?"}\n{"id": "b", "question": "Who is Tommy?"}\n',
        capture_output=True,
        text=True,
        env=os.environ | {"TUTOR_CHROMA_URL": url},
        timeout=300,
    )
    outputs = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in outputs] == ["a", "b"]
    assert all("is not answering" in o["error"] for o in outputs)
    assert result.returncode == 1 and "Traceback" not in result.stderr


def test_a_server_address_without_a_port_uses_the_scheme_s_default():
    from tutor.config import chroma_address

    assert chroma_address("https://db.school.org") == ("db.school.org", 443, True)
    assert chroma_address("127.0.0.1") == ("127.0.0.1", 8000, False)
    assert chroma_address("http://chroma:9000") == ("chroma", 9000, False)


def test_a_model_folder_is_one_with_modules_json_or_config_json(tmp_path):
    from tutor.config import Settings
    from tutor.errors import ConfigError

    older = tmp_path / "older-save"  # config.json inside 0_Transformer/, modules.json on top
    older.mkdir()
    (older / "modules.json").write_text("[]", encoding="utf-8")
    assert Settings(embedding_model=str(older)).model_path() == str(older)
    with pytest.raises(ConfigError, match="no sentence-transformers model folder"):
        Settings(embedding_model=str(tmp_path)).model_path()


def test_help_documents_every_command():
    out = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "--help"], capture_output=True, text=True, check=True
    ).stdout
    for word in (
        "ingest",
        "ask",
        "eval",
        "TUTOR_KNOWLEDGE_DIR",
        "TUTOR_DB_DIR",
        "TUTOR_EMBEDDING_MODEL",
        "TUTOR_TOP_K",
        "TUTOR_CHROMA_URL",
    ):
        assert word in out
    ask = subprocess.run(
        [sys.executable, "-m", "tutor.cli", "ask", "--help"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    for flag in ("--json", "--jsonl", "--source"):
        assert flag in ask
