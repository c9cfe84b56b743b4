import { z } from "zod";
import { defineScorer, yesNo } from "../types";
import { targetSchema, targetText } from "./target";

const params = z.object({
  keywords: z.array(z.string().trim().min(1)).min(1),
  whole_word: z.boolean().default(false),
  target: targetSchema,
});

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** Unicode-aware word boundary: \b only knows ASCII letters, so "café" would split at "é". */
function keywordPattern(keyword: string, wholeWord: boolean): RegExp {
  const body = escape(keyword);
  return wholeWord ? new RegExp(`(?<![\\p{L}\\p{N}_])${body}(?![\\p{L}\\p{N}_])`, "iu") : new RegExp(body, "iu");
}

export const KeywordAbsent = defineScorer({
  name: "KeywordAbsent",
  description: "Checks that none of the listed keywords appears (case-insensitive, optionally whole words only).",
  needs: ["inputs", "outputs"],
  params,
  async score(input, p) {
    const text = targetText(input, p.target);
    const found = p.keywords.filter((k) => keywordPattern(k, p.whole_word).test(text));
    return {
      value: yesNo(found.length === 0),
      rationale: found.length
        ? `The ${p.target} contain ${found.length} forbidden keyword(s): ${found.map((k) => `"${k}"`).join(", ")}.`
        : `None of the ${p.keywords.length} keyword(s) appears in the ${p.target}.`,
    };
  },
});
