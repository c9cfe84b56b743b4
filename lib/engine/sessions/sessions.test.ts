import { describe, expect, it } from "vitest";
import { decideTrace, type Candidate } from "../decide";
import { hashUnit, selectScorers } from "../sampling";
import { sessionMatcher } from "./session-intake";
import { turnsKey } from "./session-tasks";
import vectors from "./sampling.vectors.json";

interface Case {
  session_id: string;
  scorers: { name: string; sample_rate: number }[];
  hashes: Record<string, number>;
  expected_selected: string[];
}
const cases = (vectors as unknown as { cases: Case[] }).cases;

describe("session sampling = MLflow's dense sampling with the session id as the entity id (Python-generated vectors)", () => {
  it("has enough vectors to mean something: some sessions get every scorer, some none", () => {
    expect(cases.length).toBeGreaterThanOrEqual(200);
    expect(cases.some((c) => c.expected_selected.length === 0)).toBe(true);
    expect(cases.some((c) => c.expected_selected.length === c.scorers.length && c.scorers.length > 1)).toBe(true);
  });

  it.each(cases.map((c, i) => [i, c] as const))("case %i", (_i, c) => {
    for (const [name, h] of Object.entries(c.hashes)) expect(hashUnit(c.session_id, name)).toBe(h);
    const scorers = c.scorers.map((s) => ({ name: s.name, sampleRate: s.sample_rate }));
    expect(selectScorers(c.session_id, scorers)).toEqual(c.expected_selected);
    const candidates: Candidate[] = scorers.map((s) => ({ ...s, filterString: null, block: null }));
    expect(
      decideTrace(c.session_id, candidates, () => true)
        .filter((d) => d.run)
        .map((d) => d.candidate.name)
        .sort(),
    ).toEqual([...c.expected_selected].sort());
  });
});

describe("a session's filter and turns", () => {
  it.each([
    [[true, false], true],
    [[false, false], false],
    [["invalid", false], "invalid"],
    [["invalid", true], true],
    [[], false],
  ] as const)("turn matches %j -> session matches %j", (turns, want) => {
    expect(sessionMatcher(turns.map((t) => () => t))("trace.status = 'OK'")).toBe(want);
  });

  it("the set of turns has one key whatever order the turns joined in, and a new turn changes it", () => {
    const a = { traceId: "tr-a", timeMs: 1 };
    const b = { traceId: "tr-b", timeMs: 2 };
    const c = { traceId: "tr-c", timeMs: 3 };
    expect(turnsKey([a, b])).toBe(turnsKey([b, a]));
    expect(turnsKey([a, b, c])).not.toBe(turnsKey([a, b]));
    expect(turnsKey([a, b])).toMatch(/^[0-9a-f]{64}$/);
  });
});
