import { describe, expect, it } from "vitest";
import { diffSerializedScorers, diffValues } from "@/lib/read/scorers/version-diff";

const v = (o: Record<string, unknown>) => JSON.stringify({ name: "len", mlflow_version: "3.5.0", builtin_scorer_class: "ResponseLength", ...o });

describe("diffSerializedScorers", () => {
  it.each([
    ["no change", v({ builtin_scorer_pydantic_data: { max: 500 } }), v({ builtin_scorer_pydantic_data: { max: 500 } }), []],
    [
      "a param changed",
      v({ builtin_scorer_pydantic_data: { max: 500 } }),
      v({ builtin_scorer_pydantic_data: { max: 800 } }),
      [{ field: "builtin_scorer_pydantic_data.max", before: "500", after: "800" }],
    ],
    [
      "a param added",
      v({ builtin_scorer_pydantic_data: {} }),
      v({ builtin_scorer_pydantic_data: { min: 5 } }),
      [{ field: "builtin_scorer_pydantic_data.min", before: null, after: "5" }],
    ],
    [
      "mlflow_version and null-vs-missing ignored",
      v({ description: null }),
      JSON.stringify({ name: "len", mlflow_version: "3.6.0", builtin_scorer_class: "ResponseLength" }),
      [],
    ],
    [
      "a list changed",
      v({ builtin_scorer_pydantic_data: { guidelines: ["a"] } }),
      v({ builtin_scorer_pydantic_data: { guidelines: ["a", "b"] } }),
      [{ field: "builtin_scorer_pydantic_data.guidelines", before: '["a"]', after: '["a","b"]' }],
    ],
  ])("%s", (_, a, b, want) => expect(diffSerializedScorers(a, b)).toEqual(want));
});

describe("diffValues", () => {
  it("describes an audit entry's before and after", () => {
    expect(diffValues({ status: "STARTED", sample_rate: 0.1 }, { status: "PAUSED", sample_rate: 0.1, paused_reason: "cost" })).toEqual([
      { field: "paused_reason", before: null, after: '"cost"' },
      { field: "status", before: '"STARTED"', after: '"PAUSED"' },
    ]);
    expect(diffValues(null, { name: "x" })).toEqual([{ field: "name", before: null, after: '"x"' }]);
  });
});
