// Example team session scorer: did the user have to ask the same thing twice? A repeated user
// message is a cheap sign the assistant missed it the first time. Copy this file for your own.
import { z } from "zod";
import { conversationMessages } from "../conversation";
import { defineScorer, yesNo } from "../types";

const normalize = (text: string) =>
  text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, " ")
    .trim();

export default defineScorer({
  name: "repeated-question",
  level: "session",
  description: "Session check: passes when no user message repeats an earlier one of the same conversation.",
  params: z.object({
    /** Messages shorter than this (after normalizing) are ignored: "yes", "thanks" repeat naturally. */
    min_chars: z.number().int().min(1).max(1000).default(12),
  }),
  async score({ turns }, p) {
    const seen = new Map<string, number>();
    let turn = 0;
    for (const m of conversationMessages(turns)) {
      if (m.role !== "user") continue;
      turn++;
      const key = normalize(m.content);
      if (key.length < p.min_chars) continue;
      const first = seen.get(key);
      if (first !== undefined)
        return { value: yesNo(false), rationale: `The user repeated turn ${first}'s message in turn ${turn}.`, metadata: { repeated_turn: String(turn) } };
      seen.set(key, turn);
    }
    return { value: yesNo(true), rationale: `No user message repeats an earlier one (${turns.length} turns).` };
  },
});
