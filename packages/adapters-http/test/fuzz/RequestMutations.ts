/**
 * The mutations that spoil a plausible request, each an arbitrary weighted by how deep it lets
 * the request reach: field-level ones (wrong types, malformed dates and zones, dropped and
 * unknown fields, reversed intervals) get past the parser to the handlers; body-level ones
 * (malformed or binary JSON, huge, cut-short, wrongly typed or framed bodies, broken CSV and
 * forms) test the body readers; head-level ones (methods, path tricks, repeated query
 * parameters and headers, bad credentials, `Range`, `Accept`, `Idempotency-Key`, `Host` and
 * header syntax, HTTP versions) test routing, negotiation and Node's own parser.
 */
import fc from "fast-check";
import type { FuzzWorld } from "./HostileRequests.ts";
import {
  anyText,
  hostileAccept,
  hostileContentType,
  hostileDate,
  hostileEntityTag,
  hostileId,
  hostileIdempotencyKey,
  hostileRange,
  hostileZone,
  malformedAuthorization,
  plausibleTimestamp,
  plausibleWallClock,
  rawPercentText,
  trickyText,
  wrongTypeValue,
} from "./HostileValues.ts";
import {
  type Draft,
  encode,
  header,
  isNamed,
  pickSlot,
  queryPair,
  setHeader,
  setSlot,
  trick,
} from "./RequestDraft.ts";

/** A change to a draft. */
export interface Mutation {
  readonly apply: (draft: Draft) => void;
}

/** A mutation drawn `weight` times as often as one of weight 1. */
const mutation = <A>(
  weight: number,
  arb: fc.Arbitrary<A>,
  apply: (draft: Draft, value: A) => void,
): fc.WeightedArbitrary<Mutation> => ({
  weight,
  arbitrary: arb.map((value): Mutation => ({ apply: (draft) => apply(draft, value) })),
});

