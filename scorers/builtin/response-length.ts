import { z } from "zod";
import { defineScorer, yesNo } from "../types";
import { outputText } from "../text";

const params = z
  .object({
    min: z.number().int().min(0).optional(),
    max: z.number().int().min(0).optional(),
  })
  .refine((p) => p.min !== undefined || p.max !== undefined, "give min, max or both")
  .refine((p) => p.min === undefined || p.max === undefined || p.min <= p.max, "min must not exceed max");

/** Answer length in characters (code points, so an emoji counts once). */
export const ResponseLength = defineScorer({
  name: "ResponseLength",
  description: "Checks that the answer's length in characters is within [min, max].",
  needs: ["outputs"],
  params,
  async score({ outputs }, p) {
    const length = [...outputText(outputs)].length;
    const tooShort = p.min !== undefined && length < p.min;
    const tooLong = p.max !== undefined && length > p.max;
    const bounds = `${p.min ?? 0}–${p.max ?? "∞"}`;
    const verdict = tooShort ? "shorter than the minimum" : tooLong ? "longer than the maximum" : "within bounds";
    return {
      value: yesNo(!tooShort && !tooLong),
      rationale: `The answer is ${length} characters long (allowed ${bounds}): ${verdict}.`,
      metadata: { length: String(length) },
    };
  },
});
