// Shadows, agreement and labels over real HTTP: MLflow's scorer routes keep answering exactly the
// live version while a shadow runs; Vigil's routes register, compare, label and promote; refused
// requests answer MLflow's error JSON with the right status and change nothing.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { serializeBuiltin } from "@/scorers";
import { startTestServer, type TestServer } from "../helpers/server";
import { drain, engine } from "./engine.helpers";
import { addToken, api, createExperiment, seedTraces } from "./mlflow.helpers";
import { get, putConfig, register, S, V } from "./scorers.helpers";

const v1 = serializeBuiltin({ name: "short", className: "ResponseLength", params: { max: 500 } });
const v2 = serializeBuiltin({ name: "short", className: "ResponseLength", params: { max: 12 } });

describe("shadow versions over REST", () => {
  let s: TestServer;
  let exp: string;
  let traces: string[];
  let mlflowBefore: { list: unknown; get: unknown; versions: unknown; configs: unknown };
  const mlflowView = async () => {
    const list = (await get(s, `${S}/list`, { experiment_id: exp })).json;
    const one = (await get(s, `${S}/get`, { experiment_id: exp, name: "short" })).json;
    return {
      list,
      get: one,
      versions: (await get(s, `${S}/versions`, { experiment_id: exp, name: "short" })).json,
      configs: (await get(s, `${S}/online-configs`, { scorer_ids: one.scorer.scorer_id })).json,
    };
  };

  beforeAll(async () => {
    s = await startTestServer();
    exp = await createExperiment(s, "shadow-rest");
    expect((await register(s, exp, "short", v1)).status).toBe(200);
    expect((await putConfig(s, { experiment_id: exp, name: "short", sample_rate: 1 })).status).toBe(200);
    mlflowBefore = await mlflowView();
  });
  afterAll(() => s.close());

  it("registers a shadow that MLflow's routes do not see", async () => {
    const r = await api(s, "POST", `${V}/short/shadows`, { experiment_id: exp, serialized_scorer: v2 });
    expect(r.status).toBe(200);
    expect(r.json.shadow).toMatchObject({ name: "short", version: 2, base_version: 1, state: "shadow", runnable: true });
    expect(await mlflowView()).toEqual(mlflowBefore);
    const listed = await get(s, `${V}/short/shadows`, { experiment_id: exp });
    expect(listed.json.shadows.map((x: { version: number }) => x.version)).toEqual([2]);
  });

  it("compares the versions after scoring, and takes labels from Vigil's route and MLflow's assessments route alike", async () => {
    traces = await seedTraces(
      s.ctx,
      Number(exp),
      Array.from({ length: 12 }, (_, i) => ({
        startMs: Date.now() - 3_600_000 + i * 1000,
        outputs: { choices: [{ message: { role: "assistant", content: i % 2 ? "Fine." : "A rather long answer." } }] },
      })),
    );
    await drain(engine(s.ctx));
    const c = await get(s, `${V}/short/agreement`, { experiment_id: exp });
    expect(c.status).toBe(200);
    expect(c.json.comparison).toMatchObject({
      a: { version: 1, role: "live" },
      b: { version: 2, role: "shadow" },
      overlap: 12,
      agreement: { type: "categorical", n: 12, agreement: 0.5 },
    });
    expect(c.json.comparison.disagreements).toHaveLength(6);

    const viewer = addToken(s, "viewer");
    expect((await get(s, `${V}/short/agreement`, { experiment_id: exp }, viewer)).status).toBe(200);
    const queue = await get(s, `${V}/short/needs-labels`, { experiment_id: exp }, viewer);
    expect(queue.json.traces.slice(0, 6).every((t: { reason: string }) => t.reason === "disagrees_with_shadow")).toBe(true);

    const bad = await api(s, "POST", `/api/v1/traces/${traces[0]}/labels`, { name: "short", value: 0.5 });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error_code: "INVALID_PARAMETER_VALUE" });
    expect(bad.json.message).toMatch(/'value'/);
    expect((await api(s, "POST", `/api/v1/traces/${traces[0]}/labels`, { name: "short", value: "no" }, viewer)).status).toBe(403);
    const good = await api(s, "POST", `/api/v1/traces/${traces[0]}/labels`, { name: "short", value: "no" });
    expect(good.status).toBe(200);
    expect(good.json.assessment).toMatchObject({ assessment_name: "short", source: { source_type: "HUMAN" }, feedback: { value: "no" } });
    // A label logged as MLflow's SDK does it: CreateAssessment with a HUMAN source.
    const sdk = await api(s, "POST", `/api/3.0/mlflow/traces/${traces[1]}/assessments`, {
      assessment: {
        trace_id: traces[1],
        assessment_name: "short",
        source: { source_type: "HUMAN", source_id: "reviewer@example.com" },
        feedback: { value: "yes" },
      },
    });
    expect(sdk.status).toBe(200);
    const h = await get(s, `${V}/short/human-agreement`, { experiment_id: exp }, viewer);
    expect(h.json.human_agreement).toMatchObject({ labelled_traces: 2, align_minimum: 10, missing_for_align: 8 });
    expect(h.json.human_agreement.versions[0]).toMatchObject({ version: 2, role: "shadow", labelled: 2, agreement: { agreement: 1 } });
  });

  it("refuses bad promotions with MLflow's error JSON and changes nothing", async () => {
    const viewer = addToken(s, "viewer");
    const operator = addToken(s, "operator");
    const cases: [string, Record<string, string> | undefined, number, string, RegExp][] = [
      [`${V}/short/shadows/1/promote`, undefined, 409, "INVALID_STATE", /not a shadow/],
      [`${V}/short/shadows/7/promote`, undefined, 404, "RESOURCE_DOES_NOT_EXIST", /no version 7/],
      [`${V}/short/shadows/x/promote`, undefined, 400, "INVALID_PARAMETER_VALUE", /version/],
      [`${V}/short/shadows/2/promote`, viewer, 403, "PERMISSION_DENIED", /./],
      [`${V}/short/shadows/2/promote`, operator, 403, "PERMISSION_DENIED", /./],
      [`${V}/nope/shadows/2/promote`, undefined, 404, "RESOURCE_DOES_NOT_EXIST", /nope/],
    ];
    for (const [path, h, status, code, msg] of cases) {
      const r = await api(s, "POST", path, { experiment_id: exp }, h);
      expect([path, r.status, r.json.error_code]).toEqual([path, status, code]);
      expect(r.json.message).toMatch(msg);
    }
    expect(await mlflowView()).toEqual(mlflowBefore);
    const stopped = await createExperiment(s, "shadow-stopped");
    await register(s, stopped, "short", v1);
    const r = await api(s, "POST", `${V}/short/shadows`, { experiment_id: stopped, serialized_scorer: v2 });
    expect([r.status, r.json.error_code]).toEqual([409, "INVALID_STATE"]);
    expect((await get(s, `${V}/short/shadows`, { experiment_id: stopped })).json.shadows).toEqual([]);
  });

  it("promotes: MLflow's routes then answer the new version as the latest, with the same sampling config", async () => {
    const r = await api(s, "POST", `${V}/short/shadows/2/promote`, { experiment_id: exp, reason: "matches the labels" });
    expect(r.status).toBe(200);
    expect(r.json.scorer).toMatchObject({ version: 2, status: "STARTED", sample_rate: 1 });
    const after = await mlflowView();
    expect((after.get as { scorer: { scorer_version: number } }).scorer.scorer_version).toBe(2);
    expect((after.versions as { scorers: unknown[] }).scorers).toHaveLength(2);
    expect(after.configs).toEqual(mlflowBefore.configs);
    const again = await api(s, "POST", `${V}/short/shadows/2/promote`, { experiment_id: exp });
    expect([again.status, again.json.error_code]).toEqual([409, "INVALID_STATE"]);
  });
});
