// What this tab must not lose when the page goes away (sessionStorage: this tab only, gone when it closes):
// - where the reader was in each conversation, so that "Back to the conversation" on a document page, the
//   browser's Back and a reload return there rather than to the top (the conversation is drawn after the
//   page loads, too late for the browser's own scroll restoration);
// - the question in the box and the one on its way to the server, so that a reload loses neither.
const SCROLL_KEY = (path) => `kzqa:scroll:${path}`;
const DRAFT_KEY = "kzqa:draft";

function remember(key, value) {
  try {
    if (value === null) sessionStorage.removeItem(key);
    else sessionStorage.setItem(key, value);
  } catch {
    /* storage full or disabled: only the convenience is lost */
  }
}

/** The value kept under `key` (then forgotten: it is restored once), or null. */
function recall(key) {
  try {
    const value = sessionStorage.getItem(key);
    sessionStorage.removeItem(key);
    return value;
  } catch {
    return null;
  }
}

/** Keep the window's scroll position for the conversation at `path`. */
export function keepPlace(path) {
  remember(SCROLL_KEY(path), String(Math.round(window.scrollY)));
}

/** Scroll to the position kept for `path`, if any. */
export function restorePlace(path) {
  const y = Number.parseInt(recall(SCROLL_KEY(path)), 10);
  if (Number.isFinite(y) && y > 0) window.scrollTo(0, y);
}

/** Keep, for the page at `path`, the question in the box (`typed`) and the one on its way (`pending`, "" when
 * none): a reader may type the next question while the last one is being answered. Nothing when both are blank. */
export function keepDraft(path, typed, pending) {
  remember(DRAFT_KEY, typed.trim() || pending.trim() ? JSON.stringify({ path, typed, pending }) : null);
}

/** The draft kept when the page at `path` last went away: {typed, pending}, or null (none, or another page's:
 * a question asked in one conversation must not turn up in another). */
export function recallDraft(path) {
  try {
    const draft = JSON.parse(recall(DRAFT_KEY) || "null");
    if (!draft || draft.path !== path) return null;
    const text = (value) => (typeof value === "string" ? value : "");
    return { typed: text(draft.typed), pending: text(draft.pending) };
  } catch {
    return null;
  }
}
