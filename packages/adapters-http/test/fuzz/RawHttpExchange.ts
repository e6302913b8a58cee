/**
 * One HTTP/1.1 exchange over a bare TCP socket (`node:net`), so that what a fuzzer builds goes
 * out byte for byte — repeated or lying `Content-Length`, broken chunking, raw unicode in the
 * request target, a body cut short — which `fetch` and `node:http` would refuse to send or
 * would repair. The response is read just far enough to judge it: status line, headers and the
 * body (by `Content-Length`, chunked, or until the server closes).
 */
import { connect } from "node:net";

/** The bytes to send: the head, then the body (given, or `size` bytes of a repeated filler). */
export interface WireRequest {
  /** Request line and header lines, ending with the empty line. */
  readonly head: Uint8Array;
  readonly body:
    | { readonly _tag: "Bytes"; readonly bytes: Uint8Array }
    | {
        readonly _tag: "Filler";
        readonly size: number;
        readonly unit: Uint8Array;
        /** Send it as `Transfer-Encoding: chunked` chunks (the head says so). */
        readonly chunked: boolean;
      };
  /** Whether the server sends no body (a HEAD request). */
  readonly headOnly: boolean;
  /** Half-close the connection this many ms after the last byte (for bodies cut short). */
  readonly endAfterMs?: number | undefined;
}

/** How an exchange ended. */
export type ExchangeOutcome =
  /** A complete response arrived. */
  | "answered"
  /** The server closed the connection without sending anything. */
  | "closed"
  /** The connection was reset before a complete response. */
  | "reset"
  /** Part of a response arrived, then the connection ended. */
  | "cut"
  /** Nothing complete within the time limit. */
  | "timeout";

/** What came back. */
export interface WireResponse {
  readonly outcome: ExchangeOutcome;
  readonly status: number | undefined;
  /** Header names in lower case, values in order of arrival. */
  readonly headers: ReadonlyMap<string, ReadonlyArray<string>>;
  readonly body: Buffer;
  readonly ms: number;
}

/** Where to connect and how long to wait. */
export interface ExchangeTarget {
  readonly host: string;
  readonly port: number;
  readonly timeoutMs: number;
}

interface ParsedHead {
  readonly status: number;
  readonly headers: Map<string, Array<string>>;
  readonly bodyStart: number;
}

const headEnd = Buffer.from("\r\n\r\n");

const parseHead = (buffer: Buffer): ParsedHead | undefined => {
  const end = buffer.indexOf(headEnd);
  if (end < 0) return undefined;
  const lines = buffer.subarray(0, end).toString("latin1").split("\r\n");
  const status = Number(/^HTTP\/\d\.\d (\d{3})/.exec(lines[0] ?? "")?.[1] ?? Number.NaN);
  const headers = new Map<string, Array<string>>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(":");
    if (colon <= 0) continue;
    const name = line.slice(0, colon).trim().toLowerCase();
    const values = headers.get(name) ?? [];
    values.push(line.slice(colon + 1).trim());
    headers.set(name, values);
  }
  return { status, headers, bodyStart: end + headEnd.length };
};

/** The decoded chunked body, or undefined while the last chunk has not arrived. */
const dechunk = (data: Buffer): Buffer | undefined => {
  const parts: Array<Buffer> = [];
  let at = 0;
  for (;;) {
    const lineEnd = data.indexOf("\r\n", at);
    if (lineEnd < 0) return undefined;
    const size = Number.parseInt(data.subarray(at, lineEnd).toString("latin1"), 16);
    if (!Number.isFinite(size)) return Buffer.concat(parts);
    if (size === 0) return Buffer.concat(parts);
    const start = lineEnd + 2;
    if (data.length < start + size + 2) return undefined;
    parts.push(data.subarray(start, start + size));
    at = start + size + 2;
  }
};

/** Where the body of a response ends: at a byte offset, at the last chunk, or at the close. */
const bodyEnd = (head: ParsedHead, headOnly: boolean): number | "chunked" | "close" => {
  if (headOnly || head.status === 204 || head.status === 304) return head.bodyStart;
  if (head.headers.get("transfer-encoding")?.some((v) => /chunked/i.test(v))) return "chunked";
  const length = head.headers.get("content-length")?.[0];
  return length === undefined ? "close" : head.bodyStart + Number(length);
};

