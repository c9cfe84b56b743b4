import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeExportResponse } from "@/lib/ingest";
import { startTestServer, type TestServer } from "../helpers/server";
import { countRows, jsonRequest, jsonSpan, protobufRequest, traceRow } from "./otlp.helpers";

const T1 = "0af7651916cd43dd8448eb211c80319c";
const T2 = "4bf92f3577b34da6a3ce929d0e0e4736";
const S1 = "b7ad6b7169203331";
const S2 = "00f067aa0ba902b7";
const ZERO_SPAN = "0000000000000000";

// Bad input: what Vigil refuses, with which status, and that a refused request stores nothing.
describe("OTLP ingestion: bad input", () => {
  let s: TestServer;
  const post = (body: BodyInit, headers: Record<string, string>) =>
    fetch(`${s.url}/v1/traces`, { method: "POST", body, headers: { "x-mlflow-experiment-id": "0", ...headers } });
  beforeAll(async () => {
    s = await startTestServer({ VIGIL_MAX_BODY_BYTES: "4096" });
  });
  afterAll(() => s.close());

  it("refuses a truncated protobuf body with 400 and stores none of its spans", async () => {
    const body = protobufRequest([jsonSpan(T1, S1), jsonSpan(T1, S2, { parentSpanId: S1 })]);
    const before = countRows(s.db);
    const r = await post(body.subarray(0, body.length - 7), { "content-type": "application/x-protobuf" });
    expect(r.status).toBe(400);
    expect((await r.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(countRows(s.db)).toEqual(before);
  });

  it.each([
    ["not JSON", "{resourceSpans: ["],
    ["a JSON array", "[]"],
    ["resourceSpans that is not a list", JSON.stringify({ resourceSpans: { spans: [] } })],
  ])("refuses a JSON body that is %s with 400", async (_label, body) => {
    const before = countRows(s.db);
    const r = await post(body, { "content-type": "application/json" });
    expect(r.status).toBe(400);
    expect((await r.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
    expect(countRows(s.db)).toEqual(before);
  });

  it.each([["text/plain"], ["application/grpc"], [""]])("refuses content type '%s' with 415", async (ct) => {
    const r = await post(JSON.stringify(jsonRequest([jsonSpan(T1, S1)])), ct ? { "content-type": ct } : {});
    expect(r.status).toBe(415);
    expect((await r.json()).error_code).toBe("INVALID_PARAMETER_VALUE");
  });

  it("refuses a body over VIGIL_MAX_BODY_BYTES with 413", async () => {
    const big = jsonSpan(T1, S1, { attributes: [{ key: "blob", value: { stringValue: "x".repeat(8_000) } }] });
    const r = await post(protobufRequest([big]), { "content-type": "application/x-protobuf" });
    expect(r.status).toBe(413);
  });

  it("refuses a small gzip body that inflates past the limit with 413", async () => {
    const bomb = new Uint8Array(zlib.gzipSync(Buffer.alloc(1_000_000, 0x20)));
    expect(bomb.length).toBeLessThan(4096);
    const before = countRows(s.db);
    const r = await post(bomb, { "content-type": "application/json", "content-encoding": "gzip" });
    expect(r.status).toBe(413);
    expect(countRows(s.db)).toEqual(before);
  });

  it("answers 404 RESOURCE_DOES_NOT_EXIST for an unknown experiment", async () => {
    const r = await post(JSON.stringify(jsonRequest([jsonSpan(T1, S1)])), { "content-type": "application/json", "x-mlflow-experiment-id": "424242" });
    expect(r.status).toBe(404);
    expect((await r.json()).error_code).toBe("RESOURCE_DOES_NOT_EXIST");
  });

  it.each([
    ["missing", undefined],
    ["not an id", "my-experiment"],
  ])("answers 400 when the experiment header is %s, as MLflow requires it", async (_label, value) => {
    const r = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      body: JSON.stringify(jsonRequest([])),
      headers: { "content-type": "application/json", ...(value ? { "x-mlflow-experiment-id": value } : {}) },
    });
    expect(r.status).toBe(400);
    expect((await r.json()).message).toContain("x-mlflow-experiment-id");
  });
});

describe("OTLP ingestion: partial success", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it("stores the valid spans of a JSON request and names the rejected ones", async () => {
    const spans = [jsonSpan(T1, S1), jsonSpan(T1, ZERO_SPAN, { parentSpanId: S1 }), jsonSpan("", S2), jsonSpan(T2, S2, { startTimeUnixNano: "soon" })];
    const r = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      body: JSON.stringify(jsonRequest(spans)),
      headers: { "content-type": "application/json", "x-mlflow-experiment-id": "0" },
    });
    expect(r.status).toBe(200);
    expect(r.headers.get("content-type")).toBe("application/json");
    const { partialSuccess } = (await r.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(partialSuccess.rejectedSpans).toBe("3");
    expect(partialSuccess.errorMessage).toContain(`trace ${T2} span ${S2}: startTimeUnixNano must be a non-negative integer`);
    expect(partialSuccess.errorMessage).toContain(`trace ${T1} span ${ZERO_SPAN}: span id must be 16 hex characters, not all zero`);
    expect(partialSuccess.errorMessage).toContain(`trace (missing) span ${S2}: trace id must be 32 hex characters`);
    expect(traceRow(s.db, T1)).toMatchObject({ spanCount: 1, state: "OK" });
    expect(traceRow(s.db, T2)).toBeUndefined();
  });

  it("accepts a deflate-compressed JSON export", async () => {
    const T4 = "22222222222222222222222222222222";
    const r = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      body: new Uint8Array(zlib.deflateSync(JSON.stringify(jsonRequest([jsonSpan(T4, S1)])))),
      headers: { "content-type": "application/json", "content-encoding": "deflate", "x-mlflow-experiment-id": "0" },
    });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({});
    expect(traceRow(s.db, T4)).toMatchObject({ spanCount: 1, state: "OK" });
  });

  it("answers a protobuf request with a protobuf ExportTraceServiceResponse carrying the rejections", async () => {
    const T3 = "11111111111111111111111111111111";
    const ok = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      body: protobufRequest([jsonSpan(T3, S1)]),
      headers: { "content-type": "application/x-protobuf", "x-mlflow-experiment-id": "0" },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get("content-type")).toBe("application/x-protobuf");
    expect(decodeExportResponse(new Uint8Array(await ok.arrayBuffer()))).toEqual({ rejectedSpans: 0, errorMessage: "" });

    const r = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      body: protobufRequest([jsonSpan(T3, S2, { parentSpanId: S1 }), jsonSpan(ZERO_SPAN + ZERO_SPAN, S2)]),
      headers: { "content-type": "application/x-protobuf", "x-mlflow-experiment-id": "0" },
    });
    expect(r.status).toBe(200);
    const answer = decodeExportResponse(new Uint8Array(await r.arrayBuffer()));
    expect(answer.rejectedSpans).toBe(1);
    expect(answer.errorMessage).toBe(`1 span(s) rejected: trace ${"0".repeat(32)} span ${S2}: trace id must be 32 hex characters, not all zero`);
    expect(traceRow(s.db, T3)).toMatchObject({ spanCount: 2 });
  });

  it("rejects spans of a trace that already belongs to another experiment", async () => {
    s.db.$client.prepare("INSERT INTO experiments (experiment_id, name, creation_time, last_update_time) VALUES (7, 'other', 0, 0)").run();
    const r = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      body: JSON.stringify(jsonRequest([jsonSpan(T1, "1234567890abcdef", { parentSpanId: S1 })])),
      headers: { "content-type": "application/json", "x-mlflow-experiment-id": "7" },
    });
    const body = (await r.json()) as { partialSuccess: { rejectedSpans: string; errorMessage: string } };
    expect(body.partialSuccess.rejectedSpans).toBe("1");
    expect(body.partialSuccess.errorMessage).toContain("trace belongs to experiment 0");
    expect(traceRow(s.db, T1)).toMatchObject({ experimentId: 0, spanCount: 1 });
  });
});
