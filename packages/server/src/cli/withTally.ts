/**
 * The environment of the commands that make reports or serve them: the configuration and
 * every Tally service (see `CommandEnvironment`).
 */
import { makeTallyLayer } from "../wiring/TallyLayer.ts";
import { withEnvironment } from "./CommandEnvironment.ts";

/** Runs `program` with the configuration and every Tally service. */
export const withTally = withEnvironment(makeTallyLayer);
