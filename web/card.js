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

/** Whether two rects (viewport px) overlap. */
const overlaps = (a, b) => a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;

/** Put the card by its marker, below it or above: of the places that leave every other marker of the answer
 * uncovered (so the reader can go on to the next one: a card below [1] lay over the [2] of the line beneath),
 * the one nearest the marker; centred on it, to its side, or beside the other markers. Where none is free,
 * below it (above when below has no room). */
function place(anchor) {
  const r = anchor.getBoundingClientRect();
  const vw = document.documentElement.clientWidth;
  const vh = window.innerHeight;
  card.style.left = "0px";
  card.style.top = "0px";
  const { offsetWidth: w, offsetHeight: h } = card;
  const clampLeft = (x) => Math.max(8, Math.min(x, vw - w - 8));
  const centred = clampLeft(r.left + r.width / 2 - w / 2);
  const below = r.bottom + 6;
  const above = r.top - h - 6;
  const others = [...(anchor.closest("article") || document).querySelectorAll("a[data-n]")]
    .filter((a) => a !== anchor).map((a) => a.getBoundingClientRect()).filter((o) => o.width && o.height);
  const lefts = [centred, r.right + 8, r.left - w - 8, ...others.flatMap((o) => [o.left - w - 8, o.right + 8])]
    .map(clampLeft);
  const spots = [below, above].filter((top) => top >= 8 && top + h <= vh - 8)
    .flatMap((top) => lefts.map((left) => ({ left, top, far: Math.abs(left - centred) + Math.abs(top - below) })))
    .filter(({ left, top }) => !others.some((o) => overlaps(o, { left, top, right: left + w, bottom: top + h })))
    .sort((a, b) => a.far - b.far);
  const spot = spots[0] || { left: centred, top: below + h > vh - 8 && above >= 8 ? above : below };
  card.style.left = `${spot.left + window.scrollX}px`;
  card.style.top = `${spot.top + window.scrollY}px`;
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
