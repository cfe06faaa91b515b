/**
 * The chat screen's keyboard shortcuts and the composer's Enter rule, as pure functions of a key event's fields,
 * so they are unit-tested without a browser. `use-shortcuts.ts` is the one listener that applies them.
 */

/** The fields of a KeyboardEvent these rules read (a DOM KeyboardEvent satisfies it). */
export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

export type ShortcutId = "newChat" | "focusComposer" | "stop" | "copyLastReply" | "toggleSidebar" | "showShortcuts";

/** What the listener knows about the moment: where the key was pressed, and whether a reply is streaming. */
export interface ShortcutContext {
  /** The key went to a text field (input, textarea, select, contenteditable). */
  typing: boolean;
  streaming: boolean;
}

/**
 * The list the `?` dialog shows, in its order. Ctrl/⌘+K belongs to the search dialog (components/search/),
 * which binds it itself; it is listed here so the dialog names every shortcut of the screen. The bindings follow
 * ChatGPT's (its own shortcuts dialog: new chat Ctrl/⌘+Shift+O, focus input Shift+Esc, copy last response
 * Ctrl/⌘+Shift+C, toggle sidebar Ctrl/⌘+Shift+S, shortcuts Ctrl/⌘+/), so habits carry over.
 */
export const SHORTCUTS: ReadonlyArray<{ id: ShortcutId | "search"; keys: string[]; label: string }> = [
  { id: "newChat", keys: ["Ctrl/⌘", "Shift", "O"], label: "New chat" },
  { id: "search", keys: ["Ctrl/⌘", "K"], label: "Search chats" },
  { id: "focusComposer", keys: ["Shift", "Esc"], label: "Focus the message box" },
  { id: "stop", keys: ["Esc"], label: "Stop the reply being written" },
  { id: "copyLastReply", keys: ["Ctrl/⌘", "Shift", "C"], label: "Copy the last reply" },
  { id: "toggleSidebar", keys: ["Ctrl/⌘", "Shift", "S"], label: "Show or hide the chat list" },
  { id: "showShortcuts", keys: ["?"], label: "Show these shortcuts (also Ctrl/⌘+/)" },
];

/** Which shortcut a key press asks for, or null. Ctrl and ⌘ are the same key here (Windows/Linux and macOS). */
export function matchShortcut(event: KeyLike, context: ShortcutContext): ShortcutId | null {
  const mod = event.ctrlKey || event.metaKey;
  const key = event.key.toLowerCase();
  if (event.altKey) return null;
  if (mod && event.shiftKey) {
    if (key === "o") return "newChat";
    if (key === "c") return "copyLastReply";
    if (key === "s") return "toggleSidebar";
    return null;
  }
  if (mod && !event.shiftKey && key === "/") return "showShortcuts";
  if (mod) return null;
  if (key === "escape") {
    if (event.shiftKey) return "focusComposer";
    // Plain Escape stops only while a reply streams; otherwise it stays the browser's and the page's.
    return context.streaming ? "stop" : null;
  }
  // `?` is a character when typing: only outside text fields.
  if (event.key === "?" && !context.typing) return "showShortcuts";
  return null;
}

export type EnterAction = "send" | "newline" | "ignore";

/**
 * What Enter does in the composer. On a touch device (no hardware keyboard to hold Shift on) Enter adds a line and
 * the Send button sends, as ChatGPT's and Claude's mobile web apps do; elsewhere Enter sends and Shift+Enter adds a
 * line. While an input method composes (CJK, some phone keyboards), Enter confirms the composition: never a send.
 * `keyCode` 229 is how Safari reports a composing key whose `isComposing` is already false.
 */
export function enterAction(
  event: { key: string; shiftKey: boolean; isComposing: boolean; keyCode?: number },
  touch: boolean,
): EnterAction {
  if (event.key !== "Enter") return "ignore";
  if (event.isComposing || event.keyCode === 229) return "ignore";
  if (touch || event.shiftKey) return "newline";
  return "send";
}

/** The composer's placeholder and its screen-reader hint, for the device's Enter rule. */
export function composerHints(touch: boolean): { placeholder: string; hint: string } {
  return touch
    ? { placeholder: "Write a message…", hint: "Enter starts a new line; the Send button sends." }
    : {
        placeholder: "Write a message… (Enter to send, Shift+Enter for a new line)",
        hint: "Enter sends, Shift+Enter starts a new line.",
      };
}

/** Whether a key event's target is a field that takes text (where `?` is a character, not a shortcut). */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (typeof HTMLElement === "undefined" || !(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  const tag = target.tagName;
  return tag === "INPUT" || tag === "TEXTAREA" || tag === "SELECT";
}
