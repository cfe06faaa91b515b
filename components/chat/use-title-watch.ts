import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";

/**
 * Waits between looks, in ms: about 20 s in all, longer than a title model takes on a good day. The first look
 * is the refresh that already follows every reply (useChatStream's onFinish); these come after it.
 */
const DELAYS_MS = [700, 1_000, 2_000, 3_000, 5_000, 8_000];

/**
 * The server titles a chat in the background once its first reply is stored. When a reply finishes here and the
 * chat has no title yet, this refreshes the page's server data (router.refresh: the sidebar row and the header
 * read the title from it) a bounded number of times, until the title arrives. No stream part, no client store:
 * the server data stays the one source, and the row only changes its text, so nothing moves. A chat whose
 * title failed stays "New Chat" and is looked at no more after the last try.
 */
export function useTitleWatch(titlePending: boolean, busy: boolean, expectedSoon = false): void {
  const router = useRouter();
  // Opened a moment after the first reply ended elsewhere (the new-chat page hands over to this one): look now.
  const [attempt, setAttempt] = useState<number | null>(expectedSoon && titlePending ? 0 : null);
  const [wasBusy, setWasBusy] = useState(busy);
  if (busy !== wasBusy) {
    setWasBusy(busy);
    // A reply just ended (complete, stopped or failed: the server decides whether a title follows).
    if (!busy && titlePending) setAttempt(0);
  }

  useEffect(() => {
    if (attempt === null || !titlePending) return;
    const delay = DELAYS_MS[attempt];
    if (delay === undefined) return;
    const timer = setTimeout(() => {
      // Offline, a refresh would send the tab to the browser's offline page (#15); the next look may find it back.
      if (navigator.onLine) router.refresh();
      setAttempt(attempt + 1);
    }, delay);
    return () => clearTimeout(timer);
  }, [attempt, titlePending, router]);
}
