import { useState, useTransition } from "react";
import { useToast } from "@/components/ui/toast";
import { changeModelAction } from "@/lib/chats/actions";

/**
 * The chat's model: the picker shows a change at once and goes back if the server refuses it. A chat not stored
 * yet (`sessionId` null) only keeps the choice: its first message carries it.
 */
export function useModelChoice(sessionId: string | null, initialModel: string, modelNames: ReadonlyMap<string, string>) {
  const toast = useToast();
  const [model, setModel] = useState(initialModel);
  const [modelPending, startModelChange] = useTransition();

  function changeModel(next: string) {
    const previous = model;
    setModel(next);
    if (!sessionId) return;
    startModelChange(async () => {
      const result = await changeModelAction(sessionId, next);
      if (!result.ok) {
        setModel(previous);
        toast.show(result.error, "error");
        return;
      }
      toast.show(`Model changed to ${modelNames.get(next) ?? next}`, "success");
    });
  }

  return { model, modelPending, changeModel };
}
