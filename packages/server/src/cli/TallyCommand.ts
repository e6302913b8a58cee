/**
 * The `tally` command line, parsed with effect's CLI module: one root with the shared
 * `--config` flag and a subcommand per job. Handlers live next door (one file each); this file
 * only says what each command accepts, so `tally <command> --help` documents it.
 */
import { Effect, Option } from "effect";
import { Argument, Command, Flag } from "effect/cli";
import { importKinds } from "../importing/ImportRecords.ts";

/**
 * Loads a command's module when the command runs: `tally --help` and light commands do not
 * pay for loading the HTTP server, the PDF renderer and the database drivers.
 */
const load = <M>(module: () => Promise<M>) => Effect.promise(module);

/** The version `tally --version` prints. */
export const tallyVersion = "0.2.0";

const config = Flag.String("config").pipe(
  Flag.withDescription(
    "JSON configuration file (default: $TALLY_CONFIG; environment variables win over it)",
  ),
  Flag.optional,
);

const root = Command.make("tally").pipe(
  Command.withSharedFlags({ config }),
  Command.withDescription(
    "Tally: protection and license reports over a pure core. Configuration comes from TALLY_* " +
      "environment variables and/or a JSON file (--config).",
  ),
);

/** The `--config` path given to the root command, if any. */
const configPath = Effect.map(root, (flags) => Option.getOrUndefined(flags.config));

/** Runs a command's handler from its lazily loaded module with the `--config` path. */
const handle = <M, A, E, R>(
  module: () => Promise<M>,
  run: (loaded: M, configPath: string | undefined) => Effect.Effect<A, E, R>,
) =>
  Effect.gen(function* () {
    const path = yield* configPath;
    const loaded = yield* load(module);
    return yield* run(loaded, path);
  });

const serve = Command.make("serve", {}, () =>
  handle(
    () => import("./commands/serve.ts"),
    (m, path) => m.runServe(path),
  ),
).pipe(
  Command.withDescription(
    "Serve the HTTP APIs and run report workers in one process (SQLite by default). Stops " +
      "gracefully on SIGTERM/SIGINT.",
  ),
);

const worker = Command.make("worker", {}, () =>
  handle(
    () => import("./commands/worker.ts"),
    (m, path) => m.runWorker(path),
  ),
).pipe(
  Command.withDescription(
    "Run report workers only (for PostgreSQL deployments with separate API processes).",
  ),
);

const zoneFlag = Flag.String("timezone").pipe(
  Flag.withDescription("zone spec: UTC, Local or UTC±HH:MM (default UTC)"),
  Flag.withDefault("UTC"),
);
const formatFlag = Flag.Literals("format", ["csv", "pdf"]).pipe(
  Flag.withDescription("output format"),
  Flag.withDefault("csv"),
);
const outFlag = Flag.String("out").pipe(
  Flag.withDescription(
    "file to write (default: the report's own file name, in the current directory)",
  ),
  Flag.optional,
);
const instantHelp =
  "YYYY-MM-DD, YYYY-MM-DDThh:mm:ss (read in --timezone) or a timestamp with Z or an offset";

const reportTenants = Command.make(
  "tenants",
  {
    tenant: Flag.String("tenant").pipe(Flag.withDescription("only this tenant"), Flag.optional),
    from: Flag.String("from").pipe(
      Flag.withDescription(`start (inclusive): ${instantHelp}; default: the earliest record`),
      Flag.optional,
    ),
    to: Flag.String("to").pipe(
      Flag.withDescription(`end (exclusive): ${instantHelp}; default: now`),
      Flag.optional,
    ),
    timezone: zoneFlag,
    format: formatFlag,
    out: outFlag,
  },
  (input) =>
    handle(
      () => import("./commands/report.ts"),
      (m, path) => m.runTenantReport(path, input),
    ),
).pipe(
  Command.withDescription("Make a tenant protection report (CSV in the vendor's columns, or PDF)."),
);

