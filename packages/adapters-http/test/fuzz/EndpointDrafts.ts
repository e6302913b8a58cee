/**
 * Plausible requests, one arbitrary per endpoint of the three faces: the right method, path,
 * content type and `Accept`, credentials that are mostly valid, and a query or body drawn from
 * what the server holds (its tenants, VMs, organizations, users; task and report ids and tokens
 * learnt from earlier answers). Ingested facts take ids from a small pool, so that re-sending
 * replaces rather than grows the data. Each draft lists its slots for the mutations to spoil.
 */
import fc from "fast-check";
import type { FuzzWorld, HeaderLine, Reference, Template } from "./HostileRequests.ts";
import {
  anyText,
  hostileEntityTag,
  hostileId,
  hostileRange,
  malformedAuthorization,
  plausibleTimestamp,
  plausibleWallClock,
  storageHostileText,
  trickyText,
  validZone,
} from "./HostileValues.ts";
import {
  type Content,
  type Draft,
  type DraftSpec,
  encode,
  header,
  makeDraft,
  type Slot,
} from "./RequestDraft.ts";

// ---------------------------------------------------------------------------------------------
// Credentials

const reference = <R extends Reference["ref"]>(ref: R) =>
  fc.nat().map((pick) => ({ ref, pick }) as Extract<Reference, { ref: R }>);

const basicOf = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;

/** `Authorization` lines: mostly valid (Basic or Bearer), sometimes absent, wrong or twice. */
const credentials = (world: FuzzWorld): fc.Arbitrary<ReadonlyArray<HeaderLine>> => {
  const account = fc.constantFrom(...world.accounts);
  const validBasic = account.map((a) => header("Authorization", basicOf(a.username, a.password)));
  const validBearer = fc
    .tuple(account, fc.nat())
    .map(([a, pick]) =>
      header("Authorization", "Bearer ", { ref: "accessToken", username: a.username, pick }),
    );
  const valid = fc.oneof(
    { weight: 3, arbitrary: validBasic },
    { weight: 1, arbitrary: validBearer },
  );
  const cheapWrong = malformedAuthorization.map((v) => header("Authorization", v));
  // A wrong password costs the server an scrypt hash: kept rare so the fuzzer stays fast.
  const costlyWrong = fc.oneof(
    fc
      .tuple(account, anyText(12))
      .map(([a, p]) => header("Authorization", basicOf(a.username, `${a.password}${p}x`))),
    fc.tuple(hostileId, anyText(12)).map(([u, p]) => header("Authorization", basicOf(u, p))),
  );
  return fc.oneof(
    { weight: 70, arbitrary: valid.map((line) => [line]) },
    { weight: 5, arbitrary: fc.constant([]) },
    { weight: 12, arbitrary: cheapWrong.map((line) => [line]) },
    { weight: 2, arbitrary: costlyWrong.map((line) => [line]) },
    { weight: 5, arbitrary: fc.tuple(valid, cheapWrong).map(([a, b]) => [a, b]) },
    { weight: 3, arbitrary: fc.tuple(cheapWrong, valid).map(([a, b]) => [a, b]) },
    { weight: 3, arbitrary: fc.tuple(valid, valid).map(([a, b]) => [a, b]) },
  );
};

// ---------------------------------------------------------------------------------------------
// Plausible values from the world

/** Ids of facts the fuzzer makes up: mostly a few plausible ones, sometimes text no backend stores. */
const fuzzIds = (prefix: string) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.nat(29).map((n) => `fz-${prefix}${n}`) },
    { weight: 1, arbitrary: storageHostileText },
  );

const oneOfOr = (values: ReadonlyArray<string>, fallback: fc.Arbitrary<string>) =>
  values.length === 0
    ? fallback
    : fc.oneof(
        { weight: 4, arbitrary: fc.constantFrom(...values) },
        { weight: 1, arbitrary: fallback },
      );

/** An id of something that may exist: harvested from responses, or made up. */
const taskRef = fc.oneof(
  { weight: 5, arbitrary: reference("task").map((r): Template => [r]) },
  { weight: 1, arbitrary: hostileId.map((id): Template => [encode(id)]) },
);
const reportRef = fc.oneof(
  { weight: 5, arbitrary: reference("report").map((r): Template => [r]) },
  { weight: 1, arbitrary: hostileId.map((id): Template => [encode(id)]) },
);

