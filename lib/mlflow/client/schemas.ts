// MLflow's answers as zod schemas. Tolerant where MLflow's protobuf JSON varies (unknown fields
// are stripped, int64 may be a number or a decimal string, empty maps and lists may be omitted),
// strict where a wrong value would mislead the engine (ids, timestamps, enums).
import { z } from "zod";
import { int64, parseDuration, parseRfc3339 } from "@/lib/mlflow/proto-json";
import type { Assessment, AssessmentSourceType, FeedbackValue, TraceInfoV3, TraceState } from "@/lib/mlflow/types";

/** A map<string,string>; proto JSON leaves an empty map out. */
export const stringMap = z
  .record(z.string(), z.string())
  .nullish()
  .transform((m) => m ?? {});

/** Experiment ids are strings in most messages and int32 in Scorer: both become strings. */
export const idString = z.union([z.string().min(1), z.number().int().nonnegative()]).transform((v) => String(v));

export const timestamp = z.string().refine((s) => parseRfc3339(s) !== null, "must be an RFC 3339 timestamp");
const duration = z.string().refine((s) => parseDuration(s) !== null, 'must be a protobuf Duration such as "1.840s"');

const STATES = ["STATE_UNSPECIFIED", "OK", "ERROR", "IN_PROGRESS"] as const satisfies readonly TraceState[];
// Enums travel by name; a server printing enums as integers is tolerated; unset means unspecified.
const state = z
  .union([
    z.enum(STATES),
    z
      .number()
      .int()
      .min(0)
      .max(3)
      .transform((i) => STATES[i]!),
  ])
  .nullish()
  .transform((s): TraceState => s ?? "STATE_UNSPECIFIED");

const SOURCE_TYPES = ["SOURCE_TYPE_UNSPECIFIED", "HUMAN", "LLM_JUDGE", "CODE"] as const satisfies readonly AssessmentSourceType[];
const sourceType = z
  .union([
    z.enum(SOURCE_TYPES),
    z.literal("AI_JUDGE"),
    z
      .number()
      .int()
      .min(0)
      .max(3)
      .transform((i) => SOURCE_TYPES[i]!),
  ])
  .nullish()
  // AI_JUDGE is MLflow's deprecated spelling of LLM_JUDGE.
  .transform((t): AssessmentSourceType => (t === "AI_JUDGE" ? "LLM_JUDGE" : (t ?? "SOURCE_TYPE_UNSPECIFIED")));

const feedbackValue = z.json().transform((v) => v as FeedbackValue);

const assessmentError = z.object({
  error_code: z
    .string()
    .nullish()
    .transform((c) => c ?? ""),
  error_message: z.string().optional(),
  stack_trace: z.string().optional(),
});

export const AssessmentSchema = z
  .object({
    assessment_id: z.string().min(1),
    assessment_name: z.string(),
    trace_id: z.string().min(1),
    span_id: z.string().optional(),
    source: z.object({
      source_type: sourceType,
      source_id: z
        .string()
        .nullish()
        .transform((s) => s ?? ""),
    }),
    create_time: timestamp,
    last_update_time: timestamp,
    feedback: z.object({ value: feedbackValue.optional(), error: assessmentError.optional() }).optional(),
    expectation: z
      .object({
        value: feedbackValue.optional(),
        serialized_value: z.object({ serialization_format: z.string(), value: z.string() }).optional(),
      })
      .optional(),
    rationale: z.string().optional(),
    metadata: stringMap,
    overrides: z.string().optional(),
    valid: z.boolean().optional(),
    // Deprecated top-level error (MLflow moved it into feedback.error): folded in below.
    error: assessmentError.optional(),
  })
  .transform(({ error, ...a }): Assessment => {
    const out = { ...a } as Assessment;
    if (a.span_id === "") delete out.span_id;
    if (error && (out.feedback || !out.expectation)) out.feedback = { ...out.feedback, error: out.feedback?.error ?? error };
    return out;
  });

