// Config as code: one file declares an experiment's production scorers with their sampling. This
// module validates a declaration and turns it into what gets registered (serialized_scorer JSON,
// rate, filter); the CLI (scripts/cli.ts) compares that with the server and applies the plan.
import { z } from "zod";
import { InvalidParameterError } from "@/lib/core";
import { resolveScorer, serializeBuiltin, serializeInstructionsJudge, serializeVigilModule, validateScorerName, type JudgeValueType } from "@/scorers";
import { validateRule, type RuleSpecInput, type ValidRule } from "@/lib/alerts/rule-params";
import { normalizeFilter, parseSampleRate } from "./lifecycle";

const Common = {
  name: z.string(),
  description: z.string().optional(),
  /** 0 < rate <= 1 starts it; 0 registers it and keeps it stopped. */
  sampleRate: z.number(),
  /** MLflow trace-search filter; left out or null: every trace. */
  filterString: z.string().nullable().optional(),
  /** A changed definition starts as a shadow of the live version (removing it later promotes the shadow). */
  shadow: z.boolean().optional(),
};

const Declarations = {
  /** A built-in by class name: Vigil's code scorers (PIILeak, ...) or MLflow's judges (Safety, ...). */
  builtin: z.object({ ...Common, builtin: z.string().min(1), params: z.record(z.string(), z.unknown()).optional() }).strict(),
  /** A team scorer from scorers/custom/, by module name. */
  module: z.object({ ...Common, module: z.string().min(1), params: z.record(z.string(), z.unknown()).optional() }).strict(),
  /** MLflow's make_judge: free instructions with {{ inputs }} / {{ outputs }} / {{ expectations }}. */
  instructions: z.object({ ...Common, instructions: z.string().min(1), model: z.string().min(1), valueType: z.custom<JudgeValueType>().optional() }).strict(),
  /** Any other SerializedScorer, kept as given (it may not be runnable here). */
  serialized: z.object({ ...Common, serialized: z.record(z.string(), z.unknown()) }).strict(),
};
const KINDS = Object.keys(Declarations) as (keyof typeof Declarations)[];

export const ScorerDeclaration = z.union([Declarations.builtin, Declarations.module, Declarations.instructions, Declarations.serialized]);
export type ScorerDeclaration = z.input<typeof ScorerDeclaration>;

export const ScorersConfig = z
  .object({
    /** The experiment by name (created by `apply` if missing) or by id. */
    experiment: z.string().min(1).optional(),
    experimentId: z.string().regex(/^\d+$/, "must be a decimal experiment id").optional(),
    scorers: z.array(z.unknown()),
    /** Alert rules (docs/alerts.md), applied after the scorers; rules are matched by name. */
    alerts: z.array(z.unknown()).optional(),
  })
  .strict()
  .refine((c) => (c.experiment === undefined) !== (c.experimentId === undefined), "give exactly one of experiment (a name) or experimentId");
export type ScorersConfig = Omit<z.input<typeof ScorersConfig>, "scorers" | "alerts"> & { scorers: ScorerDeclaration[]; alerts?: RuleSpecInput[] };

/** Identity with types: `export default defineScorersConfig({ ... })` in scorers.config.ts. */
export function defineScorersConfig(config: ScorersConfig): ScorersConfig {
  return config;
}

/** What one declaration registers: the exact serialized_scorer text plus its sampling. */
export interface DesiredScorer {
  name: string;
  serializedScorer: string;
  sampleRate: number;
  filterString: string | null;
  /** A new definition is registered as a shadow of the live version instead of replacing it. */
  shadow?: boolean;
}

export interface ResolvedConfig {
  experiment: { name: string } | { id: string };
  scorers: DesiredScorer[];
  alerts: ValidRule[];
  /** Declarations that will be stored but that Vigil cannot run (raw `serialized` payloads). */
  warnings: string[];
}

