import { expect, type APIRequestContext, type BrowserContext } from "@playwright/test";

export interface ApiUser {
  id: string;
  token: string;
  /** Bearer auth for the REST API. */
  headers: Record<string, string>;
}

/**
 * A real account made through the public sign-up API (as a user or API client would), with the browser signed
 * in as it. Each call uses one of the per-address sign-up budget (20 an hour), so use it sparingly.
 */
export async function registerViaApi(
  request: APIRequestContext,
  context: BrowserContext,
  baseURL: string,
  fullName = "E2E User",
): Promise<ApiUser> {
  const email = `e2e-${crypto.randomUUID()}@example.test`;
  const response = await request.post("/api/v1/auth/signup", {
    data: { email, password: "a long enough password", full_name: fullName },
  });
  expect(response.status()).toBe(201);
  const body = (await response.json()) as { user: { id: string }; token: { access_token: string } };
  const token = body.token.access_token;
  await context.addCookies([{ name: "parley_access", value: token, url: baseURL, httpOnly: true, sameSite: "Lax" }]);
  return { id: body.user.id, token, headers: { authorization: `Bearer ${token}` } };
}

/** A project and an offline-model chat in it, through the REST API. */
export async function createChatViaApi(
  request: APIRequestContext,
  user: ApiUser,
  project: { project_name: string; project_description?: string; system_prompt?: string },
  title?: string,
): Promise<{ projectId: string; sessionId: string }> {
  const created = await request.post("/api/v1/project", {
    headers: user.headers,
    data: { ...project, default_model: "offline" },
  });
  expect(created.status()).toBe(201);
  const projectId = ((await created.json()) as { id: string }).id;
  return { projectId, sessionId: await createSessionViaApi(request, user, projectId, title) };
}

export async function createSessionViaApi(
  request: APIRequestContext,
  user: ApiUser,
  projectId: string,
  title?: string,
): Promise<string> {
  const response = await request.post("/api/v1/sessions", {
    headers: user.headers,
    data: { project_id: projectId, title, chat_model: "offline" },
  });
  expect(response.status()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}
