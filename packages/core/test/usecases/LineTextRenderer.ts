/**
 * A tiny renderer for use-case tests: it implements the ReportRenderer port by writing each
 * summary and line as one line of text. It can be told to fail after some lines, to die (a
 * bug), or to run an effect before each line — to cancel a task mid-report, say.
 */

import { Effect, Stream } from "effect";
import {
  RenderError,
  type ReportRenderer,
  ReportRenderers,
  type StorageError,
} from "../../src/index.ts";

/** How the test renderer misbehaves, if at all. */
export interface LineTextRendererOptions {
  /** Fail with a RenderError when about to write this line (0-based). */
  readonly failAtLine?: number;
  /** Throw (a defect) when about to write this line. */
  readonly dieAtLine?: number;
  /** Runs before each detail line is written. */
  readonly beforeLine?: (index: number) => Effect.Effect<void>;
}

const encoder = new TextEncoder();

/** A `csv`-format renderer writing one text line per summary and detail line. */
export const lineTextRenderer = (options: LineTextRendererOptions = {}): ReportRenderer => {
  let index = 0;
  const beforeLine = (): Effect.Effect<void, RenderError> =>
    Effect.suspend(() => {
      const at = index++;
      if (at === options.failAtLine) {
        return Effect.fail(new RenderError({ format: "csv", detail: `refused line ${at}` }));
      }
      if (at === options.dieAtLine) throw new Error(`renderer bug at line ${at}`);
      return options.beforeLine === undefined ? Effect.void : options.beforeLine(at);
    });
  const text = (line: string) => encoder.encode(`${line}\n`);
  const linesOf = <A, E>(
    items: Stream.Stream<A, E>,
    show: (item: A) => string,
  ): Stream.Stream<Uint8Array, E | RenderError> =>
    Stream.mapEffect(items, (item) => Effect.as(beforeLine(), text(show(item))));
  return {
    format: "csv",
    contentType: "text/plain; charset=utf-8",
    fileExtension: "csv",
    renderTenantReport: (content) =>
      Stream.suspend(() => {
        index = 0;
        const summaries: Stream.Stream<Uint8Array, StorageError> =
          content.request.variant === "summary"
            ? Stream.flatMap(Stream.fromEffect(content.summaries), (all) =>
                Stream.fromIterable(
                  all.map((s) =>
                    text(`summary ${s.tenantId ?? "-"} vms=${s.vmCount} ms=${s.protectedMs}`),
                  ),
                ),
              )
            : Stream.empty;
        const lines =
          content.request.variant === "summary"
            ? Stream.empty
            : linesOf(
                content.lines,
                (l) =>
                  `${l.tenantId ?? "-"} ${l.vmId} ${l.start} ${l.end}${l.ongoing ? " ongoing" : ""}`,
              );
        return Stream.concat(
          Stream.make(text(`report ${content.taskId} as of ${content.generatedAt}`)),
          Stream.concat(summaries, lines),
        );
      }),
    renderLicenseOverview: (content) =>
      Stream.suspend(() => {
        index = 0;
        return Stream.concat(
          Stream.make(text(`licenses ${content.taskId}`)),
          linesOf(
            content.users,
            (u) => `${u.organizationId} ${u.userId} ${u.status} ${u.licensedSince}`,
          ),
        );
      }),
  };
};

/** A ReportRenderers service offering just this renderer. */
export const lineTextRenderers = (
  options: LineTextRendererOptions = {},
): ReportRenderers["Service"] => {
  const renderer = lineTextRenderer(options);
  return ReportRenderers.of({ forFormat: (format) => (format === "csv" ? renderer : undefined) });
};
