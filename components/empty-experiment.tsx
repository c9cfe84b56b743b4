/** The first thing a new experiment shows: how to get traces into it. */
export function EmptyExperiment({ experimentId }: { experimentId: string }) {
  return (
    <div className="empty" style={{ textAlign: "left" }}>
      <h3>No traces in this experiment yet</h3>
      <p>Send your agent&apos;s traces here in either of two ways:</p>
      <ul>
        <li>
          OpenTelemetry: export to <code>/v1/traces</code> on this server with the header{" "}
          <code>x-mlflow-experiment-id: {experimentId}</code>.
        </li>
        <li>
          MLflow tracing: set the tracking URI to this server and call{" "}
          <code>mlflow.set_experiment(experiment_id=&quot;{experimentId}&quot;)</code>.
        </li>
      </ul>
      <p style={{ marginBottom: 0 }}>Scorers can be registered now; they start scoring as soon as traces arrive.</p>
    </div>
  );
}
