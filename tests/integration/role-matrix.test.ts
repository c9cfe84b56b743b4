import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Role } from "@/lib/core";
import { startTestServer, type TestServer } from "../helpers/server";
import { addToken, api, seedTraces } from "./mlflow.helpers";
import { pii, S, V } from "./scorers.helpers";

// Issue 8's roles: viewer reads; operator also pauses, resumes, stops and starts scorers and
// cancels jobs; admin does everything; ingest tokens only write traces.
type Min = "operator" | "admin" | "ingest";
const allowed = (role: Role, min: Min) => (min === "ingest" ? role !== "viewer" : role === "admin" || (min === "operator" && role === "operator"));

interface Call {
  name: string;
  min: Min;
  method: string;
  path: (f: Fixture) => string;
  body?: (f: Fixture, role: Role) => unknown;
  headers?: (f: Fixture) => Record<string, string>;
}

interface Fixture {
  exp: string;
  spare: Record<Role, string>;
  trace: string;
  jobId: string;
}

const CALLS: Call[] = [
  { name: "create an experiment", min: "operator", method: "POST", path: () => "/api/2.0/mlflow/experiments/create", body: (_f, r) => ({ name: `new-${r}` }) },
  {
    name: "delete an experiment",
    min: "admin",
    method: "POST",
    path: () => "/api/2.0/mlflow/experiments/delete",
    body: (f, r) => ({ experiment_id: f.spare[r] }),
  },
  {
    name: "write a human assessment",
    min: "operator",
    method: "POST",
    path: (f) => `/api/3.0/mlflow/traces/${f.trace}/assessments`,
    body: () => ({ assessment: { assessment_name: "human_ok", source: { source_type: "HUMAN", source_id: "me" }, feedback: { value: "yes" } } }),
  },
  { name: "tag a trace", min: "operator", method: "PATCH", path: (f) => `/api/3.0/mlflow/traces/${f.trace}/tags`, body: () => ({ key: "k", value: "v" }) },
  {
    name: "delete traces",
    min: "admin",
    method: "POST",
    path: () => "/api/3.0/mlflow/traces/delete-traces",
    body: (f) => ({ experiment_id: f.exp, request_ids: ["tr-00000000000000000000000000000001"] }),
  },
  {
    name: "register a scorer",
    min: "admin",
    method: "POST",
    path: () => `${S}/register`,
    body: (f, r) => ({ experiment_id: f.exp, name: `reg_${r}`, serialized_scorer: pii() }),
  },
  { name: "pause a scorer", min: "operator", method: "POST", path: () => `${V}/pii/pause`, body: (f) => ({ experiment_id: f.exp, reason: "matrix" }) },
  { name: "resume a scorer", min: "operator", method: "POST", path: () => `${V}/pii/resume`, body: (f) => ({ experiment_id: f.exp }) },
  { name: "stop a scorer", min: "operator", method: "POST", path: () => `${V}/pii/stop`, body: (f) => ({ experiment_id: f.exp }) },
  { name: "start a scorer", min: "operator", method: "POST", path: () => `${V}/pii/start`, body: (f) => ({ experiment_id: f.exp, sample_rate: 0.5 }) },
  {
    name: "change a sampling rate",
    min: "admin",
    method: "PUT",
    path: () => `${S}/online-config`,
    body: (f) => ({ experiment_id: f.exp, name: "pii", sample_rate: 0.25 }),
  },
  { name: "delete a scorer", min: "admin", method: "DELETE", path: (f) => `${S}/delete?experiment_id=${f.exp}&name=doomed` },
  {
    name: "run an assessment",
    min: "admin",
    method: "POST",
    path: () => "/api/v1/jobs/assess",
    body: (f) => ({ experiment_id: f.exp, scorers: ["pii"], trace_ids: [f.trace] }),
  },
  { name: "run a backfill", min: "admin", method: "POST", path: () => "/api/v1/jobs/backfill", body: (f) => ({ experiment_id: f.exp, scorers: ["pii"] }) },
  { name: "cancel a job", min: "operator", method: "POST", path: (f) => `/api/v1/jobs/${f.jobId}/cancel` },
  { name: "turn archival on", min: "admin", method: "POST", path: () => "/api/v1/archival", body: (f) => ({ experiment_id: f.exp, enabled: true }) },
  { name: "rebuild rollups", min: "admin", method: "POST", path: () => "/api/v1/trends/rebuild", body: (f) => ({ experiment_id: f.exp }) },
  // Not linked to a remote MLflow here: an admin gets 404, everyone else 403 first.
  {
    name: "choose who scores",
    min: "admin",
    method: "POST",
    path: (f) => `/api/v1/remote/experiments/${f.exp}/scored-by`,
    body: () => ({ scored_by: "vigil" }),
  },
  { name: "create an API token", min: "admin", method: "POST", path: () => "/api/v1/tokens", body: () => ({ name: "t", role: "viewer" }) },
  {
    name: "create a user",
    min: "admin",
    method: "POST",
    path: () => "/api/v1/users",
    body: (_f, r) => ({ username: `u_${r}`, password: "long-enough-pw", role: "viewer" }),
  },
  {
    name: "send traces",
    min: "ingest",
    method: "POST",
    path: () => "/v1/traces",
    body: () => ({ resourceSpans: [] }),
    headers: (f) => ({ "x-mlflow-experiment-id": f.exp }),
  },
];

const ROLES: Role[] = ["viewer", "ingest", "operator", "admin"];

describe("role × mutating verb over REST", () => {
  let s: TestServer;
  let f: Fixture;
  const tokens = {} as Record<Role, Record<string, string>>;

  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "none" });
    for (const r of ROLES) tokens[r] = addToken(s, r);
    const admin = tokens.admin;
    const exp = (await (await api(s, "POST", "/api/2.0/mlflow/experiments/create", { name: "matrix" }, admin)).json.experiment_id) as string;
    const spare = {} as Record<Role, string>;
    for (const r of ROLES) spare[r] = (await api(s, "POST", "/api/2.0/mlflow/experiments/create", { name: `spare-${r}` }, admin)).json.experiment_id;
    const [trace] = await seedTraces(s.ctx, Number(exp), [{ startMs: Date.now() - 60_000 }]);
    for (const name of ["pii", "doomed"]) await api(s, "POST", `${S}/register`, { experiment_id: exp, name, serialized_scorer: pii() }, admin);
    await api(s, "POST", `${V}/pii/start`, { experiment_id: exp, sample_rate: 0.5 }, admin);
    const job = await api(s, "POST", "/api/v1/jobs/backfill", { experiment_id: exp, scorers: ["pii"] }, admin);
    f = { exp, spare, trace: trace!, jobId: job.json.job_id };
  });
  afterAll(() => s.close());

  // Refused roles go first so an allowed call cannot change the state a refusal is checked on.
  const cases = CALLS.flatMap((c) =>
    [...ROLES].sort((a, b) => Number(allowed(a, c.min)) - Number(allowed(b, c.min))).map((role) => [c.name, role, c] as const),
  );

  it.each(cases)("%s as %s", async (_name, role, c) => {
    const r = await api(s, c.method, c.path(f), c.body?.(f, role), { ...tokens[role], ...(c.headers?.(f) ?? {}) });
    if (allowed(role, c.min)) {
      expect([401, 403], `${c.name} as ${role}: ${JSON.stringify(r.json)}`).not.toContain(r.status);
      expect(r.status, JSON.stringify(r.json)).toBeLessThan(500);
    } else {
      expect(r.status, JSON.stringify(r.json)).toBe(403);
      expect(r.json.error_code).toBe("PERMISSION_DENIED");
    }
  });
});
