// One answer in the chat: its text with [n] markers as links, its sources, the quoted sentences.
import { el, link, externalLink, dateNode, formatDate, hostOf, originalUrl, safeHref } from "/static/common.js";
import { findQuotes, MARKER, numbers, passageHref, quotesByN } from "/static/cited.js";

const answers = new WeakMap(); // article.answer -> {data, byN, quotes}

// The page's own words about an answer, in the answer's language (the response's "language"); the quotes
// keep the page's language, their documents'.
const LABELS = {
  en: { sources: "Sources", closest: "Closest passages", refused: "kzqa · not in these documents", source: "Source",
        unknownOutlet: "unknown outlet", original: "original" },
  ru: { sources: "Источники", closest: "Ближайшие фрагменты", refused: "kzqa · в этих документах нет",
        source: "Источник", unknownOutlet: "издание неизвестно", original: "оригинал" },
  kk: { sources: "Дереккөздер", closest: "Ең жақын үзінділер", refused: "kzqa · бұл құжаттарда жоқ",
        source: "Дереккөз", unknownOutlet: "басылым белгісіз", original: "түпнұсқа" },
};
const langOf = (data) => (Object.hasOwn(LABELS, data.language) ? data.language : "en");

/** The citation a marker or source link inside an answer stands for, with the cited sentences' ranges. */
export function citationFor(anchor) {
  const info = answers.get(anchor.closest("article.answer"));
  const n = Number(anchor.dataset.n);
  if (!info || !info.byN.has(n)) return null;
  const citation = info.byN.get(n);
  return { citation, ranges: findQuotes(String(citation.text || ""), info.quotes.get(n) || []) };
}

/** The response an answer article shows (the /api/chat JSON, partial while it streams). */
export function answerData(article) {
  return answers.get(article)?.data;
}

function marker(n, c, quotes, lang) {
  const words = LABELS[lang];
  const date = c.published ? `, ${formatDate(c.published, lang)}` : "";
  const label = `${words.source} ${n}: ${c.outlet || words.unknownOutlet}${date}`;
  return el("sup", { class: "cite" }, link(passageHref(c, quotes.get(n)), `[${n}]`,
    { class: "cite-link", "data-n": n, "aria-label": label, lang }));
}

/** A line of answer text with its markers turned into superscript links. */
function lineNodes(line, byN, quotes, lang) {
  const nodes = [];
  let last = 0;
  for (const m of line.matchAll(MARKER)) {
    nodes.push(line.slice(last, m.index).replace(/\s+$/, ""));
    for (const n of numbers(m[1])) nodes.push(byN.has(n) ? marker(n, byN.get(n), quotes, lang) : `[${n}]`);
    last = m.index + m[0].length;
  }
  nodes.push(line.slice(last));
  return nodes;
}

function renderText(box, text, byN, answered, quotes, lang) {
  box.replaceChildren();
  for (const line of String(text || "").split("\n")) {
    if (!line.trim()) continue;
    const colon = line.indexOf(": ");
    const p = el("p", { class: "answer-line" });
    if (answered && colon > 0 && line.slice(0, colon).length < 200) {
      p.append(el("span", { class: "attribution", lang }, line.slice(0, colon + 1)), " ",
        el("span", { class: "quote" }, ...lineNodes(line.slice(colon + 2), byN, quotes, lang)));
    } else {
      if (!answered) p.lang = lang; // the refusal is in the question's language
      p.append(...lineNodes(line, byN, quotes, lang));
    }
    box.append(p);
  }
}

function sourceItem(c, answered, lang) {
  const words = LABELS[lang];
  const meta = [c.author, dateNode(c.published, lang)].filter(Boolean);
  const excerpt = String(c.text || "").replace(/\s+/g, " ").trim();
  return el("li", { class: "source", "data-n": c.n },
    el("span", { class: "source-n", "aria-hidden": "true" }, `[${c.n}]`),
    el("div", { class: "source-body" },
      link(c.link, c.title || "Untitled document", { class: "source-link", "data-n": c.n }),
      el("span", { class: "source-meta" }, el("span", { class: "sr-only", lang }, `${words.source} ${c.n}: `),
        c.outlet || el("span", { lang }, words.unknownOutlet.replace(/^./, (first) => first.toUpperCase())), ...meta.flatMap((part) => [" · ", part]),
        originalUrl(c.url)
          ? [" · ", externalLink(c.url, el("span", { lang }, `${words.original} (${hostOf(c.url)})`), { class: "original" })]
          : null),
      answered ? null : el("blockquote", { class: "source-excerpt" },
        excerpt.length > 280 ? `${excerpt.slice(0, 279)}…` : excerpt),
    ),
  );
}

function renderSources(article, citations, answered, lang) {
  article.querySelector(".sources")?.remove();
  if (!citations.length) return;
  const id = `sources-${Math.random().toString(36).slice(2, 9)}`;
  const section = el("section", { class: "sources", "aria-labelledby": id },
    el("h3", { class: "sources-label", id, lang }, answered ? LABELS[lang].sources : LABELS[lang].closest),
    el("ol", { class: "source-list" }, citations.map((c) => sourceItem(c, answered, lang))));
  article.querySelector(".answer-text").after(section);
}

/** A generated answer's checks: sentences the cited passages do not support, and any note. */
function renderChecks(article, data) {
  article.querySelector(".answer-checks")?.remove();
  const unsupported = Array.isArray(data.unsupported) ? data.unsupported : [];
  if (!unsupported.length && !data.note) return;
  const box = el("div", { class: "answer-checks" });
  if (data.note) box.append(el("p", { class: "answer-note" }, String(data.note)));
  if (unsupported.length) {
    box.append(el("p", { class: "unsupported-label" }, "Not supported by the cited passages:"),
      el("ul", { class: "unsupported" }, unsupported.map((u) =>
        el("li", {}, el("q", {}, String(u.sentence || "")), ` (${String(u.reason || "")})`))));
  }
  article.querySelector(".answer-text").after(box);
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
  const quotes = quotesByN(data.answer);
  answers.set(article, { data, byN, quotes });
  article.classList.toggle("refusal", !answered);
  if (data.message_id) article.dataset.messageId = data.message_id;
  const lang = langOf(data);
  const who = article.querySelector(".who");
  who.textContent = answered ? "kzqa" : LABELS[lang].refused;
  who.lang = lang;
  renderText(article.querySelector(".answer-text"), data.answer, byN, answered, quotes, lang);
  renderChecks(article, data);
  if (!article.querySelector(".sources") || article.dataset.sourcesFor !== `${citations.length} ${lang}`) {
    renderSources(article, citations, answered, lang);
    article.dataset.sourcesFor = `${citations.length} ${lang}`;
  }
  for (const a of article.querySelectorAll("a.source-link[data-n]")) {
    const c = byN.get(Number(a.dataset.n));
    if (c && safeHref(c.link)) a.href = passageHref(c, quotes.get(c.n));
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
