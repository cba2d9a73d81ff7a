import { el, link, dateNode, fetchJSON } from "/static/common.js";

const form = document.getElementById("ask");
const question = document.getElementById("question");
const send = document.getElementById("send");
const newChat = document.getElementById("new-chat");
const messagesBox = document.getElementById("messages");
const statusBox = document.getElementById("status");
const intro = document.getElementById("intro");

let history = []; // [{role, content}] sent with every question
let generation = 0; // bumped by "New chat" so late replies are dropped
let busy = false;

function setStatus(text, kind = "") {
  statusBox.textContent = text;
  statusBox.className = kind;
  statusBox.setAttribute("role", kind === "error" ? "alert" : "status");
}

function snippet(text, max = 160) {
  const flat = String(text || "").replace(/\s+/g, " ").trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** One superscript citation link, or the literal marker if `n` is unknown. */
function citeNode(n, byN) {
  const c = byN.get(n);
  if (!c) return document.createTextNode(`[${n}]`);
  const a = link(c.link, `[${n}]`, {
    title: `${c.outlet || "Source"}: “${snippet(c.text)}”`,
    "aria-label": `Source ${n}: ${c.outlet || ""} — ${c.title || ""}`,
  });
  return el("sup", { class: "cite" }, a);
}

/** Answer text -> paragraphs with [n] / [n, m] markers turned into links. */
function renderAnswerText(answer, citations) {
  const byN = new Map(citations.map((c) => [Number(c.n), c]));
  const box = el("div", { class: "answer-text" });
  for (const para of String(answer || "").split(/\n{2,}/)) {
    if (!para.trim()) continue;
    const p = el("p");
    let last = 0;
    for (const m of para.matchAll(/\[(\d+(?:\s*,\s*\d+)*)\]/g)) {
      p.append(para.slice(last, m.index));
      for (const n of m[1].split(",")) p.append(citeNode(Number(n.trim()), byN));
      last = m.index + m[0].length;
    }
    p.append(para.slice(last));
    box.append(p);
  }
  return box;
}

function renderSources(citations, answered) {
  const label = answered ? "Sources" : "Closest passages";
  const labelId = `sources-${Math.random().toString(36).slice(2, 9)}`;
  const list = el("ol", { class: "sources", "aria-labelledby": labelId });
  for (const c of citations) {
    const date = dateNode(c.published);
    list.append(
      el("li", { "data-n": c.n },
        `[${c.n}] `,
        link(c.link, `${c.outlet || "Unknown outlet"} — ${c.title || "Untitled"}`, { class: "source-link" }),
        date ? [" (", date, ")"] : null,
        c.url ? [" · ", link(c.url, "original", { class: "original", rel: "noopener noreferrer", target: "_blank" })] : null,
      ),
    );
  }
  return [el("h2", { class: "sources-label", id: labelId }, label), list];
}

function renderAnswer(data) {
  const answered = data.answered !== false;
  const citations = Array.isArray(data.citations) ? data.citations : [];
  const box = el("article", { class: answered ? "message answer" : "message answer refusal" },
    el("p", { class: "who" }, answered ? "kzqa" : "kzqa — not covered by the documents"),
    renderAnswerText(data.answer, citations),
    citations.length ? renderSources(citations, answered) : null,
  );
  messagesBox.append(box);
  return box;
}

function renderQuestion(text) {
  const box = el("div", { class: "message user" }, el("p", { class: "who" }, "You"), el("p", { class: "user-text" }, text));
  messagesBox.append(box);
  return box;
}

async function ask() {
  const text = question.value.trim();
  if (!text || busy) return;
  const gen = generation;
  const outgoing = [...history, { role: "user", content: text }];
  const bubble = renderQuestion(text);
  intro.hidden = true;
  busy = true;
  send.disabled = true;
  form.setAttribute("aria-busy", "true");
  setStatus("Working…", "working");
  try {
    const data = await fetchJSON("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "application/json" },
      body: JSON.stringify({ messages: outgoing }),
    });
    if (gen !== generation) return;
    history = [...outgoing, { role: "assistant", content: String(data.answer || "") }];
    question.value = "";
    setStatus("");
    renderAnswer(data).scrollIntoView({ behavior: "smooth", block: "start" });
  } catch (err) {
    if (gen !== generation) return;
    bubble.remove();
    setStatus(err.message || "Something went wrong.", "error");
  } finally {
    if (gen === generation) {
      busy = false;
      send.disabled = false;
      form.removeAttribute("aria-busy");
      question.focus();
    }
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  ask();
});

question.addEventListener("keydown", (event) => {
  if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
    event.preventDefault();
    ask();
  }
});

newChat.addEventListener("click", () => {
  generation += 1;
  history = [];
  busy = false;
  send.disabled = false;
  form.removeAttribute("aria-busy");
  messagesBox.replaceChildren();
  intro.hidden = false;
  question.value = "";
  setStatus("");
  question.focus();
});
