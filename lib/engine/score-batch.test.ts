import { describe, expect, it } from "vitest";
import { pipeline, started } from "./score-batch";

/** Batches 1..n; records the order of events so the overlap can be checked. */
function source(n: number) {
  const events: string[] = [];
  let next = 1;
  return {
    events,
    prepare: async () => {
      if (next > n) {
        events.push("prepare:none");
        return null;
      }
      const id = next++;
      events.push(`prepare:${id}`);
      return id;
    },
    commit: async (id: number) => {
      await new Promise((r) => setImmediate(r));
      events.push(`commit:${id}`);
    },
  };
}

describe("pipeline", () => {
  it("prepares the next batch before committing the current one, and commits in order", async () => {
    const s = source(3);
    const r = await pipeline({ maxBatches: 10, budgetMs: Infinity }, s.prepare, s.commit);
    expect(s.events).toEqual(["prepare:1", "prepare:2", "commit:1", "prepare:3", "commit:2", "prepare:none", "commit:3"]);
    expect(r).toEqual({ batches: 3, exhausted: true });
  });

  it.each([
    [1, ["prepare:1", "commit:1"], false],
    [2, ["prepare:1", "prepare:2", "commit:1", "commit:2"], false],
  ])("stops starting batches at maxBatches=%i, but commits what it prepared", async (maxBatches, events, exhausted) => {
    const s = source(5);
    const r = await pipeline({ maxBatches, budgetMs: Infinity }, s.prepare, s.commit);
    expect(s.events).toEqual(events);
    expect(r).toEqual({ batches: maxBatches, exhausted });
  });

  it("says so when there was nothing at all", async () => {
    const s = source(0);
    expect(await pipeline({ maxBatches: 5, budgetMs: Infinity }, s.prepare, s.commit)).toEqual({ batches: 0, exhausted: true });
  });

  it("stops when a commit fails, leaving the prepared batch to its lease", async () => {
    const s = source(5);
    const failing = async (id: number) => {
      if (id === 2) throw new Error("lost the job");
      await s.commit(id);
    };
    await expect(pipeline({ maxBatches: 10, budgetMs: Infinity }, s.prepare, failing)).rejects.toThrow("lost the job");
    expect(s.events).toEqual(["prepare:1", "prepare:2", "commit:1", "prepare:3"]);
  });
});

describe("started", () => {
  it("keeps an unawaited failure from being unhandled, yet awaiting it still throws", async () => {
    const p = started(Promise.reject(new Error("boom")));
    await new Promise((r) => setImmediate(r));
    await expect(p).rejects.toThrow("boom");
  });
});
