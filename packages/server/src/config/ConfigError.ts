/**
 * A configuration that cannot start Tally: every bad setting, each named as the operator wrote
 * it (an environment variable, or a key of the file), with what was expected and what was given.
 */
import { Schema } from "effect";

/** One bad setting. */
export const ConfigIssue = Schema.Struct({
  setting: Schema.String,
  expected: Schema.String,
  actual: Schema.String,
});
/** One bad setting. */
export type ConfigIssue = typeof ConfigIssue.Type;

/** The configuration is invalid; start-up stops (exit code 2). */
export class ConfigError extends Schema.TaggedError<ConfigError>()("ConfigError", {
  issues: Schema.Array(ConfigIssue),
}) {
  override get message(): string {
    const lines = this.issues.map((i) => `  ${i.setting}: expected ${i.expected}, got ${i.actual}`);
    return `invalid configuration:\n${lines.join("\n")}`;
  }
}
