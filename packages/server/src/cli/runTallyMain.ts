/**
 * Runs the `tally` program as the process: signals, exit codes and the last words.
 *
 * - The first SIGTERM/SIGINT goes to a command that shuts down gracefully (`serve`, `worker`)
 *   as a `ShutdownSignal`; any other command is interrupted, so its finalizers give back what
 *   it held. A second signal interrupts whatever is running; a third exits at once.
 * - Exit codes: 0 done (a graceful shutdown included), 1 failed, 2 bad configuration or usage,
 *   130 interrupted by a signal.
 */

import { Cause, Effect, Exit } from "effect";
import { CliError } from "effect/cli";
import { ConfigError } from "../config/ConfigError.ts";
import { CommandInputError } from "./CommandInputError.ts";
import { makeShutdownSignal, ShutdownSignal } from "./ShutdownSignal.ts";

/** Exit code of a bad configuration or a usage error. */
export const usageExitCode = 2;

const isTagged = (error: unknown, tag: string): boolean =>
  typeof error === "object" && error !== null && (error as { _tag?: unknown })._tag === tag;

/** A failure in one line: its message, or its tag and its cause's message when it has none. */
const describeError = (error: Error): string => {
  if (error.message !== "") return error.message;
  const tag = (error as { _tag?: unknown })._tag;
  const cause = (error as { cause?: unknown }).cause;
  const causeText =
    cause instanceof Error ? cause.message : cause === undefined ? "" : String(cause);
  return [typeof tag === "string" ? tag : error.name, causeText].filter((t) => t !== "").join(": ");
};

/** The exit code for how the program ended, and the message to print (if any). */
export const describeExit = (
  exit: Exit.Exit<unknown, unknown>,
): { readonly code: number; readonly message: string | undefined } => {
  if (Exit.isSuccess(exit)) return { code: 0, message: undefined };
  if (Cause.hasInterruptsOnly(exit.cause)) return { code: 130, message: "interrupted" };
  const error = Cause.squash(exit.cause);
  if (error instanceof ConfigError) return { code: usageExitCode, message: error.message };
  if (CliError.isCliError(error)) {
    // The parser has already printed the help and the problem.
    if (error._tag === "ShowHelp") {
      return { code: error.errors.length > 0 ? usageExitCode : 0, message: undefined };
    }
    return { code: usageExitCode, message: undefined };
  }
  if (error instanceof CommandInputError || isTagged(error, "ValidationError")) {
    return { code: usageExitCode, message: `error: ${(error as Error).message}` };
  }
  const failures = Cause.prettyErrors(exit.cause);
  const expected = exit.cause.reasons.every((reason) => reason._tag === "Fail");
  return {
    code: 1,
    message: expected
      ? `error: ${failures.map(describeError).join("; ")}`
      : `error: unexpected failure\n${Cause.pretty(exit.cause)}`,
  };
};

/** Runs the program as the process and exits with its code. */
export const runTallyMain = (program: Effect.Effect<void, unknown, ShutdownSignal>): void => {
  const trigger = makeShutdownSignal();
  const fiber = Effect.runFork(Effect.provideService(program, ShutdownSignal, trigger.service));
  // An Effect waiting on a signal holds no Node handle; this keeps the process alive meanwhile.
  const keepAlive = setInterval(() => {}, 2 ** 31 - 1);
  let signals = 0;
  const onSignal = (signal: NodeJS.Signals) => {
    signals++;
    if (signals === 1 && trigger.isGraceful()) trigger.fire(signal);
    else if (signals <= 2) fiber.interruptUnsafe();
    else process.exit(130);
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  fiber.addObserver((exit) => {
    clearInterval(keepAlive);
    const { code, message } = describeExit(exit);
    if (message !== undefined) process.stderr.write(`${message}\n`);
    process.exit(code);
  });
};
