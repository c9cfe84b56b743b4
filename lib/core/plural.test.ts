import { describe, expect, it } from "vitest";
import { countOf } from "./plural";

describe("countOf", () => {
  it.each([
    [0, "trace", undefined, "0 traces"],
    [1, "trace", undefined, "1 trace"],
    [2, "trace", undefined, "2 traces"],
    [1204, "trace", undefined, "1,204 traces"],
    [1, "pair is", "pairs are", "1 pair is"],
    [3, "pair is", "pairs are", "3 pairs are"],
    [1, "LLM call", undefined, "1 LLM call"],
    [2, "judge call today has", "judge calls today have", "2 judge calls today have"],
    [-1, "degree", undefined, "-1 degrees"],
    [0.5, "day", undefined, "0.5 days"],
  ])("%d %s / %s → %s", (n, one, many, out) => {
    expect(countOf(n, one, many)).toBe(out);
  });
});
