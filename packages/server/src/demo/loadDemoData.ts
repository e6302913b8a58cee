/**
 * Loads the demo data set through the same ingestion use cases as `tally import` and the API,
 * in dependency order, then creates the demo's API accounts. Loading again replaces every fact
 * by id, so the result is the same however often it runs.
 */
import {
  ingestLicenseEvents,
  ingestOrganizations,
  ingestProtectionPeriods,
  ingestTenants,
  ingestUsers,
  ingestVms,
} from "@tally/core";
import { Effect } from "effect";
import { upsertAccountWithPassword } from "../accounts/AccountProvisioning.ts";
import { commandLinePrincipal } from "../wiring/CommandLinePrincipal.ts";
import { type DemoDataSet, demoDataSet } from "./DemoDataSet.ts";

/** How many of each fact were loaded. */
export interface DemoLoadSummary {
  readonly tenants: number;
  readonly vms: number;
  readonly periods: number;
  readonly organizations: number;
  readonly users: number;
  readonly licenseEvents: number;
  readonly accounts: number;
}

/** Loads the facts only (no accounts): what the determinism test compares. */
export const loadDemoFacts = (data: DemoDataSet = demoDataSet) =>
  Effect.gen(function* () {
    const as = commandLinePrincipal;
    return {
      tenants: yield* ingestTenants(as, data.tenants, { field: "demo.tenants" }),
      vms: yield* ingestVms(as, data.vms, { field: "demo.vms" }),
      periods: yield* ingestProtectionPeriods(as, data.periods, { field: "demo.periods" }),
      organizations: yield* ingestOrganizations(as, data.organizations, {
        field: "demo.organizations",
      }),
      users: yield* ingestUsers(as, data.users, { field: "demo.users" }),
      licenseEvents: yield* ingestLicenseEvents(as, data.licenseEvents, {
        field: "demo.licenseEvents",
      }),
    };
  });

/** Loads the facts and the demo's accounts (passwords hashed). */
export const loadDemoData = (data: DemoDataSet = demoDataSet) =>
  Effect.gen(function* () {
    const facts = yield* loadDemoFacts(data);
    yield* Effect.forEach(data.accounts, (account) => upsertAccountWithPassword(account), {
      concurrency: 3,
      discard: true,
    });
    const summary: DemoLoadSummary = { ...facts, accounts: data.accounts.length };
    yield* Effect.logInfo("demo data loaded").pipe(Effect.annotateLogs({ ...summary }));
    return summary;
  });
