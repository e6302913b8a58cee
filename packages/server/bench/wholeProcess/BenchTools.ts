/**
 * The command-line tools the benchmarks compare against, installed from Debian's packages when
 * missing: the sqlite3 shell, GNU time (peak RSS of a command) and wrk. psql comes with the
 * PostgreSQL the machine runs.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const packages: ReadonlyArray<readonly [string, string]> = [
  ["sqlite3", "/usr/bin/sqlite3"],
  ["time", "/usr/bin/time"],
  ["wrk", "/usr/bin/wrk"],
];

/** Installs whichever tool is missing; throws, naming it, when it cannot. */
export const ensureBenchTools = (): void => {
  const missing = packages.filter(([, path]) => !existsSync(path)).map(([name]) => name);
  if (missing.length === 0) return;
  console.log(`installing ${missing.join(", ")} from Debian's packages`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  const install = spawnSync("apt-get", ["install", "-y", "-qq", ...missing], {
    stdio: "inherit",
    env,
  });
  if (install.status !== 0) {
    throw new Error(`could not install ${missing.join(", ")} (apt-get exited ${install.status})`);
  }
  if (spawnSync("psql", ["--version"]).status !== 0) {
    throw new Error("psql is missing: install postgresql-client");
  }
};
