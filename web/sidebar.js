// The side list of saved conversations: open one, delete one.
import { el, icon, fetchJSON, MONTHS } from "/static/common.js";

const list = document.getElementById("history-list");
const empty = document.getElementById("history-empty");
const status = document.getElementById("history-status");
const sidebar = document.getElementById("sidebar");
const toggle = document.getElementById("toggle-history");

let handlers = { open() {}, deleted() {} };
let activeId = null;

function when(seconds) {
  const d = new Date(seconds * 1000);
  const sameDay = d.toDateString() === new Date().toDateString();
  return sameDay
    ? d.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit" })
    : `${d.getDate()} ${MONTHS[d.getMonth()]} ${d.getFullYear()}`; // local time, as the time of day
}

function item(conv) {
  const id = conv.conversation_id;
  const title = conv.title || "Untitled conversation";
  const open = el("a", { class: "conv-link", href: `/c/${encodeURIComponent(id)}`, "data-id": id },
    el("span", { class: "conv-title" }, title),
    el("time", { class: "conv-when", datetime: new Date(conv.updated * 1000).toISOString() }, when(conv.updated)));
  open.addEventListener("click", (event) => {
    if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    event.preventDefault();
    handlers.open(id);
  });
  const remove = el("button", { type: "button", class: "conv-delete icon-button", "data-id": id,
    "aria-label": `Delete conversation “${title}”`, title: "Delete conversation" }, icon("trash"));
  remove.addEventListener("click", () => removeConversation(id, title, remove));
  return el("li", { class: "conv", "data-id": id }, open, remove);
}

async function removeConversation(id, title, button) {
  if (!window.confirm(`Delete the conversation “${title}”? This cannot be undone.`)) return;
  button.disabled = true;
  try {
    await fetchJSON(`/api/conversations/${encodeURIComponent(id)}`, { method: "DELETE" });
    status.textContent = `Deleted “${title}”.`;
    handlers.deleted(id);
  } catch (err) {
    if (err.status !== 404) {
      status.textContent = `Could not delete: ${err.message}`;
      button.disabled = false;
      return;
    }
    handlers.deleted(id);
  }
  const next = button.closest("li").nextElementSibling || button.closest("li").previousElementSibling;
  await refreshSidebar();
  (list.querySelector(`li[data-id="${CSS.escape(next?.dataset.id || "")}"] .conv-delete`) || document.getElementById("question")).focus();
}

/** Mark the open conversation in the list. */
export function setActive(id) {
  activeId = id;
  for (const a of list.querySelectorAll(".conv-link")) {
    if (a.dataset.id === id) a.setAttribute("aria-current", "page");
    else a.removeAttribute("aria-current");
  }
}

/** Reload the list from the server. */
export async function refreshSidebar() {
  try {
    const { conversations = [] } = await fetchJSON("/api/conversations?limit=100");
    list.replaceChildren(...conversations.map(item));
    empty.hidden = conversations.length > 0;
    setActive(activeId);
  } catch (err) {
    status.textContent = `Could not load conversations: ${err.message}`;
  }
}

/** Show or hide the list on narrow screens (on wide screens it is always shown). */
function setOpen(open) {
  sidebar.classList.toggle("open", open);
  toggle.setAttribute("aria-expanded", String(open));
}

export function closeSidebarOnNarrow() {
  if (sidebar.classList.contains("open")) setOpen(false);
}

export function installSidebar(options) {
  handlers = { ...handlers, ...options };
  toggle.addEventListener("click", () => {
    const open = !sidebar.classList.contains("open");
    setOpen(open);
    if (open) (list.querySelector(".conv-link") || sidebar).focus();
  });
  // on a narrow screen the open list covers the page: Escape closes it, as it closes a citation's card
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape" || !sidebar.classList.contains("open")) return;
    setOpen(false);
    toggle.focus();
  });
  return refreshSidebar();
}
