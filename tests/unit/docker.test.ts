import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { configVariableNames, parseConfig } from "@/lib/config/env";
import packageJson from "@/package.json";
import {
  dockerIgnores,
  durationMs,
  execForm,
  instructionsOf,
  interpolate,
  lastOf,
  parseCopy,
  parseHealthcheck,
  readCompose,
  readDockerfile,
  readDockerignore,
  root,
  serviceEnv,
  stageEnv,
} from "@/tests/support/docker-files";

/**
 * The Dockerfile, .dockerignore and docker-compose.yml cannot be built or run on the test machines (no image
 * registry): these checks keep them in step with the app, so that they cannot rot silently. The standalone server
 * they run is started as the image starts it in tests/resilience/docker-standalone.test.ts.
 */

const stages = readDockerfile();
const runtime = stages.at(-1)!;
const runtimeEnv = stageEnv(runtime);
const compose = readCompose();
const app = compose.services.app!;
const withSecret = { AUTH_SECRET: "a".repeat(64) };
// Next's own variables (the standalone server's address, telemetry), not Parley's configuration.
const nextVariables = ["PORT", "HOSTNAME", "NEXT_TELEMETRY_DISABLED"];

describe("Dockerfile", () => {
  it("builds and runs on the Node major of .nvmrc, which package.json's engines accept", () => {
    const major = Number(fs.readFileSync(path.join(root, ".nvmrc"), "utf8").trim());
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages) expect(stage.image).toMatch(new RegExp(`^node:${major}(-(slim|alpine)[\\w.-]*)?$`));
    const minimum = /^>=\s*(\d+)/.exec(packageJson.engines.node);
    expect(major).toBeGreaterThanOrEqual(Number(minimum?.[1]));
  });

  it("installs from the lock file and builds with the project's build script", () => {
    const run = stages.flatMap((stage) => instructionsOf(stage, "RUN"));
    expect(run.some((command) => /^npm ci\b/.test(command))).toBe(true);
    expect(run).toContain("npm run build");
    expect(packageJson.scripts.build).toBe("next build");
    const copied = stages.flatMap((stage) => instructionsOf(stage, "COPY").map(parseCopy));
    const fromContext = copied.filter((copy) => !copy.from).flatMap((copy) => copy.sources);
    for (const file of fromContext) if (file !== ".") expect(fs.existsSync(path.join(root, file)), file).toBe(true);
    expect(fromContext).toEqual(expect.arrayContaining(["package.json", "package-lock.json"]));
  });

  it("copies into the runtime stage only what `next build` with output: standalone makes", () => {
    const copies = instructionsOf(runtime, "COPY").map(parseCopy);
    const workdir = lastOf(runtime, "WORKDIR")!;
    const build = stages.find((stage) => stage.name === copies[0]?.from);
    const buildWorkdir = lastOf(build!, "WORKDIR")!;
    // Build-stage path → runtime path, relative to each stage's WORKDIR.
    const layout = copies.flatMap((copy) =>
      copy.sources.map((source) => [
        path.posix.relative(buildWorkdir, path.posix.resolve(buildWorkdir, source)),
        path.posix.relative(workdir, path.posix.resolve(workdir, copy.destination)),
      ]),
    );
    // As Next documents it: the standalone folder is the app's root; the static files go beside its server (they are
    // not in .next/standalone); public/ too, only if the app has one (COPY of a missing folder fails the build).
    const expected = [
      [".next/standalone", ""],
      [".next/static", ".next/static"],
      ...(fs.existsSync(path.join(root, "public")) ? [["public", "public"]] : []),
    ];
    expect(layout.sort()).toEqual(expected.sort());
    expect(execForm(lastOf(runtime, "CMD")!)).toEqual(["node", "server.js"]);
  });

  it("runs as a non-root user who owns what it copied and its data folder", () => {
    const user = lastOf(runtime, "USER");
    expect(user).toBeDefined();
    expect(user).not.toMatch(/^(root|0)(:|$)/);
    const name = user!.split(":")[0];
    const userIndex = runtime.instructions.findIndex((i) => i.keyword === "USER");
    const cmdIndex = runtime.instructions.findIndex((i) => i.keyword === "CMD");
    expect(userIndex).toBeLessThan(cmdIndex);
    for (const copy of instructionsOf(runtime, "COPY").map(parseCopy)) expect(copy.chown?.split(":")[0]).toBe(name);
    expect(runtimeEnv.PARLEY_DATA_DIR).toMatch(/^\//);
    expect(instructionsOf(runtime, "RUN").join("\n")).toContain(`chown ${name}:${name} ${runtimeEnv.PARLEY_DATA_DIR}`);
  });

  it("listens where it says: PORT is EXPOSEd, on every interface, in production", () => {
    expect(runtimeEnv).toMatchObject({ NODE_ENV: "production", HOSTNAME: "0.0.0.0" });
    expect(instructionsOf(runtime, "EXPOSE")).toEqual([runtimeEnv.PORT]);
    for (const name of Object.keys(runtimeEnv)) expect([...configVariableNames, ...nextVariables]).toContain(name);
    // The image alone (no DATABASE_URL) is a valid configuration: the embedded database in its data folder.
    expect(parseConfig(runtimeEnv).database).toEqual({ kind: "pglite", dataDir: runtimeEnv.PARLEY_DATA_DIR });
  });

  it("checks health with node on the app's /health route, given time for a first start", () => {
    const { options, command } = parseHealthcheck(lastOf(runtime, "HEALTHCHECK")!);
    expect(command.slice(0, 2)).toEqual(["node", "-e"]);
    const url = /'http:\/\/127\.0\.0\.1:' \+ process\.env\.PORT \+ '(\/[^']*)'/.exec(command[2]!);
    expect(url?.[1]).toBe("/health");
    const route = fs.readFileSync(path.join(root, "app", "health", "route.ts"), "utf8");
    expect(route).toMatch(/export async function GET\b/);
    expect(durationMs(options["start-period"]!)).toBeGreaterThanOrEqual(30_000);
  });
});

