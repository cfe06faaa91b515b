/**
 * What `@electric-sql/pglite` resolves to in a build made with VERCEL=1 (next.config.ts): Vercel's functions have no
 * disk for the embedded database, and the configuration refuses VERCEL=1 without DATABASE_URL, so PGlite never
 * runs there; this keeps its 15 MB of WASM and data out of every function's bundle. drizzle-orm/pglite imports
 * these two names.
 */
const unavailable = () =>
  new Error("the embedded database is not part of this build (made with VERCEL=1): set DATABASE_URL to your Postgres");

export class PGlite {
  static create(): never {
    throw unavailable();
  }
  constructor() {
    throw unavailable();
  }
}

export const types = {};
