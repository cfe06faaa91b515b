/**
 * Reading the Dockerfile and docker-compose.yml as Docker and Compose read them, for the tests that keep them in
 * step with the app (tests/unit/docker.test.ts) and the one that runs the standalone server laid out as the image
 * lays it out (tests/resilience/docker-standalone.test.ts). Docker images cannot be built on the test machines;
 * what can be checked without them is checked here. Forms these readers do not understand throw, so the files stay
 * within what the tests can vouch for.
 */
import fs from "node:fs";
import path from "node:path";
import { parse as parseYaml } from "yaml";

export const root = path.resolve(import.meta.dirname, "..", "..");

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  image: string;
  name?: string;
  instructions: Instruction[];
}

/** The stages of a Dockerfile, each with its instructions (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  let pending = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    // Docker drops comment lines, also between the lines of a continued instruction.
    if (line.startsWith("#") || (line === "" && !pending)) continue;
    if (line.endsWith("\\")) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const whole = `${pending}${line}`.trim();
    pending = "";
    if (!whole) continue;
    const [keyword, ...rest] = whole.split(/\s+/);
    const instruction = { keyword: keyword!.toUpperCase(), args: whole.slice(keyword!.length).trim() };
    if (instruction.keyword === "FROM") {
      const words = rest.filter((w) => !w.startsWith("--"));
      const as = words.findIndex((w) => w.toUpperCase() === "AS");
      stages.push({ image: words[0]!, name: as >= 0 ? words[as + 1] : undefined, instructions: [] });
    } else {
      if (!stages.length) throw new Error(`${instruction.keyword} before the first FROM`);
      stages.at(-1)!.instructions.push(instruction);
    }
  }
  return stages;
}

export function readDockerfile(): Stage[] {
  return parseDockerfile(fs.readFileSync(path.join(root, "Dockerfile"), "utf8"));
}

export function instructionsOf(stage: Stage, keyword: string): string[] {
  return stage.instructions.filter((i) => i.keyword === keyword).map((i) => i.args);
}

/** The last instruction of a kind: the one in effect (CMD, USER, HEALTHCHECK). */
export function lastOf(stage: Stage, keyword: string): string | undefined {
  return instructionsOf(stage, keyword).at(-1);
}

/** `["node", "server.js"]`: the exec form. The shell form (a string) throws: sh would not pass SIGTERM on. */
export function execForm(args: string): string[] {
  const parsed: unknown = JSON.parse(args);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === "string")) throw new Error(`not an exec form: ${args}`);
  return parsed;
}

/** `ENV A=1 B="two words"` (the `ENV A 1` form is deprecated and refused). */
export function parseEnv(args: string): Record<string, string> {
  const env: Record<string, string> = {};
  const pair = /([A-Za-z_][A-Za-z0-9_]*)=("(?:[^"\\]|\\.)*"|\S*)\s*/y;
  let match: RegExpExecArray | null;
  while (pair.lastIndex < args.length && (match = pair.exec(args))) {
    const value = match[2]!;
    env[match[1]!] = value.startsWith('"') ? (JSON.parse(value) as string) : value;
  }
  if (pair.lastIndex !== args.length) throw new Error(`ENV not in KEY=value form: ${args}`);
  return env;
}

/** Every ENV of a stage, later ones winning. */
export function stageEnv(stage: Stage): Record<string, string> {
  return Object.assign({}, ...instructionsOf(stage, "ENV").map(parseEnv)) as Record<string, string>;
}

export interface Copy {
  from?: string;
  chown?: string;
  sources: string[];
  destination: string;
}

export function parseCopy(args: string): Copy {
  const words = args.split(/\s+/);
  const flags = new Map<string, string>();
  while (words[0]?.startsWith("--")) {
    const [flag, value = ""] = words.shift()!.slice(2).split("=", 2);
    flags.set(flag!, value);
  }
  const unknown = [...flags.keys()].filter((f) => f !== "from" && f !== "chown");
  if (unknown.length || words.length < 2 || words[0]!.startsWith("["))
    throw new Error(`a COPY these tests do not understand: ${args}`);
  return { from: flags.get("from"), chown: flags.get("chown"), sources: words.slice(0, -1), destination: words.at(-1)! };
}

