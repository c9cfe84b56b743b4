// One contract for the lib layer's MLflow interface, run against both implementations in the
// same run: `embedded` (Vigil's own store through the lib verbs) and `remote` (the REST client
// over real HTTP), the latter against a separate Vigil and against the MLflow fixture built from
// MLflow's source (decoded span attributes, spans of some traces only in traces.json, MLflow's
// error shape and page tokens, unknown fields). Every case holds for all three.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AlreadyExistsError, InvalidParameterError, NotFoundError, PermissionDeniedError } from "@/lib/core";
import { authorizedBackend } from "@/lib/backend/authorized";
import { embeddedBackend } from "@/lib/backend/embedded";
import { remoteBackend } from "@/lib/backend/remote";
import type { MlflowBackend } from "@/lib/backend/types";
import { MlflowClient } from "@/lib/mlflow/client";
import { serializeBuiltin } from "@/scorers";
import { startStore, type ContractStore } from "../helpers/mlflow-stores";

type Impl = "embedded" | "remote" | "remote-mlflow";

function backendOf(impl: Impl, store: ContractStore): MlflowBackend {
  if (impl === "embedded") return embeddedBackend(store.vigil!.ctx);
  return remoteBackend(new MlflowClient({ trackingUri: store.url, minBackoffMs: 1, maxBackoffMs: 5, timeoutMs: 10_000 }));
}

// A built-in judge on a gateway model: MLflow only samples those online (sqlalchemy_store.upsert_online_scoring_config).

const length = serializeBuiltin({ name: "length", className: "Safety", params: { model: "gateway:/judge" } });
const json = serializeBuiltin({ name: "json", className: "JsonValid" });

