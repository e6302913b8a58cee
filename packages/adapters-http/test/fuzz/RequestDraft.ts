/**
 * A request while it is being built and spoiled: the endpoint's path, query and headers, the
 * body still as a value (JSON, form pairs, CSV text) so that mutations can reach into its
 * fields, and the slots — fields with a kind (date, zone, id, …) — that mutations aim at.
 * `finishDraft` turns it into the `HostileRequest` that is sent.
 */
import type {
  BodyPlan,
  Framing,
  FuzzWorld,
  HeaderLine,
  HostileRequest,
  Reference,
  Template,
} from "./HostileRequests.ts";

/** What kind of value a slot holds, which decides the hostile values put there. */
export type SlotKind = "date" | "zone" | "id" | "enum" | "int" | "text" | "secret";

/** A field a mutation may spoil: a query parameter, a JSON member (of the first item of an array), or a form field. */
export interface Slot {
  readonly where: "query" | "json" | "form";
  readonly name: string;
  readonly kind: SlotKind;
  readonly role?: "start" | "end";
}

/** The body before it is serialised, so that mutations can reach into it. */
export type Content =
  | { readonly _tag: "None" }
  | { readonly _tag: "Json"; readonly value: unknown }
  | { readonly _tag: "Form"; readonly pairs: ReadonlyArray<readonly [string, string | Reference]> }
  | { readonly _tag: "Csv"; readonly text: string };

/** A request while it is being built and spoiled. */
export interface Draft {
  endpoint: string;
  tricks: Array<string>;
  method: string;
  path: Array<string | Reference>;
  query: Array<string>;
  version: string;
  headers: Array<HeaderLine>;
  content: Content;
  body: BodyPlan | undefined;
  framing: Framing;
  slots: ReadonlyArray<Slot>;
  mayGoUnanswered: boolean;
  /** The body limit that applies to this endpoint. */
  limit: number;
}

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text with lone surrogates replaced by U+FFFD (`String.prototype.toWellFormed`). */
export const wellFormed = (text: string): string => text.replace(loneSurrogate, "\uFFFD");

/** Percent-encodes any text (lone surrogates, which `encodeURIComponent` rejects, as U+FFFD). */
export const encode = (text: string): string => encodeURIComponent(wellFormed(text));

/** `name=value`, both percent-encoded. */
export const queryPair = (name: string, value: string): string =>
  `${encode(name)}=${encode(value)}`;

/** A header line. */
export const header = (name: string, ...value: Array<string | Reference>): HeaderLine => ({
  name,
  value,
});

/** Whether a header line has this name (case-insensitive). */
export const isNamed = (line: HeaderLine, name: string): boolean =>
  "name" in line && line.name.toLowerCase() === name.toLowerCase();

/** Replaces every header of this name by one with `value`. */
export const setHeader = (draft: Draft, name: string, value: Template): void => {
  draft.headers = draft.headers.filter((h) => !isNamed(h, name));
  draft.headers.push({ name, value });
};

/** Replaces every query parameter of this name by one with the (already encoded) value. */
export const setQuery = (draft: Draft, name: string, encodedValue: string): void => {
  const prefix = `${encode(name)}=`;
  const kept = draft.query.filter((p) => !p.startsWith(prefix) && p !== encode(name));
  draft.query = [...kept, `${prefix}${encodedValue}`];
};

/** What an endpoint's arbitrary gives: a plausible request without its credentials. */
export interface DraftSpec {
  readonly endpoint: string;
  readonly method: string;
  readonly path: ReadonlyArray<string | Reference>;
  readonly query?: ReadonlyArray<readonly [string, string | undefined]>;
  readonly headers?: ReadonlyArray<HeaderLine>;
  readonly content?: Content;
  readonly slots?: ReadonlyArray<Slot>;
  readonly limit?: number;
}

const contentTypeOf = (content: Content): string | undefined => {
  switch (content._tag) {
    case "Json":
      return "application/json";
    case "Form":
      return "application/x-www-form-urlencoded";
    case "Csv":
      return "text/csv";
    case "None":
      return undefined;
  }
};

