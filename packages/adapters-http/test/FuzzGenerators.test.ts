/**
 * The fuzzer's generators reach storage with what storage refuses or could disagree on: a
 * sample of the campaign's requests, rendered to the bytes sent, carries NUL, lone surrogates,
 * text not in NFC and over-long text in path ids, query parameters, JSON and CSV bodies and
 * headers. A campaign whose generator could not produce them would prove nothing about them.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderRequest } from "./fuzz/FuzzCampaign.ts";
import { type FuzzWorld, type HostileRequest, hostileRequest } from "./fuzz/HostileRequests.ts";
import { ServerMemory } from "./fuzz/ServerMemory.ts";

const world: FuzzWorld = {
  accounts: [{ username: "admin", password: "admin-secret" }],
  tenantIds: ["A", "B"],
  vmIds: ["vm-a1"],
  organizationIds: ["org-a"],
  userIds: ["u-a1"],
  maxBodyBytes: 64 * 1024,
  maxCsvBodyBytes: 128 * 1024,
  streamedHugeBodies: 0,
};

/** One sent request: its target, its header lines and its body, as text. */
interface Sent {
  readonly request: HostileRequest;
  readonly target: string;
  readonly headers: string;
  readonly body: string;
  readonly isCsv: boolean;
}

const sent: ReadonlyArray<Sent> = fc
  .sample(hostileRequest(world), { seed: 20_261_123, numRuns: 3_000 })
  .map((request) => {
    const wire = renderRequest(request, new ServerMemory());
    const [requestLine = "", ...headerLines] = Buffer.from(wire.head)
      .toString("latin1")
      .split("\r\n");
    const body = wire.body._tag === "Bytes" ? Buffer.from(wire.body.bytes).toString("utf8") : "";
    return {
      request,
      target: requestLine.split(" ")[1] ?? "",
      headers: headerLines.join("\n"),
      body,
      isCsv: /content-type: text\/csv/i.test(headerLines.join("\n")),
    };
  });

/** How many sent requests match. */
const count = (matches: (s: Sent) => boolean): number => sent.filter(matches).length;

/** The path of a target (no query) and its query. */
const pathOf = (s: Sent) => s.target.split("?")[0] ?? "";
const queryOf = (s: Sent) => s.target.split("?")[1] ?? "";

/** A Basic user name, decoded. */
const basicUsername = (s: Sent): string | undefined => {
  const basic = /^authorization: basic (\S+)$/im.exec(s.headers)?.[1];
  return basic === undefined
    ? undefined
    : Buffer.from(basic, "base64").toString("utf8").split(":")[0];
};

describe("the fuzzer's string generators", () => {
  it("put NUL, raw bytes of a surrogate and non-NFC text into path ids", () => {
    const idPaths = sent.filter((s) => /\{\w+\}/.test(s.request.endpoint)).map(pathOf);
    expect(idPaths.filter((p) => p.includes("%00")).length).toBeGreaterThan(2);
    expect(idPaths.filter((p) => /%ED%[AB]/i.test(p)).length).toBeGreaterThan(2);
    expect(idPaths.filter((p) => /%CC%8[18]|%E2%84%AB/i.test(p)).length).toBeGreaterThan(2);
    expect(idPaths.filter((p) => p.length > 129 * 3).length).toBeGreaterThan(2);
  });

  it("put NUL, raw bytes of a surrogate, non-NFC and over-long text into query parameters", () => {
    expect(count((s) => queryOf(s).includes("%00"))).toBeGreaterThan(2);
    expect(count((s) => /%ED%[AB]/i.test(queryOf(s)))).toBeGreaterThan(2);
    expect(count((s) => /%CC%8[18]|%E2%84%AB/i.test(queryOf(s)))).toBeGreaterThan(2);
    expect(count((s) => queryOf(s).length > 1_000)).toBeGreaterThan(2);
  });

  it("put NUL, lone surrogates, non-NFC and over-long text into JSON bodies", () => {
    const json = sent.filter((s) => !s.isCsv && /^[[{]/.test(s.body));
    expect(json.filter((s) => s.body.includes("\\u0000")).length).toBeGreaterThan(2);
    expect(json.filter((s) => /\\ud[89ab]/i.test(s.body)).length).toBeGreaterThan(2);
    expect(json.filter((s) => /\\udc|\\udd|\\ude|\\udf/i.test(s.body)).length).toBeGreaterThan(2);
    expect(json.filter((s) => /e\u0301|\u212B|\u1100\u1161/.test(s.body)).length).toBeGreaterThan(
      5,
    );
    expect(json.filter((s) => /"[^"]{1025,}"/.test(s.body)).length).toBeGreaterThan(2);
  });

  it("put NUL, non-NFC and over-long text into CSV bodies", () => {
    const csv = sent.filter((s) => s.isCsv);
    expect(csv.filter((s) => s.body.includes("\u0000")).length).toBeGreaterThan(2);
    expect(csv.filter((s) => /e\u0301|\u212B|\u1100\u1161/.test(s.body)).length).toBeGreaterThan(2);
    expect(csv.filter((s) => /[^,;\r\n]{1025,}/.test(s.body)).length).toBeGreaterThan(2);
  });

  it("put NUL, lone surrogates (as U+FFFD once UTF-8) and over-long user names into Basic credentials, and unstorable idempotency keys into headers", () => {
    const usernames = sent.map(basicUsername).filter((u) => u !== undefined);
    expect(usernames.filter((u) => u.includes("\u0000")).length).toBeGreaterThan(2);
    expect(usernames.filter((u) => u.includes("\uFFFD")).length).toBeGreaterThan(2);
    expect(usernames.filter((u) => u.length > 128).length).toBeGreaterThan(2);
    const keys = sent.flatMap((s) => /^idempotency-key: (.*)$/im.exec(s.headers)?.[1] ?? []);
    expect(keys.filter((k) => k.includes("\u0000")).length).toBeGreaterThan(2);
  });
});
