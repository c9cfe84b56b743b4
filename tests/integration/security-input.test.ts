import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { traces } from "@/db/schema";
import { toRfc3339 } from "@/lib/mlflow/proto-json";
import { startTestServer, type TestServer } from "../helpers/server";
import { jsonRequest, jsonSpan } from "./otlp.helpers";

const GOOD = "0af7651916cd43dd8448eb211c80319c";
const BAD = "4bf92f3577b34da6a3ce929d0e0e4736";
const SEARCH = { locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } }] };

describe("times and filters from outside", () => {
  let s: TestServer;
  const json = { "content-type": "application/json" };
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it("rejects a span time of 10^30 ns as OTLP partial success and keeps the rest", async () => {
    const spans = [jsonSpan(GOOD, "b7ad6b7169203331"), jsonSpan(BAD, "00f067aa0ba902b7", { startTimeUnixNano: `1${"0".repeat(30)}` })];
    const r = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      headers: { ...json, "x-mlflow-experiment-id": "0" },
      body: JSON.stringify(jsonRequest(spans)),
    });
    expect(r.status).toBe(200);
    const { partialSuccess } = await r.json();
    expect(partialSuccess.rejectedSpans).toBe("1");
    expect(partialSuccess.errorMessage).toContain("outside 1970-9999");
    const search = await fetch(`${s.url}/api/3.0/mlflow/traces/search`, { method: "POST", headers: json, body: JSON.stringify(SEARCH) });
    expect(search.status).toBe(200);
  });

  it("keeps search answering when a stored row holds an out-of-range time", async () => {
    s.db
      .update(traces)
      .set({ requestTime: 10 ** 18 })
      .run();
    for (const [method, path, body] of [
      ["POST", "/api/3.0/mlflow/traces/search", SEARCH],
      ["GET", "/api/2.0/mlflow/traces?experiment_ids=0", undefined],
    ] as const) {
      const r = await fetch(`${s.url}${path}`, { method, headers: json, body: body && JSON.stringify(body) });
      expect(r.status).toBe(200);
    }
    expect(toRfc3339(1e30)).toBe("9999-12-31T23:59:59.999Z");
    expect(toRfc3339(Number.NaN)).toBe("1970-01-01T00:00:00.000Z");
  });

  it("answers a search whose RLIKE would scan past one evaluation's budget with a 400 naming the budget", async () => {
    // 21 traces with a 1M-character tag: an RLIKE over them scans more than the 20M budget.
    const blob = "x".repeat(1_000_000);
    for (let n = 0; n < 21; n++) {
      s.db
        .insert(traces)
        .values({
          traceId: `tr-budget-${n}`,
          experimentId: 0,
          name: "big",
          requestTime: 1_700_000_000_000 + n,
          state: "OK",
          traceMetadata: "{}",
          tags: JSON.stringify({ blob }),
          lastSpanAt: 1_700_000_000_000,
          spanCount: 0,
        })
        .run();
    }
    const body = (filter: string) => JSON.stringify({ ...SEARCH, filter });
    const over = await fetch(`${s.url}/api/3.0/mlflow/traces/search`, { method: "POST", headers: json, body: body("tag.blob RLIKE 'needle'") });
    expect(over.status).toBe(400);
    expect((await over.json()).message).toMatch(/scan more than 20,000,000 characters/);
    // A filter that narrows first stays inside the budget.
    const narrow = body("trace.request_id = 'tr-budget-3' AND tag.blob RLIKE '^x+$'");
    const ok = await fetch(`${s.url}/api/3.0/mlflow/traces/search`, { method: "POST", headers: json, body: narrow });
    expect(ok.status).toBe(200);
    expect((await ok.json()).traces.map((t: { trace_id: string }) => t.trace_id)).toEqual(["tr-budget-3"]);
  });

  it.each([
    ["/api/v1/archival/export?experiment_id=0&end=8640000000000001", "'end'"],
    ["/api/v1/archival/export?experiment_id=0&start=-5", "'start'"],
    ["/api/v1/trends?experiment_id=0&scorer=x&start=99999999999999999999", "'start'"],
  ])("answers %s with a 400 naming the field", async (path, field) => {
    const r = await fetch(`${s.url}${path}`);
    expect(r.status).toBe(400);
    expect((await r.json()).message).toContain(field);
  });
});
