/**
 * What a fuzzer learns from the server's answers and feeds back into later requests: ids of
 * tasks and reports, access tokens per user, unused refresh tokens — so that generated requests
 * reach real resources, not only 404s — and the tasks seen failing (a report that could not be
 * made from hostile data is worth knowing about even when every HTTP answer was fine).
 */
import type { Reference } from "./HostileRequests.ts";
import type { WireResponse } from "./RawHttpExchange.ts";

const kept = 500;

const remember = (list: Array<string>, value: unknown): void => {
  if (typeof value !== "string" || value === "" || list.includes(value)) return;
  list.push(value);
  if (list.length > kept) list.shift();
};

const taskTypes = new Set(["CreateTenantReport", "CreateLicenseOverviewReport"]);

/** Ids, tokens and failures seen so far. */
export class ServerMemory {
  readonly tasks: Array<string> = [];
  readonly reports: Array<string> = [];
  readonly refreshTokens: Array<string> = [];
  readonly accessTokens = new Map<string, Array<string>>();
  /** Task id → its error, for every task seen in the Failed state. */
  readonly failedTasks = new Map<string, string>();

  /** The value a reference stands for now (a refresh token is mostly used up). */
  resolve(reference: Reference): string {
    switch (reference.ref) {
      case "task":
        return this.tasks[reference.pick % Math.max(1, this.tasks.length)] ?? "no-task-seen";
      case "report":
        return this.reports[reference.pick % Math.max(1, this.reports.length)] ?? "no-report-seen";
      case "refreshToken": {
        if (this.refreshTokens.length === 0) return "no-refresh-token-seen";
        const index = reference.pick % this.refreshTokens.length;
        // Mostly used up; one in four is sent again (a refresh token is single-use).
        return reference.pick % 4 === 0
          ? (this.refreshTokens[index] as string)
          : (this.refreshTokens.splice(index, 1)[0] as string);
      }
      case "accessToken": {
        const tokens = this.accessTokens.get(reference.username) ?? [];
        return tokens[reference.pick % Math.max(1, tokens.length)] ?? "no-access-token-seen";
      }
    }
  }

  /** Takes note of the ids and tokens in a response. */
  learn(response: WireResponse): void {
    for (const name of ["location", "content-location"]) {
      for (const value of response.headers.get(name) ?? []) {
        const match = /\/tasks\/([^/?#]+)$/.exec(value);
        if (match?.[1] !== undefined) remember(this.tasks, safeDecode(match[1]));
      }
    }
    for (const value of response.headers.get("x-tally-task-id") ?? []) remember(this.tasks, value);
    for (const value of response.headers.get("x-tally-report-id") ?? [])
      remember(this.reports, value);
    const contentType = response.headers.get("content-type")?.[0] ?? "";
    if (response.body.length === 0 || response.body.length > 4_000_000) return;
    if (/json/i.test(contentType)) {
      try {
        this.learnJson(JSON.parse(response.body.toString("utf8")), 0);
      } catch {
        // Not JSON after all: the judge reports that where it matters.
      }
    } else if (/xml/i.test(contentType)) this.learnXml(response.body.toString("utf8"));
  }

  private learnJson(value: unknown, depth: number): void {
    if (depth > 4 || value === null || typeof value !== "object") return;
    if (Array.isArray(value)) {
      for (const item of value.slice(0, 200)) this.learnJson(item, depth + 1);
      return;
    }
    const o = value as Record<string, unknown>;
    if (typeof o.access_token === "string" && typeof o.username === "string") {
      const tokens = this.accessTokens.get(o.username) ?? [];
      remember(tokens, o.access_token);
      if (tokens.length > 5) tokens.shift();
      this.accessTokens.set(o.username, tokens);
    }
    remember(this.refreshTokens, o.refresh_token);
    const isTask = typeof o.type === "string" && taskTypes.has(o.type) && "state" in o;
    if (isTask) {
      remember(this.tasks, o.id);
      remember(this.reports, o.reportId);
      if (typeof o.result === "string" && o.state === "Completed") remember(this.reports, o.result);
      if (o.state === "Failed" && typeof o.id === "string") {
        this.failedTasks.set(o.id, JSON.stringify(o.error ?? null));
      }
    }
    if (typeof o.sha256 === "string") remember(this.reports, o.id);
    if (Array.isArray(o.items)) this.learnJson(o.items, depth + 1);
  }

  private learnXml(text: string): void {
    for (const match of text.matchAll(/<task id="([^"]+)"[^>]*>([\s\S]*?)<\/task>/g)) {
      const [, id, inner = ""] = match;
      remember(this.tasks, id);
      if (id !== undefined && inner.includes("<state>Failed</state>")) {
        this.failedTasks.set(id, /<error>([\s\S]*?)<\/error>/.exec(inner)?.[1] ?? "?");
      }
    }
    for (const match of text.matchAll(/<result>([^<]+)<\/result>/g)) {
      remember(this.reports, match[1]);
    }
  }
}

const safeDecode = (text: string): string => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};