/** Two texts of the form, in order (plausible: mostly `start < end`). */
const interval = (form: fc.Arbitrary<string>): fc.Arbitrary<readonly [string, string]> =>
  fc.tuple(form, form).map(([a, b]) => (a <= b ? [a, b] : [b, a]));

const optional = <A>(arb: fc.Arbitrary<A>): fc.Arbitrary<A | undefined> =>
  fc.option(arb, { nil: undefined, freq: 3 });

const dropUndefined = (record: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));

// ---------------------------------------------------------------------------------------------
// Endpoints: each gives a plausible draft

type Endpoint = (world: FuzzWorld) => fc.Arbitrary<DraftSpec>;

const v20 = "/api/2.0/virtualization";

const vendorCreateReport: Endpoint = (world) =>
  fc
    .record({
      tenantId: optional(oneOfOr(world.tenantIds, hostileId)),
      bounds: interval(plausibleWallClock),
      timezone: optional(validZone),
      accept: fc.constantFrom("application/csv", "text/csv", "application/pdf"),
      key: optional(fc.stringMatching(/^[a-z0-9]{1,12}$/)),
    })
    .map(({ tenantId, bounds, timezone, accept, key }) => ({
      endpoint: "POST /api/2.0/virtualization/reports/tenants",
      method: "POST",
      path: [`${v20}/reports/tenants`],
      query: [
        ["tenantId", tenantId],
        ["from", bounds[0]],
        ["to", bounds[1]],
        ["timezone", timezone],
      ],
      headers: [
        header("Accept", accept),
        ...(key === undefined ? [] : [header("Idempotency-Key", key)]),
      ],
      slots: [
        { where: "query", name: "tenantId", kind: "id" },
        { where: "query", name: "from", kind: "date", role: "start" },
        { where: "query", name: "to", kind: "date", role: "end" },
        { where: "query", name: "timezone", kind: "zone" },
      ],
    }));

const vendorTaskAccept = fc.constantFrom("application/json", "application/xml", "text/csv", "*/*");

const vendorGetTask: Endpoint = () =>
  fc.tuple(taskRef, vendorTaskAccept).map(([id, accept]) => ({
    endpoint: "GET /api/2.0/virtualization/tasks/{id}",
    method: "GET",
    path: [`${v20}/tasks/`, ...id],
    headers: [header("Accept", accept)],
  }));

const vendorListTasks: Endpoint = () =>
  fc
    .record({
      createdFrom: optional(plausibleWallClock),
      state: optional(
        fc.subarray(["Queued", "Running", "Completed", "Stopping", "Failed", "Canceled"], {
          minLength: 1,
        }),
      ),
      type: optional(fc.constantFrom("CreateTenantReport", "CreateLicenseOverviewReport")),
      accept: vendorTaskAccept,
    })
    .map(({ createdFrom, state, type, accept }) => ({
      endpoint: "GET /api/2.0/virtualization/tasks",
      method: "GET",
      path: [`${v20}/tasks`],
      query: [
        ["createdFrom", createdFrom],
        ["state", state?.join(",")],
        ["type", type],
      ],
      headers: [header("Accept", accept)],
      slots: [
        { where: "query", name: "createdFrom", kind: "date" },
        { where: "query", name: "state", kind: "enum" },
        { where: "query", name: "type", kind: "enum" },
      ],
    }));

const vendorCancelTask: Endpoint = () =>
  taskRef.map((id) => ({
    endpoint: "POST /api/2.0/virtualization/tasks/{id}/cancel",
    method: "POST",
    path: [`${v20}/tasks/`, ...id, "/cancel"],
    headers: [header("Accept", "application/json")],
  }));

const downloadHeaders = fc
  .record({
    range: optional(
      fc.oneof(fc.constantFrom("bytes=0-99", "bytes=-10", "bytes=10-"), hostileRange),
    ),
    ifNoneMatch: optional(hostileEntityTag),
  })
  .map(({ range, ifNoneMatch }) => [
    ...(range === undefined ? [] : [header("Range", range)]),
    ...(ifNoneMatch === undefined ? [] : [header("If-None-Match", ifNoneMatch)]),
  ]);

const vendorDownload: Endpoint = () =>
  fc
    .tuple(
      reportRef,
      fc.constantFrom("application/csv", "text/csv", "application/pdf"),
      downloadHeaders,
    )
    .map(([id, accept, extra]) => ({
      endpoint: "GET /api/2.0/virtualization/reports/tenants/{reportId}",
      method: "GET",
      path: [`${v20}/reports/tenants/`, ...id],
      headers: [header("Accept", accept), ...extra],
    }));

