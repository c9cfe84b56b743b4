import fs from "node:fs";
import path from "node:path";
import { parquetMetadata, parquetReadObjects, parquetSchema } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EXPORT_COLUMNS, exportArchive, maintenanceTick, setArchival } from "@/lib/archive";
import { startTestServer, type TestServer } from "../helpers/server";
import { insertEngineScore } from "./archive.helpers";
import { addToken, createExperiment, seedTraces } from "./mlflow.helpers";

const T0 = Date.UTC(2025, 4, 1);
const HOUR = 3_600_000;

interface ArchiveRow {
  trace_id: string;
  client_request_id: string | null;
  request_time: number;
  state: string;
  execution_duration_ms: number | null;
  request: string | null;
  response: string | null;
  trace_metadata: string;
  tags: string;
  trace_location: string;
  assessments: string;
  spans: string;
}

const toArrayBuffer = (b: Buffer) => b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength) as ArrayBuffer;

describe("archive export", () => {
  let s: TestServer;
  let exp: number;
  let expected: ArchiveRow[];
  beforeAll(async () => {
    s = await startTestServer();
    exp = Number(await createExperiment(s, "export"));
    // 2,500 traces over ~5 days: several Parquet row groups; one still open (never archived).
    const ids = await seedTraces(
      s.ctx,
      exp,
      Array.from({ length: 2500 }, (_, k) => ({ startMs: T0 + k * 3 * 60_000, error: k % 97 === 0 })),
    );
    await seedTraces(s.ctx, exp, [{ startMs: T0 + 10 * HOUR, durationMs: null }]);
    ids.forEach((traceId, k) => {
      if (k % 3 === 0)
        insertEngineScore(s.ctx, { traceId, experimentId: exp, scorer: "relevance", version: 1, value: k % 2 === 0 ? "yes" : "no", at: T0, judge: true });
    });
    setArchival({ ctx: s.ctx, input: { experimentId: exp, enabled: true } });
    while (maintenanceTick(s.ctx).historyWalked > 0);
    expected = s.db.$client
      .prepare(
        `SELECT trace_id, client_request_id, request_time, state, execution_duration_ms, request, response, trace_metadata, tags, trace_location, assessments, spans
         FROM archived_traces WHERE experiment_id = ? ORDER BY request_time, trace_id`,
      )
      .all(exp) as ArchiveRow[];
    expect(expected).toHaveLength(2500);
  });
  afterAll(() => s.close());

  const inRange = (start: number, end: number) => expected.filter((r) => r.request_time >= start && r.request_time < end);

  it("writes Parquet that a Parquet reader reads back as the archive rows of the range", async () => {
    const file = path.join(s.dir, "export.parquet");
    const start = T0 + 2 * HOUR;
    const end = T0 + 80 * HOUR;
    const r = await exportArchive({ ctx: s.ctx, input: { experimentId: exp, start, end, format: "parquet" }, out: file });
    const want = inRange(start, end);
    expect(r).toMatchObject({ rows: want.length, format: "parquet", contentType: "application/vnd.apache.parquet" });
    expect(r.rows).toBeGreaterThan(1000);
    const buf = fs.readFileSync(file);
    expect(r.bytes).toBe(buf.length);

    const ab = toArrayBuffer(buf);
    const meta = parquetMetadata(ab);
    expect(meta.row_groups.length).toBeGreaterThan(1);
    expect(parquetSchema(meta).children.map((c) => c.element.name)).toEqual([...EXPORT_COLUMNS]);
    const got = await parquetReadObjects({ file: ab });
    expect(got).toHaveLength(want.length);
    got.forEach((row, k) => {
      const w = want[k]!;
      expect(row.trace_id).toBe(w.trace_id);
      expect(row.client_request_id).toBe(w.client_request_id);
      expect(new Date(row.request_time as Date).getTime()).toBe(w.request_time);
      expect(row.state).toBe(w.state);
      expect(row.execution_duration_ms === null ? null : Number(row.execution_duration_ms)).toBe(w.execution_duration_ms);
      expect(row.request).toBe(w.request);
      expect(row.response).toBe(w.response);
      for (const c of ["trace_metadata", "tags", "trace_location", "assessments", "spans"] as const) expect(row[c]).toEqual(JSON.parse(w[c]));
    });
  });

  it("writes JSON Lines with the same records, nested columns as JSON", async () => {
    const chunks: Buffer[] = [];
    const { Writable } = await import("node:stream");
    const sink = new Writable({
      write: (c: Buffer, _e, cb) => {
        chunks.push(c);
        cb();
      },
    });
    const r = await exportArchive({ ctx: s.ctx, input: { experimentId: exp, start: new Date(T0).toISOString(), format: "jsonl" }, out: sink });
    const lines = Buffer.concat(chunks)
      .toString("utf8")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(r.rows).toBe(expected.length);
    expect(lines).toHaveLength(expected.length);
    lines.forEach((l, k) => {
      const w = expected[k]!;
      expect(Object.keys(l)).toEqual([...EXPORT_COLUMNS]);
      expect(l).toEqual({
        ...w,
        request_time: new Date(w.request_time).toISOString(),
        trace_metadata: JSON.parse(w.trace_metadata),
        tags: JSON.parse(w.tags),
        trace_location: JSON.parse(w.trace_location),
        assessments: JSON.parse(w.assessments),
        spans: JSON.parse(w.spans),
      });
    });
  });

  it("writes a valid empty Parquet file for an empty range", async () => {
    const file = path.join(s.dir, "empty.parquet");
    const r = await exportArchive({ ctx: s.ctx, input: { experimentId: exp, start: 0, end: 1000, format: "parquet" }, out: file });
    expect(r.rows).toBe(0);
    const ab = toArrayBuffer(fs.readFileSync(file));
    expect(parquetMetadata(ab).num_rows).toBe(0n);
    expect(await parquetReadObjects({ file: ab })).toEqual([]);
  });

  it("downloads over REST as a file, for viewers, and refuses bad parameters", async () => {
    const viewer = addToken(s, "viewer");
    const start = T0 + 10 * HOUR;
    const end = T0 + 20 * HOUR;
    const res = await fetch(`${s.url}/api/v1/archival/export?experiment_id=${exp}&start=${start}&end=${end}&format=parquet`, { headers: viewer });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="vigil-archive-exp${exp}-20250501T100000Z-20250501T200000Z.parquet"`);
    const rows = await parquetReadObjects({ file: await res.arrayBuffer() });
    expect(rows.map((r) => r.trace_id)).toEqual(inRange(start, end).map((r) => r.trace_id));

    const jsonl = await fetch(`${s.url}/api/v1/archival/export?experiment_id=${exp}&start=${start}&end=${end}&format=jsonl`, { headers: viewer });
    expect(jsonl.headers.get("content-type")).toBe("application/x-ndjson");
    expect((await jsonl.text()).trimEnd().split("\n")).toHaveLength(rows.length);

    const bad = await fetch(`${s.url}/api/v1/archival/export?experiment_id=${exp}&format=csv`);
    expect(bad.status).toBe(400);
    const inverted = await fetch(`${s.url}/api/v1/archival/export?experiment_id=${exp}&start=${end}&end=${start}`);
    expect(inverted.status).toBe(400);
    const scoped = addToken(s, "viewer", exp + 1000);
    expect((await fetch(`${s.url}/api/v1/archival/export?experiment_id=${exp}`, { headers: scoped })).status).toBe(403);
  });
});
