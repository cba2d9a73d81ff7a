"""A reader uses the chat in a real browser: asks, hovers and follows citations, asks a follow-up,
meets a refusal, reloads a conversation, rates and copies an answer, browses the corpus, on a
desktop and at 360 px.

Runs Debian's Chromium through Playwright against a live `kzqa serve`; skipped (with the reason)
where Chromium is not installed. Screenshots of each main state go to test-artifacts/.
"""

from __future__ import annotations

import json
import re
import shutil
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx
import pytest

from kzqa.phrases import format_date
from tests.conftest import ROOT

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
TIMEOUT = 30_000
FACT = "Which Telegram channel reported Masimov's Hungarian citizenship?"
MANY_SOURCES = "What did the sources say about the election?"

pytestmark = pytest.mark.skipif(not Path(CHROMIUM).exists(), reason="Debian chromium is not installed")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as pw:
        context = pw.chromium.launch_persistent_context(str(profile), executable_path=CHROMIUM, args=FLAGS,
                                                        headless=True, viewport={"width": 1280, "height": 800})
        context.set_default_timeout(TIMEOUT)
        yield context
        context.close()


@pytest.fixture
def page(browser):
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    yield page
    page.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


def shot(page, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(ARTIFACTS / name), full_page=full_page)


def ask(page, question: str):
    """Type a question, press Enter, wait for the finished answer; returns its locator."""
    before = page.locator("article.answer").count()
    page.fill("#question", question)
    page.press("#question", "Enter")
    answer = page.locator("article.answer").nth(before)
    answer.locator(".answer-actions").wait_for()
    return answer


def conversation_id(page) -> str:
    path = page.evaluate("location.pathname")
    assert path.startswith("/c/"), path
    return path.removeprefix("/c/")


def no_horizontal_scroll(page) -> None:
    width, client = page.evaluate("[document.documentElement.scrollWidth, document.documentElement.clientWidth]")
    assert width <= client, f"the page scrolls sideways: {width}px of content in {client}px"


def test_ask_see_the_answer_stream_in_hover_a_citation_and_open_the_passage(page, live_server):
    page.goto(live_server + "/")
    # While it works the page says so: hold the request back to look at that state.
    held = []
    page.route("**/api/chat", lambda route: held.append(route))
    page.fill("#question", FACT)
    page.press("#question", "Shift+Enter")  # a new line, nothing sent
    assert page.input_value("#question") == FACT + "\n"
    page.press("#question", "Enter")
    page.wait_for_function("document.querySelector('#status').classList.contains('working')")
    assert page.locator("#send").is_disabled() and page.locator("#ask").get_attribute("aria-busy") is not None
    assert page.locator(".message.user .user-text").inner_text() == FACT
    shot(page, "chat-working.png")
    page.wait_for_timeout(100)
    assert len(held) == 1 and json.loads(held[0].request.post_data)["stream"] is True
    held[0].continue_()
    page.unroute("**/api/chat")

    answer = page.locator("article.answer").first
    answer.locator(".answer-actions").wait_for()
    assert not page.locator("#send").is_disabled() and page.locator("#status").inner_text() == ""
    assert "Solovey" in answer.locator(".answer-text").inner_text()
    assert answer.locator("ol.source-list li").count() >= 1
    assert page.input_value("#question") == ""
    cid = conversation_id(page)  # the new conversation got its own address
    assert page.locator(f'#history-list a[data-id="{cid}"][aria-current="page"]').count() == 1
    shot(page, "chat-answer.png", full_page=True)

    # Hover a marker: the card quotes the passage with the cited sentence emphasised.
    marker = answer.locator("sup.cite a").first
    line = answer.locator(".answer-line").first.inner_text()
    quoted = line.split(": ", 1)[1].rsplit("[", 1)[0].strip()
    marker.hover()
    card = page.locator("#cite-card")
    card.wait_for(state="visible")
    saved = httpx.get(f"{live_server}/api/conversations/{cid}").json()["messages"][1]["response"]["citations"][0]
    assert card.locator("mark.cited").inner_text().strip() == quoted
    assert quoted in saved["text"]
    text = card.inner_text()
    assert saved["outlet"] in text and saved["author"] in text and "Nov 2022" in text
    assert marker.get_attribute("aria-describedby") == "cite-card"
    shot(page, "citation-card.png")
    page.keyboard.press("Escape")
    card.wait_for(state="hidden")

    # Click it: the document opens with the passage highlighted, in view, and the original URL beside it.
    marker.click()
    page.wait_for_url("**/documents/**")
    page.locator("mark#passage").wait_for()
    highlighted = " ".join(page.locator("mark.passage").all_inner_texts())
    assert " ".join(highlighted.split()) == " ".join(saved["text"].split())  # the whole passage...
    cited = page.locator("mark.cited")
    assert " ".join(cited.all_inner_texts()).split() == quoted.split()  # ...and the cited sentence in it
    box = cited.first.bounding_box()
    assert box and box["y"] >= 0 and box["y"] + box["height"] <= page.viewport_size["height"]
    assert page.locator("#doc-url").get_attribute("href").startswith("https://journal-neo.org/")
    assert page.locator("#doc-url").is_visible()
    shot(page, "document-passage.png")
    page.locator("#back-to-chat").click()  # and back to the conversation, whole
    page.wait_for_url(f"**/c/{cid}")
    page.locator("article.answer .answer-actions").wait_for()


