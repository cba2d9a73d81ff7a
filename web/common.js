// Shared helpers. Text from the server or the user only ever goes into the page as text nodes.

/** Create an element; string children become text nodes, null/false are skipped. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === "string" ? document.createTextNode(child) : child);
  }
  return node;
}

/** Only same-origin paths and http(s) URLs may become hrefs (no javascript: etc). */
export function safeHref(url) {
  if (typeof url !== "string" || !url) return null;
  try {
    const parsed = new URL(url, location.origin);
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? url : null;
  } catch {
    return null;
  }
}

/** An original article's address when it is an absolute http(s) URL, else null. */
export function originalUrl(url) {
  try {
    return typeof url === "string" && /^https?:$/.test(new URL(url).protocol) ? url : null;
  } catch {
    return null;
  }
}

/** A link, or plain text when the URL is not safe. */
export function link(url, text, attrs = {}) {
  const href = safeHref(url);
  return href ? el("a", { ...attrs, href }, text) : el("span", {}, text);
}

/** A link to an original article, opening in a new tab. */
export function externalLink(url, text, attrs = {}) {
  return link(url, [text, el("span", { class: "sr-only" }, " (opens in a new tab)")],
    { rel: "noopener noreferrer", target: "_blank", ...attrs });
}

// As the answers' date line writes them (phrases.format_date): ICU's en-GB has "Sept" for September.
export const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/** "2022-11-22" -> "22 Nov 2022", in Russian or Kazakh ("ru", "kk") "22.11.2022", as an answer's "According to"
 * line writes it (the input itself when it is not a date). */
export function formatDate(iso, lang = "en") {
  const d = new Date(`${iso}T00:00:00Z`);
  if (Number.isNaN(d.getTime())) return String(iso);
  const [day, month, year] = [d.getUTCDate(), d.getUTCMonth(), d.getUTCFullYear()];
  if (lang === "ru" || lang === "kk") return `${String(day).padStart(2, "0")}.${String(month + 1).padStart(2, "0")}.${year}`;
  return `${day} ${MONTHS[month]} ${year}`;
}

/** <time datetime="2022-11-22">22 Nov 2022</time> (``formatDate``); null -> null. */
export function dateNode(iso, lang = "en") {
  return iso ? el("time", { datetime: iso }, formatDate(iso, lang)) : null;
}

/** "Outlet · Author · date" line as a list of nodes (parts that are missing are left out). */
export function metaLine(doc, { outlet = true } = {}) {
  const parts = [outlet ? doc.outlet : null, doc.author, dateNode(doc.published)].filter(Boolean);
  return parts.flatMap((part, i) => (i ? [" · ", part] : [part]));
}

/** The host name of a URL, for "original: example.org". */
export function hostOf(url) {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return "";
  }
}

const ICONS = {
  up: "M1 21h4V9H1v12zm22-11c0-1.1-.9-2-2-2h-6.31l.95-4.57.03-.32c0-.41-.17-.79-.44-1.06L14.17 1 7.59 7.59C7.22 7.95 7 8.45 7 9v10c0 1.1.9 2 2 2h9c.83 0 1.54-.5 1.84-1.22l3.02-7.05c.09-.23.14-.47.14-.73v-2z",
  down: "M15 3H6c-.83 0-1.54.5-1.84 1.22l-3.02 7.05c-.09.23-.14.47-.14.73v2c0 1.1.9 2 2 2h6.31l-.95 4.57-.03.32c0 .41.17.79.44 1.06L9.83 23l6.59-6.59c.36-.36.58-.86.58-1.41V5c0-1.1-.9-2-2-2zm4 0v12h4V3h-4z",
  copy: "M16 1H4c-1.1 0-2 .9-2 2v14h2V3h12V1zm3 4H8c-1.1 0-2 .9-2 2v14c0 1.1.9 2 2 2h11c1.1 0 2-.9 2-2V7c0-1.1-.9-2-2-2zm0 16H8V7h11v14z",
  trash: "M6 19c0 1.1.9 2 2 2h8c1.1 0 2-.9 2-2V7H6v12zM19 4h-3.5l-1-1h-5l-1 1H5v2h14V4z",
  menu: "M3 18h18v-2H3v2zm0-5h18v-2H3v2zm0-7v2h18V6H3z",
  plus: "M19 13h-6v6h-2v-6H5v-2h6V5h2v6h6v2z",
};

/** A decorative inline SVG icon (hidden from screen readers: the button carries the label). */
export function icon(name) {
  const ns = "http://www.w3.org/2000/svg";
  const svg = document.createElementNS(ns, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  svg.setAttribute("aria-hidden", "true");
  svg.setAttribute("focusable", "false");
  svg.classList.add("icon");
  const path = document.createElementNS(ns, "path");
  path.setAttribute("d", ICONS[name]);
  svg.append(path);
  return svg;
}

/** Error carrying the server's problem+json detail, HTTP status and code. */
export class ApiError extends Error {
  constructor(message, status, code = "") {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/** A readable ApiError from a failed response (problem+json `detail` when there is one). */
export async function problemError(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON */
  }
  const detail = body && (body.detail || body.title);
  const message = typeof detail === "string" && detail ? detail : `The server could not answer (HTTP ${response.status}).`;
  return new ApiError(message, response.status, (body && body.code) || "");
}

export const OFFLINE = "Could not reach the server. Check your connection and try again.";

/** fetch + JSON; non-2xx responses throw ApiError with the problem `detail`. */
export async function fetchJSON(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(OFFLINE, 0);
  }
  if (!response.ok) throw await problemError(response);
  if (response.status === 204) return null;
  try {
    return await response.json();
  } catch {
    throw new ApiError("The server sent an unreadable response.", response.status);
  }
}

/** POST a JSON body, expecting JSON back. */
export function postJSON(url, body, options = {}) {
  return fetchJSON(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
    ...options,
  });
}
