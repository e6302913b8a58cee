/**
 * The files `tally import` is measured with: the benchmark's protection data set
 * (packages/adapters-storage/bench/dataset/) as the CSV a user would import — tenants, VMs and
 * protection periods, one file each, instants as ISO 8601 UTC timestamps — written once into
 * bench-data/ and reused.
 */
import { createWriteStream, existsSync, renameSync } from "node:fs";
import {
  benchPeriods,
  benchTenants,
  benchVms,
} from "../../../adapters-storage/bench/dataset/ProtectionDataSet.ts";

/** A CSV cell: quoted when it holds a separator, a quote or a line break. */
const cell = (value: string | null): string =>
  value === null ? "" : /[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value;

/** Writes `lines` to `path` (through a temporary name), waiting for the stream to drain. */
const writeLines = async (path: string, lines: Iterable<string>): Promise<void> => {
  const temporary = `${path}.partial`;
  const out = createWriteStream(temporary);
  let pending: Array<string> = [];
  let size = 0;
  for (const line of lines) {
    pending.push(line);
    size += line.length;
    if (size > 1 << 20) {
      if (!out.write(pending.join("")))
        await new Promise<void>((resolve) => out.once("drain", () => resolve()));
      pending = [];
      size = 0;
    }
  }
  out.write(pending.join(""));
  await new Promise<void>((resolve, reject) =>
    out.end((e?: Error | null) => (e ? reject(e) : resolve())),
  );
  renameSync(temporary, path);
};

const iso = (ms: number): string => new Date(ms).toISOString();

/** The three files of a data set of `periods` rows, written if missing; their paths. */
export const ensureImportFiles = async (
  directory: string,
  periods: number,
): Promise<{ readonly tenants: string; readonly vms: string; readonly periods: string }> => {
  const paths = {
    tenants: `${directory}/import-tenants.csv`,
    vms: `${directory}/import-vms.csv`,
    periods: `${directory}/import-periods-${periods}.csv`,
  };
  if (!existsSync(paths.tenants)) {
    await writeLines(paths.tenants, [
      "id,name\n",
      ...benchTenants().map((t) => `${cell(t.id)},${cell(t.name)}\n`),
    ]);
  }
  if (!existsSync(paths.vms)) {
    await writeLines(paths.vms, [
      "id,name,tenantId\n",
      ...benchVms().map((v) => `${cell(v.id)},${cell(v.name)},${cell(v.tenantId)}\n`),
    ]);
  }
  if (!existsSync(paths.periods)) {
    await writeLines(
      paths.periods,
      (function* () {
        yield "id,vmId,start,end\n";
        for (const p of benchPeriods(periods)) {
          yield `${p.id},${p.vmId},${iso(p.start)},${p.end === null ? "" : iso(p.end)}\n`;
        }
      })(),
    );
  }
  return paths;
};
