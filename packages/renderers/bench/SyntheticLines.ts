/**
 * Synthetic tenant report lines for the benchmark, made on the fly (never held as an array), in
 * report order as a store yields them: 500 tenants of 200 lines each in turn (then again),
 * one-minute-apart starts from March 2024, an ongoing period every tenth line, pulled in chunks
 * of 1000 like a store's cursor pages. Tenant names are either plain ASCII or, for
 * three tenants in four, Cyrillic and Greek — which makes every 64 KiB block a two-byte string
 * that V8 encodes to UTF-8 about three times slower.
 */

import type { StorageError, TenantReportLine } from "@tally/core";
import { Stream } from "effect";

/** Which tenant names the lines carry. */
export type SyntheticNames = "ascii" | "multilingual";

const names: Record<SyntheticNames, ReadonlyArray<string>> = {
  ascii: ["ACME Corp", "Romashka LLC", "Athena S.A.", "Mueller & Soehne GmbH"],
  multilingual: ["ACME Corp", "ООО «Ромашка»", "Αθηνά Α.Ε.", "Müller & Söhne GmbH"],
};
const MARCH_1 = Date.UTC(2024, 2, 1);

/** The i-th synthetic line. */
export const syntheticLine = (
  i: number,
  kind: SyntheticNames = "multilingual",
): TenantReportLine => {
  const tenant = Math.floor(i / 200) % 500;
  const start = MARCH_1 + i * 60_000;
  const pool = names[kind];
  return {
    tenantId: `tenant-${tenant}`,
    tenantName: `${pool[tenant % pool.length]} ${tenant}`,
    vmId: `vm-${i}`,
    vmName: `app-server-${i % 9973}`,
    start,
    end: start + 3_600_000 + (i % 97) * 1000,
    ongoing: i % 10 === 0,
  };
};

/** `count` synthetic lines as a stream in chunks of 1000. */
export const syntheticLines = (
  count: number,
  kind: SyntheticNames = "multilingual",
): Stream.Stream<TenantReportLine, StorageError> =>
  Stream.range(0, count - 1, 1000).pipe(Stream.map((i) => syntheticLine(i, kind)));
