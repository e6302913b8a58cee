/**
 * `tally import KIND FILE`: reads a CSV or JSON file of one kind of fact and ingests it in
 * batches through the core's ingestion use cases (the same rules as the API's bulk ingestion).
 */

import { basename } from "node:path";
import {
  ingestLicenseEvents,
  ingestOrganizations,
  ingestProtectionPeriods,
  ingestTenants,
  ingestUsers,
  ingestVms,
} from "@tally/core";
import { Console, Effect } from "effect";
import type { ImportKind } from "../../importing/ImportRecords.ts";
import { forEachImportBatch } from "../../importing/readImportFile.ts";
import { commandLinePrincipal } from "../../wiring/CommandLinePrincipal.ts";
import { withTally } from "../withTally.ts";

const ingest = {
  tenants: ingestTenants,
  vms: ingestVms,
  periods: ingestProtectionPeriods,
  organizations: ingestOrganizations,
  users: ingestUsers,
  "license-events": ingestLicenseEvents,
} as const;

/** Imports one file. */
export const runImport = (
  configPath: string | undefined,
  input: { readonly kind: ImportKind; readonly file: string },
) =>
  withTally({ configPath, logTo: "stderr" }, () =>
    Effect.gen(function* () {
      const field = basename(input.file);
      const count = yield* forEachImportBatch(input.kind, input.file, (records) =>
        Effect.asVoid(
          (ingest[input.kind] as typeof ingestTenants)(commandLinePrincipal, records, { field }),
        ),
      );
      yield* Console.log(`Imported ${count} ${input.kind} from ${input.file}.`);
    }),
  );
