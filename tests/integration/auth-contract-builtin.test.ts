import { SignJWT } from "jose";
import { describeAuthContract, unsignedToken } from "../support/auth-contract";

const now = () => Math.floor(Date.now() / 1000);
const hs256 = (claims: Record<string, unknown>, secret: string, expiresAt = now() + 600) =>
  new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256" })
    .setIssuedAt()
    .setExpirationTime(expiresAt)
    .sign(new TextEncoder().encode(secret));

describeAuthContract(
  "built-in",
  async (userId) => {
    const secret = process.env.AUTH_SECRET!;
    const claims = { sub: userId, email: "forged@example.test", iss: "parley", aud: "parley" };
    return {
      "alg none": unsignedToken({ ...claims, exp: now() + 600 }),
      "wrong key": await hs256(claims, "another-secret-another-secret-0123456789"),
      expired: await hs256(claims, secret, now() - 60),
      "wrong audience": await hs256({ ...claims, aud: "authenticated" }, secret),
      "wrong issuer": await hs256({ ...claims, iss: "someone-else" }, secret),
    };
  },
  { sessionCookie: "parley_access=" },
);