def test_the_card_of_one_marker_leaves_the_next_markers_in_reach(page, live_server):
    page.goto(live_server + "/")
    answer = ask(page, MANY_SOURCES)  # one line per outlet, a marker on each
    markers = answer.locator("a.cite-link")
    assert markers.count() >= 3
    for i in range(markers.count() - 1):
        markers.nth(i).hover()
        page.locator("#cite-card").wait_for(state="visible")
        covered = page.evaluate("""() => [...document.querySelectorAll('article.answer a.cite-link')].filter((a) => {
            const r = a.getBoundingClientRect();
            const hit = document.elementFromPoint(r.left + r.width / 2, r.top + r.height / 2);
            return hit && hit.closest('#cite-card');
        }).map((a) => a.textContent)""")
        assert covered == [], f"the card of marker {i + 1} covers {covered}"
        markers.nth(i + 1).hover()  # so the reader goes straight on to the next one
        page.locator("#cite-card .card-n", has_text=f"[{markers.nth(i + 1).get_attribute('data-n')}]").wait_for()
    shot(page, "citation-card-many.png")


def test_keyboard_alone_reaches_the_question_the_card_and_the_passage(page, live_server):
    page.goto(live_server + "/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "question"
    page.keyboard.type(MANY_SOURCES)
    page.keyboard.press("Enter")
    page.locator("article.answer .answer-actions").wait_for()
    for _ in range(30):  # back from the question box into the answer, to its last marker
        page.keyboard.press("Shift+Tab")
        if page.evaluate("document.activeElement.classList.contains('cite-link')"):
            break
    else:
        pytest.fail("Shift+Tab never reached a citation marker")
    page.locator("#cite-card").wait_for(state="visible")  # focus shows the card, as hover does
    assert page.locator("#cite-card mark.cited").count() == 1
    page.keyboard.press("Escape")
    page.locator("#cite-card").wait_for(state="hidden")
    page.keyboard.press("Enter")
    page.wait_for_url("**/documents/**")
    page.locator("mark#passage").wait_for()
    assert page.evaluate("document.activeElement.id") == "passage"


def test_follow_up_reload_and_the_conversation_list(page, live_server, browser):
    page.goto(live_server + "/")
    first = ask(page, "What did New Eastern Outlook say about foreign companies moving to Kazakhstan?")
    cid = conversation_id(page)
    second = ask(page, "How many of them have already registered?")
    assert conversation_id(page) == cid  # a follow-up stays in the conversation
    assert "50" in second.locator(".answer-text").inner_text()
    shot(page, "chat-follow-up.png", full_page=True)
    first_text = first.locator(".answer-text").inner_text()

    page.reload()  # the conversation comes back whole
    page.locator("article.answer").nth(1).locator(".answer-actions").wait_for()
    assert page.locator(".message.user .user-text").all_inner_texts() == [
        "What did New Eastern Outlook say about foreign companies moving to Kazakhstan?",
        "How many of them have already registered?"]
    assert page.locator("article.answer .answer-text").first.inner_text() == first_text
    assert page.locator("article.answer sup.cite a").count() >= 2
    page.locator("article.answer sup.cite a").first.hover()
    page.locator("#cite-card mark.cited").wait_for()
    shot(page, "conversation-reloaded.png", full_page=True)

    later = browser.new_page()  # opening the URL later, in another tab
    later.goto(f"{live_server}/c/{cid}")
    later.locator("article.answer").nth(1).locator(".answer-actions").wait_for()
    assert later.locator(".message.user").count() == 2
    assert later.title().startswith("What did New Eastern Outlook say")
    later.close()

    # A new chat, then back to the old one from the side list (which says whose it is), then delete it there.
    assert page.locator("#history-shared").inner_text() == "Saved on this server: anyone who uses it sees them."
    page.click("#new-chat")
    assert page.evaluate("location.pathname") == "/" and page.locator(".message").count() == 0
    page.locator(f'#history-list a[data-id="{cid}"]').click()
    page.wait_for_url(f"**/c/{cid}")
    page.locator("article.answer").nth(1).locator(".answer-actions").wait_for()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f'#history-list button.conv-delete[data-id="{cid}"]').click()
    page.wait_for_url(live_server + "/")
    page.locator(f'#history-list li[data-id="{cid}"]').wait_for(state="detached")
    assert httpx.get(f"{live_server}/api/conversations/{cid}").status_code == 404
    page.goto(f"{live_server}/c/{cid}")  # a deleted conversation's address says so
    page.locator("#status.error").wait_for()
    assert "does not exist" in page.locator("#status").inner_text()


