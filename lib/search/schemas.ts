import { z } from "zod";
import { storableText } from "@/lib/validation/text";
import { SEARCH_MAX_LENGTH } from "./terms";

/** `GET /api/v1/search?q=&limit=&cursor=` (the REST route, the service and the OpenAPI document share it). */
export const searchQuery = z.object({
  // Not trimmed: a space after the last word says it is finished (no prefix match, terms.ts).
  q: storableText()
    .max(SEARCH_MAX_LENGTH)
    .refine((q) => q.trim() !== "", { message: "Type something to search for" })
    .describe(
      'Words to find in titles and messages: "a phrase" in quotes, -word to exclude, or; the last word also matches as a prefix',
    ),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(500).optional(),
});
