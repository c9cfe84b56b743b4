import { describe, expect, it } from "vitest";
import { projectDailyCost } from "./cost-projection";

describe("projectDailyCost", () => {
  it.each([
    [{ matchedPerDay: 1000, costPerCall: 0.002 }, 0.25, { callsPerDay: 250, usdPerDay: 0.5 }],
    [{ matchedPerDay: 1000, costPerCall: 0.002 }, 0, { callsPerDay: 0, usdPerDay: 0 }],
    [{ matchedPerDay: 1000, costPerCall: 0.002 }, 1.5, { callsPerDay: 1000, usdPerDay: 2 }],
    [{ matchedPerDay: 400, costPerCall: null }, 0.5, { callsPerDay: 200, usdPerDay: null }],
    [{ matchedPerDay: 0, costPerCall: 0.01 }, 1, { callsPerDay: 0, usdPerDay: 0 }],
  ])("%j at %d -> %j", (model, rate, want) => {
    const p = projectDailyCost(model, rate);
    expect(p.callsPerDay).toBeCloseTo(want.callsPerDay);
    if (want.usdPerDay === null) expect(p.usdPerDay).toBeNull();
    else expect(p.usdPerDay).toBeCloseTo(want.usdPerDay);
  });
});
