// The verbs and the SDK-style objects over a real SQLite file: immutability, versions, pause,
// roles and the audit trail.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { InvalidParameterError, InvalidStateError, NotFoundError, PermissionDeniedError, parseConfig, type Ctx, type Role } from "@/lib/core";
import { listAuditEntries } from "@/lib/audit";
import { createExperiment } from "@/lib/experiments";
import { serializeBuiltin } from "@/scorers";
import { tempDbPath, testCtx } from "@/tests/helpers/server";
import { registerScorer } from "./register-scorer";
import { ScorerObject } from "./scorer";
import { getScorer } from "./get-scorer";
import { listScorerVersions } from "./list-scorer-versions";
import { pauseScorer } from "./pause-scorer";
import { resumeScorer } from "./resume-scorer";
import { startScorer } from "./start-scorer";
import { stopScorer } from "./stop-scorer";
import { updateScorer } from "./update-scorer";
import { deleteScorer } from "./delete-scorer";
import type { ScorerStatus } from "./lifecycle";
import type { Scorer } from "./scorer-value";

const pii = serializeBuiltin({ name: "pii", className: "PIILeak" });
const pythonScorer = JSON.stringify({
  name: "py_len",
  call_source: "return len(outputs) < 400",
  call_signature: "(outputs)",
  original_func_name: "py_len",
});

