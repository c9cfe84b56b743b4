// A scorer's params schema (JSON Schema from its zod params) as simple form fields, and the
// form's text back to params. Pure and free of server imports: the register form uses it too.

export type ParamFieldType = "text" | "number" | "integer" | "boolean" | "select" | "list" | "json";

export interface ParamField {
  name: string;
  type: ParamFieldType;
  required: boolean;
  options?: string[];
  /** The default as the form shows it (text), if any. */
  defaultText?: string;
  defaultBool?: boolean;
  hint?: string;
}

type Schema = {
  type?: string | string[];
  enum?: unknown[];
  items?: Schema;
  anyOf?: Schema[];
  default?: unknown;
  description?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  properties?: Record<string, Schema>;
  required?: string[];
};

function kindOf(s: Schema): ParamFieldType {
  const variants = (s.anyOf ?? [s]).filter((v) => v.type !== "null");
  if (variants.length === 1) {
    const v = variants[0]!;
    if (v.type === "string" && v.enum) return "select";
    if (v.type === "string") return "text";
    if (v.type === "integer") return "integer";
    if (v.type === "number") return "number";
    if (v.type === "boolean") return "boolean";
    if (v.type === "array" && v.items?.type === "string") return "list";
    return "json";
  }
  // "a string or a list of strings" (Guidelines) reads best as one item per line.
  if (variants.every((v) => v.type === "string" || (v.type === "array" && v.items?.type === "string"))) return "list";
  return "json";
}

function hintOf(s: Schema, type: ParamFieldType): string | undefined {
  const parts: string[] = [];
  if (s.description) parts.push(s.description);
  if (type === "list") parts.push("one per line");
  if (s.minimum !== undefined && s.minimum !== 0) parts.push(`at least ${s.minimum}`);
  if (s.exclusiveMinimum !== undefined) parts.push(`above ${s.exclusiveMinimum}`);
  if (s.maximum !== undefined && s.maximum < Number.MAX_SAFE_INTEGER) parts.push(`at most ${s.maximum}`);
  return parts.length ? parts.join(", ") : undefined;
}

export function paramFieldsFromJsonSchema(schema: Schema): ParamField[] {
  const required = new Set(schema.required ?? []);
  return Object.entries(schema.properties ?? {}).map(([name, s]) => {
    const type = kindOf(s);
    const f: ParamField = { name, type, required: required.has(name) };
    const opts = (s.anyOf ?? [s]).find((v) => v.enum)?.enum;
    if (type === "select" && opts) f.options = opts.map(String);
    if (s.default !== undefined) {
      if (type === "boolean") f.defaultBool = Boolean(s.default);
      else if (type === "list" && Array.isArray(s.default)) f.defaultText = s.default.join("\n");
      else if (type === "json") f.defaultText = JSON.stringify(s.default, null, 2);
      else f.defaultText = String(s.default);
    }
    const hint = hintOf((s.anyOf ?? [s]).find((v) => v.type !== "null") ?? s, type);
    if (hint) f.hint = hint;
    return f;
  });
}

export type ParamValues = Record<string, string | boolean>;

/** The form's values as params; blank optional fields are left out so the scorer's defaults apply. */
export function paramsFromValues(fields: readonly ParamField[], values: ParamValues): { params: Record<string, unknown>; errors: Record<string, string> } {
  const params: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  for (const f of fields) {
    const raw = values[f.name];
    if (f.type === "boolean") {
      params[f.name] = raw === true;
      continue;
    }
    const text = typeof raw === "string" ? raw.trim() : "";
    if (text === "") {
      if (f.required) errors[f.name] = "Required.";
      continue;
    }
    switch (f.type) {
      case "number":
      case "integer": {
        const n = Number(text);
        if (!Number.isFinite(n) || (f.type === "integer" && !Number.isInteger(n)))
          errors[f.name] = f.type === "integer" ? "Enter a whole number." : "Enter a number.";
        else params[f.name] = n;
        break;
      }
      case "list": {
        const items = text
          .split("\n")
          .map((l) => l.trim())
          .filter(Boolean);
        params[f.name] = items;
        break;
      }
      case "json":
        try {
          params[f.name] = JSON.parse(text);
        } catch {
          errors[f.name] = "Enter valid JSON.";
        }
        break;
      default:
        params[f.name] = text;
    }
  }
  return { params, errors };
}

/** The form's starting values: each field's default. */
export function initialValues(fields: readonly ParamField[]): ParamValues {
  return Object.fromEntries(fields.map((f) => [f.name, f.type === "boolean" ? (f.defaultBool ?? false) : (f.defaultText ?? "")]));
}
