// MLflow's SerializedScorer JSON (mlflow/genai/scorers/base.py), plus Vigil's own payload for team
// TypeScript scorers. Parsing keeps every field, known or not, so a scorer written by a newer MLflow
// round-trips unchanged even when Vigil cannot run it.
import { InvalidParameterError } from "@/lib/core/errors";
import { MLFLOW_JUDGES_NOT_IMPLEMENTED, getBuiltinScorer, getCustomScorer, InstructionsJudge, SessionInstructionsJudge } from "./registry";
import { usesConversation } from "./judges/instructions";
import { schemaFromValueType, type JudgeValueType } from "./judges/parse";
import type { AnyScorerModule } from "./types";

export const SERIALIZATION_VERSION = 1;
/** The MLflow release whose serialized-scorer format Vigil writes (MLflow records its own version here). */
export const MLFLOW_FORMAT_VERSION = "3.5.0";

export interface VigilModulePayload {
  /** File name in scorers/custom/ (without .ts). */
  module: string;
  params?: Record<string, unknown>;
}

export interface SerializedScorer {
  name: string;
  description?: string | null;
  aggregations?: unknown[] | null;
  is_session_level_scorer?: boolean;
  mlflow_version?: string;
  serialization_version?: number;
  builtin_scorer_class?: string | null;
  builtin_scorer_pydantic_data?: Record<string, unknown> | null;
  call_source?: string | null;
  call_signature?: string | null;
  original_func_name?: string | null;
  instructions_judge_pydantic_data?: Record<string, unknown> | null;
  vigil_scorer_module?: VigilModulePayload | null;
  /** Fields from newer MLflow versions are kept as they are. */
  [field: string]: unknown;
}

export type PayloadKind = "builtin" | "decorator" | "instructions" | "vigil_module";

const present = (v: unknown) => v !== undefined && v !== null;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Which payload a serialized scorer carries; exactly one must be present. */
export function payloadKind(s: SerializedScorer): PayloadKind {
  const kinds: PayloadKind[] = [];
  if (present(s.builtin_scorer_class)) kinds.push("builtin");
  if (present(s.call_source)) kinds.push("decorator");
  if (present(s.instructions_judge_pydantic_data)) kinds.push("instructions");
  if (present(s.vigil_scorer_module)) kinds.push("vigil_module");
  if (kinds.length !== 1) {
    throw new InvalidParameterError(
      kinds.length === 0
        ? `Serialized scorer '${s.name}' has no payload (builtin_scorer_class, call_source, instructions_judge_pydantic_data or vigil_scorer_module).`
        : `Serialized scorer '${s.name}' has more than one payload: ${kinds.join(", ")}.`,
    );
  }
  return kinds[0]!;
}

/** Parses and checks the structure; throws InvalidParameterError with a reason a user can act on. */
export function parseSerializedScorer(json: string): SerializedScorer {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new InvalidParameterError("serialized_scorer is not valid JSON.");
  }
  if (!isRecord(data)) throw new InvalidParameterError("serialized_scorer must be a JSON object.");
  if (typeof data.name !== "string" || !data.name) throw new InvalidParameterError("serialized_scorer needs a non-empty name.");
  const s = data as SerializedScorer;
  const kind = payloadKind(s);
  if (
    kind === "builtin" &&
    (typeof s.builtin_scorer_class !== "string" || (present(s.builtin_scorer_pydantic_data) && !isRecord(s.builtin_scorer_pydantic_data)))
  ) {
    throw new InvalidParameterError("builtin_scorer_class must be a string and builtin_scorer_pydantic_data an object.");
  }
  if (kind === "decorator" && (typeof s.call_source !== "string" || typeof s.call_signature !== "string" || typeof s.original_func_name !== "string")) {
    throw new InvalidParameterError("A decorated scorer needs call_source, call_signature and original_func_name strings.");
  }
  if (kind === "instructions" && !isRecord(s.instructions_judge_pydantic_data)) {
    throw new InvalidParameterError("instructions_judge_pydantic_data must be an object.");
  }
  if (kind === "vigil_module" && (!isRecord(s.vigil_scorer_module) || typeof s.vigil_scorer_module.module !== "string")) {
    throw new InvalidParameterError("vigil_scorer_module needs a module name.");
  }
  return s;
}

/** JSON.stringify keeps insertion order and every field, so parse -> stringify is lossless. */
export function stringifySerializedScorer(s: SerializedScorer): string {
  return JSON.stringify(s);
}

interface Common {
  name: string;
  description?: string | null;
  aggregations?: unknown[] | null;
}

/** The fields MLflow's dataclass always writes, with every payload null; the caller sets one. */
function base(c: Common): SerializedScorer {
  return {
    name: c.name,
    description: c.description ?? null,
    aggregations: c.aggregations ?? null,
    is_session_level_scorer: false,
    mlflow_version: MLFLOW_FORMAT_VERSION,
    serialization_version: SERIALIZATION_VERSION,
    builtin_scorer_class: null,
    builtin_scorer_pydantic_data: null,
    call_source: null,
    call_signature: null,
    original_func_name: null,
    instructions_judge_pydantic_data: null,
  };
}

