// Boots the engine's scoring thread: its TypeScript is loaded through tsx, as the worker
// process itself is (`node --import tsx scripts/worker.ts`; a thread does not inherit hooks).
import { workerData } from "node:worker_threads";
import { tsImport } from "tsx/esm/api";

await tsImport(workerData.entry, import.meta.url);
