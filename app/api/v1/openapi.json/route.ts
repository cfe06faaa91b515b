import { withApi } from "@/lib/api/http";
import { buildOpenApiDocument } from "@/lib/api/openapi";

export const dynamic = "force-dynamic";

export const GET = withApi(async () =>
  Response.json(buildOpenApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }),
);
