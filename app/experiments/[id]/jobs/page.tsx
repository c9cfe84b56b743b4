import type { Metadata } from "next";
import { Hydrate } from "@/components/hydrate";
import { JobForm } from "@/components/jobs/job-form";
import { JobList } from "@/components/jobs/job-list";
import { listJobs } from "@/lib/engine/jobs";
import { listScorers } from "@/lib/monitoring";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { orNotFound, type SearchParams } from "@/app/_lib/page";
import { validateFilterAction } from "../actions";
import { cancelJobAction, createAssessJobAction, createBackfillJobAction, jobResultsAction, jobSummaryAction, listJobsAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Jobs" };

export default async function JobsPage({ params, searchParams }: { params: Promise<{ id: string }>; searchParams: Promise<SearchParams> }) {
  const { id } = await params;
  // Traces picked in the Traces list arrive as ?trace=…&trace=…
  const raw = (await searchParams).trace;
  const picked = [...new Set((Array.isArray(raw) ? raw : raw ? [raw] : []).filter((t) => /^[\w.:-]{1,200}$/.test(t)))].slice(0, 1000);
  const ctx = await getRequestCtx();
  const scorers = orNotFound(() => listScorers({ ctx, input: { experiment_id: id } }));
  const jobs = listJobs({ ctx, input: { experiment_id: id, max_results: 100 } }).jobs;
  const at = ctx.now();
  const canRun = ctx.actor.role === "admin";
  return (
    <>
      <h2 style={{ marginTop: 0 }}>Start a job</h2>
      <JobForm
        key={picked.join(",")}
        experimentId={id}
        canRun={canRun}
        picked={picked}
        scorers={scorers.map((s) => ({ name: s.name, sampleRate: s.sampleRate, runnable: s.runnable }))}
        actions={{ assess: createAssessJobAction, backfill: createBackfillJobAction, validateFilter: validateFilterAction }}
      />
      <h2>Jobs</h2>
      <Hydrate entries={[{ key: ["jobs", id], data: jobs, at }]}>
        <JobList
          experimentId={id}
          initial={jobs}
          at={at}
          canCancel={canRun}
          actions={{ list: listJobsAction, cancel: cancelJobAction, results: jobResultsAction, summary: jobSummaryAction }}
        />
      </Hydrate>
    </>
  );
}
