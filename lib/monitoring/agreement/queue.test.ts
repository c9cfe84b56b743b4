import { describe, expect, it } from "vitest";
import type { ScoreRow } from "./load";
import { labelProblem } from "./label-trace";
import { rankCandidates, uncertainty } from "./needs-labels";
import { ratingOf } from "./values";

const row = (traceId: string, value: unknown, at: number, isError = false): ScoreRow => ({
  traceId,
  version: 1,
  human: false,
  rating: isError ? null : ratingOf(value),
  isError,
  createTime: at,
  costUsd: null,
  judged: true,
  rationale: null,
});

describe("labelProblem", () => {
  const yesNo = [ratingOf("yes")!, ratingOf("no")!];
  const cases: [string, unknown, ReturnType<typeof ratingOf>[], RegExp | null][] = [
    ["yes for a yes/no judge", "yes", yesNo, null],
    ["true for a yes/no judge", true, yesNo, null],
    ["unknown for a yes/no judge", "unknown", yesNo, null],
    ["maybe for a yes/no judge", "maybe", yesNo, /yes, no or unknown/],
    ["a number for a yes/no judge", 3, yesNo, /answers categories/],
    ["a category for a numeric judge", "high", [ratingOf(4)!], /answers numbers/],
    ["a number for a numeric judge", 2.5, [ratingOf(4)!], null],
    ["another category for a categorical judge", "medium", [ratingOf("high")!], null],
    ["a list", [1], yesNo, /must be a string, a boolean or a number/],
    ["anything while the judge has not answered yet", 7, [], null],
  ];
  for (const [name, value, judge, want] of cases) {
    it(name, () => {
      const p = labelProblem(ratingOf(value), judge as never, "safety");
      if (want === null) expect(p).toBeNull();
      else {
        expect(p).toMatch(want);
        expect(p).toMatch(/parameter 'value'/);
      }
    });
  }
});

describe("needs labels", () => {
  it("uncertainty: unknown and errors are most uncertain, numbers in [0, 1] near 0.5", () => {
    expect(uncertainty(row("t", "unknown", 0))).toBe(1);
    expect(uncertainty(row("t", null, 0, true))).toBe(1);
    expect(uncertainty(row("t", "yes", 0))).toBe(0);
    expect(uncertainty(row("t", 0.5, 0))).toBe(1);
    expect(uncertainty(row("t", 0.9, 0))).toBeCloseTo(0.2, 12);
    expect(uncertainty(row("t", 4, 0))).toBe(0);
  });

  it("ranks disagreements with the shadow first, then the uncertain, then the newest; skips labelled traces", () => {
    const live = new Map([
      ["a", row("a", "yes", 1)],
      ["b", row("b", "unknown", 2)],
      ["c", row("c", "yes", 3)],
      ["d", row("d", "no", 4)],
      ["e", row("e", "yes", 5)],
    ]);
    const shadow = new Map([
      ["a", row("a", "no", 1)],
      ["c", row("c", "yes", 3)],
      ["d", row("d", "yes", 4)],
    ]);
    const q = rankCandidates(live, shadow, new Set(["e"]), 10);
    expect(q.map((c) => [c.traceId, c.reason])).toEqual([
      ["d", "disagrees_with_shadow"],
      ["a", "disagrees_with_shadow"],
      ["b", "uncertain"],
      ["c", "unlabelled"],
    ]);
    expect(rankCandidates(live, null, new Set(), 2).map((c) => c.traceId)).toEqual(["b", "e"]);
  });
});
