import { describe, expect, it } from "vitest";
import { backoffCapMs, jitteredBackoffMs, type Backoff } from "./backoff";

describe("backoff", () => {
  const alerts: Backoff = { baseMs: 15_000, maxMs: 30 * 60_000 };
  const client: Backoff = { baseMs: 250, maxMs: 10_000, factor: 3 };
  it.each<[Backoff, number, number]>([
    [alerts, 0, 15_000], // no failure yet counts as the first wait
    [alerts, 1, 15_000],
    [alerts, 2, 30_000],
    [alerts, 5, 240_000],
    [alerts, 8, 1_800_000], // 1.92 M capped at 30 min
    [alerts, 60, 1_800_000],
    [client, 3, 2250], // factor 3
    [client, 5, 10_000],
  ])("%o after %i failures waits at most %i ms", (b, attempt, ms) => expect(backoffCapMs(attempt, b)).toBe(ms));

  it.each<[number, number, number]>([
    [1, 0, 7_500],
    [1, 0.5, 11_250],
    [1, 0.999_999, 15_000],
    [3, 0.25, 37_500],
  ])("attempt %i with random %f waits %i ms: half fixed, half jittered", (attempt, random, ms) => expect(jitteredBackoffMs(attempt, alerts, random)).toBe(ms));
});
