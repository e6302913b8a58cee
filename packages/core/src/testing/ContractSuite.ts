/**
 * What the contract suites share: registering checks as vitest tests, and running a check on
 * its own to learn whether it passed (so a test can prove that a broken adapter fails it).
 */
import { describe, it } from "vitest";

/** Tuning of a contract suite. */
export interface ContractSuiteOptions {
  /** Runs of each property test (default 100); lower it for slow stores. */
  readonly numRuns?: number | undefined;
  /**
   * fast-check's seed for every property test: the same seed and store give the same runs, so
   * a failure can be replayed (fast-check prints the seed of a failing run). Default: random.
   */
  readonly seed?: number | undefined;
  /** Timeout of each test in ms (default 120 000). */
  readonly timeoutMs?: number | undefined;
}

/** How a check runs its property tests: fast-check's `numRuns` and `seed`. */
export interface PropertyRuns {
  readonly numRuns: number;
  readonly seed?: number;
}

/** The outcome of one check run on its own: passed, or failed with the assertion error. */
export type CheckOutcome =
  | { readonly passed: true }
  | { readonly passed: false; readonly error: unknown };

/** One check of a contract: a sentence about behaviour, and the test that shows it. */
export interface ContractCheck<MakeLayer> {
  readonly title: string;
  readonly run: (makeLayer: MakeLayer, runs: PropertyRuns) => Promise<void>;
}

/**
 * A check that first runs a fixed case — an input random generation reaches only now and then
 * (see `KnownCases`) — and then the property, so the bug class it guards fails on every run.
 */
export const fixedCaseFirst =
  <MakeLayer>(
    fixedCase: (makeLayer: MakeLayer) => Promise<void>,
    property: ContractCheck<MakeLayer>["run"],
  ): ContractCheck<MakeLayer>["run"] =>
  async (makeLayer, runs) => {
    await fixedCase(makeLayer);
    await property(makeLayer, runs);
  };

/** A check run on its own, reporting pass or fail rather than throwing. */
export type StandaloneCheck<MakeLayer> = (
  makeLayer: MakeLayer,
  options?: ContractSuiteOptions,
) => Promise<CheckOutcome>;

const runsOf = (options: ContractSuiteOptions | undefined): PropertyRuns => {
  const numRuns = options?.numRuns ?? 100;
  return options?.seed === undefined ? { numRuns } : { numRuns, seed: options.seed };
};

/** Registers the checks as a vitest `describe` block named `name`, one test per check. */
export const registerContract = <MakeLayer>(
  name: string,
  checks: Readonly<Record<string, ContractCheck<MakeLayer>>>,
  makeLayer: MakeLayer,
  options?: ContractSuiteOptions,
): void => {
  describe(name, () => {
    for (const check of Object.values(checks)) {
      it(check.title, () => check.run(makeLayer, runsOf(options)), options?.timeoutMs ?? 120_000);
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
      check.run(makeLayer, runsOf(options)).then(
        (): CheckOutcome => ({ passed: true }),
        (error: unknown): CheckOutcome => ({ passed: false, error }),
      );
  }
  return standalone;
};
