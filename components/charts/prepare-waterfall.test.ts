import { describe, expect, it } from "vitest";
import { prepareWaterfall, type WaterfallSpanIn } from "./prepare-waterfall";

const T = 1_700_000_000_000_000_000n;
const span = (id: string, parent: string | null, startMs: number, endMs: number | null, extra: Partial<WaterfallSpanIn> = {}): WaterfallSpanIn => ({
  span_id: id,
  parent_span_id: parent,
  name: id,
  span_type: "CHAIN",
  start_time_ns: String(T + BigInt(startMs) * 1_000_000n),
  end_time_ns: endMs === null ? null : String(T + BigInt(endMs) * 1_000_000n),
  status_code: "STATUS_CODE_OK",
  ...extra,
});

describe("prepareWaterfall", () => {
  it("orders spans depth-first by start time and places bars as shares of the trace", () => {
    const w = prepareWaterfall([
      span("llm", "root", 300, 900, { span_type: "LLM" }),
      span("root", null, 0, 1000),
      span("retrieve", "root", 100, 250),
      span("embed", "retrieve", 110, 150),
    ]);
    expect(w.totalMs).toBe(1000);
    expect(w.rows.map((r) => [r.name, r.depth])).toEqual([
      ["root", 0],
      ["retrieve", 1],
      ["embed", 2],
      ["llm", 1],
    ]);
    const llm = w.rows.find((r) => r.name === "llm")!;
    expect(llm).toMatchObject({ type: "LLM", startMs: 300, durationMs: 600, leftPct: 30, widthPct: 60, open: false });
  });

  it("keeps sub-millisecond precision from nanosecond strings", () => {
    const w = prepareWaterfall([{ ...span("root", null, 0, 0), end_time_ns: String(T + 1_500_000n) }]);
    expect(w.rows[0]!.durationMs).toBe(1.5);
  });

  it("shows orphans as roots, open spans to the end, errors flagged", () => {
    const w = prepareWaterfall([
      span("root", null, 0, 500),
      span("orphan", "missing-parent", 100, 200, { status_code: "STATUS_CODE_ERROR" }),
      span("open", "root", 400, null),
    ]);
    expect(w.rows.map((r) => r.name)).toEqual(["root", "open", "orphan"]);
    expect(w.rows.find((r) => r.name === "orphan")).toMatchObject({ depth: 0, error: true });
    expect(w.rows.find((r) => r.name === "open")).toMatchObject({ open: true, durationMs: 100 });
  });

  it("survives a parent cycle and an empty trace", () => {
    const w = prepareWaterfall([span("a", "b", 0, 10), span("b", "a", 0, 10)]);
    expect(w.rows.map((r) => r.name).sort()).toEqual(["a", "b"]);
    expect(prepareWaterfall([])).toEqual({ rows: [], totalMs: 0 });
  });
});
