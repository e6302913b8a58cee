/**
 * Entry point of one measured report (see oneReport.ts): switches on Node's compile cache first,
 * as the `tally` executable does, so the process measured is the one a worker runs.
 */
import { enableCompileCache } from "node:module";

enableCompileCache();
await import("./oneReport.ts");
