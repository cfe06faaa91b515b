import { Validator } from "@seriousme/openapi-schema-validator";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

/**
 * Checks real responses against the OpenAPI document: the document is first validated as OpenAPI 3.1 (by
 * @seriousme/openapi-schema-validator, with its $refs resolved), then each response's status must be declared
 * for its operation, its content type must be one the operation declares, and its body must satisfy that
 * schema (ajv, JSON Schema 2020-12: OpenAPI 3.1's dialect). A response declared without content must have no
 * body. Every mismatch is kept with the route it came from.
 */

type Json = Record<string, unknown>;
interface ResponseObject {
  content?: Record<string, { schema?: Json }>;
}
interface Operation {
  responses: Record<string, ResponseObject>;
}

export interface Conformance {
  /** Validates one response of `METHOD /path/{template}` (the document's path); returns the response unread. */
  check(method: string, path: string, response: Response): Promise<Response>;
  /** "METHOD path → status: what is wrong", one per mismatch seen so far. */
  mismatches: string[];
  /** Every operation of the document ("get /api/v1/project") with the statuses seen for it. */
  seen: Map<string, Set<number>>;
}

export async function openApiConformance(document: Json): Promise<Conformance> {
  const validator = new Validator();
  const result = await validator.validate(structuredClone(document));
  if (!result.valid) throw new Error(`The document is not valid OpenAPI ${validator.version}: ${JSON.stringify(result.errors)}`);
  const resolved = validator.resolveRefs() as { paths: Record<string, Record<string, Operation>> };

  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  const compiled = new Map<Json, ValidateFunction>();
  const validate = (schema: Json) => compiled.get(schema) ?? compiled.set(schema, ajv.compile(schema)).get(schema)!;

  const seen = new Map<string, Set<number>>();
  for (const [path, operations] of Object.entries(resolved.paths)) {
    for (const method of Object.keys(operations)) seen.set(`${method} ${path}`, new Set());
  }
  const mismatches: string[] = [];

  return {
    mismatches,
    seen,
    async check(method, path, response) {
      const where = `${method.toUpperCase()} ${path} → ${response.status}`;
      const fail = (what: string) => void mismatches.push(`${where}: ${what}`);
      const operation = resolved.paths[path]?.[method.toLowerCase()];
      if (!operation) {
        fail("the document has no such operation");
        return response;
      }
      seen.get(`${method.toLowerCase()} ${path}`)?.add(response.status);
      const declared =
        operation.responses[String(response.status)] ??
        operation.responses[`${String(response.status)[0]}XX`] ??
        operation.responses.default;
      const body = await response.clone().text();
      if (!declared) {
        fail(`status not declared (declared: ${Object.keys(operation.responses).join(", ")}); body ${body.slice(0, 200)}`);
        return response;
      }
      if (!declared.content) {
        if (body !== "") fail(`declared without a body, but one came: ${body.slice(0, 200)}`);
        return response;
      }
      const contentType = (response.headers.get("content-type") ?? "").split(";")[0].trim();
      const media = declared.content[contentType];
      if (!media) {
        fail(`content type "${contentType}" not declared (declared: ${Object.keys(declared.content).join(", ")})`);
        return response;
      }
      if (!media.schema) return response;
      let value: unknown = body;
      if (/json/.test(contentType)) {
        try {
          value = JSON.parse(body);
        } catch {
          fail(`declared as ${contentType}, but the body is not JSON: ${body.slice(0, 200)}`);
          return response;
        }
      }
      const check = validate(media.schema);
      if (!check(value)) {
        // ajv's own text leaves out which property was extra or missing; the params name it.
        fail((check.errors ?? []).map((e) => `body${e.instancePath} ${e.message} ${JSON.stringify(e.params)}`).join("; "));
      }
      return response;
    },
  };
}
