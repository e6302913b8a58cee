/**
 * A fuzzing campaign against a running Tally: generates hostile requests from a fixed seed,
 * sends them over raw sockets with a number of connections in parallel, judges every answer
 * (`ResponseVerdict`), learns ids and tokens from the answers (`ServerMemory`), and reports a
 * status histogram and the faults, each with the bytes that were sent, so that a fault can be
 * replayed by hand. The tests (`FuzzSqlite.test.ts`, `FuzzPostgres.test.ts`) and the bench-size
 * run (`fuzz.bench.ts` of the server) share it.
 */
import fc from "fast-check";
import {
  type FuzzWorld,
  type HostileRequest,
  hostileRequest,
  type Reference,
  type Template,
} from "./HostileRequests.ts";
import { exchange, type WireRequest, type WireResponse } from "./RawHttpExchange.ts";
import { encode } from "./RequestDraft.ts";
import { judge } from "./ResponseVerdict.ts";
import { ServerMemory } from "./ServerMemory.ts";

/** How to run a campaign. */
export interface CampaignOptions {
  readonly host: string;
  readonly port: number;
  readonly world: FuzzWorld;
  readonly seed: number;
  /** Generated requests to send. */
  readonly requests: number;
  /** Connections in flight at once. */
  readonly concurrency: number;
  /** Longest wait for one answer before it counts as a hang. */
  readonly timeoutMs: number;
  /** Called every `progressEvery` requests. */
  readonly onProgress?: ((done: number, report: CampaignReport) => void) | undefined;
  readonly progressEvery?: number | undefined;
}

/** One answer that broke the oracle. */
export interface Fault {
  /** Position of the request in the campaign (0-based). */
  readonly index: number;
  readonly problem: string;
  readonly endpoint: string;
  readonly tricks: ReadonlyArray<string>;
  /** The request as sent (escaped, shortened). */
  readonly sent: string;
  /** The answer (status line, content type, start of the body). */
  readonly answer: string;
}

/** What a campaign saw. */
export interface CampaignReport {
  readonly seed: number;
  /** Requests sent, the priming token requests included. */
  sent: number;
  /** Status code or outcome (`closed`, `reset`, `timeout`, …) → count. */
  readonly statuses: Map<string, number>;
  /** Endpoint the request started from → count. */
  readonly endpoints: Map<string, number>;
  /** Endpoint → total ms its requests waited for their answers. */
  readonly endpointMs: Map<string, number>;
  atLeast500: number;
  /** Answers that broke the oracle. */
  faultCount: number;
  /** The first `keptFaults` of them, with the bytes sent. */
  readonly faults: Array<Fault>;
  /** Task id → error of tasks seen failing. */
  readonly failedTasks: Map<string, string>;
  slowestMs: number;
  elapsedMs: number;
}

/** Fills in references; in the target and the body they are percent-encoded. */
const fill = (template: Template, memory: ServerMemory, percentEncode: boolean): string =>
  template
    .map((piece: string | Reference) => {
      if (typeof piece === "string") return piece;
      const value = memory.resolve(piece);
      return percentEncode ? encode(value) : value;
    })
    .join("");

const utf8 = (text: string): Buffer => Buffer.from(text, "utf8");

const chunkedBytes = (bytes: Uint8Array): Buffer => {
  const parts: Array<Buffer> = [];
  const third = Math.max(1, Math.ceil(bytes.length / 3));
  for (let at = 0; at < bytes.length; at += third) {
    const piece = bytes.subarray(at, at + third);
    parts.push(utf8(`${piece.length.toString(16)}\r\n`), Buffer.from(piece), utf8("\r\n"));
  }
  parts.push(utf8("0\r\n\r\n"));
  return Buffer.concat(parts);
};

/** Linger before half-closing a request whose body the server will wait for in vain. */
const lingerMs = 150;

