// MLflow's scorer REST routes over real HTTP: shapes, status codes and error bodies.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { api, createExperiment } from "./mlflow.helpers";
import { S, get, pii, putConfig, pythonScorer, register, safety } from "./scorers.helpers";

describe("MLflow scorer REST routes", () => {
  let s: TestServer;
  let exp: string;

  beforeAll(async () => {
    s = await startTestServer();
    exp = await createExperiment(s, "scorers-rest");
  });
  afterAll(() => s.close());

  it("register answers RegisterScorer.Response; registering again appends a version", async () => {
    const r1 = await register(s, exp, "safety", safety);
    expect(r1.status).toBe(200);
    expect(r1.json).toEqual({
      version: 1,
      scorer_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      experiment_id: exp,
      name: "safety",
      serialized_scorer: safety,
      creation_time: expect.any(Number),
    });
    const r2 = await register(s, exp, "safety", safety);
    expect(r2.json).toMatchObject({ version: 2, scorer_id: r1.json.scorer_id, name: "safety" });
  });

  it("list answers the latest version of each scorer as MLflow's Scorer message", async () => {
    await register(s, exp, "pii", pii());
    const r = await get(s, `${S}/list`, { experiment_id: exp });
    expect(r.status).toBe(200);
    expect(r.json.scorers.map((x: { scorer_name: string; scorer_version: number }) => [x.scorer_name, x.scorer_version])).toEqual([
      ["pii", 1],
      ["safety", 2],
    ]);
    const first = r.json.scorers[1];
    expect(Object.keys(first).sort()).toEqual(["creation_time", "experiment_id", "scorer_id", "scorer_name", "scorer_version", "serialized_scorer"]);
    // Scorer.experiment_id is an int32 in MLflow's proto: a JSON number.
    expect(first.experiment_id).toBe(Number(exp));
    expect(typeof first.serialized_scorer).toBe("string");
  });

  it("versions lists every version oldest first; get answers the latest or the one asked for", async () => {
    const v = await get(s, `${S}/versions`, { experiment_id: exp, name: "safety" });
    expect(v.json.scorers.map((x: { scorer_version: number }) => x.scorer_version)).toEqual([1, 2]);
    const latest = await get(s, `${S}/get`, { experiment_id: exp, name: "safety" });
    expect(latest.json.scorer).toMatchObject({ scorer_name: "safety", scorer_version: 2, serialized_scorer: safety });
    const one = await get(s, `${S}/get`, { experiment_id: exp, name: "safety", version: 1 });
    expect(one.json.scorer.scorer_version).toBe(1);
  });

  it("online-config PUT sets the config; online-configs GET answers it for the scorer ids asked", async () => {
    const put = await putConfig(s, { experiment_id: exp, name: "safety", sample_rate: 0.25, filter_string: "trace.status = 'OK'" });
    expect(put.status).toBe(200);
    const safetyId = (await get(s, `${S}/get`, { experiment_id: exp, name: "safety" })).json.scorer.scorer_id;
    expect(put.json).toEqual({
      config: {
        online_scoring_config_id: expect.stringMatching(/^[0-9a-f-]{36}$/),
        scorer_id: safetyId,
        sample_rate: 0.25,
        experiment_id: exp,
        filter_string: "trace.status = 'OK'",
      },
    });
    const piiId = (await get(s, `${S}/get`, { experiment_id: exp, name: "pii" })).json.scorer.scorer_id;
    const got = await get(s, `${S}/online-configs`, { scorer_ids: [safetyId, piiId, "no-such-id"] });
    // pii has never been configured: MLflow answers only the configs that exist.
    expect(got.json).toEqual({ configs: [put.json.config] });

    // A PUT without filter_string replaces the filter with "every trace" (the key is then absent).
    const cleared = await putConfig(s, { experiment_id: exp, name: "safety", sample_rate: "0.5" });
    expect(cleared.json.config).toEqual({ ...put.json.config, sample_rate: 0.5, filter_string: undefined });
    expect("filter_string" in cleared.json.config).toBe(false);
  });

  it("a stopped scorer (rate 0) keeps its config; re-registering keeps it too", async () => {
    const stop = await putConfig(s, { experiment_id: exp, name: "safety", sample_rate: 0 });
    expect(stop.json.config.sample_rate).toBe(0);
    await putConfig(s, { experiment_id: exp, name: "safety", sample_rate: 1 });
    await register(s, exp, "safety", safety);
    const id = (await get(s, `${S}/get`, { experiment_id: exp, name: "safety" })).json.scorer.scorer_id;
    expect((await get(s, `${S}/online-configs`, { scorer_ids: id })).json.configs[0].sample_rate).toBe(1);
  });

  it("stores a scorer Vigil cannot run (a Python @scorer) and lists it", async () => {
    const r = await register(s, exp, "py_len", pythonScorer);
    expect(r.status).toBe(200);
    const got = await get(s, `${S}/get`, { experiment_id: exp, name: "py_len" });
    expect(got.json.scorer.serialized_scorer).toBe(pythonScorer);
  });

  it("delete with a version deletes that version; without one, all of them and the config", async () => {
    await register(s, exp, "pii", pii({ target: "inputs" }));
    await putConfig(s, { experiment_id: exp, name: "pii", sample_rate: 1 });
    const one = await api(s, "DELETE", `${S}/delete`, { experiment_id: exp, name: "pii", version: 1 });
    expect(one).toEqual({ status: 200, json: {} });
    expect((await get(s, `${S}/versions`, { experiment_id: exp, name: "pii" })).json.scorers.map((x: { scorer_version: number }) => x.scorer_version)).toEqual([
      2,
    ]);
    const id = (await get(s, `${S}/get`, { experiment_id: exp, name: "pii" })).json.scorer.scorer_id;

    // DELETE parameters may also come in the query string.
    const all = await api(s, "DELETE", `${S}/delete?experiment_id=${exp}&name=pii`);
    expect(all).toEqual({ status: 200, json: {} });
    expect((await get(s, `${S}/get`, { experiment_id: exp, name: "pii" })).status).toBe(404);
    expect((await get(s, `${S}/online-configs`, { scorer_ids: id })).json).toEqual({ configs: [] });
    expect((await get(s, `${S}/list`, { experiment_id: exp })).json.scorers.map((x: { scorer_name: string }) => x.scorer_name)).toEqual(["py_len", "safety"]);
  });

  describe("errors", () => {
    const notFound = { error_code: "RESOURCE_DOES_NOT_EXIST", message: expect.any(String) };
    const invalid = { error_code: "INVALID_PARAMETER_VALUE", message: expect.any(String) };

    it.each<[string, () => Promise<{ status: number; json: unknown }>, number, object, RegExp?]>([
      ["register in an unknown experiment", () => register(s, "999", "x", safety), 404, notFound, /No active Experiment with id=999/],
      ["list of an unknown experiment", () => get(s, `${S}/list`, { experiment_id: "999" }), 404, notFound, /No Experiment with id=999/],
      [
        "get of an unknown scorer",
        () => get(s, `${S}/get`, { experiment_id: exp, name: "nope" }),
        404,
        notFound,
        /Scorer with name 'nope' not found for experiment/,
      ],
      ["get of an unknown version", () => get(s, `${S}/get`, { experiment_id: exp, name: "safety", version: 99 }), 404, notFound, /and version 99 not found/],
      ["versions of an unknown scorer", () => get(s, `${S}/versions`, { experiment_id: exp, name: "nope" }), 404, notFound],
      ["delete of an unknown scorer", () => api(s, "DELETE", `${S}/delete`, { experiment_id: exp, name: "nope" }), 404, notFound],
      ["delete of an unknown version", () => api(s, "DELETE", `${S}/delete`, { experiment_id: exp, name: "safety", version: 42 }), 404, notFound],
      [
        "online-config of a never-registered scorer",
        () => putConfig(s, { experiment_id: exp, name: "ghost", sample_rate: 0.5 }),
        404,
        notFound,
        /Scorer with name 'ghost' not found/,
      ],
      [
        "a rate of -0.1",
        () => putConfig(s, { experiment_id: exp, name: "safety", sample_rate: -0.1 }),
        400,
        invalid,
        /Invalid value -0.1 for parameter 'sample_rate'/,
      ],
      [
        "a rate of 1.5",
        () => putConfig(s, { experiment_id: exp, name: "safety", sample_rate: 1.5 }),
        400,
        invalid,
        /Invalid value 1.5 for parameter 'sample_rate'/,
      ],
      [
        'a rate of "abc"',
        () => putConfig(s, { experiment_id: exp, name: "safety", sample_rate: "abc" }),
        400,
        invalid,
        /Invalid value "abc" for parameter 'sample_rate'/,
      ],
      ["a missing rate", () => putConfig(s, { experiment_id: exp, name: "safety" }), 400, invalid, /Missing value for required parameter 'sample_rate'/],
      [
        "an invalid filter",
        () => putConfig(s, { experiment_id: exp, name: "safety", sample_rate: 0.5, filter_string: "trace.status = 'OK' OR trace.status = 'ERROR'" }),
        400,
        invalid,
        /Invalid filter at position \d+ near 'OR': OR is not supported/,
      ],
      ["a non-string filter", () => putConfig(s, { experiment_id: exp, name: "safety", sample_rate: 0.5, filter_string: 3 }), 400, invalid, /filter_string/],
      ["a name with a dot", () => register(s, exp, "a.b", safety), 400, invalid, /must not contain '\.'/],
      ["an empty name", () => register(s, exp, "", safety), 400, invalid, /cannot be empty/],
      ["serialized_scorer that is not JSON", () => register(s, exp, "x", "not json"), 400, invalid, /not valid JSON/],
      ["a missing experiment_id", () => get(s, `${S}/list`, {}), 400, invalid, /experiment_id/],
      ["a version that is not a number", () => get(s, `${S}/get`, { experiment_id: exp, name: "safety", version: "two" }), 400, invalid, /version/],
      ["online-configs without scorer_ids", () => get(s, `${S}/online-configs`, {}), 400, invalid, /scorer_ids/],
      ["a body that is not JSON", () => api(s, "POST", `${S}/register`, "{oops"), 400, invalid, /not valid JSON/],
    ])("%s", async (_, call, status, body, message) => {
      const r = await call();
      expect(r.status).toBe(status);
      expect(r.json).toEqual(body);
      if (message) expect((r.json as { message: string }).message).toMatch(message);
    });

    it("the wrong method is a 405 naming the right one", async () => {
      const r = await api(s, "POST", `${S}/list`, { experiment_id: exp });
      expect(r.status).toBe(405);
    });
  });
});
