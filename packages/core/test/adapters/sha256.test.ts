import { createHash } from "node:crypto";
import * as fc from "fast-check";
import { describe, expect, it } from "vitest";
import { Sha256 } from "../../src/adapters/Sha256.ts";

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);
const nodeHex = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

describe("Sha256", () => {
  it("gives the FIPS 180-4 / NIST example digests", () => {
    expect(Sha256.hex(utf8(""))).toBe(
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
    );
    expect(Sha256.hex(utf8("abc"))).toBe(
      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
    );
    expect(Sha256.hex(utf8("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"))).toBe(
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
    );
    expect(
      Sha256.hex(
        utf8(
          "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu",
        ),
      ),
    ).toBe("cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  });

  it("hashes a million 'a's fed in uneven chunks", () => {
    const hasher = new Sha256();
    const chunk = utf8("a".repeat(997));
    let fed = 0;
    while (fed + chunk.length <= 1_000_000) {
      hasher.update(chunk);
      fed += chunk.length;
    }
    hasher.update(chunk.subarray(0, 1_000_000 - fed));
    expect(hasher.hexDigest()).toBe(
      "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0",
    );
  });

  it("agrees with node:crypto around the padding boundaries (55, 56, 63, 64, 65 bytes …)", () => {
    for (const length of [1, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
      expect(Sha256.hex(bytes), `${length} bytes`).toBe(nodeHex(bytes));
    }
  });

  it("agrees with node:crypto on random content split into random chunks", () => {
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 200 }), { maxLength: 20 }), (chunks) => {
        const hasher = new Sha256();
        const node = createHash("sha256");
        for (const chunk of chunks) {
          hasher.update(chunk);
          node.update(chunk);
        }
        expect(hasher.hexDigest()).toBe(node.digest("hex"));
      }),
      { numRuns: 300 },
    );
  });

  it("returns the raw 32-byte digest", () => {
    const bytes = utf8("Tally");
    expect(new Sha256().update(bytes).digest()).toEqual(
      new Uint8Array(createHash("sha256").update(bytes).digest()),
    );
  });

  it("refuses to be used after the digest was taken", () => {
    const hasher = new Sha256().update(utf8("x"));
    hasher.hexDigest();
    expect(() => hasher.update(utf8("y"))).toThrow("Sha256.update: the digest was already taken");
    expect(() => hasher.digest()).toThrow("Sha256.digest: the digest was already taken");
  });
});
