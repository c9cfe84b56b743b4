import { z } from "zod";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { registerScorer, type Scorer } from "@/lib/monitoring";
import { experimentIdString } from "@/lib/mlflow/proto-json";
import {
  builtinScorers,
  getCustomScorer,
  InstructionsJudge,
  listCustomScorers,
  resolveScorer,
  serializeBuiltin,
  serializeInstructionsJudge,
  serializeVigilModule,
  type AnyScorerModule,
} from "@/scorers";
import { paramFieldsFromJsonSchema, type ParamField } from "@/lib/read/scorers/param-fields";

export interface CatalogEntry {
  /** "builtin:ResponseLength", "module:polite-closing" or "instructions". */
  id: string;
  label: string;
  description: string;
  kind: "code" | "judge";
  source: "builtin" | "module" | "instructions";
  fields: ParamField[];
}

function fieldsOf(m: AnyScorerModule): ParamField[] {
  return paramFieldsFromJsonSchema(
    z.toJSONSchema(m.params as z.ZodType, { unrepresentable: "any", io: "input" }) as Parameters<typeof paramFieldsFromJsonSchema>[0],
  );
}

/** What the register form offers: Vigil's built-ins, the team's scorers in scorers/custom/, and an instructions judge. */
export function listScorerCatalog({ ctx }: VerbArgs<Record<string, never>>): CatalogEntry[] {
  requireRole(ctx.actor, "viewer");
  const builtins = Object.entries(builtinScorers).map(([cls, m]) => ({
    id: `builtin:${cls}`,
    label: cls,
    description: m.description,
    kind: m.kind,
    source: "builtin" as const,
    fields: fieldsOf(m),
  }));
  const modules = listCustomScorers().map((mod) => {
    const m = getCustomScorer(mod)!;
    return { id: `module:${mod}`, label: `${mod} (team scorer)`, description: m.description, kind: m.kind, source: "module" as const, fields: fieldsOf(m) };
  });
  // Only the fields a person writes; the answer type keeps the judge's default.
  const instructions: CatalogEntry = {
    id: "instructions",
    label: "Instructions judge (make_judge)",
    description: InstructionsJudge.description,
    kind: "judge",
    source: "instructions",
    fields: fieldsOf(InstructionsJudge).filter((f) => f.name === "instructions" || f.name === "model"),
  };
  return [...builtins, ...modules, instructions];
}

export const RegisterCatalogScorerInput = z.object({
  experimentId: experimentIdString,
  name: z.string().trim().min(1, "Give the scorer a name."),
  entry: z.string().min(1, "Choose what to register."),
  params: z.record(z.string(), z.unknown()).default({}),
  description: z.string().trim().max(2000).optional(),
});
export type RegisterCatalogScorerInput = z.input<typeof RegisterCatalogScorerInput>;

/** The serialized scorer (MLflow's format) for a catalog entry and its params. */
export function serializeCatalogEntry(i: z.output<typeof RegisterCatalogScorerInput>, defaultModel: string): string {
  const common = { name: i.name, description: i.description || null };
  if (i.entry.startsWith("builtin:")) return serializeBuiltin({ ...common, className: i.entry.slice("builtin:".length), params: i.params });
  if (i.entry.startsWith("module:")) return serializeVigilModule({ ...common, module: i.entry.slice("module:".length), params: i.params });
  if (i.entry === "instructions") {
    const { instructions, model } = i.params as { instructions?: unknown; model?: unknown };
    if (typeof instructions !== "string" || !instructions.trim()) throw new InvalidParameterError("The judge needs instructions.", { field: "instructions" });
    return serializeInstructionsJudge({ ...common, instructions, model: typeof model === "string" && model.trim() ? model.trim() : defaultModel });
  }
  throw new InvalidParameterError(`Unknown scorer '${i.entry}'.`, { field: "entry" });
}

/**
 * Registers a scorer from the dashboard's form. Unlike the MLflow API, which stores anything and
 * shows it as not runnable, the form refuses params the scorer would reject, with the reason.
 */
export function registerCatalogScorer({ ctx, input }: VerbArgs<RegisterCatalogScorerInput>): Scorer {
  const i = RegisterCatalogScorerInput.parse(input);
  const serialized = serializeCatalogEntry(i, ctx.config.VIGIL_JUDGE_MODEL);
  const resolved = resolveScorer(serialized);
  if (!resolved.runnable) throw new InvalidParameterError(resolved.reason, { field: "params" });
  return registerScorer({ ctx, input: { experiment_id: String(i.experimentId), name: i.name, serialized_scorer: serialized } });
}