const fieldMutations: ReadonlyArray<fc.WeightedArbitrary<Mutation>> = [
  mutation(8, fc.tuple(fc.nat(), hostileDate), (d, [pick, value]) => {
    const slot = pickSlot(d, pick, ["date"]);
    if (slot === undefined) return;
    trick(d, `bad-date(${slot.name})`);
    setSlot(d, slot, value);
  }),
  mutation(6, fc.tuple(fc.nat(), hostileZone), (d, [pick, value]) => {
    const slot = pickSlot(d, pick, ["zone"]);
    if (slot === undefined) return;
    trick(d, `bad-zone(${slot.name})`);
    setSlot(d, slot, value);
  }),
  mutation(8, fc.tuple(fc.nat(), wrongTypeValue), (d, [pick, value]) => {
    const slot = pickSlot(d, pick);
    if (slot === undefined) return;
    trick(d, `wrong-type(${slot.name})`);
    setSlot(d, slot, value);
  }),
  mutation(
    6,
    fc.tuple(fc.nat(), fc.oneof(hostileId, trickyText, anyText(20))),
    (d, [pick, value]) => {
      const slot = pickSlot(d, pick);
      if (slot === undefined) return;
      trick(d, `hostile-text(${slot.name})`);
      setSlot(d, slot, value);
    },
  ),
  mutation(3, fc.tuple(fc.nat(), rawPercentText), (d, [pick, value]) => {
    // Bytes that are no UTF-8 (or UTF-8 of NUL or of a surrogate), percent-encoded as sent: into
    // the id of a path (`/v1/tasks/{id}`: path[1]) or a query parameter.
    const slot = pickSlot(d, pick, ["id", "text"]);
    if (
      /\{\w+\}/.test(d.endpoint) &&
      d.path.length >= 2 &&
      (slot === undefined || pick % 2 === 0)
    ) {
      trick(d, "raw-bytes(path id)");
      d.path[1] = value;
    } else if (slot?.where === "query") {
      trick(d, `raw-bytes(${slot.name})`);
      setSlot(d, slot, value, true);
    }
  }),
  mutation(3, fc.tuple(fc.nat(), anyText(20)), (d, [pick, value]) => {
    const slot = pickSlot(d, pick, ["date", "zone", "id", "text", "enum"]);
    if (slot === undefined || slot.where !== "query") return;
    trick(d, `unencoded-query(${slot.name})`);
    setSlot(d, slot, value, true);
  }),
  mutation(
    4,
    fc.tuple(plausibleTimestamp, plausibleWallClock, fc.boolean()),
    (d, [ts, wall, equal]) => {
      const start = d.slots.find((s) => s.role === "start");
      const end = d.slots.find((s) => s.role === "end");
      if (start === undefined || end === undefined) return;
      const form = start.where === "query" ? wall : ts;
      trick(d, equal ? "empty-interval" : "reversed-interval");
      setSlot(d, start, equal ? form : form.replace(/^\d{4}/, "2030"));
      setSlot(d, end, form);
    },
  ),
  mutation(4, fc.nat(), (d, pick) => {
    const slot = pickSlot(d, pick);
    const content = d.content;
    if (slot === undefined) return;
    trick(d, `drop(${slot.name})`);
    if (slot.where === "query")
      d.query = d.query.filter((p) => !p.startsWith(`${encode(slot.name)}=`));
    else if (
      content._tag === "Json" &&
      content.value !== null &&
      typeof content.value === "object"
    ) {
      const items = Array.isArray(content.value) ? content.value : [content.value];
      for (const item of items)
        if (item !== null && typeof item === "object")
          delete (item as Record<string, unknown>)[slot.name];
    } else if (content._tag === "Form") {
      d.content = { _tag: "Form", pairs: content.pairs.filter(([n]) => n !== slot.name) };
    }
  }),
  mutation(
    3,
    fc.tuple(
      fc.constantFrom("__proto__", "constructor", "prototype", "extra", "", "id ", "ID"),
      wrongTypeValue,
    ),
    (d, [name, value]) => {
      const content = d.content;
      if (content._tag !== "Json" || content.value === null || typeof content.value !== "object")
        return;
      trick(d, `unknown-field(${name})`);
      const items = Array.isArray(content.value) ? content.value : [content.value];
      for (const item of items.slice(0, 1)) {
        if (item !== null && typeof item === "object")
          Object.defineProperty(item, name, {
            value,
            enumerable: true,
            writable: true,
            configurable: true,
          });
      }
    },
  ),
  mutation(
    2,
    fc.tuple(fc.nat(), fc.integer({ min: 10_000, max: 200_000 })),
    (d, [pick, length]) => {
      const slot = pickSlot(d, pick);
      if (slot === undefined || slot.where === "query") return;
      trick(d, `long-text(${slot.name})`);
      setSlot(d, slot, "x".repeat(Math.min(length, Math.floor(d.limit / 2))));
    },
  ),
  mutation(3, wrongTypeValue, (d, value) => {
    if (d.content._tag !== "Json") return;
    trick(d, "wrong-root-type");
    d.content = { _tag: "Json", value };
  }),
  mutation(2, fc.integer({ min: 2, max: 30 }), (d, copies) => {
    const content = d.content;
    if (content._tag !== "Json" || !Array.isArray(content.value) || content.value.length === 0)
      return;
    const first: unknown = content.value[0];
    trick(d, "many-items");
    d.content = { _tag: "Json", value: Array.from({ length: copies * 50 }, () => first) };
  }),
];

