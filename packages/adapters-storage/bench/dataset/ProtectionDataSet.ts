/**
 * The benchmark's protection data set: deterministic (a seeded PRNG, no clock), so every run on
 * every machine measures the same rows. Shape, as issue 6 asks: 200 tenants, 100,000 VMs and
 * `periods` protection periods, skewed so that the first tenant holds 10% of the VMs (and so of
 * the periods); 500 VMs belong to no tenant. Periods fall between mid-December 2024 and
 * mid-January 2026, so a report of the year 2025 reads nearly all of them and clips both ends.
 * About 5% of periods overlap the next one of their VM (the report merges them) and every 50th
 * VM's last period is still ongoing.
 *
 * Rows come out in (tenant, VM, start) order with ids that sort the same way, so loading
 * appends to every index instead of splitting pages.
 */

/** Tenants, VMs and VMs of no tenant in every size. */
export const TENANTS = 200;
export const VMS = 100_000;
export const VMS_WITHOUT_TENANT = 500;
/** The share of VMs of the first tenant. */
export const BIG_TENANT_SHARE = 0.1;

/** The reporting interval the benchmark reports on: the year 2025, UTC. */
export const YEAR_2025 = { start: Date.UTC(2025, 0, 1), end: Date.UTC(2026, 0, 1) } as const;

const SPAN_START = Date.UTC(2024, 11, 15);
const SPAN_END = Date.UTC(2026, 0, 15);

/** A tenant row. */
export interface BenchTenant {
  readonly id: string;
  readonly name: string;
}
/** A VM row (tenantId null: no tenant). */
export interface BenchVm {
  readonly id: string;
  readonly name: string;
  readonly tenantId: string | null;
}
/** A period row (end null: ongoing). */
export interface BenchPeriod {
  readonly id: string;
  readonly vmId: string;
  readonly tenantId: string | null;
  readonly start: number;
  readonly end: number | null;
}

/** mulberry32: small, fast, and the same sequence everywhere. */
const prng = (seed: number) => {
  let a = seed >>> 0;
  return (): number => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const pad = (n: number, width: number): string => String(n).padStart(width, "0");

/** Names in three scripts, and now and then one a spreadsheet would run as a formula. */
const tenantName = (i: number): string => {
  if (i % 37 === 7) return `=HYPERLINK("x";"Tenant ${i}")`;
  switch (i % 4) {
    case 1:
      return `ООО «Арендатор ${pad(i, 3)}»`;
    case 2:
      return `Ενοικιαστής ${pad(i, 3)} Α.Ε.`;
    default:
      return `Tenant ${pad(i, 3)} GmbH`;
  }
};

/** The tenants, `t000` … `t199`. */
export const benchTenants = (): Array<BenchTenant> =>
  Array.from({ length: TENANTS }, (_, i) => ({ id: `t${pad(i, 3)}`, name: tenantName(i) }));

/** Which tenant VM number `v` belongs to: ranges, so VM order is tenant order. */
const tenantOfVm = (v: number): string | null => {
  const withTenant = VMS - VMS_WITHOUT_TENANT;
  if (v >= withTenant) return null;
  const big = Math.round(VMS * BIG_TENANT_SHARE);
  if (v < big) return "t000";
  const perTenant = (withTenant - big) / (TENANTS - 1);
  return `t${pad(1 + Math.min(TENANTS - 2, Math.floor((v - big) / perTenant)), 3)}`;
};

/** The VMs, `vm000000` … `vm099999`. */
export const benchVms = (): Array<BenchVm> =>
  Array.from({ length: VMS }, (_, v) => ({
    id: `vm${pad(v, 6)}`,
    name: v % 10 === 3 ? `сервер-${pad(v, 6)}` : `srv-${pad(v, 6)}.example`,
    tenantId: tenantOfVm(v),
  }));

/** The periods of a data set of `periods` rows, in (tenant, VM, start) order. */
export function* benchPeriods(periods: number): Generator<BenchPeriod> {
  const random = prng(20_261_123);
  const perVm = Math.max(1, Math.round(periods / VMS));
  const slot = (SPAN_END - SPAN_START) / perVm;
  // VMs without a tenant come last in both the id order and the report order.
  for (let v = 0; v < VMS; v++) {
    const vmId = `vm${pad(v, 6)}`;
    const tenantId = tenantOfVm(v);
    for (let k = 0; k < perVm; k++) {
      const slotStart = SPAN_START + k * slot;
      const start = slotStart + random() * slot * 0.05;
      const overlaps = random() < 0.05;
      const length = slot * (overlaps ? 1.2 : 0.3 + random() * 0.6);
      const ongoing = k === perVm - 1 && v % 50 === 0;
      yield {
        id: `p${pad(v, 6)}-${pad(k, 4)}`,
        vmId,
        tenantId,
        // Whole seconds, as real protection data has.
        start: Math.floor(start / 1000) * 1000,
        end: ongoing ? null : Math.floor((start + length) / 1000) * 1000,
      };
    }
  }
}
