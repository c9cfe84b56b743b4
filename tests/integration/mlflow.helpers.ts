// Shared by the experiments/traces/assessments tests: JSON calls to a Vigil test server, spans
// seeded the way ingestion stores them (storeSpans), and tokens with a given role.
import { randomBytes } from "node:crypto";
import { apiTokens } from "@/db/schema";
import { hashToken } from "@/lib/auth";
import type { Ctx, Role } from "@/lib/core";
import { storeSpans, type IncomingSpan } from "@/lib/ingest";
import type { TestServer } from "../helpers/server";

export interface ApiAnswer {
  status: number;
  // Answers are MLflow JSON; tests read fields freely.
  json: any;
}

export async function api(s: TestServer, method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<ApiAnswer> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    (init.headers as Record<string, string>)["content-type"] ??= "application/json";
  }
  const r = await fetch(`${s.url}${path}`, init);
  const text = await r.text();
  return { status: r.status, json: text ? JSON.parse(text) : null };
}

/** A bearer token with `role`, optionally limited to one experiment. */
export function addToken(s: TestServer, role: Role, experimentId: number | null = null): Record<string, string> {
  const secret = `test_${randomBytes(12).toString("hex")}`;
  s.db
    .insert(apiTokens)
    .values({
      tokenId: `tok-${randomBytes(8).toString("hex")}`,
      name: `${role} test token`,
      tokenHash: hashToken(secret),
      role,
      experimentId,
      createdAt: Date.now(),
    })
    .run();
  return { authorization: `Bearer ${secret}` };
}

export async function createExperiment(s: TestServer, name: string): Promise<string> {
  const r = await api(s, "POST", "/api/2.0/mlflow/experiments/create", { name });
  if (r.status !== 200) throw new Error(`create experiment failed: ${JSON.stringify(r.json)}`);
  return r.json.experiment_id as string;
}

export interface SeedTrace {
  /** 32 hex; random when absent. */
  hex?: string;
  startMs: number;
  /** Root duration; null leaves the root span open (trace IN_PROGRESS). */
  durationMs?: number | null;
  name?: string;
  error?: boolean;
  inputs?: unknown;
  outputs?: unknown;
  childName?: string;
  childType?: string;
  childAttributes?: Record<string, unknown>;
  session?: string;
}

const ns = (ms: number) => (BigInt(ms) * 1_000_000n).toString();
const enc = (v: unknown) => JSON.stringify(v);

/** Root + one child span per trace, MLflow-style attributes (mlflow.* JSON-encoded), via storeSpans. */
export async function seedTraces(ctx: Ctx, experimentId: number, list: SeedTrace[]): Promise<string[]> {
  const spans: IncomingSpan[] = [];
  const ids: string[] = [];
  for (const t of list) {
    const hex = t.hex ?? randomBytes(16).toString("hex");
    ids.push(`tr-${hex}`);
    const rootId = randomBytes(8).toString("hex");
    const duration = t.durationMs === undefined ? 1000 : t.durationMs;
    const end = duration === null ? null : ns(t.startMs + duration);
    const status = t.error ? "STATUS_CODE_ERROR" : "STATUS_CODE_OK";
    const rootAttrs: Record<string, unknown> = {
      "mlflow.spanType": enc("AGENT"),
      "mlflow.spanInputs": enc(t.inputs ?? { messages: [{ role: "user", content: `question ${hex.slice(0, 6)}` }] }),
      "mlflow.spanOutputs": enc(t.outputs ?? { choices: [{ message: { role: "assistant", content: "an answer" } }] }),
      "mlflow.traceRequestId": enc(`tr-${hex}`),
    };
    if (t.session) rootAttrs["mlflow.trace.session"] = t.session;
    spans.push({
      traceIdHex: hex,
      spanIdHex: randomBytes(8).toString("hex"),
      parentSpanIdHex: rootId,
      name: t.childName ?? "retrieve",
      kind: 1,
      startTimeNs: ns(t.startMs + 1),
      endTimeNs: ns(t.startMs + 2),
      statusCode: "STATUS_CODE_OK",
      statusMessage: "",
      attributes: { "mlflow.spanType": enc(t.childType ?? "RETRIEVER"), ...(t.childAttributes ?? {}) },
      events: [],
    });
    spans.push({
      traceIdHex: hex,
      spanIdHex: rootId,
      parentSpanIdHex: null,
      name: t.name ?? "agent",
      kind: 1,
      startTimeNs: ns(t.startMs),
      endTimeNs: end,
      statusCode: duration === null ? "STATUS_CODE_UNSET" : status,
      statusMessage: t.error ? "boom" : "",
      attributes: rootAttrs,
      events: t.error ? [{ name: "exception", time_unix_nano: ns(t.startMs + 5), attributes: { "exception.message": "boom" } }] : [],
    });
  }
  const r = await storeSpans({ ctx, input: { experimentId, spans } });
  if (r.rejected.length) throw new Error(`seed rejected spans: ${JSON.stringify(r.rejected)}`);
  return ids;
}

/** The v3 search location list for one experiment. */
export const loc = (experimentId: string | number) => [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: String(experimentId) } }];
