import http from "node:http";
import type { AddressInfo } from "node:net";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from "jose";

/**
 * A loopback stand-in for Supabase Auth (GoTrue): an ES256 JWKS and the endpoints supabase-js calls for
 * signup, password and refresh-token grants, user, logout (local and global scope), recover, verify (recovery)
 * and password update — what supabase-js and @supabase/ssr call. Answers are shaped like GoTrue's so the real
 * adapter code runs unchanged in tests. Email confirmation is off.
 */
interface StandinUser {
  id: string;
  email: string;
  password: string;
  user_metadata: Record<string, unknown>;
  created_at: string;
}

export interface SupabaseStandin {
  url: string;
  key: string;
  /** Recovery tokens sent by /recover, by email (what the email would have carried as token_hash). */
  recoveries: Map<string, string>;
  /** Lifetime of the access tokens sessions get from now on; a negative one issues already-expired sessions. */
  accessTokenTtlSeconds: number;
  /** How many refresh-token grants were answered (each renewal of a session is one). */
  readonly refreshGrants: number;
  /** Signs an access token for a user with this stand-in's key; overrides let tests forge bad ones. */
  signAccessToken(
    userId: string,
    options?: { audience?: string; issuer?: string; expiresIn?: string | number; key?: CryptoKey; alg?: string; kid?: string },
  ): Promise<string>;
  close(): Promise<void>;
}

export interface SupabaseStandinOptions {
  /** Called with what the recovery email would carry (its token_hash), e.g. to log it for a browser test. */
  onRecovery?: (email: string, tokenHash: string) => void;
}

