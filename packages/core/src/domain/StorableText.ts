/**
 * Storable text: text that every storage backend holds exactly as given and gives back
 * unchanged, so that the same input is refused — or kept — alike on SQLite and PostgreSQL.
 *
 * - No NUL (U+0000): PostgreSQL's `text` cannot hold it at all (it refuses the value with SQLSTATE
 *   22021, which would otherwise surface as a 500 on PostgreSQL and be stored on SQLite).
 * - No lone surrogate (U+D800–U+DFFF not part of a pair): it is no Unicode scalar value and has no
 *   UTF-8 form, so both drivers silently write U+FFFD instead — the id read back would not be the
 *   id sent.
 * - A length bound, in UTF-16 code units (what `String.length` and the Schemas' length checks
 *   count), so that no value costs the database more than a field of its kind needs.
 *
 * Text that is not in Unicode normalization form C is storable: both backends keep its code points
 * as given (`e\u0301` stays two code points, and is another id than `é`), exactly as a client
 * that sends it expects to read it back.
 */
import { Schema } from "effect";
import { quoteGiven } from "./GivenText.ts";

/** What storable text may not contain, in words (for error messages and documentation). */
export const storableTextRule = "no NUL (U+0000) and no lone surrogate (U+D800–U+DFFF)";

/** NUL, or a surrogate not part of a pair (a pair is one code point in a `u` regex). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: NUL is the character looked for.
const unstorable = /[\u0000\p{Cs}]/u;

/** The first character no backend can store as given, described; undefined when there is none. */
export const unstorableCharacter = (text: string): string | undefined => {
  const found = unstorable.exec(text);
  if (found === null) return undefined;
  const codeUnit = found[0].charCodeAt(0);
  const at = `at index ${found.index}`;
  return codeUnit === 0
    ? `NUL (U+0000) ${at}`
    : `a lone surrogate U+${codeUnit.toString(16).toUpperCase()} ${at}`;
};

/** True when every storage backend stores `text` as given (length aside). */
export const isStorableText = (text: string): boolean => !unstorable.test(text);

/** The Schema check of storable characters: the message names the first offending one. */
export const storableCharacters = Schema.makeFilter(
  (text: string) => {
    const bad = unstorableCharacter(text);
    return bad === undefined
      ? undefined
      : `Expected text with ${storableTextRule}, got ${quoteGiven(text)} (${bad})`;
  },
  { expected: `text with ${storableTextRule}` },
);

/** The bounds of a kind of storable text. */
export interface StorableTextBounds {
  /** Fewest UTF-16 code units (default 0). */
  readonly minLength?: number;
  /** Most UTF-16 code units. */
  readonly maxLength: number;
}

/** Storable text of a bounded length: refused with a message naming the broken rule. */
export const StorableText = ({ minLength = 0, maxLength }: StorableTextBounds) =>
  minLength > 0
    ? Schema.String.check(
        Schema.isMinLength(minLength),
        Schema.isMaxLength(maxLength),
        storableCharacters,
      )
    : Schema.String.check(Schema.isMaxLength(maxLength), storableCharacters);

/** The longest name of a fact (a tenant, VM, organization or user name, an e-mail address). */
export const maxNameLength = 1024;

/** A fact's name: storable text of at most 1,024 characters (it may be empty). */
export const FactName = StorableText({ maxLength: maxNameLength }).annotate({
  description: `At most ${maxNameLength} characters; ${storableTextRule}`,
});
