import { describe, expect, it } from "vitest";
import { InvalidParameterError } from "@/lib/core/errors";
import { Guidelines } from "./judges/builtin";
import { InstructionsJudge } from "./judges/instructions";
import politeClosing from "./custom/polite-closing";
import {
  parseSerializedScorer,
  resolveScorer,
  serializeBuiltin,
  serializeInstructionsJudge,
  serializeVigilModule,
  stringifySerializedScorer,
} from "./serialize";

// The keys MLflow's SerializedScorer dataclass always writes (asdict), in its order.
const MLFLOW_KEYS = [
  "name",
  "description",
  "aggregations",
  "is_session_level_scorer",
  "mlflow_version",
  "serialization_version",
  "builtin_scorer_class",
  "builtin_scorer_pydantic_data",
  "call_source",
  "call_signature",
  "original_func_name",
  "instructions_judge_pydantic_data",
];

const nulls = {
  builtin_scorer_class: null,
  builtin_scorer_pydantic_data: null,
  call_source: null,
  call_signature: null,
  original_func_name: null,
  instructions_judge_pydantic_data: null,
};

// As MLflow writes a registered Guidelines judge, plus fields from a hypothetical newer MLflow.
const mlflowGuidelines = JSON.stringify({
  name: "tone",
  description: null,
  aggregations: null,
  is_session_level_scorer: false,
  mlflow_version: "3.7.1",
  serialization_version: 1,
  ...nulls,
  builtin_scorer_class: "Guidelines",
  builtin_scorer_pydantic_data: {
    name: "tone",
    aggregations: null,
    description: null,
    required_columns: ["inputs", "outputs"],
    guidelines: ["Be polite.", "Do not promise refund dates."],
    model: null,
    instructions: "…",
    future_nested: { x: [1, 2, { y: null }] },
  },
  scorer_tags: { team: "support" },
  future_top_level: [true, 1.5, "x"],
});

const pythonScorer = JSON.stringify({
  name: "length_check",
  description: "Check if response is adequately detailed",
  aggregations: ["mean"],
  is_session_level_scorer: false,
  mlflow_version: "3.7.1",
  serialization_version: 1,
  ...nulls,
  call_source: "return len(str(outputs)) > 100",
  call_signature: "(outputs)",
  original_func_name: "length_check",
});

const makeJudge = JSON.stringify({
  name: "helpfulness",
  description: null,
  aggregations: [],
  is_session_level_scorer: false,
  mlflow_version: "3.7.1",
  serialization_version: 1,
  ...nulls,
  instructions_judge_pydantic_data: {
    instructions: "Rate how helpful {{ outputs }} is for {{ inputs }} from 1 to 5",
    model: "openai:/gpt-4.1-mini",
    feedback_value_type: { type: "integer", title: "Result" },
    inference_params: { temperature: 0 },
  },
});

describe("round-trip", () => {
  it.each([
    ["MLflow Guidelines with unknown fields", mlflowGuidelines],
    ["a Python @scorer", pythonScorer],
    ["a make_judge judge", makeJudge],
  ])("keeps %s byte for byte", (_label, json) => {
    expect(stringifySerializedScorer(parseSerializedScorer(json))).toBe(json);
    expect(JSON.parse(stringifySerializedScorer(parseSerializedScorer(json)))).toEqual(JSON.parse(json));
  });

  it("writes MLflow's keys for built-ins and judges, and Vigil's payload for team modules", () => {
    expect(Object.keys(JSON.parse(serializeBuiltin({ className: "Safety", name: "safety" })))).toEqual(MLFLOW_KEYS);
    expect(Object.keys(JSON.parse(serializeInstructionsJudge({ name: "j", instructions: "x {{ outputs }}", model: "openai:/gpt-4o-mini" })))).toEqual(
      MLFLOW_KEYS,
    );
    const mod = JSON.parse(serializeVigilModule({ name: "polite", module: "polite-closing", params: { tail_chars: 100 } }));
    expect(Object.keys(mod)).toEqual([...MLFLOW_KEYS, "vigil_scorer_module"]);
    expect(mod.vigil_scorer_module).toEqual({ module: "polite-closing", params: { tail_chars: 100 } });
  });
});

