/**
 * Small helpers for talking to a test Tally over HTTP: credentials, polling a task until it
 * finishes, reading problem details.
 */
import { expect } from "vitest";
import type { TallyFixture } from "./TallyFixture.ts";

/** Waits until the JSON task at `path` is in a final state; returns it. */
export const pollTask = async (
  tally: TallyFixture,
  path: string,
  authorization: string,
  finished: (task: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> => {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    const res = await tally.fetch(path, { headers: { authorization, accept: "application/json" } });
    expect(res.status).toBe(200);
    const task = (await res.json()) as Record<string, unknown>;
    if (finished(task)) return task;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`task at ${path} did not finish`);
};

/** Asserts a problem-details response and returns its body. */
export const expectProblem = async (
  res: Response,
  status: number,
): Promise<
  Record<string, unknown> & { errors?: Array<{ field: string; expected: string; actual: string }> }
> => {
  const text = await res.text();
  expect(res.status, text).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/^application\/problem\+json/);
  const body = JSON.parse(text) as Record<string, unknown>;
  expect(body.status).toBe(status);
  expect(typeof body.type).toBe("string");
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  return body;
};

/** The lines of a CSV body (line breaks CRLF or LF), without a trailing empty line. */
export const csvLines = (text: string): Array<string> => {
  const lines = text.split(/\r?\n/);
  if (lines[lines.length - 1] === "") lines.pop();
  return lines;
};
