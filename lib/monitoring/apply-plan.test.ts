import { describe, expect, it } from "vitest";
import { formatPlan, formatRate, hasChanges, planApply, sameDefinition, type CurrentScorer } from "./apply-plan";
import type { DesiredScorer } from "./config-as-code";

const ser = (name: string, extra: Record<string, unknown> = {}) => JSON.stringify({ name, builtin_scorer_class: "PIILeak", mlflow_version: "3.5.0", ...extra });
const want = (name: string, sampleRate: number, filterString: string | null = null, extra = {}): DesiredScorer => ({
  name,
  serializedScorer: ser(name, extra),
  sampleRate,
  filterString,
});
const have = (
  name: string,
  version: number,
  sampleRate: number,
  filterString: string | null = null,
  extra = {},
  pausedReason: string | null = null,
): CurrentScorer => ({
  name,
  version,
  scorerId: `id-${name}`,
  serializedScorer: ser(name, extra),
  sampleRate,
  filterString,
  pausedReason,
});

describe("sameDefinition", () => {
  it.each<[string, string, string, boolean]>([
    ["identical text", '{"a":1}', '{"a":1}', true],
    ["key order", '{"a":1,"b":{"x":1,"y":2}}', '{"b":{"y":2,"x":1},"a":1}', true],
    ["another mlflow_version", '{"a":1,"mlflow_version":"3.4.0"}', '{"a":1,"mlflow_version":"3.5.0"}', true],
    ["a changed param", '{"a":1}', '{"a":2}', false],
    ["an added field", '{"a":1}', '{"a":1,"b":null}', false],
    ["list order matters", '{"k":[1,2]}', '{"k":[2,1]}', false],
    ["unparseable text", "{", "{", true],
    ["unparseable vs valid", "{", '{"a":1}', false],
  ])("%s", (_, a, b, same) => expect(sameDefinition(a, b)).toBe(same));
});

describe("planApply", () => {
  it.each<[string, DesiredScorer, CurrentScorer | undefined, Partial<ReturnType<typeof planApply>["items"][number]>]>([
    ["new and started", want("a", 0.1), undefined, { change: "new", register: true, setSampling: true }],
    ["new, registered but stopped", want("a", 0), undefined, { change: "new", register: true, setSampling: false }],
    ["new, stopped with a filter", want("a", 0, "tag.env = 'prod'"), undefined, { change: "new", setSampling: true }],
    ["unchanged", want("a", 0.1), have("a", 2, 0.1), { change: "unchanged", register: false, setSampling: false, currentVersion: 2 }],
    ["rate change", want("a", 0.2), have("a", 1, 0.1), { change: "changed", register: false, rateChanged: true, filterChanged: false, setSampling: true }],
    ["filter change", want("a", 0.1, "trace.status = 'OK'"), have("a", 1, 0.1), { change: "changed", filterChanged: true, rateChanged: false }],
    ["filter removed", want("a", 0.1), have("a", 1, 0.1, "trace.status = 'OK'"), { change: "changed", filterChanged: true }],
    ["definition change only", want("a", 0.1, null, { x: 1 }), have("a", 4, 0.1), { change: "changed", register: true, setSampling: false }],
    ["registered, never configured, to 0", want("a", 0), have("a", 1, 0), { change: "unchanged" }],
    ["paused stays paused", want("a", 0.1), have("a", 1, 0.1, null, {}, "quota"), { change: "unchanged", pausedReason: "quota" }],
  ])("%s", (_, desired, current, expected) => {
    const plan = planApply([desired], current ? [current] : []);
    expect(plan.items[0]).toMatchObject(expected);
  });

  it("reports scorers the file does not declare and leaves them alone", () => {
    const plan = planApply([want("a", 1)], [have("zeta", 1, 1), have("a", 1, 1), have("beta", 3, 0)]);
    expect(plan.unmanaged).toEqual(["beta", "zeta"]);
    expect(hasChanges(plan)).toBe(false);
  });
});

describe("formatPlan", () => {
  it("shows new / changed / unchanged with rate and filter diffs, then a summary", () => {
    const plan = planApply(
      [want("safety", 1), want("relevance", 0.15, "trace.status = 'OK'"), want("guidelines", 0.08, null, { g: 2 }), want("pii", 1)],
      [have("relevance", 1, 0.1), have("guidelines", 2, 0.08, null, { g: 1 }), have("pii", 1, 1, null, {}, "bad key")],
    );
    expect(formatPlan(plan)).toEqual([
      "  + safety      new        register v1; rate 100%, filter every trace",
      `  ~ relevance   changed    rate 10% -> 15%; filter every trace -> "trace.status = 'OK'"`,
      "  ~ guidelines  changed    definition changed: register v3 (was v2)",
      "  = pii         unchanged  v1; rate 100%, filter every trace [paused: bad key; stays paused]",
      "Plan: 1 new, 2 changed, 1 unchanged.",
    ]);
  });

  it('says "nothing to change" when everything is up to date', () => {
    const lines = formatPlan(planApply([want("a", 0.03)], [have("a", 1, 0.03), have("b", 1, 1)]));
    expect(lines.at(-1)).toBe("Plan: nothing to change (1 scorer up to date).");
    expect(lines).toContain("    b         ignored    not in the config file; left as it is");
  });

  it.each<[number, string]>([
    [1, "100%"],
    [0.15, "15%"],
    [0.035, "3.5%"],
    [0.001, "0.1%"],
    [0, "0% (stopped)"],
  ])("formatRate(%s) = %s", (r, s) => expect(formatRate(r)).toBe(s));
});
