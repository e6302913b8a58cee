import { InMemoryTaskStore } from "../../src/adapters/index.ts";
import { TaskStoreContract } from "../../src/testing/index.ts";

TaskStoreContract.suite("InMemoryTaskStore", () => InMemoryTaskStore.layer);
