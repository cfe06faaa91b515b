"use client";

import { Button } from "@/components/ui/button";
import { Dialog } from "@/components/ui/dialog";
import type { Project } from "@/lib/projects/schemas";

export function DeleteProjectDialog({
  project,
  onCancel,
  onConfirm,
}: {
  project: Project | null;
  onCancel: () => void;
  onConfirm: (project: Project) => void;
}) {
  const chats = project?.chat_count ?? 0;
  return (
    <Dialog
      open={project !== null}
      onClose={onCancel}
      title={project ? `Delete “${project.project_name}”?` : "Delete project?"}
      description={
        chats > 0
          ? `Its ${chats} ${chats === 1 ? "chat goes" : "chats go"} with it, with every message. This cannot be undone.`
          : "Its chats go with it, with every message. This cannot be undone."
      }
    >
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onCancel} autoFocus>
          Cancel
        </Button>
        <Button variant="danger" onClick={() => project && onConfirm(project)}>
          Delete project
        </Button>
      </div>
    </Dialog>
  );
}
