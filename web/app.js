// The chat page: ask (streamed answers), follow-ups, conversations at /c/<id>, the side list.
import { fetchJSON } from "/static/common.js";
import { streamChat } from "/static/sse.js";
import { appendDelta, citationFor, createAnswer, createQuestion, updateAnswer } from "/static/answer.js";
import { answerActions } from "/static/actions.js";
import { hideCard, installCards } from "/static/card.js";
import { closeSidebarOnNarrow, installSidebar, refreshSidebar, setActive } from "/static/sidebar.js";

const $ = (id) => document.getElementById(id);
const form = $("ask");
const question = $("question");
const send = $("send");
const messages = $("messages");
const statusBox = $("status");
const intro = $("intro");
const TITLE = document.title;
const CONVERSATION_PATH = /^\/c\/([^/]+)\/?$/;

const state = { conversationId: null, controller: null };

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
  setActive(id);
  document.title = title ? `${title} — kzqa` : TITLE;
}

/** Back to an empty chat ("/"). */
function resetChat({ push = true } = {}) {
  abortPending();
  hideCard();
  messages.replaceChildren();
  intro.hidden = false;
  setStatus("");
  showConversation(null);
  if (push && location.pathname !== "/") history.pushState(null, "", "/");
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
  if (followUp) body.conversation_id = followUp;

  const bubble = createQuestion(text);
  messages.append(bubble);
  intro.hidden = true;
  question.value = "";
  const controller = new AbortController();
  state.controller = controller;
  setBusy(true);
  setStatus("Searching the documents…", "working");
  bubble.scrollIntoView({ block: "nearest" });

  let article = null;
  try {
    const done = await streamChat(body, {
      signal: controller.signal,
      on: {
        citations(data) {
          article = createAnswer(data);
          article.classList.add("streaming");
          messages.append(article);
          if (!followUp && data.conversation_id) {
            history.pushState(null, "", `/c/${encodeURIComponent(data.conversation_id)}`);
            showConversation(data.conversation_id, text);
          }
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
    if (!followUp && done.conversation_id && state.conversationId !== done.conversation_id) {
      history.pushState(null, "", `/c/${encodeURIComponent(done.conversation_id)}`);
      showConversation(done.conversation_id, text);
    }
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
      resetChat();
      question.value = text;
      setStatus("That conversation was deleted. Your question is still in the box below: send it to start a new one.",
        "error");
      return;
    }
    if (!messages.children.length) intro.hidden = false;
    if (!question.value.trim()) question.value = text; // the question is not lost
    const reason = err.message || "Something went wrong.";
    setStatus(`${reason} Your question is still in the box below.`, "error");
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
    }
  }
}

/** Show a saved conversation whole. */
async function loadConversation(id) {
  abortPending();
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
    showConversation(id, conv.title);
    setStatus("");
  } catch (err) {
    if (err.name === "AbortError") return;
    resetChat({ push: false });
    history.replaceState(null, "", "/");
    setStatus(err.status === 404
      ? "That conversation does not exist (it may have been deleted). Start a new one below."
      : `Could not load the conversation: ${err.message}`, "error");
  } finally {
    if (state.controller === controller) {
      state.controller = null;
      setBusy(false);
    }
  }
}

/** Show what the address says: a conversation at /c/<id>, else a new chat. */
function route() {
  const m = CONVERSATION_PATH.exec(location.pathname);
  let id = null;
  try {
    id = m ? decodeURIComponent(m[1]) : null;
  } catch {
    id = null;
  }
  if (id) loadConversation(id);
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

window.addEventListener("popstate", route);
installCards(messages, citationFor);
installSidebar({
  open(id) {
    if (id !== state.conversationId) {
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
route();