def test_back_from_a_document_returns_to_where_the_reader_was(page, live_server):
    page.set_viewport_size({"width": 1280, "height": 500})  # two answers are taller than the window
    page.goto(live_server + "/")
    ask(page, MANY_SOURCES)
    second = ask(page, FACT)
    cid = conversation_id(page)
    marker = second.locator("a.cite-link").first
    marker.scroll_into_view_if_needed()
    where = page.evaluate("window.scrollY")
    assert where > 100  # the reader is well down the conversation
    marker.click()
    page.wait_for_url("**/documents/**")
    page.locator("mark#passage").wait_for()
    page.click("#jump-to-passage")  # moving about the document adds no step to go back through
    page.click("#back-to-chat")
    page.wait_for_url(f"**/c/{cid}")
    page.locator("article.answer").nth(1).locator(".answer-actions").wait_for()
    page.wait_for_function(f"Math.abs(window.scrollY - {where}) < 40")  # not the top of the conversation

    page.evaluate("window.scrollTo(0, 150)")
    page.reload()  # a reload keeps the place too
    page.locator("article.answer").nth(1).locator(".answer-actions").wait_for()
    page.wait_for_function("Math.abs(window.scrollY - 150) < 5")


def test_questions_typed_and_on_their_way_survive_a_reload(page, live_server):
    page.goto(live_server + "/")
    page.fill("#question", "Who is Gaziz")  # typed, not sent yet
    page.reload()
    page.wait_for_function("document.querySelector('#question').value === 'Who is Gaziz'")
    assert page.locator("#status").inner_text() == ""
    other = httpx.post(f"{live_server}/api/chat", json={"messages": [{"role": "user", "content": "Who won?"}]}).json()
    page.goto(f"{live_server}/c/{other['conversation_id']}")  # a question typed here is not for another conversation
    page.locator("article.answer .answer-actions").wait_for()
    assert page.input_value("#question") == ""
    page.goto(live_server + "/")
    page.fill("#question", "")

    page.route("**/api/chat", lambda route: None)  # the answer never comes back before the reload
    page.fill("#question", "Who is Gaziz Abishev?")
    page.press("#question", "Enter")
    page.locator(".message.user .user-text", has_text="Who is Gaziz Abishev?").wait_for()
    assert page.input_value("#question") == ""
    page.fill("#question", "What does he say about Russia?")  # the next question, typed while waiting
    page.reload()  # (the route stays until then: once removed, the held request may still reach the server)
    page.wait_for_function("document.querySelector('#question').value === 'Who is Gaziz Abishev?'")
    page.unroute("**/api/chat")
    status = page.locator("#status").inner_text()
    assert "The page was left before your question was answered" in status
    assert "The question you were typing comes back in the box once it is sent" in status
    page.press("#question", "Enter")  # sent as it was; the one being typed is back in the box at once
    page.wait_for_function("document.querySelector('#question').value === 'What does he say about Russia?'")
    answer = page.locator("article.answer").first
    answer.locator(".answer-actions").wait_for()
    assert "Abishev" in answer.locator(".answer-text").inner_text()