const token: Endpoint = (world) => {
  const account = fc.constantFrom(...world.accounts);
  const password = fc.oneof(
    {
      weight: 3,
      arbitrary: account.map(
        (a) =>
          [
            ["grant_type", "password"],
            ["username", a.username],
            ["password", a.password],
          ] as const,
      ),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(account, anyText(10)).map(
        ([a, p]) =>
          [
            ["grant_type", "password"],
            ["username", a.username],
            ["password", `${p}!`],
          ] as const,
      ),
    },
  );
  const refresh = reference("refreshToken").map(
    (r) =>
      [
        ["grant_type", "refresh_token"],
        ["refresh_token", r],
      ] as const,
  );
  const odd = fc.constantFrom(
    [["grant_type", "client_credentials"]] as const,
    [["grant_type", ""]] as const,
    [["username", "admin"]] as const,
    [
      ["grant_type", "password"],
      ["username", ""],
      ["password", ""],
    ] as const,
    [
      ["grant_type", "refresh_token"],
      ["refresh_token", "not-a-token"],
    ] as const,
    [
      ["grant_type", "password"],
      ["grant_type", "refresh_token"],
    ] as const,
  );
  return fc
    .oneof(
      { weight: 3, arbitrary: password },
      { weight: 3, arbitrary: refresh },
      { weight: 2, arbitrary: odd },
    )
    .map((pairs) => ({
      endpoint: "POST /v6/Token",
      method: "POST",
      path: ["/v6/Token"],
      content: { _tag: "Form", pairs } as Content,
      slots: [
        { where: "form", name: "grant_type", kind: "enum" },
        { where: "form", name: "username", kind: "id" },
        { where: "form", name: "password", kind: "secret" },
        { where: "form", name: "refresh_token", kind: "secret" },
      ],
    }));
};

const generateLicenseOverview: Endpoint = () =>
  fc
    .record({
      bounds: interval(fc.oneof(plausibleTimestamp, plausibleWallClock)),
      format: fc.constantFrom("PDF", "CSV"),
      timezone: optional(fc.oneof(validZone, fc.constant(null))),
      accept: fc.constantFrom("application/octet-stream", "application/pdf", "*/*", "text/csv"),
    })
    .map(({ bounds, format, timezone, accept }) => ({
      endpoint: "POST /v6/Reports/GenerateLicenseOverview",
      method: "POST",
      path: ["/v6/Reports/GenerateLicenseOverview"],
      headers: [header("Accept", accept)],
      content: {
        _tag: "Json",
        value: dropUndefined({ startTime: bounds[0], endTime: bounds[1], format, timezone }),
      },
      slots: [
        { where: "json", name: "startTime", kind: "date", role: "start" },
        { where: "json", name: "endTime", kind: "date", role: "end" },
        { where: "json", name: "format", kind: "enum" },
        { where: "json", name: "timezone", kind: "zone" },
      ],
    }));

const submitReport: Endpoint = (world) =>
  fc
    .record({
      type: fc.constantFrom("tenant-protection", "license-overview"),
      bounds: interval(plausibleTimestamp),
      timezone: optional(validZone),
      tenantId: optional(oneOfOr(world.tenantIds, hostileId)),
      organizationId: optional(oneOfOr(world.organizationIds, hostileId)),
      format: fc.constantFrom("csv", "pdf"),
      variant: optional(fc.constantFrom("detail", "summary", "users")),
      columns: optional(fc.constantFrom("vendor", "extended")),
      separator: optional(fc.constantFrom(";", ",")),
      key: optional(fc.oneof(fc.stringMatching(/^[a-z0-9]{1,12}$/), fc.constantFrom("k1", "k2"))),
    })
    .map(({ bounds, key, ...fields }) => ({
      endpoint: "POST /v1/reports",
      method: "POST",
      path: ["/v1/reports"],
      headers: key === undefined ? [] : [header("Idempotency-Key", key)],
      content: {
        _tag: "Json",
        value: dropUndefined({ ...fields, start: bounds[0], end: bounds[1] }),
      },
      slots: [
        { where: "json", name: "type", kind: "enum" },
        { where: "json", name: "start", kind: "date", role: "start" },
        { where: "json", name: "end", kind: "date", role: "end" },
        { where: "json", name: "timezone", kind: "zone" },
        { where: "json", name: "tenantId", kind: "id" },
        { where: "json", name: "organizationId", kind: "id" },
        { where: "json", name: "format", kind: "enum" },
        { where: "json", name: "variant", kind: "enum" },
        { where: "json", name: "columns", kind: "enum" },
        { where: "json", name: "separator", kind: "enum" },
      ],
    }));

