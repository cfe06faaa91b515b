import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { GET } from "@/app/api/v1/openapi.json/route";

type Json = Record<string, unknown>;

/** Every `app/api/v1/**∕route.ts` on disk, as an OpenAPI path (`[id]` → `{id}`), plus the methods it exports. */
function routesOnDisk(): { path: string; methods: string[] }[] {
  const root = path.join(process.cwd(), "app");
  const found: { path: string; methods: string[] }[] = [];
  for (const file of fs.globSync("api/v1/**/route.ts", { cwd: root })) {
    const dir = path.dirname(file).split(path.sep).join("/");
    const urlPath = `/${dir}`.replace(/\[(\w+)\]/g, "{$1}");
    const source = fs.readFileSync(path.join(root, file), "utf8");
    const methods = [...source.matchAll(/export const (GET|POST|PATCH|PUT|DELETE)\b/g)].map((m) => m[1].toLowerCase());
    found.push({ path: urlPath, methods });
  }
  return found;
}

function collectRefs(node: unknown, into: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((child) => collectRefs(child, into));
  else if (node && typeof node === "object") {
    for (const [key, value] of Object.entries(node)) {
      if (key === "$ref" && typeof value === "string") into.push(value);
      else collectRefs(value, into);
    }
  }
  return into;
}

describe("OpenAPI document", () => {
  it("is served as JSON that parses to an OpenAPI 3.1 document", async () => {
    const response = await GET(new Request("http://localhost/api/v1/openapi.json"));
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/application\/json/);
    const doc = JSON.parse(await response.text()) as Json;
    expect(doc.openapi).toMatch(/^3\.1\.\d+$/);
    expect(doc.info).toMatchObject({ title: expect.any(String), version: expect.any(String) });
  });

  it("lists every route file under app/api/v1 with each method it exports", () => {
    const doc = buildOpenApiDocument() as { paths: Record<string, Json> };
    const disk = routesOnDisk();
    expect(disk.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        "/api/v1/project",
        "/api/v1/project/{id}",
        "/api/v1/project/available-models",
        "/api/v1/openapi.json",
      ]),
    );
    for (const route of disk) {
      expect(doc.paths, `${route.path} is missing from the document`).toHaveProperty([route.path]);
      expect(route.methods.length).toBeGreaterThan(0);
      for (const method of route.methods)
        expect(doc.paths[route.path], `${method.toUpperCase()} ${route.path}`).toHaveProperty([method]);
    }
  });

  it("also lists the contract's auth and sessions routes", () => {
    const paths = Object.keys((buildOpenApiDocument() as { paths: Json }).paths);
    for (const p of [
      "/health",
      "/api/v1/auth/signup",
      "/api/v1/auth/login",
      "/api/v1/auth/refresh",
      "/api/v1/auth/logout",
      "/api/v1/auth/reset-password",
      "/api/v1/auth/session-check",
      "/api/v1/sessions",
      "/api/v1/sessions/{id}",
      "/api/v1/sessions/{id}/history",
      "/api/v1/sessions/{id}/chat",
      "/api/v1/sessions/{id}/chat/stream",
    ]) {
      expect(paths).toContain(p);
    }
  });

  it("is internally consistent: refs resolve, path parameters are declared, operation ids are unique, every operation answers", () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, Json>>;
      components: { schemas: Json; securitySchemes: Json };
    };
    for (const target of collectRefs(doc)) {
      expect(target).toMatch(/^#\/components\/schemas\//);
      expect(doc.components.schemas).toHaveProperty([target.split("/").pop() as string]);
    }
    const ids = new Set<string>();
    for (const [p, operations] of Object.entries(doc.paths)) {
      expect(p.startsWith("/")).toBe(true);
      const placeholders = [...p.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      for (const [method, operation] of Object.entries(operations)) {
        expect(["get", "post", "put", "patch", "delete"]).toContain(method);
        const op = operation as { operationId: string; responses: Json; parameters?: { name: string; in: string }[] };
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        expect(Object.keys(op.responses).length).toBeGreaterThan(0);
        const declared = (op.parameters ?? []).filter((param) => param.in === "path").map((param) => param.name);
        expect(declared.sort()).toEqual([...placeholders].sort());
      }
    }
  });

  it("describes requests with the schemas that validate them", () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, Json>>;
      components: { schemas: Record<string, Json> };
    };
    const create = doc.components.schemas.ProjectCreate as { required: string[]; properties: Record<string, Json> };
    expect(create.required).toEqual(["project_name"]);
    expect(create.properties.project_name).toMatchObject({ type: "string", minLength: 1, maxLength: 200 });
    expect(create.properties.system_prompt).toMatchObject({ maxLength: 20_000, default: "" });
    expect((doc.components.schemas.ProjectUpdate as { required?: string[] }).required ?? []).toEqual([]);
    const project = doc.components.schemas.Project as { required: string[] };
    expect(project.required).toEqual(
      expect.arrayContaining([
        "id",
        "user_id",
        "project_name",
        "project_description",
        "system_prompt",
        "created_at",
        "updated_at",
      ]),
    );
    const list = doc.paths["/api/v1/project"].get as {
      parameters: { name: string }[];
      responses: Record<string, { headers?: Json }>;
    };
    expect(list.parameters.map((p) => p.name)).toEqual(["limit", "cursor", "q"]);
    expect(list.responses["200"].headers).toHaveProperty(["X-Next-Cursor"]);
    expect(doc.paths["/api/v1/project/{id}"].delete.responses).toHaveProperty(["404"]);
  });

  it("documents the client message id of the chat sends: the body field and the Idempotency-Key header (#15)", () => {
    const doc = buildOpenApiDocument() as {
      paths: Record<string, Record<string, { parameters: Json[]; responses: Record<string, { description: string }> }>>;
      components: { schemas: Record<string, { properties: Record<string, Json> }> };
    };
    expect(doc.components.schemas.ChatRequest!.properties.client_message_id).toMatchObject({
      type: "string",
      minLength: 1,
      maxLength: 255,
    });
    for (const path of ["/api/v1/sessions/{id}/chat", "/api/v1/sessions/{id}/chat/stream"]) {
      const send = doc.paths[path]!.post!;
      expect(send.parameters).toContainEqual(
        expect.objectContaining({ name: "Idempotency-Key", in: "header", required: false, schema: { type: "string" } }),
      );
      expect(send.responses["409"]!.description).toContain("conflict:message");
      expect(send.responses["422"]!.description).toContain("validation:client_message_id");
    }
  });
});