/** The draft of a plausible request, with `Host`, the credentials and the content type. */
export const makeDraft = (
  spec: DraftSpec,
  auth: ReadonlyArray<HeaderLine>,
  world: FuzzWorld,
): Draft => {
  const content = spec.content ?? { _tag: "None" };
  const contentType = contentTypeOf(content);
  return {
    endpoint: spec.endpoint,
    tricks: [],
    method: spec.method,
    path: [...spec.path],
    query: (spec.query ?? []).flatMap(([name, value]) =>
      value === undefined ? [] : [queryPair(name, value)],
    ),
    version: "HTTP/1.1",
    headers: [
      header("Host", "127.0.0.1"),
      ...auth,
      ...(contentType === undefined ? [] : [header("Content-Type", contentType)]),
      ...(spec.headers ?? []),
    ],
    content,
    body: undefined,
    framing: { _tag: "Length" },
    slots: spec.slots ?? [],
    mayGoUnanswered: false,
    limit: spec.limit ?? world.maxBodyBytes,
  };
};

/** Notes a mutation on the draft (its label appears in fault reports). */
export const trick = (draft: Draft, label: string): void => {
  draft.tricks.push(label);
};

/** Sets the value of a slot (query parameter, JSON member, form field). */
export const setSlot = (draft: Draft, slot: Slot, value: unknown, rawQuery = false): void => {
  const content = draft.content;
  if (slot.where === "query") {
    const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
    setQuery(draft, slot.name, rawQuery ? text : encode(text));
  } else if (slot.where === "json" && content._tag === "Json") {
    const target = content.value;
    const items = Array.isArray(target) ? target : [target];
    for (const item of items.slice(0, 1)) {
      if (item !== null && typeof item === "object")
        (item as Record<string, unknown>)[slot.name] = value;
    }
  } else if (slot.where === "form" && content._tag === "Form") {
    const text = typeof value === "string" ? value : (JSON.stringify(value) ?? "");
    draft.content = {
      _tag: "Form",
      pairs: [...content.pairs.filter(([n]) => n !== slot.name), [slot.name, text]],
    };
  }
};

/** The slot `pick` chooses among those of the given kinds; undefined when there is none. */
export const pickSlot = (
  draft: Draft,
  pick: number,
  kinds?: ReadonlyArray<SlotKind>,
): Slot | undefined => {
  const slots =
    kinds === undefined ? draft.slots : draft.slots.filter((s) => kinds.includes(s.kind));
  return slots.length === 0 ? undefined : slots[pick % slots.length];
};

/** A copy that mutations may change without touching the original. */
export const copyDraft = (base: Draft): Draft => ({
  ...base,
  tricks: [...base.tricks],
  path: [...base.path],
  query: [...base.query],
  headers: [...base.headers],
  content:
    base.content._tag === "Json"
      ? { _tag: "Json", value: structuredClone(base.content.value) }
      : base.content,
});

const jsonText = (value: unknown): string => {
  try {
    return JSON.stringify(value) ?? "null";
  } catch {
    return '"unserialisable"';
  }
};

/** Bodies larger than this may be cut off by an early answer (see `mayGoUnanswered`). */
const socketBufferBytes = 64 * 1024;

const roughSize = (body: BodyPlan): number =>
  body._tag === "Filler"
    ? body.size
    : body._tag === "Bytes"
      ? body.bytes.length
      : body.text.reduce((n, piece) => n + (typeof piece === "string" ? piece.length : 64), 0);

/** The request a finished draft stands for. */
export const finishDraft = (draft: Draft): HostileRequest => {
  const content = draft.content;
  let body: BodyPlan;
  if (draft.body !== undefined) body = draft.body;
  else if (content._tag === "Json") body = { _tag: "Text", text: [jsonText(content.value)] };
  else if (content._tag === "Csv") body = { _tag: "Text", text: [content.text] };
  else if (content._tag === "Form") {
    const text: Array<string | Reference> = [];
    content.pairs.forEach(([name, value], i) => {
      if (i > 0) text.push("&");
      text.push(`${encode(name)}=`, typeof value === "string" ? encode(value) : value);
    });
    body = { _tag: "Text", text };
  } else body = { _tag: "Text", text: [] };
  const target: Array<string | Reference> = [...draft.path];
  if (draft.query.length > 0) target.push(`?${draft.query.join("&")}`);
  return {
    endpoint: draft.endpoint,
    tricks: draft.tricks,
    method: draft.method,
    target,
    version: draft.version,
    headers: draft.headers,
    body,
    framing: draft.framing,
    mayGoUnanswered: draft.mayGoUnanswered || roughSize(body) > socketBufferBytes,
  };
};
