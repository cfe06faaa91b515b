import { parleyTestConfig } from "./vitest.shared.mts";

// The integration suite runs again on a real PostgreSQL when one is offered.
export default parleyTestConfig({ postgresUrl: process.env.TEST_DATABASE_URL });
