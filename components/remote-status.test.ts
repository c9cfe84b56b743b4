import { describe, expect, it } from "vitest";
import type { RemoteStatus } from "@/lib/remote/status";
import { checkpointOf, remoteBanner, remotePill } from "./remote-status";

const NOW = 1_000_000_000;
const embedded: RemoteStatus = {
  mode: "embedded",
  trackingUri: null,
  reachable: null,
  lastOkAt: null,
  lastErrorAt: null,
  lastError: null,
  serverVersion: null,
  serverNote: null,
};
const remote = (over: Partial<RemoteStatus>): RemoteStatus => ({
  mode: "remote",
  trackingUri: "https://mlflow.example.com",
  reachable: null,
  lastOkAt: null,
  lastErrorAt: null,
  lastError: null,
  serverVersion: null,
  serverNote: null,
  ...over,
});

describe("remotePill", () => {
  it.each([
    ["embedded", embedded, null],
    ["not tried yet", remote({}), { label: "MLflow · connecting", tone: "info" }],
    ["answering", remote({ reachable: true, lastOkAt: NOW }), { label: "MLflow · connected", tone: "ok" }],
    ["not answering", remote({ reachable: false, lastErrorAt: NOW, lastError: "x" }), { label: "MLflow · unreachable", tone: "bad" }],
  ])("%s", (_name, s, want) => expect(remotePill(s)).toEqual(want));
});

describe("remoteBanner", () => {
  it.each([
    ["embedded", embedded, null],
    ["not tried yet", remote({}), null],
    ["answering", remote({ reachable: true, lastOkAt: NOW - 1000 }), null],
    [
      "never answered",
      remote({ reachable: false, lastErrorAt: NOW, lastError: "connection refused (ECONNREFUSED)" }),
      "MLflow at https://mlflow.example.com is unreachable (last answered never): connection refused (ECONNREFUSED). Scoring waits and catches up when it answers.",
    ],
    [
      "answered before, error ends with a period",
      remote({ reachable: false, lastOkAt: NOW - 120_000, lastErrorAt: NOW, lastError: "answered 503 TEMPORARILY_UNAVAILABLE: down for maintenance." }),
      "MLflow at https://mlflow.example.com is unreachable (last answered 2 min ago): answered 503 TEMPORARILY_UNAVAILABLE: down for maintenance. Scoring waits and catches up when it answers.",
    ],
    [
      "no error text",
      remote({ reachable: false, lastOkAt: NOW - 5000, lastErrorAt: NOW }),
      "MLflow at https://mlflow.example.com is unreachable (last answered 5s ago). Scoring waits and catches up when it answers.",
    ],
  ])("%s", (_name, s, want) => expect(remoteBanner(s, NOW)).toBe(want));
});

describe("checkpointOf", () => {
  it.each([
    ["Vigil scores", { scored_by: "vigil", checkpoint_ms: 5, pending_online: 0, vigil_runs: ["a"] }, 5],
    ["MLflow scores, nothing left of Vigil's", { scored_by: "mlflow", checkpoint_ms: 5, pending_online: 0, vigil_runs: [] }, null],
    ["MLflow scores, Vigil finishing queued pairs", { scored_by: "mlflow", checkpoint_ms: 5, pending_online: 2, vigil_runs: [] }, 5],
    ["MLflow scores its judges, Vigil the scorers MLflow cannot run", { scored_by: "mlflow", checkpoint_ms: 5, pending_online: 0, vigil_runs: ["length"] }, 5],
  ] as const)("%s", (_name, e, want) => expect(checkpointOf({ ...e, vigil_runs: [...e.vigil_runs] })).toBe(want));
});
