"""The ``kzqa`` command: ``index``, ``serve``, ``ask`` and ``eval``.

Exit status: 0 done (a refusal is an answer), 1 the work failed (no index, a server that cannot be
reached, a port in use), 2 the command was wrong (an option, a setting, a question, a filter, a line of
the question file); either way one line on stderr says what is wrong.
"""

from __future__ import annotations

import argparse
import datetime as dt
import errno
import json
import logging
import os
import re
import socket
import sys
from collections.abc import Sequence
from pathlib import Path

from kzqa import __version__
from kzqa.client import RequestRefused, ServerError, post_to_server
from kzqa.embed import EmbedError, ModelSettingError, load_embedder
from kzqa.evaluate import QuestionFileError
from kzqa.filters import FilterError, Filters
from kzqa.index import (
    AnnConfig,
    IndexUnusable,
    build_index,
    differences,
    expected_manifest,
    read_manifest,
    texts_of,
)
from kzqa.ingest import CorpusError
from kzqa.schemas import NOT_BLANK, without_control_characters
from kzqa.settings import Settings


class OutputError(Exception):
    """A file the command was asked to write could not be written."""


EXPECTED_ERRORS = (CorpusError, EmbedError, IndexUnusable, ServerError, OutputError)
USAGE = 2  # the exit status of a wrong command, as argparse gives it


class UsageError(Exception):
    """The command asks for something it cannot: the line to print."""


# the command was wrong (RequestRefused: so the server found it): exit USAGE
USAGE_ERRORS = (UsageError, RequestRefused, QuestionFileError, FilterError, ModelSettingError)


def cmd_index(settings: Settings, args: argparse.Namespace) -> int:
    if args.reload and not settings.admin_key:  # said before minutes of building, not after
        raise UsageError("--reload needs KZQA_ADMIN_KEY, the key the server was started with")
    embedder = load_embedder(settings.model, settings.threads)
    ann = AnnConfig.from_settings(settings)
    expected = expected_manifest(settings.corpus_dir, embedder, settings.chunk_chars, settings.chunk_overlap, ann)
    changes = differences(read_manifest(settings.index_dir), expected)
    if not changes and not args.force:
        print(f"index in {settings.index_dir} is up to date (use --force to rebuild)")
    else:
        print("building the index: " + "; ".join(changes or ["--force"]), file=sys.stderr)
        manifest = build_index(settings.corpus_dir, settings.index_dir, embedder, settings.chunk_chars,
                               settings.chunk_overlap, progress=not args.quiet, ann=ann, reuse_vectors=not args.force)
        print(f"indexed {manifest['n_documents']} documents: {manifest['n_chunks']} chunks, "
              f"{manifest['n_sentences']} sentences, model {manifest['model']}, {manifest['index']['kind']} "
              f"index -> {settings.index_dir}; {embedded_line(manifest)}")
    return reload_server(args.reload, settings.admin_key) if args.reload and settings.admin_key else 0


def embedded_line(manifest: dict) -> str:
    """How many of a build's texts were embedded, and why the others were not: "122 of 1838 texts embedded; 1697
    were embedded by an earlier build; 19 are the same text as another"."""
    total, distinct, embedded = texts_of(manifest), manifest["distinct"], manifest["embedded"]
    line = f"{embedded} of {total} texts embedded"
    if distinct > embedded:
        line += f"; {distinct - embedded} were embedded by an earlier build"
    if total > distinct:
        line += f"; {total - distinct} are the same text as another, as a first sentence is its own window"
    return line


