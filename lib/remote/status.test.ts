import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { reachabilityRecorder, type ReachabilityChange } from "./status";

const db = openDb(":memory:");
afterAll(() => db.$client.close());

describe("reachabilityRecorder", () => {
  it("says when MLflow goes away and when it is back, once each, and nothing at start", () => {
    const changes: ReachabilityChange[] = [];
    const report = reachabilityRecorder(db, (c) => changes.push(c));
    report({ reachable: true, at: 1_000 });
    report({ reachable: true, at: 2_000 });
    expect(changes).toEqual([]);
    report({ reachable: false, error: "ECONNREFUSED", at: 10_000 });
    report({ reachable: false, error: "ECONNREFUSED", at: 11_000 });
    report({ reachable: false, error: "timeout", at: 20_000 });
    report({ reachable: true, at: 70_000 });
    report({ reachable: true, at: 71_000 });
    expect(changes).toEqual([
      { reachable: false, reason: "ECONNREFUSED" },
      { reachable: true, downForMs: 60_000 },
    ]);
    const row = db.$client.prepare("SELECT last_ok_at, last_error FROM remote_status WHERE id = 1").get();
    expect(row).toEqual({ last_ok_at: 70_000, last_error: "timeout" });
  });
});
