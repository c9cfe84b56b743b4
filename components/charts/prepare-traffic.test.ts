import { describe, expect, it } from "vitest";
import { prepareTraffic } from "./prepare-traffic";

const H = 3600_000;
const t0 = Date.UTC(2026, 0, 1, 10);

describe("prepareTraffic", () => {
  it("splits traces into ok and errors, labels buckets in UTC, and keeps latency gaps as null", () => {
    const r = prepareTraffic(
      [
        { t: t0, traces: 10, errors: 2, p50Ms: 800, p95Ms: 2100 },
        { t: t0 + H, traces: 0, errors: 0, p50Ms: null, p95Ms: null },
      ],
      H,
    );
    expect(r.points).toEqual([
      { t: t0, label: "10:00", ok: 8, errors: 2, p50: 800, p95: 2100 },
      { t: t0 + H, label: "11:00", ok: 0, errors: 0, p50: null, p95: null },
    ]);
    expect(r.empty).toBe(false);
    expect(r.hasLatency).toBe(true);
  });

  it.each([
    [[], true, false],
    [[{ t: t0, traces: 0, errors: 0, p50Ms: null, p95Ms: null }], true, false],
    [[{ t: t0, traces: 3, errors: 0, p50Ms: null, p95Ms: null }], false, false],
  ])("flags empty windows (%#)", (buckets, empty, hasLatency) => {
    const r = prepareTraffic(buckets, H);
    expect(r.empty).toBe(empty);
    expect(r.hasLatency).toBe(hasLatency);
  });
});
