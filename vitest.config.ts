import { defineConfig } from "vitest/config";

/**
 * Inside the workspace every `@tally/*` package resolves to its TypeScript sources through the
 * `@tally/source` export condition (published packages resolve to their compiled `dist/`).
 * Vite's resolver gets the condition here; Node's own resolver — in the test workers and in
 * every process a test starts (`tally serve`, claimers) — through NODE_OPTIONS, which child
 * processes inherit. Without it a child would load a stale or missing `dist/`.
 */
const sourceCondition = "--conditions=@tally/source";
if (!(process.env.NODE_OPTIONS ?? "").includes(sourceCondition)) {
  process.env.NODE_OPTIONS = `${process.env.NODE_OPTIONS ?? ""} ${sourceCondition}`.trim();
}

export default defineConfig({
  // Vite's default server conditions, with the workspace's source condition first.
  ssr: { resolve: { conditions: ["@tally/source", "module", "node", "development|production"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts", "examples/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ["default"],
  },
});
