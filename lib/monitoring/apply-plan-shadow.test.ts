// `shadow: true` in scorers.config.ts, as plans: register a changed definition as a shadow, leave a
// running identical shadow alone, replace a different one, promote when `shadow` is removed.
import { describe, expect, it } from "vitest";
import { formatPlan, planApply, type CurrentScorer } from "./apply-plan";
import type { DesiredScorer } from "./config-as-code";

const ser = (extra: Record<string, unknown> = {}) => JSON.stringify({ name: "judge", builtin_scorer_class: "Safety", ...extra });
const want = (extra: Record<string, unknown>, shadow?: boolean): DesiredScorer => ({
  name: "judge",
  serializedScorer: ser(extra),
  sampleRate: 0.5,
  filterString: null,
  shadow,
});
const have = (live: Record<string, unknown>, shadow?: { version: number; extra: Record<string, unknown> }): CurrentScorer => ({
  name: "judge",
  version: 3,
  scorerId: "id",
  serializedScorer: ser(live),
  sampleRate: 0.5,
  filterString: null,
  shadow: shadow ? { version: shadow.version, serializedScorer: ser(shadow.extra) } : null,
});

describe("planApply with shadows", () => {
  const cases: [string, DesiredScorer, CurrentScorer | undefined, Record<string, unknown>, RegExp][] = [
    [
      "a changed definition with shadow: true registers a shadow",
      want({ v: 2 }, true),
      have({ v: 1 }),
      { change: "changed", register: false, shadow: "register", shadowVersion: null },
      /register it as a shadow of v3/,
    ],
    [
      "the same shadow already runs: unchanged",
      want({ v: 2 }, true),
      have({ v: 1 }, { version: 4, extra: { v: 2 } }),
      { change: "unchanged", register: false, shadow: null },
      /unchanged/,
    ],
    [
      "another definition than the running shadow: replace it",
      want({ v: 5 }, true),
      have({ v: 1 }, { version: 4, extra: { v: 2 } }),
      { change: "changed", shadow: "replace", shadowVersion: 4 },
      /discard shadow v4/,
    ],
    [
      "shadow removed, definition kept: promote",
      want({ v: 2 }),
      have({ v: 1 }, { version: 4, extra: { v: 2 } }),
      { change: "changed", register: false, shadow: "promote", shadowVersion: 4 },
      /promote shadow v4 \(v3 stops\)/,
    ],
    ["shadow: true with the live definition: nothing to do", want({ v: 1 }, true), have({ v: 1 }), { change: "unchanged", shadow: null }, /unchanged/],
    [
      "without shadow, a new definition replaces the live one at once",
      want({ v: 9 }),
      have({ v: 1 }, { version: 4, extra: { v: 2 } }),
      { register: true, shadow: null },
      /register v4 \(was v3\)/,
    ],
    [
      "a new scorer cannot start as a shadow",
      want({ v: 1 }, true),
      undefined,
      { change: "new", refused: expect.stringMatching(/needs a live version/) },
      /refused/,
    ],
  ];
  for (const [name, d, c, item, line] of cases) {
    it(name, () => {
      const plan = planApply([d], c ? [c] : []);
      expect(plan.items[0]).toMatchObject(item);
      expect(formatPlan(plan)[0]).toMatch(line);
    });
  }
});