const traceLocation = z.object({
  type: z.enum(["MLFLOW_EXPERIMENT", "INFERENCE_TABLE"]),
  mlflow_experiment: z.object({ experiment_id: idString }).optional(),
});

export const traceInfoShape = {
  trace_id: z.string().min(1),
  client_request_id: z.string().optional(),
  trace_location: traceLocation,
  request_preview: z.string().optional(),
  response_preview: z.string().optional(),
  request_time: timestamp,
  execution_duration: duration.optional(),
  state,
  trace_metadata: stringMap,
  tags: stringMap,
  assessments: z
    .array(AssessmentSchema)
    .nullish()
    .transform((a) => a ?? []),
};

export const TraceInfoSchema = z.object(traceInfoShape).transform((i): TraceInfoV3 => i as TraceInfoV3);

// ---- experiments ----

export interface RemoteExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage: string;
  tags: Record<string, string>;
  creation_time?: number;
  last_update_time?: number;
}

// Experiment.tags is a list of {key, value}; a map is accepted too.
const experimentTags = z
  .union([z.array(z.object({ key: z.string(), value: z.string().nullish() })), z.record(z.string(), z.string())])
  .nullish()
  .transform((t) => (Array.isArray(t) ? Object.fromEntries(t.map((x) => [x.key, x.value ?? ""])) : (t ?? {})));

export const ExperimentSchema = z
  .object({
    experiment_id: idString,
    name: z.string(),
    lifecycle_stage: z
      .string()
      .nullish()
      .transform((s) => s ?? "active"),
    tags: experimentTags,
    creation_time: int64.optional(),
    last_update_time: int64.optional(),
  })
  .transform((e): RemoteExperiment => e);

// ---- scorers ----

export interface RemoteScorer {
  experiment_id: string;
  scorer_name: string;
  scorer_version: number;
  serialized_scorer: string;
  creation_time?: number;
  scorer_id?: string;
}

export const ScorerSchema = z
  .object({
    experiment_id: idString,
    scorer_name: z.string().min(1),
    scorer_version: int64,
    serialized_scorer: z.string(),
    creation_time: int64.optional(),
    scorer_id: z.string().optional(),
  })
  .transform((s): RemoteScorer => s);

/** RegisterScorer.Response is flat and names its fields differently from the Scorer message. */
export const RegisterScorerAnswer = z
  .object({
    version: int64,
    scorer_id: z.string().optional(),
    experiment_id: idString,
    name: z.string().min(1),
    serialized_scorer: z.string(),
    creation_time: int64.optional(),
  })
  .transform((r): RemoteScorer => ({
    experiment_id: r.experiment_id,
    scorer_name: r.name,
    scorer_version: r.version,
    serialized_scorer: r.serialized_scorer,
    ...(r.creation_time !== undefined ? { creation_time: r.creation_time } : {}),
    ...(r.scorer_id !== undefined ? { scorer_id: r.scorer_id } : {}),
  }));

export interface RemoteOnlineConfig {
  online_scoring_config_id?: string;
  scorer_id: string;
  sample_rate: number;
  filter_string?: string | null;
  experiment_id?: string;
}

export const OnlineConfigSchema = z
  .object({
    online_scoring_config_id: z.string().optional(),
    scorer_id: z.string().min(1),
    // A float; proto3 JSON may print special values as strings, which a rate never is.
    sample_rate: z.number().min(0).max(1),
    filter_string: z.string().nullish(),
    experiment_id: idString.optional(),
  })
  .transform((c): RemoteOnlineConfig => c);

/** PUT online-config answers {config: {...}} or the config itself. */
export const SetOnlineConfigAnswer = z.union([z.object({ config: OnlineConfigSchema }).transform((r) => r.config), OnlineConfigSchema]);

/** A list field of an answer; proto JSON leaves an empty list out. */
export const list = <T>(item: z.ZodType<T, unknown>) =>
  z
    .array(item)
    .nullish()
    .transform((l): T[] => l ?? []);

/** next_page_token: "" and absent both mean the last page. */
export const pageToken = z
  .string()
  .nullish()
  .transform((t) => (t ? t : undefined));
