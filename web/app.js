// The chat page: ask (streamed answers), follow-ups, conversations at /c/<id>, the side list.
import { fetchJSON } from "/static/common.js";
import { streamChat } from "/static/sse.js";
import { appendDelta, citationFor, createAnswer, createQuestion, updateAnswer } from "/static/answer.js";
import { answerActions } from "/static/actions.js";
import { hideCard, installCards } from "/static/card.js";
import { closeSidebarOnNarrow, installSidebar, refreshSidebar, setActive } from "/static/sidebar.js";
import { keepDraft, keepPlace, recallDraft, restorePlace } from "/static/keep.js";

const $ = (id) => document.getElementById(id);
const form = $("ask");
const question = $("question");
const send = $("send");
const messages = $("messages");
const statusBox = $("status");
const intro = $("intro");
const TITLE = document.title;
const CONVERSATION_PATH = /^\/c\/([^/]+)\/?$/;

const state = { conversationId: null, path: location.pathname, controller: null, pending: null, next: "" };

history.scrollRestoration = "manual"; // the page restores the place itself (keep.js), once the conversation is drawn

/** Where the reader is in the conversation shown (at state.path: on Back, the address has already changed). */
function rememberPlace() {
  if (state.conversationId) keepPlace(state.path);
}

window.addEventListener("pagehide", () => {
  rememberPlace();
  keepDraft(location.pathname, question.value, state.pending || "");
});

/** The questions this tab had in its box and on its way when the page last went away: the one on its way back
 * in the box, unless the conversation shows it answered (the server finished it before the page went); the
 * one being typed then, or else once that one is sent again (``state.next``). */
function restoreDraft() {
  const draft = recallDraft(location.pathname); // only this page's: not another conversation's question
  if (!draft || question.value.trim()) return;
  const asked = [...messages.querySelectorAll(".message.user .user-text")].map((p) => p.textContent);
  const unanswered = draft.pending.trim() && asked.at(-1) !== draft.pending.trim() ? draft.pending : "";
  question.value = draft.typed;
  if (!unanswered) return;
  const note = putBack(unanswered);
  setStatus(`The page was left before your question was answered. It is in the box below: press Enter to send it.${note}`,
    "error");
}

/** Put `text`, a question that was not answered, back in the box; what the reader typed meanwhile comes back
 * once it is sent (``state.next``). The status's note on that, or "". */
function putBack(text) {
  const typed = question.value;
  question.value = text;
  if (!typed.trim() || typed.trim() === text.trim()) return "";
  state.next = typed;
  return " The question you were typing comes back in the box once it is sent.";
}

function setStatus(text, kind = "") {
  if (statusBox.textContent === text && statusBox.className === kind) return;
  statusBox.textContent = text;
  statusBox.className = kind;
  statusBox.setAttribute("role", kind === "error" ? "alert" : "status");
}

function announce(text) {
  $("announcer").textContent = "";
  setTimeout(() => { $("announcer").textContent = text; }, 50);
}

function setBusy(busy) {
  // a disabled button loses the focus to <body>: the reader clicked Send, so they go on typing in the box
  if (busy && document.activeElement === send) question.focus();
  send.disabled = busy;
  form.toggleAttribute("aria-busy", busy);
  messages.toggleAttribute("aria-busy", busy);
  document.body.classList.toggle("busy", busy);
}

/** Stop whatever is in flight (a streamed answer or a conversation being loaded). */
function abortPending() {
  if (state.controller) state.controller.abort();
  state.controller = null;
  setBusy(false);
}

function showConversation(id, title) {
  state.conversationId = id;
  state.path = location.pathname;
  setActive(id);
  document.title = title ? `${title} — kzqa` : TITLE;
}

/** Back to an empty chat ("/"). */
function resetChat({ push = true } = {}) {
  if (push) rememberPlace();
  abortPending();
  hideCard();
  state.next = ""; // a question kept for after another belongs to the page it was typed on
  messages.replaceChildren();
  intro.hidden = false;
  setStatus("");
  if (push && location.pathname !== "/") history.pushState(null, "", "/");
  showConversation(null);
}

function finishAnswer(article, data, feedback = []) {
  updateAnswer(article, data);
  article.classList.remove("streaming");
  article.querySelector(".answer-actions")?.remove();
  article.append(answerActions(data, feedback));
}

function plain(text) {
  return String(text || "").replace(/\s*\[\d+(?:\s*,\s*\d+)*\]/g, "");
}