@contextmanager
def answers_held_back(upstream: str) -> Iterator[str]:
    """A proxy to `upstream` that passes a streamed answer's headers on at once and holds its events back until
    the block ends: a slow network, as the reader's page sees it (the server itself answers as usual)."""
    release = threading.Event()

    class Proxy(BaseHTTPRequestHandler):  # HTTP/1.0: each reply ends when its connection closes
        def do_GET(self) -> None:
            self.relay("GET")

        def do_POST(self) -> None:
            self.relay("POST")

        def relay(self, method: str) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
            headers = {k: v for k, v in self.headers.items() if k.lower() in {"content-type", "accept"}}
            with httpx.stream(method, upstream + self.path, content=body, headers=headers, timeout=60) as reply:
                self.send_response(reply.status_code)
                for name, value in reply.headers.items():
                    if name.lower() not in {"content-length", "transfer-encoding", "connection", "content-encoding"}:
                        self.send_header(name, value)
                self.end_headers()
                self.wfile.flush()
                if "text/event-stream" in reply.headers.get("content-type", ""):
                    release.wait(60)
                for chunk in reply.iter_raw():
                    self.wfile.write(chunk)

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Proxy)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        release.set()
        server.shutdown()
        server.server_close()


def test_a_reload_before_the_answer_arrives_comes_back_to_its_conversation(page, live_server):
    with answers_held_back(live_server) as slow:
        page.goto(slow + "/")
        page.fill("#question", "Who is Kazbek Beisebayev?")
        page.press("#question", "Enter")
        page.wait_for_function("location.pathname.startsWith('/c/')")  # before any event: the reply's headers
        cid = conversation_id(page)
        assert page.locator("article.answer").count() == 0
        for _ in range(100):  # the server answers on (the proxy holds only what the page sees)
            if len(httpx.get(f"{live_server}/api/conversations/{cid}").json()["messages"]) == 2:
                break
            page.wait_for_timeout(100)
        page.reload()
        answer = page.locator("article.answer").first
        answer.locator(".answer-actions").wait_for()
    assert "Beisebayev" in answer.locator(".answer-text").inner_text()
    assert page.locator(".message.user .user-text").all_inner_texts() == ["Who is Kazbek Beisebayev?"]
    assert page.input_value("#question") == ""  # answered: not put back to be asked twice
    listed = httpx.get(f"{live_server}/api/conversations").json()["conversations"]
    assert [c["conversation_id"] for c in listed if c["title"] == "Who is Kazbek Beisebayev?"] == [cid]


def test_a_conversation_deleted_in_another_tab_lets_the_next_question_start_a_new_one(page, live_server):
    page.goto(live_server + "/")
    ask(page, "Who is Yury Solozobov?")
    cid = conversation_id(page)
    assert httpx.delete(f"{live_server}/api/conversations/{cid}").status_code == 204  # another tab deleted it
    page.fill("#question", "What does he say about Russia?")
    page.press("#question", "Enter")
    page.locator("#status.error").wait_for()
    assert "That conversation was deleted" in page.locator("#status").inner_text()
    assert page.input_value("#question") == "What does he say about Russia?"  # kept, to send again
    assert page.evaluate("location.pathname") == "/" and page.locator(".message").count() == 0
    again = ask(page, "Who is Gaziz Abishev?")
    assert conversation_id(page) != cid and "Abishev" in again.locator(".answer-text").inner_text()


def test_a_tab_that_missed_a_turn_shows_it_before_asking_on(page, live_server, browser):
    page.goto(live_server + "/")
    ask(page, "Who is Gaziz Abishev?")
    cid = conversation_id(page)
    other = browser.new_page()  # the same conversation in a second tab, which asks on
    other.goto(f"{live_server}/c/{cid}")
    other.locator("article.answer .answer-actions").wait_for()
    ask(other, "Who is Yury Solozobov?")
    other.close()

    page.fill("#question", "What does he say about Russia?")  # this tab has not seen that turn
    page.press("#question", "Enter")
    page.locator("#status.error", has_text="went on in another tab").wait_for()
    assert page.locator(".message.user .user-text").all_inner_texts() == ["Who is Gaziz Abishev?",
                                                                          "Who is Yury Solozobov?"]
    assert page.input_value("#question") == "What does he say about Russia?"  # kept, to send again
    answer = ask(page, page.input_value("#question"))  # now asked after the turn it leans on
    assert conversation_id(page) == cid and "Solozobov" in answer.locator(".answer-text").inner_text()
    assert len(httpx.get(f"{live_server}/api/conversations/{cid}").json()["messages"]) == 6


