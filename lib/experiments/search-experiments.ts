import { z } from "zod";
import { experiments } from "@/db/schema";
import { InvalidParameterError, type VerbArgs } from "@/lib/core";
import { int64, repeatedString } from "@/lib/mlflow/proto-json";
import { experimentFromRow, requireExperimentReader, type ExperimentJson, type ExperimentRow } from "./experiment-json";
import { matchesExperiment, parseExperimentFilter } from "./experiment-filter";
import { withFilterBudget } from "@/lib/mlflow/filter";

// MLflow guarantees at least 1000 and caps SearchExperiments at 50000 results per page.
const MAX_RESULTS = 50_000;
const VIEW_TYPES = { ACTIVE_ONLY: 1, DELETED_ONLY: 2, ALL: 3 } as const;

export const SearchExperimentsInput = z.object({
  max_results: int64.optional(),
  page_token: z.string().optional(),
  filter: z.string().optional(),
  order_by: repeatedString.optional(),
  // ViewType by name, or by number (a query string carries "2").
  view_type: z
    .preprocess(
      (v) => (typeof v === "string" && /^[123]$/.test(v) ? Number(v) : v),
      z.union([z.enum(["ACTIVE_ONLY", "DELETED_ONLY", "ALL"]), z.literal(1), z.literal(2), z.literal(3)]),
    )
    .optional(),
});
export type SearchExperimentsInput = z.input<typeof SearchExperimentsInput>;

type OrderKey = "name" | "experiment_id" | "creation_time" | "last_update_time";
interface Order {
  key: OrderKey;
  ascending: boolean;
}

export function parseExperimentOrderBy(list: string[] | undefined): Order[] {
  const orders = (list ?? []).map((raw) => {
    const m = /^\s*(?:attributes?\.)?`?(name|experiment_id|creation_time|last_update_time)`?(?:\s+(ASC|DESC))?\s*$/i.exec(raw);
    if (!m) {
      throw new InvalidParameterError(
        `Invalid order_by clause '${raw}'. Expected one of name, experiment_id, creation_time, last_update_time, optionally followed by ASC or DESC.`,
      );
    }
    return { key: m[1]!.toLowerCase() as OrderKey, ascending: (m[2] ?? "ASC").toUpperCase() === "ASC" };
  });
  if (orders.length === 0) orders.push({ key: "creation_time", ascending: false });
  // service.proto: "Tiebreaks are done by experiment id DESC."
  if (!orders.some((o) => o.key === "experiment_id")) orders.push({ key: "experiment_id", ascending: false });
  return orders;
}

function compare(a: ExperimentRow, b: ExperimentRow, orders: Order[]): number {
  for (const o of orders) {
    const va = o.key === "name" ? a.name : o.key === "experiment_id" ? a.experimentId : o.key === "creation_time" ? a.creationTime : a.lastUpdateTime;
    const vb = o.key === "name" ? b.name : o.key === "experiment_id" ? b.experimentId : o.key === "creation_time" ? b.creationTime : b.lastUpdateTime;
    if (va < vb) return o.ascending ? -1 : 1;
    if (va > vb) return o.ascending ? 1 : -1;
  }
  return 0;
}

/** MLflow's page token for experiments: base64 of {"offset": n}. */
function decodeOffset(token: string | undefined): number {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, "base64").toString("utf8")) as { offset?: unknown };
    if (typeof parsed.offset === "number" && Number.isSafeInteger(parsed.offset) && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through to the error below
  }
  throw new InvalidParameterError("Invalid page_token: it is not a token this server returned.");
}

export function searchExperiments({ ctx, input }: VerbArgs<SearchExperimentsInput>): { experiments: ExperimentJson[]; next_page_token?: string } {
  requireExperimentReader(ctx.actor);
  const i = SearchExperimentsInput.parse(input);
  const maxResults = i.max_results ?? 1000;
  if (maxResults < 1 || maxResults > MAX_RESULTS) {
    throw new InvalidParameterError(`Invalid value ${maxResults} for parameter 'max_results' supplied. It must be between 1 and ${MAX_RESULTS}.`);
  }
  const clauses = parseExperimentFilter(i.filter);
  const orders = parseExperimentOrderBy(i.order_by);
  const offset = decodeOffset(i.page_token);
  const view = typeof i.view_type === "string" ? VIEW_TYPES[i.view_type] : (i.view_type ?? VIEW_TYPES.ACTIVE_ONLY);
  const scoped = ctx.actor.experimentId;

  // One evaluation, one scan budget (lib/mlflow/filter/match.ts): a 400 rather than a pinned CPU.
  const matched = withFilterBudget(() =>
    ctx.db
      .select()
      .from(experiments)
      .all()
      .filter((row) => {
        if (scoped != null && row.experimentId !== scoped) return false;
        if (view === VIEW_TYPES.ACTIVE_ONLY && row.lifecycleStage !== "active") return false;
        if (view === VIEW_TYPES.DELETED_ONLY && row.lifecycleStage !== "deleted") return false;
        const tags = Object.fromEntries(experimentFromRow(row).tags.map((t) => [t.key, t.value]));
        return matchesExperiment(row, tags, clauses);
      }),
  ).sort((a, b) => compare(a, b, orders));

  const page = matched.slice(offset, offset + maxResults);
  const out: { experiments: ExperimentJson[]; next_page_token?: string } = { experiments: page.map(experimentFromRow) };
  if (offset + maxResults < matched.length) {
    out.next_page_token = Buffer.from(JSON.stringify({ offset: offset + maxResults })).toString("base64");
  }
  return out;
}
