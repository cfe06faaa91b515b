"use client";

import { usePathname } from "next/navigation";
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from "react";
import { CircleAlert, CircleCheck, X } from "lucide-react";
import { cn } from "@/lib/utils/cn";

type ToastKind = "success" | "error" | "info";
interface Toast {
  id: number;
  kind: ToastKind;
  message: string;
  /** Shown in the last second: a page change now is the one it announces, and it goes along. */
  fresh: boolean;
}

interface ToastApi {
  show(message: string, kind?: ToastKind): void;
}

/** How long a toast stays; the clock stops while the pointer or focus is on it. */
export const TOAST_MS: Record<ToastKind, number> = { success: 4000, info: 4000, error: 5000 };
/** A toast younger than this when the page changes came with the change ("Chat deleted", then the next chat). */
const CARRIED_MS = 1000;

const ToastContext = createContext<ToastApi | null>(null);

export function useToast(): ToastApi {
  const api = useContext(ToastContext);
  if (!api) throw new Error("useToast must be used inside <ToastProvider>");
  return api;
}

export function ToastProvider({ children }: { children: ReactNode }) {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const nextId = useRef(1);

  const dismiss = useCallback((id: number) => setToasts((all) => all.filter((t) => t.id !== id)), []);
  const show = useCallback((message: string, kind: ToastKind = "info") => {
    const id = nextId.current++;
    setToasts((all) => [...all.slice(-3), { id, kind, message, fresh: true }]);
    setTimeout(() => setToasts((all) => all.map((t) => (t.id === id ? { ...t, fresh: false } : t))), CARRIED_MS);
  }, []);
  const api = useMemo(() => ({ show }), [show]);

  // Toasts belong to the page they were about: a new page drops them, except one that announced the change.
  const pathname = usePathname();
  const [shownPath, setShownPath] = useState(pathname);
  if (shownPath !== pathname) {
    setShownPath(pathname);
    setToasts((all) => all.filter((t) => t.fresh));
  }

  // Top of the screen, under the header: never over the composer and its Send button at the bottom (#16).
  return (
    <ToastContext.Provider value={api}>
      {children}
      <div
        aria-live="polite"
        role="status"
        data-testid="toasts"
        className="pointer-events-none fixed inset-x-2 top-16 z-50 flex flex-col items-stretch gap-2 sm:inset-x-auto sm:right-4 sm:w-80"
      >
        {toasts.map((toast) => (
          <ToastItem key={toast.id} toast={toast} onDismiss={dismiss} />
        ))}
      </div>
    </ToastContext.Provider>
  );
}

function ToastItem({ toast, onDismiss }: { toast: Toast; onDismiss: (id: number) => void }) {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (held) return;
    // Restarted in full after a hover: a toast read with the pointer on it gets its whole time again.
    const timer = setTimeout(() => onDismiss(toast.id), TOAST_MS[toast.kind]);
    return () => clearTimeout(timer);
  }, [held, toast.id, toast.kind, onDismiss]);
  return (
    <div
      data-testid="toast"
      onPointerEnter={() => setHeld(true)}
      onPointerLeave={() => setHeld(false)}
      onFocus={() => setHeld(true)}
      onBlur={() => setHeld(false)}
      className={cn(
        "pointer-events-auto flex items-start gap-2 rounded-md border bg-bg px-3 py-2 text-sm shadow-lg",
        toast.kind === "error" ? "border-danger" : "border-border",
      )}
    >
      {toast.kind === "error" ? (
        <CircleAlert aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-danger" />
      ) : (
        <CircleCheck aria-hidden className="mt-0.5 h-4 w-4 shrink-0 text-success" />
      )}
      <span className="flex-1">{toast.message}</span>
      <button type="button" aria-label="Dismiss" onClick={() => onDismiss(toast.id)} className="-m-1 p-1 text-muted">
        <X aria-hidden className="h-4 w-4" />
      </button>
    </div>
  );
}
