import { parleyTestConfig } from "./vitest.shared.mts";

// npm run test:mutation: PGlite only (see parleyTestConfig).
export default parleyTestConfig({ postgresUrl: undefined });