export interface Healthcheck {
  options: Record<string, string>;
  command: string[];
}

/** `HEALTHCHECK [--opt=value …] CMD ["exec", "form"]`. */
export function parseHealthcheck(args: string): Healthcheck {
  const match = /^((?:--[a-z-]+=\S+\s+)*)CMD\s+(.*)$/s.exec(args);
  if (!match) throw new Error(`a HEALTHCHECK these tests do not understand: ${args}`);
  const options = Object.fromEntries(
    match[1]!
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map((option) => option.slice(2).split("=", 2) as [string, string]),
  );
  return { options, command: execForm(match[2]!) };
}

export interface RuntimeImage {
  /** The folder standing for the runtime stage's WORKDIR. */
  dir: string;
  /** The runtime stage's ENV. */
  env: Record<string, string>;
  cmd: string[];
  healthcheck: Healthcheck;
}

/**
 * Lays out `into` as the Dockerfile's last stage lays out its WORKDIR, from this checkout's build: each
 * `COPY --from=<stage> <source> <destination>` copies, as Docker does, the stage's file or folder contents to the
 * destination. A build stage must have copied the context into its WORKDIR (`COPY . .`), so that its paths are
 * this checkout's after `next build`. A source the build did not make throws, as `docker build` would fail.
 */
export function layOutRuntimeImage(stages: Stage[], into: string): RuntimeImage {
  const runtime = stages.at(-1)!;
  const workdir = lastOf(runtime, "WORKDIR");
  if (!workdir) throw new Error("the runtime stage has no WORKDIR");
  fs.rmSync(into, { recursive: true, force: true });
  fs.mkdirSync(into, { recursive: true });
  for (const args of instructionsOf(runtime, "COPY")) {
    const copy = parseCopy(args);
    const stage = stages.find((s) => s.name === copy.from);
    if (!stage) throw new Error(`COPY --from=${copy.from}: only copies from a build stage are understood`);
    const stageWorkdir = lastOf(stage, "WORKDIR");
    if (!stageWorkdir || !instructionsOf(stage, "COPY").includes(". ."))
      throw new Error(`stage ${stage.name} must COPY . . into its WORKDIR for its paths to be this checkout's`);
    const destination = path.join(into, path.relative(workdir, path.resolve(workdir, copy.destination)));
    for (const source of copy.sources) {
      const relative = path.relative(stageWorkdir, path.resolve(stageWorkdir, source));
      if (relative.startsWith("..")) throw new Error(`COPY source ${source} is outside ${stageWorkdir}`);
      const from = path.join(root, relative);
      if (!fs.existsSync(from)) throw new Error(`COPY source ${source} does not exist in the build (${relative})`);
      const isFolder = fs.statSync(from).isDirectory();
      const to = isFolder || !copy.destination.endsWith("/") ? destination : path.join(destination, path.basename(from));
      // Verbatim, as COPY keeps them: Turbopack links hashed names of external packages relatively
      // (.next/node_modules/@electric-sql/pglite-<hash> → ../../../node_modules/…); resolved, they would point
      // back into the build.
      fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
    }
  }
  const cmd = lastOf(runtime, "CMD");
  const healthcheck = lastOf(runtime, "HEALTHCHECK");
  if (!cmd || !healthcheck) throw new Error("the runtime stage needs a CMD and a HEALTHCHECK");
  return { dir: into, env: stageEnv(runtime), cmd: execForm(cmd), healthcheck: parseHealthcheck(healthcheck) };
}

/**
 * Compose's variable substitution in one value: `$$`, `$NAME`, `${NAME}`, `${NAME:-default}`, `${NAME-default}`,
 * `${NAME:?error}`, `${NAME?error}`, `${NAME:+other}`, `${NAME+other}`. A `$` in any other form is an error in
 * Compose too ("invalid interpolation format"); so is a required variable left unset, with its message.
 */
