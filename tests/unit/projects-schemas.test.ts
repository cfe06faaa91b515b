import { describe, expect, it } from "vitest";
import { escapeLike } from "@/lib/db/queries/projects";
import { projectCreateSchema, projectListQuerySchema, projectUpdateSchema } from "@/lib/projects/schemas";
import { formatRelative } from "@/components/projects/relative-time";

describe("project schemas", () => {
  it("fill defaults on create, strip unknown fields and normalise an empty description to null", () => {
    expect(projectCreateSchema.parse({ project_name: " A ", project_description: "  ", extra: 1 })).toEqual({
      project_name: "A",
      project_description: null,
      system_prompt: "",
    });
  });

  it("do not invent defaults on update, so a PATCH changes only what it sends", () => {
    expect(projectUpdateSchema.parse({ memory_enabled: false })).toEqual({ memory_enabled: false });
    expect(projectUpdateSchema.safeParse({}).success).toBe(false);
    expect(projectUpdateSchema.safeParse({ project_name: undefined }).success).toBe(false);
    expect(projectUpdateSchema.parse({ project_description: null })).toEqual({ project_description: null });
  });

  it("coerce list parameters from the query string within bounds", () => {
    expect(projectListQuerySchema.parse({})).toEqual({ limit: 50 });
    expect(projectListQuerySchema.parse({ limit: "100", q: "  x " })).toEqual({ limit: 100, q: "x" });
    expect(projectListQuerySchema.safeParse({ limit: "0" }).success).toBe(false);
  });
});

describe("escapeLike", () => {
  it("escapes LIKE wildcards and the escape character itself", () => {
    expect(escapeLike("50%_a\\b")).toBe("50\\%\\_a\\\\b");
    expect(escapeLike("plain")).toBe("plain");
  });
});

describe("formatRelative", () => {
  const now = Date.parse("2026-06-15T12:00:00Z");
  it.each([
    ["2026-06-15T11:59:30Z", "just now"],
    ["2026-06-15T11:55:00Z", "5 minutes ago"],
    ["2026-06-15T09:00:00Z", "3 hours ago"],
    ["2026-06-14T12:00:00Z", "yesterday"],
    ["2026-05-01T12:00:00Z", "last month"],
    ["2024-06-01T12:00:00Z", "2 years ago"],
  ])("%s → %s", (iso, text) => {
    expect(formatRelative(iso, now)).toBe(text);
  });
});
