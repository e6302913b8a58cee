/**
 * The hostile values a fuzzer puts into requests, one arbitrary per kind of field: dates that
 * are no dates (or lie outside what any calendar code expects), zones outside the strict grammar,
 * ids and texts from the unicode edges, and header values of the shapes clients get wrong
 * (`Authorization`, `Range`, `Accept`, `Idempotency-Key`, `Content-Type`). Plausible values are
 * mixed in, so that a request is often wrong in one place only and reaches deep code.
 */
import fc from "fast-check";

/**
 * Any code point, lone surrogates included (built by hand: fast-check's `binary` unit indexes
 * all 1.1 million code points in a map the first time it is used, which stalls the fuzzer).
 */
const anyCodePoint: fc.Arbitrary<string> = fc
  .integer({ min: 0, max: 0x10ffff })
  .map((codePoint) => String.fromCodePoint(codePoint));

/** Any text, including lone surrogates and control characters. */
export const anyText = (maxLength = 40): fc.Arbitrary<string> =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.string({ unit: anyCodePoint, maxLength }),
  );

/** Texts that break parsers, renderers and SQL built by hand. */
export const trickyText: fc.Arbitrary<string> = fc.constantFrom(
  "",
  " ",
  "\t",
  "\u0000",
  "\ud800",
  "\udfff\ud800",
  "\uffff",
  "\u202e\u202d",
  "\u200b",
  "e\u0301",
  "👩‍👩‍👧‍👦",
  "ＡＣＭＥ",
  "İstanbul",
  "' OR 1=1 --",
  '"; DROP TABLE tasks; --',
  "%00",
  "%2e%2e%2f",
  "../../etc/passwd",
  "..",
  ".",
  '=HYPERLINK("http://x")',
  "+cmd|' /C calc'!A0",
  "<script>alert(1)</script>",
  "]]><x/>",
  "&amp;",
  "\r\n",
  'a;b,c"d',
  "__proto__",
  "constructor",
  "null",
  "undefined",
  "NaN",
  "-0",
  "1e309",
);

/** Characters no storage backend keeps as given: NUL (PostgreSQL refuses it), lone surrogates. */
const unstorableCharacter = fc.constantFrom("\u0000", "\ud800", "\udbff", "\udc00", "\udfff");

/** A plausible id with a NUL or a lone surrogate put somewhere into it. */
export const unstorableText: fc.Arbitrary<string> = fc
  .tuple(fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), unstorableCharacter, fc.nat())
  .map(([text, bad, at]) => {
    const i = at % (text.length + 1);
    return `${text.slice(0, i)}${bad}${text.slice(i)}`;
  });

/** Text not in Unicode normalization form C: combining marks, compatibility characters. */
export const nonNfcText: fc.Arbitrary<string> = fc.constantFrom(
  "Cafe\u0301",
  "A\u030Angstro\u0308m",
  "\u212B", // ANGSTROM SIGN, NFC: U+00C5
  "\u1100\u1161\u11A8", // conjoining jamo, NFC: one syllable
  "e\u0301\u0301",
  "\uFB01le", // the fi ligature (NFKC only)
  "o\u0308\u0304-\u00F6\u0304",
);

/**
 * Text beyond a bound: ids (128), names (1,024), and incompressible text beyond what a
 * PostgreSQL B-tree index row holds (2,704 bytes), in one- and two-byte characters.
 */
export const overLongText: fc.Arbitrary<string> = fc.oneof(
  fc.integer({ min: 129, max: 1_100 }).map((n) => "é".repeat(n)),
  fc.integer({ min: 1_025, max: 3_000 }).map((n) => "x".repeat(n)),
  fc.string({
    unit: fc.constantFrom(..."0123456789abcdefghijklmnopqrstuvwxyz"),
    minLength: 3_000,
    maxLength: 9_000,
  }),
);

/** Text the storage backends refuse or could disagree on, unless validation stops it first. */
export const storageHostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: unstorableText },
  { weight: 2, arbitrary: nonNfcText },
  { weight: 1, arbitrary: overLongText },
);

/**
 * Percent-encoded bytes that are no UTF-8 (or UTF-8 of a NUL or of a surrogate), sent raw in a
 * path or query: `%00`, CESU-8 surrogates, an overlong NUL, a stray continuation byte.
 */
export const rawPercentText: fc.Arbitrary<string> = fc.constantFrom(
  "%00",
  "a%00b",
  "%ED%A0%80",
  "x%ED%B0%80y",
  "%C0%80",
  "%FF",
  "%80",
  "%F4%90%80%80",
  "%E2%82",
  "e%CC%81",
);

/** An id as a client might send one: plausible, tricky, too long, unicode, or unstorable. */
export const hostileId: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.stringMatching(/^[a-z][a-z0-9-]{0,20}$/) },
  { weight: 2, arbitrary: trickyText },
  { weight: 1, arbitrary: fc.string({ minLength: 129, maxLength: 300 }) },
  { weight: 1, arbitrary: anyText(20) },
  { weight: 2, arbitrary: storageHostileText },
);

