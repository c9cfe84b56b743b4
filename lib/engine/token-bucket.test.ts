import { describe, expect, it } from "vitest";
import { available, fullBucket, refill, tryTake, type BucketLimits, type TokenBucket } from "./token-bucket";

const limits: BucketLimits = { ratePerSec: 2, burst: 3 };

describe("token bucket", () => {
  it("allows a burst, then refuses and says how long to wait", () => {
    let b = fullBucket(limits, 0);
    const answers: boolean[] = [];
    for (let i = 0; i < 4; i++) {
      const r = tryTake(b, limits, 0);
      answers.push(r.ok);
      b = r.bucket;
    }
    expect(answers).toEqual([true, true, true, false]);
    expect(tryTake(b, limits, 0).waitMs).toBe(500);
  });

  it.each([
    // [tokens at t=0, now, expected whole tokens]
    [0, 0, 0],
    [0, 499, 0],
    [0, 500, 1],
    [0, 1000, 2],
    [0, 10_000, 3], // never above burst
    [2.5, 250, 3],
  ])("refills from %d tokens to %d ms -> %d", (tokens, now, want) => {
    expect(available({ tokens, at: 0 }, limits, now)).toBe(want);
  });

  it("holds the long-run rate: 10 s of demand gets burst + rate * 10 tokens", () => {
    let b: TokenBucket = fullBucket(limits, 0);
    let granted = 0;
    for (let t = 0; t <= 10_000; t += 10) {
      const r = tryTake(b, limits, t);
      b = r.bucket;
      if (r.ok) granted++;
    }
    expect(granted).toBe(3 + 2 * 10);
  });

  it("ignores a clock that goes back", () => {
    const b = { tokens: 1, at: 1000 };
    expect(refill(b, limits, 500)).toBe(b);
  });
});
