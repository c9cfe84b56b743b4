import { describe, expect, it } from "vitest";
import { prepareSparkline } from "./prepare-sparkline";

const t0 = Date.UTC(2026, 0, 1, 9);
describe("prepareSparkline", () => {
  it("splits each hour into ok and errors and describes it in words", () => {
    const s = prepareSparkline([
      { t: t0, count: 5, errors: 1 },
      { t: t0 + 3600_000, count: 0, errors: 0 },
      { t: t0 + 7200_000, count: 9, errors: 0 },
    ]);
    expect(s.points).toEqual([
      { label: "09:00", ok: 4, errors: 1 },
      { label: "10:00", ok: 0, errors: 0 },
      { label: "11:00", ok: 9, errors: 0 },
    ]);
    expect(s.empty).toBe(false);
    expect(s.summary).toBe("14 scores in 24 hours, 1 error, at most 9 in one hour");
  });
  it("is empty without scores", () => {
    const s = prepareSparkline([{ t: t0, count: 0, errors: 0 }]);
    expect(s.empty).toBe(true);
    expect(s.summary).toMatch(/No scores/);
  });
});
