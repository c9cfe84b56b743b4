import { describe, expect, it } from "vitest";
import type { Scorer } from "@/lib/monitoring/scorer-value";
import { displayStatus, optimisticScorer, samplingText } from "./scorer-state";

const base: Scorer = {
  experimentId: "1",
  name: "safety",
  version: 2,
  scorerId: "s-1",
  serializedScorer: "{}",
  kind: "builtin",
  runnable: true,
  sampleRate: 0.1,
  filterString: null,
  status: "STARTED",
  creationTime: 1,
};

describe("optimisticScorer", () => {
  it.each<[string, Partial<Scorer>, Parameters<typeof optimisticScorer>[1], Parameters<typeof optimisticScorer>[2], Partial<Scorer> | null]>([
    [
      "pause keeps the rate",
      {},
      "pause",
      { name: "safety", reason: " costs too much " },
      { status: "PAUSED", pausedReason: "costs too much", sampleRate: 0.1 },
    ],
    ["pause without reason", {}, "pause", { name: "safety" }, { status: "PAUSED", pausedReason: "Paused by an operator." }],
    ["resume restores started", { status: "PAUSED", pausedReason: "x" }, "resume", { name: "safety" }, { status: "STARTED" }],
    ["resume of a stopped rate", { status: "PAUSED", pausedReason: "x", sampleRate: 0 }, "resume", { name: "safety" }, { status: "STOPPED" }],
    ["stop zeroes the rate and clears a pause", { status: "PAUSED", pausedReason: "x" }, "stop", { name: "safety" }, { status: "STOPPED", sampleRate: 0 }],
    [
      "start sets rate and filter",
      { status: "STOPPED", sampleRate: 0 },
      "start",
      { name: "safety", sampleRate: 0.25, filterString: "span.type = 'TOOL'" },
      { status: "STARTED", sampleRate: 0.25, filterString: "span.type = 'TOOL'" },
    ],
    [
      "start of a paused scorer stays paused",
      { status: "PAUSED", pausedReason: "x", sampleRate: 0 },
      "start",
      { name: "safety", sampleRate: 0.5 },
      { status: "PAUSED", sampleRate: 0.5 },
    ],
    [
      "update with a blank filter clears it",
      { filterString: "trace.status = 'OK'" },
      "update",
      { name: "safety", sampleRate: 0.3, filterString: "" },
      { sampleRate: 0.3, filterString: null, status: "STARTED" },
    ],
    ["delete removes it", {}, "delete", { name: "safety" }, null],
  ])("%s", (_, from, kind, vars, want) => {
    const got = optimisticScorer({ ...base, ...from }, kind, vars);
    if (want === null) expect(got).toBeNull();
    else expect(got).toMatchObject(want);
    if (got && (kind === "resume" || kind === "stop")) expect(got.pausedReason).toBeUndefined();
  });
});

describe("samplingText", () => {
  it.each([
    [0.1, null, "10% of traces"],
    [0.005, "trace.status = 'OK'", "0.5% of traces matching trace.status = 'OK'"],
    [1, null, "100% of traces"],
  ])("%s %s", (rate, filter, want) => expect(samplingText({ sampleRate: rate, filterString: filter })).toBe(want));
});

describe("displayStatus", () => {
  it.each<[string, Partial<Scorer>, { status: string; reason: string | null } | undefined, string, string]>([
    ["started and running", {}, { status: "RUNNING", reason: null }, "STARTED", "ok"],
    [
      "not runnable beats everything",
      { runnable: false, notRunnableReason: "Python", status: "PAUSED" },
      { status: "NOT_RUNNABLE", reason: "Python" },
      "NOT_RUNNABLE",
      "bad",
    ],
    ["an optimistic pause shows before the engine knows", { status: "PAUSED", pausedReason: "cost" }, { status: "RUNNING", reason: null }, "PAUSED", "warn"],
    ["account pause of a started scorer", {}, { status: "ACCOUNT_PAUSED", reason: "401" }, "ACCOUNT_PAUSED", "bad"],
    ["spent budget", {}, { status: "BUDGET_EXHAUSTED", reason: "spent" }, "BUDGET_EXHAUSTED", "bad"],
    ["stopped", { status: "STOPPED", sampleRate: 0 }, { status: "STOPPED", reason: null }, "STOPPED", ""],
    ["no runtime yet", {}, undefined, "STARTED", "ok"],
  ])("%s", (_, s, r, key, tone) => {
    const d = displayStatus({ ...base, ...s }, r as never);
    expect(d.key).toBe(key);
    expect(d.tone).toBe(tone);
  });
});