/** A well-formed `YYYY-MM-DDThh:mm:ss` in the years data is in. */
export const plausibleWallClock: fc.Arbitrary<string> = fc
  .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2026-12-31T23:59:59Z") })
  .filter((d) => !Number.isNaN(d.getTime()))
  .map((d) => d.toISOString().slice(0, 19));

/** A plausible `Z` / offset timestamp. */
export const plausibleTimestamp: fc.Arbitrary<string> = fc.oneof(
  plausibleWallClock.map((w) => `${w}Z`),
  fc
    .tuple(plausibleWallClock, fc.constantFrom("+00:00", "+01:00", "-05:00", "+05:30", "+14:00"))
    .map(([w, o]) => `${w}${o}`),
  plausibleWallClock.map((w) => `${w}.123Z`),
);

/** Dates that are malformed, impossible, or far outside any sensible range. */
export const hostileDate: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    "2024",
    "2024-01-01",
    "2024-01-01T00:00",
    "2024-01-01 00:00:00",
    "2024-01-01t00:00:00z",
    "2024-13-01T00:00:00",
    "2024-00-10T00:00:00",
    "2024-02-30T00:00:00",
    "2023-02-29T00:00:00Z",
    "2024-04-31T00:00:00",
    "2024-01-32T00:00:00",
    "2024-01-01T24:00:00",
    "2024-01-01T23:60:00",
    "2024-12-31T23:59:60Z",
    "0000-01-01T00:00:00",
    "0000-01-01T00:00:00Z",
    "0001-01-01T00:00:00+14:00",
    "9999-12-31T23:59:59",
    "9999-12-31T23:59:59-12:00",
    "+275760-09-13T00:00:00Z",
    "-000001-01-01T00:00:00Z",
    "+010000-01-01T00:00:00Z",
    "1970-01-01T00:00:00.0000000001Z",
    "2024-01-01T00:00:00.123456789Z",
    "2024-01-01T00:00:00.Z",
    "2024-01-01T00:00:00+25:00",
    "2024-01-01T00:00:00+05:60",
    "2024-01-01T00:00:00+0530",
    "2024-01-01T00:00:00+05:30:00",
    "2024-01-01T00:00:00-00:00",
    "2024-01-01T00:00:00GMT",
    "2024-01-01T00:00:00 UTC",
    "2024-01-01T00:00:00[Europe/Paris]",
    "2024-03-31T02:30:00",
    "2024-10-27T02:30:00",
    "２０２４-01-01T00:00:00",
    "٢٠٢٤-01-01T00:00:00",
    "2024-01-01T00:00:00\u0000",
    " 2024-01-01T00:00:00",
    "2024-01-01T00:00:00\n",
    "1704067200000",
    "-1",
    "now",
    "yesterday",
    "Mon, 01 Jan 2024 00:00:00 GMT",
    "NaN-NaN-NaNTNaN:NaN:NaN",
  ),
  fc
    .tuple(
      fc.integer({ min: 0, max: 99999 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
      fc.constantFrom("", "Z", "+99:99", "-12:00", ".5Z"),
    )
    .map(
      ([y, mo, d, h, mi, s, z]) =>
        `${String(y).padStart(4, "0")}-${String(mo).padStart(2, "0")}-${String(d).padStart(2, "0")}T${String(h).padStart(2, "0")}:${String(mi).padStart(2, "0")}:${String(s).padStart(2, "0")}${z}`,
    ),
  anyText(30),
);

/** Zone specs outside the strict grammar (and a few inside it). */
export const hostileZone: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "GMT+1",
    "GMT",
    "UTC+25:00",
    "UTC-25:00",
    "UTC+14:01",
    "UTC-12:01",
    "UTC+05:60",
    "UTC+5",
    "UTC+0530",
    "UTC+05:30:00",
    "UTC 05:30",
    "utc",
    "local",
    "LOCAL",
    "Z",
    "+05:30",
    "Europe/Paris",
    "America/Argentina/ComodRivadavia",
    "Etc/GMT+12",
    "UTC+٠٥:٣٠",
    "UTC+０５:３０",
    "UTC\u221205:00",
    "UTC\u0000",
    " UTC",
    "UTC ",
    "",
    "UTC+-05:00",
    "UTC--05:00",
    "UTC+99:99",
    "UTC+00:00",
    "UTC-00:00",
    "UTC+14:00",
    "UTC-12:00",
    "Local",
    "UTC",
  ),
  fc
    .tuple(
      fc.constantFrom("+", "-"),
      fc.integer({ min: 0, max: 99 }),
      fc.integer({ min: 0, max: 99 }),
    )
    .map(([s, h, m]) => `UTC${s}${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`),
  anyText(12),
);

/** A zone spec the API accepts. */
export const validZone: fc.Arbitrary<string> = fc.constantFrom(
  "UTC",
  "Local",
  "UTC+05:30",
  "UTC-03:00",
  "UTC+14:00",
  "UTC-12:00",
  "UTC+00:00",
);

