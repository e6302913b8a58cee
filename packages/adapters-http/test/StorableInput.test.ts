/**
 * Text no backend can keep as given is refused alike on SQLite and PostgreSQL — a 400 problem
 * naming the field, what was expected and what was given — before it reaches storage; text
 * that is not in NFC is kept as given and read back unchanged on both.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { backends } from "../../adapters-storage/test/support/Backends.ts";
import {
  awaitSchemaDrops,
  requirePostgres,
} from "../../adapters-storage/test/support/TestPostgres.ts";
import { expectProblem } from "./support/Http.ts";
import { basic, startTally, type TallyFixture, users } from "./support/TallyFixture.ts";

const storable = "text with no NUL (U+0000) and no lone surrogate (U+D800–U+DFFF)";
const admin = { authorization: basic(users.admin) };
const json = { ...admin, "content-type": "application/json" };

afterAll(awaitSchemaDrops, 60_000);

describe.each(backends)("input storage cannot keep, on $name", ({ name, makeLayer }) => {
  let tally: TallyFixture;

  beforeAll(async () => {
    if (name === "PostgreSQL") await requirePostgres();
    tally = await startTally({ storage: makeLayer(), worker: false });
  }, 120_000);

  afterAll(() => tally?.close(), 60_000);

  it("refuses a NUL in a path id with a 400 on the id", async () => {
    const body = await expectProblem(
      await tally.fetch("/v1/tenants/a%00b", { headers: admin }),
      400,
    );
    expect(body.errors).toEqual([
      { field: "id", expected: storable, actual: '"a\\u0000b" (NUL (U+0000) at index 1)' },
    ]);
  });

  it("refuses the UTF-8 bytes of a surrogate in a path (no UTF-8 at all) with a 400", async () => {
    const res = await tally.fetch("/v1/tasks/%ED%A0%80", { headers: admin });
    expect((await expectProblem(res, 400)).detail).toBe(
      "the path has a malformed percent-encoding",
    );
  });

  it("refuses a NUL and a lone surrogate in a JSON body, naming each field", async () => {
    const res = await tally.fetch("/v1/tenants", {
      method: "POST",
      headers: json,
      body: JSON.stringify([
        { id: "ok", name: "nul\u0000name" },
        { id: "\udc00", name: "x" },
      ]),
    });
    const body = await expectProblem(res, 400);
    expect(body.errors).toEqual([
      {
        field: "items[0].name",
        expected: storable,
        actual: '"nul\\u0000name" (NUL (U+0000) at index 3)',
      },
      {
        field: "items[1].id",
        expected: storable,
        actual: '"\\udc00" (a lone surrogate U+DC00 at index 0)',
      },
    ]);
  });

  it("refuses a NUL in a CSV body, naming the row and column", async () => {
    const res = await tally.fetch("/v1/tenants", {
      method: "POST",
      headers: { ...admin, "content-type": "text/csv" },
      body: "id,name\r\nt-1,fine\r\nt-2,bad\u0000\r\n",
    });
    const body = await expectProblem(res, 400);
    expect(body.errors).toEqual([
      expect.objectContaining({
        expected: storable,
        actual: '"bad\\u0000" (NUL (U+0000) at index 3)',
      }),
    ]);
    expect(body.errors?.[0]?.field).toMatch(/row 3|items\[1\]/);
  });

  it("refuses an over-long name and an over-long id in a query", async () => {
    const put = await tally.fetch("/v1/tenants/long", {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ name: "é".repeat(1025) }),
    });
    expect((await expectProblem(put, 400)).errors).toEqual([
      expect.objectContaining({ field: "name", expected: "a value with a length of at most 1024" }),
    ]);
    const list = await tally.fetch(`/v1/vms?tenantId=${"x".repeat(129)}`, { headers: admin });
    expect((await expectProblem(list, 400)).errors).toEqual([
      expect.objectContaining({
        field: "tenantId",
        expected: "a value with a length of at most 128",
      }),
    ]);
  });

  it("refuses a forged cursor that carries a NUL", async () => {
    const cursor = Buffer.from(JSON.stringify(["a\u0000"]), "utf8").toString("base64url");
    const res = await tally.fetch(`/v1/tenants?cursor=${cursor}`, { headers: admin });
    expect((await expectProblem(res, 400)).errors).toEqual([
      expect.objectContaining({ field: "cursor" }),
    ]);
  });

  it("answers Basic credentials whose user name holds a NUL with a 401, like any unknown user", async () => {
    const authorization = `Basic ${Buffer.from("ad\u0000min:admin-secret").toString("base64")}`;
    const res = await tally.fetch("/v1/tenants", { headers: { authorization } });
    expect(res.status).toBe(401);
  });

  it("keeps text that is not in NFC as given and reads it back unchanged", async () => {
    const id = "Cafe\u0301-\u212B"; // e + combining acute; ANGSTROM SIGN
    const name = "A\u030Angstro\u0308m \u1100\u1161\u11A8 \uFB01";
    expect(id.normalize("NFC")).not.toBe(id);
    expect(name.normalize("NFC")).not.toBe(name);
    const put = await tally.fetch(`/v1/tenants/${encodeURIComponent(id)}`, {
      method: "PUT",
      headers: json,
      body: JSON.stringify({ name }),
    });
    expect(put.status, await put.clone().text()).toBe(200);
    const read = await tally.fetch(`/v1/tenants/${encodeURIComponent(id)}`, { headers: admin });
    expect(await read.json()).toEqual({ id, name });
    const nfc = await tally.fetch(`/v1/tenants/${encodeURIComponent(id.normalize("NFC"))}`, {
      headers: admin,
    });
    expect(nfc.status).toBe(404);
  });
});
