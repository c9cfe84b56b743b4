import { z } from "zod";
import { ScorerError } from "../errors";
import { executionTimeMs } from "../trace";
import { defineScorer, yesNo } from "../types";

export const LatencyBudget = defineScorer({
  name: "LatencyBudget",
  description: "Checks that the trace's execution time is within a budget in milliseconds.",
  needs: ["trace"],
  params: z.object({ max_ms: z.number().positive() }),
  async score({ trace }, p) {
    const ms = executionTimeMs(trace);
    // Without a duration there is nothing to judge; retrying will not produce one.
    if (ms === null) throw new ScorerError("permanent", "The trace has no execution time (is it complete?).");
    return {
      value: yesNo(ms <= p.max_ms),
      rationale: `The trace took ${ms} ms against a budget of ${p.max_ms} ms${ms > p.max_ms ? `: ${Math.round(ms - p.max_ms)} ms over` : ""}.`,
      metadata: { execution_time_ms: String(ms) },
    };
  },
});
