"use client";

import { useEffect, useImperativeHandle, useRef, type Ref } from "react";
import { ArrowUp, Square } from "lucide-react";
import { Button } from "@/components/ui/button";
import { composerHints, enterAction } from "@/components/shortcuts/keys";
import { useTouchInput } from "@/components/shortcuts/use-shortcuts";

export interface ComposerHandle {
  /** Puts text back in the box (a send the server refused) and focuses it. */
  restore(text: string): void;
  focus(): void;
  /** Sends what is in the box, as the Send button does (Retry of a send that failed). */
  submit(): void;
}

export interface ComposerProps {
  /** Names the draft (and the box's ids): the chat's id, or a new chat's stand-in until it has one. */
  sessionId: string;
  /** A reply is on its way: sending is off, Stop is offered. */
  busy: boolean;
  /** Sending is off for a moment, with nothing to stop (a new chat's page giving way to the chat's own). */
  waiting?: boolean;
  onSend: (text: string) => void;
  onStop: () => void;
  /** The browser is offline: said under the box (what is typed stays; nothing is sent until the user sends). */
  offline?: boolean;
  ref?: Ref<ComposerHandle>;
}

export const MAX_MESSAGE_CHARS = 32_000;
const MAX_HEIGHT_PX = 240;

export function draftKey(sessionId: string): string {
  return `parley:draft:${sessionId}`;
}

/**
 * The message box. Uncontrolled on purpose: the draft lives in the textarea and in localStorage (per chat),
 * so typing never re-renders the message list and a reload or a chat switch keeps what was being written.
 */
export function Composer({ sessionId, busy, waiting = false, onSend, onStop, offline = false, ref }: ComposerProps) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const touch = useTouchInput();
  const hints = composerHints(touch);

  function autosize() {
    const el = textarea.current;
    if (!el) return;
    el.style.height = "auto";
    el.style.height = `${Math.min(el.scrollHeight, MAX_HEIGHT_PX)}px`;
  }

  function saveDraft(value: string) {
    try {
      if (value) localStorage.setItem(draftKey(sessionId), value);
      else localStorage.removeItem(draftKey(sessionId));
    } catch {
      // Storage full or disabled (private mode): the draft just isn't kept.
    }
  }

  useEffect(() => {
    const el = textarea.current;
    if (!el) return;
    // A saved draft wins; without one, what is in the box stays: text typed before the page was interactive (a
    // first message typed right after landing), or a new chat's box the moment its chat got its id.
    try {
      el.value = localStorage.getItem(draftKey(sessionId)) ?? el.value;
    } catch {
      // Storage disabled: the box keeps what it has.
    }
    autosize();
    // Ready to type on opening a chat, except on touch screens where focusing would pop up the keyboard.
    if (window.matchMedia("(pointer: fine)").matches) el.focus();
  }, [sessionId]);

  useImperativeHandle(ref, () => ({
    restore(text: string) {
      const el = textarea.current;
      if (!el) return;
      if (!el.value.trim()) el.value = text;
      saveDraft(el.value);
      autosize();
      el.focus();
    },
    focus() {
      textarea.current?.focus();
    },
    submit,
  }));

  function submit() {
    const el = textarea.current;
    if (!el || busy || waiting) return;
    const text = el.value.trim();
    if (!text) return;
    el.value = "";
    saveDraft("");
    autosize();
    onSend(text);
  }

  return (
    <form
      aria-label="Send a message"
      className="border-t border-border bg-bg px-3 py-3 sm:px-6"
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <div className="mx-auto flex max-w-3xl items-end gap-2 rounded-lg border border-border bg-surface px-3 py-2 has-[textarea:focus]:border-accent has-[textarea:focus]:ring-1 has-[textarea:focus]:ring-accent">
        {/* One focus ring, the box’s: the textarea draws none (the Send button keeps its own outline). */}
        <label htmlFor={`composer-${sessionId}`} className="sr-only">
          Message
        </label>
        <textarea
          id={`composer-${sessionId}`}
          ref={textarea}
          rows={1}
          maxLength={MAX_MESSAGE_CHARS}
          placeholder={hints.placeholder}
          data-composer
          enterKeyHint={touch ? "enter" : "send"}
          aria-describedby={`composer-${sessionId}-hint`}
          className="max-h-60 min-h-10 flex-1 resize-none bg-transparent py-2 text-sm outline-none placeholder:text-muted focus-visible:outline-none"
          onInput={(event) => {
            saveDraft(event.currentTarget.value);
            autosize();
          }}
          onKeyDown={(event) => {
            // A touch keyboard's Enter adds a line (the button sends); a composing input method's confirms.
            const action = enterAction(
              { key: event.key, shiftKey: event.shiftKey, isComposing: event.nativeEvent.isComposing, keyCode: event.keyCode },
              touch,
            );
            if (action === "send") {
              event.preventDefault();
              submit();
            }
          }}
        />
        {busy ? (
          <Button type="button" variant="secondary" size="icon" onClick={onStop} aria-label="Stop generating">
            <Square aria-hidden className="h-4 w-4 fill-current" />
          </Button>
        ) : (
          <Button type="submit" size="icon" aria-label="Send message" disabled={waiting}>
            <ArrowUp aria-hidden className="h-4 w-4" />
          </Button>
        )}
      </div>
      {offline && (
        <p role="status" data-testid="offline-status" className="mx-auto mt-1.5 max-w-3xl text-xs text-muted">
          You are offline. What you type stays here; send it when you are back online.
        </p>
      )}
      <p id={`composer-${sessionId}-hint`} className="sr-only">
        {hints.hint}
      </p>
    </form>
  );
}
