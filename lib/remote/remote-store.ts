// The MLflow-REST store: a real MLflow tracking server holds the traces; Vigil's database keeps
// only the engine's state. The engine reads traces by search (source.ts) and writes assessments
// back exactly once (sink.ts); the only real difference from the embedded store is that the
// sink's write is not atomic with the ledger.
import type { MlflowBackend } from "@/lib/backend/types";
import type { EngineCtx, StoreFactory } from "@/lib/engine/engine-context";
import type { EngineStore } from "@/lib/engine/ports";
import { makeRemoteCtx, type RemoteCtx } from "./remote-ctx";
import { remoteSessions } from "./sessions";
import { remoteSink } from "./sink";
import { remoteSource } from "./source";
import { syncWithMlflow } from "./upkeep";

export function remoteStoreOf(rc: RemoteCtx): EngineStore {
  return { kind: "remote", source: remoteSource(rc), sink: remoteSink(rc), sessions: remoteSessions(rc), upkeep: () => syncWithMlflow(rc) };
}

/** A store factory over `backend`; `configure` may adjust the RemoteCtx (tests: page size) and keep it. */
export function remoteStore(backend: MlflowBackend, configure: (rc: RemoteCtx) => void = () => {}): StoreFactory {
  return (e: EngineCtx) => {
    const rc = makeRemoteCtx(e, backend);
    configure(rc);
    return remoteStoreOf(rc);
  };
}
