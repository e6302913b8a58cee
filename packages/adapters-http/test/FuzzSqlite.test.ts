/**
 * Hostile input over SQLite: 5,000 generated requests against a Tally whose storage is a fresh
 * SQLite file (see `fuzz/FuzzSuite.ts` for what is sent and what every answer must satisfy).
 */
import { freshSqliteStorage } from "../../adapters-storage/test/support/TemporaryDatabase.ts";
import { describeFuzzCampaign } from "./fuzz/FuzzSuite.ts";

describeFuzzCampaign(
  {
    name: "SQLite",
    storage: freshSqliteStorage,
    testFile: "packages/adapters-http/test/FuzzSqlite.test.ts",
  },
  { requests: 5_000, timeoutMs: 900_000 },
);