function serialize(d: z.output<typeof ScorerDeclaration>): string {
  const common = { name: d.name, description: d.description };
  if ("builtin" in d) return serializeBuiltin({ ...common, className: d.builtin, params: d.params });
  if ("module" in d) return serializeVigilModule({ ...common, module: d.module, params: d.params });
  if ("instructions" in d) return serializeInstructionsJudge({ ...common, instructions: d.instructions, model: d.model, valueType: d.valueType });
  return JSON.stringify({ ...d.serialized, name: d.name });
}

/** Picks the declaration kind by its payload key, so errors name the field that is wrong. */
function parseDeclaration(entry: unknown): z.output<typeof ScorerDeclaration> {
  if (entry === null || typeof entry !== "object") throw new InvalidParameterError("each scorer must be an object");
  const kinds = KINDS.filter((k) => k in entry);
  if (kinds.length !== 1) {
    throw new InvalidParameterError(`give exactly one of ${KINDS.join(", ")}${kinds.length ? ` (got ${kinds.join(" and ")})` : ""}`);
  }
  return Declarations[kinds[0]!].parse(entry);
}

const messageOf = (e: unknown) =>
  e instanceof z.ZodError ? e.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ") : (e as Error).message;

/**
 * Validates a whole config file before anything is sent: names, rates, filters, and that every
 * built-in, module or judge declaration is runnable here (bad params fail now, not at 3 a.m.).
 * Throws InvalidParameterError listing every problem.
 */
export function resolveScorersConfig(raw: unknown): ResolvedConfig {
  const parsed = ScorersConfig.safeParse(raw);
  if (!parsed.success) throw new InvalidParameterError(`Invalid scorers config: ${messageOf(parsed.error)}`);
  const problems: string[] = [];
  const warnings: string[] = [];
  const out: DesiredScorer[] = [];
  const seen = new Set<string>();
  parsed.data.scorers.forEach((entry, index) => {
    const label = `scorers[${index}]${entry && typeof entry === "object" && "name" in entry ? ` (${String((entry as { name: unknown }).name)})` : ""}`;
    try {
      const d = parseDeclaration(entry);
      validateScorerName(d.name);
      if (seen.has(d.name)) throw new InvalidParameterError(`the name '${d.name}' is declared twice`);
      seen.add(d.name);
      const sampleRate = parseSampleRate(d.sampleRate, "sampleRate");
      const filterString = normalizeFilter(d.filterString);
      const serializedScorer = serialize(d);
      const resolved = resolveScorer(serializedScorer);
      if (!resolved.runnable) {
        if (!("serialized" in d)) throw new InvalidParameterError(resolved.reason);
        warnings.push(`${d.name}: ${resolved.reason}`);
      }
      if (d.shadow && sampleRate === 0)
        throw new InvalidParameterError("shadow: a shadow scores the live version's sampled traces, so sampleRate must be above 0");
      out.push({ name: d.name, serializedScorer, sampleRate, filterString, shadow: d.shadow === true });
    } catch (e) {
      problems.push(`${label}: ${messageOf(e)}`);
    }
  });
  const alerts: ValidRule[] = [];
  (parsed.data.alerts ?? []).forEach((entry, index) => {
    try {
      const rule = validateRule(entry);
      if (alerts.some((a) => a.name === rule.name)) throw new InvalidParameterError(`the alert name '${rule.name}' is declared twice`);
      if (rule.scorerName !== null && !seen.has(rule.scorerName))
        throw new InvalidParameterError(`'scorer' names no scorer declared in this file ('${rule.scorerName}')`);
      alerts.push(rule);
    } catch (e) {
      problems.push(`alerts[${index}]: ${messageOf(e)}`);
    }
  });
  if (problems.length) throw new InvalidParameterError(`Invalid scorers config:\n  ${problems.join("\n  ")}`);
  const c = parsed.data;
  return { experiment: c.experiment !== undefined ? { name: c.experiment } : { id: c.experimentId! }, scorers: out, alerts, warnings };
}
