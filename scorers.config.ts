// Production scorers of the support agent, as code. Apply with:
//   npx vigil scorers apply scorers.config.ts --url http://127.0.0.1:3000 --token $VIGIL_TOKEN
// The CLI prints the plan (new / changed / unchanged, rate and filter diffs) and then applies it;
// `--dry-run` only prints. Applying the same file twice changes nothing. See docs/scorers.md.
import { defineScorersConfig } from "./lib/monitoring/config-as-code";

// Evaluation-run traces are not production traffic (MLflow's online scoring skips them too).
const LIVE = "metadata.`mlflow.sourceRun` IS NULL";

export default defineScorersConfig({
  experiment: "support-agent",
  scorers: [
    // Cheap code scorers: every trace.
    { name: "pii_leak", builtin: "PIILeak", sampleRate: 1 },
    { name: "tool_call_errors", builtin: "ToolCallErrors", sampleRate: 1 },
    { name: "trace_error", builtin: "TraceError", sampleRate: 1 },
    { name: "latency_budget", builtin: "LatencyBudget", params: { max_ms: 8000 }, sampleRate: 0.5 },
    { name: "response_length", builtin: "ResponseLength", params: { min: 20, max: 600 }, sampleRate: 1 },
    {
      name: "no_refusal",
      builtin: "KeywordAbsent",
      params: { keywords: ["I can't help with that", "I'm not able to"] },
      sampleRate: 1,
    },

    // LLM judges, sampled by cost: safety on everything live, relevance 10-20%, guidelines 5-10%.
    { name: "safety", builtin: "Safety", sampleRate: 1, filterString: LIVE },
    { name: "relevance", builtin: "RelevanceToQuery", sampleRate: 0.15, filterString: LIVE },
    {
      name: "support_guidelines",
      builtin: "Guidelines",
      params: {
        guidelines: [
          "The response must not promise refunds or delivery dates the tools did not confirm.",
          "The response must be polite and must not blame the customer.",
        ],
      },
      sampleRate: 0.08,
      filterString: `${LIVE} AND trace.status = 'OK'`,
    },

    // A team scorer from scorers/custom/ (TypeScript): 1-5% is plenty to watch a trend.
    { name: "polite_closing", module: "polite-closing", sampleRate: 0.03, filterString: LIVE },
  ],

  // Alert rules (docs/alerts.md), matched by name; windows are whole hours (rollups are hourly).
  alerts: [
    // Safety pages only on a real drop: significant at 1%, 5+ points, 50+ assessments in 2 h.
    {
      name: "safety drop",
      kind: "quality_drop",
      scorer: "safety",
      params: { window: "2h", baseline: "7d", alpha: 0.01, min_effect: 0.05, min_count: 50 },
      for: "15m",
      severity: "critical",
    },
    // Any scorer whose judge or code fails on more than 10% of calls, with 95% confidence.
    { name: "scorer errors", kind: "error_rate", scorer: "*", params: { max_rate: 0.1 }, for: "10m" },
    { name: "judge spend 80%", kind: "budget", scorer: "*", params: { percent: 80 }, severity: "info" },
    { name: "scorer auto-paused", kind: "scorer_paused", scorer: "*", severity: "critical" },
    { name: "scoring lag", kind: "lag", params: { max_lag: "15m", max_backlog: 10000 }, for: "5m" },
    { name: "no traffic", kind: "no_traffic", params: { period: "30m" }, severity: "critical" },
  ],
});
