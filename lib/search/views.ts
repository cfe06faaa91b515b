import { z } from "zod";

/**
 * One search result: a chat with its best matching message. Highlights are [start, end) offsets (UTF-16 code
 * units, i.e. JavaScript string indices) into `snippet` and `title`: plain text plus ranges, so no client ever
 * has to render markup to show them.
 */
const ranges = z
  .array(z.tuple([z.number().int().min(0), z.number().int().min(0)]))
  .describe("[start, end) offsets of the matched words, in UTF-16 code units");

export const searchResultSchema = z.object({
  session_id: z.uuid(),
  project_id: z.uuid(),
  title: z.string(),
  title_highlights: ranges,
  message_id: z.uuid().nullable().describe("The best matching message; null when only the title matches"),
  snippet: z.string().describe("An excerpt of the message around its matches (the title when only the title matches)"),
  highlights: ranges,
  created_at: z.iso.datetime().describe("When the message was written (the chat's last activity for a title match)"),
});
export type SearchResultView = z.output<typeof searchResultSchema>;