/** A JSON value of a type a field does not expect (or deeply nested). */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1.5, 1e308, -0, [], {}, [null], { a: 1 }),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 }), { maxKeys: 3 }),
  fc.string({ minLength: 1000, maxLength: 5000 }),
  fc.integer({ min: 2, max: 200 }).map((depth) => {
    let value: unknown = "deep";
    for (let i = 0; i < depth; i++) value = [value];
    return value;
  }),
);

/** `Authorization` header values that authenticate no one (cheap to refuse: no scrypt). */
export const malformedAuthorization: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "",
    " ",
    "Basic",
    "Basic ",
    "Basic !!!",
    "Basic =",
    "Basic ====",
    "Basic Og==",
    "Basic OmFkbWlu",
    "Basic YWRtaW4=",
    "Bearer",
    "Bearer ",
    "Bearer null",
    "Bearer undefined",
    "Bearer \t",
    "bearer x.y.z",
    "BEARER abc",
    'Digest username="admin"',
    "Negotiate YII=",
    "Token abc",
    "Basic YWRtaW46YWRtaW4= extra",
    "Bearer a b c",
    "Basic\tYWRtaW46YWRtaW4=",
    "Bearer eyJhbGciOiJub25lIn0.eyJzdWIiOiJhZG1pbiJ9.",
  ),
  fc.string({ maxLength: 60 }).map((t) => `Bearer ${t}`),
  fc.base64String({ maxLength: 40 }).map((t) => `Basic ${t}`),
  fc.string({ minLength: 2000, maxLength: 8000 }).map((t) => `Bearer ${t}`),
  anyText(30),
);

/** `Range` values, well-formed or not. */
export const hostileRange: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "bytes=0-0",
    "bytes=0-",
    "bytes=-1",
    "bytes=-0",
    "bytes=5-1",
    "bytes=0-1,2-3",
    "bytes=abc",
    "bytes=",
    "bytes",
    "bytes=--1",
    "bytes=1--2",
    "bytes=99999999999999999999-",
    "bytes=-99999999999999999999",
    "bytes=9007199254740993-9007199254740995",
    "bytes=0-9007199254740993",
    "bytes=1e3-2e3",
    "bytes=0x10-0x20",
    "bytes= 0 - 10 ",
    "items=0-10",
    "BYTES=0-10",
    "bytes=０-１",
    ",",
    "=",
  ),
  fc
    .tuple(fc.integer({ min: -5, max: 100_000 }), fc.integer({ min: -5, max: 100_000 }))
    .map(([a, b]) => `bytes=${a}-${b}`),
  fc.array(fc.nat(5000), { minLength: 2, maxLength: 40 }).map((ns) => `bytes=${ns.join("-")}`),
  anyText(20),
);

/** `Accept` values, well-formed or not. */
export const hostileAccept: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "*/*",
    "",
    "application/json",
    "application/xml",
    "text/xml",
    "application/csv",
    "text/csv",
    "application/pdf",
    "application/octet-stream",
    "application/csv;q=0",
    "text/csv;q=abc",
    "text/csv;q=-1",
    "text/csv;q=1e309",
    "text/csv;q=NaN, application/pdf;q=0.5",
    "*/*;q=0",
    "*",
    "/",
    "text/",
    "/csv",
    ";;;",
    ",,,",
    "application/*;q=0.1, */*;q=0.2",
    "image/png",
    "text/html;level=1;q=0.9",
    "application/json;q=0, application/xml;q=0",
  ),
  fc
    .array(fc.constantFrom("text/csv", "application/pdf", "*/*", "application/json", "x/y"), {
      minLength: 50,
      maxLength: 300,
    })
    .map((types) => types.join(", ")),
  anyText(20),
);

/** `Content-Type` values for bodies, right, wrong and broken. */
export const hostileContentType: fc.Arbitrary<string> = fc.constantFrom(
  "",
  "text/plain",
  "application/json; charset=utf-16",
  "application/json;;",
  "APPLICATION/JSON",
  "application/json, text/plain",
  "application/problem+json",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=xyz",
  "text/csv",
  "text/csv; charset=latin1",
  "application/xml",
  "application/octet-stream",
  "application/",
  "json",
  ";",
  "application/json\u00ff",
);

/** `Idempotency-Key` values: empty, too long, unicode, whitespace. */
export const hostileIdempotencyKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("", " ", "\t", "key", "ключ", "🔑", "a b", "'", "%00"),
  fc.string({ minLength: 256, maxLength: 600 }),
  fc.stringMatching(/^[A-Za-z0-9-]{1,40}$/),
  anyText(20),
  storageHostileText,
);

/** Conditional-request header values (`If-None-Match`, `If-Range`). */
export const hostileEntityTag: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("*", '""', 'W/"x"', '"x", "y"', "W/", ",", "Mon, 01 Jan 2024 00:00:00 GMT"),
  fc
    .string({ unit: fc.constantFrom(..."0123456789abcdef"), minLength: 64, maxLength: 64 })
    .map((h) => `"${h}"`),
  anyText(20),
);
