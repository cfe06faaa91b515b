import { parleyTestConfig } from "./vitest.shared.mts";

/**
 * npm run test:mutation: PGlite only (see parleyTestConfig). MUTATION_TESTS=unit keeps the unit tests alone: for
 * modules the unit tests cover (parsers, formatters, planners) the run then starts in seconds instead of running
 * the related integration suite first; the score it gives is a lower bound.
 */
const config = parleyTestConfig({ postgresUrl: undefined });
const projects = config.test?.projects ?? [];
export default process.env.MUTATION_TESTS === "unit"
  ? {
      ...config,
      test: { ...config.test, projects: projects.filter((p) => typeof p === "object" && "test" in p && p.test?.name === "unit") },
    }
  : config;
