/**
 * Structured logs: one JSON object per line with `time`, `level`, `message`, the log
 * annotations (`taskId`, `workerId`, ...) and, on failures, the cause. Lines are written
 * synchronously so that a line logged just before exit is never lost.
 */
import { Cause, Layer, Logger, type LogLevel, References } from "effect";

/** Where log lines go: `serve` keeps stdout for them, commands keep it for their output. */
export type LogDestination = "stdout" | "stderr";

const levelNames: Readonly<Record<LogLevel.LogLevel, string>> = {
  All: "all",
  Trace: "trace",
  Debug: "debug",
  Info: "info",
  Warn: "warn",
  Error: "error",
  Fatal: "fatal",
  None: "none",
};

const textOf = (message: unknown): string => {
  const parts = Array.isArray(message) ? message : [message];
  return parts.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(" ");
};

/** Formats one log event as a single JSON line (without the newline). */
export const formatLogLine = (options: Logger.Options<unknown>): string => {
  const line: Record<string, unknown> = {
    time: options.date.toISOString(),
    level: levelNames[options.logLevel],
    message: textOf(options.message),
  };
  const annotations = options.fiber.getRef(References.CurrentLogAnnotations);
  for (const [key, value] of Object.entries(annotations)) {
    if (!(key in line)) line[key] = value;
  }
  if (options.cause.reasons.length > 0) line.cause = Cause.pretty(options.cause);
  return JSON.stringify(line);
};

/** A logger writing JSON lines to the given stream. */
export const makeJsonLogger = (destination: LogDestination): Logger.Logger<unknown, void> =>
  Logger.make((options) => {
    const stream = destination === "stdout" ? process.stdout : process.stderr;
    stream.write(`${formatLogLine(options)}\n`);
  });

/** Replaces the default loggers with the JSON logger and sets the minimum level. */
export const JsonLoggerLayer = (
  destination: LogDestination,
  minimumLevel: LogLevel.LogLevel,
): Layer.Layer<never> =>
  Layer.mergeAll(
    Logger.layer([makeJsonLogger(destination)]),
    Layer.succeed(References.MinimumLogLevel, minimumLevel),
  );
