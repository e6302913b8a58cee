/**
 * `tally report tenants|licenses …`: makes a report in this process, without the HTTP server,
 * and writes it to a file. Dates are read like the first API reads them — a wall-clock
 * `YYYY-MM-DDThh:mm:ss` (or a bare date, meaning midnight) in `--timezone`, or a timestamp with
 * `Z` or an offset as given.
 */
import {
  type Instant,
  parseInstantInZone,
  parseTimeZoneSpec,
  type ResolvedZone,
  type SubmitReportInput,
  zoneSelection,
} from "@tally/core";
import { Console, Effect, Option } from "effect";
import type { TallyConfig } from "../../config/TallyConfig.ts";
import { produceReportFile } from "../produceReportFile.ts";
import { withTally } from "../withTally.ts";

const dateOnly = /^\d{4}-\d{2}-\d{2}$/;

/** Reads a `--from`/`--to` value in the zone; a bare date means its midnight. */
export const parseCommandInstant = (text: string, flag: string, zone: ResolvedZone) =>
  Effect.fromResult(
    parseInstantInZone(dateOnly.test(text) ? `${text}T00:00:00` : text, flag, zone),
  );

const optionalInstant = (value: Option.Option<string>, flag: string, zone: ResolvedZone) =>
  Option.match(value, {
    onNone: () => Effect.succeed<Instant | undefined>(undefined),
    onSome: (text) => parseCommandInstant(text, flag, zone),
  });

/** Reads `--timezone` and what it means with the configured Local zone. */
export const commandZone = (text: string, config: TallyConfig) =>
  Effect.gen(function* () {
    const spec = yield* Effect.fromResult(parseTimeZoneSpec(text, "--timezone"));
    const selection = yield* Effect.fromResult(zoneSelection(spec, config.localZone));
    return { spec, resolved: selection.resolved };
  });

/** How the use case's fields are called on the command line, for its error messages. */
export const commandFieldNames = {
  start: "--from",
  end: "--to",
  zone: "--timezone",
  tenantId: "--tenant",
  organizationId: "--organization",
  format: "--format",
} as const;

/** What `tally report tenants` was given. */
export interface TenantReportInput {
  readonly tenant: Option.Option<string>;
  readonly from: Option.Option<string>;
  readonly to: Option.Option<string>;
  readonly timezone: string;
  readonly format: "csv" | "pdf";
  readonly out: Option.Option<string>;
}

/** What `tally report licenses` was given. */
export interface LicenseReportInput {
  readonly from: string;
  readonly to: string;
  readonly organization: Option.Option<string>;
  readonly timezone: string;
  readonly format: "csv" | "pdf";
  readonly out: Option.Option<string>;
}

const printWritten = (written: { path: string; meta: { rowCount: number; byteSize: number } }) =>
  Console.log(
    `Wrote ${written.path} (${written.meta.rowCount} rows, ${written.meta.byteSize} bytes).`,
  );

/** Makes a tenant protection report. */
export const runTenantReport = (configPath: string | undefined, input: TenantReportInput) =>
  withTally({ configPath, logTo: "stderr" }, (config) =>
    Effect.gen(function* () {
      const zone = yield* commandZone(input.timezone, config);
      const submission: SubmitReportInput = {
        type: "CreateTenantReport",
        start: yield* optionalInstant(input.from, "--from", zone.resolved),
        end: yield* optionalInstant(input.to, "--to", zone.resolved),
        zone: zone.spec,
        tenantId: Option.getOrUndefined(input.tenant),
        format: input.format,
      };
      const written = yield* produceReportFile(submission, {
        fieldNames: commandFieldNames,
        out: Option.getOrUndefined(input.out),
        label: "tenant report",
      });
      yield* printWritten(written);
    }),
  );

/** Makes a license overview report. */
export const runLicenseReport = (configPath: string | undefined, input: LicenseReportInput) =>
  withTally({ configPath, logTo: "stderr" }, (config) =>
    Effect.gen(function* () {
      const zone = yield* commandZone(input.timezone, config);
      const submission: SubmitReportInput = {
        type: "CreateLicenseOverviewReport",
        start: yield* parseCommandInstant(input.from, "--from", zone.resolved),
        end: yield* parseCommandInstant(input.to, "--to", zone.resolved),
        zone: zone.spec,
        organizationId: Option.getOrUndefined(input.organization),
        format: input.format,
      };
      const written = yield* produceReportFile(submission, {
        fieldNames: commandFieldNames,
        out: Option.getOrUndefined(input.out),
        label: "license report",
      });
      yield* printWritten(written);
    }),
  );
