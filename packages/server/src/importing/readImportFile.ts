/**
 * Reads an import file as a stream of batches of facts: CSV (read in chunks, so a file of
 * millions of rows needs memory for one batch only; `;` or `,` separated, detected from the
 * header) or JSON (an array of objects, read whole). The format comes from the extension.
 * Every row is decoded on the way (`ImportRecords`); the first bad one fails the stream with
 * its place in the file — `file.csv row 7` (the line the record starts on) or `file.json [6]`
 * — and the column at fault.
 */
import { open, readFile } from "node:fs/promises";
import { basename, extname } from "node:path";
import type { FactBatch, FactOf } from "@tally/adapters-storage";
import { Effect, Result, Stream } from "effect";
import { CommandInputError } from "../cli/CommandInputError.ts";
import { CsvRecords, CsvSyntaxError } from "./CsvRecords.ts";
import type { ImportKind } from "./ImportKinds.ts";
import { optionalRowColumns, RowProblem, rowColumns, rowDecoders } from "./ImportRecords.ts";

/** Facts handed on at once. */
export const importBatchSize = 1_000;
/** Bytes read from a CSV file at once. */
const readBytes = 1 << 15;

const fileProblem = (path: string, expected: string, actual: string) =>
  new CommandInputError({ input: path, expected, actual });

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

/** Collects decoded facts into batches, naming a bad row by its place. */
class BatchBuilder<A> {
  facts: Array<A> = [];
  places: Array<number> = [];
  private readonly decode: (row: ReadonlyArray<unknown>) => A;
  private readonly describePlace: (place: number) => string;

  constructor(
    decode: (row: ReadonlyArray<unknown>) => A,
    describePlace: (place: number) => string,
  ) {
    this.decode = decode;
    this.describePlace = describePlace;
  }

  add(row: ReadonlyArray<unknown>, place: number): void {
    try {
      this.facts.push(this.decode(row));
    } catch (error) {
      if (!(error instanceof RowProblem)) throw error;
      throw new CommandInputError({
        input: `${this.describePlace(place)}, ${error.column}`,
        expected: error.expected,
        actual: error.actual,
      });
    }
    this.places.push(place);
  }

  get full(): boolean {
    return this.facts.length >= importBatchSize;
  }

  take(): FactBatch<A> {
    const batch = { facts: this.facts, places: this.places };
    this.facts = [];
    this.places = [];
    return batch;
  }
}

/** The delimiter of a header line: `;` when it splits the line into more cells than `,`. */
const delimiterOf = (headerLine: string): string =>
  headerLine.split(";").length > headerLine.split(",").length ? ";" : ",";

/** Where each of the kind's columns is in the header (-1: absent), or the problem. */
const columnPlaces = (
  path: string,
  kind: ImportKind,
  header: ReadonlyArray<string>,
): ReadonlyArray<number> => {
  const columns = rowColumns(kind);
  const optional = optionalRowColumns(kind);
  const duplicate = header.find((name, i) => header.indexOf(name) !== i);
  if (duplicate !== undefined) {
    throw fileProblem(
      path,
      "a CSV header naming each column once",
      `${JSON.stringify(duplicate)} twice`,
    );
  }
  const missing = columns.filter(
    (column) => !header.includes(column) && !optional.includes(column),
  );
  if (missing.length > 0) {
    throw fileProblem(
      path,
      `a CSV header with the columns ${columns.join(", ")}`,
      `a header without ${missing.join(", ")} (${JSON.stringify(header.join(","))})`,
    );
  }
  return columns.map((column) => header.indexOf(column));
};

