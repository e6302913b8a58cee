/**
 * Reading query parameters strictly: a parameter given twice, an unknown value or a number out
 * of range is a 400 naming the parameter, what was expected and what was given.
 */
import { Effect } from "effect";
import { describeActual, fieldProblem, type HttpProblem } from "../problems/HttpProblem.ts";

/** The single value of a query parameter (undefined if absent; 400 if given more than once). */
export const singleQuery = (
  url: URL,
  name: string,
): Effect.Effect<string | undefined, HttpProblem> => {
  const values = url.searchParams.getAll(name);
  if (values.length > 1) {
    return Effect.fail(fieldProblem(name, "at most one value", `${values.length} values`));
  }
  return Effect.succeed(values[0]);
};

/** A page size: an integer 1..max, `fallback` when absent. */
export const limitQuery = (
  url: URL,
  fallback: number,
  max: number,
): Effect.Effect<number, HttpProblem> =>
  Effect.flatMap(singleQuery(url, "limit"), (text) => {
    if (text === undefined) return Effect.succeed(Math.min(fallback, max));
    const n = Number(text);
    return /^\d+$/.test(text) && n >= 1 && n <= max
      ? Effect.succeed(n)
      : Effect.fail(fieldProblem("limit", `an integer from 1 to ${max}`, describeActual(text)));
  });

/**
 * Values from a fixed set, given as repeated parameters and/or comma-separated lists
 * (`state=Queued&state=Running` or `state=Queued,Running`); undefined when absent.
 */
export const enumListQuery = <const A extends string>(
  url: URL,
  name: string,
  allowed: ReadonlyArray<A>,
): Effect.Effect<ReadonlyArray<A> | undefined, HttpProblem> => {
  const given = url.searchParams
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  if (given.length === 0) return Effect.succeed(undefined);
  const unknown = given.find((v) => !(allowed as ReadonlyArray<string>).includes(v));
  if (unknown !== undefined) {
    return Effect.fail(
      fieldProblem(name, `one or more of ${allowed.join(", ")}`, describeActual(unknown)),
    );
  }
  return Effect.succeed([...new Set(given)] as Array<A>);
};

/** One value from a fixed set; undefined when absent. */
export const enumQuery = <const A extends string>(
  url: URL,
  name: string,
  allowed: ReadonlyArray<A>,
): Effect.Effect<A | undefined, HttpProblem> =>
  Effect.flatMap(singleQuery(url, name), (text) => {
    if (text === undefined) return Effect.succeed(undefined);
    return (allowed as ReadonlyArray<string>).includes(text)
      ? Effect.succeed(text as A)
      : Effect.fail(fieldProblem(name, `one of ${allowed.join(", ")}`, describeActual(text)));
  });
