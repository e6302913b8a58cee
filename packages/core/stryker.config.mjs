// StrykerJS over the core's domain and use cases, with the core's own tests (`pnpm mutation`
// at the repository root; `--mutate src/domain/Access.ts` narrows a run to one file).
// Scores, survivors judged equivalent and how to read a run: MUTATION.md.

// pnpm keeps the plugins out of reach of Stryker's "@stryker-mutator/*" glob (it looks beside
// its own package), so they are named by their resolved location.
const plugin = (name) => import.meta.resolve(name);

export default {
  packageManager: "pnpm",
  plugins: [
    plugin("@stryker-mutator/vitest-runner"),
    plugin("@stryker-mutator/typescript-checker"),
  ],
  testRunner: "vitest",
  vitest: { configFile: "vitest.config.ts", related: true },
  checkers: ["typescript"],
  tsconfigFile: "tsconfig.json",
  mutate: ["src/domain/**/*.ts", "src/usecases/**/*.ts", "!src/**/index.ts"],
  coverageAnalysis: "perTest",
  // The machine is shared: two test runners at most (plus one checker process).
  concurrency: 2,
  timeoutMS: 30_000,
  incremental: true,
  incrementalFile: "reports/mutation/stryker-incremental.json",
  reporters: ["clear-text", "progress", "html", "json"],
  htmlReporter: { fileName: "reports/mutation/mutation.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowEmojis: false, logTests: false },
  ignorePatterns: ["bench", "dist", "reports"],
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
};
