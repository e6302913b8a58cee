/**
 * The command `tally demo-report` prints last works as pasted where it was run: from the
 * workspace's sources it is the README's `npx -y pnpm@12.21.0 tally serve` at the workspace's
 * root (with a `cd` there when the demo ran elsewhere), and the database path is relative only
 * when it lies below where the command runs. The README's test runs the workspace form.
 */
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { serveCommandHint } from "../src/cli/ServeCommandHint.ts";

const root = resolve(fileURLToPath(new URL("../../../", import.meta.url)));

describe("the serve command the demo prints", () => {
  it("is the README's form, with the database relative to the workspace's root", () => {
    expect(serveCommandHint(join(root, ".tally", "demo.sqlite"), root)).toBe(
      "TALLY_STORAGE=.tally/demo.sqlite npx -y pnpm@12.21.0 tally serve",
    );
  });

  it("changes to the workspace's root first, with the database's whole path quoted, from elsewhere", () => {
    expect(serveCommandHint("/tmp/demo it's/demo.sqlite", "/tmp")).toBe(
      `cd ${root} && TALLY_STORAGE='/tmp/demo it'\\''s/demo.sqlite' npx -y pnpm@12.21.0 tally serve`,
    );
  });
});
