export {};

declare module "vitest" {
  export interface ProvidedContext {
    testDatabase:
      { kind: "pglite"; template: string; base: string } | { kind: "postgres"; url: string; adminUrl: string; name: string };
  }
}
