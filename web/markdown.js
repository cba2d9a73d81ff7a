// An answer as Markdown: its text with the [n] markers as links, and its sources listed below.
import { formatDate, originalUrl } from "/static/common.js";
import { MARKER, passageHref, quotesByN } from "/static/cited.js";

/** Escape what Markdown (or HTML inside Markdown) would otherwise read as markup. */
export function escapeMarkdown(text) {
  return String(text || "").replace(/[\\`*_[\]<>]/g, "\\$&").replace(/^(\s*)(#|[-+]\s|\d+[.)]\s)/, "$1\\$2");
}

const absolute = (url) => new URL(url, location.origin).href;
const destination = (url) => `<${absolute(url).replace(/[<>\s]/g, encodeURIComponent)}>`;

/** Markdown for one answer (the /api/chat response); each link to a passage highlights the sentences
 * quoted from it, as the chat's links do. */
export function answerMarkdown(data) {
  const citations = Array.isArray(data.citations) ? data.citations : [];
  const quotes = quotesByN(data.answer);
  const href = (c) => destination(passageHref(c, quotes.get(Number(c.n))));
  const known = new Set(citations.map((c) => Number(c.n)));
  const lines = String(data.answer || "").split("\n").filter((line) => line.trim()).map((line) => {
    let out = "";
    let last = 0;
    for (const m of line.matchAll(MARKER)) {
      out += escapeMarkdown(line.slice(last, m.index));
      out += m[1].split(",").map((n) => Number(n.trim()))
        .map((n) => (known.has(n) ? `[\\[${n}\\]][${n}]` : `\\[${n}\\]`)).join("");
      last = m.index + m[0].length;
    }
    return out + escapeMarkdown(line.slice(last));
  });
  if (!citations.length) return `${lines.join("\n\n")}\n`;

  const heading = data.answered === false ? "Closest passages" : "Sources";
  const sources = citations.map((c) => {
    const details = [c.author, c.published ? formatDate(c.published) : null].filter(Boolean).map(escapeMarkdown);
    const original = originalUrl(c.url) ? ` ([original](${destination(c.url)}))` : "";
    return `${c.n}. [${escapeMarkdown(c.title || "Untitled")}](${href(c)}) — `
      + `${escapeMarkdown(c.outlet || "Unknown outlet")}${details.length ? `, ${details.join(", ")}` : ""}${original}`;
  });
  const refs = citations.map((c) => `[${c.n}]: ${href(c)}`);
  return `${lines.join("\n\n")}\n\n**${heading}**\n\n${sources.join("\n")}\n\n${refs.join("\n")}\n`;
}

/** Put text on the clipboard (Clipboard API, or a hidden textarea where it is not available). */
export async function copyText(text) {
  if (navigator.clipboard && window.isSecureContext) {
    try {
      await navigator.clipboard.writeText(text);
      return;
    } catch {
      /* fall back below */
    }
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.append(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("The browser did not allow copying.");
}
