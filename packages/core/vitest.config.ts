import { defineConfig } from "vitest/config";

// The core's own tests, for running them (and the mutation runs, `pnpm mutation`) from this
// package alone. The workspace's `pnpm test` uses the root config, which includes these.
export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