describe("resolveScorer", () => {
  it("runs MLflow's Guidelines with its params, ignoring pydantic extras", () => {
    const r = resolveScorer(mlflowGuidelines);
    expect(r).toMatchObject({ runnable: true, kind: "builtin", name: "tone", scorer: Guidelines });
    if (r.runnable) expect(r.params).toEqual({ guidelines: ["Be polite.", "Do not promise refund dates."], model: null });
  });

  it("stores a Python @scorer but does not run it", () => {
    const r = resolveScorer(pythonScorer);
    expect(r.runnable).toBe(false);
    if (!r.runnable) {
      expect(r.kind).toBe("decorator");
      expect(r.reason).toMatch(/^Not runnable here: Python @scorer functions cannot run in Vigil \(length_check\)/);
    }
  });

  it("runs a make_judge judge as InstructionsJudge", () => {
    const r = resolveScorer(makeJudge);
    expect(r).toMatchObject({ runnable: true, kind: "instructions", scorer: InstructionsJudge });
    if (r.runnable) expect(r.params).toMatchObject({ model: "openai:/gpt-4.1-mini", feedback_value_type: { type: "integer" } });
  });

  it("runs a team module from scorers/custom", () => {
    const r = resolveScorer(serializeVigilModule({ name: "polite", module: "polite-closing" }));
    expect(r).toMatchObject({ runnable: true, kind: "vigil_module", scorer: politeClosing });
    if (r.runnable) expect(r.params).toMatchObject({ tail_chars: 160 });
  });

  it.each([
    ["our code built-in", serializeBuiltin({ className: "ResponseLength", name: "short", params: { max: 400 } }), { max: 400 }],
    [
      "an instructions judge we wrote",
      serializeInstructionsJudge({
        name: "j",
        instructions: "Rate {{ outputs }}",
        model: "openai:/gpt-4o-mini",
        valueType: { kind: "number", min: 0, max: 1 },
      }),
      { feedback_value_type: { title: "Result", type: "number", minimum: 0, maximum: 1 } },
    ],
  ])("resolves %s back to runnable params", (_l, json, params) => {
    const r = resolveScorer(json);
    expect(r.runnable).toBe(true);
    if (r.runnable) expect(r.params).toMatchObject(params);
  });

  const swap = (json: string, patch: Record<string, unknown>) => JSON.stringify({ ...JSON.parse(json), ...patch });
  it.each([
    [
      "an MLflow judge we lack",
      swap(mlflowGuidelines, { builtin_scorer_class: "Completeness" }),
      /MLflow's Completeness judge is not implemented in Vigil yet/,
    ],
    ["an unknown class", swap(mlflowGuidelines, { builtin_scorer_class: "Nope" }), /unknown built-in scorer class 'Nope'/],
    ["bad params", swap(mlflowGuidelines, { builtin_scorer_pydantic_data: { name: "tone" } }), /Invalid parameters for Guidelines: guidelines/],
    [
      "a trace judge flagged session-level",
      swap(makeJudge, { is_session_level_scorer: true }),
      /is_session_level_scorer is true but InstructionsJudge scores single traces/,
    ],
    [
      "a session judge flagged trace-level",
      swap(serializeBuiltin({ className: "UserFrustration", name: "uf" }), { is_session_level_scorer: false }),
      /is_session_level_scorer is false but UserFrustration scores whole sessions/,
    ],
    ["a missing team module", serializeVigilModule({ name: "p", module: "polite-closing" }).replace("polite-closing", "gone"), /no scorer module 'gone'/],
    ["no payload", JSON.stringify({ name: "x", ...nulls }), /has no payload/],
    ["two payloads", swap(pythonScorer, { builtin_scorer_class: "Safety" }), /more than one payload: builtin, decorator/],
    ["not JSON", "{nope", /not valid JSON/],
    ["no name", JSON.stringify({ builtin_scorer_class: "Safety" }), /non-empty name/],
  ])("does not run %s, and says why", (_l, json, reason) => {
    const r = resolveScorer(json);
    expect(r.runnable).toBe(false);
    if (!r.runnable) expect(r.reason).toMatch(reason);
  });

  it("refuses to serialize what it could never resolve", () => {
    expect(() => serializeBuiltin({ className: "Nope", name: "x" })).toThrow(InvalidParameterError);
    expect(() => serializeVigilModule({ name: "x", module: "missing" })).toThrow(/No scorer module 'missing'/);
    expect(() => parseSerializedScorer("[]")).toThrow(InvalidParameterError);
  });
});
