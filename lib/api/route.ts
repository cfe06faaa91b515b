import "server-only";
import { z } from "zod";
import { isAdmin } from "@/lib/accounts/state";
import { requireRequestUser } from "@/lib/auth/server";
import type { AuthUser } from "@/lib/auth/types";
import { notFound } from "./errors";
import { noContent, readJson, withApi } from "./http";

/**
 * The one shape of an authenticated route: the caller is checked (401 otherwise), every path parameter must be
 * a UUID (a malformed one cannot name a resource of the caller's, so it is the same 404 as a missing one, on
 * the route's surface), and errors go through `withApi`'s errorResponse.
 */

/** Every path segment of the API names a row by its UUID. */
const pathId = z.uuid();

export interface UserRouteArgs<P> {
  user: AuthUser;
  request: Request;
  params: P;
}

export function withUser<P extends Record<string, string> = Record<string, never>>(
  surface: string,
  handler: (args: UserRouteArgs<P>) => Promise<Response>,
) {
  // The context is optional: a route without dynamic segments may be called (by tests) with the request alone.
  return withApi(async (request: Request, context?: { params: Promise<P> }) => {
    const user = await requireRequestUser(request);
    const params = (await context?.params) ?? ({} as P);
    for (const value of Object.values(params)) if (!pathId.safeParse(value).success) throw notFound(surface);
    return handler({ user, request, params });
  });
}

/** A JSON answer that no cache keeps: every answer of the API is the caller's own data. */
export function json(data: unknown, init: ResponseInit = {}): Response {
  return Response.json(data, { ...init, headers: noStoreHeaders(init.headers) });
}

/** `init` plus `Cache-Control: no-store` unless it sets its own, for answers built by hand (cookies, 204). */
export function noStoreHeaders(init?: HeadersInit): Headers {
  const headers = new Headers(init);
  if (!headers.has("Cache-Control")) headers.set("Cache-Control", "no-store");
  return headers;
}

/** The query string as a plain object, for the services' zod schemas. */
export function queryOf(request: Request): Record<string, string> {
  return Object.fromEntries(new URL(request.url).searchParams);
}

/** The caller's own resource at `/<surface>/{id}`, each verb answered by the service that owns it. */
export interface OwnedResource {
  get(ownerId: string, id: string): Promise<unknown>;
  update(ownerId: string, id: string, body: unknown): Promise<unknown>;
  remove(ownerId: string, id: string): Promise<unknown>;
}

/** GET → 200, PATCH → 200 (the service validates the body), DELETE → 204, for one owned resource. */
export function ownedResourceRoutes(surface: string, resource: OwnedResource) {
  type Params = { id: string };
  return {
    GET: withUser<Params>(surface, async ({ user, params }) => json(await resource.get(user.id, params.id))),
    PATCH: withUser<Params>(surface, async ({ user, request, params }) => {
      const body = await readJson(request, z.unknown(), surface);
      return json(await resource.update(user.id, params.id, body));
    }),
    DELETE: withUser<Params>(surface, async ({ user, params }) => {
      await resource.remove(user.id, params.id);
      return noContent();
    }),
  };
}

/**
 * The admin API's routes: an admin only (lib/accounts/state.ts, cached per user). Anyone else signed in gets the
 * 404 an unknown route gets (`not_found:route`), before the path is even read, so a non-admin learns nothing of
 * what exists; an anonymous caller gets the usual 401.
 */
export function withAdmin<P extends Record<string, string> = Record<string, never>>(
  surface: string,
  handler: (args: UserRouteArgs<P>) => Promise<Response>,
) {
  return withApi(async (request: Request, context?: { params: Promise<P> }) => {
    const user = await requireRequestUser(request);
    if (!(await isAdmin(user))) throw notFound("route", "Not found");
    const params = (await context?.params) ?? ({} as P);
    for (const value of Object.values(params)) if (!pathId.safeParse(value).success) throw notFound(surface);
    return handler({ user, request, params });
  });
}
