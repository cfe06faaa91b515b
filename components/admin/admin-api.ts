/**
 * The /admin page's client components call the admin REST API (the same routes as any API client, with the
 * browser's session cookie), then refresh the page's server data. One place that turns an answer into either
 * nothing (it worked) or the server's sentence.
 */
export async function adminRequest(path: string, method: "PATCH" | "POST" | "DELETE", body?: unknown): Promise<string | null> {
  let response: Response;
  try {
    response = await fetch(`/api/v1/admin/${path}`, {
      method,
      headers: body === undefined ? undefined : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch {
    return "Could not reach the server. Check your connection and try again.";
  }
  if (response.ok) return null;
  const answer = (await response.json().catch(() => null)) as { detail?: unknown } | null;
  return typeof answer?.detail === "string" ? answer.detail : `The change failed (HTTP ${response.status}).`;
}
