import { isErrorSpan } from "../trace";
import { truncate } from "../text";
import { defineScorer, yesNo } from "../types";

export const TraceError = defineScorer({
  name: "TraceError",
  description: "Checks that the trace did not fail: state is not ERROR and no span has an ERROR status (yes = no errors).",
  needs: ["trace"],
  async score({ trace }) {
    const failed = trace.spans.filter(isErrorSpan);
    const stateError = trace.info.state === "ERROR";
    if (!stateError && failed.length === 0) return { value: "yes", rationale: "The trace and all its spans succeeded." };
    const parts: string[] = [];
    if (stateError) parts.push("the trace state is ERROR");
    if (failed.length) {
      const names = failed.map((s) => (s.status_message ? `${s.name} (${truncate(s.status_message, 120)})` : s.name));
      parts.push(`${failed.length} span(s) failed: ${names.join("; ")}`);
    }
    return { value: yesNo(false), rationale: `${parts.join("; ")}.`.replace(/^./, (c) => c.toUpperCase()) };
  },
});