/** The bytes of a request, references filled in from `memory`. */
export const renderRequest = (request: HostileRequest, memory: ServerMemory): WireRequest => {
  const lines = [
    request.version === ""
      ? `${request.method} ${fill(request.target, memory, true)}`
      : `${request.method} ${fill(request.target, memory, true)} ${request.version}`,
  ];
  for (const line of request.headers) {
    lines.push("raw" in line ? line.raw : `${line.name}: ${fill(line.value, memory, false)}`);
  }
  const plan = request.body;
  const bytes =
    plan._tag === "Text"
      ? utf8(fill(plan.text, memory, true))
      : plan._tag === "Bytes"
        ? Buffer.from(plan.bytes)
        : undefined;
  const size = bytes?.length ?? (plan._tag === "Filler" ? plan.size : 0);
  const framing = request.framing;
  let body: WireRequest["body"] = { _tag: "Bytes", bytes: bytes ?? new Uint8Array() };
  let endAfterMs: number | undefined;
  const filler = (chunked: boolean, length: number): WireRequest["body"] =>
    plan._tag === "Filler"
      ? { _tag: "Filler", size: length, unit: utf8(plan.unit), chunked }
      : body;
  switch (framing._tag) {
    case "Length":
      if (size > 0 || !["GET", "HEAD", "OPTIONS", "TRACE"].includes(request.method)) {
        lines.push(`Content-Length: ${size}`);
      }
      body = filler(false, size);
      break;
    case "Chunked":
      lines.push("Transfer-Encoding: chunked");
      body =
        plan._tag === "Filler"
          ? filler(true, size)
          : { _tag: "Bytes", bytes: chunkedBytes(bytes ?? new Uint8Array()) };
      break;
    case "Omitted":
      body = filler(false, size);
      break;
    case "Declared":
      for (const value of framing.values) lines.push(`Content-Length: ${value}`);
      body = filler(false, size);
      endAfterMs = lingerMs;
      break;
    case "CutShort": {
      const keep = Math.floor(size * framing.keepFraction);
      lines.push(`Content-Length: ${size}`);
      body =
        plan._tag === "Filler"
          ? filler(false, keep)
          : { _tag: "Bytes", bytes: (bytes ?? new Uint8Array()).subarray(0, keep) };
      endAfterMs = lingerMs;
      break;
    }
    case "BrokenChunks":
      lines.push("Transfer-Encoding: chunked");
      body = { _tag: "Bytes", bytes: utf8(framing.raw) };
      endAfterMs = lingerMs;
      break;
  }
  return {
    head: utf8(`${lines.join("\r\n")}\r\n\r\n`),
    body,
    headOnly: request.method === "HEAD",
    endAfterMs,
  };
};

const shorten = (text: string, max: number): string =>
  text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;

/** The request as sent, for a fault report: escaped, long parts shortened. */
export const describeWire = (wire: WireRequest): string => {
  const head = Buffer.from(wire.head).toString("utf8");
  const body =
    wire.body._tag === "Bytes"
      ? Buffer.from(wire.body.bytes).toString("utf8")
      : `<${wire.body.size} bytes of ${JSON.stringify(Buffer.from(wire.body.unit).toString("utf8"))}${wire.body.chunked ? ", chunked" : ""}>`;
  return JSON.stringify(shorten(head, 2000) + shorten(body, 600));
};

const describeAnswer = (response: WireResponse): string =>
  `${response.outcome} ${response.status ?? "-"} ${response.headers.get("content-type")?.[0] ?? ""} ${JSON.stringify(shorten(response.body.toString("utf8"), 400))}`;

const count = (map: Map<string, number>, key: string): void => {
  map.set(key, (map.get(key) ?? 0) + 1);
};

const chunkSize = 500;

/** Faults kept with their bytes (the rest are counted). */
const keptFaults = 200;

