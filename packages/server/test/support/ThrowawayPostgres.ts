/**
 * A PostgreSQL cluster of a test's own: initdb into a temporary directory, started on a free
 * port of the loopback interface. A test that restarts or stops PostgreSQL must never touch the
 * shared server other test files use at the same time, so it makes one of these and tears it
 * down afterwards. Nothing here skips: a cluster that cannot start fails the test with pg_ctl's
 * own output.
 */
import { execFile } from "node:child_process";
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { freePort } from "./FreePort.ts";

const run = promisify(execFile);

/** A running throwaway cluster. */
export interface ThrowawayPostgres {
  /** `postgres://postgres@127.0.0.1:PORT/postgres` (trust authentication). */
  readonly url: string;
  readonly port: number;
  /** Stops the server the fast way (backends are terminated) and starts it again. */
  readonly restart: () => Promise<void>;
  /** Stops the server at once and deletes its files. Safe to call twice. */
  readonly destroy: () => Promise<void>;
}

/** The newest installed PostgreSQL's bin directory (Debian layout). */
export const postgresBinDir = (): string => {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => existsSync(join(root, v, "bin", "initdb")))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  const newest = versions[0];
  if (newest === undefined) {
    throw new Error(
      `no PostgreSQL server binaries under ${root}/*/bin (apt-get install postgresql)`,
    );
  }
  return join(root, newest, "bin");
};

/** Runs a PostgreSQL program as the postgres user (it refuses to run as root). */
const asPostgres = async (program: string, args: ReadonlyArray<string>): Promise<string> => {
  const asRoot = process.getuid?.() === 0;
  const [file, argv] = asRoot
    ? ["runuser", ["-u", "postgres", "--", program, ...args]]
    : [program, [...args]];
  try {
    const { stdout, stderr } = await run(file, argv, { timeout: 60_000 });
    return `${stdout}${stderr}`;
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${program} ${args.join(" ")} failed: ${failed.message}\n${failed.stdout ?? ""}${failed.stderr ?? ""}`,
    );
  }
};

/**
 * Creates and starts a cluster: trust authentication, no fsync (a test's data need not survive
 * a power cut), its Unix socket in its own directory, listening on 127.0.0.1 only.
 */
export const startThrowawayPostgres = async (): Promise<ThrowawayPostgres> => {
  const bin = postgresBinDir();
  const root = mkdtempSync("/tmp/tally-pg-");
  if (process.getuid?.() === 0) {
    const ids = readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .map((line) => line.split(":"))
      .find((fields) => fields[0] === "postgres");
    if (ids === undefined) throw new Error("no postgres user to run PostgreSQL as");
    chownSync(root, Number(ids[2]), Number(ids[3]));
  }
  const data = join(root, "data");
  const port = await freePort();
  const log = join(root, "server.log");
  const pgCtl = join(bin, "pg_ctl");
  const logTail = () => {
    try {
      return readFileSync(log, "utf8").split("\n").slice(-30).join("\n");
    } catch {
      return "(no server log)";
    }
  };
  let destroyed = false;
  const destroy = async () => {
    if (destroyed) return;
    destroyed = true;
    try {
      await asPostgres(pgCtl, ["stop", "-D", data, "-m", "immediate", "-w"]);
    } catch {
      // Not running (it never started, or already stopped): the files go all the same.
    }
    rmSync(root, { recursive: true, force: true });
  };
  try {
    await asPostgres(join(bin, "initdb"), [
      "-D",
      data,
      "-U",
      "postgres",
      "-A",
      "trust",
      "-E",
      "UTF8",
      "--locale=C",
      "--no-sync",
    ]);
    const options = [
      `-p ${port}`,
      `-k ${root}`,
      "-c listen_addresses=127.0.0.1",
      "-c fsync=off",
      "-c synchronous_commit=off",
      "-c full_page_writes=off",
      "-c max_connections=200",
    ].join(" ");
    await asPostgres(pgCtl, ["start", "-D", data, "-l", log, "-w", "-t", "60", "-o", options]);
    await asPostgres(join(bin, "pg_isready"), ["-h", "127.0.0.1", "-p", String(port), "-t", "30"]);
  } catch (error) {
    const tail = logTail();
    await destroy();
    throw new Error(`the throwaway PostgreSQL did not start: ${String(error)}\n${tail}`);
  }
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    restart: async () => {
      try {
        // restart reuses the options the server was started with (postmaster.opts).
        await asPostgres(pgCtl, ["restart", "-D", data, "-l", log, "-m", "fast", "-w", "-t", "60"]);
        await asPostgres(join(bin, "pg_isready"), [
          "-h",
          "127.0.0.1",
          "-p",
          String(port),
          "-t",
          "30",
        ]);
      } catch (error) {
        throw new Error(
          `restarting the throwaway PostgreSQL failed: ${String(error)}\n${logTail()}`,
        );
      }
    },
    destroy,
  };
};
