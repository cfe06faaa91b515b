import { useState, useTransition } from "react";
import { useToast } from "@/components/ui/toast";
import { changeModelAction } from "@/lib/chats/actions";

/** The chat's model: the picker shows a change at once and goes back if the server refuses it. */
export function useModelChoice(sessionId: string, initialModel: string, modelNames: ReadonlyMap<string, string>) {
  const toast = useToast();
  const [model, setModel] = useState(initialModel);
  const [modelPending, startModelChange] = useTransition();

  function changeModel(next: string) {
    const previous = model;
    setModel(next);
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
