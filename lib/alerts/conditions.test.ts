import { describe, expect, it } from "vitest";
import { seededRandom } from "@/lib/demo/random";
import { budget, emptySums, errorRate, lag, noTraffic, normalQuantile, qualityDrop, scorerPaused, type WindowSums } from "./conditions";
import { RuleParams } from "./rule-params";

const QD = RuleParams.quality_drop.parse({});
const ER = RuleParams.error_rate.parse({});
const pass = (passes: number, n: number): WindowSums => ({ ...emptySums(), count: n, boolCount: n, passCount: passes });
const scores = (values: number[]): WindowSums => ({
  ...emptySums(),
  count: values.length,
  numCount: values.length,
  numSum: values.reduce((s, v) => s + v, 0),
  numSumSq: values.reduce((s, v) => s + v * v, 0),
});

describe("qualityDrop: the statistics gate", () => {
  const baseline = pass(216, 240); // a day at 90%, 5% sampled

  it.each([
    // name, recent window, params, observation
    ["a 5%-sampled quiet hour with two failures: too few to judge", pass(4, 6), {}, "no_data"],
    ["the same quiet hour with the count gate lowered: not significant", pass(4, 6), { min_count: 5 }, "ok"],
    ["a real drop of the same size over enough assessments fires", pass(201, 300), {}, "breach"],
    ["a significant but small drop (below min_effect) does not", pass(2550, 3000), {}, "ok"],
    ["a large drop that is noise at alpha (n=30) does not", pass(23, 30), {}, "ok"],
    ["a rise is not a drop", pass(297, 300), {}, "ok"],
    ["direction up catches a rise", pass(300, 300), { direction: "up", min_effect: 0.05 }, "breach"],
    ["an empty baseline cannot be compared", pass(201, 300), {}, "no_data", emptySums()],
  ] as const)("%s", (_n, recent, params, obs, base = baseline) => {
    const v = qualityDrop(RuleParams.quality_drop.parse(params), recent, base);
    expect(v.obs).toBe(obs);
  });

  it("compares means with Welch's t-test", () => {
    const rng = seededRandom(7);
    const normal = (mu: number, sd: number) => mu + sd * normalQuantile(Math.min(1 - 1e-9, Math.max(1e-9, rng.next())));
    const base = scores(Array.from({ length: 500 }, () => normal(4, 0.5)));
    const v = qualityDrop(RuleParams.quality_drop.parse({ min_effect: 0.3 }), scores(Array.from({ length: 100 }, () => normal(3.4, 0.5))), base);
    expect(v).toMatchObject({ obs: "breach", value: { metric: "mean" } });
    const same = qualityDrop(RuleParams.quality_drop.parse({ min_effect: 0.3 }), scores(Array.from({ length: 100 }, () => normal(4, 0.5))), base);
    expect(same.obs).toBe("ok");
  });

  it("has a false-positive rate at or below alpha on windows without a drop (simulated, fixed seed)", () => {
    const rng = seededRandom(17);
    const trials = 4000;
    const draw = (n: number, p: number) => {
      let k = 0;
      for (let i = 0; i < n; i++) if (rng.next() < p) k++;
      return k;
    };
    let firesDefault = 0;
    let firesTestOnly = 0;
    const testOnly = RuleParams.quality_drop.parse({ min_effect: 1e-9, alpha: 0.05 });
    for (let t = 0; t < trials; t++) {
      const n = 30 + Math.floor(rng.next() * 270);
      const base = pass(draw(2400, 0.9), 2400);
      const recent = pass(draw(n, 0.9), n);
      if (qualityDrop(QD, recent, base).obs === "breach") firesDefault++;
      if (qualityDrop(testOnly, recent, base).obs === "breach") firesTestOnly++;
    }
    const rateDefault = firesDefault / trials;
    const rateTestOnly = firesTestOnly / trials;
    console.log(
      `false-positive rate over ${trials} null windows: defaults ${rateDefault} (alpha 0.01, min effect 0.1), test alone at alpha 0.05 (drops only) ${rateTestOnly}`,
    );
    expect(rateDefault).toBeLessThanOrEqual(0.01);
    // One side of a two-sided 5% test: about 2.5%.
    expect(rateTestOnly).toBeGreaterThan(0.01);
    expect(rateTestOnly).toBeLessThan(0.04);
  });
});

describe("the other deciders", () => {
  it.each([
    ["too few assessments", { ...emptySums(), count: 10, errors: 9 }, "no_data"],
    ["3 errors in 40 is within 10%", { ...emptySums(), count: 40, errors: 3 }, "ok"],
    ["6 in 40 is above 10% but not surely", { ...emptySums(), count: 40, errors: 6 }, "ok"],
    ["60 in 200 is surely above 10%", { ...emptySums(), count: 200, errors: 60 }, "breach"],
  ] as const)("errorRate: %s", (_n, w, obs) => expect(errorRate(ER, w).obs).toBe(obs));

  it.each([
    [{ accountPausedReason: "401 from the judge", budgetReached: false }, "breach"],
    [{ accountPausedReason: null, budgetReached: true }, "breach"],
    [{ accountPausedReason: null, budgetReached: false }, "ok"],
  ] as const)("scorerPaused %j", (s, obs) => expect(scorerPaused(s).obs).toBe(obs));

  it.each([
    [80, 7.9, 10, "ok"],
    [80, 8, 10, "breach"],
    [100, 9.99, 10, "ok"],
    [100, 10, 10, "breach"],
    [100, 3, null, "no_data"],
  ] as const)("budget at %d%%: spent %d of %s", (percent, spentUsd, budgetUsd, obs) =>
    expect(budget(RuleParams.budget.parse({ percent }), { spentUsd, budgetUsd }).obs).toBe(obs),
  );

  it.each([
    [{ backlog: 0, oldestWaitingMs: null }, "ok"],
    [{ backlog: 20_000, oldestWaitingMs: 1000 }, "breach"],
    [{ backlog: 5, oldestWaitingMs: 20 * 60_000 }, "breach"],
  ] as const)("lag %j", (s, obs) => expect(lag(RuleParams.lag.parse({}), s).obs).toBe(obs));

  it.each([
    [null, "no_data"],
    [0, "breach"],
    [3_000_000, "ok"],
  ] as const)("noTraffic, last trace at %s", (lastTraceAt, obs) =>
    expect(noTraffic(RuleParams.no_traffic.parse({}), { lastTraceAt, now: 3_600_000 }).obs).toBe(obs),
  );
});
