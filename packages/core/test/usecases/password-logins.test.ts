import { Effect, Layer } from "effect";
import { describe, expect, it } from "vitest";
import {
  AccountStore,
  InMemory,
  ManualClock,
  makePasswordLogins,
  PasswordHasher,
  type PasswordLoginOptions,
} from "../../src/index.ts";

const t0 = Date.UTC(2026, 0, 1);

const options: PasswordLoginOptions = {
  perUser: { freeFailures: 3, firstDelayMs: 1_000, maxDelayMs: 8_000, forgetAfterMs: 60_000 },
  perAddress: { freeFailures: 6, firstDelayMs: 1_000, maxDelayMs: 8_000, forgetAfterMs: 60_000 },
  concurrentChecks: 2,
  maxRecords: 50,
};

/**
 * A world with accounts `alice` and `bob` (password: their name) and a hasher that counts its
 * checks, and how many ran at once: `hash:<password>` is the stored form.
 */
const world = (onVerify: () => void = () => {}) => {
  const clock = ManualClock.make(t0);
  const counts = { checks: 0, running: 0, mostAtOnce: 0 };
  const hasher = PasswordHasher.of({
    hash: (password) => Effect.succeed(`hash:${password}`),
    verify: (password, stored) =>
      Effect.gen(function* () {
        counts.checks++;
        onVerify();
        counts.running++;
        counts.mostAtOnce = Math.max(counts.mostAtOnce, counts.running);
        yield* Effect.sleep("3 millis");
        counts.running--;
        return stored === `hash:${password}`;
      }),
  });
  const layer = Layer.mergeAll(InMemory.layer, clock.layer, Layer.succeed(PasswordHasher, hasher));
  const run = <A, E>(effect: Effect.Effect<A, E, AccountStore | PasswordHasher | ManualClockR>) =>
    Effect.runPromise(
      Effect.gen(function* () {
        const accounts = yield* AccountStore;
        for (const name of ["alice", "bob"]) {
          yield* accounts.upsertAccount({
            username: name,
            passwordHash: `hash:${name}`,
            role: "Administrator",
            tenantId: null,
          });
        }
        return yield* effect;
      }).pipe(Effect.provide(layer)),
    );
  return { clock, counts, run };
};
type ManualClockR = Layer.Success<ManualClock.ManualClock["layer"]>;

