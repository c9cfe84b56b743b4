// What each kind of rule takes, as zod schemas: one validation for REST, the dashboard and config
// as code, so a bad threshold is refused the same way everywhere, naming the field.
import { z } from "zod";
import { alertRuleKinds, alertSeverities } from "@/db/schema/alerts";
import { InvalidParameterError } from "@/lib/core";

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;
/** Rollups are hourly: a window must hold whole buckets. */
export const BUCKET_MS = HOUR_MS;

const UNITS: Record<string, number> = { s: 1000, m: MINUTE_MS, h: HOUR_MS, d: DAY_MS };

/** "90s", "15m", "1h", "7d", or a number of milliseconds. */
export function parseDurationText(v: unknown): number | null {
  if (typeof v === "number") return Number.isSafeInteger(v) && v >= 0 ? v : null;
  if (typeof v !== "string") return null;
  const m = /^\s*(\d+)\s*(s|m|h|d)\s*$/.exec(v);
  return m ? Number(m[1]) * UNITS[m[2]!]! : null;
}

export function formatDuration(ms: number): string {
  if (ms === 0) return "0s";
  for (const [u, size] of [
    ["d", DAY_MS],
    ["h", HOUR_MS],
    ["m", MINUTE_MS],
    ["s", 1000],
  ] as const) {
    if (ms >= size && ms % size === 0) return `${ms / size}${u}`;
  }
  return `${ms}ms`;
}

const duration = (min: number, what: string) =>
  z.unknown().transform((v, c) => {
    const ms = parseDurationText(v);
    if (ms === null) {
      c.addIssue({ code: "custom", message: 'must be a duration such as "15m", "1h", "7d" (or milliseconds)' });
      return z.NEVER;
    }
    if (ms < min) {
      c.addIssue({ code: "custom", message: `must be at least ${formatDuration(min)} (${what})` });
      return z.NEVER;
    }
    return ms;
  });

const wholeBuckets = (ms: number) => ms % BUCKET_MS === 0;
const window = duration(BUCKET_MS, "one rollup bucket").refine(wholeBuckets, "must be a whole number of hours (rollups are hourly)");
const probability = z.number().gt(0, "must be above 0").lt(1, "must be below 1");

export const RuleParams = {
  quality_drop: z
    .object({
      metric: z.enum(["auto", "mean", "pass_rate"]).default("auto"),
      /** Recent window (ending now, the current hour included) and the baseline before it. */
      window: window.default(HOUR_MS),
      baseline: window.default(DAY_MS),
      /** Significance level of the two-sided test (two-proportion z or Welch's t). */
      alpha: z.number().gt(0, "must be above 0").max(0.2, "must be at most 0.2").default(0.01),
      /** Smallest drop worth a page: pass-rate points (0.1 = 10 points) or score units for means. */
      min_effect: z.number().gt(0, "must be above 0").default(0.1),
      /** Assessments the recent window must hold before anything is judged. */
      min_count: z.number().int().min(2, "must be at least 2").default(30),
      direction: z.enum(["down", "up"]).default("down"),
    })
    .strict()
    .refine((p) => p.baseline >= p.window, { message: "must be at least as long as window", path: ["baseline"] }),
  error_rate: z
    .object({
      window: window.default(HOUR_MS),
      /** Fires when the error rate is above this with `confidence` (Wilson lower bound). */
      max_rate: probability.default(0.1),
      confidence: z.number().min(0.5, "must be at least 0.5").lt(1, "must be below 1").default(0.95),
      min_count: z.number().int().min(1, "must be at least 1").default(20),
    })
    .strict(),
  scorer_paused: z.object({}).strict(),
  budget: z.object({ percent: z.number().gt(0, "must be above 0").max(1000, "must be at most 1000").default(100) }).strict(),
  lag: z
    .object({
      max_lag: duration(MINUTE_MS, "the evaluation interval").default(15 * MINUTE_MS),
      max_backlog: z.number().int().min(1, "must be at least 1").default(10_000),
    })
    .strict(),
  no_traffic: z.object({ period: duration(5 * MINUTE_MS, "five minutes").default(HOUR_MS) }).strict(),
} satisfies Record<(typeof alertRuleKinds)[number], z.ZodType>;

export type RuleKind = (typeof alertRuleKinds)[number];
export type ParamsOf<K extends RuleKind> = z.output<(typeof RuleParams)[K]>;
export type AnyParams = { [K in RuleKind]: ParamsOf<K> }[RuleKind];

/** Kinds that watch one scorer (or each scorer); the others watch the whole experiment. */
export const SCORER_KINDS: readonly RuleKind[] = ["quality_drop", "error_rate", "scorer_paused", "budget"];

export const RuleSpec = z
  .object({
    name: z
      .string()
      .trim()
      .min(1, "is required")
      .max(300, "is at most 300 characters")
      .regex(/^[^\u0000-\u001f]+$/, "may not hold control characters"),
    kind: z.enum(alertRuleKinds),
    /** A scorer's name; null or "*" for every scorer. */
    scorer: z.string().trim().min(1).nullable().optional(),
    params: z.record(z.string(), z.unknown()).default({}),
    for: duration(0, "").default(0),
    severity: z.enum(alertSeverities).default("warning"),
    enabled: z.boolean().default(true),
  })
  .strict();
export type RuleSpecInput = z.input<typeof RuleSpec>;

export interface ValidRule {
  name: string;
  kind: RuleKind;
  scorerName: string | null;
  params: AnyParams;
  forMs: number;
  severity: (typeof alertSeverities)[number];
  enabled: boolean;
}

const issueText = (e: z.ZodError, prefix: string) =>
  e.issues.map((i) => `'${[prefix, ...i.path.map(String)].filter(Boolean).join(".") || "value"}' ${i.message}`).join("; ");

/** Validates a rule declaration; an InvalidParameterError names every wrong field. */
export function validateRule(input: unknown): ValidRule {
  const r = RuleSpec.safeParse(input);
  if (!r.success) throw new InvalidParameterError(`Invalid alert rule: ${issueText(r.error, "")}`);
  const spec = r.data;
  const params = RuleParams[spec.kind].safeParse(spec.params);
  if (!params.success) throw new InvalidParameterError(`Invalid alert rule: ${issueText(params.error, "params")}`);
  const scorer = spec.scorer === undefined || spec.scorer === null || spec.scorer === "*" ? null : spec.scorer;
  if (scorer !== null && !SCORER_KINDS.includes(spec.kind)) {
    throw new InvalidParameterError(`Invalid alert rule: 'scorer' does not apply to ${spec.kind} (it watches the whole experiment).`);
  }
  return {
    name: spec.name,
    kind: spec.kind,
    scorerName: scorer,
    params: params.data as AnyParams,
    forMs: spec.for,
    severity: spec.severity,
    enabled: spec.enabled,
  };
}