const pageQuery = fc.record({
  limit: optional(
    fc.oneof(
      fc.integer({ min: 1, max: 1000 }).map(String),
      fc.constantFrom("0", "-1", "1001", "1.5", "1e3", "abc", "", "99999999999999999999"),
    ),
  ),
  cursor: optional(
    fc.oneof(
      fc.base64String({ maxLength: 40 }),
      fc.constantFrom("WzEsImEiXQ", "WyJhIl0", "W10", "bnVsbA", "!!!"),
    ),
  ),
});

const pageSlots: ReadonlyArray<Slot> = [
  { where: "query", name: "limit", kind: "int" },
  { where: "query", name: "cursor", kind: "text" },
];

const listReports: Endpoint = (world) =>
  fc.tuple(pageQuery, optional(oneOfOr(world.tenantIds, hostileId))).map(([page, tenantId]) => ({
    endpoint: "GET /v1/reports",
    method: "GET",
    path: ["/v1/reports"],
    query: [
      ["limit", page.limit],
      ["cursor", page.cursor],
      ["tenantId", tenantId],
    ],
    slots: [...pageSlots, { where: "query", name: "tenantId", kind: "id" }],
  }));

const getReport: Endpoint = () =>
  reportRef.map((id) => ({
    endpoint: "GET /v1/reports/{id}",
    method: "GET",
    path: ["/v1/reports/", ...id],
  }));

const downloadReport: Endpoint = () =>
  fc
    .tuple(
      reportRef,
      fc.constantFrom(
        "*/*",
        "text/csv",
        "application/pdf",
        "application/octet-stream",
        "application/json",
      ),
      downloadHeaders,
    )
    .map(([id, accept, extra]) => ({
      endpoint: "GET /v1/reports/{id}/content",
      method: "GET",
      path: ["/v1/reports/", ...id, "/content"],
      headers: [header("Accept", accept), ...extra],
    }));

const deleteReport: Endpoint = () =>
  reportRef.map((id) => ({
    endpoint: "DELETE /v1/reports/{id}",
    method: "DELETE",
    path: ["/v1/reports/", ...id],
  }));

const getTask: Endpoint = () =>
  taskRef.map((id) => ({
    endpoint: "GET /v1/tasks/{id}",
    method: "GET",
    path: ["/v1/tasks/", ...id],
  }));

const cancelTask: Endpoint = () =>
  taskRef.map((id) => ({
    endpoint: "POST /v1/tasks/{id}/cancel",
    method: "POST",
    path: ["/v1/tasks/", ...id, "/cancel"],
  }));

const listTasks: Endpoint = (world) =>
  fc
    .record({
      page: pageQuery,
      state: optional(
        fc.subarray(["Queued", "Running", "Succeeded", "Failed", "Cancelled"], { minLength: 1 }),
      ),
      type: optional(fc.constantFrom("CreateTenantReport", "CreateLicenseOverviewReport")),
      tenantId: optional(oneOfOr(world.tenantIds, hostileId)),
      createdFrom: optional(plausibleTimestamp),
    })
    .map(({ page, state, type, tenantId, createdFrom }) => ({
      endpoint: "GET /v1/tasks",
      method: "GET",
      path: ["/v1/tasks"],
      query: [
        ["limit", page.limit],
        ["cursor", page.cursor],
        ["state", state?.join(",")],
        ["type", type],
        ["tenantId", tenantId],
        ["createdFrom", createdFrom],
      ],
      slots: [
        ...pageSlots,
        { where: "query", name: "state", kind: "enum" },
        { where: "query", name: "type", kind: "enum" },
        { where: "query", name: "tenantId", kind: "id" },
        { where: "query", name: "createdFrom", kind: "date" },
      ],
    }));

