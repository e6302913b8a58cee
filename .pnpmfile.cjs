// TypeScript 7 (the workspace's compiler) has no JavaScript compiler API. StrykerJS loads
// `typescript` in two places — its core (to rewrite tsconfig paths in the sandbox) and its
// TypeScript checker (a peer dependency) — so both get a TypeScript 5.9 of their own here.
// Nothing else sees it: the workspace's `tsc` stays TypeScript 7.
const strykerTypeScript = "5.9.3";
const needTypeScript = new Set(["@stryker-mutator/core", "@stryker-mutator/typescript-checker"]);

module.exports = {
  hooks: {
    readPackage(pkg) {
      if (needTypeScript.has(pkg.name)) {
        if (pkg.peerDependencies) delete pkg.peerDependencies.typescript;
        pkg.dependencies = { ...pkg.dependencies, typescript: strykerTypeScript };
      }
      return pkg;
    },
  },
};
