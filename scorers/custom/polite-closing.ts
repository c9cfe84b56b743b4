// Example team scorer: does the support answer end politely? Copy this file to start your own.
import { z } from "zod";
import { outputText } from "../text";
import { defineScorer, yesNo } from "../types";

const DEFAULT_CLOSINGS = [
  "let me know if",
  "happy to help",
  "glad to help",
  "anything else",
  "have a great day",
  "have a nice day",
  "thank you",
  "thanks",
  "best regards",
  "kind regards",
];

export default defineScorer({
  name: "polite-closing",
  description: "Checks that the answer's last sentence or two close politely (thanks, offer of more help, a good wish).",
  needs: ["outputs"],
  params: z.object({
    closings: z.array(z.string().trim().min(1)).min(1).default(DEFAULT_CLOSINGS),
    /** Only the end of the answer counts: politeness buried mid-answer is not a closing. */
    tail_chars: z.number().int().min(20).max(2000).default(160),
  }),
  async score({ outputs }, p) {
    const text = outputText(outputs).trim();
    if (!text) return { value: "no", rationale: "The answer is empty." };
    const tail = text.slice(-p.tail_chars).toLowerCase();
    const hit = p.closings.find((c) => tail.includes(c.toLowerCase()));
    return {
      value: yesNo(hit !== undefined),
      rationale: hit
        ? `The answer closes politely ("${hit}").`
        : `None of the ${p.closings.length} polite closings appears in the last ${p.tail_chars} characters.`,
    };
  },
});
