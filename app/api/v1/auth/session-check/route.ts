import { json, withUser } from "@/lib/api/route";

export const GET = withUser("auth", async ({ user }) => json({ valid: true, user_id: user.id, email: user.email }));
