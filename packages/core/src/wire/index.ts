/** The wire forms: how instants, zones, facts and report requests travel as text and JSON. */
export * from "./FactWire.ts";
export * from "./InstantText.ts";
export * from "./IsoInstant.ts";
export * from "./SchemaIssues.ts";
