/**
 * HTTP requests from a chosen loopback address (any of 127.0.0.0/8 on Linux), so that a test
 * can play several clients — an attacker and a bystander — against one real server.
 */
import { type Agent, request } from "node:http";

/** What a request got back. */
export interface HttpAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: string;
}

/** What to send, and from where. */
export interface HttpFromOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
  /** The local address the connection comes from, e.g. `127.0.0.9`. */
  readonly from: string;
  /** A keep-alive agent to reuse connections (its own `localAddress` is not needed). */
  readonly agent?: Agent;
}

/** Sends one request to `url` from `options.from` and reads the whole answer. */
export const httpFrom = (url: string, options: HttpFromOptions): Promise<HttpAnswer> =>
  new Promise((resolve, reject) => {
    const req = request(
      url,
      {
        method: options.method ?? "GET",
        headers: options.headers,
        localAddress: options.from,
        ...(options.agent === undefined ? {} : { agent: options.agent }),
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });

/** An `Authorization: Basic …` value. */
export const basicAuth = (username: string, password: string): string =>
  `Basic ${Buffer.from(`${username}:${password}`, "utf8").toString("base64")}`;