describe.each<Impl>(["embedded", "remote", "remote-mlflow"])("MlflowBackend contract: %s", (impl) => {
  let store: ContractStore;
  let b: MlflowBackend;
  let exp: string;
  let traceIds: string[];
  const t0 = Date.UTC(2026, 10, 20, 12, 0, 0);

  beforeAll(async () => {
    store = await startStore(impl === "remote-mlflow" ? "mlflow" : "vigil");
    b = backendOf(impl, store);
    exp = await b.createExperiment(`contract-${impl}`, { team: "ml" });
    traceIds = await store.seed(
      exp,
      Array.from({ length: 7 }, (_, i) => ({ startMs: t0 + i * 1000, inputs: { q: `question ${i}` }, outputs: `answer ${i}`, error: i === 3 })),
    );
  });
  afterAll(async () => {
    await store.close();
  });

  it("reports its kind", () => {
    expect(b.kind).toBe(impl === "embedded" ? "embedded" : "remote");
  });

  describe("experiments", () => {
    it("gets an experiment by id and by name, with its tags", async () => {
      const e = await b.getExperiment(exp);
      expect(e).toMatchObject({ experiment_id: exp, name: `contract-${impl}`, lifecycle_stage: "active", tags: { team: "ml" } });
      expect(await b.getExperimentByName(`contract-${impl}`)).toMatchObject({ experiment_id: exp });
    });

    it("answers null for an unknown name and NotFound for an unknown id", async () => {
      expect(await b.getExperimentByName("no such experiment")).toBeNull();
      await expect(b.getExperiment("987654")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("refuses a second experiment with the same name", async () => {
      await expect(b.createExperiment(`contract-${impl}`)).rejects.toBeInstanceOf(AlreadyExistsError);
    });

    it("finds the experiment by search", async () => {
      const r = await b.searchExperiments({ filter: `name = 'contract-${impl}'` });
      expect(r.experiments.map((e) => e.experiment_id)).toEqual([exp]);
    });
  });

  describe("traces", () => {
    it("pages through a search in (timestamp, id) order, every trace once", async () => {
      const seen: string[] = [];
      let pageToken: string | undefined;
      let pages = 0;
      do {
        const r = await b.searchTraces({
          experimentIds: [exp],
          filter: `trace.timestamp_ms >= ${t0}`,
          orderBy: ["timestamp_ms ASC"],
          maxResults: 3,
          pageToken,
        });
        seen.push(...r.traces.map((t) => t.trace_id));
        pageToken = r.nextPageToken;
        pages++;
      } while (pageToken);
      expect(seen).toEqual(traceIds);
      expect(pages).toBe(3);
    });

    it.each([
      ["trace.status = 'ERROR'", 1],
      [`trace.timestamp_ms > ${t0 + 4500}`, 2],
      ["metadata.`mlflow.sourceRun` IS NULL", 7],
    ])("filters with %s", async (filter, n) => {
      const r = await b.searchTraces({ experimentIds: [exp], filter });
      expect(r.traces).toHaveLength(n);
    });

    it("rejects an invalid filter as an invalid parameter", async () => {
      await expect(b.searchTraces({ experimentIds: [exp], filter: "trace.nonsense ~ 3" })).rejects.toBeInstanceOf(InvalidParameterError);
    });

    it("gets a trace's info, and the full trace with decoded spans", async () => {
      const info = await b.getTraceInfo(traceIds[0]!);
      expect(info).toMatchObject({ trace_id: traceIds[0], state: "OK", trace_location: { mlflow_experiment: { experiment_id: exp } } });
      const t = await b.getTrace(traceIds[0]!);
      expect(t.info.timestamp_ms).toBe(t0);
      expect(t.info.execution_time_ms).toBe(1000);
      expect(t.info.request).toEqual({ q: "question 0" });
      expect(t.info.response).toBe("answer 0");
      expect(t.spans).toHaveLength(2);
      const root = t.spans.find((s) => s.parent_span_id === null)!;
      expect(root.span_type).toBe("AGENT");
      expect(root.attributes["mlflow.spanInputs"]).toEqual({ q: "question 0" });
    });

    it("answers NotFound for an unknown trace", async () => {
      await expect(b.getTraceInfo("tr-00000000000000000000000000000000")).rejects.toBeInstanceOf(NotFoundError);
      await expect(b.getTrace("tr-00000000000000000000000000000000")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("batch-gets traces in the order asked, leaving unknown ids out", async () => {
      const asked = [traceIds[4]!, "tr-ffffffffffffffffffffffffffffffff", traceIds[1]!];
      const got = await b.batchGetTraces(asked);
      expect(got.map((t) => t.info.trace_id)).toEqual([traceIds[4], traceIds[1]]);
      expect(got[0]!.spans).toHaveLength(2);
    });
  });

  describe("assessments", () => {
    it("creates feedback that the trace then carries, and gets and updates it", async () => {
      const a = await b.createAssessment({
        trace_id: traceIds[2]!,
        assessment_name: "quality",
        source: { source_type: "CODE", source_id: "contract" },
        feedback: { value: 0.75 },
        rationale: "fine",
        metadata: { "vigil.scorer_id": "sc-1", "vigil.scorer_version": "2" },
      });
      expect(a.assessment_id).toMatch(/^a-/);
      expect(a.feedback?.value).toBe(0.75);
      const info = await b.getTraceInfo(traceIds[2]!);
      const onTrace = info.assessments.find((x) => x.assessment_id === a.assessment_id);
      expect(onTrace?.metadata).toMatchObject({ "vigil.scorer_id": "sc-1", "vigil.scorer_version": "2" });
      expect((await b.getAssessment(traceIds[2]!, a.assessment_id)).rationale).toBe("fine");
      const u = await b.updateAssessment(traceIds[2]!, a.assessment_id, { rationale: "better" }, ["rationale"]);
      expect(u.rationale).toBe("better");
      expect(u.feedback?.value).toBe(0.75);
    });

    it("records a feedback error", async () => {
      const a = await b.createAssessment({
        trace_id: traceIds[5]!,
        assessment_name: "judge",
        source: { source_type: "LLM_JUDGE", source_id: "judge" },
        feedback: { error: { error_code: "SCORER_TIMEOUT", error_message: "took too long" } },
      });
      expect(a.feedback?.error).toMatchObject({ error_code: "SCORER_TIMEOUT", error_message: "took too long" });
    });

    it("answers NotFound for an assessment on an unknown trace", async () => {
      await expect(
        b.createAssessment({
          trace_id: "tr-00000000000000000000000000000000",
          assessment_name: "x",
          source: { source_type: "CODE", source_id: "x" },
          feedback: { value: 1 },
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("scorers", () => {
    it("registers versions, lists latest ones and every version", async () => {
      const v1 = await b.registerScorer({ experimentId: exp, name: "length", serializedScorer: length });
      const v2 = await b.registerScorer({ experimentId: exp, name: "length", serializedScorer: length });
      await b.registerScorer({ experimentId: exp, name: "json", serializedScorer: json });
      expect([v1.scorer_version, v2.scorer_version]).toEqual([1, 2]);
      expect(v1.scorer_id).toBe(v2.scorer_id);
      const list = await b.listScorers(exp);
      expect(list.map((s) => [s.scorer_name, s.scorer_version]).sort()).toEqual([
        ["json", 1],
        ["length", 2],
      ]);
      expect((await b.listScorerVersions(exp, "length")).map((s) => s.scorer_version)).toEqual([1, 2]);
      const got = await b.getScorer(exp, "length", 1);
      expect(got).toMatchObject({ scorer_name: "length", scorer_version: 1, experiment_id: exp });
      expect(JSON.parse(got.serialized_scorer)).toEqual(JSON.parse(length));
    });

    it("sets and reads an online config", async () => {
      const c = await b.setOnlineConfig({ experimentId: exp, name: "length", sampleRate: 0.4, filterString: "trace.status = 'OK'" });
      expect(c).toMatchObject({ sample_rate: 0.4, filter_string: "trace.status = 'OK'" });
      const id = (await b.getScorer(exp, "length")).scorer_id!;
      expect(await b.getOnlineConfigs([id])).toEqual([expect.objectContaining({ scorer_id: id, sample_rate: 0.4 })]);
    });

    it.each([1.5, -0.1])("rejects sample rate %s", async (rate) => {
      await expect(b.setOnlineConfig({ experimentId: exp, name: "length", sampleRate: rate })).rejects.toBeInstanceOf(InvalidParameterError);
    });

    it("rejects an invalid filter string in a config", async () => {
      await expect(b.setOnlineConfig({ experimentId: exp, name: "length", sampleRate: 0.5, filterString: "status === 1" })).rejects.toBeInstanceOf(
        InvalidParameterError,
      );
    });

    it("answers NotFound for configs of an unregistered scorer", async () => {
      await expect(b.setOnlineConfig({ experimentId: exp, name: "nobody", sampleRate: 0.5 })).rejects.toBeInstanceOf(NotFoundError);
      await expect(b.getScorer(exp, "nobody")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("deletes one version, then the scorer", async () => {
      await b.deleteScorer(exp, "length", 1);
      expect((await b.listScorerVersions(exp, "length")).map((s) => s.scorer_version)).toEqual([2]);
      await b.deleteScorer(exp, "json");
      await expect(b.getScorer(exp, "json")).rejects.toBeInstanceOf(NotFoundError);
    });
  });

  describe("authorization above the port (authorizedBackend), the same for both", () => {
    let other: string;
    let otherTrace: string;
    const as = (role: "viewer" | "operator" | "admin", experimentId: number | null) =>
      authorizedBackend(b, { id: `token:${role}`, role, experimentId }, (id) => Number(id));
    beforeAll(async () => {
      other = await b.createExperiment(`contract-${impl}-other`);
      otherTrace = (await store.seed(other, [{ startMs: t0, inputs: { q: "x" }, outputs: "y" }]))[0]!;
    });

    it("lets a scoped viewer read its own experiment and nothing else", async () => {
      const v = as("viewer", Number(exp));
      expect((await v.searchTraces({ experimentIds: [exp], maxResults: 50 })).traces.length).toBe(7);
      expect((await v.getTrace(traceIds[0]!)).info.trace_id).toBe(traceIds[0]);
      await expect(v.searchTraces({ experimentIds: [other] })).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(v.getTrace(otherTrace!)).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(v.getTraceInfo(otherTrace!)).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(v.batchGetTraces([traceIds[0]!, otherTrace!])).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(v.getExperiment(other)).rejects.toBeInstanceOf(PermissionDeniedError);
      expect((await v.searchExperiments({})).experiments.map((e) => e.experiment_id)).toEqual([exp]);
    });

    it("refuses writes below the role, and global verbs to a scoped admin, writing nothing", async () => {
      const write = { trace_id: otherTrace!, assessment_name: "authz", source: { source_type: "HUMAN" as const, source_id: "x" }, feedback: { value: 1 } };
      await expect(as("viewer", null).createAssessment(write)).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(as("operator", Number(exp)).createAssessment(write)).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(as("admin", Number(exp)).createExperiment(`contract-${impl}-scoped`)).rejects.toBeInstanceOf(PermissionDeniedError);
      await expect(as("operator", null).registerScorer({ experimentId: exp, name: "len2", serializedScorer: length })).rejects.toBeInstanceOf(
        PermissionDeniedError,
      );
      const info = await b.getTraceInfo(otherTrace!);
      expect((info.assessments ?? []).filter((a) => a.assessment_name === "authz")).toEqual([]);
      expect(await b.getExperimentByName(`contract-${impl}-scoped`)).toBeNull();
      const ok = await as("operator", Number(other)).createAssessment(write);
      expect(ok.assessment_name).toBe("authz");
    });
  });
});
