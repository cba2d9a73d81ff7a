// What each [n] of an answer quotes, and the document link that highlights it: shared by the chat
// (answer.js) and the Markdown copy (markdown.js), so both point at the same sentences.

export const MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

export const numbers = (group) => group.split(",").map((n) => Number(n.trim()));

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

const escapeRegExp = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** [start, end) of each quote in the passage (whitespace-insensitive), sorted, not overlapping. */
export function findQuotes(text, quotes) {
  const ranges = [];
  for (const quote of quotes) {
    const words = quote.split(/\s+/).filter(Boolean).map(escapeRegExp);
    const m = words.length ? new RegExp(words.join("\\s+")).exec(text) : null;
    if (m) ranges.push([m.index, m.index + m[0].length]);
  }
  ranges.sort((a, b) => a[0] - b[0]);
  return ranges.filter((r, i) => i === 0 || r[0] >= ranges[i - 1][1]);
}

/** The document link of a citation; with the cited sentences' offsets ("cite=") when they are known. */
export function passageHref(c, quotes) {
  const ranges = findQuotes(String(c.text || ""), quotes || []);
  if (!ranges.length || !Number.isFinite(c.start)) return c.link;
  try {
    const url = new URL(c.link, location.origin);
    if (url.origin !== location.origin) return c.link;
    url.searchParams.set("cite", ranges.map(([s, e]) => `${c.start + s}-${c.start + e}`).join(","));
    return url.pathname + url.search + url.hash;
  } catch {
    return c.link;
  }
}

