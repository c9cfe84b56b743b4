// Score trends from rollups: per bucket and scorer version, and current vs previous period.
import { compareWindows, getTrend, listTrendScorers, rebuildRollups } from "@/lib/metrics";
import { readInput } from "../body";
import type { Route } from "../types";

// Query-string values are strings; the verbs' zod schemas coerce and validate them.
type Q = Record<string, string | undefined>;
const query = (r: Parameters<typeof readInput>[0]) => readInput(r) as Q;

export const trendRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/v1/trends",
    handler: (req, ctx) => {
      const q = query(req);
      const input = {
        experimentId: q.experiment_id!,
        scorer: q.scorer!,
        start: q.start,
        end: q.end,
        bucket: q.bucket as "hour" | "day" | undefined,
        scorerVersion: q.scorer_version,
      };
      return { status: 200, json: { trend: getTrend({ ctx, input }) } };
    },
  },
  {
    method: "GET",
    path: "/api/v1/trends/compare",
    handler: (req, ctx) => {
      const q = query(req);
      const input = { experimentId: q.experiment_id!, scorer: q.scorer!, start: q.start, end: q.end, scorerVersion: q.scorer_version, alpha: q.alpha };
      return { status: 200, json: { comparison: compareWindows({ ctx, input }) } };
    },
  },
  {
    method: "GET",
    path: "/api/v1/trends/scorers",
    handler: (req, ctx) => ({ status: 200, json: listTrendScorers({ ctx, input: { experimentId: query(req).experiment_id! } }) }),
  },
  {
    method: "POST",
    path: "/api/v1/trends/rebuild",
    handler: (req, ctx) => {
      return { status: 200, json: rebuildRollups({ ctx, input: { experimentId: readInput(req).experiment_id as string } }) };
    },
  },
];