export function interpolate(value: string, env: Record<string, string | undefined>): string {
  return value.replace(
    /\$(?:(\$)|([A-Za-z_][A-Za-z0-9_]*)|\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?)([-?+])([^}]*))?\}|())/g,
    (_, dollar: string, bare: string, name: string, colon: string, operator: string, word: string, invalid: string) => {
      if (dollar) return "$";
      if (invalid !== undefined) throw new Error(`invalid interpolation format in "${value}"`);
      if (bare) return env[bare] ?? "";
      if (word?.includes("$")) throw new Error(`nested interpolation is not understood here: "${value}"`);
      const current = env[name];
      const set = colon ? current !== undefined && current !== "" : current !== undefined;
      if (operator === "-") return set ? current! : word;
      if (operator === "?") {
        if (!set) throw new Error(`required variable ${name} is missing a value: ${word}`);
        return current!;
      }
      if (operator === "+") return set ? word : "";
      return current ?? "";
    },
  );
}

/** Every string of a parsed Compose file, substituted. */
export function interpolateAll<T>(node: T, env: Record<string, string | undefined>): T {
  if (typeof node === "string") return interpolate(node, env) as T;
  if (Array.isArray(node)) return node.map((item: unknown) => interpolateAll(item, env)) as T;
  if (node && typeof node === "object")
    return Object.fromEntries(Object.entries(node).map(([key, item]) => [key, interpolateAll(item, env)])) as T;
  return node;
}

export interface ComposeService {
  image?: string;
  build?: string | { context?: string; dockerfile?: string };
  environment?: Record<string, string | number | boolean | null>;
  depends_on?: Record<string, { condition?: string }>;
  ports?: string[];
  volumes?: string[];
  healthcheck?: { test?: string[] | string };
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** docker-compose.yml as parsed YAML, not yet substituted. */
export function readCompose(): ComposeFile {
  return parseYaml(fs.readFileSync(path.join(root, "docker-compose.yml"), "utf8")) as ComposeFile;
}

/** A service's environment after substitution, as strings (Compose's map form only). */
export function serviceEnv(service: ComposeService, env: Record<string, string | undefined>): Record<string, string> {
  const environment = service.environment ?? {};
  if (Array.isArray(environment)) throw new Error("write `environment:` as a map, not a list");
  return Object.fromEntries(Object.entries(environment).map(([key, value]) => [key, interpolate(String(value ?? ""), env)]));
}

/** Compose durations such as `40s`, `1m30s`, in milliseconds. */
export function durationMs(text: string): number {
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)];
  if (!parts.length || parts.map((p) => p[0]).join("") !== text) throw new Error(`not a duration: ${text}`);
  const unit = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000 } as const;
  return parts.reduce((total, p) => total + Number(p[1]) * unit[p[2] as keyof typeof unit], 0);
}

/**
 * Whether a .dockerignore pattern list leaves `file` (a path relative to the context) out of the build context.
 * Patterns are matched as Docker does for the forms used here: `*`, `**`, `?`, a leading `/`, and a folder
 * pattern taking everything under it; `!` exceptions and character classes throw.
 */
export function dockerIgnores(patterns: string[], file: string): boolean {
  const expressions = patterns.map((pattern) => {
    if (/[![\]]/.test(pattern)) throw new Error(`a .dockerignore pattern these tests do not understand: ${pattern}`);
    const clean = pattern.replace(/^\/+|\/+$/g, "");
    const body = clean
      .split("**")
      .map((part) =>
        part
          .split("")
          .map((c) => (c === "*" ? "[^/]*" : c === "?" ? "[^/]" : c.replace(/[.+^${}()|\\]/g, "\\$&")))
          .join(""),
      )
      .join(".*");
    return new RegExp(`^${body}(/.*)?$`);
  });
  return expressions.some((expression) => expression.test(file));
}

export function readDockerignore(): string[] {
  return fs
    .readFileSync(path.join(root, ".dockerignore"), "utf8")
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith("#"));
}
