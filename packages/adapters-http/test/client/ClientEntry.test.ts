/**
 * The typed client entry (`@tally/adapters-http/client`) carries no server: following its
 * imports through the package reaches only the API definitions — no `node:` module, no Node
 * HTTP server, none of the handlers — so it loads in a browser or any `fetch` runtime. (The
 * core it imports is checked to import no `node:` module by the core's own type-check.)
 */
import { readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const entry = fileURLToPath(new URL("../../src/client/index.ts", import.meta.url));

/** Every module specifier a source file imports or re-exports. */
const specifiersOf = (file: string): Array<string> =>
  [...readFileSync(file, "utf8").matchAll(/^(?:import|export)\b[^;]*?from\s+"([^"]+)"/gms)].map(
    (match) => match[1] as string,
  );

/** The package's files the entry reaches, and the outside modules they import. */
const reach = (start: string) => {
  const files = new Set<string>();
  const outside = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    for (const specifier of specifiersOf(file)) {
      if (specifier.startsWith(".")) visit(resolve(dirname(file), specifier));
      else outside.add(specifier);
    }
  };
  visit(start);
  return { files: [...files], outside: [...outside] };
};

describe("the client entry", () => {
  it("reaches the API definitions only: no node: module, no server code", () => {
    const { files, outside } = reach(entry);
    expect(files).toContainEqual(expect.stringMatching(/\/api\/TallyApi\.ts$/));
    expect(files.filter((f) => /\/src\/(server|protocol|problems)\/|HttpApp\.ts$/.test(f))).toEqual(
      [],
    );
    expect(outside.filter((m) => m.startsWith("node:") || m.includes("platform-node"))).toEqual([]);
    expect(outside.sort()).toEqual(["@tally/core", "effect", "effect/http", "effect/http-api"]);
  });
});
