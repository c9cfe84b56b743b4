import { describe, expect, it } from "vitest";
import { z } from "zod";
import { initialValues, paramFieldsFromJsonSchema, paramsFromValues } from "@/lib/read/scorers/param-fields";

const schema = (t: z.ZodType) => z.toJSONSchema(t, { unrepresentable: "any", io: "input" }) as Parameters<typeof paramFieldsFromJsonSchema>[0];

describe("paramFieldsFromJsonSchema", () => {
  it("maps each kind of param to a field", () => {
    const fields = paramFieldsFromJsonSchema(
      schema(
        z.object({
          pattern: z.string().min(1),
          target: z.enum(["outputs", "inputs"]).default("outputs"),
          must_match: z.boolean().default(true),
          max_ms: z.number().positive(),
          tail: z.number().int().min(20).max(2000).default(160),
          closings: z.array(z.string()).default(["thanks", "bye"]),
          guidelines: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
          model: z.string().min(1).nullable().optional(),
          extra: z.record(z.string(), z.unknown()).optional(),
        }),
      ),
    );
    expect(fields).toEqual([
      { name: "pattern", type: "text", required: true },
      { name: "target", type: "select", required: false, options: ["outputs", "inputs"], defaultText: "outputs" },
      { name: "must_match", type: "boolean", required: false, defaultBool: true },
      { name: "max_ms", type: "number", required: true, hint: "above 0" },
      { name: "tail", type: "integer", required: false, defaultText: "160", hint: "at least 20, at most 2000" },
      { name: "closings", type: "list", required: false, defaultText: "thanks\nbye", hint: "one per line" },
      { name: "guidelines", type: "list", required: true, hint: "one per line" },
      { name: "model", type: "text", required: false },
      { name: "extra", type: "json", required: false },
    ]);
  });
});

describe("paramsFromValues", () => {
  const fields = paramFieldsFromJsonSchema(
    schema(
      z.object({
        pattern: z.string(),
        n: z.number().int().optional(),
        on: z.boolean().default(false),
        list: z.array(z.string()).optional(),
        j: z.unknown().optional(),
      }),
    ),
  );

  it("converts text to typed params and leaves blank optionals out", () => {
    expect(paramsFromValues(fields, { pattern: " ^a ", n: "3", on: true, list: "a\n\n b \n", j: "" })).toEqual({
      params: { pattern: "^a", n: 3, on: true, list: ["a", "b"] },
      errors: {},
    });
  });

  it.each([
    [{ pattern: "" }, { pattern: "Required." }],
    [{ pattern: "x", n: "2.5" }, { n: "Enter a whole number." }],
    [{ pattern: "x", j: "{nope" }, { j: "Enter valid JSON." }],
  ])("reports %j", (values, errors) => {
    expect(paramsFromValues(fields, values).errors).toEqual(errors);
  });

  it("starts from the defaults", () => {
    expect(initialValues(fields)).toEqual({ pattern: "", n: "", on: false, list: "", j: "" });
  });
});
