/**
 * Reads an import file in batches: CSV (streamed with fast-csv, so a file of millions of rows
 * needs memory for one batch only; `;` or `,` separated, detected from the header) or JSON (an
 * array of objects). The format comes from the extension. Every row is decoded before its
 * batch is handed on; the first bad row stops the import with its place in the file.
 */
import { closeSync, createReadStream, openSync, readSync } from "node:fs";
import { basename, extname } from "node:path";
import { Effect, Result } from "effect";
import { parse } from "fast-csv";
import { CommandInputError } from "../cli/CommandInputError.ts";
import {
  type ImportKind,
  type ImportRecordOf,
  importColumns,
  type RawRow,
  rowDecoders,
} from "./ImportRecords.ts";

/** Rows handed on at once (one transaction each in the store). */
export const importBatchSize = 5_000;

const fileProblem = (path: string, expected: string, actual: string) =>
  new CommandInputError({ input: path, expected, actual });

const readHead = (path: string): string => {
  const fd = openSync(path, "r");
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const length = readSync(fd, buffer, 0, buffer.length, 0);
    return buffer.subarray(0, length).toString("utf8");
  } finally {
    closeSync(fd);
  }
};

const checkHeader = (
  path: string,
  kind: ImportKind,
  header: ReadonlyArray<string>,
): CommandInputError | undefined => {
  const missing = importColumns[kind].filter(
    (column) => !header.includes(column) && column !== "tenantId" && column !== "end",
  );
  return missing.length === 0
    ? undefined
    : fileProblem(
        path,
        `a CSV header with the columns ${importColumns[kind].join(", ")}`,
        `a header without ${missing.join(", ")} (${JSON.stringify(header.join(","))})`,
      );
};

/** Hands out the file's raw rows a batch at a time; an empty batch means the end. */
type RowSource = () => Promise<ReadonlyArray<unknown>>;

const csvRows = (path: string, kind: ImportKind): Effect.Effect<RowSource, CommandInputError> =>
  Effect.try({
    try: () => readHead(path).replace(/^\uFEFF/, ""),
    catch: (error) => fileProblem(path, "a readable file", (error as Error).message),
  }).pipe(
    Effect.flatMap((head) => {
      const firstLine = head.split(/\r?\n/, 1)[0] ?? "";
      const delimiter = firstLine.split(";").length > firstLine.split(",").length ? ";" : ",";
      const header = firstLine.split(delimiter).map((h) => h.trim().replace(/^"|"$/g, ""));
      const problem = checkHeader(path, kind, header);
      if (problem !== undefined) return Effect.fail(problem);
      const parser = createReadStream(path).pipe(
        parse<RawRow, RawRow>({ headers: true, delimiter, ignoreEmpty: true, trim: true }),
      );
      const rows = (parser as AsyncIterable<RawRow>)[Symbol.asyncIterator]();
      // One promise per batch, not per row: the parser is pulled directly.
      return Effect.succeed<RowSource>(async () => {
        const batch: RawRow[] = [];
        while (batch.length < importBatchSize) {
          const next = await rows.next();
          if (next.done === true) break;
          batch.push(next.value);
        }
        return batch;
      });
    }),
  );

const jsonRows = (path: string): Effect.Effect<RowSource, CommandInputError> =>
  Effect.try({
    try: () => JSON.parse(readHeadAll(path)) as unknown,
    catch: (error) =>
      fileProblem(path, "a JSON array of objects", `unreadable JSON (${(error as Error).message})`),
  }).pipe(
    Effect.flatMap((value) => {
      if (!Array.isArray(value)) {
        return Effect.fail(
          fileProblem(
            path,
            "a JSON array of objects",
            `a JSON ${value === null ? "null" : typeof value}`,
          ),
        );
      }
      let offset = 0;
      return Effect.succeed<RowSource>(async () => {
        const batch = value.slice(offset, offset + importBatchSize);
        offset += batch.length;
        return batch;
      });
    }),
  );

const readHeadAll = (path: string): string => {
  const fd = openSync(path, "r");
  try {
    const chunks: Buffer[] = [];
    const buffer = Buffer.alloc(1024 * 1024);
    for (;;) {
      const length = readSync(fd, buffer, 0, buffer.length, null);
      if (length === 0) break;
      chunks.push(Buffer.from(buffer.subarray(0, length)));
    }
    return Buffer.concat(chunks)
      .toString("utf8")
      .replace(/^\uFEFF/, "");
  } finally {
    closeSync(fd);
  }
};

/** The file's format from its extension, or an error naming what is accepted. */
export const importFormatOf = (path: string): Result.Result<"csv" | "json", CommandInputError> => {
  const extension = extname(path).toLowerCase();
  if (extension === ".csv") return Result.succeed("csv");
  if (extension === ".json") return Result.succeed("json");
  return Result.fail(
    fileProblem(
      path,
      "a file ending in .csv or .json",
      JSON.stringify(extension || basename(path)),
    ),
  );
};

/**
 * Decodes the file's rows of `kind` and hands them on in batches of `importBatchSize`;
 * returns how many records were handed on.
 */
export const forEachImportBatch = <K extends ImportKind, E, R>(
  kind: K,
  path: string,
  onBatch: (records: ReadonlyArray<ImportRecordOf[K]>) => Effect.Effect<void, E, R>,
): Effect.Effect<number, CommandInputError | E, R> =>
  Effect.gen(function* () {
    const format = yield* Effect.fromResult(importFormatOf(path));
    const decode = rowDecoders[kind] as (
      row: RawRow,
      where: string,
    ) => Result.Result<ImportRecordOf[K], CommandInputError>;
    const name = basename(path);
    // CSV rows are counted like a spreadsheet does: the header is row 1.
    const place =
      format === "csv" ? (i: number) => `${name} row ${i + 2}` : (i: number) => `${name} [${i}]`;
    const source = yield* format === "csv" ? csvRows(path, kind) : jsonRows(path);
    let index = 0;
    for (;;) {
      const rows = yield* Effect.tryPromise({
        try: source,
        catch: (error) => fileProblem(path, "a well-formed CSV file", (error as Error).message),
      });
      if (rows.length === 0) break;
      const records: Array<ImportRecordOf[K]> = [];
      for (const row of rows) {
        const where = place(index++);
        if (row === null || typeof row !== "object" || Array.isArray(row)) {
          return yield* fileProblem(
            where,
            `an object with ${importColumns[kind].join(", ")}`,
            JSON.stringify(row) ?? String(row),
          );
        }
        const decoded = decode(row as RawRow, where);
        if (Result.isFailure(decoded)) return yield* decoded.failure;
        records.push(decoded.success);
      }
      yield* onBatch(records);
    }
    return index;
  });
