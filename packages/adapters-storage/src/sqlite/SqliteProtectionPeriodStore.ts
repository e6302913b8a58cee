/**
 * The ProtectionPeriodStore port on SQLite. Ingestion reuses one prepared upsert inside one
 * IMMEDIATE transaction (the bulk path: see bench/bulkIngest.ts for rows per second); the
 * report stream merges ordered scans of the periods and of their VMs (`SqlitePeriodStream`).
 */
import { ProtectionPeriodStore } from "@tally/core";
import { Effect, Option } from "effect";
import {
  countOverlappingQuery,
  earliestStartQuery,
  periodParts,
} from "../queries/PeriodQueries.ts";
import { distinct, unknownVmOf } from "../records/UnknownReferences.ts";
import type { SqliteDatabase } from "./SqliteDatabase.ts";
import { makeSqliteFactWriter } from "./SqliteFactWrites.ts";
import { sqlitePeriodStream } from "./SqlitePeriodStream.ts";

/** Which of the VM ids in a JSON array exist. */
const knownVmsSql = "select id from vms where id in (select value from json_each(?))";

/** A ProtectionPeriodStore over an open SQLite database. */
export const makeSqliteProtectionPeriodStore = (
  database: SqliteDatabase,
): ProtectionPeriodStore["Service"] =>
  ProtectionPeriodStore.of({
    upsertPeriods: (periods) =>
      database.use("ProtectionPeriodStore.upsertPeriods", (db) => {
        if (periods.length === 0) return;
        const write = makeSqliteFactWriter((sql) => db.statement(sql));
        const knownVms = db.statement(knownVmsSql).pluck();
        db.writeTransaction(() => {
          const vmIds = distinct(periods, (p) => p.vmId);
          const known = new Set(knownVms.all(JSON.stringify(vmIds)) as Array<string>);
          const unknown = unknownVmOf("ProtectionPeriodStore.upsertPeriods", periods, known);
          if (unknown !== undefined) throw unknown;
          for (const period of periods) write.period(period);
        });
      }),
    streamOverlapping: (interval, filter) =>
      sqlitePeriodStream(database, "ProtectionPeriodStore.streamOverlapping", interval, filter),
    countOverlapping: (interval, filter) =>
      Effect.map(
        Effect.forEach(periodParts(filter), (part) =>
          database.scanFirst(
            "ProtectionPeriodStore.countOverlapping",
            countOverlappingQuery(database.kysely, interval, part),
          ),
        ),
        (counts) => counts.reduce((total, row) => total + Number(row?.n ?? 0), 0),
      ),
    earliestStart: (filter) =>
      database.use("ProtectionPeriodStore.earliestStart", (db) => {
        const earliest = db.first(earliestStartQuery(db.kysely, filter))?.earliest;
        return earliest === null || earliest === undefined ? Option.none() : Option.some(earliest);
      }),
  });