/** The campaign's requests, generated lazily in chunks (seed, seed+1, …) to bound memory. */
function* requestsOf(world: FuzzWorld, seed: number, total: number): Generator<HostileRequest> {
  const arbitrary = hostileRequest(world);
  for (let chunk = 0; chunk * chunkSize < total; chunk++) {
    const numRuns = Math.min(chunkSize, total - chunk * chunkSize);
    yield* fc.sample(arbitrary, { seed: seed + chunk, numRuns });
  }
}

/** Gets tokens for every account first, so that Bearer references resolve from the start. */
const prime = async (options: CampaignOptions, memory: ServerMemory, report: CampaignReport) => {
  for (const account of options.world.accounts) {
    const body = `grant_type=password&username=${encodeURIComponent(account.username)}&password=${encodeURIComponent(account.password)}`;
    const response = await exchange(options, {
      head: utf8(
        `POST /v6/Token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
      ),
      body: { _tag: "Bytes", bytes: utf8(body) },
      headOnly: false,
    });
    report.sent++;
    if (response.status !== 200) {
      throw new Error(`priming: no token for ${account.username} (${describeAnswer(response)})`);
    }
    memory.learn(response);
  }
};

/** Runs the campaign to the end and reports what it saw. */
export const runCampaign = async (options: CampaignOptions): Promise<CampaignReport> => {
  const started = performance.now();
  const memory = new ServerMemory();
  const report: CampaignReport = {
    seed: options.seed,
    sent: 0,
    statuses: new Map(),
    endpoints: new Map(),
    endpointMs: new Map(),
    atLeast500: 0,
    faultCount: 0,
    faults: [],
    failedTasks: memory.failedTasks,
    slowestMs: 0,
    elapsedMs: 0,
  };
  await prime(options, memory, report);
  const requests = requestsOf(options.world, options.seed, options.requests);
  let next = 0;
  const every = options.progressEvery ?? 1000;
  const worker = async () => {
    for (;;) {
      const step = requests.next();
      if (step.done === true) return;
      const index = next++;
      const request = step.value;
      const wire = renderRequest(request, memory);
      const response = await exchange(options, wire);
      report.sent++;
      count(
        report.statuses,
        response.outcome === "answered" ? String(response.status) : response.outcome,
      );
      count(report.endpoints, request.endpoint);
      report.endpointMs.set(
        request.endpoint,
        (report.endpointMs.get(request.endpoint) ?? 0) + response.ms,
      );
      if ((response.status ?? 0) >= 500) report.atLeast500++;
      report.slowestMs = Math.max(report.slowestMs, response.ms);
      memory.learn(response);
      const problem = judge(request, response);
      if (problem !== undefined && report.faultCount++ < keptFaults) {
        report.faults.push({
          index,
          problem,
          endpoint: request.endpoint,
          tricks: request.tricks,
          sent: describeWire(wire),
          answer: describeAnswer(response),
        });
      }
      if (options.onProgress !== undefined && (index + 1) % every === 0) {
        report.elapsedMs = performance.now() - started;
        options.onProgress(index + 1, report);
      }
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, worker));
  report.elapsedMs = performance.now() - started;
  return report;
};

/** A few lines summing up a campaign (for logs and failure messages). */
export const summarize = (report: CampaignReport, maxFaults = 10): string => {
  const statuses = [...report.statuses.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}: ${v}`)
    .join(", ");
  const faults = report.faults
    .slice(0, maxFaults)
    .map(
      (f) =>
        `  #${f.index} ${f.endpoint} [${f.tricks.join(", ")}]: ${f.problem}\n    sent: ${f.sent}\n    got:  ${f.answer}`,
    )
    .join("\n");
  return [
    `seed ${report.seed}: ${report.sent} requests in ${(report.elapsedMs / 1000).toFixed(1)} s, slowest ${Math.round(report.slowestMs)} ms`,
    `statuses: ${statuses}`,
    `status >= 500: ${report.atLeast500}; faults: ${report.faultCount}; failed tasks seen: ${report.failedTasks.size}`,
    ...(faults === "" ? [] : [faults]),
  ].join("\n");
};
