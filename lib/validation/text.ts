import { z } from "zod";

/**
 * Text PostgreSQL can store, for every text field and search term of the REST API and the server actions.
 * PostgreSQL refuses NUL in `text` and `jsonb`, and an unpaired UTF-16 surrogate in `jsonb` (JSON.stringify
 * writes it as a `\ud800` escape, which jsonb rejects); either failed the whole statement, a 500. In `text` the
 * drivers' UTF-8 encoding already turns an unpaired surrogate into U+FFFD without a word. So, one rule
 * everywhere: NUL is refused (422: the client sent something no text can hold), and unpaired surrogates become
 * U+FFFD here, before anything is stored or echoed, so a message's text and its jsonb parts agree.
 */
export const NUL_MESSAGE = "must not contain NUL characters (\\u0000)";

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** What String.prototype.toWellFormed does; spelled out because the dialog's checks also run in browsers without it. */
export function toWellFormed(text: string): string {
  return text.replace(LONE_SURROGATE, "\ufffd");
}

/** A string schema whose value PostgreSQL can store; chain .trim(), .min(), .max() after it as usual. */
export function storableText(nulMessage = NUL_MESSAGE) {
  return z
    .string()
    .overwrite(toWellFormed)
    .refine((text) => !text.includes("\u0000"), { message: nulMessage });
}
