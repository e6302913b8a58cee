/**
 * Operational endpoints, public by design: liveness (`/v1/health`) and readiness
 * (`/v1/ready`: can storage be reached?).
 */
import { TaskStore, TenantDirectory } from "@tally/core";
import { Effect } from "effect";
import { HttpApiBuilder } from "effect/http-api";
import { TallyApi } from "../../api/TallyApi.ts";
import { HttpProblem } from "../../problems/HttpProblem.ts";
import { answeredByProblems } from "../Handling.ts";

/** The handlers of the `service` group. */
export const serviceHandlers = HttpApiBuilder.group(TallyApi, "service", (handlers) =>
  handlers
    .handle("health", () => Effect.succeed({ status: "ok" as const }))
    .handle("ready", () =>
      answeredByProblems(
        Effect.gen(function* () {
          yield* (yield* TaskStore).list({ limit: 1 });
          yield* (yield* TenantDirectory).listTenants({ limit: 1 });
          return { status: "ready" as const };
        }).pipe(
          Effect.catchTag("StorageError", (error) =>
            Effect.andThen(
              Effect.logWarning(`readiness check failed: ${error.message}`),
              Effect.fail(
                new HttpProblem({
                  kind: "service-unavailable",
                  detail: "storage cannot be reached",
                  headers: { "retry-after": "5" },
                }),
              ),
            ),
          ),
        ),
      ),
    ),
);
