import { defineConfig, globalIgnores } from "eslint/config";
import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// A comparison with `===` in lib/auth where a side looks like a secret (by name, or a buffer turned into a string);
// a name ending in "token" (not "tokenVersion", a counter).
const SECRET_NAME = "/hash|digest|signature|secret|token$/i";
const secretSide = (side) => [
  `[${side}.name=${SECRET_NAME}]`,
  `[${side}.property.name=${SECRET_NAME}]`,
  `[${side}.callee.property.name="toString"]`,
];
const SECRET_EQUALITY = `BinaryExpression[operator=/^[!=]==?$/]:matches(${[...secretSide("left"), ...secretSide("right")].join(", ")}):not([left.type="Literal"], [right.type="Literal"], [right.type="Identifier"][right.name="undefined"])`;

/**
 * The layers: app (routes) → components (UI) → lib (domain, server actions) → lib/db (storage). A layer never
 * imports one above it, by alias or by relative path ("../../app/…"); type-only imports count too.
 */
const layer = (alias, dir, message) => ({ group: [alias, `${alias}/**`, `**/../${dir}`, `**/../${dir}/**`], message });
const routes = layer("@/app", "app", "app/ holds routes only: move what you need into lib/ (or components/ for UI).");
const ui = layer("@/components", "components", "lib/ must not depend on the UI: move the shared code into lib/.");
const api = layer("@/lib/api", "api", "lib/db is the storage layer: it must not depend on the HTTP layer (lib/api).");
const auth = layer("@/lib/auth", "auth", "lib/db is the storage layer: it must not depend on lib/auth.");
// The chat screen imports lib/chat/ui: nothing there may pull server code into the browser bundle. Of the
// engine, only the message-text schema and the usage type are client-safe.
const clientSafe = {
  group: [
    "server-only",
    "node:*",
    "@/lib/db",
    "@/lib/db/**",
    "@/lib/chat/engine/*",
    "!@/lib/chat/engine/message-text",
    "!@/lib/chat/engine/usage",
    "@/lib/chat/rest/**",
  ],
  message: "lib/chat/ui is client-safe: import no server code there.",
};
const restrict = (...patterns) => ({ "no-restricted-imports": ["error", { patterns }] });

export default defineConfig([
  ...nextVitals,
  ...nextTs,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Secrets are compared with crypto.timingSafeEqual only: `===`, Buffer#equals and Buffer.compare stop at the
    // first differing byte, so their timing tells an attacker how much of a guess was right.
    files: ["lib/auth/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: SECRET_EQUALITY,
          message: "Compare hashes, digests, signatures and tokens with crypto.timingSafeEqual, not ===.",
        },
        {
          selector:
            "CallExpression:matches([callee.property.name='equals'], [callee.object.name='Buffer'][callee.property.name='compare'])",
          message: "Compare secrets with crypto.timingSafeEqual, not Buffer#equals or Buffer.compare.",
        },
      ],
    },
  },

  // A later block replaces the rule's options for the files it matches, so lib/db repeats lib's patterns.
  { files: ["components/**"], rules: restrict(routes) },
  { files: ["lib/**"], rules: restrict(routes, ui) },
  { files: ["lib/db/**"], rules: restrict(routes, ui, api, auth) },
  { files: ["lib/chat/ui/**"], rules: restrict(routes, ui, clientSafe) },
  globalIgnores([
    ".next/**",
    "node_modules/**",
    ".data/**",
    ".test-tmp/**",
    "next-env.d.ts",
    "playwright-report/**",
    "test-results/**",
    "bench/results/**",
  ]),
]);
