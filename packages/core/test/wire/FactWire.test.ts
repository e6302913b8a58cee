/**
 * Each fact's wire form, declared once: JSON ↔ the domain's value (offset text ↔ instant, an
 * absent optional field as null, the domain's own checks), and the CSV form derived from it.
 */
import { Result, Schema } from "effect";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  decodeWithIssues,
  factCollections,
  factWireForms,
  isoInstant,
  OffsetInstant,
  ProtectionPeriodWire,
  VmWire,
} from "../../src/index.ts";

const decode = <A>(schema: Schema.Codec<A, unknown>, input: unknown) =>
  decodeWithIssues(schema, input);

describe("instants on the wire", () => {
  it("read ISO 8601 with Z or an offset, and write ISO 8601 UTC back", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1900, 0, 1), max: Date.UTC(2200, 0, 1) }),
        fc.integer({ min: -12 * 60, max: 14 * 60 }),
        (instant, offsetMinutes) => {
          const local = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 23);
          const sign = offsetMinutes < 0 ? "-" : "+";
          const abs = Math.abs(offsetMinutes);
          const offset = `${sign}${String(Math.floor(abs / 60)).padStart(2, "0")}:${String(abs % 60).padStart(2, "0")}`;
          expect(Schema.decodeSync(OffsetInstant)(`${local}${offset}`)).toBe(instant);
          expect(Schema.encodeSync(OffsetInstant)(instant)).toBe(isoInstant(instant));
        },
      ),
      { numRuns: 300 },
    );
  });

  it("refuse a time without an offset and an impossible date, saying why", () => {
    const noOffset = decode(OffsetInstant, "2024-03-01T00:00:00");
    const impossible = decode(OffsetInstant, "2024-02-30T00:00:00Z");
    expect(Result.isFailure(noOffset) && noOffset.failure.issues[0]?.actual).toBe(
      '"2024-03-01T00:00:00"',
    );
    expect(Result.isFailure(impossible) && impossible.failure.issues[0]?.actual).toMatch(
      /^"2024-02-30T00:00:00Z" \(/,
    );
  });
});

describe("facts on the wire", () => {
  it("read an absent end or tenant as null, and write null back", () => {
    const period = Result.getOrThrow(
      decode(ProtectionPeriodWire, { id: "p", vmId: "v", start: "2024-01-01T01:00:00+01:00" }),
    );
    expect(period).toEqual({ id: "p", vmId: "v", start: Date.UTC(2024, 0, 1), end: null });
    expect(Schema.encodeSync(ProtectionPeriodWire)(period)).toEqual({
      id: "p",
      vmId: "v",
      start: "2024-01-01T00:00:00.000Z",
      end: null,
    });
    expect(Result.getOrThrow(decode(VmWire, { id: "v", name: "n" })).tenantId).toBeNull();
  });

  it("refuse a period that ends when or before it starts, naming end", () => {
    for (const end of ["2024-01-01T00:00:00Z", "2023-12-31T00:00:00Z"]) {
      const decoded = decode(ProtectionPeriodWire, {
        id: "p",
        vmId: "v",
        start: "2024-01-01T00:00:00Z",
        end,
      });
      expect(Result.isFailure(decoded) && decoded.failure.issues.map((i) => i.field)).toEqual([
        "end",
      ]);
    }
  });

  it("name every problem at once, and refuse unknown fields", () => {
    const decoded = decode(factWireForms.organizations.schema, {
      id: "",
      name: 5,
      capacity: -1,
      colour: "red",
    });
    expect(Result.isFailure(decoded) && decoded.failure.issues.map((i) => i.field).sort()).toEqual([
      "capacity",
      "colour",
      "id",
      "name",
    ]);
  });

  it("take CSV records into the same form: empty optional cells are absent, counts are digits", () => {
    const organizations = factWireForms.organizations;
    expect(organizations.columns).toEqual({
      required: ["id", "name", "capacity"],
      optional: ["tenantId"],
    });
    const record = organizations.fromCsvRecord({ id: "o", name: "O", capacity: "7", tenantId: "" });
    expect(Result.getOrThrow(decode(organizations.schema, record))).toEqual({
      id: "o",
      name: "O",
      capacity: 7,
      tenantId: null,
    });
    for (const capacity of ["-1", "1.5", "seven", ""]) {
      const bad = decode(
        organizations.schema,
        organizations.fromCsvRecord({ id: "o", name: "O", capacity }),
      );
      expect(Result.isFailure(bad) && bad.failure.issues[0]?.field, capacity).toBe("capacity");
    }
  });

  it("name the collections once, in loading order", () => {
    expect(factCollections).toEqual([
      "tenants",
      "vms",
      "protection-periods",
      "organizations",
      "users",
      "license-events",
    ]);
    for (const collection of factCollections) {
      expect(factWireForms[collection].collection).toBe(collection);
    }
  });
});