describe("registered scorers (lib)", () => {
  const tmp = tempDbPath();
  let db: Db;
  let ctx: Ctx;
  let exp: string;
  let clock = 1_700_000_000_000;
  const as = (role: Role, id = `user:${role}`): Ctx => ({ ...ctx, actor: { id, role } });

  beforeAll(() => {
    db = openDb(tmp.file);
    ctx = testCtx(db, parseConfig({ DATABASE_URL: tmp.file }), { now: () => ++clock });
    exp = createExperiment({ ctx, input: { name: "lib-scorers" } }).experiment_id;
  });
  afterAll(() => {
    db.$client.close();
    tmp.cleanup();
  });

  it("start returns a new object; the old one still says it is not started", async () => {
    const s0 = ScorerObject.define({ experimentId: exp, name: "pii", serializedScorer: pii });
    expect(s0.status).toBe("UNREGISTERED");
    await expect(s0.start({ ctx, sampling: { sample_rate: 0.5 } })).rejects.toThrow(NotFoundError);

    const s1 = await s0.register({ ctx });
    const s2 = await s1.start({ ctx, sampling: { sample_rate: 0.5, filter_string: "trace.status = 'OK'" } });
    expect(s2).not.toBe(s1);
    expect(s2).toMatchObject({ status: "STARTED", sampleRate: 0.5, filterString: "trace.status = 'OK'", version: 1 });
    // The values callers already hold describe the state they were made from.
    expect(s0).toMatchObject({ status: "UNREGISTERED", version: null, sampleRate: 0 });
    expect(s1).toMatchObject({ status: "STOPPED", sampleRate: 0, filterString: null, version: 1 });
    expect(Object.isFrozen(s1) && Object.isFrozen(s2)).toBe(true);
    expect(() => {
      (s1 as { sampleRate: number }).sampleRate = 1;
    }).toThrow(TypeError);

    const s3 = await s2.stop({ ctx });
    expect(s3.status).toBe("STOPPED");
    expect(s3.filterString).toBe("trace.status = 'OK'"); // stop is update(sample_rate=0): the filter stays
    expect(s2.status).toBe("STARTED");
  });

  it("verbs return deeply frozen plain values", () => {
    const v = getScorer({ ctx, input: { experiment_id: exp, name: "pii" } });
    expect(Object.isFrozen(v)).toBe(true);
    expect(v.runnable).toBe(true);
    expect(v.kind).toBe("builtin");
  });

  it("re-registering appends a version and keeps the online config", () => {
    startScorer({ ctx, input: { experiment_id: exp, name: "pii", sample_rate: 1 } });
    const v2 = registerScorer({
      ctx,
      input: { experiment_id: exp, name: "pii", serialized_scorer: serializeBuiltin({ name: "pii", className: "PIILeak", params: { target: "inputs" } }) },
    });
    expect(v2).toMatchObject({ version: 2, status: "STARTED", sampleRate: 1 });
    expect(getScorer({ ctx, input: { experiment_id: exp, name: "pii" } }).version).toBe(2);
    expect(getScorer({ ctx, input: { experiment_id: exp, name: "pii", version: 1 } }).serializedScorer).toBe(pii);
    expect(listScorerVersions({ ctx, input: { experiment_id: exp, name: "pii" } }).map((v) => v.version)).toEqual([1, 2]);
  });

  it("versions are never reused after deleting the latest one", () => {
    deleteScorer({ ctx, input: { experiment_id: exp, name: "pii", version: 2 } });
    const v3 = registerScorer({ ctx, input: { experiment_id: exp, name: "pii", serialized_scorer: pii } });
    expect(v3.version).toBe(3);
    expect(listScorerVersions({ ctx, input: { experiment_id: exp, name: "pii" } }).map((v) => v.version)).toEqual([1, 3]);
  });

  it("pause keeps the rate, shows PAUSED with the reason, and resume restores it", () => {
    updateScorer({ ctx, input: { experiment_id: exp, name: "pii", sample_rate: 0.25 } });
    const paused = pauseScorer({ ctx: as("operator", "user:oncall"), input: { experiment_id: exp, name: "pii", reason: "judge bill spiking" } });
    expect(paused).toMatchObject({ status: "PAUSED", sampleRate: 0.25, pausedReason: "judge bill spiking", pausedBy: "user:oncall" });
    expect(() => pauseScorer({ ctx, input: { experiment_id: exp, name: "pii" } })).toThrow(InvalidStateError);

    // A start or update while paused takes the config but does not undo the pause.
    const restarted = startScorer({ ctx, input: { experiment_id: exp, name: "pii", sample_rate: 0.5 } });
    expect(restarted).toMatchObject({ status: "PAUSED", sampleRate: 0.5 });

    const resumed = resumeScorer({ ctx: as("operator"), input: { experiment_id: exp, name: "pii" } });
    expect(resumed).toMatchObject({ status: "STARTED", sampleRate: 0.5 });
    expect(resumed.pausedReason).toBeUndefined();
    expect(() => resumeScorer({ ctx, input: { experiment_id: exp, name: "pii" } })).toThrow(InvalidStateError);
  });

  it("stop clears a pause", () => {
    pauseScorer({ ctx, input: { experiment_id: exp, name: "pii" } });
    const stopped = stopScorer({ ctx: as("operator"), input: { experiment_id: exp, name: "pii" } });
    expect(stopped.status).toBe("STOPPED");
    expect(stopped.pausedReason).toBeUndefined();
    expect(() => pauseScorer({ ctx, input: { experiment_id: exp, name: "pii" } })).toThrow(/stopped; there is nothing to pause/);
  });

  it("roles: viewer reads, operator starts/stops/pauses, admin registers/updates/deletes", () => {
    const input = { experiment_id: exp, name: "pii" };
    expect(getScorer({ ctx: as("viewer"), input }).name).toBe("pii");
    expect(() => startScorer({ ctx: as("viewer"), input: { ...input, sample_rate: 0.1 } })).toThrow(PermissionDeniedError);
    expect(startScorer({ ctx: as("operator"), input: { ...input, sample_rate: 0.1 } }).status).toBe("STARTED");
    // Starting an already running scorer at another rate changes its cost: that is an update.
    expect(() => startScorer({ ctx: as("operator"), input: { ...input, sample_rate: 0.9 } })).toThrow(/needs the admin role/);
    expect(() => updateScorer({ ctx: as("operator"), input: { ...input, sample_rate: 0.2 } })).toThrow(PermissionDeniedError);
    expect(() => registerScorer({ ctx: as("operator"), input: { ...input, serialized_scorer: pii } })).toThrow(PermissionDeniedError);
    expect(() => deleteScorer({ ctx: as("operator"), input })).toThrow(PermissionDeniedError);
    expect(() => pauseScorer({ ctx: { ...ctx, actor: { id: "token:ingest", role: "ingest" } }, input })).toThrow(PermissionDeniedError);
  });

  it("a Python @scorer is stored and listed as not runnable, with the reason", () => {
    const v = registerScorer({ ctx, input: { experiment_id: exp, name: "py_len", serialized_scorer: pythonScorer } });
    expect(v).toMatchObject({ runnable: false, kind: "decorator", status: "STOPPED" });
    expect(v.notRunnableReason).toMatch(/Python @scorer functions cannot run in Vigil/);
  });

  it("refuses bad names, bad JSON and bad sampling with the reason", () => {
    expect(() => registerScorer({ ctx, input: { experiment_id: exp, name: "a.b", serialized_scorer: pii } })).toThrow(/must not contain '\.'/);
    expect(() => registerScorer({ ctx, input: { experiment_id: exp, name: "  ", serialized_scorer: pii } })).toThrow(InvalidParameterError);
    expect(() => registerScorer({ ctx, input: { experiment_id: exp, name: "x", serialized_scorer: "{nope" } })).toThrow(/not valid JSON/);
    expect(() => registerScorer({ ctx, input: { experiment_id: exp, name: "x", serialized_scorer: "[]" } })).toThrow(/must be a JSON object/);
    expect(() => startScorer({ ctx, input: { experiment_id: exp, name: "pii", sample_rate: 0 } })).toThrow(/greater than 0/);
    expect(() => updateScorer({ ctx, input: { experiment_id: exp, name: "pii", sample_rate: 1.5 } })).toThrow(/Invalid value 1.5/);
    expect(() => updateScorer({ ctx, input: { experiment_id: exp, name: "pii", filter_string: "trace.bogus = 1" } })).toThrow(/Invalid filter/);
    expect(() => updateScorer({ ctx, input: { experiment_id: exp, name: "nope", sample_rate: 0.5 } })).toThrow(NotFoundError);
  });

  it("deleting every version unregisters the scorer and drops its config", async () => {
    const s = await ScorerObject.get({ ctx, experimentId: exp, name: "py_len" });
    const gone = await s.delete({ ctx, version: "all" });
    expect(gone.status).toBe("UNREGISTERED");
    expect(s.status).toBe("STOPPED");
    expect(() => getScorer({ ctx, input: { experiment_id: exp, name: "py_len" } })).toThrow(NotFoundError);
    const again = registerScorer({ ctx, input: { experiment_id: exp, name: "py_len", serialized_scorer: pythonScorer } });
    expect(again.version).toBe(1);
    expect(again.scorerId).not.toBe(s.scorerId);
  });

  describe("each verb from each status (real database)", () => {
    type Verb = "register" | "start" | "restart" | "update" | "stop" | "pause" | "resume" | "delete";
    let n = 0;
    /** A fresh scorer driven into `status` through the verbs themselves. */
    const scorerIn = (status: ScorerStatus): string => {
      const name = `t${++n}`;
      if (status === "UNREGISTERED") return name;
      registerScorer({ ctx, input: { experiment_id: exp, name, serialized_scorer: pii } });
      if (status !== "STOPPED") startScorer({ ctx, input: { experiment_id: exp, name, sample_rate: 0.3 } });
      if (status === "PAUSED") pauseScorer({ ctx, input: { experiment_id: exp, name, reason: "test" } });
      return name;
    };
    const apply = (verb: Verb, name: string): Scorer => {
      const input = { experiment_id: exp, name };
      switch (verb) {
        case "register":
          return registerScorer({ ctx, input: { ...input, serialized_scorer: pii } });
        case "start":
          return startScorer({ ctx, input: { ...input, sample_rate: 0.3 } });
        case "restart":
          return startScorer({ ctx, input: { ...input, sample_rate: 0.6 } });
        case "update":
          return updateScorer({ ctx, input: { ...input, sample_rate: 0.6 } });
        case "stop":
          return stopScorer({ ctx, input });
        case "pause":
          return pauseScorer({ ctx, input });
        case "resume":
          return resumeScorer({ ctx, input });
        case "delete":
          return deleteScorer({ ctx, input });
      }
    };
    it.each<[Verb, ScorerStatus, ScorerStatus | typeof NotFoundError | typeof InvalidStateError, number]>([
      ["register", "UNREGISTERED", "STOPPED", 0],
      ["register", "STARTED", "STARTED", 0.3],
      ["register", "PAUSED", "PAUSED", 0.3],
      ["start", "UNREGISTERED", NotFoundError, 0],
      ["start", "STOPPED", "STARTED", 0.3],
      ["start", "STARTED", "STARTED", 0.3],
      ["restart", "STARTED", "STARTED", 0.6],
      ["start", "PAUSED", "PAUSED", 0.3],
      ["update", "UNREGISTERED", NotFoundError, 0],
      ["update", "STOPPED", "STARTED", 0.6],
      ["update", "STARTED", "STARTED", 0.6],
      ["update", "PAUSED", "PAUSED", 0.6],
      ["stop", "UNREGISTERED", NotFoundError, 0],
      ["stop", "STOPPED", "STOPPED", 0],
      ["stop", "STARTED", "STOPPED", 0],
      ["stop", "PAUSED", "STOPPED", 0],
      ["pause", "UNREGISTERED", NotFoundError, 0],
      ["pause", "STOPPED", InvalidStateError, 0],
      ["pause", "STARTED", "PAUSED", 0.3],
      ["pause", "PAUSED", InvalidStateError, 0],
      ["resume", "UNREGISTERED", NotFoundError, 0],
      ["resume", "STOPPED", InvalidStateError, 0],
      ["resume", "STARTED", InvalidStateError, 0],
      ["resume", "PAUSED", "STARTED", 0.3],
      ["delete", "UNREGISTERED", NotFoundError, 0],
      ["delete", "STOPPED", "UNREGISTERED", 0],
      ["delete", "STARTED", "UNREGISTERED", 0],
      ["delete", "PAUSED", "UNREGISTERED", 0],
    ])("%s from %s", (verb, from, outcome, rate) => {
      const name = scorerIn(from);
      if (typeof outcome !== "string") {
        expect(() => apply(verb, name)).toThrow(outcome);
        return;
      }
      const after = apply(verb, name);
      expect(after).toMatchObject({ status: outcome, sampleRate: rate });
      if (outcome !== "UNREGISTERED") expect(getScorer({ ctx, input: { experiment_id: exp, name } }).status).toBe(outcome);
    });
  });

  it("every lifecycle change is in the audit log: who, when, before, after, why", () => {
    const scorerId = getScorer({ ctx, input: { experiment_id: exp, name: "pii" } }).scorerId!;
    const { entries } = listAuditEntries({ ctx: as("viewer"), input: { entity_type: "scorer", entity_id: scorerId, max_results: 100 } });
    const actions = entries.map((e) => e.action).reverse();
    expect(actions.slice(0, 4)).toEqual(["scorer.register", "scorer.start", "scorer.stop", "scorer.start"]);
    expect(actions).toEqual(expect.arrayContaining(["scorer.update", "scorer.pause", "scorer.resume", "scorer.delete"]));
    const pause = entries.find((e) => e.action === "scorer.pause" && e.actor === "user:oncall")!;
    expect(pause).toMatchObject({
      reason: "judge bill spiking",
      experimentId: Number(exp),
      before: { name: "pii", status: "STARTED", sample_rate: 0.25 },
      after: { name: "pii", status: "PAUSED", sample_rate: 0.25, paused_reason: "judge bill spiking" },
    });
    expect(pause.at).toBeGreaterThan(1_700_000_000_000);
    // A refused change leaves no record.
    expect(entries.filter((e) => e.actor === "user:viewer")).toEqual([]);
  });
});
