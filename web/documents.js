import { el, link, externalLink, metaLine, fetchJSON, hostOf, originalUrl } from "/static/common.js";

const list = document.getElementById("doc-list");
const status = document.getElementById("status");

try {
  const { documents = [] } = await fetchJSON("/api/documents");
  status.textContent = `${documents.length} document${documents.length === 1 ? "" : "s"} in the corpus.`;
  for (const doc of documents) {
    list.append(
      el("li", { class: "doc", "data-doc-id": doc.doc_id },
        el("h2", { class: "doc-title" }, link(doc.link || `/documents/${encodeURIComponent(doc.doc_id)}`, doc.title || doc.doc_id)),
        doc.subtitle ? el("p", { class: "subtitle" }, doc.subtitle) : null,
        el("p", { class: "doc-meta" }, ...metaLine(doc),
          originalUrl(doc.url) ? [" · ", externalLink(doc.url, `original (${hostOf(doc.url)})`, { class: "original" })] : null),
      ),
    );
  }
} catch (err) {
  status.className = "error";
  status.setAttribute("role", "alert");
  status.textContent = err.message;
}