async function ask() {
  const text = question.value.trim();
  if (state.controller) return;
  if (!text) {
    setStatus("Type a question first.", "error");
    question.focus();
    return;
  }
  hideCard();
  const followUp = state.conversationId;
  const body = { messages: [{ role: "user", content: text }] };
  if (followUp) {
    body.conversation_id = followUp;
    // the answer this tab shows last: if another tab has asked on since, the server says so (409) rather
    // than answer from turns this reader has not seen
    const shown = [...messages.querySelectorAll("article.answer[data-message-id]")].at(-1);
    body.last_message_id = shown ? shown.dataset.messageId : ""; // "": none yet
  }

  const bubble = createQuestion(text);
  messages.append(bubble);
  intro.hidden = true;
  question.value = state.next; // the question typed before a reload, kept while this one was put back
  state.next = "";
  state.pending = text;
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  setStatus("Searching the documents…", "working");
  bubble.scrollIntoView({ block: "nearest" });

  let article = null;
  // a new conversation's address, as soon as the server names it: a reload from then on comes back to it
  const arrived = (id) => {
    if (followUp || !id || state.conversationId === id) return;
    history.pushState(null, "", `/c/${encodeURIComponent(id)}`);
    showConversation(id, text);
  };
  try {
    const done = await streamChat(body, {
      signal: controller.signal,
      on: {
        started(reply) {
          arrived(reply.conversationId);
        },
        citations(data) {
          article = createAnswer(data);
          article.classList.add("streaming");
          messages.append(article);
          arrived(data.conversation_id);
        },
        delta(data) {
          if (!article) return;
          setStatus("Writing the answer…", "working");
          appendDelta(article, data.text || "");
        },
      },
    });
    if (!article) {
      article = createAnswer(done);
      messages.append(article);
    }
    arrived(done.conversation_id); // (a server that answered in one piece)
    finishAnswer(article, done);
    setStatus("");
    announce(`Answer: ${plain(done.answer)}`);
    article.scrollIntoView({ block: "nearest" });
    refreshSidebar();
  } catch (err) {
    if (err.name === "AbortError") return;
    bubble.remove();
    article?.remove();
    if (followUp && err.code === "unknown_id") {
      // deleted meanwhile (in another tab): the next question starts a new conversation
      resetChat(); // (the box keeps what the reader typed meanwhile)
      const note = putBack(text);
      setStatus(`That conversation was deleted. Your question is still in the box below: send it to start a new one.${note}`,
        "error");
      return;
    }
    if (followUp && err.code === "conversation_changed") {
      const shown = await loadConversation(followUp);
      const note = putBack(text);
      if (shown) {
        setStatus("This conversation went on in another tab: its new turns are shown above. Your question is still "
          + `in the box below: send it to ask it after them.${note}`, "error");
      }
      return;
    }
    if (!messages.children.length) intro.hidden = false;
    const note = putBack(text); // the question is not lost, nor what was typed meanwhile
    const reason = err.message || "Something went wrong.";
    setStatus(`${reason} Your question is still in the box below.${note}`, "error");
  } finally {
    if (state.pending === text) state.pending = null;
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
    }
  }
}

/** Show a saved conversation whole; `restore`: scroll to where the reader was in it (back, or reloaded).
 * Whether it could be shown (else the page says why, and shows a new chat). */
async function loadConversation(id, { restore = false } = {}) {
  abortPending();
  state.next = ""; // (as in resetChat)
  hideCard();
  messages.replaceChildren();
  intro.hidden = true;
  showConversation(id);
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  setStatus("Loading the conversation…", "working");
  try {
    const conv = await fetchJSON(`/api/conversations/${encodeURIComponent(id)}`, { signal: controller.signal });
    for (const m of conv.messages || []) {
      if (m.role === "user") {
        messages.append(createQuestion(m.content));
      } else {
        const data = m.response || { answer: m.content, answered: true, citations: [], message_id: m.message_id };
        const article = createAnswer(data);
        messages.append(article);
        finishAnswer(article, data, m.feedback || []);
      }
    }
    intro.hidden = messages.children.length > 0; // (none yet: its first question was cut off, reloading)
    showConversation(id, conv.title);
    setStatus("");
    if (restore) restorePlace(location.pathname);
    return true;
  } catch (err) {
    if (err.name === "AbortError") return false;
    resetChat({ push: false });
    history.replaceState(null, "", "/");
    setStatus(err.status === 404
      ? "That conversation does not exist (it may have been deleted). Start a new one below."
      : `Could not load the conversation: ${err.message}`, "error");
    return false;
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
    }
  }
}

/** Show what the address says: a conversation at /c/<id>, else a new chat (on loading the page, and on
 * Back and Forward: where the reader was is restored). */
async function route() {
  const m = CONVERSATION_PATH.exec(location.pathname);
  let id = null;
  try {
    id = m ? decodeURIComponent(m[1]) : null;
  } catch {
    id = null;
  }
  if (id) await loadConversation(id, { restore: true });
  else resetChat({ push: false });
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  ask();
});

// The box holds what the server accepts (/healthz says how much); the reader is told when it is full,
// since a browser cuts a pasted text at maxlength without a word. Editing clears an earlier error.
question.addEventListener("input", () => {
  if (question.maxLength > 0 && question.value.length >= question.maxLength) {
    setStatus(`A question may hold at most ${question.maxLength} characters.`, "error");
  } else if (statusBox.className === "error") {
    setStatus("");
  }
});
fetchJSON("/healthz")
  .then((health) => { if (health.max_question_chars > 0) question.maxLength = health.max_question_chars; })
  .catch(() => {}); // the server's 422 still says so if this could not be read

question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ask();
  }
});

$("new-chat").addEventListener("click", () => {
  resetChat();
  closeSidebarOnNarrow();
  question.focus();
});

window.addEventListener("popstate", () => {
  rememberPlace();
  route();
});
installCards(messages, citationFor);
installSidebar({
  open(id) {
    if (id !== state.conversationId) {
      rememberPlace();
      history.pushState(null, "", `/c/${encodeURIComponent(id)}`);
      loadConversation(id);
    }
    closeSidebarOnNarrow();
    question.focus();
  },
  deleted(id) {
    if (id === state.conversationId) resetChat();
  },
});
route().then(restoreDraft);