const reportLicenses = Command.make(
  "licenses",
  {
    from: Flag.String("from").pipe(Flag.withDescription(`start (inclusive): ${instantHelp}`)),
    to: Flag.String("to").pipe(Flag.withDescription(`end (exclusive): ${instantHelp}`)),
    organization: Flag.String("organization").pipe(
      Flag.withDescription("only this organization"),
      Flag.optional,
    ),
    timezone: zoneFlag,
    format: formatFlag,
    out: outFlag,
  },
  (input) =>
    handle(
      () => import("./commands/report.ts"),
      (m, path) => m.runLicenseReport(path, input),
    ),
).pipe(Command.withDescription("Make a license overview report (per-user CSV, or PDF)."));

const report = Command.make("report").pipe(
  Command.withSubcommands([reportTenants, reportLicenses]),
  Command.withDescription(
    "Make a report in this process, without the HTTP server: submits the task, runs it with a " +
      "progress bar, writes the file and prints where.",
  ),
);

const importCommand = Command.make(
  "import",
  {
    kind: Argument.Literals("kind", importKinds).pipe(
      Argument.withDescription(
        "what the file holds (load tenants before vms, vms before periods, ...)",
      ),
    ),
    file: Argument.String("file").pipe(
      Argument.withDescription("a .csv (header row; ; or ,) or .json (array) file"),
    ),
  },
  (input) =>
    handle(
      () => import("./commands/import.ts"),
      (m, path) => m.runImport(path, input),
    ),
).pipe(
  Command.withDescription(
    "Import facts from a CSV or JSON file. Columns: tenants id,name; vms id,name,tenantId; " +
      "periods id,vmId,start,end; organizations id,name,capacity,tenantId; users " +
      "id,name,organizationId; license-events id,userId,kind,at (assigned|revoked).",
  ),
);

const demo = Command.make("demo", {}, () =>
  handle(
    () => import("./commands/demo.ts"),
    (m, path) => m.runDemo(path),
  ),
).pipe(
  Command.withDescription(
    "Load the deterministic demo data set (tenants, VMs, periods, organizations, license " +
      "events, and the accounts admin/admin and two operators) into the configured storage.",
  ),
);

const demoReport = Command.make(
  "demo-report",
  {
    dir: Flag.String("dir").pipe(
      Flag.withDescription("working directory for the demo database and reports"),
      Flag.withDefault("./.tally"),
    ),
  },
  (input) =>
    handle(
      () => import("./commands/demoReport.ts"),
      (m, path) => m.runDemoReport(path, input),
    ),
).pipe(
  Command.withDescription(
    "The newcomer's one command: demo data into a fresh SQLite file under ./.tally, then a " +
      "tenant protection CSV and PDF and a license overview PDF for 2024 in ./.tally/reports.",
  ),
);

const usersAdd = Command.make(
  "add",
  {
    username: Argument.String("username").pipe(Argument.withDescription("login name")),
    role: Flag.Literals("role", ["administrator", "operator"]).pipe(
      Flag.withDescription("administrator (every tenant) or operator (one tenant)"),
    ),
    tenant: Flag.String("tenant").pipe(
      Flag.withDescription("the operator's tenant"),
      Flag.optional,
    ),
    password: Flag.String("password").pipe(
      Flag.withDescription("the password (default: a random one, printed once)"),
      Flag.optional,
    ),
  },
  (input) =>
    handle(
      () => import("./commands/usersAdd.ts"),
      (m, path) => m.runUsersAdd(path, input),
    ),
).pipe(
  Command.withDescription("Add or replace an API user (the password is stored as a scrypt hash)."),
);

const users = Command.make("users").pipe(
  Command.withSubcommands([usersAdd]),
  Command.withDescription("Manage API users."),
);

/** The `tally` command. */
export const tallyCommand = root.pipe(
  Command.withSubcommands([serve, worker, report, importCommand, demo, demoReport, users]),
);
