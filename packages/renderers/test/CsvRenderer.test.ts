/**
 * The CSV renderer: the vendor's tenant report byte for byte, the native variants, the license
 * overview, reproducibility, streaming, and — for random report lines — fast-csv's output and
 * every row exactly once.
 */

import { makeInstantFormatter, StorageError, type TenantReportLine } from "@tally/core";
import { Effect, Stream } from "effect";
import fc from "fast-check";
import { parseString, writeToBuffer } from "fast-csv";
import { describe, expect, it } from "vitest";
import {
  extendedTenantColumns,
  licenseUserColumns,
  referenceCells,
  vendorTenantColumns,
} from "../src/csv/CsvColumns.ts";
import { fastCsvOptions, neutraliseText } from "../src/csv/CsvDialect.ts";
import { CSV_CHUNK_CODE_UNITS } from "../src/csv/CsvEncoding.ts";
import { CsvRenderer } from "../src/index.ts";
import { licenseUsers, tenantLines } from "./fixtures/Arbitraries.ts";
import {
  collectBytes,
  collectText,
  licenseContent,
  licenseRequest,
  tenantContent,
  tenantRequest,
} from "./fixtures/ReportContents.ts";
import {
  sampleLines,
  sampleOrganizations,
  sampleSummaries,
  sampleUsers,
} from "./fixtures/SampleReports.ts";

const parse = (text: string, delimiter: string): Promise<Array<Array<string>>> =>
  new Promise((resolve, reject) => {
    const rows: Array<Array<string>> = [];
    parseString<Array<string>, Array<string>>(text, { delimiter })
      .on("data", (row: Array<string>) => rows.push(row))
      .on("error", reject)
      .on("end", () => resolve(rows));
  });

