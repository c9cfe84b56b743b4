import Link from "next/link";

/**
 * The first thing a new experiment shows: how to get traces into it. In remote mode the traces
 * live in the MLflow server Vigil monitors, so it says that instead.
 */
export function EmptyExperiment({ experimentId, remoteUri }: { experimentId: string; remoteUri?: string | null }) {
  if (remoteUri) {
    return (
      <div className="empty" style={{ textAlign: "left" }}>
        <h3>No traces read from MLflow yet</h3>
        <p>
          This experiment&apos;s traces live in MLflow at <code>{remoteUri}</code>. Vigil reads them as they arrive (from an hour before it linked the
          experiment), scores them and writes the scores back; these charts fill in as it does. Browse the traces under{" "}
          <Link href={`/experiments/${experimentId}/traces`}>Traces</Link>; progress is on the <Link href="/mlflow">MLflow</Link> page.
        </p>
      </div>
    );
  }
  return (
    <div className="empty" style={{ textAlign: "left" }}>
      <h3>No traces in this experiment yet</h3>
      <p>Send your agent&apos;s traces here in either of two ways:</p>
      <ul>
        <li>
          OpenTelemetry: export to <code>/v1/traces</code> on this server with the header <code>x-mlflow-experiment-id: {experimentId}</code>.
        </li>
        <li>
          MLflow tracing: set the tracking URI to this server and call <code>mlflow.set_experiment(experiment_id=&quot;{experimentId}&quot;)</code>.
        </li>
      </ul>
      <p style={{ marginBottom: 0 }}>Scorers can be registered now; they start scoring as soon as traces arrive.</p>
    </div>
  );
}
