/**
 * What `tally` runs once its entry point has set up the process: the command line, parsed and
 * run as the process's main effect.
 */
import { NodeServices } from "@effect/platform-node";
import { Effect } from "effect";
import { Command } from "effect/cli";
import { runTallyMain } from "../cli/runTallyMain.ts";
import { tallyCommand, tallyVersion } from "../cli/TallyCommand.ts";

runTallyMain(
  Command.runWith(tallyCommand, { version: tallyVersion })(process.argv.slice(2)).pipe(
    Effect.provide(NodeServices.layer),
  ),
);