def test_a_refusal_shows_the_message_and_the_closest_passages(page, live_server):
    page.goto(live_server + "/")
    answer = ask(page, "What is the capital of France?")
    assert "refusal" in answer.get_attribute("class")
    assert answer.locator(".answer-text").inner_text().startswith("The documents do not answer this question.")
    assert answer.locator(".sources-label").inner_text().lower() == "closest passages"
    links = answer.locator("a.source-link")
    assert links.count() >= 1 and answer.locator(".source-excerpt").count() == links.count()
    for i in range(links.count()):
        assert "/documents/" in links.nth(i).get_attribute("href") and "#passage" in links.nth(i).get_attribute("href")
    links.first.hover()  # linked the same way: hover shows the card, click opens the passage
    page.locator("#cite-card").wait_for(state="visible")
    shot(page, "chat-refusal.png", full_page=True)
    page.keyboard.press("Escape")
    links.first.click()
    page.wait_for_url("**/documents/**")
    page.locator("mark#passage").wait_for()

    page.goto(live_server + "/")  # the message comes in the question's language
    answer = ask(page, "Какая погода будет завтра в Париже?")
    assert answer.locator(".answer-text").inner_text().startswith("В документах нет ответа")
    # and so do the page's own words about it, marked as Russian for a screen reader
    assert answer.locator(".who").inner_text() == "kzqa · в этих документах нет"
    assert answer.locator(".sources-label").inner_text().lower() == "ближайшие фрагменты"
    marked = {answer.locator(part).first.get_attribute("lang") for part in (".who", ".answer-line", ".sources-label")}
    assert marked == {"ru"}
    # the sources' dates as the answer's "По данным" line writes them, their labels in Russian too
    meta = answer.locator(".source-meta").first
    assert re.search(r"\b\d\d\.\d\d\.2022\b", meta.inner_text()) and " Nov " not in meta.inner_text()
    assert meta.locator(".sr-only").first.text_content().startswith("Источник 1")


def test_clicking_send_leaves_the_reader_in_the_question_box(page, live_server):
    page.goto(live_server + "/")
    page.fill("#question", "Who is Yury Solozobov?")
    page.click("#send")
    page.locator("article.answer .answer-actions").wait_for()
    assert page.evaluate("document.activeElement.id") == "question"
    answer = page.locator("article.answer").first
    assert answer.locator(".sources-label").inner_text().lower() == "sources"  # an English answer keeps English labels
    assert answer.locator(".attribution").first.get_attribute("lang") == "en"


def test_feedback_is_sent_and_read_back(page, live_server):
    page.goto(live_server + "/")
    answer = ask(page, "Who is Yury Solozobov?")
    cid = conversation_id(page)
    answer.locator("button.thumb-down").click()
    form = answer.locator("form.feedback-form")
    form.wait_for()
    form.get_by_label("The evidence is wrong").check()
    form.get_by_label("Comment (optional)").fill("The passage is about <b>logistics</b>, not the man.")
    shot(page, "feedback-form.png")
    form.get_by_role("button", name="Send feedback").click()
    answer.locator(".action-status", has_text="feedback was sent").wait_for()
    assert answer.locator("button.thumb-down").get_attribute("aria-pressed") == "true"
    shot(page, "feedback-sent.png")

    saved = httpx.get(f"{live_server}/api/conversations/{cid}").json()
    feedback = saved["messages"][1]["feedback"]
    assert [(f["rating"], f["reason"], f["comment"]) for f in feedback] == [
        ("down", "evidence_wrong", "The passage is about <b>logistics</b>, not the man.")]

    answer.locator("button.thumb-up").click()  # a thumbs up, comment only
    form.get_by_label("Comment (optional)").fill("Actually fine.")
    form.get_by_label("Comment (optional)").press("Enter")  # Enter in a textarea is a new line...
    form.get_by_role("button", name="Send feedback").click()  # ...the button sends
    answer.locator(".action-status", has_text="feedback was sent").wait_for()
    feedback = httpx.get(f"{live_server}/api/conversations/{cid}").json()["messages"][1]["feedback"]
    assert [(f["rating"], f["reason"], f["comment"]) for f in feedback][-1] == ("up", None, "Actually fine.")

    page.reload()  # a saved conversation shows the rating given
    page.locator("article.answer .answer-actions").wait_for()
    assert page.locator("article.answer button.thumb-up").get_attribute("aria-pressed") == "true"


