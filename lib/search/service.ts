import "server-only";
import { parseParams } from "@/lib/api/http";
import { encodeCursor, readCursor } from "@/lib/api/pagination";
import { searchChats, type SearchHitRow } from "@/lib/db/queries/search";
import { searchQuery } from "./schemas";
import { highlight, highlightTerms, searchTerms, type HighlightTerms } from "./terms";
import type { SearchResultView } from "./views";

/**
 * Search across the caller's chats, for the REST API and the search dialog alike: validates the query, splits
 * off the word being typed for prefix matching and cuts highlighted snippets (plain text and ranges).
 */

export interface SearchResultPage {
  items: SearchResultView[];
  nextCursor?: string;
}

export async function searchChatsOf(ownerId: string, query: unknown): Promise<SearchResultPage> {
  const { q, limit, cursor } = parseParams(searchQuery, query, "query");
  const position = readCursor(cursor, "query");
  const terms = searchTerms(q);
  // Only punctuation or emoji: no word to look for, so nothing can match.
  if (!terms) return { items: [] };
  const page = await searchChats(ownerId, terms, { limit, cursor: position });
  const marks = highlightTerms(terms);
  return { items: page.rows.map((row) => resultView(row, marks)), nextCursor: page.nextCursor && encodeCursor(page.nextCursor) };
}

function resultView(row: SearchHitRow, marks: HighlightTerms): SearchResultView {
  const snippet = highlight(row.content ?? row.title, marks);
  const title = highlight(row.title, marks, Number.POSITIVE_INFINITY);
  return {
    session_id: row.sessionId,
    project_id: row.projectId,
    title: title.text,
    title_highlights: title.highlights,
    message_id: row.messageId,
    snippet: snippet.text,
    highlights: snippet.highlights,
    created_at: row.createdAt.toISOString(),
  };
}
