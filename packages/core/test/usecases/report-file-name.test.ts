import { describe, expect, it } from "vitest";
import type {
  LicenseOverviewRequest,
  ReportRequest,
  TenantReportRequest,
} from "../../src/domain/ReportRequest.ts";
import { reportFileName } from "../../src/usecases/ReportFileName.ts";
import { licenseOverviewRequest, tenantReportRequest } from "./TestWorld.ts";

const year2024 = { start: Date.UTC(2024, 0, 1), end: Date.UTC(2025, 0, 1) };

const tenantReport = (overrides: Partial<TenantReportRequest> = {}): TenantReportRequest =>
  tenantReportRequest({ interval: year2024, ...overrides });

const licenseOverview = (overrides: Partial<LicenseOverviewRequest> = {}): LicenseOverviewRequest =>
  licenseOverviewRequest({ interval: year2024, format: "pdf", ...overrides });

/** The date part of a file name: what follows the kind and whom. */
const days = (request: ReportRequest, extension = "pdf") =>
  reportFileName(request, extension).match(/(\d{8}-\d{8})\.\w+$/)?.[1];

describe("the file name of a report", () => {
  it("names the first and the last day of the interval for every kind of report alike", () => {
    expect(reportFileName(tenantReport(), "csv")).toBe(
      "tenant-protection-all-20240101-20241231.csv",
    );
    expect(reportFileName(tenantReport({ format: "pdf" }), "pdf")).toBe(
      "tenant-protection-all-20240101-20241231.pdf",
    );
    expect(reportFileName(licenseOverview(), "pdf")).toBe(
      "license-overview-all-20240101-20241231.pdf",
    );
    expect(reportFileName(licenseOverview({ variant: "summary" }), "csv")).toBe(
      "license-overview-summary-all-20240101-20241231.csv",
    );
  });

  it("takes the last day as the day of the interval's last millisecond, in the report's zone", () => {
    const endsAtNoon = { start: year2024.start, end: Date.UTC(2024, 0, 31, 12) };
    expect(days(tenantReport({ interval: endsAtNoon }))).toBe("20240101-20240131");
    expect(days(licenseOverview({ interval: endsAtNoon }))).toBe("20240101-20240131");
    // Midnight in UTC+05:30 is 18:30 the day before in UTC.
    const kolkata = { spec: "UTC+05:30", resolved: { _tag: "Fixed", offsetMinutes: 330 } } as const;
    const localYear = {
      start: Date.UTC(2023, 11, 31, 18, 30),
      end: Date.UTC(2024, 11, 31, 18, 30),
    };
    expect(days(licenseOverview({ zone: kolkata, interval: localYear }))).toBe("20240101-20241231");
    expect(days(tenantReport({ zone: kolkata, interval: localYear }))).toBe("20240101-20241231");
    const oneMs = { start: year2024.start, end: year2024.start + 1 };
    expect(days(tenantReport({ interval: oneMs }))).toBe("20240101-20240101");
  });

  it("names whom it covers, with ids reduced to characters safe in a file name", () => {
    expect(
      reportFileName(tenantReport({ tenant: { _tag: "OneTenant", tenantId: "acme/../é" } }), "csv"),
    ).toBe("tenant-protection-acme_..__-20240101-20241231.csv");
    expect(
      reportFileName(
        licenseOverview({ organizations: { _tag: "OrganizationsOfTenant", tenantId: "acme" } }),
        "pdf",
      ),
    ).toBe("license-overview-tenant-acme-20240101-20241231.pdf");
    expect(
      reportFileName(
        licenseOverview({ organizations: { _tag: "OneOrganization", organizationId: ".." } }),
        "pdf",
      ),
    ).toBe("license-overview-id_..-20240101-20241231.pdf");
    const long = "t".repeat(100);
    expect(
      reportFileName(tenantReport({ tenant: { _tag: "OneTenant", tenantId: long } }), "csv"),
    ).toBe(`tenant-protection-${"t".repeat(64)}-20240101-20241231.csv`);
  });
});
