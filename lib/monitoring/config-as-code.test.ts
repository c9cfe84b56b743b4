import { describe, expect, it } from "vitest";
import { serializeBuiltin } from "@/scorers";
import example from "@/scorers.config";
import { resolveScorersConfig } from "./config-as-code";

describe("resolveScorersConfig", () => {
  it("resolves the example scorers.config.ts: every scorer runnable, rates as documented", () => {
    const r = resolveScorersConfig(example);
    expect(r.experiment).toEqual({ name: "support-agent" });
    expect(r.warnings).toEqual([]);
    const rate = (n: string) => r.scorers.find((s) => s.name === n)!.sampleRate;
    expect(rate("safety")).toBe(1);
    expect(rate("relevance")).toBeGreaterThanOrEqual(0.1);
    expect(rate("relevance")).toBeLessThanOrEqual(0.2);
    expect(rate("support_guidelines")).toBeGreaterThanOrEqual(0.05);
    expect(rate("support_guidelines")).toBeLessThanOrEqual(0.1);
    expect(rate("polite_closing")).toBeGreaterThanOrEqual(0.01);
    expect(rate("polite_closing")).toBeLessThanOrEqual(0.05);
    expect(rate("pii_leak")).toBe(1);
    expect(r.alerts.map((a) => [a.name, a.kind, a.scorerName])).toEqual([
      ["safety drop", "quality_drop", "safety"],
      ["scorer errors", "error_rate", null],
      ["judge spend 80%", "budget", null],
      ["scorer auto-paused", "scorer_paused", null],
      ["scoring lag", "lag", null],
      ["no traffic", "no_traffic", null],
    ]);
    expect(r.alerts[0]).toMatchObject({ forMs: 900_000, severity: "critical", params: { window: 7_200_000, baseline: 604_800_000, min_count: 50 } });
  });

  it("serializes each kind the way registration stores it", () => {
    const r = resolveScorersConfig({
      experimentId: "3",
      scorers: [
        { name: "pii", builtin: "PIILeak", sampleRate: 1 },
        { name: "polite", module: "polite-closing", params: { tail_chars: 200 }, sampleRate: 0.02 },
        { name: "tone", instructions: "Is {{ outputs }} friendly?", model: "openai:/gpt-4o-mini", sampleRate: 0.05 },
        { name: "py", serialized: { call_source: "return 1", call_signature: "(outputs)", original_func_name: "py" }, sampleRate: 0 },
      ],
    });
    expect(r.experiment).toEqual({ id: "3" });
    const [pii, polite, tone, py] = r.scorers.map((s) => JSON.parse(s.serializedScorer));
    expect(r.scorers[0]!.serializedScorer).toBe(serializeBuiltin({ name: "pii", className: "PIILeak" }));
    expect(pii.builtin_scorer_class).toBe("PIILeak");
    expect(polite.vigil_scorer_module).toEqual({ module: "polite-closing", params: { tail_chars: 200 } });
    expect(tone.instructions_judge_pydantic_data).toMatchObject({ instructions: "Is {{ outputs }} friendly?" });
    expect(py).toMatchObject({ name: "py", call_source: "return 1" });
    // A raw payload Vigil cannot run is allowed, with a warning saying why.
    expect(r.warnings).toEqual([expect.stringMatching(/^py: Not runnable here: Python @scorer/)]);
  });

  it.each<[string, unknown, RegExp]>([
    ["no experiment", { scorers: [] }, /exactly one of experiment/],
    ["both experiment selectors", { experiment: "a", experimentId: "1", scorers: [] }, /exactly one of experiment/],
    ["an unknown top-level key", { experiment: "a", scorers: [], extra: 1 }, /Invalid scorers config/],
    [
      "no payload",
      { experiment: "a", scorers: [{ name: "x", sampleRate: 1 }] },
      /scorers\[0\] \(x\): give exactly one of builtin, module, instructions, serialized/,
    ],
    ["two payloads", { experiment: "a", scorers: [{ name: "x", builtin: "PIILeak", module: "polite-closing", sampleRate: 1 }] }, /got builtin and module/],
    ["a rate above 1", { experiment: "a", scorers: [{ name: "x", builtin: "PIILeak", sampleRate: 1.5 }] }, /Invalid value 1.5 for parameter 'sampleRate'/],
    ["a negative rate", { experiment: "a", scorers: [{ name: "x", builtin: "PIILeak", sampleRate: -0.1 }] }, /Invalid value -0.1/],
    [
      "a bad filter",
      { experiment: "a", scorers: [{ name: "x", builtin: "PIILeak", sampleRate: 1, filterString: "trace.status = 'OK' OR 1" }] },
      /Invalid filter at position/,
    ],
    ["a dotted name", { experiment: "a", scorers: [{ name: "a.b", builtin: "PIILeak", sampleRate: 1 }] }, /must not contain '\.'/],
    [
      "a duplicate name",
      {
        experiment: "a",
        scorers: [
          { name: "x", builtin: "PIILeak", sampleRate: 1 },
          { name: "x", builtin: "TraceError", sampleRate: 1 },
        ],
      },
      /scorers\[1\] \(x\): the name 'x' is declared twice/,
    ],
    ["an unknown built-in", { experiment: "a", scorers: [{ name: "x", builtin: "Nope", sampleRate: 1 }] }, /Unknown built-in scorer class 'Nope'/],
    [
      "bad params",
      { experiment: "a", scorers: [{ name: "x", builtin: "LatencyBudget", params: { max_ms: -5 }, sampleRate: 1 }] },
      /Invalid parameters for LatencyBudget: max_ms/,
    ],
    ["a missing module", { experiment: "a", scorers: [{ name: "x", module: "no-such-module", sampleRate: 1 }] }, /No scorer module 'no-such-module'/],
    ["a typo in a field", { experiment: "a", scorers: [{ name: "x", builtin: "PIILeak", sample_rate: 1 }] }, /scorers\[0\] \(x\):/],
  ])("refuses %s before anything is sent", (_, raw, message) => {
    expect(() => resolveScorersConfig(raw)).toThrow(message);
  });

  it("lists every problem at once", () => {
    const raw = {
      experiment: "a",
      scorers: [
        { name: "x", builtin: "Nope", sampleRate: 1 },
        { name: "y", builtin: "PIILeak", sampleRate: 7 },
      ],
    };
    expect(() => resolveScorersConfig(raw)).toThrow(/scorers\[0\] \(x\)[\s\S]*scorers\[1\] \(y\)/);
  });
});
