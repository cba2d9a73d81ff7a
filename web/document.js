import { el, externalLink, metaLine, fetchJSON, hostOf } from "/static/common.js";

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

function renderText(text, range) {
  const box = $("doc-text");
  let first = null;
  for (const { start, end } of paragraphs(text)) {
    const body = text.slice(start, end);
    if (!body.trim()) continue;
    const p = el("p");
    const s = range ? Math.max(range.start, start) : 0;
    const e = range ? Math.min(range.end, end) : 0;
    if (s < e) {
      const mark = el("mark", { class: "passage" }, text.slice(s, e));
      if (!first) {
        first = mark;
        mark.id = "passage";
        mark.tabIndex = -1;
      }
      const label = first === mark ? [el("span", { class: "sr-only" }, "Cited passage: ")] : [];
      p.append(text.slice(start, s), ...label, mark, text.slice(e, end));
    } else {
      p.append(body);
    }
    box.append(p);
  }
  return first;
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
  if (back) links.append(el("a", { href: back, id: "back-to-chat" }, "← Back to the conversation"));
  if (doc.url) {
    links.append(externalLink(doc.url, `Original article (${hostOf(doc.url)}) ↗`, { id: "doc-url" }));
  }
  const text = String(doc.text || "");
  const mark = renderText(text, passageRange(text.length));
  if (mark) {
    links.append(el("a", { href: "#passage", id: "jump-to-passage" }, "Jump to the cited passage"));
    links.classList.add("sticky");
    links.style.top = `${document.querySelector(".site-header").offsetHeight}px`;
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
  }
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
