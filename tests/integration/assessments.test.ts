import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { addToken, api, createExperiment, seedTraces } from "./mlflow.helpers";

const T = "/api/3.0/mlflow/traces";
const human = { source_type: "HUMAN", source_id: "alice@example.com" };

describe("MLflow assessments REST", () => {
  let s: TestServer;
  let traceId: string;
  const path = () => `${T}/${traceId}/assessments`;

  beforeAll(async () => {
    s = await startTestServer();
    const exp = await createExperiment(s, "assessments");
    [traceId] = (await seedTraces(s.ctx, Number(exp), [{ startMs: Date.UTC(2025, 3, 1) }])) as [string];
  });
  afterAll(() => s.close());

  it("creates feedback and answers it in MLflow's Assessment shape", async () => {
    const r = await api(s, "POST", path(), {
      assessment: {
        assessment_name: "helpfulness",
        trace_id: "tr-ignored-the-path-wins",
        source: human,
        feedback: { value: 4 },
        rationale: "clear answer",
        metadata: { reviewer_team: "support" },
      },
    });
    expect(r.status).toBe(200);
    const a = r.json.assessment;
    expect(a).toMatchObject({
      assessment_name: "helpfulness",
      trace_id: traceId,
      source: human,
      feedback: { value: 4 },
      rationale: "clear answer",
      metadata: { reviewer_team: "support" },
      valid: true,
    });
    expect(a.assessment_id).toMatch(/^a-[0-9a-f]{32}$/);
    expect(a.create_time).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(a.expectation).toBeUndefined();

    const got = await api(s, "GET", `${path()}/${a.assessment_id}`);
    expect(got.json).toEqual({ assessment: a });
  });

  it("creates expectations (value or serialized_value) and feedback carrying an error", async () => {
    const exp = await api(s, "POST", path(), {
      assessment: { assessment_name: "expected_facts", source: human, expectation: { value: ["Paris", "France"] } },
    });
    expect(exp.json.assessment.expectation).toEqual({ value: ["Paris", "France"] });
    const ser = await api(s, "POST", path(), {
      assessment: {
        assessment_name: "expected_obj",
        source: human,
        expectation: { serialized_value: { serialization_format: "JSON_FORMAT", value: '{"a":1}' } },
      },
    });
    expect(ser.json.assessment.expectation).toEqual({ serialized_value: { serialization_format: "JSON_FORMAT", value: '{"a":1}' } });
    const err = await api(s, "POST", path(), {
      assessment: {
        assessment_name: "safety",
        source: { source_type: "LLM_JUDGE", source_id: "gpt-4o-mini" },
        feedback: { error: { error_code: "RATE_LIMITED", error_message: "429 from the judge" } },
      },
    });
    expect(err.status).toBe(200);
    expect(err.json.assessment.feedback).toEqual({ error: { error_code: "RATE_LIMITED", error_message: "429 from the judge" } });
  });

  it.each([
    ["both feedback and expectation", { assessment_name: "x", source: human, feedback: { value: 1 }, expectation: { value: 1 } }, "exactly one"],
    ["neither feedback nor expectation", { assessment_name: "x", source: human }, "exactly one"],
    ["no name", { source: human, feedback: { value: 1 } }, "assessment_name"],
    ["a dotted name", { assessment_name: "a.b", source: human, feedback: { value: 1 } }, "must not contain"],
    ["no source", { assessment_name: "x", feedback: { value: 1 } }, "source"],
    ["an unknown source type", { assessment_name: "x", source: { source_type: "ROBOT", source_id: "r" }, feedback: { value: 1 } }, "source_type"],
    ["feedback without value or error", { assessment_name: "x", source: human, feedback: {} }, "feedback"],
  ])("refuses an assessment with %s (400)", async (_label, assessment, mention) => {
    const r = await api(s, "POST", path(), { assessment });
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(r.json.message).toContain(mention);
  });

  it("answers unknown traces and assessments with 404", async () => {
    const r = await api(s, "POST", `${T}/tr-nope/assessments`, { assessment: { assessment_name: "x", source: human, feedback: { value: 1 } } });
    expect(r.status).toBe(404);
    expect(r.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
    expect((await api(s, "GET", `${path()}/a-missing`)).status).toBe(404);
    expect((await api(s, "PATCH", `${path()}/a-missing`, { assessment: {}, update_mask: "rationale" })).status).toBe(404);
    expect((await api(s, "DELETE", `${path()}/a-missing`)).status).toBe(404);
  });

  it("updates only the fields in update_mask (snake_case or camelCase paths)", async () => {
    const { json } = await api(s, "POST", path(), {
      assessment: { assessment_name: "tone", source: human, feedback: { value: "ok" }, rationale: "first", metadata: { k: "v" } },
    });
    const id = json.assessment.assessment_id;
    const r = await api(s, "PATCH", `${path()}/${id}`, {
      assessment: { rationale: "second", feedback: { value: "great" }, metadata: { ignored: "yes" } },
      update_mask: "rationale,feedback",
    });
    expect(r.status).toBe(200);
    expect(r.json.assessment).toMatchObject({
      rationale: "second",
      feedback: { value: "great" },
      metadata: { k: "v" },
      create_time: json.assessment.create_time,
    });
    const renamed = await api(s, "PATCH", `${path()}/${id}`, { assessment: { assessment_name: "tone_v2", valid: false }, update_mask: "assessmentName,valid" });
    expect(renamed.json.assessment).toMatchObject({ assessment_name: "tone_v2", valid: false });
  });

  it("refuses update masks that name unknown fields or change the assessment's kind", async () => {
    const { json } = await api(s, "POST", path(), { assessment: { assessment_name: "m", source: human, feedback: { value: 1 } } });
    const id = json.assessment.assessment_id;
    const unknown = await api(s, "PATCH", `${path()}/${id}`, { assessment: { span_id: "x" }, update_mask: "rationale,span_id" });
    expect(unknown.status).toBe(400);
    expect(unknown.json.message).toContain("span_id");
    const kind = await api(s, "PATCH", `${path()}/${id}`, { assessment: { expectation: { value: 1 } }, update_mask: "expectation" });
    expect(kind.status).toBe(400);
    expect((await api(s, "PATCH", `${path()}/${id}`, { assessment: {} })).status).toBe(400);
    expect((await api(s, "PATCH", `${path()}/${id}`, { assessment: {}, update_mask: "" })).status).toBe(400);
  });

  it("marks an overridden assessment invalid, and valid again when the override is deleted", async () => {
    const first = await api(s, "POST", path(), {
      assessment: { assessment_name: "correct", source: { source_type: "LLM_JUDGE", source_id: "j" }, feedback: { value: "no" } },
    });
    const oldId = first.json.assessment.assessment_id;
    const override = await api(s, "POST", path(), { assessment: { assessment_name: "correct", source: human, feedback: { value: "yes" }, overrides: oldId } });
    expect(override.json.assessment.overrides).toBe(oldId);
    expect((await api(s, "GET", `${path()}/${oldId}`)).json.assessment.valid).toBe(false);
    expect((await api(s, "DELETE", `${path()}/${override.json.assessment.assessment_id}`)).json).toEqual({});
    expect((await api(s, "GET", `${path()}/${oldId}`)).json.assessment.valid).toBe(true);
    const bad = await api(s, "POST", path(), { assessment: { assessment_name: "correct", source: human, feedback: { value: "yes" }, overrides: "a-nope" } });
    expect(bad.status).toBe(404);
  });

  it("shows assessments in the trace info", async () => {
    const info = await api(s, "GET", `${T}/${traceId}`);
    const names = info.json.trace.trace_info.assessments.map((a: { assessment_name: string }) => a.assessment_name);
    expect(names).toContain("helpfulness");
    expect(names).toContain("expected_facts");
  });

  it("needs the operator role to write and the viewer role to read", async () => {
    const viewer = addToken(s, "viewer");
    const body = { assessment: { assessment_name: "v", source: human, feedback: { value: 1 } } };
    const denied = await api(s, "POST", path(), body, viewer);
    expect(denied.status).toBe(403);
    const op = await api(s, "POST", path(), body, addToken(s, "operator"));
    expect(op.status).toBe(200);
    expect((await api(s, "GET", `${path()}/${op.json.assessment.assessment_id}`, undefined, viewer)).status).toBe(200);
    expect((await api(s, "DELETE", `${path()}/${op.json.assessment.assessment_id}`, undefined, viewer)).status).toBe(403);
  });
});
