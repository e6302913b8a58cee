/**
 * The environment of the commands that only store facts (`tally import`): the configuration
 * and the storage, without renderers (see `CommandEnvironment`).
 */
import { storageLayer } from "../wiring/StorageLayer.ts";
import { withEnvironment } from "./CommandEnvironment.ts";

/** Runs `program` with the configuration and the storage. */
export const withStorage = withEnvironment((config) => storageLayer(config.storage));
