import { describe, expect, it } from "vitest";
import { sessionJudges } from "./judges/session-judges";
import { builtinScorers, getBuiltinScorer, MLFLOW_JUDGES_NOT_IMPLEMENTED } from "./registry";
import { resolveScorer, serializeBuiltin } from "./serialize";
import { defineScorer, SCORER_NEEDS } from "./types";

// Minimal valid params per built-in, to prove each one serializes and resolves.
const params: Record<string, Record<string, unknown>> = {
  ResponseLength: { max: 500 },
  RegexMatch: { pattern: "refund" },
  KeywordAbsent: { keywords: ["lawsuit"] },
  LatencyBudget: { max_ms: 2000 },
  Guidelines: { guidelines: "Be polite." },
  ConversationalGuidelines: { guidelines: "Be polite." },
};

describe("registry", () => {
  it("lists the code scorers and MLflow's judge names by class name", () => {
    expect(Object.keys(builtinScorers).sort()).toEqual(
      [
        "Correctness",
        "Guidelines",
        "JsonValid",
        "KeywordAbsent",
        "LatencyBudget",
        "PIILeak",
        "RegexMatch",
        "RelevanceToQuery",
        "ResponseLength",
        "RetrievalGroundedness",
        "Safety",
        "ToolCallErrors",
        "TraceError",
        "UserFrustration",
        "ConversationCompleteness",
        "ConversationalSafety",
        "ConversationalToolCallEfficiency",
        "ConversationalRoleAdherence",
        "ConversationalGuidelines",
        "KnowledgeRetention",
      ].sort(),
    );
    expect(getBuiltinScorer("constructor")).toBeUndefined();
    for (const name of MLFLOW_JUDGES_NOT_IMPLEMENTED) expect(getBuiltinScorer(name)).toBeUndefined();
  });

  it.each(Object.entries(builtinScorers))("%s is well-formed and round-trips through serialization", (cls, scorer) => {
    expect(scorer.name).toBe(cls);
    expect(scorer.description.length).toBeGreaterThan(10);
    expect(scorer.kind).toBe(
      ["Safety", "RelevanceToQuery", "Guidelines", "Correctness", "RetrievalGroundedness", ...Object.keys(sessionJudges)].includes(cls) ? "judge" : "code",
    );
    if (scorer.level === "trace") for (const need of scorer.needs) expect(SCORER_NEEDS).toContain(need);
    const r = resolveScorer(serializeBuiltin({ className: cls, name: `my_${cls}`, params: params[cls] }));
    expect(r).toMatchObject({ runnable: true, kind: "builtin", name: `my_${cls}`, scorer });
  });

  it("defineScorer needs a name and defaults to a code scorer without params", () => {
    expect(() => defineScorer({ name: " ", description: "", needs: [], score: async () => ({ value: 1, rationale: "" }) })).toThrow(/name is required/);
    const s = defineScorer({ name: "n", description: "", needs: ["outputs"], score: async () => ({ value: 1, rationale: "" }) });
    expect(s.kind).toBe("code");
    expect(s.params.parse({ extra: 1 })).toEqual({});
  });
});
