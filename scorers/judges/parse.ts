// Turning a judge model's answer into a feedback value. The rule is "never guess": an answer that
// is not JSON, lacks a result, or gives a value outside the declared domain is a permanent error.
import { ScorerError } from "../errors";
import { truncate } from "../text";
import type { FeedbackValue } from "@/lib/mlflow/types";

export type JudgeValueType =
  { kind: "categorical"; options: string[] } | { kind: "number"; integer?: boolean; min?: number; max?: number } | { kind: "boolean" } | { kind: "string" };

export const YES_NO: JudgeValueType = { kind: "categorical", options: ["yes", "no"] };

/** JSON schema for the `result` field of the structured answer we ask for. */
export function resultSchema(t: JudgeValueType): Record<string, unknown> {
  switch (t.kind) {
    case "categorical":
      return { type: "string", enum: t.options };
    case "number":
      return { type: t.integer ? "integer" : "number" };
    case "boolean":
      return { type: "boolean" };
    case "string":
      return { type: "string" };
  }
}

/** Describes the domain in words, for the prompt and for error messages. */
export function describeDomain(t: JudgeValueType): string {
  switch (t.kind) {
    case "categorical":
      return `one of ${t.options.map((o) => `"${o}"`).join(", ")}`;
    case "number": {
      const range = t.min !== undefined || t.max !== undefined ? ` between ${t.min ?? "-∞"} and ${t.max ?? "∞"}` : "";
      return `${t.integer ? "an integer" : "a number"}${range}`;
    }
    case "boolean":
      return "true or false";
    case "string":
      return "a string";
  }
}

/** The JSON inside a ```json fence if there is one, else the trimmed text. */
export function unfence(content: string): string {
  const t = content.trim();
  const fenced = /```(?:json|JSON)?[ \t]*\r?\n?([\s\S]*?)```/.exec(t);
  return fenced ? fenced[1]!.trim() : t;
}

function invalid(message: string, content: string): ScorerError {
  return new ScorerError("permanent", `${message}; not guessing a value. Judge answered: ${truncate(content, 300)}`);
}

function coerce(raw: unknown, t: JudgeValueType, content: string): FeedbackValue {
  const outOfDomain = () => invalid(`Judge result ${truncate(JSON.stringify(raw) ?? String(raw), 80)} is outside the domain (${describeDomain(t)})`, content);
  switch (t.kind) {
    case "categorical": {
      if (typeof raw !== "string") throw outOfDomain();
      // Case and surrounding spaces are formatting, not meaning: "Yes" is "yes".
      const hit = t.options.find((o) => o.toLowerCase() === raw.trim().toLowerCase());
      if (hit === undefined) throw outOfDomain();
      return hit;
    }
    case "number": {
      const n = typeof raw === "number" ? raw : typeof raw === "string" && /^-?\d+(\.\d+)?$/.test(raw.trim()) ? Number(raw) : NaN;
      if (!Number.isFinite(n) || (t.integer && !Number.isInteger(n))) throw outOfDomain();
      if ((t.min !== undefined && n < t.min) || (t.max !== undefined && n > t.max)) throw outOfDomain();
      return n;
    }
    case "boolean": {
      if (typeof raw === "boolean") return raw;
      if (typeof raw === "string" && /^(true|false)$/i.test(raw.trim())) return raw.trim().toLowerCase() === "true";
      throw outOfDomain();
    }
    case "string": {
      if (typeof raw !== "string") throw outOfDomain();
      return raw;
    }
  }
}

/** Parses `{"result": ..., "rationale": "..."}`, tolerating a fenced code block around it. */
export function parseJudgeAnswer(content: string, t: JudgeValueType): { value: FeedbackValue; rationale: string } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(unfence(content));
  } catch {
    throw invalid("Judge answer is not valid JSON", content);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed) || !("result" in parsed)) {
    throw invalid('Judge answer has no "result" field', content);
  }
  const obj = parsed as { result: unknown; rationale?: unknown };
  const value = coerce(obj.result, t, content);
  const rationale = typeof obj.rationale === "string" && obj.rationale.trim() ? obj.rationale.trim() : "(The judge gave no rationale.)";
  return { value, rationale };
}

/**
 * MLflow stores make_judge's feedback_value_type as the JSON schema pydantic makes for it
 * (e.g. {"type": "string", "enum": ["yes", "no"]}, {"type": "number"}); map it to ours.
 * Throws a plain Error with a reason for shapes we cannot honour (dict and list results).
 */
export function valueTypeFromSchema(schema: unknown): JudgeValueType {
  if (schema === undefined || schema === null) return { kind: "string" }; // MLflow's default is str
  const s = schema as { type?: unknown; enum?: unknown; minimum?: unknown; maximum?: unknown };
  if (Array.isArray(s.enum)) {
    if (s.enum.length === 0 || !s.enum.every((e) => typeof e === "string")) throw new Error("enum feedback types must list strings");
    return { kind: "categorical", options: s.enum as string[] };
  }
  const range = {
    ...(typeof s.minimum === "number" ? { min: s.minimum } : {}),
    ...(typeof s.maximum === "number" ? { max: s.maximum } : {}),
  };
  if (s.type === "number") return { kind: "number", ...range };
  if (s.type === "integer") return { kind: "number", integer: true, ...range };
  if (s.type === "boolean") return { kind: "boolean" };
  if (s.type === "string") return { kind: "string" };
  throw new Error(`feedback_value_type ${JSON.stringify(schema)} is not supported (use yes/no, an enum, number, integer, boolean or string)`);
}

/** The inverse of valueTypeFromSchema, in the shape MLflow writes. */
export function schemaFromValueType(t: JudgeValueType): Record<string, unknown> {
  const base = { title: "Result", ...resultSchema(t) };
  if (t.kind === "number") {
    return { ...base, ...(t.min !== undefined ? { minimum: t.min } : {}), ...(t.max !== undefined ? { maximum: t.max } : {}) };
  }
  return base;
}
