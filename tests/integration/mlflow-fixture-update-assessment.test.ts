// PATCH .../assessments/{id} as MLflow's _update_assessment (mlflow/server/handlers.py) takes it,
// against the MLflow fixture Vigil's remote tests use: Vigil's client marks a verdict invalid with
// update_mask "valid" and the fixture refuses what MLflow refuses (no assessment, no mask, a
// snake_case path, which protobuf's FieldMask parser rejects), passes over paths MLflow ignores,
// and gives a masked field the body leaves out its proto default.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MlflowClient } from "@/lib/mlflow/client";
import { startMlflowFixture, type MlflowFixture } from "../helpers/mlflow-fixture";

let f: MlflowFixture;
let client: MlflowClient;
let traceId: string;

beforeAll(async () => {
  f = await startMlflowFixture();
  client = new MlflowClient({ trackingUri: f.url, minBackoffMs: 1, maxBackoffMs: 5 });
  const exp = await client.createExperiment("update-assessment");
  traceId = f.seedTraces(exp, [{ startMs: Date.now() - 60_000 }])[0]!;
});
afterAll(async () => {
  await f.close();
});

const create = () =>
  client.createAssessment({
    trace_id: traceId,
    assessment_name: "rq",
    source: { source_type: "CODE", source_id: "rq" },
    feedback: { value: "yes" },
    rationale: "first",
    metadata: { "vigil.scorer_version": "1" },
  });

async function patch(assessmentId: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(`${f.url}/api/3.0/mlflow/traces/${traceId}/assessments/${assessmentId}`, {
    method: "PATCH",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

describe("updating an assessment as MLflow's handler does", () => {
  it("marks a superseded verdict invalid with update_mask 'valid', changing nothing else", async () => {
    const a = await create();
    const updated = await client.updateAssessment(traceId, a.assessment_id, { valid: false }, ["valid"]);
    expect(updated).toMatchObject({ assessment_id: a.assessment_id, valid: false, feedback: { value: "yes" }, rationale: "first" });
    expect(await client.getAssessment(traceId, a.assessment_id)).toMatchObject({ valid: false, metadata: { "vigil.scorer_version": "1" } });
  });

  it.each([
    ["no assessment", { update_mask: "valid" }, /required parameter 'assessment'/],
    ["no update_mask", { assessment: { valid: false } }, /required parameter 'update_mask'/],
    ["a snake_case mask path", { assessment: { assessment_name: "x" }, update_mask: "assessment_name" }, /must not contain "_"/],
  ])("refuses %s with 400 INVALID_PARAMETER_VALUE and changes nothing", async (_what, body, message) => {
    const a = await create();
    const r = await patch(a.assessment_id, body);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
    expect(String(r.json.message)).toMatch(message);
    expect(await client.getAssessment(traceId, a.assessment_id)).toEqual(a);
  });

  it("passes over paths the handler does not take, and a masked field left out takes its proto default", async () => {
    const a = await create();
    await client.updateAssessment(traceId, a.assessment_id, { valid: false }, ["valid"]);
    const r = await patch(a.assessment_id, { assessment: { span_id: "s-1", rationale: "second" }, update_mask: "spanId,valid,rationale" });
    expect(r.status).toBe(200);
    expect(r.json.assessment).toMatchObject({ valid: true, rationale: "second" });
    expect((r.json.assessment as Record<string, unknown>).span_id).toBeUndefined();
  });
});
