// Every scorer Vigil can run, by the name a serialized scorer refers to it with.
import { JsonValid } from "./builtin/json-valid";
import { KeywordAbsent } from "./builtin/keyword-absent";
import { LatencyBudget } from "./builtin/latency-budget";
import { PIILeak } from "./builtin/pii-leak";
import { RegexMatch } from "./builtin/regex-match";
import { ResponseLength } from "./builtin/response-length";
import { ToolCallErrors } from "./builtin/tool-call-errors";
import { TraceError } from "./builtin/trace-error";
import { customScorers } from "./custom";
import { Correctness, Guidelines, RelevanceToQuery, RetrievalGroundedness, Safety } from "./judges/builtin";
import { InstructionsJudge, SessionInstructionsJudge } from "./judges/instructions";
import { sessionJudges } from "./judges/session-judges";
import type { AnyScorerModule } from "./types";

/** Built-ins by class name (`builtin_scorer_class`): Vigil's code scorers and MLflow's judge names. */
export const builtinScorers: Readonly<Record<string, AnyScorerModule>> = Object.freeze({
  ResponseLength,
  RegexMatch,
  KeywordAbsent,
  JsonValid,
  PIILeak,
  LatencyBudget,
  ToolCallErrors,
  TraceError,
  Safety,
  RelevanceToQuery,
  Guidelines,
  Correctness,
  RetrievalGroundedness,
  ...sessionJudges,
});

/** MLflow built-in judges that Vigil knows by name but does not implement yet. */
export const MLFLOW_JUDGES_NOT_IMPLEMENTED = [
  "ExpectationsGuidelines",
  "Completeness",
  "Fluency",
  "Equivalence",
  "RetrievalRelevance",
  "RetrievalSufficiency",
  "ToolCallCorrectness",
  "ToolCallEfficiency",
] as const;

/** Every MLflow built-in judge class name, implemented here or not: what MLflow itself can run. */
export const MLFLOW_JUDGE_CLASSES: ReadonlySet<string> = new Set([
  ...Object.keys({ Safety, RelevanceToQuery, Guidelines, Correctness, RetrievalGroundedness }),
  ...Object.keys(sessionJudges),
  ...MLFLOW_JUDGES_NOT_IMPLEMENTED,
]);

export { InstructionsJudge, SessionInstructionsJudge };

export function getBuiltinScorer(className: string): AnyScorerModule | undefined {
  return Object.hasOwn(builtinScorers, className) ? builtinScorers[className] : undefined;
}

/** Team scorers from scorers/custom/, by module name; "polite-closing.ts" and "polite-closing" both work. */
export function getCustomScorer(module: string): AnyScorerModule | undefined {
  const key = module.replace(/^(\.\/)?(scorers\/)?(custom\/)?/, "").replace(/\.ts$/, "");
  return Object.hasOwn(customScorers, key) ? customScorers[key] : undefined;
}

export function listCustomScorers(): string[] {
  return Object.keys(customScorers).sort();
}
