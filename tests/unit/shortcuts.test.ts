import { describe, expect, it } from "vitest";
import { composerHints, enterAction, matchShortcut, SHORTCUTS, type KeyLike } from "@/components/shortcuts/keys";
import { modifierKeyFor, shownKey } from "@/components/shortcuts/modifier-key";

const key = (k: string, mods: Partial<Omit<KeyLike, "key">> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});
const idle = { typing: false, streaming: false };
const typing = { typing: true, streaming: false };
const streaming = { typing: false, streaming: true };

describe("matchShortcut", () => {
  it.each([
    ["O", "newChat"],
    ["C", "copyLastReply"],
    ["S", "toggleSidebar"],
  ] as const)("Ctrl+Shift+%s and ⌘+Shift+%s are %s, while typing too", (k, id) => {
    // With Shift held the browser reports the capital letter; caps lock or not, the lower case matches as well.
    expect(matchShortcut(key(k, { ctrlKey: true, shiftKey: true }), typing)).toBe(id);
    expect(matchShortcut(key(k, { metaKey: true, shiftKey: true }), idle)).toBe(id);
    expect(matchShortcut(key(k.toLowerCase(), { ctrlKey: true, shiftKey: true }), idle)).toBe(id);
  });

  it("leaves the browser's own Ctrl+O, Ctrl+C, Ctrl+S and Alt combinations alone", () => {
    expect(matchShortcut(key("o", { ctrlKey: true }), idle)).toBeNull();
    expect(matchShortcut(key("c", { ctrlKey: true }), typing)).toBeNull();
    expect(matchShortcut(key("s", { metaKey: true }), idle)).toBeNull();
    expect(matchShortcut(key("O", { ctrlKey: true, shiftKey: true, altKey: true }), idle)).toBeNull();
    expect(matchShortcut(key("k", { ctrlKey: true }), idle)).toBeNull(); // search binds it itself
  });

  it("Shift+Escape focuses the composer, streaming or not, typing or not", () => {
    for (const context of [idle, typing, streaming]) {
      expect(matchShortcut(key("Escape", { shiftKey: true }), context)).toBe("focusComposer");
    }
  });

  it("Escape stops only while a reply streams", () => {
    expect(matchShortcut(key("Escape"), streaming)).toBe("stop");
    expect(matchShortcut(key("Escape"), { typing: true, streaming: true })).toBe("stop");
    expect(matchShortcut(key("Escape"), idle)).toBeNull();
    expect(matchShortcut(key("Escape"), typing)).toBeNull();
  });

  it("? opens the list outside text fields only; Ctrl/⌘+/ anywhere", () => {
    expect(matchShortcut(key("?", { shiftKey: true }), idle)).toBe("showShortcuts");
    expect(matchShortcut(key("?", { shiftKey: true }), typing)).toBeNull();
    expect(matchShortcut(key("/", { ctrlKey: true }), typing)).toBe("showShortcuts");
    expect(matchShortcut(key("/"), idle)).toBeNull();
    expect(matchShortcut(key("a"), idle)).toBeNull();
  });

  it("the list names every shortcut the matcher knows, and search's Ctrl/⌘+K", () => {
    const ids = SHORTCUTS.map((s) => s.id);
    for (const id of ["newChat", "focusComposer", "stop", "copyLastReply", "toggleSidebar", "showShortcuts", "search"]) {
      expect(ids).toContain(id);
    }
  });
});

describe("enterAction", () => {
  const enter = (mods: { shiftKey?: boolean; isComposing?: boolean; keyCode?: number } = {}) => ({
    key: "Enter",
    shiftKey: false,
    isComposing: false,
    keyCode: 13,
    ...mods,
  });

  it("desktop: Enter sends, Shift+Enter adds a line", () => {
    expect(enterAction(enter(), false)).toBe("send");
    expect(enterAction(enter({ shiftKey: true }), false)).toBe("newline");
  });

  it("touch: Enter adds a line, with or without Shift (the button sends)", () => {
    expect(enterAction(enter(), true)).toBe("newline");
    expect(enterAction(enter({ shiftKey: true }), true)).toBe("newline");
  });

  it("never sends while an input method composes (isComposing, or Safari's keyCode 229)", () => {
    expect(enterAction(enter({ isComposing: true }), false)).toBe("ignore");
    expect(enterAction(enter({ keyCode: 229 }), false)).toBe("ignore");
    expect(enterAction(enter({ isComposing: true }), true)).toBe("ignore");
  });

  it("other keys are not its business", () => {
    expect(enterAction({ key: "a", shiftKey: false, isComposing: false }, false)).toBe("ignore");
  });

  it("the placeholder promises what Enter does", () => {
    expect(composerHints(false).placeholder).toContain("Enter to send");
    expect(composerHints(true).placeholder).not.toContain("Enter");
    expect(composerHints(true).hint).toContain("Enter starts a new line");
  });
});

describe("modifier key hints", () => {
  it("name ⌘ on Apple platforms and Ctrl elsewhere", () => {
    for (const p of ["MacIntel", "macOS", "iPhone", "iPad"]) expect(modifierKeyFor(p)).toBe("⌘");
    for (const p of ["Win32", "Windows", "Linux x86_64", "Android", ""]) expect(modifierKeyFor(p)).toBe("Ctrl");
  });

  it("turn the list's Ctrl/⌘ into the platform's key and leave the others alone", () => {
    const shown = SHORTCUTS.find((s) => s.id === "newChat")!.keys.map((k) => shownKey(k, "⌘"));
    expect(shown).toEqual(["⌘", "Shift", "O"]);
    expect(shownKey("Esc", "Ctrl")).toBe("Esc");
  });
});
