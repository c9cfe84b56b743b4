import { z } from "zod";
import { defineScorer, yesNo } from "../types";
import { targetSchema, targetText } from "./target";

const params = z
  .object({
    pattern: z.string().min(1),
    flags: z
      .string()
      .regex(/^[dimsuv]*$/, "flags may only use d, i, m, s, u, v (g and y make test() stateful)")
      .default(""),
    target: targetSchema,
    must_match: z.boolean().default(true),
  })
  .superRefine((p, ctx) => {
    try {
      new RegExp(p.pattern, p.flags);
    } catch (e) {
      ctx.addIssue({ code: "custom", path: ["pattern"], message: `invalid regular expression: ${(e as Error).message}` });
    }
  });

export const RegexMatch = defineScorer({
  name: "RegexMatch",
  description: "Checks that the answer (or the request) matches, or must not match, a regular expression.",
  needs: ["inputs", "outputs"],
  params,
  async score(input, p) {
    const matched = new RegExp(p.pattern, p.flags).test(targetText(input, p.target));
    const expectation = p.must_match ? "must match" : "must not match";
    return {
      value: yesNo(matched === p.must_match),
      rationale: `The ${p.target} ${matched ? "match" : "do not match"} /${p.pattern}/${p.flags}, which ${expectation}.`,
    };
  },
});
