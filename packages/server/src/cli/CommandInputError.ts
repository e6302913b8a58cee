/**
 * A command's input that the argument parser accepted but the command cannot use (a malformed
 * date, a file of an unknown kind, a row of an import file): which input, what was expected,
 * what was given. Exit code 2, like any usage error.
 */
import { Schema } from "effect";

/** A bad command input. */
export class CommandInputError extends Schema.TaggedError<CommandInputError>()(
  "CommandInputError",
  { input: Schema.String, expected: Schema.String, actual: Schema.String },
) {
  override get message(): string {
    return `${this.input}: expected ${this.expected}, got ${this.actual}`;
  }
}
