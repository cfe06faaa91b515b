/**
 * Turns what useChat reports into one readable sentence. The transport throws an Error whose message is the
 * response body, which for our routes is JSON `{detail, code}`; network failures carry the browser's text.
 */

export interface ReadableChatError {
  message: string;
  /**
   * The server refused the send before doing anything, so nothing was stored: a reply was already streaming in
   * this chat (another tab or a double send, 409), the user is sending too fast (429), or the account's monthly
   * budget is used up (402).
   */
  refused: boolean;
}

const GENERIC = "The reply could not be generated. Try again in a moment.";

export function readChatError(error: Error | undefined | null): ReadableChatError | null {
  if (!error) return null;
  const raw = error.message ?? "";
  let detail: string | undefined;
  let code: string | undefined;
  try {
    const body: unknown = JSON.parse(raw);
    if (body && typeof body === "object") {
      const b = body as { detail?: unknown; code?: unknown };
      if (typeof b.detail === "string") detail = b.detail;
      if (typeof b.code === "string") code = b.code;
    }
  } catch {
    // Not JSON: a network error or a stream that broke off.
  }
  if (code === "conflict:generation") {
    return {
      message: "A reply is already being written in this chat (perhaps in another tab). Wait for it or stop it, then send again.",
      refused: true,
    };
  }
  // The server's sentence says how long to wait (the Retry-After header does not reach this callback).
  // The account's monthly budget is used up, or it waits for an admin's approval: refused before anything was
  // stored, and the server's sentence says why.
  if (code === "budget_exceeded:chat" || code === "forbidden:pending_approval")
    return { message: detail ?? "This account cannot send messages right now.", refused: true };
  if (code === "rate_limited:chat")
    return { message: detail ?? "You are sending messages too quickly. Wait a moment, then send again.", refused: true };
  if (detail) return { message: detail, refused: false };
  if (/failed to fetch|networkerror|load failed|network/i.test(raw)) {
    return { message: "Could not reach the server. Check your connection and try again.", refused: false };
  }
  // A mid-stream error arrives as the stream's errorText: the server words it for people, so a short plain
  // sentence is shown as is. Anything that looks like markup or a stack trace is not.
  const text = raw.trim();
  if (text && text.length <= 300 && !/[<>{}\n]|^\w*Error\b|\bat \S+:\d+/.test(text)) return { message: text, refused: false };
  return { message: GENERIC, refused: false };
}