describe("throttled password logins", () => {
  it("accepts the right password and refuses a wrong one or an unknown user", async () => {
    const { run } = world();
    const logins = makePasswordLogins(options);
    const outcomes = await run(
      Effect.all([
        logins.attempt("alice", "alice", "10.0.0.1"),
        logins.attempt("alice", "bob", "10.0.0.1"),
        logins.attempt("nobody", "x", "10.0.0.1"),
      ]),
    );
    expect(outcomes.map((o) => o._tag)).toEqual(["Accepted", "Refused", "Refused"]);
  });

  it("after the free failures a user name backs off: no check, even of the right password, until its time", async () => {
    const { run, clock, counts } = world();
    const logins = makePasswordLogins(options);
    await run(
      Effect.gen(function* () {
        for (let i = 0; i < 4; i++) {
          expect((yield* logins.attempt("alice", `wrong${i}`, `10.0.0.${i}`))._tag).toBe("Refused");
        }
        const checks = counts.checks;
        const throttled = yield* logins.attempt("alice", "alice", "10.0.0.9");
        expect(throttled).toEqual({ _tag: "Throttled", retryAt: t0 + 1_000 });
        expect(yield* logins.throttledUntil("alice", undefined)).toBe(t0 + 1_000);
        expect(counts.checks).toBe(checks);
        // Another user is not affected.
        expect((yield* logins.attempt("bob", "bob", "10.0.0.9"))._tag).toBe("Accepted");
        yield* clock.advance(1_000);
        expect((yield* logins.attempt("alice", "alice", "10.0.0.9"))._tag).toBe("Accepted");
        // The right password changed nothing: the next wrong one backs off again, for twice
        // as long (a login does not give a guesser fresh free failures).
        expect((yield* logins.attempt("alice", "wrong", "10.0.0.9"))._tag).toBe("Refused");
        expect(yield* logins.throttledUntil("alice", "10.0.0.9")).toBe(t0 + 1_000 + 2_000);
      }),
    );
  });

  it("an address backs off across user names; other addresses are not affected", async () => {
    const { run } = world();
    const logins = makePasswordLogins(options);
    await run(
      Effect.gen(function* () {
        for (let i = 0; i < 7; i++) yield* logins.attempt(`user${i}`, "guess", "10.0.0.66");
        expect((yield* logins.attempt("bob", "bob", "10.0.0.66"))._tag).toBe("Throttled");
        expect((yield* logins.attempt("bob", "bob", "10.0.0.7"))._tag).toBe("Accepted");
        expect((yield* logins.attempt("bob", "bob", undefined))._tag).toBe("Accepted");
      }),
    );
  });

  it("a burst of concurrent wrong attempts gets only the checks before the back-off; at most two run at once", async () => {
    const { run, counts } = world();
    const logins = makePasswordLogins(options);
    const outcomes = await run(
      Effect.all(
        Array.from({ length: 40 }, (_, i) => logins.attempt("alice", `guess${i}`, `10.1.0.${i}`)),
        { concurrency: "unbounded" },
      ),
    );
    const tags = outcomes.map((o) => o._tag);
    // Three free failures and the one that starts the back-off.
    expect(tags.filter((t) => t === "Refused")).toHaveLength(4);
    expect(tags.filter((t) => t === "Throttled")).toHaveLength(36);
    expect(counts.checks).toBe(4);

    const many = makePasswordLogins(options);
    await run(
      Effect.all(
        Array.from({ length: 12 }, (_, i) => many.attempt(`user${i}`, "guess", `10.2.0.${i}`)),
        { concurrency: "unbounded" },
      ),
    );
    expect(counts.mostAtOnce).toBe(2);
  });

  it("keeps a bounded number of records whatever names and addresses are tried", async () => {
    const { run } = world();
    const logins = makePasswordLogins({ ...options, concurrentChecks: 50 });
    await run(
      Effect.all(
        Array.from({ length: 400 }, (_, i) => logins.attempt(`made-up-${i}`, "x", `10.3.${i}`)),
        { concurrency: 50 },
      ),
    );
    expect(logins.recordCount()).toBe(2 * options.maxRecords);
  });

  it("a name and an address both backing off: the later of the two times applies", async () => {
    const { run } = world();
    // Addresses back off for longer than names here.
    const logins = makePasswordLogins({
      ...options,
      perAddress: { ...options.perAddress, firstDelayMs: 5_000 },
    });
    await run(
      Effect.gen(function* () {
        // alice: 4 failures, from several addresses; 10.0.0.66: 7 failures, of several names.
        for (let i = 0; i < 4; i++) yield* logins.attempt("alice", "guess", `10.0.1.${i}`);
        for (let i = 0; i < 7; i++) yield* logins.attempt(`user${i}`, "guess", "10.0.0.66");
        expect(yield* logins.throttledUntil("alice", undefined)).toBe(t0 + 1_000);
        expect(yield* logins.throttledUntil("bob", "10.0.0.66")).toBe(t0 + 5_000);
        expect(yield* logins.throttledUntil("alice", "10.0.0.66")).toBe(t0 + 5_000);
        expect(yield* logins.throttledUntil("alice", "10.0.0.67")).toBe(t0 + 1_000);
      }),
    );
  });

  it("right passwords never back off their address, however many", async () => {
    const { run } = world();
    const logins = makePasswordLogins(options);
    await run(
      Effect.gen(function* () {
        for (let i = 0; i < 12; i++) {
          expect((yield* logins.attempt("bob", "bob", "10.0.0.5"))._tag).toBe("Accepted");
        }
        expect(yield* logins.throttledUntil("carol", "10.0.0.5")).toBeUndefined();
      }),
    );
  });

  it("a user name longer than any account's is throttled by its first 128 characters", async () => {
    const { run } = world();
    const logins = makePasswordLogins(options);
    const long = (tail: string) => `${"x".repeat(128)}${tail}`;
    await run(
      Effect.gen(function* () {
        for (let i = 0; i < 4; i++) yield* logins.attempt(long("a"), "guess", `10.0.3.${i}`);
        expect(yield* logins.throttledUntil(long("b"), undefined)).toBe(t0 + 1_000);
        expect(yield* logins.attempt(long("c"), "guess", "10.0.3.9")).toEqual({
          _tag: "Throttled",
          retryAt: t0 + 1_000,
        });
      }),
    );
  });

  it("keeps the most recently failed records when it must forget some", async () => {
    const { run } = world();
    const logins = makePasswordLogins({ ...options, maxRecords: 2 });
    await run(
      Effect.gen(function* () {
        const fail = (name: string) => logins.attempt(name, "guess", undefined);
        yield* fail("alice");
        yield* fail("bob");
        yield* fail("alice"); // alice is now the most recently failed
        yield* fail("carol"); // one record too many: bob, the least recently failed, goes
        expect(logins.recordCount()).toBe(2);
        yield* fail("alice");
        yield* fail("alice");
        // alice's four failures are all remembered: she backs off; bob starts afresh.
        expect(yield* logins.throttledUntil("alice", undefined)).toBe(t0 + 1_000);
        yield* fail("bob");
        yield* fail("bob");
        yield* fail("bob");
        expect(yield* logins.throttledUntil("bob", undefined)).toBeUndefined();
      }),
    );
  });

  it("holds an attempt being checked as a record of its name and address until it is settled", async () => {
    const during: Array<number> = [];
    const logins = makePasswordLogins(options);
    const { run } = world(() => during.push(logins.recordCount()));
    await run(logins.attempt("alice", "alice", "10.0.0.1"));
    await run(logins.attempt("alice", "wrong", "10.0.0.1"));
    // While checked: the two pending entries; after a failure: the name's and the address's.
    expect(during).toEqual([2, 2]);
    expect(logins.recordCount()).toBe(2);
    await run(logins.attempt("bob", "bob", undefined));
    expect(during.at(-1)).toBe(3);
    expect(logins.recordCount()).toBe(2);
  });
});
