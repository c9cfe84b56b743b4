// The embedded store: Vigil's own SQLite tables hold the traces, so the engine reads completed
// traces from an outbox and writes assessments in its own transaction (AssessmentSink.atomic).
import type { EngineCtx } from "@/lib/engine/engine-context";
import type { EngineStore } from "@/lib/engine/ports";
import { completeQuietTraces } from "@/lib/engine/complete-quiet-traces";
import { embeddedSessions } from "./sessions";
import { embeddedSink } from "./sink";
import { embeddedSource } from "./source";

export { scoredPairs } from "./sink";

export function embeddedStore(e: EngineCtx): EngineStore {
  return {
    kind: "embedded",
    source: embeddedSource({
      get db() {
        return e.ctx.db;
      },
      get workerId() {
        return e.workerId;
      },
      get leaseMs() {
        return e.leaseMs;
      },
      now: () => e.ctx.now(),
    }),
    sink: embeddedSink(e.ctx.db.$client),
    sessions: embeddedSessions(e.ctx.db.$client),
    // A trace whose root span never ended counts as complete after the quiet period.
    upkeep: async () => completeQuietTraces({ ctx: e.ctx, input: { quietMs: e.ctx.config.VIGIL_TRACE_QUIET_MS } }),
  };
}