export async function startSupabaseStandin(options: SupabaseStandinOptions = {}): Promise<SupabaseStandin> {
  const { privateKey, publicKey } = await generateKeyPair("ES256", { extractable: true });
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "ES256", use: "sig" };
  const users = new Map<string, StandinUser>();
  const refreshTokens = new Map<string, { userId: string; sessionId: string; used: boolean }>();
  const revokedSessions = new Set<string>();
  const recoveries = new Map<string, string>();
  const settings = { accessTokenTtlSeconds: 3600, refreshGrants: 0 };
  let url = "";

  const publicUser = (user: StandinUser) => ({
    id: user.id,
    aud: "authenticated",
    role: "authenticated",
    email: user.email,
    email_confirmed_at: user.created_at,
    app_metadata: { provider: "email", providers: ["email"] },
    user_metadata: user.user_metadata,
    identities: [],
    created_at: user.created_at,
    updated_at: user.created_at,
  });

  async function sign(
    userId: string,
    options: Parameters<SupabaseStandin["signAccessToken"]>[1] = {},
    sessionId: string = randomUUID(),
  ) {
    const user = [...users.values()].find((u) => u.id === userId);
    return new SignJWT({
      email: user?.email ?? "ghost@example.test",
      role: "authenticated",
      user_metadata: user?.user_metadata ?? {},
      session_id: sessionId,
    })
      .setProtectedHeader({ alg: options.alg ?? "ES256", kid: options.kid ?? kid, typ: "JWT" })
      .setSubject(userId)
      .setIssuer(options.issuer ?? `${url}/auth/v1`)
      .setAudience(options.audience ?? "authenticated")
      .setIssuedAt()
      .setExpirationTime(options.expiresIn ?? "1h")
      .sign(options.key ?? privateKey);
  }

  async function session(user: StandinUser, sessionId: string = randomUUID()) {
    const refreshToken = randomBytes(16).toString("hex");
    refreshTokens.set(refreshToken, { userId: user.id, sessionId, used: false });
    const ttl = settings.accessTokenTtlSeconds;
    return {
      access_token: await sign(user.id, { expiresIn: Math.floor(Date.now() / 1000) + ttl }, sessionId),
      token_type: "bearer",
      expires_in: ttl,
      expires_at: Math.floor(Date.now() / 1000) + ttl,
      refresh_token: refreshToken,
      user: publicUser(user),
    };
  }

  const error = (status: number, code: string, msg: string) => ({ status, body: { code, error_code: code, msg } });

  async function bearerUser(request: http.IncomingMessage): Promise<{ user: StandinUser; sessionId: string } | undefined> {
    const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? "")?.[1];
    if (!token) return undefined;
    const { jwtVerify } = await import("jose");
    try {
      const { payload } = await jwtVerify(token, publicKey, { audience: "authenticated" });
      const user = [...users.values()].find((u) => u.id === payload.sub);
      const sessionId = String(payload.session_id);
      if (!user || revokedSessions.has(sessionId)) return undefined;
      return { user, sessionId };
    } catch {
      return undefined;
    }
  }

  async function handle(
    request: http.IncomingMessage,
    body: Record<string, unknown>,
  ): Promise<{ status: number; body?: unknown }> {
    const requestUrl = new URL(request.url ?? "/", "http://standin");
    const route = `${request.method} ${requestUrl.pathname}`;
    if (route === "GET /auth/v1/.well-known/jwks.json") return { status: 200, body: { keys: [jwk] } };
    if (route === "POST /auth/v1/signup") {
      const email = String(body.email ?? "").toLowerCase();
      if (users.has(email)) return error(422, "user_already_exists", "User already registered");
      const user: StandinUser = {
        id: randomUUID(),
        email,
        password: String(body.password),
        user_metadata: (body.data as Record<string, unknown>) ?? {},
        created_at: new Date().toISOString(),
      };
      users.set(email, user);
      return { status: 200, body: await session(user) };
    }
    if (route === "POST /auth/v1/token") {
      const grant = requestUrl.searchParams.get("grant_type");
      if (grant === "password") {
        const user = users.get(String(body.email ?? "").toLowerCase());
        if (!user || user.password !== body.password) return error(400, "invalid_credentials", "Invalid login credentials");
        return { status: 200, body: await session(user) };
      }
      if (grant === "refresh_token") {
        const entry = refreshTokens.get(String(body.refresh_token));
        if (!entry || revokedSessions.has(entry.sessionId))
          return error(400, "refresh_token_not_found", "Invalid Refresh Token: Refresh Token Not Found");
        if (entry.used) {
          revokedSessions.add(entry.sessionId);
          return error(400, "refresh_token_already_used", "Invalid Refresh Token: Already Used");
        }
        entry.used = true;
        settings.refreshGrants++;
        const user = [...users.values()].find((u) => u.id === entry.userId)!;
        return { status: 200, body: await session(user, entry.sessionId) };
      }
      return error(400, "validation_failed", "unsupported grant_type");
    }
    if (route === "GET /auth/v1/user") {
      const found = await bearerUser(request);
      return found ? { status: 200, body: publicUser(found.user) } : error(401, "bad_jwt", "invalid JWT");
    }
    if (route === "PUT /auth/v1/user") {
      const found = await bearerUser(request);
      if (!found) return error(401, "bad_jwt", "invalid JWT");
      if (typeof body.password === "string") found.user.password = body.password;
      return { status: 200, body: publicUser(found.user) };
    }
    if (route === "POST /auth/v1/logout") {
      const found = await bearerUser(request);
      if (!found) return error(401, "bad_jwt", "invalid JWT");
      if (requestUrl.searchParams.get("scope") === "global") {
        for (const entry of refreshTokens.values()) if (entry.userId === found.user.id) revokedSessions.add(entry.sessionId);
      }
      revokedSessions.add(found.sessionId);
      return { status: 204 };
    }
    if (route === "POST /auth/v1/recover") {
      const email = String(body.email ?? "").toLowerCase();
      if (users.has(email)) {
        const tokenHash = createHash("sha256").update(randomBytes(16)).digest("hex");
        recoveries.set(email, tokenHash);
        options.onRecovery?.(email, tokenHash);
      }
      return { status: 200, body: {} };
    }
    if (route === "POST /auth/v1/verify") {
      const email = [...recoveries].find(([, hash]) => hash === body.token_hash)?.[0];
      if (body.type !== "recovery" || !email) return error(403, "otp_expired", "Email link is invalid or has expired");
      recoveries.delete(email);
      return { status: 200, body: await session(users.get(email)!) };
    }
    return error(404, "not_found", "Not found");
  }

  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      let body: Record<string, unknown> = {};
      try {
        body = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString("utf8")) as Record<string, unknown>) : {};
      } catch {
        body = {};
      }
      handle(request, body).then(
        (result) => {
          response.writeHead(result.status, { "content-type": "application/json", "x-supabase-api-version": "2024-01-01" });
          response.end(result.body === undefined ? undefined : JSON.stringify(result.body));
        },
        () => {
          response.writeHead(500);
          response.end();
        },
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    key: "sb_publishable_standin",
    recoveries,
    get accessTokenTtlSeconds() {
      return settings.accessTokenTtlSeconds;
    },
    set accessTokenTtlSeconds(seconds: number) {
      settings.accessTokenTtlSeconds = seconds;
    },
    get refreshGrants() {
      return settings.refreshGrants;
    },
    signAccessToken: (userId, options) => sign(userId, options),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
