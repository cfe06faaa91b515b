// Lets a plain `node` child process load the app's TypeScript modules as the server does: "@/…" resolves to
// the repository root and extensionless relative imports to their .ts file. Node strips the types itself.
// Start with: node --experimental-strip-types --conditions=react-server --import ./tests/support/ts-loader.mjs file.ts
// (the react-server condition makes "server-only" the empty module it is inside the server).
import { registerHooks } from "node:module";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

registerHooks({
  resolve(specifier, context, nextResolve) {
    let target = specifier;
    if (specifier.startsWith("@/")) target = pathToFileURL(path.join(root, specifier.slice(2))).href;
    // Only our own TypeScript: packages resolve (and require) their files as they always do.
    else if ((specifier.startsWith("./") || specifier.startsWith("../")) && /\.tsx?$/.test(context.parentURL ?? "")) {
      target = new URL(specifier, context.parentURL).href;
    }
    if (target.startsWith("file:") && !path.extname(fileURLToPath(target))) {
      const file = fileURLToPath(target);
      for (const candidate of [`${file}.ts`, `${file}.tsx`, path.join(file, "index.ts")]) {
        if (existsSync(candidate)) return nextResolve(pathToFileURL(candidate).href, context);
      }
    }
    return nextResolve(target, context);
  },
});
