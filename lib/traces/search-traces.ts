import type Database from "better-sqlite3";
import { and, inArray } from "drizzle-orm";
import { z } from "zod";
import { traces } from "@/db/schema";
import { InvalidParameterError, requireRole, type VerbArgs } from "@/lib/core";
import { requireActiveExperiment } from "@/lib/experiments/experiment-json";
import { loadAssessmentsByTrace, traceInfoFromRow, type TraceRow } from "@/lib/mlflow/convert";
import { compileFilterToSql, compileOrderBy, parseFilter, parseOrderBy, withFilterBudget } from "@/lib/mlflow/filter";
import { experimentIdString, int64, repeatedString } from "@/lib/mlflow/proto-json";
import type { TraceInfoV3 } from "@/lib/mlflow/types";
import { afterKeys, keysOf, totalOrder } from "./keyset";
import { decodePageToken, encodePageToken, queryFingerprint } from "./page-token";

// MLflow: "Maximum number of traces desired. Max threshold is 500", default 100.
export const SEARCH_TRACES_DEFAULT = 100;
export const SEARCH_TRACES_MAX = 500;

const Location = z.object({
  type: z.string().optional(),
  mlflow_experiment: z.object({ experiment_id: experimentIdString }).optional(),
  inference_table: z.unknown().optional(),
});

export const SearchTracesInput = z.object({
  /** SearchTracesV3: [{type: "MLFLOW_EXPERIMENT", mlflow_experiment: {experiment_id}}]. */
  locations: z.array(Location).optional(),
  /** The deprecated v2 search and Vigil's own callers name experiments directly. */
  experiment_ids: z.union([repeatedString, z.array(z.number().int())]).optional(),
  filter: z.string().optional(),
  max_results: int64.optional(),
  order_by: repeatedString.optional(),
  page_token: z.string().optional(),
});
export type SearchTracesInput = z.input<typeof SearchTracesInput>;

export interface SearchTracesResult {
  traces: TraceInfoV3[];
  next_page_token?: string;
}

function experimentIds(i: z.infer<typeof SearchTracesInput>): number[] {
  const ids = new Set<number>();
  for (const loc of i.locations ?? []) {
    if (loc.type && loc.type !== "MLFLOW_EXPERIMENT") {
      throw new InvalidParameterError(`Unsupported trace location type '${loc.type}'; only MLFLOW_EXPERIMENT is supported.`);
    }
    if (!loc.mlflow_experiment) throw new InvalidParameterError("Each location needs mlflow_experiment.experiment_id.");
    ids.add(loc.mlflow_experiment.experiment_id);
  }
  for (const raw of i.experiment_ids ?? []) ids.add(experimentIdString.parse(raw));
  if (ids.size === 0) throw new InvalidParameterError("Specify at least one experiment in 'locations'.");
  return [...ids].sort((a, b) => a - b);
}

/**
 * MLflow's SearchTracesV3 over Vigil's store: filter grammar, order_by, keyset page tokens, and
 * each TraceInfoV3 with its assessments. The dashboard and the engine page through it too.
 */
export function searchTraces({ ctx, input }: VerbArgs<SearchTracesInput>): SearchTracesResult {
  const i = SearchTracesInput.parse(input);
  const ids = experimentIds(i);
  for (const id of ids) {
    requireRole(ctx.actor, "viewer", id);
    requireActiveExperiment(ctx.db, id);
  }
  const maxResults = i.max_results ?? SEARCH_TRACES_DEFAULT;
  if (maxResults < 1 || maxResults > SEARCH_TRACES_MAX) {
    throw new InvalidParameterError(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and ${SEARCH_TRACES_MAX}.`);
  }
  const ast = parseFilter(i.filter);
  const order = totalOrder(parseOrderBy(i.order_by));
  const fingerprint = queryFingerprint({ e: ids, f: (i.filter ?? "").trim(), o: order });
  const last = i.page_token ? decodePageToken(i.page_token, fingerprint, order.length) : null;

  const where = and(inArray(traces.experimentId, ids), compileFilterToSql(ast), last ? afterKeys(order, last) : undefined);
  // One extra row tells whether another page exists without a COUNT query. The query is one
  // filter evaluation: SQLite's REGEXP calls share its scan budget (a 400 past it).
  const rows: TraceRow[] = withFilterBudget(() =>
    ctx.db
      .select()
      .from(traces)
      .where(where)
      .orderBy(...compileOrderBy(order))
      .limit(maxResults + 1)
      .all(),
  );
  const page = rows.slice(0, maxResults);
  const assessmentsByTrace = loadAssessmentsByTrace(
    ctx.db,
    page.map((r) => r.traceId),
  );
  const out: SearchTracesResult = { traces: page.map((r) => traceInfoFromRow(r, assessmentsByTrace.get(r.traceId) ?? [])) };
  if (rows.length > maxResults) out.next_page_token = encodePageToken(fingerprint, keysOf(page[page.length - 1]!, order));
  return out;
}
