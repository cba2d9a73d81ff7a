import { el, externalLink, metaLine, fetchJSON, hostOf, originalUrl } from "/static/common.js";

const $ = (id) => document.getElementById(id);

/** Paragraphs of `text` with their character offsets (split on blank lines). */
function paragraphs(text) {
  const out = [];
  let pos = 0;
  for (const m of text.matchAll(/\n{2,}/g)) {
    out.push({ start: pos, end: m.index });
    pos = m.index + m[0].length;
  }
  out.push({ start: pos, end: text.length });
  return out;
}

/** Valid [start, end) from the query string, or null. */
function passageRange(length) {
  const q = new URLSearchParams(location.search);
  const start = Number.parseInt(q.get("start"), 10);
  const end = Math.min(Number.parseInt(q.get("end"), 10), length);
  return Number.isFinite(start) && Number.isFinite(end) && start >= 0 && start < end ? { start, end } : null;
}

/** The cited sentences inside the passage, from "cite=120-180,200-260" (set by the chat), or []. */
function citedRanges(range) {
  if (!range) return [];
  const raw = new URLSearchParams(location.search).get("cite") || "";
  return raw.split(",").map((part) => part.split("-").map((n) => Number.parseInt(n, 10)))
    .filter(([s, e]) => Number.isFinite(s) && Number.isFinite(e) && range.start <= s && s < e && e <= range.end)
    .sort((a, b) => a[0] - b[0]);
}

/** Paragraph [start, end) as nodes: the passage in <mark class="passage">, cited sentences also "cited". */
function paragraphNodes(text, start, end, range, cited) {
  if (!range || range.end <= start || range.start >= end) return [text.slice(start, end)];
  const cuts = new Set([start, end, Math.max(range.start, start), Math.min(range.end, end)]);
  for (const [s, e] of cited) for (const x of [s, e]) if (start < x && x < end) cuts.add(x);
  const points = [...cuts].sort((a, b) => a - b);
  const nodes = [];
  for (let i = 0; i + 1 < points.length; i += 1) {
    const [s, e] = [points[i], points[i + 1]];
    if (s === e) continue;
    const piece = text.slice(s, e);
    if (s < range.start || e > range.end) nodes.push(piece);
    else if (cited.some(([cs, ce]) => cs <= s && e <= ce)) nodes.push(el("mark", { class: "passage cited" }, piece));
    else nodes.push(el("mark", { class: "passage" }, piece));
  }
  return nodes;
}

function renderText(text, range) {
  const box = $("doc-text");
  const cited = citedRanges(range);
  for (const { start, end } of paragraphs(text)) {
    if (!text.slice(start, end).trim()) continue;
    box.append(el("p", {}, paragraphNodes(text, start, end, range, cited)));
  }
  const first = box.querySelector("mark.passage");
  if (first) {
    first.id = "passage";
    first.tabIndex = -1;
    first.before(el("span", { class: "sr-only" }, "Cited passage: "));
  }
  return { first, target: box.querySelector("mark.cited") || first };
}

function render(doc) {
  const title = doc.title || "Untitled document";
  document.title = `${title} — kzqa`;
  $("doc-title").textContent = title;
  if (doc.subtitle) {
    $("doc-subtitle").textContent = doc.subtitle;
    $("doc-subtitle").hidden = false;
  }
  $("doc-meta").append(...metaLine(doc));
  const links = $("doc-links");
  const back = chatReferrer();
  if (back) {
    const backLink = el("a", { href: back, id: "back-to-chat", "aria-label": "Back to the conversation" },
      "← Back", wide(" to the conversation"));
    // the browser's Back returns to the page as it was (the chat also keeps where the reader was in it);
    // in a tab of its own (opened with a middle click) there is nothing to go back to, and the link opens it
    backLink.addEventListener("click", (event) => {
      if (history.length > 1) {
        event.preventDefault();
        history.back();
      }
    });
    links.append(backLink);
  }
  if (originalUrl(doc.url)) {
    links.append(externalLink(doc.url, ["Original", wide(` article (${hostOf(doc.url)})`), " ↗"], { id: "doc-url" }));
  } else {
    // say so, rather than leave the reader looking for a link (metadata.json has no URL for every article)
    links.append(el("span", { id: "doc-url-unknown", class: "muted" },
      el("span", { class: "narrow" }, "No original link"), wide("The original article's address is not known.")));
  }
  const text = String(doc.text || "");
  const { first, target } = renderText(text, passageRange(text.length));
  if (!first && new URLSearchParams(location.search).has("start")) {
    // a link to a passage the text does not hold (edited by hand, or the corpus changed since the answer)
    $("status").textContent = "The passage this link points to is not in the document; the whole text is shown.";
  }
  if (first) {
    const jump = el("a", { href: "#passage", id: "jump-to-passage", "aria-label": "Jump to the cited passage" },
      "Jump to", wide(" the cited"), " passage");
    jump.addEventListener("click", (event) => { // no history entry: Back still leaves the page
      event.preventDefault();
      target.scrollIntoView({ block: "center" });
      first.focus({ preventScroll: true });
    });
    links.append(jump);
    links.classList.add("sticky");
    links.style.top = `${document.querySelector(".site-header").offsetHeight}px`;
    target.scrollIntoView({ block: "center" });
    first.focus({ preventScroll: true });
  }
}

/** Words of a link that a narrow screen leaves out, so that the links above the text keep to one line there
 * and the passage below them stays in view ("← Back", "Original ↗", "Jump to passage"); a "narrow" span is
 * shown there instead. */
function wide(text) {
  return el("span", { class: "wide" }, text);
}

/** The chat page the reader came from (same site), to go back to it. */
function chatReferrer() {
  try {
    const from = new URL(document.referrer);
    return from.origin === location.origin && /^\/(c\/[^/]+)?$/.test(from.pathname) ? from.pathname : null;
  } catch {
    return null;
  }
}

async function main() {
  const raw = location.pathname.replace(/^\/documents\//, "").replace(/\/+$/, "");
  let docId = raw;
  try {
    docId = decodeURIComponent(raw);
  } catch {
    /* keep raw */
  }
  try {
    if (!docId) throw Object.assign(new Error("No document id in the address."), { status: 404 });
    render(await fetchJSON(`/api/documents/${encodeURIComponent(docId)}`));
  } catch (err) {
    document.title = "Document not found — kzqa";
    $("doc-title").textContent = err.status === 404 ? "No such document" : "Could not load the document";
    const status = $("status");
    status.className = "error";
    status.setAttribute("role", "alert");
    status.textContent = err.status === 404 ? `There is no document with the id “${docId}”.` : err.message;
    status.append(" ", el("a", { href: "/documents" }, "Browse all documents"));
  } finally {
    $("doc").removeAttribute("aria-busy");
  }
}

main();
