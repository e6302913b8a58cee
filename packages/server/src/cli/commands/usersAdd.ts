/**
 * `tally users add USERNAME --role administrator|operator [--tenant ID] [--password P]`:
 * stores an API account with a scrypt hash of its password. Without `--password`, a random
 * one is made and printed once (it cannot be read back later).
 */
import { randomBytes } from "node:crypto";
import { TenantDirectory } from "@tally/core";
import { Console, Effect, Option } from "effect";
import { upsertAccountWithPassword } from "../../accounts/AccountProvisioning.ts";
import { CommandInputError } from "../CommandInputError.ts";
import { withTally } from "../withTally.ts";

/** What `tally users add` was given. */
export interface UsersAddInput {
  readonly username: string;
  readonly role: "administrator" | "operator";
  readonly tenant: Option.Option<string>;
  readonly password: Option.Option<string>;
}

/** Adds or replaces an API user. */
export const runUsersAdd = (configPath: string | undefined, input: UsersAddInput) =>
  withTally({ configPath, logTo: "stderr" }, () =>
    Effect.gen(function* () {
      const tenantId = Option.getOrNull(input.tenant);
      if (input.username.length === 0 || input.username.length > 128) {
        return yield* new CommandInputError({
          input: "USERNAME",
          expected: "a user name of 1 to 128 characters",
          actual: JSON.stringify(input.username),
        });
      }
      if (input.role === "operator" && tenantId === null) {
        return yield* new CommandInputError({
          input: "--tenant",
          expected: "the tenant id of the operator",
          actual: "nothing",
        });
      }
      if (input.role === "administrator" && tenantId !== null) {
        return yield* new CommandInputError({
          input: "--tenant",
          expected: "no tenant for an administrator (administrators see every tenant)",
          actual: JSON.stringify(tenantId),
        });
      }
      const password = Option.getOrElse(input.password, () =>
        randomBytes(12).toString("base64url"),
      );
      if (password.length === 0) {
        return yield* new CommandInputError({
          input: "--password",
          expected: "a non-empty password",
          actual: '""',
        });
      }
      if (tenantId !== null && Option.isNone(yield* (yield* TenantDirectory).getTenant(tenantId))) {
        yield* Console.error(
          `warning: tenant ${JSON.stringify(tenantId)} does not exist (yet); the operator sees nothing until it does.`,
        );
      }
      yield* upsertAccountWithPassword({
        username: input.username,
        password,
        role: input.role === "administrator" ? "Administrator" : "TenantOperator",
        tenantId,
      });
      yield* Console.log(
        `Saved ${input.role} ${input.username}${tenantId === null ? "" : ` of tenant ${tenantId}`}.`,
      );
      if (Option.isNone(input.password)) yield* Console.log(`Password (shown once): ${password}`);
    }),
  );
