"use client";

import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { Button } from "@/components/ui/button";
import { fieldClass } from "@/components/ui/input";
import type { AdminUserView } from "@/lib/admin/views";
import { adminRequest } from "./admin-api";

/** One account's controls on /admin: role, approve/disable/enable, the monthly budget, delete. */
export function UserRowActions({ user, self }: { user: AdminUserView; self: boolean }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [cost, setCost] = useState(user.monthly_cost_limit ?? "");
  const [tokens, setTokens] = useState(user.monthly_token_limit?.toString() ?? "");
  const id = useId();

  const run = (method: "PATCH" | "DELETE", body?: unknown) =>
    startTransition(async () => {
      const failure = await adminRequest(`users/${user.id}`, method, body);
      setError(failure);
      if (!failure) router.refresh();
    });

  const saveBudget = (event: React.FormEvent) => {
    event.preventDefault();
    const tokenLimit = tokens.trim() === "" ? null : Number(tokens);
    if (tokenLimit !== null && (!Number.isInteger(tokenLimit) || tokenLimit < 0)) {
      setError("The token limit must be a whole number of tokens, or empty for none.");
      return;
    }
    run("PATCH", { monthly_cost_limit: cost.trim() === "" ? null : cost.trim(), monthly_token_limit: tokenLimit });
  };

  return (
    <div className="flex flex-col gap-2" data-testid={`user-actions-${user.email}`}>
      <div className="flex flex-wrap gap-2">
        {user.status === "pending" && (
          <Button size="sm" pending={pending} onClick={() => run("PATCH", { status: "active" })}>
            Approve
          </Button>
        )}
        {user.status === "disabled" && (
          <Button size="sm" variant="secondary" pending={pending} onClick={() => run("PATCH", { status: "active" })}>
            Enable
          </Button>
        )}
        {user.status !== "disabled" && !self && (
          <Button size="sm" variant="secondary" pending={pending} onClick={() => run("PATCH", { status: "disabled" })}>
            Disable
          </Button>
        )}
        {!self && !user.role_from_env && (
          <Button
            size="sm"
            variant="secondary"
            pending={pending}
            onClick={() => run("PATCH", { role: user.role === "admin" ? "user" : "admin" })}
          >
            {user.role === "admin" ? "Make user" : "Make admin"}
          </Button>
        )}
        {!self && (
          <Button
            size="sm"
            variant="danger"
            pending={pending}
            onClick={() => {
              if (window.confirm(`Delete ${user.email} and all of their projects, chats and usage? This cannot be undone.`))
                run("DELETE");
            }}
          >
            Delete
          </Button>
        )}
      </div>
      <form onSubmit={saveBudget} className="flex flex-wrap items-end gap-2 text-xs">
        <label className="flex flex-col gap-1" htmlFor={`${id}-cost`}>
          Monthly USD
          <input
            id={`${id}-cost`}
            inputMode="decimal"
            value={cost}
            onChange={(e) => setCost(e.target.value)}
            placeholder="no limit"
            className={`${fieldClass} h-8 w-24`}
          />
        </label>
        <label className="flex flex-col gap-1" htmlFor={`${id}-tokens`}>
          Monthly tokens
          <input
            id={`${id}-tokens`}
            inputMode="numeric"
            value={tokens}
            onChange={(e) => setTokens(e.target.value)}
            placeholder="no limit"
            className={`${fieldClass} h-8 w-28`}
          />
        </label>
        <Button size="sm" variant="secondary" type="submit" pending={pending}>
          Save budget
        </Button>
      </form>
      {error && (
        <p role="alert" className="text-xs text-danger">
          {error}
        </p>
      )}
    </div>
  );
}