const fillerChunk = 64 * 1024;

/** Sends `request` on a fresh connection and reads one response (interim 1xx skipped). */
export const exchange = (target: ExchangeTarget, request: WireRequest): Promise<WireResponse> =>
  new Promise((resolve) => {
    const started = performance.now();
    const socket = connect({ host: target.host, port: target.port });
    // Chunks are joined only when needed: joining on every chunk is quadratic in the size of
    // the answer (a task listing of thousands of tasks runs to megabytes).
    const chunks: Array<Buffer> = [];
    let size = 0;
    let tail = "";
    let head: ParsedHead | undefined;
    const received = (): Buffer => {
      if (chunks.length > 1) chunks.splice(0, chunks.length, Buffer.concat(chunks, size));
      return chunks[0] ?? Buffer.alloc(0);
    };
    let settled = false;
    const finish = (outcome: ExchangeOutcome, body: Buffer = Buffer.alloc(0)) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      const final = head ?? parseHead(received());
      resolve({
        outcome,
        status: final?.status,
        headers: final?.headers ?? new Map(),
        body,
        ms: performance.now() - started,
      });
    };
    const timer = setTimeout(() => finish("timeout"), target.timeoutMs);

    /** Drops interim (1xx) responses; the head of the final one, if it has arrived. */
    const finalHead = (): ParsedHead | undefined => {
      for (;;) {
        const buffer = received();
        const parsed = parseHead(buffer);
        if (parsed === undefined || parsed.status < 100 || parsed.status >= 200) return parsed;
        if (parsed.status === 101) return parsed;
        const rest = buffer.subarray(parsed.bodyStart);
        chunks.splice(0, chunks.length, rest);
        size = rest.length;
      }
    };

    /** The body if the answer is complete; `atEnd` once the connection has ended. */
    const completeBody = (atEnd: boolean): Buffer | undefined => {
      if (head === undefined) return undefined;
      const end = bodyEnd(head, request.headOnly);
      if (typeof end === "number") {
        return size >= end ? received().subarray(head.bodyStart, end) : undefined;
      }
      if (end === "close") return atEnd ? received().subarray(head.bodyStart) : undefined;
      return atEnd || tail === "\r\n\r\n"
        ? dechunk(received().subarray(head.bodyStart))
        : undefined;
    };

    socket.on("data", (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      tail = (tail + chunk.subarray(-4).toString("latin1")).slice(-4);
      head ??= finalHead();
      const body = completeBody(false);
      if (body !== undefined) finish("answered", body);
    });
    const ended = (error: boolean) => {
      head ??= finalHead();
      if (head === undefined) {
        finish(size === 0 ? (error ? "reset" : "closed") : "cut");
        return;
      }
      const body = completeBody(true);
      if (body !== undefined) finish("answered", body);
      else finish(error ? "reset" : "cut", received().subarray(head.bodyStart));
    };
    socket.on("end", () => ended(false));
    socket.on("error", () => ended(true));
    socket.on("close", () => ended(true));

    const writeAll = async () => {
      const write = (bytes: Uint8Array) =>
        new Promise<void>((done) => {
          if (settled || socket.destroyed) return done();
          if (socket.write(bytes)) done();
          else {
            const go = () => {
              socket.off("drain", go);
              socket.off("close", go);
              done();
            };
            socket.on("drain", go);
            socket.on("close", go);
          }
        });
      await write(request.head);
      const body = request.body;
      if (body._tag === "Bytes") {
        if (body.bytes.length !== 0) await write(body.bytes);
      } else {
        const block = Buffer.alloc(fillerChunk).fill(body.unit);
        let left = body.size;
        while (left > 0 && !settled && !socket.destroyed) {
          const piece = block.subarray(0, Math.min(left, fillerChunk));
          left -= piece.length;
          if (body.chunked) {
            await write(Buffer.from(`${piece.length.toString(16)}\r\n`, "latin1"));
            await write(piece);
            await write(Buffer.from("\r\n", "latin1"));
          } else await write(piece);
        }
        if (body.chunked) await write(Buffer.from("0\r\n\r\n", "latin1"));
      }
      if (request.endAfterMs !== undefined) {
        setTimeout(() => {
          if (!settled && !socket.destroyed) socket.end();
        }, request.endAfterMs);
      }
    };
    socket.once("connect", () => {
      void writeAll();
    });
  });
