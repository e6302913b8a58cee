/**
 * The PasswordHasher port with scrypt (node:crypto): a random 16-byte salt per password,
 * encoded as `scrypt$N$r$p$salt$hash` (salt and hash in base64url) so parameters can be raised
 * later without invalidating stored hashes. Verification compares in constant time.
 *
 * It lives with the storage adapters because a password is only ever kept as this hash, beside
 * the accounts: the server provisions accounts with it, the HTTP adapter verifies through the
 * port, and an embedder wires it next to its own storage.
 */
import { randomBytes, scrypt, timingSafeEqual } from "node:crypto";
import { PasswordHasher } from "@tally/core";
import { Effect, Layer } from "effect";

/** scrypt cost parameters used for new hashes (N = 2^15, r = 8, p = 1: ~32 MiB, ~50-100 ms). */
export const scryptParameters = { N: 32768, r: 8, p: 1, keyLength: 32, saltLength: 16 } as const;

const derive = (
  password: string,
  salt: Buffer,
  N: number,
  r: number,
  p: number,
  keyLength: number,
): Effect.Effect<Buffer, Error> =>
  Effect.callback<Buffer, Error>((resume) => {
    scrypt(
      password.normalize("NFC"),
      salt,
      keyLength,
      { N, r, p, maxmem: 256 * N * r },
      (error, key) => resume(error === null ? Effect.succeed(key) : Effect.fail(error)),
    );
  });

/** Hashes a password for storage: `scrypt$N$r$p$salt$hash`. */
const hashPassword = (password: string): Effect.Effect<string> =>
  Effect.suspend(() => {
    const { N, r, p, keyLength, saltLength } = scryptParameters;
    const salt = randomBytes(saltLength);
    return derive(password, salt, N, r, p, keyLength).pipe(
      Effect.map(
        (key) => `scrypt$${N}$${r}$${p}$${salt.toString("base64url")}$${key.toString("base64url")}`,
      ),
      Effect.orDie,
    );
  });

const parseEncoded = (
  encoded: string,
): { N: number; r: number; p: number; salt: Buffer; hash: Buffer } | undefined => {
  const parts = encoded.split("$");
  if (parts.length !== 6 || parts[0] !== "scrypt") return undefined;
  const [N, r, p] = [Number(parts[1]), Number(parts[2]), Number(parts[3])];
  const valid =
    Number.isSafeInteger(N) &&
    N > 1 &&
    (N & (N - 1)) === 0 &&
    N <= 2 ** 20 &&
    Number.isSafeInteger(r) &&
    r >= 1 &&
    r <= 32 &&
    Number.isSafeInteger(p) &&
    p >= 1 &&
    p <= 16;
  if (!valid) return undefined;
  const salt = Buffer.from(parts[4] ?? "", "base64url");
  const hash = Buffer.from(parts[5] ?? "", "base64url");
  if (salt.length === 0 || hash.length < 16) return undefined;
  return { N, r, p, salt, hash };
};

/** True when `password` matches the stored `scrypt$…` hash; false for any malformed hash. */
const verifyPassword = (password: string, encoded: string): Effect.Effect<boolean> =>
  Effect.suspend(() => {
    const parsed = parseEncoded(encoded);
    if (parsed === undefined) return Effect.succeed(false);
    return derive(password, parsed.salt, parsed.N, parsed.r, parsed.p, parsed.hash.length).pipe(
      Effect.map((key) => timingSafeEqual(key, parsed.hash)),
      Effect.orElseSucceed(() => false),
    );
  });

/**
 * A well-formed hash that no password is checked against successfully in practice; verifying
 * against it for unknown users keeps the response time of "no such user" and "wrong password"
 * alike.
 */
const decoyPasswordHash = `scrypt$${scryptParameters.N}$8$1$${Buffer.alloc(16).toString("base64url")}$${Buffer.alloc(32).toString("base64url")}`;

/** scrypt hashing, as the PasswordHasher port. */
export const make = (): PasswordHasher["Service"] =>
  PasswordHasher.of({
    hash: hashPassword,
    verify: (password, stored) => verifyPassword(password, stored ?? decoyPasswordHash),
  });

/** The PasswordHasher with scrypt. */
export const layer: Layer.Layer<PasswordHasher> = Layer.succeed(PasswordHasher, make());
