/**
 * What the user typed, split for PostgreSQL's full-text search (lib/db/queries/search.ts), and the markers of
 * its highlighted snippets turned into ranges. Pure functions: no database, no server state.
 */

/** The longest query accepted (REST `q`, the search box). */
export const SEARCH_MAX_LENGTH = 200;

export interface SearchTerms {
  /** Handed to `websearch_to_tsquery` as is: it accepts any text ("quotes", -words, or) and never fails. */
  words: string;
  /**
   * The word still being typed, matched as a prefix (`'prefix':*`). Only letters, marks and digits, so
   * quoting it as one lexeme cannot let any tsquery syntax through.
   */
  prefix?: string;
}

/** A run of letters, combining marks and digits: what PostgreSQL's parser keeps as (part of) a word. */
const WORD_AT_END = /[\p{L}\p{M}\p{N}]+$/u;
const HAS_WORD = /[\p{L}\p{N}]/u;

/**
 * Splits off the last word for prefix matching, unless the user has finished it (a space or a closing quote
 * after it), negates it (`-word`), or is inside an open quoted phrase (a phrase matches whole words).
 * Undefined when there is nothing searchable at all (only punctuation or emoji): no query runs then.
 */
export function searchTerms(text: string): SearchTerms | undefined {
  if (!HAS_WORD.test(text)) return undefined;
  const last = WORD_AT_END.exec(text);
  const quotes = text.split('"').length - 1;
  if (!last || quotes % 2 === 1) return { words: text };
  const before = text.slice(0, last.index);
  // The whitespace-separated token the word ends: "-foo" is a negation, "or" websearch's operator.
  const token = /\S*$/.exec(before)?.[0] ?? "";
  if (token.startsWith("-") || (token === "" && last[0].toLowerCase() === "or")) return { words: text };
  return { words: before, prefix: last[0].toLowerCase() };
}

/**
 * The words a result is highlighted with: every word of the query that is not excluded (`-word`, `-"a phrase"`),
 * lowercased as the 'simple' configuration does, plus the prefix. Highlighting is ours, not ts_headline's: that
 * one drops anything PostgreSQL's parser takes for an HTML tag (`<div>` vanished from code snippets) and cuts
 * fragments at words, so it could not quote a message faithfully.
 */
export interface HighlightTerms {
  words: Set<string>;
  prefix?: string;
}

const WORD = /[\p{L}\p{M}\p{N}]+/gu;

export function highlightTerms(terms: SearchTerms): HighlightTerms {
  const words = new Set<string>();
  let quoted = false;
  let negatedPhrase = false;
  for (const token of terms.words.split(/\s+/)) {
    if (!token) continue;
    const negated = !quoted && token.startsWith("-");
    const opensQuote = !quoted && /^-?"/.test(token);
    if (opensQuote) negatedPhrase = negated;
    const excluded = quoted ? negatedPhrase : negated;
    const isOr = !quoted && token.toLowerCase() === "or";
    if (!excluded && !isOr) for (const word of token.match(WORD) ?? []) words.add(word.toLowerCase());
    if ((token.split('"').length - 1) % 2 === 1) quoted = !quoted;
  }
  return { words, prefix: terms.prefix };
}

export interface Highlighted {
  text: string;
  /** [start, end) offsets into `text`, in UTF-16 code units (JavaScript string indices), in order. */
  highlights: Array<[number, number]>;
}

/** Longest snippet sent, and how much of the text before the first match it keeps. */
export const SNIPPET_MAX = 240;
const SNIPPET_LEAD = 60;

const isHighSurrogate = (text: string, index: number) => {
  const code = text.charCodeAt(index);
  return code >= 0xd800 && code <= 0xdbff;
};

/**
 * An excerpt of `text` (at most `max` characters plus ellipses) starting a little before its first match, with
 * the ranges of every matching word in it. Plain text and offsets: a client renders matches as elements, so no
 * markup from a message is ever interpreted. With no match in the text (a chat found by its title), its start.
 */
export function highlight(text: string, terms: HighlightTerms, max = SNIPPET_MAX): Highlighted {
  const matches = (word: string) => {
    const lower = word.toLowerCase();
    return terms.words.has(lower) || (terms.prefix !== undefined && lower.startsWith(terms.prefix));
  };
  let first: number | undefined;
  for (const m of text.matchAll(WORD)) {
    if (matches(m[0])) {
      first = m.index;
      break;
    }
  }
  let start = 0;
  if (first !== undefined && text.length > max && first > SNIPPET_LEAD) {
    start = Math.min(first - SNIPPET_LEAD, text.length - max);
    // Begin at a word: after the nearest space before the cut, when there is one close by.
    const space = text.lastIndexOf(" ", start);
    if (space >= 0 && start - space < 20) start = space + 1;
    if (start > 0 && isHighSurrogate(text, start - 1)) start += 1;
  }
  let end = Math.min(text.length, start + max);
  if (end < text.length && isHighSurrogate(text, end - 1)) end -= 1;
  const lead = start > 0 ? "…" : "";
  const excerpt = text.slice(start, end);
  const highlights: Array<[number, number]> = [];
  for (const m of excerpt.matchAll(WORD)) {
    // A word cut by the excerpt's edges is not highlighted as a whole word it may not be.
    const cutAtStart = m.index === 0 && start > 0;
    const cutAtEnd = m.index + m[0].length === excerpt.length && end < text.length;
    if (!cutAtStart && !cutAtEnd && matches(m[0])) highlights.push([lead.length + m.index, lead.length + m.index + m[0].length]);
  }
  return { text: `${lead}${excerpt}${end < text.length ? "…" : ""}`, highlights };
}
