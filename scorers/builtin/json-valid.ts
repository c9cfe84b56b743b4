import { defineScorer, yesNo } from "../types";
import { assistantText, truncate } from "../text";

export const JsonValid = defineScorer({
  name: "JsonValid",
  description: "Checks that the answer is valid JSON (structured outputs count as JSON already).",
  needs: ["outputs"],
  async score({ outputs }) {
    if (outputs === null || outputs === undefined) return { value: "no", rationale: "The trace has no outputs." };
    // A string output, or the assistant text of a chat-shaped output, must parse; other
    // structured outputs were logged as JSON and are valid by construction.
    const text = typeof outputs === "string" ? outputs : assistantText(outputs);
    if (text === undefined) return { value: "yes", rationale: "The outputs are structured data, which is valid JSON." };
    try {
      JSON.parse(text);
      return { value: yesNo(true), rationale: "The answer parses as JSON." };
    } catch (e) {
      return { value: "no", rationale: `The answer is not valid JSON: ${truncate((e as Error).message, 200)}.` };
    }
  },
});