describe("the CSV tenant report", () => {
  it("is the vendor's format: semicolons, its header, tenant fields empty for VMs of no tenant", async () => {
    const text = await collectText(
      CsvRenderer.renderTenantReport(tenantContent({ lines: sampleLines })),
    );
    expect(text).toBe(
      [
        "tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd",
        "acme;ACME Corp;vm-001;web-01;2024-03-01T01:00:00+01:00;2024-03-02T13:00:00+01:00",
        'acme;ACME Corp;vm-002;"\'=HYPERLINK(""http://evil"")";2024-03-01T03:00:00+01:00;2024-03-20T13:00:00+01:00',
        'athena;Αθηνά Α.Ε.;vm-101;"βάση-δεδομένων; ""κύρια""";2024-03-30T13:00:00+01:00;2024-04-01T01:00:00+01:00',
        "romashka;ООО «Ромашка»;vm-201;сервер-1;2024-03-10T01:00:00+01:00;2024-03-11T07:30:00+01:00",
        ';;vm-900;"orphan\nwith newline";2024-03-15T01:00:00+01:00;2024-03-16T01:00:00+01:00',
        "",
      ].join("\r\n"),
    );
  });

  it("is UTF-8 without a byte-order mark and ends with CRLF", async () => {
    const bytes = await collectBytes(
      CsvRenderer.renderTenantReport(tenantContent({ lines: sampleLines })),
    );
    expect([...bytes.subarray(0, 3)]).toEqual([...Buffer.from("ten")]);
    expect([...bytes.subarray(-2)]).toEqual([13, 10]);
    expect(Buffer.from(bytes).toString("utf8")).toContain("ООО «Ромашка»");
  });

  it("adds protectedSeconds and ongoing for the extended columns, with a comma when asked", async () => {
    const request = tenantRequest({ columns: "extended", separator: "," });
    const text = await collectText(
      CsvRenderer.renderTenantReport(tenantContent({ lines: sampleLines.slice(0, 2), request })),
    );
    expect(text.split("\r\n")).toEqual([
      "tenantId,tenantName,vmId,vmName,protectionStart,protectionEnd,protectedSeconds,ongoing",
      "acme,ACME Corp,vm-001,web-01,2024-03-01T01:00:00+01:00,2024-03-02T13:00:00+01:00,129600,false",
      'acme,ACME Corp,vm-002,"\'=HYPERLINK(""http://evil"")",2024-03-01T03:00:00+01:00,2024-03-20T13:00:00+01:00,1677600,true',
      "",
    ]);
  });

  it("writes one line per tenant for the summary variant", async () => {
    const request = tenantRequest({ variant: "summary" });
    const text = await collectText(
      CsvRenderer.renderTenantReport(
        tenantContent({ lines: sampleLines, summaries: sampleSummaries, request }),
      ),
    );
    expect(text.split("\r\n")).toEqual([
      "tenantId;tenantName;vmCount;protectedVmHours;peakConcurrentVms;peakAt;averageConcurrentVms",
      "acme;ACME Corp;2;502.000;2;2024-03-01T03:00:00+01:00;1.100",
      "athena;Αθηνά Α.Ε.;1;36.000;1;2024-03-30T13:00:00+01:00;0.077",
      "romashka;ООО «Ромашка»;1;30.500;1;2024-03-10T01:00:00+01:00;0.066",
      ";;1;24.000;1;2024-03-15T01:00:00+01:00;0.052",
      "",
    ]);
  });

  it("adds the exact protectedSeconds to the summary with the extended columns", async () => {
    const request = tenantRequest({ variant: "summary", columns: "extended" });
    const text = await collectText(
      CsvRenderer.renderTenantReport(
        tenantContent({ lines: [], summaries: sampleSummaries, request }),
      ),
    );
    expect(text.split("\r\n")[0]).toBe(
      "tenantId;tenantName;vmCount;protectedVmHours;peakConcurrentVms;peakAt;averageConcurrentVms;protectedSeconds",
    );
    expect(text.split("\r\n")[3]).toBe(
      "romashka;ООО «Ромашка»;1;30.500;1;2024-03-10T01:00:00+01:00;0.066;109800",
    );
  });

  it("is the header line alone when nothing was protected", async () => {
    const text = await collectText(CsvRenderer.renderTenantReport(tenantContent({ lines: [] })));
    expect(text).toBe("tenantId;tenantName;vmId;vmName;protectionStart;protectionEnd\r\n");
  });

  it("writes each timestamp with the offset in force in a DST-aware zone", async () => {
    const request = tenantRequest({
      zone: { spec: "Local", resolved: { _tag: "Iana", name: "Europe/Paris" } },
    });
    const line: TenantReportLine = {
      tenantId: "t",
      tenantName: "T",
      vmId: "v",
      vmName: "V",
      start: Date.UTC(2024, 2, 31, 0, 59, 59),
      end: Date.UTC(2024, 2, 31, 1, 0, 0),
      ongoing: false,
    };
    const text = await collectText(
      CsvRenderer.renderTenantReport(tenantContent({ lines: [line], request })),
    );
    expect(text.split("\r\n")[1]).toBe(
      "t;T;v;V;2024-03-31T01:59:59+01:00;2024-03-31T03:00:00+02:00",
    );
  });

  it("gives the same bytes on two renders of the same content", async () => {
    const content = tenantContent({ lines: sampleLines, chunkSize: 2 });
    const first = await collectBytes(CsvRenderer.renderTenantReport(content));
    const second = await collectBytes(CsvRenderer.renderTenantReport(content));
    expect(Buffer.from(first)).toEqual(Buffer.from(second));
  });

  it("is what fast-csv writes for the same cells, for both column sets and separators, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(
        tenantLines,
        fc.integer({ min: 1, max: 50 }),
        fc.constantFrom("vendor" as const, "extended" as const),
        fc.constantFrom(";" as const, "," as const),
        async (lines, chunkSize, columns, separator) => {
          const request = tenantRequest({ columns, separator });
          const fast = await collectBytes(
            CsvRenderer.renderTenantReport(tenantContent({ lines, chunkSize, request })),
          );
          const instant = makeInstantFormatter(request.zone.resolved);
          const spec = columns === "vendor" ? vendorTenantColumns : extendedTenantColumns;
          const slow = await writeToBuffer(
            lines.map((line) => referenceCells(spec, line, instant, neutraliseText)),
            fastCsvOptions(
              separator,
              spec.map((c) => c.header),
            ),
          );
          expect(Buffer.from(fast)).toEqual(slow);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("holds every line exactly once, in order, whatever the chunking", async () => {
    await fc.assert(
      fc.asyncProperty(tenantLines, fc.integer({ min: 1, max: 50 }), async (lines, chunkSize) => {
        const text = await collectText(
          CsvRenderer.renderTenantReport(tenantContent({ lines, chunkSize })),
        );
        const rows = await parse(text, ";");
        expect(rows.slice(1).map((row) => row[2])).toEqual(lines.map((line) => line.vmId));
      }),
      { numRuns: 150 },
    );
  });

  it("streams: the first bytes come before an endless report ends, in chunks of about 16 KiB", async () => {
    const endless = Stream.iterate(0, (i) => i + 1).pipe(
      Stream.map(
        (i): TenantReportLine => ({
          tenantId: "tenant",
          tenantName: "Tenant",
          vmId: `vm-${i}`,
          vmName: `VM ${i}`,
          start: 0,
          end: 1000,
          ongoing: false,
        }),
      ),
      Stream.rechunk(100),
    );
    const content = { ...tenantContent({ lines: [] }), lines: endless };
    const chunks = await Effect.runPromise(
      CsvRenderer.renderTenantReport(content).pipe(Stream.take(3), Stream.runCollect),
    );
    expect(chunks).toHaveLength(3);
    for (const chunk of chunks) {
      expect(chunk.length).toBeGreaterThanOrEqual(CSV_CHUNK_CODE_UNITS);
      expect(chunk.length).toBeLessThan(CSV_CHUNK_CODE_UNITS + 1024);
    }
  });
  it("keeps a block of non-Latin-1 text below V8's large-object size (64 Ki two-byte units)", async () => {
    // One Cyrillic name makes a block's flattened text two bytes per unit; over 64 Ki units it
    // would be mapped afresh in the large-object space for every block (see CsvEncoding).
    const lines = Stream.range(0, 19_999).pipe(
      Stream.map(
        (i): TenantReportLine => ({
          tenantId: "t-1",
          tenantName: "ООО «Ромашка»",
          vmId: `vm-${i}`,
          vmName: `ВМ ${i}`,
          start: 0,
          end: 1000,
          ongoing: false,
        }),
      ),
      Stream.rechunk(1000),
    );
    const content = { ...tenantContent({ lines: [] }), lines };
    const chunks = await Effect.runPromise(
      Stream.runCollect(CsvRenderer.renderTenantReport(content)),
    );
    const decoder = new TextDecoder("utf-8", { fatal: true });
    const units = chunks.map((chunk) => decoder.decode(chunk).length);
    expect(units.length).toBeGreaterThan(10);
    for (const length of units) expect(length).toBeLessThan(CSV_CHUNK_CODE_UNITS + 200);
    expect(CSV_CHUNK_CODE_UNITS + 200).toBeLessThan(65_536);
  });
});

describe("the CSV license overview", () => {
  it("lists users with their organization, status, licence start and revocation", async () => {
    const text = await collectText(
      CsvRenderer.renderLicenseOverview(licenseContent({ users: sampleUsers })),
    );
    expect(text.split("\r\n")).toEqual([
      "organizationId;organizationName;userId;userName;status;licensedSince;revokedAt",
      "org-a;ООО «Ромашка»;u-1;ivan@romashka.example;Licensed;2023-12-01T00:00:00+00:00;",
      "org-a;ООО «Ромашка»;u-2;'+7 Мария;Revoked;2024-03-05T09:30:00+00:00;2024-03-25T17:00:00+00:00",
      "org-b;Αθηνά Α.Ε.;u-3;Νίκος Παπαδόπουλος;Exceeded;2024-03-12T00:00:00+00:00;",
      "",
    ]);
  });

  it("writes one line per organization for the summary variant, with a comma when asked", async () => {
    const request = licenseRequest({ variant: "summary", separator: "," });
    const text = await collectText(
      CsvRenderer.renderLicenseOverview(
        licenseContent({ users: sampleUsers, summaries: sampleOrganizations, request }),
      ),
    );
    expect(text.split("\r\n")).toEqual([
      "organizationId,organizationName,capacity,licensedAtEnd,newUsers,revokedUsers,exceededUsers,peakLicensed,peakAt,usagePercent,peakUsagePercent,overCapacityHours",
      "org-a,ООО «Ромашка»,10,1,1,1,0,2,2024-03-05T09:30:00+00:00,10.00,20.00,0.000",
      "org-b,Αθηνά Α.Ε.,0,1,1,0,1,1,2024-03-12T00:00:00+00:00,,,480.000",
      "org-c,Empty Org,5,0,0,0,0,0,,0.00,0.00,0.000",
      "",
    ]);
  });

  it("is what fast-csv writes for the same cells", async () => {
    await fc.assert(
      fc.asyncProperty(licenseUsers, fc.integer({ min: 1, max: 20 }), async (users, chunkSize) => {
        const fast = await collectBytes(
          CsvRenderer.renderLicenseOverview(licenseContent({ users, chunkSize })),
        );
        const instant = makeInstantFormatter(licenseRequest().zone.resolved);
        const slow = await writeToBuffer(
          users.map((user) => referenceCells(licenseUserColumns, user, instant, neutraliseText)),
          fastCsvOptions(
            ";",
            licenseUserColumns.map((c) => c.header),
          ),
        );
        expect(Buffer.from(fast)).toEqual(slow);
      }),
      { numRuns: 100 },
    );
  });

  it("holds every user exactly once with hostile names neutralised", async () => {
    await fc.assert(
      fc.asyncProperty(licenseUsers, fc.integer({ min: 1, max: 20 }), async (users, chunkSize) => {
        const text = await collectText(
          CsvRenderer.renderLicenseOverview(licenseContent({ users, chunkSize })),
        );
        const rows = (await parse(text, ";")).slice(1);
        expect(rows.map((row) => row[2])).toEqual(users.map((user) => user.userId));
        rows.forEach((row, i) => {
          expect(row[3]).toBe(neutraliseText(users[i]?.userName as string));
          expect(row.filter((cell) => /^[=+\-@\t\r]/.test(cell))).toEqual([]);
        });
      }),
      { numRuns: 100 },
    );
  });
});

describe("the CSV renderer", () => {
  it("fails with the store's error when the rows cannot be read", async () => {
    const failing = Stream.fail(
      new StorageError({ reason: "Busy", operation: "streamPeriods", detail: "locked" }),
    );
    const error = await Effect.runPromise(
      Stream.runDrain(
        CsvRenderer.renderTenantReport({ ...tenantContent({ lines: [] }), lines: failing }),
      ).pipe(Effect.flip),
    );
    expect(error).toBeInstanceOf(StorageError);
  });

  it("declares its content type and file extension", () => {
    expect(CsvRenderer.format).toBe("csv");
    expect(CsvRenderer.contentType).toBe("text/csv; charset=utf-8");
    expect(CsvRenderer.fileExtension).toBe("csv");
  });
});
