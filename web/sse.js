// POST /api/chat with "stream": true, read as Server-Sent Events through fetch (EventSource cannot POST).
import { ApiError, OFFLINE, problemError } from "/static/common.js";

/** Splits a text stream into SSE events ({event, data}), line by line as the SSE spec reads them. */
class EventParser {
  constructor(dispatch) {
    this.dispatch = dispatch;
    this.buffer = "";
    this.event = "";
    this.data = [];
  }

  push(text, final = false) {
    this.buffer += text;
    const eol = /\r\n|\r|\n/g;
    let last = 0;
    for (let m = eol.exec(this.buffer); m; m = eol.exec(this.buffer)) {
      // A "\r" at the very end may be the first half of "\r\n": wait for the next chunk.
      if (!final && m[0] === "\r" && m.index === this.buffer.length - 1) break;
      this.line(this.buffer.slice(last, m.index));
      last = eol.lastIndex;
    }
    this.buffer = this.buffer.slice(last);
    if (final) {
      if (this.buffer) this.line(this.buffer);
      this.buffer = "";
      this.line("");
    }
  }

  line(line) {
    if (line === "") {
      if (this.data.length) this.dispatch(this.event || "message", this.data.join("\n"));
      this.event = "";
      this.data = [];
      return;
    }
    if (line.startsWith(":")) return; // comment / keep-alive
    const colon = line.indexOf(":");
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    if (field === "event") this.event = value;
    else if (field === "data") this.data.push(value);
  }
}

function parseData(raw) {
  try {
    return JSON.parse(raw);
  } catch {
    throw new ApiError("The server sent an unreadable answer. Please ask again.", 200);
  }
}

/**
 * Ask for a streamed answer. `on.started({conversationId, messageId})` is called when the reply begins
 * (its headers name where the turn is saved, before any event), `on.citations(data)` and `on.delta(data)` as
 * events arrive; resolves with the `done` payload (the whole response). Throws ApiError with a readable
 * message on an HTTP problem, an `error` event or a cut stream; AbortError when `signal` aborts.
 */
export async function streamChat(body, { signal, on = {} } = {}) {
  let response;
  try {
    response = await fetch("/api/chat", {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
      body: JSON.stringify({ ...body, stream: true }),
      signal,
    });
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError(OFFLINE, 0);
  }
  if (!response.ok) throw await problemError(response);
  const conversationId = response.headers.get("X-Conversation-Id");
  if (conversationId && typeof on.started === "function") {
    on.started({ conversationId, messageId: response.headers.get("X-Message-Id") });
  }
  if (!(response.headers.get("content-type") || "").includes("text/event-stream")) {
    return parseData(await response.text()); // a server that answered in one piece
  }

  let done = null;
  let failure = null;
  const parser = new EventParser((event, raw) => {
    if (failure || done) return;
    const data = parseData(raw);
    if (event === "error") {
      failure = new ApiError(data.detail || "The answer could not be completed. Please ask again.", data.status || 500,
        data.code || "");
    } else if (event === "done") {
      done = data;
    } else if (typeof on[event] === "function") {
      on[event](data);
    }
  });

  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  try {
    for (;;) {
      const { value, done: ended } = await reader.read();
      if (ended) break;
      parser.push(value);
      if (failure) break;
    }
    if (!failure) parser.push("", true);
  } catch (err) {
    if (err.name === "AbortError") throw err;
    throw new ApiError("The connection broke while the answer was arriving. Please ask again.", 0);
  } finally {
    reader.cancel().catch(() => {});
  }
  if (failure) throw failure;
  if (!done) throw new ApiError("The answer was cut off before it ended. Please ask again.", 0);
  return done;
}
