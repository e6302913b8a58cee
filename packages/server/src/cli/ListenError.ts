/**
 * `tally serve` could not listen on its address (a busy port, a host that is not this
 * machine's, a port that needs privileges): which address, why, and which setting to change —
 * instead of the HTTP server's bare `ServeError: listen EADDRINUSE`. Exit code 1.
 */
import { Schema } from "effect";

/** What a listen failure's code means, and the setting that fixes it. */
const reasons: Readonly<Record<string, { readonly why: string; readonly fix: string }>> = {
  EADDRINUSE: {
    why: "the port is already in use",
    fix: 'set TALLY_PORT (or "port" in the configuration file) to a free port, or 0 for any free port',
  },
  EACCES: {
    why: "permission denied (ports below 1024 need privileges)",
    fix: 'set TALLY_PORT (or "port" in the configuration file) to a port from 1024 up, or 0 for any free port',
  },
  EADDRNOTAVAIL: {
    why: "the address is not one of this machine's",
    fix: 'set TALLY_HOST (or "host" in the configuration file) to an address of this machine, such as 127.0.0.1',
  },
};

/** The HTTP server could not listen on `host:port`. */
export class ListenError extends Schema.TaggedError<ListenError>()("ListenError", {
  host: Schema.String,
  port: Schema.Number,
  code: Schema.String,
  detail: Schema.String,
}) {
  /** The error of a failed listen, read from the server's cause (a Node system error). */
  static fromCause(host: string, port: number, cause: unknown): ListenError {
    const code = (cause as { code?: unknown } | undefined)?.code;
    return new ListenError({
      host,
      port,
      code: typeof code === "string" ? code : "unknown",
      detail: cause instanceof Error ? cause.message : String(cause),
    });
  }

  override get message(): string {
    const address = `${this.host.includes(":") ? `[${this.host}]` : this.host}:${this.port}`;
    const reason = reasons[this.code];
    return reason === undefined
      ? `cannot listen on ${address} (${this.detail}); check TALLY_HOST and TALLY_PORT`
      : `cannot listen on ${address}: ${reason.why} (${this.code}); ${reason.fix}`;
  }
}
