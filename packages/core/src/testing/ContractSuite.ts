/**
 * What the contract suites share: registering checks as vitest tests, and running a check on
 * its own to learn whether it passed (so a test can prove that a broken adapter fails it).
 */
import { describe, it } from "vitest";

/** Tuning of a contract suite. */
export interface ContractSuiteOptions {
  /** Runs of each property test (default 100); lower it for slow stores. */
  readonly numRuns?: number | undefined;
  /** Timeout of each test in ms (default 120 000). */
  readonly timeoutMs?: number | undefined;
}

/** The outcome of one check run on its own: passed, or failed with the assertion error. */
export type CheckOutcome =
  | { readonly passed: true }
  | { readonly passed: false; readonly error: unknown };

/** One check of a contract: a sentence about behaviour, and the test that shows it. */
export interface ContractCheck<MakeLayer> {
  readonly title: string;
  readonly run: (makeLayer: MakeLayer, numRuns: number) => Promise<void>;
}

/** A check run on its own, reporting pass or fail rather than throwing. */
export type StandaloneCheck<MakeLayer> = (
  makeLayer: MakeLayer,
  options?: ContractSuiteOptions,
) => Promise<CheckOutcome>;

const numRunsOf = (options: ContractSuiteOptions | undefined): number => options?.numRuns ?? 100;

/** Registers the checks as a vitest `describe` block named `name`, one test per check. */
export const registerContract = <MakeLayer>(
  name: string,
  checks: Readonly<Record<string, ContractCheck<MakeLayer>>>,
  makeLayer: MakeLayer,
  options?: ContractSuiteOptions,
): void => {
  describe(name, () => {
    for (const check of Object.values(checks)) {
      it(
        check.title,
        () => check.run(makeLayer, numRunsOf(options)),
        options?.timeoutMs ?? 120_000,
      );
    }
  });
};

/** The checks as standalone functions, by name. */
export const standaloneChecks = <MakeLayer, Name extends string>(
  checks: Readonly<Record<Name, ContractCheck<MakeLayer>>>,
): { readonly [K in Name]: StandaloneCheck<MakeLayer> } => {
  const standalone = {} as Record<Name, StandaloneCheck<MakeLayer>>;
  for (const name of Object.keys(checks) as Array<Name>) {
    const check = checks[name];
    standalone[name] = (makeLayer, options) =>
      check.run(makeLayer, numRunsOf(options)).then(
        (): CheckOutcome => ({ passed: true }),
        (error: unknown): CheckOutcome => ({ passed: false, error }),
      );
  }
  return standalone;
};