/** A plausible fact of each collection, and the slots of its fields. */
const factOf = (world: FuzzWorld, collection: string): fc.Arbitrary<Record<string, unknown>> => {
  const tenant = fc.oneof(fc.constantFrom(...world.tenantIds), fuzzIds("t"));
  const text = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 1, arbitrary: trickyText },
    { weight: 1, arbitrary: storageHostileText },
  );
  switch (collection) {
    case "tenants":
      return fc.record({ id: fuzzIds("t"), name: text });
    case "vms":
      return fc.record({
        id: fuzzIds("vm"),
        name: text,
        tenantId: fc.option(tenant, { nil: null }),
      });
    case "protection-periods":
      return fc
        .record({
          id: fuzzIds("p"),
          vmId: fc.oneof(fc.constantFrom(...world.vmIds), fuzzIds("vm")),
          bounds: interval(plausibleTimestamp),
          open: fc.boolean(),
        })
        .map(({ bounds, open, ...rest }) => ({
          ...rest,
          start: bounds[0],
          end: open ? null : bounds[1],
        }));
    case "organizations":
      return fc.record({
        id: fuzzIds("o"),
        name: text,
        capacity: fc.nat(20),
        tenantId: fc.option(tenant, { nil: null }),
      });
    case "users":
      return fc.record({
        id: fuzzIds("u"),
        name: text,
        organizationId: fc.oneof(fc.constantFrom(...world.organizationIds), fuzzIds("o")),
      });
    default:
      return fc.record({
        id: fuzzIds("e"),
        userId: fc.oneof(fc.constantFrom(...world.userIds), fuzzIds("u")),
        kind: fc.constantFrom("assigned", "revoked"),
        at: plausibleTimestamp,
      });
  }
};

const factSlots: Readonly<Record<string, ReadonlyArray<Slot>>> = {
  tenants: [
    { where: "json", name: "id", kind: "id" },
    { where: "json", name: "name", kind: "text" },
  ],
  vms: [
    { where: "json", name: "id", kind: "id" },
    { where: "json", name: "name", kind: "text" },
    { where: "json", name: "tenantId", kind: "id" },
  ],
  "protection-periods": [
    { where: "json", name: "id", kind: "id" },
    { where: "json", name: "vmId", kind: "id" },
    { where: "json", name: "start", kind: "date", role: "start" },
    { where: "json", name: "end", kind: "date", role: "end" },
  ],
  organizations: [
    { where: "json", name: "id", kind: "id" },
    { where: "json", name: "name", kind: "text" },
    { where: "json", name: "capacity", kind: "int" },
    { where: "json", name: "tenantId", kind: "id" },
  ],
  users: [
    { where: "json", name: "id", kind: "id" },
    { where: "json", name: "name", kind: "text" },
    { where: "json", name: "organizationId", kind: "id" },
  ],
  "license-events": [
    { where: "json", name: "id", kind: "id" },
    { where: "json", name: "userId", kind: "id" },
    { where: "json", name: "kind", kind: "enum" },
    { where: "json", name: "at", kind: "date" },
  ],
};

const collections = Object.keys(factSlots);

const putFact: Endpoint = (world) =>
  fc
    .constantFrom(...collections)
    .chain((collection) =>
      fc.tuple(fc.constant(collection), factOf(world, collection), fc.boolean()),
    )
    .map(([collection, fact, idInBody]) => {
      const { id, ...rest } = fact;
      return {
        endpoint: `PUT /v1/${collection}/{id}`,
        method: "PUT",
        path: [`/v1/${collection}/`, encode(String(id))],
        content: { _tag: "Json", value: idInBody ? fact : rest } as Content,
        slots: factSlots[collection] ?? [],
      };
    });

