/**
 * `tally demo`: loads the deterministic demo data set into the configured storage and prints
 * what it loaded and the demo accounts to log in with.
 */
import { Console, Effect } from "effect";
import { demoDataSet } from "../../demo/DemoDataSet.ts";
import { loadDemoData } from "../../demo/loadDemoData.ts";
import { withTally } from "../withTally.ts";

/** Loads the demo data set. */
export const runDemo = (configPath: string | undefined) =>
  withTally({ configPath, logTo: "stderr" }, (config) =>
    Effect.gen(function* () {
      const loaded = yield* loadDemoData();
      const where = config.storage._tag === "Sqlite" ? config.storage.filename : "PostgreSQL";
      yield* Console.log(
        `Loaded the demo data set into ${where}: ${loaded.tenants} tenants, ${loaded.vms} VMs, ` +
          `${loaded.periods} protection periods, ${loaded.organizations} organizations, ` +
          `${loaded.users} users, ${loaded.licenseEvents} license events.`,
      );
      yield* Console.log("API accounts (demo only; change them for anything else):");
      for (const account of demoDataSet.accounts) {
        const role =
          account.role === "Administrator"
            ? "administrator"
            : `operator of tenant ${account.tenantId}`;
        yield* Console.log(`  ${account.username} / ${account.password}  (${role})`);
      }
    }),
  );
