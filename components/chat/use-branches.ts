"use client";

import { useCallback, useRef, useState } from "react";
import { useRouter } from "next/navigation";
import { useToast } from "@/components/ui/toast";
import { selectBranchAction } from "@/lib/chats/actions";
import type { ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import type { VersionsProps } from "./message-versions";

/**
 * The chat screen's versions of messages (#15): `‹ n/m ›`, edits and regenerations. The server sends each stored
 * message's versions (its siblings' ids); what this screen adds meanwhile (an edit, a regenerated reply) is kept
 * here, keyed by the message before it, until the next load. Switching shows a path seen before at once (a copy
 * per version) and asks the server to make it the chat's active path, so a reload shows it too.
 */
export function useBranches(chatId: string | null, messages: ChatUIMessage[], setMessages: (messages: ChatUIMessage[]) => void) {
  const router = useRouter();
  const toast = useToast();
  // The versions this screen made, by the id of the message before them ("" for a chat's first message).
  const [added, setAdded] = useState<ReadonlyMap<string, string[]>>(new Map());
  // The paths shown before, by the version they went through: switching back needs no round trip.
  const seen = useRef(new Map<string, ChatUIMessage[]>());
  const [pending, setPending] = useState<{ index: number; version: number } | null>(null);

  const keyOf = useCallback((index: number) => messages[index - 1]?.id ?? "", [messages]);

  /** The stored id of the message at `index`: a user message sent from this screen is stored under another id. */
  const storedIdOf = useCallback(
    (index: number) => {
      const message = messages[index];
      if (!message) return undefined;
      const answer = messages[index + 1];
      if (message.role === "user" && answer?.role === "assistant" && answer.metadata?.parentId) return answer.metadata.parentId;
      return message.id;
    },
    [messages],
  );

  const versionIdsOf = useCallback(
    (index: number): string[] => {
      const message = messages[index];
      if (!message) return [];
      const own = storedIdOf(index) ?? message.id;
      const made = added.get(keyOf(index));
      if (made) return made.includes(own) || made.includes(message.id) ? made : [...made, own];
      return message.metadata?.versions ?? [own];
    },
    [messages, added, keyOf, storedIdOf],
  );

  /** Remembers the versions of the message at `index` before a new one replaces it on screen (edit, regenerate). */
  const willReplace = useCallback(
    (index: number) => {
      const versions = versionIdsOf(index);
      if (versions.length === 0) return;
      seen.current.set(storedIdOf(index) ?? "", messages);
      setAdded((current) => new Map(current).set(keyOf(index), versions));
    },
    [versionIdsOf, storedIdOf, keyOf, messages],
  );

  const select = useCallback(
    async (index: number, version: number) => {
      const versions = versionIdsOf(index);
      const target = versions[version - 1];
      const current = storedIdOf(index);
      if (!chatId || !target || target === current) return;
      if (current) seen.current.set(current, messages);
      const known = seen.current.get(target);
      if (known) setMessages(known);
      else setPending({ index, version });
      const result = await selectBranchAction(chatId, target);
      setPending(null);
      if (!result.ok) {
        toast.show(result.error, "error");
        return;
      }
      setAdded(new Map());
      setMessages(result.data.messages);
      // The memory note and divider follow the path.
      router.refresh();
    },
    [chatId, messages, setMessages, storedIdOf, versionIdsOf, toast, router],
  );

  const versionsOf = useCallback(
    (index: number): VersionsProps | undefined => {
      const versions = versionIdsOf(index);
      if (versions.length < 2) return undefined;
      const own = storedIdOf(index);
      const at = versions.findIndex((id) => id === own || id === messages[index]?.id);
      const shown = pending?.index === index ? pending.version : at + 1;
      return { index: shown, count: versions.length, onSelect: (version) => void select(index, version) };
    },
    [versionIdsOf, storedIdOf, messages, pending, select],
  );

  return { versionsOf, willReplace, storedIdOf };
}
