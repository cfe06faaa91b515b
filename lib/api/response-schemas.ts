import { z } from "zod";

/**
 * Shapes of the REST API's answers that no request schema already describes, for the OpenAPI document
 * (lib/api/openapi.ts). They describe what the routes and views (lib/chats/views.ts) return; with
 * io "output" the document forbids any other field, so a field a route adds must be added here too (the
 * conformance test, tests/integration/openapi-conformance.test.ts, checks real answers against them).
 */

// ── Response shapes of the chat-sending routes (chats and their messages: lib/chats/views.ts) ──
export const chatResponse = z.object({
  response: z.string(),
  message_id: z.uuid(),
  usage: z.object({
    input_tokens: z.number().int().nullable(),
    output_tokens: z.number().int().nullable(),
    cost: z.string().nullable().describe("USD as an exact decimal string, as the provider reported it; null: none reported"),
  }),
  status: z.enum(["complete", "incomplete"]).describe("incomplete: the reply was stopped; what arrived is stored"),
  model: z.string().describe("The model that answered"),
  user_message_id: z.uuid().nullable().describe("The stored user message"),
});
/** What POST /api/v1/sessions/{id}/chat answers; the route builds its body against this type. */
export type ChatResponseBody = z.output<typeof chatResponse>;

// ── Shared shapes ──
export const errorSchema = z.object({
  detail: z.string().describe("One human sentence"),
  code: z.string().describe('"<type>:<surface>", e.g. "not_found:project"'),
  errors: z
    .array(z.object({ path: z.string(), message: z.string() }))
    .optional()
    .describe("Validation errors (422) only"),
  request_id: z.string().optional().describe("Internal errors (500) only: quote it when reporting a problem"),
});
