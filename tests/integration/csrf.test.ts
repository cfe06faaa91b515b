import { describe, expect, it } from "vitest";
import { POST } from "@/app/api/v1/project/route";
import { ACCESS_COOKIE } from "@/lib/auth/types";
import { listProjectsOf } from "@/lib/projects/service";
import { createTestUser } from "../support/auth";

const create = (headers: Record<string, string>) =>
  POST(
    new Request("http://127.0.0.1:3000/api/v1/project", {
      method: "POST",
      headers: { "content-type": "application/json", host: "127.0.0.1:3000", ...headers },
      body: JSON.stringify({ project_name: "From somewhere" }),
    }),
  );

describe("cross-site request forgery", () => {
  it("refuses a cookie-authenticated change from another origin and changes nothing", async () => {
    const { user, token } = await createTestUser();
    const cookie = `${ACCESS_COOKIE}=${token}`;
    const forged = await create({ cookie, origin: "https://evil.example" });
    expect(forged.status).toBe(403);
    expect(await forged.json()).toEqual({ code: "forbidden:csrf", detail: "Cross-site request refused" });
    const viaReferer = await create({ cookie, referer: "https://evil.example/page" });
    expect(viaReferer.status).toBe(403);
    expect((await listProjectsOf(user.id)).items).toHaveLength(0);

    expect((await create({ cookie, origin: "http://127.0.0.1:3000" })).status).toBe(201);
    // A Referer that is not a URL names no origin: as with no header at all (curl, scripts), nothing to refuse.
    expect((await create({ cookie, referer: "not a url" })).status).toBe(201);
    // A Bearer token is not an ambient credential: no origin check applies.
    expect((await create({ authorization: `Bearer ${token}`, origin: "https://evil.example" })).status).toBe(201);
    expect((await listProjectsOf(user.id)).items).toHaveLength(3);
  });
});
