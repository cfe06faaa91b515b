"use client";

import { useRouter } from "next/navigation";
import { useCallback, useEffect, useMemo, useRef, useState, useTransition, type RefObject } from "react";
import { ArrowDown, CircleAlert, RefreshCw } from "lucide-react";
import { UserMenu } from "@/components/auth/user-menu";
import { Button } from "@/components/ui/button";
import { useToast } from "@/components/ui/toast";
import { cn } from "@/lib/utils/cn";
import { ShortcutsDialog } from "@/components/shortcuts/shortcuts-dialog";
import { useShortcuts } from "@/components/shortcuts/use-shortcuts";
import { messageText, type ChatUIMessage } from "@/lib/chat/ui/ui-messages";
import { chatHref, newChatHref, OFFLINE_MODEL_ID, type ModelOption, type SidebarSession } from "@/lib/chats/chat-data";
import { ChatHeader } from "./chat-header";
import { Composer, type ComposerHandle } from "./composer";
import { readChatError } from "./chat-errors";
import { MemoryStatus, type MemoryView } from "./memory";
import { MessageList } from "./message-list";
import { OfflineNotice } from "./offline-notice";
import { useChatScroll } from "./use-chat-scroll";
import { ChatRoute } from "./chat-route";
import { useBranches } from "./use-branches";
import { useChatStream } from "./use-chat-stream";
import { useModelChoice } from "./use-model-choice";
import { useOlderMessages } from "./use-older-messages";
import { useStopGeneration } from "./use-stop-generation";
import { useTitleWatch } from "./use-title-watch";

/** What the server loads for one chat; ChatScreen passes it through to ChatView. */
export interface ChatData {
  project: { id: string; name: string; systemPrompt: string };
  /**
   * `id` null: a new chat, stored with its first message (#14). `titlePending`: no title yet and none set by
   * hand, so one may be generated after the first reply; `titleExpectedSoon`: that reply ended a moment ago.
   */
  session: {
    id: string | null;
    title: string;
    model: string;
    titlePending?: boolean;
    titleExpectedSoon?: boolean;
    /** What the chat has cost so far (replies, title, summaries), as the page was loaded. */
    usage?: { tokens: number; cost: string };
  };
  memory: MemoryView;
  initialMessages: ChatUIMessage[];
  hasOlder: boolean;
  models: ModelOption[];
  /** A search result to show (`?m=`): scrolled to and marked for a moment instead of opening at the bottom. */
  focusMessageId?: string;
}

export interface ChatViewProps extends ChatData {
  menuButtonRef: RefObject<HTMLButtonElement | null>;
  drawerOpen: boolean;
  onOpenDrawer: () => void;
  /** Ctrl/⌘+Shift+S: the drawer on small screens, the sidebar itself on wide ones. */
  onToggleSidebar: () => void;
  /** The wide screen's sidebar is hidden (Ctrl/⌘+Shift+S): the header offers the button that shows it. */
  sidebarHidden: boolean;
  /** The signed-in user: the header's account menu (Settings, Keyboard shortcuts, Log out). */
  user?: { email: string; fullName: string };
  /** A new chat was stored by its first message. */
  onCreated?: (chat: SidebarSession) => void;
}

