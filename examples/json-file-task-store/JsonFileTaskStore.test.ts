/**
 * The JSON-file TaskStore proven by Tally's TaskStore contract suite, exactly as an adapter
 * author runs it: one call, a factory for a fresh store per test, a fixed seed so a failure
 * can be replayed (`TALLY_CONTRACT_SEED` picks another).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { TaskStoreContract } from "@tally/core/testing";
import { afterAll } from "vitest";
import * as JsonFileTaskStore from "./JsonFileTaskStore.ts";

const directory = mkdtempSync(join(tmpdir(), "json-file-task-store-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

let stores = 0;
TaskStoreContract.suite(
  "JsonFileTaskStore",
  () => JsonFileTaskStore.layer({ path: join(directory, `tasks-${++stores}.json`) }),
  { numRuns: 15, seed: Number(process.env.TALLY_CONTRACT_SEED ?? 20261206) },
);
