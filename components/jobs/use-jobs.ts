"use client";
import { useQuery } from "@tanstack/react-query";
import type { JobJson } from "@/lib/engine/jobs";
import type { ActionResult } from "@/lib/read/action-result";
import { unwrap } from "../scorers/use-scorers";
import { jobsRefetchInterval } from "./job-progress";

export const jobsKey = (experimentId: string) => ["jobs", experimentId] as const;

/** Every job of the experiment, polled each second while one is queued or running. */
export function useJobs(experimentId: string, initial: JobJson[], list: (experimentId: string) => Promise<ActionResult<JobJson[]>>, at: number) {
  return useQuery({
    queryKey: jobsKey(experimentId),
    queryFn: async () => unwrap(await list(experimentId)),
    initialData: initial,
    initialDataUpdatedAt: at,
    refetchInterval: (q) => jobsRefetchInterval(q.state.data ?? []),
    refetchIntervalInBackground: false,
  });
}
