import { Effect } from "effect";
import { describe, expect, it } from "vitest";
import { ScryptPasswordHasher } from "../../src/index.ts";

const { hash: hashPassword, verify: verifyPassword } = ScryptPasswordHasher.make();

describe("scrypt password hashing", () => {
  it("encodes scrypt$N$r$p$salt$hash with a fresh salt each time", async () => {
    const [a, b] = await Effect.runPromise(
      Effect.all([hashPassword("s3cret"), hashPassword("s3cret")]),
    );
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a).not.toBe(b);
  });

  it("verifies the right password and refuses a wrong one", async () => {
    const hash = await Effect.runPromise(hashPassword("pässwörd"));
    expect(await Effect.runPromise(verifyPassword("pässwörd", hash))).toBe(true);
    expect(await Effect.runPromise(verifyPassword("passwörd", hash))).toBe(false);
    expect(await Effect.runPromise(verifyPassword("", hash))).toBe(false);
  });

  it("refuses every password when there is no stored hash, after a check just as long", async () => {
    expect(await Effect.runPromise(verifyPassword("", undefined))).toBe(false);
    expect(await Effect.runPromise(verifyPassword("anything", undefined))).toBe(false);
  });

  it("refuses every password against a malformed hash instead of failing", async () => {
    for (const hash of [
      "",
      "plain",
      "scrypt$1$8$1$c2FsdA$aGFzaA",
      "scrypt$16384$8$1$$",
      "bcrypt$2$x$y$z$w",
      "scrypt$3$8$1$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA",
    ]) {
      expect(await Effect.runPromise(verifyPassword("x", hash))).toBe(false);
    }
  });
});
