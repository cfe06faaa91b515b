import { useCallback, useState } from "react";
import { useToast } from "@/components/ui/toast";
import { loadOlderMessagesAction } from "@/lib/chats/actions";
import { prependOlder, type ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { preloadMarkdown } from "./markdown";

/**
 * The pages before the first loaded message (a long chat opens on its newest page). The list's windowing keeps the
 * reader's place when they go in above (use-message-window.ts).
 */
export function useOlderMessages(
  sessionId: string,
  initialHasOlder: boolean,
  messages: ChatUIMessage[],
  setMessages: (update: (all: ChatUIMessage[]) => ChatUIMessage[]) => void,
) {
  const toast = useToast();
  const [hasOlder, setHasOlder] = useState(initialHasOlder);
  const [loadingOlder, setLoadingOlder] = useState(false);

  const loadOlder = useCallback(async () => {
    const first = messages[0];
    if (!hasOlder || loadingOlder || !first) return;
    setLoadingOlder(true);
    // Older rows are rendered on the client: with the Markdown renderer there first, they show no raw text.
    const [result] = await Promise.all([loadOlderMessagesAction(sessionId, first.id), preloadMarkdown().catch(() => undefined)]);
    setLoadingOlder(false);
    if (!result.ok) {
      toast.show(result.error, "error");
      return;
    }
    setMessages((all) => prependOlder(result.data.messages, all));
    setHasOlder(result.data.hasMore);
  }, [hasOlder, loadingOlder, messages, sessionId, setMessages, toast]);

  return { hasOlder, loadingOlder, loadOlder };
}
