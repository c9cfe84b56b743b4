import { isErrorSpan, spansOfType } from "../trace";
import { truncate } from "../text";
import { defineScorer, yesNo } from "../types";

export const ToolCallErrors = defineScorer({
  name: "ToolCallErrors",
  description: "Checks that no TOOL span ended with an ERROR status (yes = no failed tool calls).",
  needs: ["trace"],
  async score({ trace }) {
    const tools = spansOfType(trace, "TOOL");
    const failed = tools.filter(isErrorSpan);
    if (tools.length === 0) return { value: "yes", rationale: "The trace made no tool calls." };
    if (failed.length === 0) return { value: "yes", rationale: `All ${tools.length} tool call(s) succeeded.` };
    const names = failed.map((s) => (s.status_message ? `${s.name} (${truncate(s.status_message, 120)})` : s.name));
    return {
      value: yesNo(false),
      rationale: `${failed.length} of ${tools.length} tool call(s) failed: ${names.join("; ")}.`,
      metadata: { failed_tools: [...new Set(failed.map((s) => s.name))].join(",") },
    };
  },
});
