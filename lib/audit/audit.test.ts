import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { PermissionDeniedError, parseConfig, type Ctx } from "@/lib/core";
import { tempDbPath, testCtx } from "@/tests/helpers/server";
import { listAuditEntries } from "./list-audit-entries";
import { recordAudit } from "./record-audit";

describe("audit log", () => {
  const tmp = tempDbPath();
  let db: Db;
  let ctx: Ctx;

  beforeAll(() => {
    db = openDb(tmp.file);
    let t = 1_000;
    ctx = testCtx(db, parseConfig({ DATABASE_URL: tmp.file }), { now: () => (t += 1000) });
    const alice = { ...ctx, actor: { id: "user:alice", role: "operator" as const } };
    recordAudit(alice, {
      action: "scorer.pause",
      entityType: "scorer",
      entityId: "s1",
      experimentId: "1",
      before: { rate: 0.5 },
      after: { rate: 0.5, paused: true },
      reason: "  cost  ",
    });
    recordAudit(ctx, { action: "scorer.start", entityType: "scorer", entityId: "s2", experimentId: 2, after: { rate: 1 } });
    recordAudit(ctx, { action: "experiment.delete", entityType: "experiment", entityId: "2", experimentId: 2, before: { name: "x" }, reason: "" });
    for (let i = 0; i < 5; i++) recordAudit(ctx, { action: "scorer.update", entityType: "scorer", entityId: "s1", experimentId: 1, after: { n: i } });
  });
  afterAll(() => {
    db.$client.close();
    tmp.cleanup();
  });

  it("records who, when, what, before/after as JSON and a trimmed reason", () => {
    const [first] = listAuditEntries({ ctx, input: { action: "scorer.pause" } }).entries;
    expect(first).toEqual({
      id: 1,
      at: 2000,
      actor: "user:alice",
      action: "scorer.pause",
      entityType: "scorer",
      entityId: "s1",
      experimentId: 1,
      before: { rate: 0.5 },
      after: { rate: 0.5, paused: true },
      reason: "cost",
    });
    const created = listAuditEntries({ ctx, input: { action: "scorer.start" } }).entries[0]!;
    expect(created.before).toBeNull();
    expect(listAuditEntries({ ctx, input: { entity_type: "experiment" } }).entries[0]!.reason).toBeNull();
  });

  it.each<[string, Record<string, unknown>, number[]]>([
    ["experiment", { experiment_id: "2" }, [3, 2]],
    ["entity", { entity_type: "scorer", entity_id: "s1" }, [8, 7, 6, 5, 4, 1]],
    ["actor", { actor: "user:alice" }, [1]],
    ["time window", { since: 3000, until: 5000 }, [4, 3, 2]],
    ["action and experiment", { action: "scorer.update", experiment_id: 1, max_results: 2 }, [8, 7]],
  ])("filters by %s, newest first", (_, input, ids) => {
    expect(listAuditEntries({ ctx, input }).entries.map((e) => e.id)).toEqual(ids);
  });

  it("pages with a token and stops when nothing is left", () => {
    const p1 = listAuditEntries({ ctx, input: { max_results: 3 } });
    expect(p1.entries.map((e) => e.id)).toEqual([8, 7, 6]);
    const p2 = listAuditEntries({ ctx, input: { max_results: 3, page_token: p1.next_page_token } });
    expect(p2.entries.map((e) => e.id)).toEqual([5, 4, 3]);
    const p3 = listAuditEntries({ ctx, input: { max_results: 3, page_token: p2.next_page_token } });
    expect(p3.entries.map((e) => e.id)).toEqual([2, 1]);
    expect(p3.next_page_token).toBeUndefined();
  });

  it("a token limited to one experiment reads only that experiment's entries", () => {
    const scoped = { ...ctx, actor: { id: "token:t", role: "viewer" as const, experimentId: 2 } };
    expect(listAuditEntries({ ctx: scoped, input: { experiment_id: 2 } }).entries).toHaveLength(2);
    expect(() => listAuditEntries({ ctx: scoped, input: {} })).toThrow(PermissionDeniedError);
    expect(() => listAuditEntries({ ctx: scoped, input: { experiment_id: 1 } })).toThrow(PermissionDeniedError);
    expect(() => listAuditEntries({ ctx: { ...ctx, actor: { id: "i", role: "ingest" } }, input: {} })).toThrow(PermissionDeniedError);
  });

  it("refuses a record that could never be found again", () => {
    expect(() => recordAudit(ctx, { action: "", entityType: "scorer", entityId: "s1" })).toThrow(/required/);
  });
});