export function ChatView({
  project,
  session,
  memory,
  initialMessages,
  hasOlder: initialHasOlder,
  models,
  focusMessageId,
  menuButtonRef,
  drawerOpen,
  onOpenDrawer,
  onToggleSidebar,
  sidebarHidden,
  user,
  onCreated,
}: ChatViewProps) {
  const router = useRouter();
  const toast = useToast();
  const [shortcutsOpen, setShortcutsOpen] = useState(false);
  const composer = useRef<ComposerHandle>(null);
  // A new chat's id once its first message has stored it (the page's own `session.id` otherwise).
  const [createdId, setCreatedId] = useState<string | null>(null);
  const chatId = session.id ?? createdId;
  const [route] = useState(() => new ChatRoute(session.id));
  const modelNames = useMemo(() => new Map(models.map((m) => [m.id, m.name])), [models]);
  const { model, modelPending, changeModel } = useModelChoice(chatId, session.model, modelNames);
  const chosenModel = useRef(model);
  useEffect(() => {
    chosenModel.current = model;
  }, [model]);

  const created = useCallback(
    (id: string) => {
      setCreatedId(id);
      // The address becomes the chat's without a navigation: the page (and the reply streaming into it) stays.
      // Next's router follows history.replaceState; its next refresh renders the chat's own page.
      window.history.replaceState(null, "", chatHref(project.id, id));
      onCreated?.({ id, projectId: project.id, title: session.title, lastActivityAt: new Date().toISOString(), pinned: false });
    },
    [project.id, session.title, onCreated],
  );
  useEffect(() => {
    route.createIn(session.id ? undefined : { projectId: project.id, model: () => chosenModel.current, onCreated: created });
  }, [route, session.id, project.id, created]);
  const stopper = useStopGeneration(useCallback(() => route.id, [route]));
  // A new chat's first reply has ended: the refresh renders the chat's own page (its address is the chat's by now),
  // which replaces this one. Sending waits for that, so no second reply can start streaming into a screen that is
  // about to go; what is typed meanwhile is kept (the draft is saved under the chat's id).
  const [handingOver, startHandover] = useTransition();
  const chat = useChatStream(
    session.id,
    route,
    initialMessages,
    stopper.fetch,
    composer,
    session.id ? undefined : () => startHandover(() => router.refresh()),
  );
  const { messages, status } = chat;
  // A reply being generated as the chat opens (a reload, another tab or device): shown live, with Stop (#15).
  // useChat's own `resume: true` does the same request, but Stop must be able to wait for this stream to end.
  const resumed = useRef(false);
  const { resume } = chat;
  const { track } = stopper;
  useEffect(() => {
    if (!session.id || resumed.current) return;
    resumed.current = true;
    track(resume());
  }, [session.id, resume, track]);
  const { scrollerRef, contentRef, windowRef, atBottom, onScroll, follow, jumpToLatest, reveal } = useChatScroll(
    messages,
    status,
    memory,
  );
  const [foundId, setFoundId] = useState(focusMessageId);

  // A search result: show that message (the page loaded through it) and mark it briefly. ChatScreen keys this
  // view by the result, so this runs once per result opened.
  useEffect(() => {
    if (!focusMessageId) return;
    reveal(focusMessageId);
    const timer = setTimeout(() => setFoundId(undefined), 2500);
    return () => clearTimeout(timer);
  }, [focusMessageId, reveal]);
  const older = useOlderMessages(chatId ?? "", initialHasOlder, messages, chat.setMessages);
  const branches = useBranches(chatId, messages, chat.setMessages);

  // While a Stop is on its way the server still holds the chat: a send or Regenerate now would get a 409.
  const busy = status === "submitted" || status === "streaming" || stopper.stopping;

  // A summary is made in the background after a reply: look again shortly so the note and divider catch up.
  useEffect(() => {
    if (memory.status !== "pending" || busy) return;
    // Never offline: a refresh then sends the tab to the browser's offline page (#15).
    const timer = setTimeout(() => navigator.onLine && router.refresh(), 5000);
    return () => clearTimeout(timer);
  }, [memory, busy, router]);
  // A send that did not get through is no reply that ended (no title can follow it): it counts as still busy.
  useTitleWatch(session.titlePending ?? false, busy || Boolean(chat.unsent), session.titleExpectedSoon);
  const readable = readChatError(chat.error);

  function send(text: string) {
    if (busy || handingOver) return;
    follow();
    stopper.track(chat.send(text));
  }

  function retry() {
    follow();
    // Regenerate keeps the reply it replaces on screen as a version of the new one.
    const last = messages.length - 1;
    if (messages[last]?.role === "assistant") branches.willReplace(last);
    stopper.track(chat.retry());
  }

  /** Edit: the message at `index` is sent again changed, as a new version; what followed it stays on the server. */
  function edit(index: number, text: string) {
    const editOf = branches.storedIdOf(index);
    if (busy || handingOver || !editOf) return;
    branches.willReplace(index);
    chat.setMessages(messages.slice(0, index));
    route.editNext(editOf);
    follow();
    stopper.track(chat.send(text));
  }

  function onScrolled() {
    if (onScroll()) void older.loadOlder();
  }

  async function stopGenerating() {
    await stopper.stopGeneration(chat);
    composer.current?.focus();
  }

  async function copyLastReply() {
    const last = messages.findLast((m) => m.role === "assistant");
    const text = last ? messageText(last) : "";
    if (!text) {
      toast.show("No reply to copy yet.", "info");
      return;
    }
    try {
      await navigator.clipboard.writeText(text);
      toast.show("Last reply copied", "success");
    } catch {
      toast.show("Could not copy: the browser refused clipboard access.", "error");
    }
  }

  useShortcuts(
    {
      newChat: () => router.push(newChatHref(project.id)),
      focusComposer: () => composer.current?.focus(),
      stop: () => void stopGenerating(),
      copyLastReply: () => void copyLastReply(),
      toggleSidebar: onToggleSidebar,
      showShortcuts: () => setShortcutsOpen(true),
    },
    status === "submitted" || status === "streaming",
  );

  return (
    <main
      id="chat-main"
      tabIndex={-1}
      className="flex min-w-0 flex-1 flex-col outline-none"
      aria-label={`Chat: ${session.title}`}
    >
      <ChatHeader
        title={session.title}
        sessionId={chatId}
        projectId={project.id}
        systemPrompt={project.systemPrompt}
        model={model}
        models={models}
        modelPending={modelPending}
        onModelChange={changeModel}
        menuButtonRef={menuButtonRef}
        drawerOpen={drawerOpen}
        onOpenDrawer={onOpenDrawer}
        sidebarHidden={sidebarHidden}
        account={user && <UserMenu user={user} compact onShowShortcuts={() => setShortcutsOpen(true)} />}
        usage={session.usage}
        status={<MemoryStatus memory={memory} contextWindow={models.find((m) => m.id === model)?.contextWindow} />}
      />
      <div className="relative min-h-0 flex-1">
        {/* Opened on a search result, the page starts at it (its first message): no bottom-up start (globals.css). */}
        <div
          ref={scrollerRef}
          onScroll={onScrolled}
          className={cn("h-full overflow-y-auto", !focusMessageId && "chat-scroller")}
          data-testid="message-scroller"
        >
          <div className="mx-auto flex max-w-3xl flex-col gap-4 px-3 py-4 sm:px-6">
            {model === OFFLINE_MODEL_ID && <OfflineNotice />}
            {/* One height with and without the button: the list below must not move when the last page arrives. */}
            {messages.length > 0 && (
              <div className="flex h-8 items-center justify-center">
                {older.hasOlder ? (
                  <Button variant="ghost" size="sm" onClick={() => void older.loadOlder()} pending={older.loadingOlder}>
                    Load older messages
                  </Button>
                ) : (
                  <p className="text-xs text-muted">Start of the chat</p>
                )}
              </div>
            )}
            {messages.length === 0 && !busy && (
              <p className="py-12 text-center text-sm text-muted">No messages yet. Say hello below.</p>
            )}
            <MessageList
              listRef={contentRef}
              scrollerRef={scrollerRef}
              windowRef={windowRef}
              messages={messages}
              status={status}
              busy={busy}
              memory={memory}
              hasOlder={older.hasOlder}
              modelNames={modelNames}
              errorText={readable?.message}
              onRetry={retry}
              foundId={foundId}
              versionsOf={branches.versionsOf}
              onEdit={chatId ? edit : undefined}
            />
            {chat.unsent && !busy && (
              <div
                role="alert"
                data-testid="unsent-alert"
                className="flex flex-wrap items-center gap-2 rounded-md border border-danger/50 px-3 py-2 text-sm text-danger"
              >
                <CircleAlert aria-hidden className="h-4 w-4 shrink-0" />
                <span className="flex-1">
                  <span className="font-medium">Not sent.</span> <span>{chat.unsent.reason}</span>{" "}
                  <span>Your message is back in the box below.</span>
                </span>
                <Button size="sm" variant="secondary" onClick={() => composer.current?.submit()}>
                  <RefreshCw aria-hidden className="h-3.5 w-3.5" /> Retry
                </Button>
              </div>
            )}
            {chat.reconnecting && (
              <p role="status" className="text-center text-sm text-muted">
                The connection was lost. The reply continues when you are back online.
              </p>
            )}
            {status === "error" && messages.at(-1)?.role !== "assistant" && readable && (
              <div
                role="alert"
                className="flex flex-wrap items-center gap-2 rounded-md border border-danger/50 px-3 py-2 text-sm text-danger"
              >
                <CircleAlert aria-hidden className="h-4 w-4 shrink-0" />
                <span className="flex-1">{readable.message}</span>
                <Button size="sm" variant="secondary" onClick={retry}>
                  <RefreshCw aria-hidden className="h-3.5 w-3.5" /> Retry
                </Button>
              </div>
            )}
          </div>
        </div>
        {!atBottom && (
          <button
            type="button"
            onClick={jumpToLatest}
            className="absolute bottom-4 left-1/2 inline-flex -translate-x-1/2 items-center gap-1.5 rounded-full border border-border bg-bg px-3 py-1.5 text-sm shadow-md hover:bg-surface"
          >
            <ArrowDown aria-hidden className="h-4 w-4" /> Jump to latest
          </button>
        )}
      </div>
      <Composer
        ref={composer}
        sessionId={chatId ?? `new-${project.id}`}
        busy={busy}
        waiting={handingOver}
        onSend={send}
        onStop={() => void stopGenerating()}
        offline={!chat.online}
      />
      <ShortcutsDialog open={shortcutsOpen} onClose={() => setShortcutsOpen(false)} />
    </main>
  );
}