const malformedJsonTexts = (valid: string): fc.Arbitrary<{ label: string; text: string }> =>
  fc.oneof(
    fc
      .nat(Math.max(0, valid.length - 1))
      .map((n) => ({ label: "truncated-json", text: valid.slice(0, n) })),
    {
      weight: 8,
      arbitrary: fc.constantFrom(
        { label: "trailing-comma", text: valid.replace(/}$/, ",}") },
        { label: "single-quotes", text: valid.replaceAll('"', "'") },
        { label: "two-documents", text: `${valid}${valid}` },
        { label: "nan", text: '{"start": NaN, "end": Infinity}' },
        { label: "comment", text: `/* hi */${valid}` },
        { label: "bom", text: `\ufeff${valid}` },
        { label: "unclosed-string", text: '{"type": "tenant-protection' },
        { label: "json-null", text: "null" },
        { label: "json-number", text: "1e999" },
        { label: "json-string", text: '"\\ud800"' },
        { label: "lone-surrogate-escapes", text: valid.replace(/"([a-z])/g, '"\\ud800$1') },
        { label: "nul-escapes", text: valid.replace(/"([a-z])/g, '"\\u0000$1') },
        { label: "whitespace-only", text: " \r\n\t " },
        { label: "empty", text: "" },
        { label: "duplicate-keys", text: valid.replace(/^\{/, '{"type":1,"format":[],') },
        {
          label: "proto-key",
          text: '{"__proto__": {"admin": true}, "constructor": {"prototype": {}}}',
        },
      ),
    },
    anyText(60).map((text) => ({ label: "random-text", text })),
  );

const bodyMutations = (world: FuzzWorld): ReadonlyArray<fc.WeightedArbitrary<Mutation>> => [
  mutation(
    8,
    malformedJsonTexts(
      '{"type":"tenant-protection","format":"csv","start":"2024-01-01T00:00:00Z"}',
    ),
    (d, { label, text }) => {
      trick(d, label);
      d.body = { _tag: "Text", text: [text] };
    },
  ),
  // Well-formed JSON nested as deep as the body limit allows: recursive code (printing the
  // value in an error message, decoding it) overflows the stack.
  mutation(
    3,
    fc.tuple(fc.double({ min: 0.05, max: 1, noNaN: true }), fc.boolean()),
    (d, [fraction, arrays]) => {
      const unit = arrays ? 2 : 6;
      const depth = Math.max(100, Math.floor((fraction * (d.limit - 16)) / unit));
      trick(d, arrays ? "deep-arrays" : "deep-objects");
      const text = arrays
        ? `${"[".repeat(depth)}${"]".repeat(depth)}`
        : `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
      d.body = { _tag: "Text", text: [text] };
    },
  ),
  mutation(2, fc.uint8Array({ minLength: 1, maxLength: 64 }), (d, bytes) => {
    trick(d, "binary-body");
    d.body = { _tag: "Bytes", bytes: Uint8Array.from([0xff, 0xfe, ...bytes, 0xc3]) };
  }),
  mutation(
    3,
    fc.tuple(
      fc.integer({ min: 1, max: 65_536 }),
      fc.constantFrom("a", "[", '{"a":', "\u00e9", "\u0000"),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.boolean(),
    ),
    (d, [extra, unit, roll, chunked]) => {
      const size = d.limit + extra;
      if (roll < world.streamedHugeBodies) {
        trick(d, chunked ? "huge-body-chunked" : "huge-body");
        d.body = { _tag: "Filler", size, unit };
        d.framing = chunked ? { _tag: "Chunked" } : { _tag: "Length" };
      } else {
        trick(d, "huge-declared-length");
        d.body = { _tag: "Text", text: ['{"a":1}'] };
        d.framing = { _tag: "Declared", values: [String(size)] };
      }
      d.mayGoUnanswered = true;
    },
  ),
  mutation(3, fc.double({ min: 0, max: 0.99, noNaN: true }), (d, fraction) => {
    trick(d, "cut-short-body");
    d.framing = { _tag: "CutShort", keepFraction: fraction };
    d.mayGoUnanswered = true;
  }),
  mutation(5, fc.option(hostileContentType, { nil: undefined }), (d, contentType) => {
    trick(d, contentType === undefined ? "no-content-type" : "wrong-content-type");
    d.headers = d.headers.filter((h) => !isNamed(h, "Content-Type"));
    if (contentType !== undefined) d.headers.push(header("Content-Type", contentType));
  }),
  mutation(2, fc.constantFrom("chunked", "plain"), (d, how) => {
    trick(d, `framing-${how}`);
    d.framing = how === "chunked" ? { _tag: "Chunked" } : { _tag: "Omitted" };
  }),
  mutation(
    2,
    fc.constantFrom(
      ["5", "5"],
      ["5", "6"],
      ["-1"],
      ["abc"],
      ["1e3"],
      ["+5"],
      [" 5"],
      ["99999999999999999999"],
      ["0x10"],
      ["5, 5"],
      ["0"],
    ),
    (d, values) => {
      trick(d, values.length > 1 ? "two-content-length" : "bad-content-length");
      d.framing = { _tag: "Declared", values };
      d.mayGoUnanswered = true;
    },
  ),
  mutation(
    2,
    fc.constantFrom(
      "zz\r\nabc\r\n0\r\n\r\n",
      "5\r\nab\r\n0\r\n\r\n",
      '3;ext="x\r\nabc\r\n0\r\n\r\n',
      "ffffffffffffffffff\r\nabc\r\n",
      "-1\r\n\r\n",
      "3\r\nabc\r\n",
      "3\nabc\n0\n\n",
      "0\r\nX-Trailer: 1\r\n\r\n",
    ),
    (d, raw) => {
      trick(d, "broken-chunks");
      d.framing = { _tag: "BrokenChunks", raw };
      d.mayGoUnanswered = true;
    },
  ),
  mutation(
    3,
    fc.constantFrom(
      'id,name\r\n"unclosed,x\r\n',
      "\ufeffid;name\r\nt1;A\r\n",
      "name\r\nx\r\n",
      "id,id\r\na,b\r\n",
      "id,name,extra\r\na,b,c\r\n",
      "id,name\r\na\r\n",
      "\r\n\r\n\r\n",
      "id,name\r\n,\r\n",
      "id,vmId,start,end\r\np1,vm,2024-13-01T00:00:00Z,\r\n",
      `id,name\r\n${'a,"b""\r\n'.repeat(200)}`,
      "id,name\0\r\n\0,\0\r\n",
      "id,userId,kind,at\r\ne1,u1,ASSIGNED,now\r\n",
      "id,name,capacity,tenantId\r\no1,O,-1,\r\no2,O,1e3,\r\no3,O,99999999999999999999,\r\n",
    ),
    (d, text) => {
      trick(d, "broken-csv");
      d.headers = d.headers.filter((h) => !isNamed(h, "Content-Type"));
      d.headers.push(header("Content-Type", "text/csv"));
      d.body = { _tag: "Text", text: [text] };
    },
  ),
  mutation(
    2,
    fc.constantFrom(
      "grant_type=password&username=admin&password=admin&password=x",
      "grant_type=password&username=%zz&password=%",
      "grant_type=password&username=%00&password=%00",
      "grant_type=%E2%82%AC",
      "&&&==&",
      "grant_type",
      `grant_type=password&username=admin&password=${"a".repeat(10_000)}`,
      `grant_type=refresh_token&refresh_token=${"x".repeat(5_000)}`,
      "grant_type=password&username[]=admin&password=admin",
    ),
    (d, text) => {
      if (d.content._tag !== "Form") return;
      trick(d, "odd-form");
      d.body = { _tag: "Text", text: [text] };
    },
  ),
  mutation(1, fc.constant(undefined), (d) => {
    if (d.content._tag !== "None") return;
    trick(d, "body-on-bodiless");
    d.headers.push(header("Content-Type", "application/json"));
    d.body = { _tag: "Text", text: ['{"unexpected":true}'] };
  }),
];

const methods = fc.constantFrom(
  "GET",
  "POST",
  "PUT",
  "DELETE",
  "PATCH",
  "HEAD",
  "OPTIONS",
  "TRACE",
  "get",
  "Post",
  "GETT",
  "PROPFIND",
  "M-SEARCH",
  "CONNECT",
  "X".repeat(100),
);

const pathTrick = fc.oneof(
  {
    weight: 12,
    arbitrary: fc.constantFrom(
      { label: "dot-segments", apply: (p: string) => `/x/..${p}` },
      { label: "dot-segment-inside", apply: (p: string) => p.replace(/^\/(\w+)\//, "/$1/./") },
      { label: "encoded-dot-segments", apply: (p: string) => `/%2e%2e${p}` },
      {
        label: "encoded-dot-segments-inside",
        apply: (p: string) => p.replace(/^\/(\w+)\//, "/$1/%2E%2E/$1/"),
      },
      { label: "traversal", apply: (p: string) => `${p}/../../../etc/passwd` },
      { label: "double-slashes", apply: (p: string) => p.replaceAll("/", "//") },
      { label: "leading-double-slash", apply: (p: string) => `//${p}` },
      { label: "trailing-slash", apply: (p: string) => `${p}/` },
      { label: "encoded-null", apply: (p: string) => `${p}%00` },
      { label: "encoded-null-inside", apply: (p: string) => p.replace(/\/(\w)/, "/%00$1") },
      { label: "raw-null", apply: (p: string) => `${p}\u0000` },
      { label: "upper-case", apply: (p: string) => p.toUpperCase() },
      { label: "lower-case", apply: (p: string) => p.toLowerCase() },
      { label: "encoded-slash", apply: (p: string) => p.replace(/\/(?=[^/]*$)/, "%2F") },
      { label: "backslashes", apply: (p: string) => p.replaceAll("/", "\\") },
      { label: "absolute-form", apply: (p: string) => `http://127.0.0.1${p}` },
      { label: "other-host-absolute-form", apply: (p: string) => `http://evil.example:80${p}` },
      { label: "malformed-percent", apply: (p: string) => `${p}%zz` },
      { label: "lone-percent", apply: (p: string) => `${p}/%` },
      { label: "matrix-params", apply: (p: string) => `${p};jsessionid=x` },
      { label: "fragment", apply: (p: string) => `${p}#frag` },
      { label: "encoded-unicode", apply: (p: string) => `${p}/%F0%9F%92%A9` },
      { label: "overlong-utf8", apply: (p: string) => `${p}/%C0%AE%C0%AE` },
      { label: "asterisk", apply: () => "*" },
      { label: "no-leading-slash", apply: (p: string) => p.slice(1) },
      { label: "empty-target", apply: () => "" },
    ),
  },
  fc
    .integer({ min: 1000, max: 20_000 })
    .map((n) => ({ label: "long-path", apply: (p: string) => `${p}/${"a".repeat(n)}` })),
  fc
    .integer({ min: 100, max: 3000 })
    .map((n) => ({ label: "many-segments", apply: (p: string) => `${p}${"/x".repeat(n)}` })),
  fc
    .string({ unit: "grapheme", minLength: 1, maxLength: 8 })
    .map((u) => ({ label: "raw-unicode", apply: (p: string) => `${p}/${u}` })),
);

const queryTrick = fc.oneof(
  fc.constantFrom(
    "&&",
    "=",
    "a=%",
    "%zz=1",
    "=value",
    "a=b=c",
    "+=+",
    "__proto__=x",
    "constructor[prototype]=1",
    "a[b]=c",
    "x=%00",
    "x=%E2%82",
    "limit=1&limit=2",
    "state=Queued&state=Queued",
    "tenantId=&tenantId=",
  ),
  fc.integer({ min: 1000, max: 12_000 }).map((n) => `x=${"y".repeat(n)}`),
  fc
    .integer({ min: 200, max: 2000 })
    .map((n) => Array.from({ length: n }, (_, i) => `p${i}=${i}`).join("&")),
  anyText(20).map((t) => `raw=${t}`),
);

const headerTricks = (world: FuzzWorld): ReadonlyArray<fc.WeightedArbitrary<Mutation>> => [
  mutation(5, methods, (d, method) => {
    trick(d, `method(${method.length > 12 ? `${method.slice(0, 8)}…` : method})`);
    d.method = method;
    if (method.toUpperCase() === "CONNECT") d.mayGoUnanswered = true;
  }),
  mutation(10, pathTrick, (d, { label, apply }) => {
    trick(d, label);
    const first = d.path[0];
    if (typeof first === "string") d.path[0] = apply(first);
    else d.path.unshift(apply(""));
  }),
  mutation(4, fc.tuple(fc.nat(), anyText(10)), (d, [pick, value]) => {
    const slot = pickSlot(d, pick);
    const name =
      slot?.where === "query"
        ? slot.name
        : (["limit", "state", "tenantId", "from", "cursor"][pick % 5] ?? "x");
    trick(d, `duplicate-query(${name})`);
    d.query.push(queryPair(name, value), queryPair(name, `${value}2`));
  }),
  mutation(3, queryTrick, (d, extra) => {
    trick(d, "query-garbage");
    d.query.push(extra);
  }),
  mutation(
    4,
    fc.tuple(
      fc.constantFrom(
        "Authorization",
        "Content-Type",
        "Accept",
        "Host",
        "Range",
        "Idempotency-Key",
        "If-None-Match",
      ),
      fc.oneof(malformedAuthorization, hostileContentType, hostileAccept),
    ),
    (d, [name, value]) => {
      trick(d, `two-${name.toLowerCase()}`);
      const existing = d.headers.find((h) => isNamed(h, name));
      d.headers.push(header(name, value));
      if (existing === undefined) d.headers.push(header(name, value));
    },
  ),
  mutation(3, malformedAuthorization, (d, value) => {
    trick(d, "bad-authorization");
    setHeader(d, "Authorization", [value]);
  }),
  mutation(2, fc.constant(undefined), (d) => {
    trick(d, "no-authorization");
    d.headers = d.headers.filter((h) => !isNamed(h, "Authorization"));
  }),
  mutation(1, fc.tuple(fc.constantFrom(...world.accounts), fc.nat()), (d, [account, pick]) => {
    trick(d, "bearer-for-basic");
    setHeader(d, "Authorization", [
      "bearer  ",
      { ref: "accessToken", username: account.username, pick },
      " ",
    ]);
  }),
  mutation(4, hostileRange, (d, value) => {
    trick(d, "range-garbage");
    setHeader(d, "Range", [value]);
  }),
  mutation(2, fc.tuple(hostileEntityTag, fc.boolean()), (d, [value, ifRange]) => {
    trick(d, ifRange ? "if-range-garbage" : "if-none-match-garbage");
    setHeader(d, ifRange ? "If-Range" : "If-None-Match", [value]);
    if (ifRange) setHeader(d, "Range", ["bytes=0-10"]);
  }),
  mutation(3, hostileIdempotencyKey, (d, value) => {
    trick(d, "idempotency-key-garbage");
    setHeader(d, "Idempotency-Key", [value]);
  }),
  mutation(3, hostileAccept, (d, value) => {
    trick(d, "accept-garbage");
    setHeader(d, "Accept", [value]);
  }),
  mutation(2, fc.constantFrom("absent", "two", "garbage", "empty", "unicode"), (d, how) => {
    trick(d, `host-${how}`);
    d.headers = d.headers.filter((h) => !isNamed(h, "Host"));
    if (how === "two") d.headers.push(header("Host", "127.0.0.1"), header("Host", "evil.example"));
    if (how === "garbage") d.headers.push(header("Host", "a b:c:d/../"));
    if (how === "empty") d.headers.push(header("Host", ""));
    if (how === "unicode") d.headers.push(header("Host", "exämple.test"));
  }),
  mutation(
    3,
    fc.constantFrom(
      "NoColonHeader",
      " folded-continuation",
      "Bad Name: x",
      "X-Nul: a\u0000b",
      "X-Del: \u007f",
      ": empty-name",
      "X-Ünicode: ü",
      "X-Tab:\tvalue",
      "X-CR: a\rb",
      "Transfer-Encoding: gzip",
      "Transfer-Encoding: chunked, identity",
      "Content-Encoding: gzip",
      "Expect: 100-continue",
      "Expect: teapot",
      "Connection: Upgrade\r\nUpgrade: websocket",
      "Connection: close, keep-alive, TE",
      "Cookie: session=x; admin=1",
      "X-Forwarded-For: 1.2.3.4, ::1",
      "X-HTTP-Method-Override: DELETE",
      "Content-Length: ",
    ),
    (d, raw) => {
      trick(d, `raw-header(${raw.slice(0, 14)})`);
      d.headers.push({ raw });
      if (/^(Transfer-Encoding|Content-Length|Connection: Upgrade)/i.test(raw))
        d.mayGoUnanswered = true;
    },
  ),
  // A protocol upgrade with a body larger than a socket buffer (an upgrade handler that does
  // not read it never sees the connection end).
  mutation(
    2,
    fc.tuple(fc.constantFrom("websocket", "h2c", "TLS/1.2"), fc.integer({ min: 1, max: 256 })),
    (d, [protocol, kib]) => {
      trick(d, `upgrade-${protocol}-with-body`);
      setHeader(d, "Connection", ["Upgrade"]);
      setHeader(d, "Upgrade", [protocol]);
      d.body = { _tag: "Filler", size: kib * 1024, unit: "u" };
      d.framing = { _tag: "Length" };
      d.mayGoUnanswered = true;
    },
  ),
  mutation(1, fc.integer({ min: 100, max: 2500 }), (d, count) => {
    trick(d, "many-headers");
    for (let i = 0; i < count; i++) d.headers.push(header(`X-Fuzz-${i}`, String(i)));
  }),
  mutation(1, fc.integer({ min: 8_000, max: 40_000 }), (d, length) => {
    trick(d, "huge-header");
    d.headers.push(header("X-Huge", "h".repeat(length)));
  }),
  mutation(
    2,
    fc.constantFrom(
      "HTTP/1.0",
      "HTTP/1.2",
      "HTTP/2.0",
      "HTTP/3.0",
      "HTTP/0.9",
      "http/1.1",
      "HTTP/1.1 extra",
      "HTTP/11",
      "HTTP/1.1\u0000",
      "",
    ),
    (d, version) => {
      trick(d, `version(${version})`);
      d.version = version;
    },
  ),
];

/** Every mutation, weighted so that field-level ones (which reach the handlers) dominate. */
export const requestMutation = (world: FuzzWorld): fc.Arbitrary<Mutation> =>
  fc.oneof(...fieldMutations, ...bodyMutations(world), ...headerTricks(world));
