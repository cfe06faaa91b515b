import { z } from "zod";
import packageJson from "@/package.json";
import { accountRoutes } from "./openapi/account-routes";
import { adminRoutes } from "./openapi/admin-routes";
import { components } from "./openapi/components";
import { resourceRoutes } from "./openapi/resource-routes";
import { transferRoutes } from "./openapi/transfer-routes";
import { userKeyRoutes } from "./openapi/user-key-routes";
import type { ApiRoute } from "./openapi/route-spec";

/**
 * The OpenAPI 3.1 document of /api/v1, generated from the zod schemas that validate the requests (never written
 * by hand a second time). Every route of the contract is an entry of `apiRoutes`; a test checks that each
 * `app/api/v1/**∕route.ts` on disk has one, so a new route cannot be left out.
 *
 * The route table lives in openapi/ (account and resource routes, the component schemas). Request schemas are
 * imported from the modules whose routes validate with them; the response shapes (response-schemas.ts) and the
 * view shapes (lib/chats/views.ts) are the very schemas the routes' answers are typed from.
 */

export const apiRoutes: ApiRoute[] = [...accountRoutes, ...userKeyRoutes, ...resourceRoutes, ...transferRoutes, ...adminRoutes];

type JsonObject = Record<string, unknown>;

function jsonSchemaOf(schema: z.ZodType, io: "input" | "output"): JsonObject {
  // OpenAPI 3.1 uses JSON Schema 2020-12 as its default dialect, so the document carries no $schema per schema.
  const { $schema: _dialect, ...rest } = z.toJSONSchema(schema, {
    target: "draft-2020-12",
    io,
    unrepresentable: "any",
  }) as JsonObject;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function schemaRef(spec: string | z.ZodType): JsonObject {
  return typeof spec === "string" ? ref(spec) : jsonSchemaOf(spec, "output");
}

const commonErrors: Record<number, string> = {
  400: "The body is not valid JSON",
  413: "The body is larger than 1 MiB",
  415: "The body is not JSON",
  422: "The input is invalid",
};

function operationOf(route: ApiRoute): JsonObject {
  const parameters: JsonObject[] = [];
  for (const match of route.path.matchAll(/\{(\w+)\}/g)) {
    parameters.push({ name: match[1], in: "path", required: true, schema: { type: "string", format: "uuid" } });
  }
  if (route.query) {
    for (const [name, field] of Object.entries(route.query.shape)) {
      const schema = jsonSchemaOf(field as z.ZodType, "input");
      const { description, ...rest } = schema;
      parameters.push({
        name,
        in: "query",
        required: !(field as z.ZodType).safeParse(undefined).success,
        schema: rest,
        ...(description ? { description } : {}),
      });
    }
  }
  for (const [name, header] of Object.entries(route.requestHeaders ?? {})) {
    parameters.push({ name, in: "header", required: false, schema: { type: "string" }, description: header.description });
  }
  const responses: JsonObject = {};
  for (const [status, spec] of Object.entries(route.responses)) {
    responses[status] = {
      description: spec.description,
      ...(spec.headers
        ? {
            headers: Object.fromEntries(
              Object.entries(spec.headers).map(([name, h]) => [name, { description: h.description, schema: { type: "string" } }]),
            ),
          }
        : {}),
      ...(spec.schema
        ? {
            content: {
              [spec.contentType ?? "application/json"]: { schema: schemaRef(spec.schema) },
              ...Object.fromEntries((spec.also ?? []).map((alt) => [alt.contentType, { schema: schemaRef(alt.schema) }])),
            },
          }
        : {}),
    };
  }
  const error = (description: string) => ({ description, content: { "application/json": { schema: ref("Error") } } });
  if (route.auth) responses["401"] ??= error("Not authenticated");
  if (route.path.includes("{")) responses["404"] ??= error("Not found (also: not the caller's, or a malformed id)");
  if (route.body) for (const [status, description] of Object.entries(commonErrors)) responses[status] ??= error(description);
  else if (route.query) responses["422"] ??= error("Invalid query parameters");
  return {
    operationId: `${route.method}${route.path.replace(/[^a-zA-Z0-9]+(\w)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : ""))}`,
    summary: route.summary,
    tags: [route.tag],
    ...(route.auth ? {} : { security: [] }),
    ...(parameters.length ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { "application/json": { schema: ref(route.body) } } } } : {}),
    responses,
  };
}

let cached: JsonObject | undefined;

export function buildOpenApiDocument(): JsonObject {
  if (cached) return cached;
  const paths: Record<string, JsonObject> = {};
  for (const route of apiRoutes) {
    (paths[route.path] ??= {})[route.method] = operationOf(route);
  }
  cached = {
    openapi: "3.1.0",
    info: {
      title: "Parley REST API",
      version: packageJson.version,
      description:
        "The ChatBot Platform API, kept for existing clients. Lists paginate with ?limit= and ?cursor=; the next cursor is in the X-Next-Cursor header.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    tags: [
      { name: "projects", description: "Projects with their own system prompts" },
      { name: "sessions", description: "Chats inside projects" },
      { name: "search", description: "Full-text search across the caller's chats" },
      { name: "usage", description: "Tokens and cost (USD, exact decimal strings) of the caller's model calls" },
      { name: "transfer", description: "Export and import (Parley's own format, ChatGPT's conversations.json)" },
      { name: "auth", description: "Accounts and tokens" },
      { name: "account", description: "Your own settings: your OpenRouter key" },
      {
        name: "admin",
        description:
          "Administrators only (anyone else gets 404): accounts, budgets, usage figures, settings, the audit log. Never chat contents",
      },
      { name: "health" },
      { name: "meta" },
    ],
    paths,
    components: {
      securitySchemes: {
        bearer: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "JWT",
          description: "access_token from login, signup or refresh; the browser's session cookie also works",
        },
      },
      schemas: Object.fromEntries(Object.entries(components).map(([name, { schema, io }]) => [name, jsonSchemaOf(schema, io)])),
    },
  };
  return cached;
}
