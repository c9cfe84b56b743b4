import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { decideTrace, traceMatcher, type Candidate } from "./decide";
import { FunnelTally, hourBucket } from "./funnel-tally";
import { filterKey, sampleTrace } from "./sampling";
import { FILTER_LIMITS } from "@/lib/mlflow/filter/limits";
import { buildTrace } from "@/scorers/trace-builder";

// Deterministic trace ids: the same set every run.
const traceIds = Array.from({ length: 2000 }, (_, i) => `tr-${createHash("md5").update(`trace ${i}`).digest("hex")}`);

const scorers: Candidate[] = [
  { name: "safety", sampleRate: 0.5, filterString: null, block: null },
  { name: "relevance", sampleRate: 0.2, filterString: null, block: "paused" },
  { name: "length", sampleRate: 1, filterString: "", block: null },
  { name: "pii", sampleRate: 0.3, filterString: "trace.status = 'OK'", block: "budget" },
  { name: "tone", sampleRate: 0.3, filterString: "trace.status = 'OK'", block: null },
  { name: "json", sampleRate: 0.05, filterString: "trace.status = 'OK'", block: "not_runnable" },
];

describe("decideTrace against sampleTrace (MLflow's dense sampling)", () => {
  it("samples exactly what sampleTrace selects, blocked scorers included, for 2000 traces", () => {
    const mismatches: string[] = [];
    for (const id of traceIds) {
      const want = sampleTrace(id, scorers);
      const got = decideTrace(id, scorers, () => true);
      for (const [key, names] of want) {
        const sampled = got.filter((d) => filterKey(d.candidate.filterString) === key && d.sampled).map((d) => d.candidate.name);
        if (JSON.stringify([...sampled].sort()) !== JSON.stringify([...names].sort())) mismatches.push(`${id} ${key}: ${sampled} vs ${names}`);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it("runs only sampled scorers that are not blocked, and says why the others are skipped", () => {
    let ran = 0;
    for (const id of traceIds.slice(0, 500)) {
      for (const d of decideTrace(id, scorers, () => true)) {
        expect(d.run).toBe(d.sampled && d.candidate.block === null);
        if (!d.sampled) expect(d.skip).toBe("not_sampled");
        else expect(d.skip).toBe(d.candidate.block);
        if (d.run) ran++;
      }
    }
    expect(ran).toBeGreaterThan(500); // "length" at rate 1 alone runs on every trace
  });

  it.each([
    [false, "filtered_out"],
    ["invalid", "invalid_filter"],
    ["too_costly", "filter_too_costly"],
  ] as const)("a filter answering %s skips the whole group as %s, and the unfiltered group is unaffected", (answer, reason) => {
    const id = traceIds[7]!;
    const got = decideTrace(id, scorers, () => answer);
    const filtered = got.filter((d) => d.candidate.filterString);
    expect(filtered.map((d) => [d.matched, d.sampled, d.skip])).toEqual(filtered.map(() => [false, false, reason]));
    const unfiltered = got
      .filter((d) => !d.candidate.filterString)
      .filter((d) => d.sampled)
      .map((d) => d.candidate.name);
    expect(unfiltered.sort()).toEqual([...sampleTrace(id, scorers).get("")!].sort());
  });
});

describe("traceMatcher", () => {
  const ok = buildTrace({ traceId: "tr-0001", root: { name: "agent", type: "AGENT", inputs: "hi", outputs: "hello", startMs: 0, endMs: 5 } });
  it.each([
    ["trace.status = 'OK'", true],
    ["trace.status = 'ERROR'", false],
    ["trace.name = 'agent' AND trace.execution_time_ms < 100", true],
    ["trace.status = 'OK' OR trace.name = 'x'", "invalid"],
  ])("%s -> %s", (f, want) => {
    expect(traceMatcher(ok)(f)).toBe(want);
  });

  it("answers too_costly when one trace's evaluation scans past the budget, instead of pinning the worker", () => {
    const huge = "x".repeat(FILTER_LIMITS.maxScanChars / 2 + 1);
    const big = buildTrace({
      traceId: "tr-0002",
      root: {
        name: "agent",
        type: "AGENT",
        startMs: 0,
        endMs: 5,
        attributes: { blob: huge },
        children: [{ name: "tool", type: "TOOL", startMs: 1, endMs: 2, attributes: { blob: huge } }],
      },
    });
    expect(traceMatcher(big)("span.attributes.blob RLIKE 'needle'")).toBe("too_costly");
    expect(traceMatcher(big)("span.attributes.blob LIKE '%needle%'")).toBe("too_costly");
    // The budget is per evaluation: the next trace starts afresh.
    expect(traceMatcher(ok)("trace.name RLIKE '^ag'")).toBe(true);
  });

  it("a trace that could not be loaded matches no filter", () => {
    expect(traceMatcher(undefined)("trace.status = 'OK'")).toBe(false);
  });
});

describe("FunnelTally", () => {
  it("adds a decision's stages into hour buckets", () => {
    const t = new FunnelTally();
    const at = Date.UTC(2026, 0, 1, 10, 30);
    const cand = { name: "tone", sampleRate: 1, filterString: null, block: "budget" as const };
    t.addDecision(1, at, { candidate: cand, matched: true, sampled: true, run: false, skip: "budget" });
    t.addDecision(1, at + 60_000, { candidate: cand, matched: true, sampled: true, run: false, skip: "budget" });
    t.addDecision(1, at, { candidate: cand, matched: false, sampled: false, run: false, skip: "filtered_out" });
    const rows = t.entries().map((r) => [r.stage, r.reason, r.count, r.bucketMs]);
    const hour = hourBucket(at);
    expect(hour).toBe(Date.UTC(2026, 0, 1, 10));
    expect(rows).toEqual([
      ["matched", "", 2, hour],
      ["sampled", "", 2, hour],
      ["skipped", "budget", 2, hour],
      ["skipped", "filtered_out", 1, hour],
    ]);
  });
});