/** The facts of a CSV file, in batches. */
async function* csvBatches<K extends ImportKind>(
  kind: K,
  path: string,
): AsyncGenerator<FactBatch<FactOf[K]>> {
  const name = basename(path);
  const batch = new BatchBuilder<FactOf[K]>(
    rowDecoders[kind] as (row: ReadonlyArray<unknown>) => FactOf[K],
    (line) => `${name} row ${line}`,
  );
  const file = await open(path, "r");
  try {
    const buffer = Buffer.allocUnsafe(readBytes);
    const decoder = new TextDecoder("utf-8");
    let reader: CsvRecords | undefined;
    let places: ReadonlyArray<number> = [];
    let width = 0;
    /** The row as the kind's columns, in order; a short record's missing cells are empty. */
    const onRecord = (cells: Array<string>, line: number) => {
      if (width === 0) {
        places = columnPlaces(path, kind, cells);
        width = cells.length;
        return;
      }
      if (cells.length > width) {
        throw fileProblem(
          `${name} row ${line}`,
          `at most ${width} cells, as the header has`,
          `${cells.length} cells`,
        );
      }
      batch.add(
        places.map((at) => (at < 0 ? undefined : (cells[at] ?? ""))),
        line,
      );
    };
    for (;;) {
      const { bytesRead } = await file.read(buffer, 0, readBytes, null);
      const final = bytesRead === 0;
      const text = final
        ? decoder.decode()
        : decoder.decode(buffer.subarray(0, bytesRead), { stream: true });
      reader ??= new CsvRecords(delimiterOf(text.split(/\r\n|\n|\r/, 1)[0] ?? ""));
      try {
        reader.push(text, final, onRecord);
      } catch (error) {
        if (!(error instanceof CsvSyntaxError)) throw error;
        throw fileProblem(`${name} row ${error.line}`, "well-formed CSV", error.message);
      }
      if (batch.full || (final && batch.facts.length > 0)) yield batch.take();
      if (final) break;
    }
    if (width === 0) {
      throw fileProblem(
        path,
        `a CSV header with the columns ${rowColumns(kind).join(", ")}`,
        "an empty file",
      );
    }
  } finally {
    await file.close();
  }
}

/** The facts of a JSON file (an array of objects), in batches. */
async function* jsonBatches<K extends ImportKind>(
  kind: K,
  path: string,
): AsyncGenerator<FactBatch<FactOf[K]>> {
  const name = basename(path);
  let items: unknown;
  try {
    items = JSON.parse((await readFile(path, "utf8")).replace(/^\uFEFF/, ""));
  } catch (error) {
    throw fileProblem(
      path,
      "a JSON array of objects",
      `unreadable JSON (${(error as Error).message})`,
    );
  }
  if (!Array.isArray(items)) {
    throw fileProblem(
      path,
      "a JSON array of objects",
      `a JSON ${items === null ? "null" : typeof items}`,
    );
  }
  const columns = rowColumns(kind);
  const batch = new BatchBuilder<FactOf[K]>(
    rowDecoders[kind] as (row: ReadonlyArray<unknown>) => FactOf[K],
    (index) => `${name} [${index}]`,
  );
  for (let i = 0; i < items.length; i++) {
    const item: unknown = items[i];
    if (item === null || typeof item !== "object" || Array.isArray(item)) {
      throw fileProblem(
        `${name} [${i}]`,
        `an object with ${columns.join(", ")}`,
        JSON.stringify(item) ?? String(item),
      );
    }
    batch.add(
      columns.map((column) => (item as Record<string, unknown>)[column]),
      i,
    );
    if (batch.full) yield batch.take();
  }
  if (batch.facts.length > 0) yield batch.take();
}

/** The facts of the file, decoded, in batches of `importBatchSize`. */
export const importBatches = <K extends ImportKind>(
  kind: K,
  path: string,
): Effect.Effect<Stream.Stream<FactBatch<FactOf[K]>, CommandInputError>, CommandInputError> =>
  Effect.map(Effect.fromResult(importFormatOf(path)), (format) =>
    Stream.suspend(() =>
      Stream.fromAsyncIterable(
        format === "csv" ? csvBatches(kind, path) : jsonBatches(kind, path),
        (error) =>
          error instanceof CommandInputError
            ? error
            : fileProblem(path, "a readable file", (error as Error).message),
      ),
    ),
  );
