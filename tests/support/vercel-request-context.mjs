// Preloaded into `next start` (NODE_OPTIONS=--import) by tests/resilience/vercel-wait-until.test.ts: plays the
// part of Vercel's runtime, which hands Next a request context on globalThis[Symbol.for("@next/request-context")]
// whose `waitUntil` keeps the function alive until the promises given to it settle. Next 16 takes `waitUntil`
// from there when it exists (base-server.js getWaitUntil → next/dist/server/after/builtin-request-context.js),
// instead of its own. Each promise handed over, and its settling, is printed so the test can follow them.
let handed = 0;
const context = {
  /** @param {Promise<unknown>} promise */
  waitUntil(promise) {
    const n = ++handed;
    console.log(`[vercel-context] waitUntil #${n} received`);
    const settled = () => console.log(`[vercel-context] waitUntil #${n} settled`);
    promise.then(settled, settled);
  },
};
Object.defineProperty(globalThis, Symbol.for("@next/request-context"), { value: { get: () => context } });
