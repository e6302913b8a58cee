#!/usr/bin/env -S node --max-semi-space-size=4
/**
 * The `tally` executable: parses the command line and runs the command as the process
 * (`pnpm tally <command>` in the workspace; `tally <command>`, i.e. the built `dist/bin/tally.js`,
 * where the package is installed).
 *
 * It first checks the Node version (`engines`: >= 22.19) and, on an older one, stops with a
 * message saying so (exit code 1) instead of a failure deep in a dependency. That is why it
 * imports nothing statically: Node links every static import before running any code, and an
 * older Node fails that (`enableCompileCache` is missing from `node:module`) before the check.
 *
 * It loads only what the command needs. `tally --version` is answered here, before effect is
 * loaded at all; everything else goes to the command line (`runTally.ts`), which loads a
 * command's module only when that command runs (see `TallyCommand.ts`): `--help` loads the
 * parser and nothing of the stores, `report` and `import` no HTTP stack, `import` no renderer.
 *
 * Node's compile cache is switched on before anything else loads: later starts reuse the
 * compiled (and type-stripped) modules instead of running the TypeScript stripper again, which
 * makes start-up faster and keeps ~25 MiB of the stripper's memory out of every process
 * (measured with packages/server/bench/report-path.bench.ts). Set NODE_DISABLE_COMPILE_CACHE=1
 * to turn it off. This file itself is type-stripped before it can switch the cache on, and that
 * loads Node's TypeScript stripper (~0.6 s and ~17 MiB under load): `pnpm tally` and `pnpm demo`
 * therefore set NODE_COMPILE_CACHE to the same directory, so that the cache is on before this
 * file loads (`--version` 1.29 → 0.64 s, 65 → 48 MiB; `--help` 4.38 → 3.42 s, 107 → 93 MiB:
 * alternating runs under load ~21, see the README). The built dist/bin/tally.js needs neither.
 *
 * V8's allocation-site pretenuring is switched off, at start, from here (so however `tally` is
 * started): a stream of report rows or import facts that once outlives a few scavenges (a
 * batch waiting for a write) makes V8 allocate every later one of that site straight in the old
 * generation, where they pile up as garbage until a full collection. Two runs in five of a 1M-row
 * CSV report then peaked at ~235 MiB instead of ~139 MiB, no faster (report-path.bench.ts).
 *
 * Dead ArrayBuffers are collected before they pile up: `ArrayBufferCollector.ts` runs a full
 * collection once 4 MiB of them may be waiting (`TALLY_BUFFER_GC_MIB`; 0 turns it off). A 10M-row
 * report on PostgreSQL otherwise peaked ~30 MiB higher than a 1M-row one.
 *
 * V8's young generation is capped at 4 MiB semi-spaces (the shebang and `pnpm tally` pass
 * `--max-semi-space-size=4`; pass it yourself, or through NODE_OPTIONS, when starting this file
 * with node directly). Left to itself V8 grows them to 32 MiB each while modules load and keeps
 * them: a report worker then peaks ~50 MiB higher for no speed gained (1M-row CSV: 155 instead
 * of 208 MiB; 100k-row PDF: ~170 instead of ~230 MiB; see the README's performance section).
 */
const [major = 0, minor = 0] = process.versions.node.split(".").map(Number);
if (major < 22 || (major === 22 && minor < 19)) {
  process.stderr.write(
    `tally needs Node.js 22.19 or newer; this is Node.js ${process.versions.node} (${process.execPath})\n`,
  );
  process.exit(1);
}
const { setFlagsFromString } = process.getBuiltinModule("node:v8");
const { enableCompileCache } = process.getBuiltinModule("node:module");

// Set while nothing has been allocated that it would apply to (see above).
setFlagsFromString("--no-allocation-site-pretenuring");
enableCompileCache();
const args = process.argv.slice(2);
if (args.length === 1 && (args[0] === "--version" || args[0] === "-v")) {
  const { tallyVersion } = await import("../cli/TallyVersion.ts");
  process.stdout.write(`tally v${tallyVersion}\n`);
} else {
  // Dead Buffers are collected before they pile up (see ArrayBufferCollector.ts).
  const { bufferGcSlack, startArrayBufferCollector } = await import("./ArrayBufferCollector.ts");
  const slack = bufferGcSlack(process.env.TALLY_BUFFER_GC_MIB);
  if ("error" in slack) {
    process.stderr.write(`${slack.error}\n`);
    process.exit(2);
  }
  startArrayBufferCollector(slack.bytes);
  await import("./runTally.ts");
}

// A module (top-level await), though it has no static import (see above).
export {};