const csvCell = (value: unknown): string => {
  const text = value === null || value === undefined ? "" : String(value);
  return /[",;\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const bulkFacts: Endpoint = (world) =>
  fc
    .constantFrom(...collections)
    .chain((collection) =>
      fc.tuple(
        fc.constant(collection),
        fc.array(factOf(world, collection), { minLength: 0, maxLength: 6 }),
        fc.boolean(),
        fc.constantFrom(",", ";"),
      ),
    )
    .map(([collection, facts, asCsv, separator]) => {
      const columns = Object.keys(facts[0] ?? { id: "" });
      const content: Content = asCsv
        ? {
            _tag: "Csv",
            text: [
              columns.join(separator),
              ...facts.map((f) => columns.map((c) => csvCell(f[c])).join(separator)),
            ].join("\r\n"),
          }
        : { _tag: "Json", value: facts };
      return {
        endpoint: `POST /v1/${collection}`,
        method: "POST",
        path: [`/v1/${collection}`],
        content,
        slots: asCsv ? [] : (factSlots[collection] ?? []),
        limit: asCsv ? world.maxCsvBodyBytes : world.maxBodyBytes,
      };
    });

const factReads: Endpoint = (world) =>
  fc.oneof<Array<fc.Arbitrary<DraftSpec>>>(
    fc
      .tuple(
        fc.constantFrom("tenants", "vms", "organizations", "users"),
        pageQuery,
        optional(oneOfOr([...world.tenantIds, ...world.organizationIds], hostileId)),
      )
      .map(
        ([collection, page, filter]): DraftSpec => ({
          endpoint: `GET /v1/${collection}`,
          method: "GET",
          path: [`/v1/${collection}`],
          query: [
            ["limit", page.limit],
            ["cursor", page.cursor],
            [
              collection === "users" ? "organizationId" : "tenantId",
              collection === "vms" || collection === "users" ? filter : undefined,
            ],
          ],
          slots: [
            ...pageSlots,
            {
              where: "query",
              name: collection === "users" ? "organizationId" : "tenantId",
              kind: "id",
            },
          ],
        }),
      ),
    fc
      .constantFrom(
        ...[
          ...world.tenantIds.map((id) => ["tenants", id] as const),
          ...world.vmIds.map((id) => ["vms", id] as const),
          ...world.organizationIds.map((id) => ["organizations", id] as const),
        ],
        ["tenants", "fz-t1"] as const,
        ["vms", "fz-vm1"] as const,
      )
      .chain(([collection, id]) =>
        fc.tuple(
          fc.constant(collection),
          fc.oneof({ weight: 3, arbitrary: fc.constant(id) }, { weight: 1, arbitrary: hostileId }),
        ),
      )
      .map(([collection, id]) => ({
        endpoint: `GET /v1/${collection}/{id}`,
        method: "GET",
        path: [`/v1/${collection}/`, encode(id)],
      })),
  );

const service: Endpoint = () =>
  fc.constantFrom("/v1/health", "/v1/ready", "/openapi.json", "/docs").map((path) => ({
    endpoint: `GET ${path}`,
    method: "GET",
    path: [path],
  }));

const unknownPath: Endpoint = () =>
  fc
    .oneof(
      fc.constantFrom(
        "/",
        "/v1",
        "/v1/",
        "/v2/reports",
        "/api/2.0",
        "/v6",
        "/v6/Reports",
        "/favicon.ico",
        "/.env",
        "/v1/reports/x/y/z",
        "/api/2.0/virtualization/reports",
      ),
      fc
        .array(anyText(10), { maxLength: 5 })
        .map((segments) => `/${segments.map(encode).join("/")}`),
    )
    .map((path) => ({ endpoint: "GET (no such endpoint)", method: "GET", path: [path] }));

const endpoints: ReadonlyArray<{ readonly weight: number; readonly endpoint: Endpoint }> = [
  { weight: 8, endpoint: vendorCreateReport },
  { weight: 4, endpoint: vendorGetTask },
  { weight: 3, endpoint: vendorListTasks },
  { weight: 3, endpoint: vendorCancelTask },
  { weight: 4, endpoint: vendorDownload },
  { weight: 4, endpoint: token },
  { weight: 4, endpoint: generateLicenseOverview },
  { weight: 8, endpoint: submitReport },
  { weight: 3, endpoint: listReports },
  { weight: 3, endpoint: getReport },
  { weight: 4, endpoint: downloadReport },
  { weight: 1, endpoint: deleteReport },
  { weight: 3, endpoint: getTask },
  { weight: 3, endpoint: listTasks },
  { weight: 2, endpoint: cancelTask },
  { weight: 6, endpoint: putFact },
  { weight: 6, endpoint: bulkFacts },
  { weight: 6, endpoint: factReads },
  { weight: 3, endpoint: service },
  { weight: 2, endpoint: unknownPath },
];

/** A plausible request to one of the endpoints, with credentials (mostly valid). */
export const plausibleDraft = (world: FuzzWorld): fc.Arbitrary<Draft> =>
  fc
    .tuple(
      fc.oneof(
        ...endpoints.map(({ weight, endpoint }) => ({ weight, arbitrary: endpoint(world) })),
      ),
      credentials(world),
    )
    .map(([spec, auth]) => makeDraft(spec, auth, world));
