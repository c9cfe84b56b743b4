import { describe, expect, it } from "vitest";
import { initialSeries, stepSeries, type Effect, type Observation, type SeriesState } from "./state-machine";

const M = 60_000;
const s = (state: SeriesState["state"], since: number, pendingSince: number | null = null): SeriesState => ({ state, since, pendingSince });

describe("stepSeries", () => {
  const cases: [string, SeriesState, Observation, number, number, SeriesState, Effect][] = [
    ["OK stays OK", s("OK", 0), "ok", 5 * M, 1 * M, s("OK", 0), null],
    ["OK → PENDING on a breach", s("OK", 0), "breach", 5 * M, 1 * M, s("PENDING", 1 * M, 1 * M), null],
    ["OK → FIRING at once when for is 0", s("OK", 0), "breach", 0, 1 * M, s("FIRING", 1 * M, 1 * M), "fire"],
    ["PENDING holds before for", s("PENDING", 1 * M, 1 * M), "breach", 5 * M, 5 * M, s("PENDING", 1 * M, 1 * M), null],
    ["PENDING → FIRING once held for", s("PENDING", 1 * M, 1 * M), "breach", 5 * M, 6 * M, s("FIRING", 6 * M, 1 * M), "fire"],
    ["PENDING → OK when it clears", s("PENDING", 1 * M, 1 * M), "ok", 5 * M, 3 * M, s("OK", 3 * M), null],
    ["PENDING → NO_DATA resets the clock", s("PENDING", 1 * M, 1 * M), "no_data", 5 * M, 3 * M, s("NO_DATA", 3 * M), null],
    ["FIRING stays FIRING on a breach", s("FIRING", 6 * M, 1 * M), "breach", 5 * M, 7 * M, s("FIRING", 6 * M, 1 * M), null],
    ["FIRING is not resolved by no data", s("FIRING", 6 * M, 1 * M), "no_data", 5 * M, 7 * M, s("FIRING", 6 * M, 1 * M), null],
    ["FIRING → RESOLVED when it clears", s("FIRING", 6 * M, 1 * M), "ok", 5 * M, 8 * M, s("RESOLVED", 8 * M), "resolve"],
    ["RESOLVED → OK next clean minute", s("RESOLVED", 8 * M), "ok", 5 * M, 9 * M, s("OK", 9 * M), null],
    ["RESOLVED → PENDING on a new breach", s("RESOLVED", 8 * M), "breach", 5 * M, 9 * M, s("PENDING", 9 * M, 9 * M), null],
    ["OK → NO_DATA, distinct from OK", s("OK", 0), "no_data", 5 * M, 1 * M, s("NO_DATA", 1 * M), null],
    ["NO_DATA stays NO_DATA (since kept)", s("NO_DATA", 1 * M), "no_data", 5 * M, 2 * M, s("NO_DATA", 1 * M), null],
    ["NO_DATA → OK with data", s("NO_DATA", 1 * M), "ok", 5 * M, 2 * M, s("OK", 2 * M), null],
    ["NO_DATA → PENDING on a breach", s("NO_DATA", 1 * M), "breach", 5 * M, 2 * M, s("PENDING", 2 * M, 2 * M), null],
  ];
  it.each(cases)("%s", (_name, prev, obs, forMs, now, next, effect) => {
    expect(stepSeries(prev, obs, forMs, now)).toEqual({ next, effect });
  });

  it("fires once and resolves once over a breach that lasts ten minutes", () => {
    let st = initialSeries(0);
    const effects: Effect[] = [];
    for (let minute = 1; minute <= 20; minute++) {
      const obs: Observation = minute >= 3 && minute < 13 ? "breach" : "ok";
      const r = stepSeries(st, obs, 5 * M, minute * M);
      st = r.next;
      if (r.effect) effects.push(r.effect);
      if (minute === 8) expect(st.state).toBe("FIRING");
    }
    expect(effects).toEqual(["fire", "resolve"]);
    expect(st.state).toBe("OK");
  });
});
