/**
 * What `tally` runs once its entry point has set up the process: the command line, parsed and
 * run as the process's main effect. The Node services come from their own module of
 * @effect/platform-node: its index would also load the Redis, WebSocket and HTTP-client
 * modules (~500 modules, ~40 MiB), which no command uses.
 */
import * as NodeServices from "@effect/platform-node/NodeServices";
import { Effect } from "effect";
import { Command } from "effect/cli";
import { runTallyMain } from "../cli/runTallyMain.ts";
import { tallyCommand } from "../cli/TallyCommand.ts";
import { tallyVersion } from "../cli/TallyVersion.ts";

runTallyMain(
  Command.runWith(tallyCommand, { version: tallyVersion })(process.argv.slice(2)).pipe(
    Effect.provide(NodeServices.layer),
  ),
);