def reload_server(server: str, admin_key: str) -> int:
    """Ask a running `kzqa serve` to swap in the index just built (POST /admin/reload)."""
    try:
        data = post_to_server(server, "/admin/reload", 120, headers={"Authorization": f"Bearer {admin_key}"})
    except ServerError as exc:
        print(f"kzqa: error: the server did not reload: {exc}", file=sys.stderr)
        return 1
    print(f"{server} now serves {data['documents']} documents, {data['chunks']} chunks")
    return 0


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    import uvicorn

    from kzqa.api import create_app, load_service
    from kzqa.observe import configure_logging

    settings = settings.model_copy(update={"host": args.host or settings.host, "port": args.port or settings.port})
    configure_logging(settings)
    service = load_service(settings)  # fail here, with the fix, rather than inside the server
    listening = listen(settings.host, settings.port)  # the address is announced once it is ours
    url = f"http://{settings.host}:{settings.port}/"
    if settings.log_format == "json":  # every line a JSON object, this one too
        logging.getLogger("kzqa.cli").info("kzqa: open %s", url, extra={"url": url})
    else:
        print(f"kzqa: open {url}", file=sys.stderr)
    # kzqa writes the access log itself (observe.RequestLog: with request ids, as text or JSON)
    config = uvicorn.Config(create_app(settings, service), host=settings.host, port=settings.port, log_config=None,
                            access_log=False, log_level=settings.log_level)
    uvicorn.Server(config).run(sockets=[listening])
    return 0


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to host:port, as uvicorn binds it; ServerError saying why when it cannot be."""
    listening = None
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
        listening = socket.socket(family, kind, proto)
        listening.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listening.bind(address)
    except OSError as exc:  # socket.gaierror too: a host that is no address
        if listening is not None:
            listening.close()
        busy = exc.errno == errno.EADDRINUSE
        hint = " (another server? choose another with --port or KZQA_PORT)" if busy else ""
        raise ServerError(f"cannot listen on {host}:{port}: {exc.strerror or exc}{hint}") from exc
    listening.set_inheritable(True)
    return listening


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    question = without_control_characters(args.question)  # as the server cleans it
    filters = Filters(frozenset(args.outlet), args.published_from, args.published_to)
    if filters.reversed:
        raise UsageError(f"{filters.reversed}: no day is in between")  # the API answers that nothing matches
    if args.server:
        sent = {"outlets": args.outlet, "published_from": args.published_from and str(args.published_from),
                "published_to": args.published_to and str(args.published_to)}
        data = post_to_server(args.server, "/api/chat", 60, json={
            "messages": [{"role": "user", "content": question}], "filters": sent})
    else:
        from kzqa.answer import Message
        from kzqa.api import load_service
        from kzqa.chat import ask

        if not re.search(NOT_BLANK, question):  # nothing but spaces, control characters or characters that show nothing
            raise UsageError("The question is empty.")  # as the server words it
        if len(question) > settings.max_question_chars:  # as the server holds it
            raise UsageError(f"A question may hold at most {settings.max_question_chars} characters.")
        data = ask(load_service(settings), [Message("user", question)], filters).model_dump()
    if args.json:
        print(json.dumps(data, ensure_ascii=False, indent=2))
        return 0
    base = (args.server or f"http://{settings.host}:{settings.port}").rstrip("/")
    print(data["answer"])
    if data.get("refusal_reason"):
        print(f"(Why: {data['refusal_reason']}.)")
    print()
    for c in data["citations"]:
        print(f"[{c['n']}] {c['outlet']}, {c['title']} ({c['published'] or 'undated'})")
        if c["url"]:
            print(f"    original: {c['url']}")
        # kzqa's own page, the passage highlighted, as the server asked (or `kzqa serve`, once started) shows it
        print(f"    passage:  {base + c['link']}" + ("" if args.server else "  (with kzqa serve running)"))
    return 0


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from kzqa.answer import Message
    from kzqa.api import load_service
    from kzqa.chat import ask, search_passages
    from kzqa.evaluate import corpus_texts, load_cases, misses, norm, run_case, summarise

    cases = load_cases(args.file)  # the file and the seeds are checked before the index loads
    if args.seeds and not args.seeds.is_dir():
        raise UsageError(f"--seeds {args.seeds} is not a folder")
    seeds = {p.stem: norm(p.read_text(encoding="utf-8")) for p in args.seeds.glob("*.txt")} if args.seeds else {}
    if args.seeds and not seeds:
        raise UsageError(f"--seeds {args.seeds} holds no .txt files (the source texts the evidence names)")
    if args.out and (args.out.is_dir() or not args.out.parent.is_dir()):
        # checked now, not after minutes of questions
        raise UsageError(f"--out {args.out}: " + ("is a folder" if args.out.is_dir() else
                                                  f"no folder {args.out.parent} to write it in"))
    svc = load_service(settings)
    # without --seeds, a multi case's evidence documents are looked up in the corpus the index was built from
    seeds = seeds or corpus_texts(settings.corpus_dir)

    def chat(messages: list[dict]) -> dict:
        return ask(svc, [Message(m["role"], m["content"]) for m in messages]).model_dump()

    def search(query: str, k: int) -> list[dict]:
        return search_passages(svc, query, k).model_dump()["results"]

    rows = [run_case(case, chat, search, seeds) for case in cases]
    for line in misses(rows):
        print(line, file=sys.stderr)
    print(json.dumps(summarise(rows), ensure_ascii=False))
    if args.out:
        try:
            args.out.write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        except OSError as exc:  # e.g. no permission: the figures above are printed all the same
            raise OutputError(f"--out {args.out}: cannot write it ({exc.strerror})") from None
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="kzqa", description="Cited answers over the kzqa news corpus.")
    root.add_argument("--version", action="version", version=f"kzqa {__version__}")
    sub = root.add_subparsers(dest="command", required=True)
    p = sub.add_parser("index", help="embed corpus/ into embeddings/ (skipped when up to date)")
    p.add_argument("--force", action="store_true", help="rebuild even if the index is up to date, embedding "
                   "every text again (not reading earlier builds' vectors)")
    p.add_argument("--quiet", action="store_true", help="no progress bars")
    p.add_argument("--reload", metavar="SERVER", help="then make the server at SERVER (e.g. http://127.0.0.1:8000) "
                   "serve the new index (needs KZQA_ADMIN_KEY)")
    p.set_defaults(run=cmd_index)
    p = sub.add_parser("serve", help="serve the chat page and the JSON API")
    p.add_argument("--host", help="address to listen on (default 127.0.0.1, KZQA_HOST)")
    p.add_argument("--port", type=port_number, help="port to listen on (default 8000, KZQA_PORT)")
    p.set_defaults(run=cmd_serve)
    p = sub.add_parser("ask", help="answer one question, with its citations")
    p.add_argument("question")
    p.add_argument("--json", action="store_true", help="print the same JSON as POST /api/chat")
    p.add_argument("--outlet", action="append", default=[], help="only passages from this outlet (repeatable)")
    p.add_argument("--from", dest="published_from", type=calendar_day, help="published on or after (YYYY-MM-DD)")
    p.add_argument("--to", dest="published_to", type=calendar_day, help="published on or before (YYYY-MM-DD)")
    p.add_argument("--server", type=server_address,
                   help="ask a running server (e.g. http://127.0.0.1:8000) instead of loading the index")
    p.set_defaults(run=cmd_ask)
    p = sub.add_parser("eval", help="score a question file (dev.jsonl format) in-process")
    p.add_argument("file", type=Path)
    p.add_argument("--seeds", type=Path, help="folder of the source .txt files named by the evidence 'doc' fields "
                   "(default: the corpus documents, by the 'source' of their front matter)")
    p.add_argument("--out", type=Path, help="write the per-case rows here (JSON)")
    p.set_defaults(run=cmd_eval)
    return root


def server_address(text: str) -> str:
    """--server: an http:// or https:// address (argparse's usage error, exit 2, for "localhost:8000")."""
    if not re.match(r"https?://[^/\s]", text):
        raise argparse.ArgumentTypeError(f"{text!r} is no http:// or https:// address (e.g. http://127.0.0.1:8000)")
    return text


