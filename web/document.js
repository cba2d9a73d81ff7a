import { el, link, metaLine, fetchJSON } from "/static/common.js";

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
      p.append(text.slice(start, s), mark, text.slice(e, end));
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
  if (doc.url) {
    $("doc-links").append(link(doc.url, "Original article", { id: "doc-url", rel: "noopener noreferrer", target: "_blank" }));
  }
  const text = String(doc.text || "");
  const mark = renderText(text, passageRange(text.length));
  if (mark) {
    $("doc-links").append(doc.url ? " · " : "", el("a", { href: "#passage" }, "Jump to cited passage"));
    mark.scrollIntoView({ block: "center" });
    mark.focus({ preventScroll: true });
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
