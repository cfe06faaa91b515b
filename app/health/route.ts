import { getHealth } from "@/lib/api/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const { status, body } = await getHealth();
  return Response.json(body, { status, headers: { "Cache-Control": "no-store" } });
}
