/**
 * The IdGenerator port: fresh, unique, unguessable identifiers for tasks and reports.
 */
import { Context, type Effect } from "effect";

/** Makes a fresh id for a kind of object (`task`, `report`, ...). */
export class IdGenerator extends Context.Service<
  IdGenerator,
  { readonly next: (kind: string) => Effect.Effect<string> }
>()("tally/core/IdGenerator") {}
