import { noContent, ok, type ApiRoute } from "./route-spec";

/** The caller's own OpenRouter key ("bring your own key", lib/user-keys): the key itself is never answered. */
export const userKeyRoutes: ApiRoute[] = [
  {
    method: "get",
    path: "/api/v1/me/openrouter-key",
    summary: "Whether you saved your own OpenRouter key, and its last four characters (never the key)",
    tag: "account",
    auth: true,
    responses: { 200: ok("UserKeyStatus") },
  },
  {
    method: "put",
    path: "/api/v1/me/openrouter-key",
    summary:
      "Save (or replace) your own OpenRouter key, encrypted at rest: your OpenRouter calls (replies, titles, summaries) then go out with it, billed to you, and may use any model of OpenRouter's catalog",
    tag: "account",
    auth: true,
    body: "UserKeySave",
    responses: {
      200: ok("UserKeyStatus", "Saved; the answer shows only the last four characters"),
      403: { description: "`forbidden:user_key`: this server does not let users use their own key", schema: "Error" },
    },
  },
  {
    method: "delete",
    path: "/api/v1/me/openrouter-key",
    summary: "Remove your own OpenRouter key: your calls use the team's key and allow-list again",
    tag: "account",
    auth: true,
    responses: { 204: noContent },
  },
];
