import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { api, createExperiment, loc, seedTraces } from "./mlflow.helpers";

const T = "/api/3.0/mlflow/traces";
const T0 = Date.UTC(2025, 2, 1, 8, 0, 0, 0);

type Info = { trace_id: string; request_time: string; execution_duration?: string; state: string; assessments: unknown[] };

describe("MLflow trace search (v3)", () => {
  let s: TestServer;
  let big: string;
  let small: string;
  let bigIds: string[];

  async function searchAll(body: Record<string, unknown>, pageSize: number): Promise<Info[]> {
    const out: Info[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const r = await api(s, "POST", `${T}/search`, { ...body, max_results: pageSize, page_token: token });
      expect(r.status).toBe(200);
      out.push(...r.json.traces);
      token = r.json.next_page_token;
      expect(++pages).toBeLessThan(100);
    } while (token);
    return out;
  }

  beforeAll(async () => {
    s = await startTestServer();
    big = await createExperiment(s, "search-big");
    small = await createExperiment(s, "search-small");
    // 250 traces in groups of 10 that share a start time: ties the order must break by trace id.
    bigIds = await seedTraces(
      s.ctx,
      Number(big),
      Array.from({ length: 250 }, (_, k) => ({ startMs: T0 + Math.floor(k / 10) * 1000, durationMs: (k * 37) % 500, error: k % 25 === 0 })),
    );
    await seedTraces(s.ctx, Number(small), [
      { startMs: T0, name: "chat", childType: "LLM" },
      { startMs: T0 + 1, name: "search", childType: "RETRIEVER", error: true },
      { startMs: T0 + 2, name: "chat", childType: "TOOL", durationMs: null },
    ]);
  });
  afterAll(() => s.close());

  it("pages through 250 traces with no duplicates, no gaps, and a stable order across ties", async () => {
    const paged = await searchAll({ locations: loc(big) }, 37);
    expect(paged).toHaveLength(250);
    expect(new Set(paged.map((t) => t.trace_id)).size).toBe(250);
    expect(new Set(paged.map((t) => t.trace_id))).toEqual(new Set(bigIds));
    const oneShot = (await api(s, "POST", `${T}/search`, { locations: loc(big), max_results: 500 })).json.traces as Info[];
    expect(paged.map((t) => t.trace_id)).toEqual(oneShot.map((t) => t.trace_id));
    // Default order: newest first, ties by trace id ascending.
    for (let k = 1; k < paged.length; k++) {
      const a = paged[k - 1]!;
      const b = paged[k]!;
      const ta = Date.parse(a.request_time);
      const tb = Date.parse(b.request_time);
      expect(ta > tb || (ta === tb && a.trace_id < b.trace_id)).toBe(true);
    }
  });

  it("keeps paging correctly while new traces arrive (keyset tokens)", async () => {
    const e = await createExperiment(s, "search-live");
    const original = await seedTraces(
      s.ctx,
      Number(e),
      Array.from({ length: 30 }, (_, k) => ({ startMs: T0 + k })),
    );
    const first = await api(s, "POST", `${T}/search`, { locations: loc(e), max_results: 10 });
    await seedTraces(
      s.ctx,
      Number(e),
      Array.from({ length: 5 }, (_, k) => ({ startMs: T0 + 10_000 + k })),
    );
    const seen: string[] = first.json.traces.map((t: Info) => t.trace_id);
    let token: string | undefined = first.json.next_page_token;
    while (token) {
      const r = await api(s, "POST", `${T}/search`, { locations: loc(e), max_results: 10, page_token: token });
      seen.push(...r.json.traces.map((t: Info) => t.trace_id));
      token = r.json.next_page_token;
    }
    expect(seen).toHaveLength(30);
    expect(new Set(seen)).toEqual(new Set(original));
  });

  it.each([
    [["timestamp_ms ASC"], (a: Info, b: Info) => Date.parse(a.request_time) <= Date.parse(b.request_time)],
    [["execution_time_ms DESC"], (a: Info, b: Info) => parseFloat(a.execution_duration!) >= parseFloat(b.execution_duration!)],
    [["status ASC", "timestamp_ms DESC"], (a: Info, b: Info) => a.state <= b.state],
    [["request_id DESC"], (a: Info, b: Info) => a.trace_id > b.trace_id],
  ])("orders by %j across pages", async (order_by, inOrder) => {
    const paged = await searchAll({ locations: loc(big), order_by }, 60);
    expect(paged).toHaveLength(250);
    expect(new Set(paged.map((t) => t.trace_id)).size).toBe(250);
    for (let k = 1; k < paged.length; k++) expect(inOrder(paged[k - 1]!, paged[k]!)).toBe(true);
  });

  it("filters with MLflow's grammar", async () => {
    const ids = async (filter: string) => ((await api(s, "POST", `${T}/search`, { locations: loc(small), filter })).json.traces as Info[]).length;
    expect(await ids("trace.status = 'ERROR'")).toBe(1);
    expect(await ids("trace.status = 'IN_PROGRESS'")).toBe(1);
    expect(await ids("span.type = 'RETRIEVER'")).toBe(1);
    expect(await ids("trace.name = 'chat' AND trace.status = 'OK'")).toBe(1);
    expect(await ids(`trace.timestamp_ms > ${T0}`)).toBe(2);
    const errors = await api(s, "POST", `${T}/search`, { locations: loc(big), filter: "trace.status = 'ERROR'", max_results: 500 });
    expect(errors.json.traces).toHaveLength(10);
  });

  it("returns assessments inside each TraceInfoV3 and filters on them", async () => {
    const e = await createExperiment(s, "search-assessed");
    const [a, b] = await seedTraces(s.ctx, Number(e), [{ startMs: T0 }, { startMs: T0 + 1 }]);
    const created = await api(s, "POST", `${T}/${a}/assessments`, {
      assessment: { assessment_name: "safety", source: { source_type: "LLM_JUDGE", source_id: "gpt" }, feedback: { value: "yes" }, rationale: "fine" },
    });
    expect(created.status).toBe(200);
    const r = await api(s, "POST", `${T}/search`, { locations: loc(e), filter: "feedback.safety = 'yes'" });
    expect(r.json.traces.map((t: Info) => t.trace_id)).toEqual([a]);
    expect(r.json.traces[0].assessments).toEqual([created.json.assessment]);
    const all = await api(s, "POST", `${T}/search`, { locations: loc(e) });
    expect(all.json.traces.find((t: Info) => t.trace_id === b).assessments).toEqual([]);
  });

  it.each([
    ["max_results above 500", { max_results: 501 }, "max_results"],
    ["max_results of 0", { max_results: 0 }, "max_results"],
    ["a garbage page token", { page_token: "not-a-token" }, "page_token"],
    ["an order_by key that does not exist", { order_by: ["colour DESC"] }, "order_by"],
  ])("refuses %s with 400", async (_label, extra, mention) => {
    const r = await api(s, "POST", `${T}/search`, { locations: loc(big), ...extra });
    expect(r.status).toBe(400);
    expect(r.json.error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(r.json.message).toContain(mention);
  });

  it("refuses an invalid filter with the parser's message", async () => {
    const r = await api(s, "POST", `${T}/search`, { locations: loc(big), filter: "trace.status = 'OK' OR trace.status = 'ERROR'" });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/^Invalid filter at position \d+ near 'OR'/);
  });

  it("refuses a page token from another search", async () => {
    const first = await api(s, "POST", `${T}/search`, { locations: loc(big), max_results: 5 });
    const r = await api(s, "POST", `${T}/search`, {
      locations: loc(big),
      max_results: 5,
      filter: "trace.status = 'OK'",
      page_token: first.json.next_page_token,
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain("page_token");
  });

  it("needs a location, and answers unknown experiments with 404", async () => {
    expect((await api(s, "POST", `${T}/search`, {})).status).toBe(400);
    const r = await api(s, "POST", `${T}/search`, { locations: loc(4242) });
    expect(r.status).toBe(404);
    expect(r.json.error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it("serves the deprecated v2 search in the v2 shape", async () => {
    const r = await api(s, "GET", `/api/2.0/mlflow/traces?experiment_ids=${small}&max_results=2&order_by=timestamp_ms%20ASC`);
    expect(r.status).toBe(200);
    expect(r.json.traces).toHaveLength(2);
    expect(r.json.traces[0]).toMatchObject({ experiment_id: small, timestamp_ms: T0, status: "OK" });
    expect(r.json.traces[0].request_id).toMatch(/^tr-/);
    const next = await api(
      s,
      "GET",
      `/api/2.0/mlflow/traces?experiment_ids=${small}&max_results=2&order_by=timestamp_ms%20ASC&page_token=${r.json.next_page_token}`,
    );
    expect(next.json.traces).toHaveLength(1);
    expect(next.json.next_page_token).toBeUndefined();
  });
});