/** A built-in (code scorer or MLflow-named judge): class name plus its params as pydantic data. */
export function serializeBuiltin(c: Common & { className: string; params?: Record<string, unknown> }): string {
  const m = getBuiltinScorer(c.className);
  if (!m) throw new InvalidParameterError(`Unknown built-in scorer class '${c.className}'.`);
  // MLflow rebuilds a built-in from its pydantic data, which includes the scorer's name.
  return stringifySerializedScorer({
    ...base(c),
    is_session_level_scorer: m.level === "session",
    builtin_scorer_class: c.className,
    builtin_scorer_pydantic_data: { name: c.name, ...c.params },
  });
}

export function serializeInstructionsJudge(c: Common & { instructions: string; model: string; valueType?: JudgeValueType }): string {
  const data: Record<string, unknown> = { instructions: c.instructions, model: c.model };
  if (c.valueType) data.feedback_value_type = schemaFromValueType(c.valueType);
  return stringifySerializedScorer({ ...base(c), is_session_level_scorer: usesConversation(c.instructions), instructions_judge_pydantic_data: data });
}

/** Team TypeScript scorer. MLflow's Python client cannot load this payload; Vigil keeps it. */
export function serializeVigilModule(c: Common & { module: string; params?: Record<string, unknown> }): string {
  const m = getCustomScorer(c.module);
  if (!m) throw new InvalidParameterError(`No scorer module '${c.module}' in scorers/custom/.`);
  return stringifySerializedScorer({
    ...base(c),
    is_session_level_scorer: m.level === "session",
    vigil_scorer_module: { module: c.module, params: c.params ?? {} },
  });
}

export type ResolvedScorer =
  | { runnable: true; kind: Exclude<PayloadKind, "decorator">; name: string; scorer: AnyScorerModule; params: unknown; serialized: SerializedScorer }
  | { runnable: false; kind?: PayloadKind; name?: string; reason: string };

function withParams(kind: Exclude<PayloadKind, "decorator">, s: SerializedScorer, scorer: AnyScorerModule, raw: unknown): ResolvedScorer {
  // MLflow's flag must agree with what the module scores, or sampling would group it wrongly.
  const sessionLevel = s.is_session_level_scorer === true;
  if (sessionLevel !== (scorer.level === "session")) {
    const what = scorer.level === "session" ? "scores whole sessions" : "scores single traces";
    return { runnable: false, kind, name: s.name, reason: `Not runnable here: is_session_level_scorer is ${sessionLevel} but ${scorer.name} ${what}.` };
  }
  const parsed = scorer.params.safeParse(raw ?? {});
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".") || "params"}: ${i.message}`).join("; ");
    return { runnable: false, kind, name: s.name, reason: `Invalid parameters for ${scorer.name}: ${issues}` };
  }
  return { runnable: true, kind, name: s.name, scorer, params: parsed.data, serialized: s };
}

/** What Vigil would run for a registered scorer, or why it cannot run it (kept and shown as is). */
export function resolveScorer(serialized: string): ResolvedScorer {
  let s: SerializedScorer;
  let kind: PayloadKind;
  try {
    s = parseSerializedScorer(serialized);
    kind = payloadKind(s);
  } catch (e) {
    return { runnable: false, reason: (e as Error).message };
  }
  switch (kind) {
    case "decorator":
      return {
        runnable: false,
        kind,
        name: s.name,
        reason: `Not runnable here: Python @scorer functions cannot run in Vigil (${s.original_func_name}). Port it to a TypeScript scorer in scorers/custom/.`,
      };
    case "builtin": {
      const cls = s.builtin_scorer_class as string;
      const scorer = getBuiltinScorer(cls);
      if (!scorer) {
        const known = (MLFLOW_JUDGES_NOT_IMPLEMENTED as readonly string[]).includes(cls);
        return {
          runnable: false,
          kind,
          name: s.name,
          reason: `Not runnable here: ${known ? `MLflow's ${cls} judge is not implemented in Vigil yet` : `unknown built-in scorer class '${cls}'`}.`,
        };
      }
      return withParams(kind, s, scorer, s.builtin_scorer_pydantic_data);
    }
    case "instructions":
      return withParams(
        kind,
        s,
        usesConversation(s.instructions_judge_pydantic_data?.instructions) ? SessionInstructionsJudge : InstructionsJudge,
        s.instructions_judge_pydantic_data,
      );
    case "vigil_module": {
      const payload = s.vigil_scorer_module as VigilModulePayload;
      const scorer = getCustomScorer(payload.module);
      if (!scorer)
        return {
          runnable: false,
          kind,
          name: s.name,
          reason: `Not runnable here: no scorer module '${payload.module}' in scorers/custom/ (is it in scorers/custom/index.ts?).`,
        };
      return withParams(kind, s, scorer, payload.params);
    }
  }
}
