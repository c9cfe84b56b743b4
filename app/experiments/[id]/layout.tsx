import Link from "next/link";
import type { ReactNode } from "react";
import { SectionTabs } from "@/components/section-tabs";
import { getExperiment } from "@/lib/experiments";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { orNotFound } from "@/app/_lib/page";

export default async function ExperimentLayout({ children, params }: { children: ReactNode; params: Promise<{ id: string }> }) {
  const { id } = await params;
  const ctx = await getRequestCtx();
  const { experiment } = orNotFound(() => getExperiment({ ctx, input: { experiment_id: id } }));
  if (experiment.lifecycle_stage !== "active") {
    return (
      <div className="empty">
        <h3>Experiment {experiment.name} is deleted</h3>
        <p>
          Restore it through the MLflow API to monitor it again. <Link href="/">Back to experiments</Link>
        </p>
      </div>
    );
  }
  const note = experiment.tags.find((t) => t.key === "mlflow.note.content")?.value;
  return (
    <>
      <div className="crumbs">
        <Link href="/">Experiments</Link> / #{experiment.experiment_id}
      </div>
      <h1>{experiment.name}</h1>
      {note && (
        <p className="sub" style={{ marginBottom: 0 }}>
          {note}
        </p>
      )}
      <SectionTabs experimentId={experiment.experiment_id} />
      {children}
    </>
  );
}
