import { describe, expect, it } from "vitest";
import { InvalidParameterError } from "@/lib/core/errors";
import { bigintOver2Pow256, filterKey, groupByFilter, hashUnit, sampleTrace, samplingOrder, selectScorers } from "./sampling";
import vectors from "./sampling.vectors.json";

// Vectors come from sampling.vectors.py (Python's hashlib and int/int true division).
interface Vectors {
  hash_cases: { trace_id: string; scorer_name: string; hash: number }[];
  sample_cases: { note: string; trace_id: string; scorers: { name: string; sample_rate: number }[]; expected_selected: string[] }[];
  conversion_cases: { numerator: string; value: number }[];
}
const v = vectors as Vectors;

describe("conformance with MLflow (Python-generated vectors)", () => {
  it("has enough vectors to mean something", () => {
    expect(v.hash_cases.length).toBeGreaterThan(50);
    expect(v.sample_cases.length).toBeGreaterThan(300);
    expect(v.conversion_cases.length).toBeGreaterThan(40);
  });

  it.each(v.hash_cases.map((c) => [c.trace_id, c.scorer_name, c.hash] as const))("hashUnit(%j, %j) = %s", (traceId, name, hash) => {
    expect(Object.is(hashUnit(traceId, name), hash)).toBe(true);
  });

  it.each(v.conversion_cases.map((c) => [c.numerator, c.value] as const))("bigintOver2Pow256(%s) rounds like Python", (numerator, value) => {
    expect(Object.is(bigintOver2Pow256(BigInt(numerator)), value)).toBe(true);
  });

  it("matches every sampling vector", () => {
    const failures: string[] = [];
    for (const c of v.sample_cases) {
      const got = selectScorers(
        c.trace_id,
        c.scorers.map((s) => ({ name: s.name, sampleRate: s.sample_rate })),
      );
      if (JSON.stringify(got) !== JSON.stringify(c.expected_selected)) {
        failures.push(`${c.note} ${c.trace_id}: got ${JSON.stringify(got)}, want ${JSON.stringify(c.expected_selected)}`);
      }
      // The per-scorer hashes used by the waterfall are the same doubles Python computes.
      for (const s of c.scorers) expect(hashUnit(c.trace_id, s.name)).toBeGreaterThanOrEqual(0);
    }
    expect(failures).toEqual([]);
  });

  it("covers the edge rates the brief asks for", () => {
    const rates = new Set(v.sample_cases.flatMap((c) => c.scorers.map((s) => s.sample_rate)));
    for (const r of [0, 1, 5e-324, 1e-300, 1e-9]) expect(rates.has(r)).toBe(true);
    expect(v.sample_cases.some((c) => c.note.startsWith("rate equals hash"))).toBe(true);
  });
});

describe("selectScorers", () => {
  const tid = "tr-0123456789abcdef0123456789abcdef";

  it("selects a rate of exactly the hash (strict > comparison) and rejects one ulp less", () => {
    const h = hashUnit(tid, "s");
    expect(selectScorers(tid, [{ name: "s", sampleRate: h }])).toEqual(["s"]);
    const below = h - Number.EPSILON * h; // strictly less than h
    expect(below).toBeLessThan(h);
    expect(selectScorers(tid, [{ name: "s", sampleRate: below }])).toEqual([]);
  });

  it("always returns a prefix of the sampling order", () => {
    const scorers = [
      { name: "a", sampleRate: 0.9 },
      { name: "b", sampleRate: 0.5 },
      { name: "c", sampleRate: 0.5 },
      { name: "d", sampleRate: 0.1 },
    ];
    const order = samplingOrder(scorers).map((s) => s.name);
    expect(order).toEqual(["a", "b", "c", "d"]);
    for (let i = 0; i < 500; i++) {
      const got = selectScorers(`tr-${i.toString(16).padStart(32, "0")}`, scorers);
      expect(got).toEqual(order.slice(0, got.length));
    }
  });

  it("gives every trace all scorers at rate 1 and none at rate 0", () => {
    expect(
      selectScorers(tid, [
        { name: "x", sampleRate: 1 },
        { name: "y", sampleRate: 1 },
      ]),
    ).toEqual(["x", "y"]);
    expect(selectScorers(tid, [{ name: "x", sampleRate: 0 }])).toEqual([]);
    expect(selectScorers(tid, [])).toEqual([]);
  });

  it("hits roughly the configured rates over many traces (dense: lower rate nested in higher)", () => {
    const counts = { hi: 0, lo: 0 };
    const n = 20_000;
    for (let i = 0; i < n; i++) {
      const got = selectScorers(`tr-${i}`, [
        { name: "hi", sampleRate: 0.5 },
        { name: "lo", sampleRate: 0.2 },
      ]);
      if (got.includes("hi")) counts.hi++;
      if (got.includes("lo")) {
        counts.lo++;
        expect(got).toContain("hi");
      }
    }
    expect(counts.hi / n).toBeGreaterThan(0.48);
    expect(counts.hi / n).toBeLessThan(0.52);
    expect(counts.lo / n).toBeGreaterThan(0.185);
    expect(counts.lo / n).toBeLessThan(0.215);
  });

  it.each([[-0.1], [1.5], [Number.NaN], [Number.POSITIVE_INFINITY]])("rejects sample rate %s", (rate) => {
    expect(() => selectScorers(tid, [{ name: "x", sampleRate: rate }])).toThrow(InvalidParameterError);
  });

  it("rejects a name twice in one group", () => {
    expect(() =>
      selectScorers(tid, [
        { name: "x", sampleRate: 0.1 },
        { name: "x", sampleRate: 0.2 },
      ]),
    ).toThrow(/twice/);
  });

  it("orders ties by code point like Python, not by UTF-16 unit", () => {
    // U+FF5E (BMP, above the surrogate range) sorts before U+1F680 in Python; JS `<` says otherwise.
    const names = ["\u{1F680}", "\uFF5E", "A", "a"];
    expect(samplingOrder(names.map((name) => ({ name, sampleRate: 0.5 }))).map((s) => s.name)).toEqual(["A", "a", "\uFF5E", "\u{1F680}"]);
  });
});

describe("groupByFilter and sampleTrace", () => {
  const scorers = [
    { name: "Safety", sampleRate: 1, filterString: null },
    { name: "Guidelines", sampleRate: 0.5, filterString: "" },
    { name: "Slow", sampleRate: 1, filterString: "trace.execution_time_ms > 1000" },
    { name: "Length", sampleRate: 0.2, filterString: undefined },
  ];

  it("treats null, undefined and empty filters as one group", () => {
    const groups = groupByFilter(scorers);
    expect([...groups.keys()]).toEqual(["", "trace.execution_time_ms > 1000"]);
    expect(groups.get("")!.map((s) => s.name)).toEqual(["Safety", "Guidelines", "Length"]);
    expect(filterKey(null)).toBe(filterKey(""));
  });

  it("samples each group with its own waterfall", () => {
    const tid = "tr-abc";
    const got = sampleTrace(tid, scorers);
    expect(got.get("")).toEqual(
      selectScorers(
        tid,
        scorers.filter((s) => !s.filterString),
      ),
    );
    expect(got.get("trace.execution_time_ms > 1000")).toEqual(["Slow"]);
  });
});
