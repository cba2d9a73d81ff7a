// Shared helpers. Server/user text only ever goes in via text nodes.

/** Create an element; string children become text nodes, null/false are skipped. */
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (key === "class") node.className = value;
    else node.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
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

/** A link, or plain text when the URL is not safe. */
export function link(url, text, attrs = {}) {
  const href = safeHref(url);
  return href ? el("a", { ...attrs, href }, text) : el("span", {}, text);
}

/** "2022-11-22" -> <time datetime="2022-11-22">22 Nov 2022</time>; null -> null. */
export function dateNode(iso) {
  if (!iso) return null;
  const d = new Date(`${iso}T00:00:00Z`);
  const label = Number.isNaN(d.getTime())
    ? iso
    : d.toLocaleDateString("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "UTC" });
  return el("time", { datetime: iso }, label);
}

/** "Outlet · Author · date" line as a list of nodes. */
export function metaLine(doc) {
  const parts = [doc.outlet, doc.author, dateNode(doc.published)].filter(Boolean);
  return parts.flatMap((part, i) => (i ? [" · ", part] : [part]));
}

/** Error carrying the server's problem+json detail and HTTP status. */
export class ApiError extends Error {
  constructor(message, status) {
    super(message);
    this.status = status;
  }
}

/** fetch + JSON; non-2xx responses throw ApiError with the problem `detail`. */
export async function fetchJSON(url, options = {}) {
  let response;
  try {
    response = await fetch(url, { headers: { Accept: "application/json" }, ...options });
  } catch {
    throw new ApiError("Could not reach the server. Check your connection and try again.", 0);
  }
  let body = null;
  try {
    body = await response.json();
  } catch {
    /* not JSON */
  }
  if (!response.ok) {
    const detail = body && (body.detail || body.title);
    throw new ApiError(
      typeof detail === "string" && detail ? detail : `Request failed (HTTP ${response.status}).`,
      response.status,
    );
  }
  if (body === null) throw new ApiError("The server sent an unreadable response.", response.status);
  return body;
}
