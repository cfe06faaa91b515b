import { afterAll, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { listChats } from "@/lib/chats/service";
import { createSession } from "@/lib/db/queries/sessions";
import { createTestUser } from "../support/auth";
import { cookieJar } from "../support/next-cookies";
import { actionOutcome as outcome, discoverActions, form } from "../support/server-actions";
import {
  createOwnedFixture,
  OWNER_OPENROUTER_KEY,
  secretsOf,
  snapshotOf,
  type OwnedFixture,
  type TestUser,
} from "../support/security-routes";
import { saveUserKey } from "@/lib/user-keys/service";

vi.mock("next/headers", () => import("../support/next-cookies"));

/**
 * The ownership matrix for server actions (the pages' POST endpoints), generated from the source tree like the
 * route matrix: every exported function of every "use server" module must have an entry here, so a new
 * action cannot be forgotten. Each is called anonymously, as another user, and as the owner.
 *
 * Kinds: "owned" names one of the owner's resources (another user gets "not found" and no data); "own" answers
 * about the caller's own data (another user succeeds but sees nothing of the owner's); "self" acts on the
 * caller's own account (another user naming the owner's email or password gets nowhere); "public" is the
 * signed-out auth forms, reachable by anyone by design.
 */
type Act = (f: OwnedFixture, owner: TestUser) => Promise<unknown>;
type ActionCase = { kind: "owned" | "own" | "self"; call: Act } | { kind: "public" };

const chats = "lib/chats/actions.ts";
const projectsFile = "lib/projects/actions.ts";
const authFile = "lib/auth/actions.ts";
const settingsFile = "lib/auth/account-actions.ts";
const userKeysFile = "lib/user-keys/actions.ts";

const actions = await discoverActions();
const byKey = new Map(actions.map((a) => [a.key, a.fn]));
const fn = (key: string) => {
  const found = byKey.get(key);
  if (!found) throw new Error(`${key} is in the matrix but no longer exported`);
  return found;
};

const MATRIX: Record<string, ActionCase> = {
  [`${projectsFile}#createProjectAction`]: {
    kind: "own",
    call: () => fn(`${projectsFile}#createProjectAction`)({ project_name: "mine" }),
  },
  [`${projectsFile}#updateProjectAction`]: {
    kind: "owned",
    call: (f) => fn(`${projectsFile}#updateProjectAction`)(f.projectId, { project_name: "Hijacked", system_prompt: "leak" }),
  },
  [`${projectsFile}#deleteProjectAction`]: { kind: "owned", call: (f) => fn(`${projectsFile}#deleteProjectAction`)(f.projectId) },
  [`${projectsFile}#loadProjectsPageAction`]: { kind: "own", call: () => fn(`${projectsFile}#loadProjectsPageAction`)({}) },
  [`${chats}#renameChatAction`]: { kind: "owned", call: (f) => fn(`${chats}#renameChatAction`)(f.sessionId, "Hijacked") },
  [`${chats}#pinChatAction`]: { kind: "owned", call: (f) => fn(`${chats}#pinChatAction`)(f.sessionId, true) },
  [`${chats}#archiveChatAction`]: { kind: "owned", call: (f) => fn(`${chats}#archiveChatAction`)(f.sessionId, true) },
  [`${chats}#deleteChatAction`]: { kind: "owned", call: (f) => fn(`${chats}#deleteChatAction`)(f.sessionId) },
  [`${chats}#changeModelAction`]: { kind: "owned", call: (f) => fn(`${chats}#changeModelAction`)(f.sessionId, "offline") },
  [`${chats}#updateSystemPromptAction`]: {
    kind: "owned",
    call: (f) => fn(`${chats}#updateSystemPromptAction`)(f.projectId, "leak"),
  },
  [`${chats}#loadOlderMessagesAction`]: {
    kind: "owned",
    call: (f) => fn(`${chats}#loadOlderMessagesAction`)(f.sessionId, f.messageIds[1]),
  },
  [`${chats}#selectBranchAction`]: {
    kind: "owned",
    call: (f) => fn(`${chats}#selectBranchAction`)(f.sessionId, f.messageIds[1]),
  },
  [`${chats}#loadMoreChatsAction`]: {
    // Lists the caller's chats of that project (like GET /api/v1/sessions?project_id=): another user, even with
    // the owner's valid cursor, gets an empty page.
    kind: "own",
    call: async (f, owner) =>
      fn(`${chats}#loadMoreChatsAction`)(
        f.projectId,
        (await listChats(owner.user.id, { projectId: f.projectId, limit: 1 })).nextCursor,
      ),
  },
  // The caller's own OpenRouter key: another user saves or removes their own, never the owner's.
  [`${userKeysFile}#saveOpenRouterKeyAction`]: {
    kind: "own",
    call: () => fn(`${userKeysFile}#saveOpenRouterKeyAction`)(`sk-or-v1-${"d".repeat(64)}`),
  },
  [`${userKeysFile}#removeOpenRouterKeyAction`]: { kind: "own", call: () => fn(`${userKeysFile}#removeOpenRouterKeyAction`)() },
  [`${settingsFile}#changePasswordAction`]: {
    kind: "self",
    call: () =>
      fn(`${settingsFile}#changePasswordAction`)(
        {},
        form({ current_password: "a guessed password", password: "a brand new password", confirm: "a brand new password" }),
      ),
  },
  [`${settingsFile}#deleteAccountAction`]: {
    kind: "self",
    call: (_f, owner) => fn(`${settingsFile}#deleteAccountAction`)({}, form({ confirm_email: owner.user.email })),
  },
  [`${authFile}#loginAction`]: { kind: "public" },
  [`${authFile}#registerAction`]: { kind: "public" },
  [`${authFile}#forgotPasswordAction`]: { kind: "public" },
  [`${authFile}#resetPasswordAction`]: { kind: "public" },
  [`${authFile}#logoutAction`]: { kind: "public" },
};

/** The shared fixture plus a second chat in its project, so the sidebar has a next page to load. */
async function fixtureWithTwoChats(owner: TestUser, tag: string): Promise<OwnedFixture> {
  const fixture = await createOwnedFixture(owner, tag);
  await createSession(owner.user.id, { projectId: fixture.projectId, title: "Second chat", model: "offline" });
  return fixture;
}

const refused = (o: { value?: unknown; digest?: string }) =>
  o.digest?.startsWith("NEXT_HTTP_ERROR_FALLBACK;404") ||
  (typeof o.value === "object" &&
    o.value !== null &&
    ("ok" in o.value ? o.value.ok === false : "fieldErrors" in o.value || "error" in o.value));

describe(`ownership matrix over ${actions.length} server actions (${inject("testDatabase").kind})`, () => {
  let owner: TestUser;
  let other: TestUser;
  let target: OwnedFixture;
  let before: Awaited<ReturnType<typeof snapshotOf>>;
  const as = (user: TestUser | null) => (user ? cookieJar.set(ACCESS_COOKIE, user.token) : cookieJar.clear());
  const cases = Object.entries(MATRIX).filter(
    (entry): entry is [string, Exclude<ActionCase, { kind: "public" }>] => entry[1].kind !== "public",
  );

  beforeAll(async () => {
    owner = await createTestUser("Owner A");
    other = await createTestUser("Other B");
    target = await fixtureWithTwoChats(owner, "action-target");
    // A saved key of the owner's is part of what another user's calls must leave as it was.
    await saveUserKey(owner.user.id, { key: OWNER_OPENROUTER_KEY });
    before = await snapshotOf(owner.user.id);
  });
  afterAll(() => cookieJar.clear());

  it("discovers the action modules (the scan works)", () => {
    expect(actions.map((a) => a.key)).toEqual(
      expect.arrayContaining([`${projectsFile}#updateProjectAction`, `${chats}#renameChatAction`, `${authFile}#loginAction`]),
    );
  });

  it.each(actions.map((a) => [a.key]))("%s is in the matrix", (key) => {
    expect(MATRIX[key], `add ${key} to the server-action matrix`).toBeDefined();
  });

  it.each(cases)("%s: anonymous is sent to the login page", async (_key, entry) => {
    as(null);
    const result = await outcome(() => entry.call(target, owner));
    expect(result.digest).toMatch(/^NEXT_REDIRECT;[a-z]+;\/login/);
  });

  it.each(cases)("%s: another user gets no access and no data", async (key, entry) => {
    as(other);
    const result = await outcome(() => entry.call(target, owner));
    if (entry.kind === "own") expect(result.value, key).toMatchObject({ ok: true });
    else expect(refused(result), `${key}: ${JSON.stringify(result)}`).toBe(true);
    const text = JSON.stringify(result);
    for (const secret of secretsOf(target)) expect(text, `${key} leaked ${secret}`).not.toContain(secret);
    as(null);
  });

  // Runs after every attempt above (vitest runs a file's tests in order).
  it("after all of B's and the anonymous attempts, nothing of A's changed", async () => {
    expect(await snapshotOf(owner.user.id)).toEqual(before);
  });

  it.each(cases.filter(([, entry]) => entry.kind !== "self"))("%s: the owner succeeds", async (key, entry) => {
    as(owner);
    const fresh = await fixtureWithTwoChats(owner, "owner-call");
    const result = await outcome(() => entry.call(fresh, owner));
    // Creating a chat opens it: a redirect to the new chat is the success.
    if (result.digest)
      expect(result.digest, key).toMatch(new RegExp(`^NEXT_REDIRECT;[a-z]+;/projects/${fresh.projectId}/chats/`));
    else expect(result.value, key).toMatchObject({ ok: true });
    as(null);
  });
});
