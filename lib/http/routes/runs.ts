// MLflow's run endpoints (/api/2.0/mlflow/runs/...), the ones mlflow.genai.evaluate calls, and
// the trace-to-run and trace-to-prompt links its exporter and harness make.
import { createRun, deleteRunTag, getRun, logBatch, logInputs, logMetric, logParam, setRunTag, updateRun } from "@/lib/runs";
import { linkPromptsToTrace, linkTracesToRun } from "@/lib/traces";
import type { Ctx } from "@/lib/core";
import { readInput } from "../body";
import type { ApiRequest, Route } from "../types";

const RUNS = "/api/2.0/mlflow/runs";

type Verb = (a: { ctx: Ctx; input: never }) => unknown;
const post = (path: string, verb: Verb): Route => ({
  method: "POST",
  path,
  handler: (req: ApiRequest, ctx) => {
    return { status: 200, json: verb({ ctx, input: readInput(req) as never }) };
  },
});

export const runRoutes: Route[] = [
  post(`${RUNS}/create`, createRun as Verb),
  post(`${RUNS}/update`, updateRun as Verb),
  post(`${RUNS}/log-batch`, logBatch as Verb),
  post(`${RUNS}/log-metric`, logMetric as Verb),
  post(`${RUNS}/log-parameter`, logParam as Verb),
  post(`${RUNS}/set-tag`, setRunTag as Verb),
  post(`${RUNS}/delete-tag`, deleteRunTag as Verb),
  post(`${RUNS}/log-inputs`, logInputs as Verb),
  { method: "GET", path: `${RUNS}/get`, handler: (req, ctx) => ({ status: 200, json: getRun({ ctx, input: readInput(req) }) }) },
  // The Python client sends these under the 2.0 prefix (rest_store._call_endpoint); 3.0 is accepted too.
  ...["2.0", "3.0"].flatMap((v) => [
    post(`/api/${v}/mlflow/traces/link-to-run`, linkTracesToRun as Verb),
    post(`/api/${v}/mlflow/traces/link-prompts`, linkPromptsToTrace as Verb),
  ]),
];