def test_copy_an_answer_as_markdown_with_its_sources_as_links(page, live_server, browser):
    browser.grant_permissions(["clipboard-read", "clipboard-write"], origin=live_server)
    page.goto(live_server + "/")
    answer = ask(page, MANY_SOURCES)
    answer.locator("button.copy-answer").click()
    answer.locator(".action-status", has_text="Copied").wait_for()
    markdown = page.evaluate("navigator.clipboard.readText()")
    assert "According to New Eastern Outlook" in markdown and "**Sources**" in markdown
    assert "[\\[1\\]][1]" in markdown and "[\\[2\\]][2]" in markdown  # the markers are links...
    assert f"[1]: <{live_server}/documents/" in markdown and f"[2]: <{live_server}/documents/" in markdown
    assert "([original](<https://journal-neo.org/" in markdown  # ...and so is each original article
    (ARTIFACTS / "copied-answer.md").write_text(markdown)

    # a copied link highlights the sentence the answer quotes, as the marker in the chat does
    copied = re.search(r"^\[1\]: <([^>]+)>$", markdown, re.M).group(1)
    assert copied == live_server + answer.locator("a.cite-link[data-n='1']").first.get_attribute("href")
    assert "cite=" in copied
    page.goto(copied)
    cited = " ".join(page.locator("mark.cited").first.inner_text().split())
    assert cited and cited in " ".join(markdown.split()).replace("\\", "")


def test_errors_are_readable_and_the_question_is_kept(page, live_server):
    page.goto(live_server + "/")
    limit = httpx.get(f"{live_server}/healthz").json()["max_question_chars"]
    page.wait_for_function(f"document.getElementById('question').maxLength === {limit}")  # the server's limit
    page.fill("#question", "a" * (limit - 1))
    page.type("#question", "bc")  # typed past the limit: the box stops, and says why
    assert len(page.input_value("#question")) == limit
    assert f"at most {limit} characters" in page.locator("#status.error").inner_text()
    page.press("#question", "Backspace")
    assert page.locator("#status.error").count() == 0

    # Sending an empty box says what to do, and typing clears the note.
    page.fill("#question", "   ")
    page.press("#question", "Enter")
    assert page.locator("#status.error").inner_text() == "Type a question first."
    page.type("#question", "W")
    assert page.locator("#status.error").count() == 0

    # A question past the limit all the same (an old page, a script): the server's 422 says so.
    page.evaluate("document.getElementById('question').removeAttribute('maxlength')")
    too_long = "Who won the election? " * 60
    page.fill("#question", too_long)
    page.press("#question", "Enter")
    alert = page.locator("#status.error[role=alert]")
    alert.wait_for()
    assert "at most 1000 characters" in alert.inner_text()
    assert page.input_value("#question") == too_long.strip()
    assert page.locator(".message").count() == 0 and not page.locator("#send").is_disabled()
    shot(page, "chat-error.png")
    page.fill("#question", "Who won the election?")  # the reader edits the question: the old error goes
    assert page.locator("#status.error").count() == 0

    # An error event in the middle of the stream, then the server unreachable.
    page.route("**/api/chat", lambda route: route.fulfill(status=200, content_type="text/event-stream", body=(
        'event: citations\ndata: {"citations": [], "query": "q", "answered": true}\n\n'
        'event: delta\ndata: {"text": "According to "}\n\n'
        'event: error\ndata: {"type": "about:blank", "title": "Internal Server Error", "status": 500, '
        '"detail": "The answer could not be streamed to the end.", "code": "stream_failed"}\n\n')))
    page.fill("#question", "Who won?")
    page.press("#question", "Enter")
    page.locator("#status.error", has_text="could not be streamed").wait_for()
    assert page.input_value("#question") == "Who won?" and page.locator("article.answer").count() == 0
    page.unroute("**/api/chat")
    page.route("**/api/chat", lambda route: route.abort())
    page.press("#question", "Enter")
    page.locator("#status.error", has_text="Could not reach the server").wait_for()
    assert page.input_value("#question") == "Who won?"

    # A question that fails while the next one is being typed: the failed one is back in the box, and the
    # one being typed comes back once that is sent again.
    page.unroute("**/api/chat")
    failures = []
    page.route("**/api/chat", lambda route: failures.append(route))  # held until the next one is typed
    page.press("#question", "Enter")
    page.wait_for_function("document.querySelector('#question').value === ''")
    page.fill("#question", "And who came second?")
    page.wait_for_function("document.body.classList.contains('busy')")
    while not failures:
        page.wait_for_timeout(20)
    failures[0].abort()
    page.locator("#status.error", has_text="Could not reach the server").wait_for()
    assert page.input_value("#question") == "Who won?"
    assert "The question you were typing comes back" in page.locator("#status").inner_text()
    page.unroute("**/api/chat")
    page.press("#question", "Enter")
    page.wait_for_function("document.querySelector('#question').value === 'And who came second?'")
    page.locator("article.answer .answer-actions").wait_for()


