// The citation card: hovering or focusing a [n] marker (or a source link) shows the quoted passage,
// with the cited sentence emphasised, and its outlet, author and date. Escape closes it.
import { el, metaLine, hostOf, originalUrl } from "/static/common.js";

const CONTEXT = 220; // characters of passage shown around the cited sentence(s)
const card = el("div", { id: "cite-card", class: "cite-card", role: "tooltip", hidden: true });
let current = null; // the anchor the card belongs to
let hideTimer = 0;

/** The passage as nodes: cited sentences in <mark>, trimmed to some context around them. */
function excerpt(text, ranges) {
  let from = 0;
  let to = text.length;
  if (ranges.length) {
    from = Math.max(0, ranges[0][0] - CONTEXT);
    to = Math.min(text.length, ranges[ranges.length - 1][1] + CONTEXT);
  } else {
    to = Math.min(text.length, 2 * CONTEXT);
  }
  if (from > 0) from = text.indexOf(" ", from) + 1 || from; // start and end on word boundaries
  if (to < text.length) to = text.lastIndexOf(" ", to) > from ? text.lastIndexOf(" ", to) : to;
  const nodes = from > 0 ? ["… "] : [];
  let pos = from;
  for (const [start, end] of ranges) {
    nodes.push(text.slice(pos, start), el("mark", { class: "cited" }, text.slice(start, end)));
    pos = end;
  }
  nodes.push(text.slice(pos, to));
  if (to < text.length) nodes.push(" …");
  return nodes;
}

function fill({ citation: c, ranges }) {
  card.replaceChildren(
    el("p", { class: "card-source" }, el("span", { class: "card-n" }, `[${c.n}]`), " ",
      el("strong", { class: "card-outlet" }, c.outlet || "Unknown outlet")),
    el("p", { class: "card-meta" }, ...metaLine(c, { outlet: false })),
    el("p", { class: "card-title" }, c.title || ""),
    el("blockquote", { class: "card-quote" }, ...excerpt(String(c.text || ""), ranges)),
    el("p", { class: "card-hint" }, "Click or press Enter to read it in the document",
      originalUrl(c.url) ? ` · original: ${hostOf(c.url)}` : ""),
  );
}

function place(anchor) {
  const r = anchor.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  card.style.left = "0px";
  card.style.top = "0px";
  const { offsetWidth: w, offsetHeight: h } = card;
  const left = Math.max(8, Math.min(r.left + r.width / 2 - w / 2, vw - w - 8));
  let top = r.bottom + 6;
  if (top + h > window.innerHeight - 8 && r.top - h - 6 >= 8) top = r.top - h - 6;
  card.style.left = `${left + window.scrollX}px`;
  card.style.top = `${top + window.scrollY}px`;
}

function show(anchor, info) {
  clearTimeout(hideTimer);
  if (current === anchor && !card.hidden) return;
  if (current) current.removeAttribute("aria-describedby");
  current = anchor;
  fill(info);
  card.hidden = false;
  place(anchor);
  anchor.setAttribute("aria-describedby", card.id);
}

export function hideCard() {
  clearTimeout(hideTimer);
  card.hidden = true;
  if (current) current.removeAttribute("aria-describedby");
  current = null;
}

const hideSoon = () => {
  clearTimeout(hideTimer);
  hideTimer = setTimeout(hideCard, 200);
};

/** Show cards for `a[data-n]` inside `root`; `lookup(anchor)` gives {citation, ranges} or null
 * (ranges: [start, end) of the cited sentences in `citation.text`). */
export function installCards(root, lookup) {
  document.body.append(card);
  const target = (event) => {
    const anchor = event.target instanceof Element ? event.target.closest("a[data-n]") : null;
    return anchor && root.contains(anchor) ? anchor : null;
  };
  const open = (event) => {
    const anchor = target(event);
    const info = anchor && lookup(anchor);
    if (info) show(anchor, info);
  };
  root.addEventListener("mouseover", open);
  root.addEventListener("focusin", open);
  root.addEventListener("mouseout", (event) => {
    const anchor = target(event);
    if (anchor && anchor === current && !anchor.contains(event.relatedTarget) && !card.contains(event.relatedTarget)) {
      hideSoon();
    }
  });
  root.addEventListener("focusout", (event) => {
    const anchor = target(event);
    if (anchor && anchor === current) hideCard();
  });
  card.addEventListener("mouseenter", () => clearTimeout(hideTimer));
  card.addEventListener("mouseleave", hideSoon);
  document.addEventListener("keydown", (event) => {
    if (event.key === "Escape" && current) hideCard();
  });
  window.addEventListener("resize", () => current && place(current));
}
