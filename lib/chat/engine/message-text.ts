import { storableText } from "@/lib/validation/text";

/**
 * The text of a user message: the REST API's `message` and the chat screen's text parts are both checked by
 * this one schema, so the two paths accept and store exactly the same texts. Client-safe: no server imports.
 */
export const MAX_MESSAGE_CHARS = 32_000;

export const messageText = storableText()
  .min(1, { message: "must not be empty" })
  .max(MAX_MESSAGE_CHARS, { message: `must be at most ${MAX_MESSAGE_CHARS} characters` })
  .refine((text) => text.trim().length > 0, { message: "must not be only whitespace" });