def port_number(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 65535:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port (a whole number from 1 to 65535)")
    return int(text)


def calendar_day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (write YYYY-MM-DD, e.g. 2022-11-20)") from None


def settings_from_environment() -> Settings:
    """The settings; UsageError naming each KZQA_ variable that is wrong and why."""
    from pydantic import ValidationError

    try:
        return Settings()
    except ValidationError as exc:
        wrong = [f"KZQA_{'_'.join(map(str, e['loc'])).upper()}={e.get('input')!r}: {e['msg']}" for e in exc.errors()]
        raise UsageError("a setting is wrong: " + "; ".join(wrong)) from None


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code = args.run(settings_from_environment(), args)
        sys.stdout.flush()  # here, so that a reader who closed the pipe is met below, not at exit
        return code
    except (*EXPECTED_ERRORS, *USAGE_ERRORS) as exc:
        print(f"kzqa: error: {exc}", file=sys.stderr)
        return USAGE if isinstance(exc, USAGE_ERRORS) else 1
    except BrokenPipeError:
        # "kzqa ask ... | head": the reader has what it wanted. Python's documented way (the signal module's note
        # on SIGPIPE): point stdout at /dev/null, so the flush at exit raises no second error, and exit 1.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1


if __name__ == "__main__":
    sys.exit(main())
