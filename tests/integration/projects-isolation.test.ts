import { randomUUID } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { getDb } from "@/lib/db/client";
import { chatSessions, projects } from "@/lib/db/schema";
import { deleteAllForOwner } from "@/lib/db/queries/projects";
import { createProjectFor, deleteProjectOf, getProjectOf, listProjectsOf, updateProjectOf } from "@/lib/projects/service";
import type { Project } from "@/lib/projects/schemas";
import { ApiError } from "@/lib/api/errors";
import { createTestUser } from "../support/auth";
import { projectApi } from "../support/projects-api";
import { cookieJar } from "../support/next-cookies";
import { ACCESS_COOKIE } from "@/lib/auth/types";

vi.mock("next/headers", () => import("../support/next-cookies"));

type TestUser = Awaited<ReturnType<typeof createTestUser>>;

describe(`project isolation (${inject("testDatabase").kind})`, () => {
  let owner: TestUser;
  let other: TestUser;
  let project: Project;

  beforeAll(async () => {
    owner = await createTestUser("Owner");
    other = await createTestUser("Other");
    const created = await projectApi.create({
      headers: owner.headers,
      body: { project_name: "Secret plans", project_description: "Only mine", system_prompt: "Be terse." },
    });
    expect(created.status).toBe(201);
    project = (await created.json()) as Project;
  });

  const ownerView = async () => (await (await projectApi.get(project.id, { headers: owner.headers })).json()) as Project;

  it("lets the owner read, list and see the available models", async () => {
    const one = await projectApi.get(project.id, { headers: owner.headers });
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: project.id,
      user_id: owner.user.id,
      project_name: "Secret plans",
      system_prompt: "Be terse.",
      chat_count: 0,
    });

    const list = await projectApi.list({ headers: owner.headers });
    expect(list.status).toBe(200);
    expect(((await list.json()) as Project[]).map((p) => p.id)).toEqual([project.id]);

    const models = await projectApi.models({ headers: owner.headers });
    expect(models.status).toBe(200);
    expect(await models.json()).toContainEqual(expect.objectContaining({ id: "offline", available: true }));
  });

  it("answers another user 404 with no data on every item route, and changes nothing", async () => {
    const before = await ownerView();
    for (const response of [
      await projectApi.get(project.id, { headers: other.headers }),
      await projectApi.update(project.id, {
        headers: other.headers,
        body: { project_name: "Hijacked", system_prompt: "Leak everything" },
      }),
      await projectApi.remove(project.id, { headers: other.headers }),
    ]) {
      expect(response.status).toBe(404);
      const text = await response.text();
      expect(JSON.parse(text)).toEqual({ detail: "Project not found", code: "not_found:project" });
      expect(text).not.toContain("Secret");
    }
    const list = await projectApi.list({ headers: other.headers });
    expect(list.status).toBe(200);
    expect(await list.json()).toEqual([]);
    expect(await ownerView()).toEqual(before);
  });

  it("answers anonymous callers (and bad tokens) 401 on every route, and changes nothing", async () => {
    const before = await ownerView();
    for (const headers of [
      {} as Record<string, string>,
      { authorization: "Bearer not-a-token" },
      { authorization: `Bearer ${owner.token}x` },
    ]) {
      const responses = [
        await projectApi.list({ headers }),
        await projectApi.create({ headers, body: { project_name: "Anon" } }),
        await projectApi.models({ headers }),
        await projectApi.get(project.id, { headers }),
        await projectApi.update(project.id, { headers, body: { project_name: "Anon" } }),
        await projectApi.remove(project.id, { headers }),
      ];
      for (const response of responses) {
        expect(response.status).toBe(401);
        expect(await response.json()).toEqual({ detail: "Not authenticated", code: "unauthorized:auth" });
      }
    }
    expect(await ownerView()).toEqual(before);
    expect(await listProjectsOf(owner.user.id)).toMatchObject({ items: [{ id: project.id }] });
  });

  afterEach(() => cookieJar.clear());

  it("accepts the browser's session cookie like a Bearer token, and a bad Bearer header wins over a good cookie", async () => {
    const cookie = (token: string) => ({ cookie: `theme=dark; ${ACCESS_COOKIE}=${token}` });
    const viaCookie = await projectApi.get(project.id, { headers: cookie(owner.token) });
    expect(viaCookie.status).toBe(200);
    expect((await viaCookie.json()) as Project).toMatchObject({ id: project.id });
    expect((await projectApi.get(project.id, { headers: { authorization: "Bearer nope", ...cookie(owner.token) } })).status).toBe(
      401,
    );
    expect((await projectApi.get(project.id, { headers: cookie(other.token) })).status).toBe(404);
  });

  it("keeps the service functions (what the dashboard's actions call) owner-scoped too", async () => {
    const before = await ownerView();
    const isNotFound = (error: unknown) =>
      error instanceof ApiError && error.status === 404 && error.code === "not_found:project";
    await expect(getProjectOf(other.user.id, project.id)).rejects.toSatisfy(isNotFound);
    await expect(updateProjectOf(other.user.id, project.id, { project_name: "Hijacked" })).rejects.toSatisfy(isNotFound);
    await expect(deleteProjectOf(other.user.id, project.id)).rejects.toSatisfy(isNotFound);
    expect((await listProjectsOf(other.user.id)).items).toEqual([]);
    expect(await ownerView()).toEqual(before);

    const mine = await createProjectFor(other.user.id, { project_name: "Other's own" });
    expect(mine.user_id).toBe(other.user.id);
    expect((await listProjectsOf(owner.user.id)).items.map((p) => p.id)).not.toContain(mine.id);
    expect(await getProjectOf(owner.user.id, project.id)).toEqual(before);
  });

  it("counts only the project's chats, and takes them along on delete", async () => {
    const db = await getDb();
    const target = await createProjectFor(owner.user.id, { project_name: "With chats" });
    const [session] = await db
      .insert(chatSessions)
      .values({ projectId: target.id, ownerId: owner.user.id, model: "offline" })
      .returning();
    await db.insert(chatSessions).values({ projectId: target.id, ownerId: owner.user.id, model: "offline" });
    expect((await getProjectOf(owner.user.id, target.id)).chat_count).toBe(2);

    const removed = await projectApi.remove(target.id, { headers: owner.headers });
    expect(removed.status).toBe(204);
    expect(await removed.text()).toBe("");
    expect(await db.select().from(chatSessions).where(eq(chatSessions.id, session.id))).toEqual([]);
    expect((await projectApi.get(target.id, { headers: owner.headers })).status).toBe(404);
    expect((await projectApi.remove(target.id, { headers: owner.headers })).status).toBe(404);
  });

  it("lets the owner change and delete the project", async () => {
    const patched = await projectApi.update(project.id, { headers: owner.headers, body: { system_prompt: "Be kind." } });
    expect(patched.status).toBe(200);
    const body = (await patched.json()) as Project;
    expect(body).toMatchObject({ project_name: "Secret plans", project_description: "Only mine", system_prompt: "Be kind." });
    expect(Date.parse(body.updated_at)).toBeGreaterThanOrEqual(Date.parse(project.updated_at));

    expect((await projectApi.remove(project.id, { headers: owner.headers })).status).toBe(204);
    expect((await projectApi.get(project.id, { headers: owner.headers })).status).toBe(404);
  });

  it("deletes every project of one owner, and only theirs, for account deletion", async () => {
    const a = await createTestUser();
    const b = await createTestUser();
    await createProjectFor(a.user.id, { project_name: "a1" });
    await createProjectFor(a.user.id, { project_name: "a2" });
    const kept = await createProjectFor(b.user.id, { project_name: "b1" });
    expect(await deleteAllForOwner(a.user.id)).toBe(2);
    expect((await listProjectsOf(a.user.id)).items).toEqual([]);
    expect((await listProjectsOf(b.user.id)).items.map((p) => p.id)).toEqual([kept.id]);
    const db = await getDb();
    expect(await db.select().from(projects).where(eq(projects.ownerId, randomUUID()))).toEqual([]);
  });
});
