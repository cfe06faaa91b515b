import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { createProjectAction, deleteProjectAction, loadProjectsPageAction, updateProjectAction } from "@/lib/projects/actions";
import { createProjectFor, getProjectOf } from "@/lib/projects/service";
import type { Project } from "@/lib/projects/schemas";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { createTestUser } from "../support/auth";
import { cookieJar } from "../support/next-cookies";

vi.mock("next/headers", () => import("../support/next-cookies"));

type TestUser = Awaited<ReturnType<typeof createTestUser>>;

/** The dashboard's server actions themselves, signed in through the session cookie as a browser would be. */
describe(`project server actions (${inject("testDatabase").kind})`, () => {
  let owner: TestUser;
  let other: TestUser;
  let project: Project;
  const as = (user: TestUser | null) => (user ? cookieJar.set(ACCESS_COOKIE, user.token) : cookieJar.clear());

  beforeAll(async () => {
    owner = await createTestUser("Owner");
    other = await createTestUser("Other");
    project = await createProjectFor(owner.user.id, { project_name: "Action target", system_prompt: "Keep me" });
  });
  afterEach(() => cookieJar.clear());

  it("let the owner create, list, update and delete", async () => {
    as(owner);
    const created = await createProjectAction({ project_name: "Made by action", memory_enabled: false });
    expect(created).toMatchObject({
      ok: true,
      data: { project_name: "Made by action", user_id: owner.user.id, memory_enabled: false },
    });
    const page = await loadProjectsPageAction({});
    expect(page.ok && page.data.items.map((p) => p.project_name)).toEqual(["Made by action", "Action target"]);
    if (!created.ok) throw new Error("unreachable");
    expect(await updateProjectAction(created.data.id, { system_prompt: "New" })).toMatchObject({
      ok: true,
      data: { system_prompt: "New" },
    });
    expect(await deleteProjectAction(created.data.id)).toEqual({ ok: true, data: null });
  });

  it("validate with the shared schemas and report field errors", async () => {
    as(owner);
    expect(await createProjectAction({ project_name: "" })).toMatchObject({
      ok: false,
      fieldErrors: { project_name: "Name is required" },
    });
    expect(await updateProjectAction(project.id, {})).toMatchObject({
      ok: false,
      error: expect.stringMatching(/at least one field/i),
    });
    expect(await createProjectAction({ project_name: "x", default_model: "paid-model" })).toMatchObject({
      ok: false,
      fieldErrors: { default_model: expect.any(String) },
    });
    expect(await loadProjectsPageAction({ cursor: "forged" })).toMatchObject({ ok: false });
  });

  it("answer another user 'not found' and change nothing", async () => {
    const before = await getProjectOf(owner.user.id, project.id);
    as(other);
    expect(await updateProjectAction(project.id, { project_name: "Hijacked" })).toEqual({
      ok: false,
      error: "Project not found",
    });
    expect(await deleteProjectAction(project.id)).toEqual({ ok: false, error: "Project not found" });
    const page = await loadProjectsPageAction({});
    expect(page.ok && page.data.items).toEqual([]);
    expect(await getProjectOf(owner.user.id, project.id)).toEqual(before);
  });

  it("send anonymous callers to the login page and change nothing", async () => {
    const before = await getProjectOf(owner.user.id, project.id);
    as(null);
    for (const call of [
      () => createProjectAction({ project_name: "Anon" }),
      () => updateProjectAction(project.id, { project_name: "Anon" }),
      () => deleteProjectAction(project.id),
      () => loadProjectsPageAction({}),
    ]) {
      // next/navigation's redirect() throws an error whose digest carries the target.
      await expect(call()).rejects.toMatchObject({ digest: expect.stringContaining("/login") });
    }
    cookieJar.set(ACCESS_COOKIE, "forged.token.value");
    await expect(deleteProjectAction(project.id)).rejects.toMatchObject({ digest: expect.stringContaining("/login") });
    expect(await getProjectOf(owner.user.id, project.id)).toEqual(before);
  });
});
