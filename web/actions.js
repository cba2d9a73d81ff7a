// The row under a finished answer: copy as Markdown, thumbs up / down with an optional reason and comment.
import { el, icon, postJSON } from "/static/common.js";
import { answerMarkdown, copyText } from "/static/markdown.js";

const REASONS = [
  ["evidence_wrong", "The evidence is wrong"],
  ["incomplete", "The answer is incomplete"],
  ["other", "Other"],
];
let uid = 0;

function copyButton(data, say) {
  const button = el("button", { type: "button", class: "copy-answer secondary" }, icon("copy"), " Copy");
  button.setAttribute("aria-label", "Copy the answer as Markdown, with its sources");
  button.title = "Copy as Markdown";
  button.addEventListener("click", async () => {
    try {
      await copyText(answerMarkdown(data));
      say("Copied as Markdown.");
    } catch (err) {
      say(err.message || "Could not copy.", true);
    }
  });
  return button;
}

function thumb(rating) {
  const label = rating === "up" ? "Good answer" : "Bad answer";
  return el("button", { type: "button", class: `thumb thumb-${rating} secondary`, "aria-pressed": "false",
    "aria-label": label, title: label, "data-rating": rating }, icon(rating));
}

function feedbackForm(id) {
  const comment = `${id}-comment`;
  return el("form", { class: "feedback-form", hidden: true, "aria-label": "Feedback on this answer" },
    el("fieldset", { class: "fb-reasons" },
      el("legend", {}, "What was wrong? (optional)"),
      REASONS.map(([value, text]) => el("label", { class: "fb-reason" },
        el("input", { type: "radio", name: `${id}-reason`, value }), ` ${text}`))),
    el("label", { for: comment, class: "fb-comment-label" }, "Comment (optional)"),
    el("textarea", { id: comment, class: "fb-comment", rows: 2, maxlength: 2000 }),
    el("div", { class: "fb-buttons" },
      el("button", { type: "submit", class: "fb-send" }, "Send feedback"),
      el("button", { type: "button", class: "fb-cancel secondary" }, "Cancel")));
}

/** Actions for one answer; `feedback` is what was already given (from a saved conversation). */
export function answerActions(data, feedback = []) {
  const id = `fb-${++uid}`;
  const note = el("p", { class: "action-status", role: "status" });
  const say = (text, isError = false) => {
    note.textContent = text;
    note.classList.toggle("error-text", isError);
  };
  const up = thumb("up");
  const down = thumb("down");
  const form = feedbackForm(id);
  const group = el("div", { class: "feedback", role: "group", "aria-label": "Rate this answer" }, up, down);
  const box = el("div", { class: "answer-actions" }, copyButton(data, say), group, form, note);
  let rating = null;

  const press = (chosen) => {
    up.setAttribute("aria-pressed", String(chosen === "up"));
    down.setAttribute("aria-pressed", String(chosen === "down"));
  };
  const close = (sent) => {
    form.hidden = true;
    if (!sent) press(null);
    (rating === "up" ? up : down).focus();
  };
  const open = (chosen) => {
    rating = chosen;
    press(chosen);
    form.querySelector(".fb-reasons").hidden = chosen === "up";
    form.hidden = false;
    say("");
    (chosen === "up" ? form.querySelector(".fb-comment") : form.querySelector("input")).focus();
  };
  up.addEventListener("click", () => open("up"));
  down.addEventListener("click", () => open("down"));
  form.querySelector(".fb-cancel").addEventListener("click", () => close(false));
  form.addEventListener("keydown", (event) => {
    if (event.key === "Escape") close(false);
  });
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const reason = rating === "down" ? form.querySelector("input:checked")?.value || null : null;
    const comment = form.querySelector(".fb-comment").value.trim() || null;
    const send = form.querySelector(".fb-send");
    send.disabled = true;
    say("Sending…");
    try {
      await postJSON("/api/feedback", { message_id: data.message_id, rating, reason, comment });
      form.reset();
      close(true);
      say("Thanks — your feedback was sent.");
    } catch (err) {
      say(`Feedback not sent: ${err.message}`, true);
    } finally {
      send.disabled = false;
    }
  });

  const last = feedback.at(-1);
  if (last) {
    press(last.rating);
    say(`You rated this answer ${last.rating === "up" ? "good" : "bad"}.`);
  }
  if (!data.message_id) group.hidden = true; // nothing to rate
  return box;
}