describe(".dockerignore", () => {
  const patterns = readDockerignore();

  it("keeps dependencies, builds, data, history, secrets and test output out of the context", () => {
    for (const file of ["node_modules/next/package.json", ".next/BUILD_ID", ".data/pglite/PG_VERSION", ".git/HEAD"])
      expect(dockerIgnores(patterns, file), file).toBe(true);
    for (const file of [
      ".env",
      ".env.local",
      ".env.production",
      ".test-tmp/app.log",
      "test-results/x",
      "playwright-report/index.html",
    ])
      expect(dockerIgnores(patterns, file), file).toBe(true);
  });

  it("leaves in everything the build reads", () => {
    const walk = (folder: string): string[] =>
      fs
        .readdirSync(path.join(root, folder), { recursive: true, withFileTypes: true })
        .filter((entry) => entry.isFile())
        .map((entry) => path.relative(root, path.join(entry.parentPath, entry.name)));
    const inputs = [
      ...["app", "components", "lib", "drizzle"].flatMap(walk),
      ...["package.json", "package-lock.json", ".npmrc", "next.config.ts", "tsconfig.json", "postcss.config.mjs"],
      ...["instrumentation.ts", "proxy.ts"],
    ];
    expect(inputs.length).toBeGreaterThan(50);
    expect(inputs.filter((file) => dockerIgnores(patterns, file))).toEqual([]);
  });
});