def test_the_corpus_browser_lists_documents_and_opens_each(page, live_server):
    documents = httpx.get(f"{live_server}/api/documents").json()["documents"]
    page.goto(live_server + "/documents")
    items = page.locator("#doc-list li.doc")
    items.first.wait_for()
    assert items.count() == len(documents)
    for doc in documents:
        item = page.locator(f'#doc-list li[data-doc-id="{doc["doc_id"]}"]')
        text = item.inner_text()
        assert doc["title"] in text and doc["outlet"] in text
        if doc["author"]:
            assert doc["author"] in text
        if doc["published"]:  # written as the answers' date line writes it: "5 Sep 2022", not ICU's "5 Sept 2022"
            assert format_date(doc["published"], "en") in text
        if doc["url"]:
            assert item.locator("a.original").get_attribute("href") == doc["url"]
    shot(page, "documents-list.png", full_page=True)
    items.first.locator("h2 a").click()
    page.wait_for_url("**/documents/*")
    # the page fetches its document after loading ("Loading…" until then): wait for it, on a busy machine too
    page.locator("#doc-title", has_text=documents[0]["title"]).wait_for()
    assert page.locator("#doc-title").inner_text() == documents[0]["title"]
    assert len(page.locator("#doc-text").inner_text()) > 500
    # a passage link past the end of the text says so, and offers no jump to a passage that is not there
    page.goto(f"{live_server}/documents/{documents[0]['doc_id']}?start=99999&end=100000#passage")
    page.locator("#status", has_text="The passage this link points to is not in the document").wait_for()
    assert page.locator("mark.passage").count() == 0 and page.locator("#jump-to-passage").count() == 0

    # a document whose original address metadata.json does not give says so, where the link would be
    for doc in documents:
        page.goto(f"{live_server}/documents/{doc['doc_id']}")
        page.locator("#doc-title", has_text=doc["title"]).wait_for()
        if doc["url"]:
            assert page.locator("#doc-url").get_attribute("href") == doc["url"]
            assert page.locator("#doc-url-unknown").count() == 0
        else:
            assert page.locator("#doc-url").count() == 0
            assert page.locator("#doc-url-unknown").inner_text() == "The original article's address is not known."
    assert any(not doc["url"] for doc in documents)  # the corpus has one (Nikkei Asia): the branch above ran


def test_360px_wide_has_no_horizontal_scroll(page, live_server):
    page.set_viewport_size({"width": 360, "height": 740})
    page.goto(live_server + "/")
    answer = ask(page, MANY_SOURCES)
    no_horizontal_scroll(page)
    shot(page, "mobile-360-chat.png")
    answer.locator("sup.cite a").last.hover()
    card = page.locator("#cite-card")
    card.wait_for(state="visible")
    box = card.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    no_horizontal_scroll(page)
    shot(page, "mobile-360-card.png")
    page.keyboard.press("Escape")
    page.click("#toggle-history")  # the conversation list folds away on a phone
    page.locator("#sidebar #history-list").wait_for(state="visible")
    no_horizontal_scroll(page)
    shot(page, "mobile-360-conversations.png")
    page.keyboard.press("Escape")  # the open list covers the page: Escape folds it away, as the button does
    page.locator("#sidebar #history-list").wait_for(state="hidden")
    assert page.locator("#toggle-history").get_attribute("aria-expanded") == "false"
    assert page.evaluate("document.activeElement.id") == "toggle-history"
    answer.locator("sup.cite a").first.click()
    page.locator("mark#passage").wait_for()
    no_horizontal_scroll(page)
    shot(page, "mobile-360-document.png")
    # the links above the text keep to one line, in short words, so the passage is not hidden under them
    bar = page.locator("#doc-links")
    assert [bar.locator(f"#{i}").inner_text() for i in ("back-to-chat", "jump-to-passage")] == ["← Back",
                                                                                                "Jump to passage"]
    original = bar.locator("#doc-url, #doc-url-unknown")  # Nikkei Asia's address is not known
    assert original.inner_text() in ("Original ↗", "No original link")
    assert page.locator("#back-to-chat").get_attribute("aria-label") == "Back to the conversation"
    line = page.locator("#jump-to-passage").bounding_box()["height"]
    assert bar.bounding_box()["height"] < 2.5 * line
    top = page.locator("mark.cited").first.bounding_box()["y"]
    assert top >= bar.bounding_box()["y"] + bar.bounding_box()["height"]
    page.goto(live_server + "/documents")
    page.locator("#doc-list li").first.wait_for()
    no_horizontal_scroll(page)


