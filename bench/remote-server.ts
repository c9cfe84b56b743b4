// The MLflow server of bench/remote.ts in its own process (a second Vigil over real HTTP), so the
// write-back figure measures the monitoring client, not a server sharing its event loop and core.
// Started by bench/remote.ts with an IPC channel; answers { url } once listening, then serves
// { seed, experimentId, count, startMs } and { assessments, experimentId } requests, and { close }.
import { startTestServer } from "../tests/helpers/server";
import { seedTraces } from "../tests/integration/mlflow.helpers";
import { vigilAssessments } from "../tests/integration/remote.helpers";

type Request =
  | { id: number; seed: true; experimentId: number; count: number; startMs: number }
  | { id: number; assessments: true; experimentId: number }
  | { id: number; lastExperiment: true }
  | { id: number; close: true };

const store = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "admin" });
const send = (m: unknown) => process.send!(m);

process.on("message", (m: Request) => {
  void (async () => {
    if ("close" in m) {
      await store.close();
      send({ id: m.id });
      process.exit(0);
    } else if ("seed" in m) {
      for (let i = 0; i < m.count; i += 1000) {
        const n = Math.min(1000, m.count - i);
        await seedTraces(
          store.ctx,
          m.experimentId,
          Array.from({ length: n }, (_, k) => ({ startMs: m.startMs + (i + k) * 5 })),
        );
      }
      send({ id: m.id });
    } else if ("assessments" in m) {
      send({ id: m.id, count: vigilAssessments(store.ctx, m.experimentId).length });
    } else {
      send({ id: m.id, experimentId: store.db.$client.prepare("SELECT MAX(experiment_id) FROM experiments").pluck().get() as number });
    }
  })();
});
send({ url: store.url });
