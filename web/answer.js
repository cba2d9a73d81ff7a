// One answer in the chat: its text with [n] markers as links, its sources, the quoted sentences.
import { el, link, externalLink, dateNode, hostOf } from "/static/common.js";

const MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;
const answers = new WeakMap(); // article.answer -> {data, byN, quotes}

const numbers = (group) => group.split(",").map((n) => Number(n.trim()));

/**
 * The sentence(s) each marker stands for: on a line "According to X (...): <quote> [n]", the text
 * between the line's ": " (or the previous marker) and the marker. Returns Map n -> [quote, ...].
 */
export function quotesByN(answer) {
  const quotes = new Map();
  for (const line of String(answer || "").split("\n")) {
    const colon = line.indexOf(": ");
    let from = colon >= 0 ? colon + 2 : 0;
    for (const m of line.matchAll(MARKER)) {
      const quote = line.slice(from, m.index).trim();
      if (quote) for (const n of numbers(m[1])) quotes.set(n, [...(quotes.get(n) || []), quote]);
      from = m.index + m[0].length;
    }
  }
  return quotes;
}

/** The citation (and its quoted sentences) a marker or source link inside an answer stands for. */
export function citationFor(anchor) {
  const info = answers.get(anchor.closest("article.answer"));
  const n = Number(anchor.dataset.n);
  return info && info.byN.has(n) ? { citation: info.byN.get(n), quotes: info.quotes.get(n) || [] } : null;
}

/** The response an answer article shows (the /api/chat JSON, partial while it streams). */
export function answerData(article) {
  return answers.get(article)?.data;
}

function marker(n, c) {
  const label = `Source ${n}: ${c.outlet || "unknown outlet"}${c.published ? `, ${c.published}` : ""}`;
  return el("sup", { class: "cite" }, link(c.link, `[${n}]`, { class: "cite-link", "data-n": n, "aria-label": label }));
}

/** A line of answer text with its markers turned into superscript links. */
function lineNodes(line, byN) {
  const nodes = [];
  let last = 0;
  for (const m of line.matchAll(MARKER)) {
    nodes.push(line.slice(last, m.index).replace(/\s+$/, ""));
    for (const n of numbers(m[1])) nodes.push(byN.has(n) ? marker(n, byN.get(n)) : `[${n}]`);
    last = m.index + m[0].length;
  }
  nodes.push(line.slice(last));
  return nodes;
}

function renderText(box, text, byN, answered) {
  box.replaceChildren();
  for (const line of String(text || "").split("\n")) {
    if (!line.trim()) continue;
    const colon = line.indexOf(": ");
    const p = el("p", { class: "answer-line" });
    if (answered && colon > 0 && line.slice(0, colon).length < 200) {
      p.append(el("span", { class: "attribution" }, line.slice(0, colon + 1)), " ",
        el("span", { class: "quote" }, ...lineNodes(line.slice(colon + 2), byN)));
    } else {
      p.append(...lineNodes(line, byN));
    }
    box.append(p);
  }
}

function sourceItem(c, answered) {
  const meta = [c.author, dateNode(c.published)].filter(Boolean);
  const excerpt = String(c.text || "").replace(/\s+/g, " ").trim();
  return el("li", { class: "source", "data-n": c.n },
    el("span", { class: "source-n", "aria-hidden": "true" }, `[${c.n}]`),
    el("div", { class: "source-body" },
      link(c.link, c.title || "Untitled document", { class: "source-link", "data-n": c.n }),
      el("span", { class: "source-meta" }, el("span", { class: "sr-only" }, `Source ${c.n}: `), c.outlet || "Unknown outlet",
        ...meta.flatMap((part) => [" · ", part]),
        c.url ? [" · ", externalLink(c.url, `original (${hostOf(c.url)})`, { class: "original" })] : null),
      answered ? null : el("blockquote", { class: "source-excerpt" },
        excerpt.length > 280 ? `${excerpt.slice(0, 279)}…` : excerpt),
    ),
  );
}

function renderSources(article, citations, answered) {
  article.querySelector(".sources")?.remove();
  if (!citations.length) return;
  const id = `sources-${Math.random().toString(36).slice(2, 9)}`;
  const section = el("section", { class: "sources", "aria-labelledby": id },
    el("h3", { class: "sources-label", id }, answered ? "Sources" : "Closest passages"),
    el("ol", { class: "source-list" }, citations.map((c) => sourceItem(c, answered))));
  article.querySelector(".answer-text").after(section);
}

/** A new answer article for a response (possibly only its `citations` event so far). */
export function createAnswer(data) {
  const article = el("article", { class: "message answer", "aria-label": "Answer" },
    el("p", { class: "who" }, "kzqa"),
    el("div", { class: "answer-text" }));
  updateAnswer(article, { answer: "", ...data });
  return article;
}

/** Re-render an answer from (partial or whole) response data. */
export function updateAnswer(article, data) {
  const citations = Array.isArray(data.citations) ? data.citations : [];
  const answered = data.answered !== false;
  const byN = new Map(citations.map((c) => [Number(c.n), c]));
  answers.set(article, { data, byN, quotes: quotesByN(data.answer) });
  article.classList.toggle("refusal", !answered);
  if (data.message_id) article.dataset.messageId = data.message_id;
  article.querySelector(".who").textContent = answered ? "kzqa" : "kzqa · not in these documents";
  renderText(article.querySelector(".answer-text"), data.answer, byN, answered);
  if (!article.querySelector(".sources") || article.dataset.sourcesFor !== String(citations.length)) {
    renderSources(article, citations, answered);
    article.dataset.sourcesFor = String(citations.length);
  }
}

/** Add the next streamed piece of the answer. */
export function appendDelta(article, text) {
  const data = answerData(article);
  updateAnswer(article, { ...data, answer: `${data.answer || ""}${text}` });
}

/** The question bubble. */
export function createQuestion(text) {
  return el("div", { class: "message user", role: "group", "aria-label": "Your question" },
    el("p", { class: "who" }, "You"), el("p", { class: "user-text" }, text));
}