def test_labels_for_screen_readers_and_dark_mode(page, live_server):
    page.emulate_media(color_scheme="dark")
    page.goto(live_server + "/")
    ask(page, "What share of the vote did Tokayev win?")
    unnamed = page.evaluate("""() => [...document.querySelectorAll('a, button, textarea, input')]
        .filter((e) => e.offsetParent !== null || e.closest('#ask'))
        .filter((e) => !(e.getAttribute('aria-label') || e.textContent.trim() || e.labels?.length || e.title))
        .map((e) => e.outerHTML.slice(0, 80))""")
    assert unnamed == []
    background = page.evaluate("getComputedStyle(document.body).backgroundColor")
    assert background == "rgb(22, 23, 26)"  # the dark palette follows the system
    shot(page, "chat-dark.png", full_page=True)
    page.emulate_media(color_scheme="light")
    assert page.evaluate("getComputedStyle(document.body).backgroundColor") == "rgb(251, 251, 249)"


def test_a_follow_up_the_outlet_asked_about_cannot_answer_says_whose_passages_answer_it(page, live_server):
    page.goto(live_server + "/")
    ask(page, "Which posts did Tokayev hold before becoming president, according to Caliber.Az?")
    answer = ask(page, "When did he first run for president?")
    assert "According to New Eastern Outlook" in answer.locator(".answer-text").inner_text()
    note = ("Not found in Caliber.Az, named earlier in this conversation: this answer comes from the other outlets.")
    assert answer.locator(".answer-note").inner_text() == note
    page.reload()  # the note is saved with the turn
    page.locator("article.answer").nth(1).locator(".answer-note").wait_for()
    assert page.locator("article.answer").nth(1).locator(".answer-note").inner_text() == note
    shot(page, "chat-outlet-note.png")


def test_a_generated_answer_shows_its_unsupported_sentences_and_note(page, live_server):
    """The reader sees which generated sentences the passages do not support. The stream is played by
    page.route: a real LLM cannot be made to write an unsupported sentence on demand (the checks
    themselves are tested in test_generate.py and test_llm_server.py)."""
    page.goto(live_server + "/")
    citation = httpx.get(f"{live_server}/api/search", params={"q": "remain in office until 2029", "k": 1}).json()
    cited = citation["results"][0] | {"n": 1}
    done = {"answer": "Tokayev is set to remain in office until 2029. [1] He will stay until 2031. [1]",
            "answered": True, "citations": [cited], "query": "q", "generated": True,
            "unsupported": [{"index": 1, "sentence": "He will stay until 2031.",
                             "reason": "the number 2031 is not in the cited passage"}],
            "note": None, "conversation_id": None, "message_id": None}
    body = (f"event: citations\ndata: {json.dumps({'citations': [cited], 'query': 'q', 'answered': True})}\n\n"
            f"event: done\ndata: {json.dumps(done)}\n\n")
    page.route("**/api/chat", lambda route: route.fulfill(status=200, content_type="text/event-stream", body=body))
    answer = ask(page, "Until when will Tokayev stay?")
    flagged = answer.locator(".answer-checks .unsupported li")
    assert flagged.count() == 1
    text = flagged.inner_text()
    assert "He will stay until 2031." in text and "2031 is not in the cited passage" in text
    shot(page, "generated-unsupported.png")
