#!/usr/bin/env node
/**
 * The `tally` executable: parses the command line and runs the command as the process
 * (`pnpm tally <command>`, or `node packages/server/src/bin/tally.ts <command>` on Node 24).
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
