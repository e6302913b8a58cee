/**
 * Hostile input over PostgreSQL: 3,000 generated requests against a Tally whose storage is a fresh
 * schema of the test server (`TALLY_TEST_POSTGRES_URL`; see `fuzz/FuzzSuite.ts` for what is
 * sent and what every answer must satisfy). PostgreSQL refuses text SQLite takes (NUL,
 * invalid UTF-8): none of it may come back as a 5xx.
 */
import {
  awaitSchemaDrops,
  freshPostgresStorage,
  requirePostgres,
} from "../../adapters-storage/test/support/TestPostgres.ts";
import { describeFuzzCampaign } from "./fuzz/FuzzSuite.ts";

describeFuzzCampaign(
  {
    name: "PostgreSQL",
    storage: freshPostgresStorage,
    testFile: "packages/adapters-http/test/FuzzPostgres.test.ts",
    before: requirePostgres,
    after: awaitSchemaDrops,
  },
  { requests: 3_000, timeoutMs: 900_000 },
);
