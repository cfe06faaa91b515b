import { describe, expect, it } from "vitest";
import { z } from "zod";
import { ApiError, notFound, unauthorized, validationError } from "@/lib/api/errors";

/** The ZodError a real schema gives for `value` (the issues are zod's own, not hand-made). */
function zodErrorOf(schema: z.ZodType, value: unknown): z.ZodError {
  const parsed = schema.safeParse(value);
  if (parsed.success) throw new Error("expected the value to be refused");
  return parsed.error;
}

describe("the API's error helpers", () => {
  it("unauthorized() is a 401 unauthorized:auth that says so", () => {
    const error = unauthorized();
    expect(error).toBeInstanceOf(ApiError);
    expect(error.status).toBe(401);
    expect(error.toBody()).toEqual({ detail: "Not authenticated", code: "unauthorized:auth" });
  });

  it("notFound() names the surface in words: underscores become spaces, the first letter a capital", () => {
    expect(notFound("user_key").toBody()).toEqual({ detail: "User key not found", code: "not_found:user_key" });
    expect(notFound("session", "Chat").message).toBe("Chat not found");
    expect(notFound("session").status).toBe(404);
  });
});

describe("validationError", () => {
  const body = z.object({ name: z.string().min(1), tags: z.array(z.string()) });

  it("names the first field that failed in the detail, and every field in errors", () => {
    const error = validationError("project", zodErrorOf(body, { name: "", tags: [1] }));
    expect(error.status).toBe(422);
    expect(error.code).toBe("validation:project");
    expect(error.errors?.map((e) => e.path)).toEqual(["name", "tags.0"]);
    expect(error.message).toBe(`Invalid name: ${error.errors?.[0]?.message}`);
    expect(error.errors?.[0]?.message).not.toBe("");
  });

  it("calls a failure of the body as a whole (no field path) the request body, with the path (body)", () => {
    const error = validationError("project", zodErrorOf(body, "not an object"));
    expect(error.errors).toEqual([{ path: "(body)", message: expect.any(String) }]);
    expect(error.message).toBe(`Invalid request body: ${error.errors?.[0]?.message}`);
  });

  it("still says something when zod gave no issue", () => {
    const error = validationError("project", new z.ZodError([]));
    expect(error.message).toBe("Invalid request");
    expect(error.toBody()).toEqual({ detail: "Invalid request", code: "validation:project", errors: [] });
  });
});