describe("docker-compose.yml", () => {
  it("refuses to start without AUTH_SECRET, naming it", () => {
    expect(() => serviceEnv(app, {})).toThrow(/AUTH_SECRET/);
    expect(() => serviceEnv(app, { AUTH_SECRET: "" })).toThrow(/AUTH_SECRET/);
    expect(serviceEnv(app, withSecret).AUTH_SECRET).toBe(withSecret.AUTH_SECRET);
  });

  it("gives the app only variables Parley reads, which make a valid production configuration", () => {
    const env = serviceEnv(app, withSecret);
    for (const name of Object.keys(env)) expect(configVariableNames).toContain(name);
    const config = parseConfig({ ...runtimeEnv, ...env });
    expect(config).toMatchObject({ isProduction: true, database: { kind: "postgres" }, authSecret: withSecret.AUTH_SECRET });
    expect(config.redisUrl).toBeDefined();
  });

  it("points DATABASE_URL and REDIS_URL at its own PostgreSQL 17 and Redis services", () => {
    for (const overrides of [{}, { POSTGRES_PASSWORD: "s3cret" }]) {
      const env = serviceEnv(app, { ...withSecret, ...overrides });
      const database = new URL(env.DATABASE_URL!);
      const db = compose.services[database.hostname]!;
      expect(db.image).toMatch(/^postgres:17(\.\d+)?(-[\w.-]+)?$/);
      const dbEnv = serviceEnv(db, overrides);
      expect(decodeURIComponent(database.username)).toBe(dbEnv.POSTGRES_USER);
      expect(decodeURIComponent(database.password)).toBe(dbEnv.POSTGRES_PASSWORD);
      expect(database.pathname).toBe(`/${dbEnv.POSTGRES_DB}`);
      expect(database.port || "5432").toBe("5432");
      expect(app.depends_on?.[database.hostname]?.condition).toBe("service_healthy");
      expect(db.healthcheck?.test).toBeDefined();

      const redis = new URL(env.REDIS_URL!);
      expect(compose.services[redis.hostname]?.image).toMatch(/^redis:/);
      expect(app.depends_on?.[redis.hostname]?.condition).toBe("service_healthy");
    }
  });

  it("keeps PostgreSQL's data in a named volume", () => {
    const db = compose.services.db!;
    const mount = db.volumes?.map((volume) => volume.split(":")).find(([, target]) => target === "/var/lib/postgresql/data");
    expect(mount).toBeDefined();
    expect(Object.keys(compose.volumes ?? {})).toContain(mount![0]);
  });

  it("builds this Dockerfile and publishes the port the image listens on", () => {
    expect(app.build === "." || (typeof app.build === "object" && (app.build.context ?? ".") === ".")).toBe(true);
    expect(app.ports).toHaveLength(1);
    const [published, target] = interpolate(app.ports![0]!, {}).split(":");
    expect(target).toBe(runtimeEnv.PORT);
    expect(interpolate(app.ports![0]!, { PARLEY_PORT: "8080" })).toBe(`8080:${runtimeEnv.PORT}`);
    expect(published).toBe("3000");
  });

  it("waits longer than the app's shutdown deadline before killing it", () => {
    const env = serviceEnv(app, withSecret);
    const { shutdownTimeoutMs } = parseConfig({ ...runtimeEnv, ...env });
    expect(durationMs(app.stop_grace_period!)).toBeGreaterThan(shutdownTimeoutMs);
  });
});

describe("the readers these checks rely on", () => {
  it("substitute as Compose does", () => {
    expect(interpolate("a${X:-d}b$$c${Y-e}", { X: "", Y: "" })).toBe("adb$c");
    expect(interpolate("${X:+set}${Z+set}", { X: "1" })).toBe("set");
    expect(() => interpolate("$(openssl rand -hex 32)", {})).toThrow(/invalid interpolation/);
    expect(() => interpolate("${X?needed}", {})).toThrow(/X is missing a value: needed/);
    expect(interpolate("${X?needed}", { X: "" })).toBe("");
  });

  it("match .dockerignore patterns as Docker does", () => {
    expect(dockerIgnores(["*.log"], "a.log")).toBe(true);
    expect(dockerIgnores(["*.log"], "dir/a.log")).toBe(false);
    expect(dockerIgnores(["**/*.log"], "dir/a.log")).toBe(true);
    expect(dockerIgnores([".next"], ".next/static/x.js")).toBe(true);
    expect(dockerIgnores([".next"], "lib/.next")).toBe(false);
    expect(() => dockerIgnores(["!keep"], "keep")).toThrow();
  });
});
