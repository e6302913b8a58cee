/**
 * `tally import KIND FILE`: reads a CSV or JSON file of one kind of fact and writes it in one
 * transaction (the storage's bulk import): every row is checked on the way in, and the first
 * bad row — or a row naming a tenant, VM, organization or user that does not exist — stops
 * the import with its place and column, and nothing of the file is written. Facts replace
 * those with the same id, so importing the same file again changes nothing.
 *
 * It needs the storage only: no renderer, no HTTP stack is loaded.
 */
import { basename } from "node:path";
import { FactImport, UnknownReferenceError } from "@tally/adapters-storage";
import { Console, Effect } from "effect";
import type { ImportKind } from "../../importing/ImportKinds.ts";
import { importBatches, importFormatOf } from "../../importing/readImportFile.ts";
import { CommandInputError } from "../CommandInputError.ts";
import { withStorage } from "../withStorage.ts";

/** What a reference names, as the message asks for it. */
const describeMissing = (error: UnknownReferenceError, file: string, csv: boolean) =>
  new CommandInputError({
    input: `${basename(file)} ${csv ? `row ${error.place}` : `[${error.place}]`}, ${error.field}`,
    expected: `the id of a known ${error.missing} (import the ${error.missing}s first)`,
    actual: JSON.stringify(error.id),
  });

/** Imports one file. */
export const runImport = (
  configPath: string | undefined,
  input: { readonly kind: ImportKind; readonly file: string },
) =>
  withStorage({ configPath, logTo: "stderr" }, () =>
    Effect.gen(function* () {
      const kind = input.kind;
      const csv = (yield* Effect.fromResult(importFormatOf(input.file))) === "csv";
      const batches = yield* importBatches(kind, input.file);
      const count = yield* (yield* FactImport).importFacts(kind, batches).pipe(
        Effect.catchIf(
          (error) => error instanceof UnknownReferenceError,
          (error) => Effect.fail(describeMissing(error, input.file, csv)),
        ),
      );
      yield* Console.log(`Imported ${count} ${kind} from ${input.file}.`);
    }),
  );
