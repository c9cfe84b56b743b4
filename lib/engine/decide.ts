// Which registered scorers a trace gets, and why each of the others does not. Pure: sampling is
// sampling.ts (MLflow's dense sampling); whether a filter matches is the caller's function.
import { parseFilter, matchesTrace, withFilterBudget, FilterBudgetExceededError, type FilterAst } from "@/lib/mlflow/filter";
import type { TraceData } from "@/lib/mlflow/types";
import { filterKey, groupByFilter, samplingPlan, selectOrdered } from "./sampling";

/** Why a sampled scorer is not run now (its state, not the trace's). */
export type BlockReason = "not_runnable" | "paused" | "account_paused" | "budget";
export type SkipReason = "not_sampled" | "filtered_out" | "invalid_filter" | "filter_too_costly" | BlockReason;

export interface Candidate {
  name: string;
  sampleRate: number;
  filterString: string | null;
  /** Set when the scorer takes part in sampling but may not run now. */
  block: BlockReason | null;
}

export interface Decision<T extends Candidate = Candidate> {
  candidate: T;
  /** The trace matched the scorer's filter. */
  matched: boolean;
  /** Dense sampling selected the scorer for this trace. */
  sampled: boolean;
  /** Sampled and free to run. */
  run: boolean;
  skip: SkipReason | null;
}

/** "too_costly": the evaluation ran past its scan budget (FILTER_LIMITS.maxScanChars). */
export type FilterMatch = (filterString: string) => boolean | "invalid" | "too_costly";

/**
 * Every scorer with a rate takes part in sampling, blocked or not, so a pause or an exhausted
 * budget never changes which traces the other scorers of its group get (MLflow, which knows
 * nothing of Vigil's pauses, would decide the same). Blocked scorers are then skipped with their
 * reason. A group whose filter does not match is skipped as a whole.
 */
export function decideTrace<T extends Candidate>(traceId: string, candidates: readonly T[], matches: FilterMatch): Decision<T>[] {
  const out: Decision<T>[] = [];
  for (const { key, group, ordered } of plan(candidates)) {
    const m = key === "" ? true : matches(key);
    if (m !== true) {
      const skip: SkipReason = m === "invalid" ? "invalid_filter" : m === "too_costly" ? "filter_too_costly" : "filtered_out";
      for (const g of group) out.push({ candidate: g, matched: false, sampled: false, run: false, skip });
      continue;
    }
    const selected = new Set(selectOrdered(traceId, ordered));
    for (const g of group) {
      const sampled = selected.has(g.name);
      const skip: SkipReason | null = !sampled ? "not_sampled" : g.block;
      out.push({ candidate: g, matched: true, sampled, run: sampled && skip === null, skip });
    }
  }
  return out;
}

interface GroupPlan<T extends Candidate> {
  key: string;
  group: T[];
  ordered: T[];
}

// Intake decides thousands of traces against the same candidate list: group and order it once.
const plans = new WeakMap<readonly Candidate[], GroupPlan<Candidate>[]>();

function plan<T extends Candidate>(candidates: readonly T[]): GroupPlan<T>[] {
  let p = plans.get(candidates) as GroupPlan<T>[] | undefined;
  if (!p) {
    p = [...groupByFilter(candidates)].map(([key, group]) => ({ key, group, ordered: samplingPlan(group) }));
    plans.set(candidates, p);
  }
  return p;
}

/** Whether any candidate needs the trace's content to evaluate a filter. */
export function needsFilterData(candidates: readonly Candidate[]): boolean {
  return candidates.some((c) => filterKey(c.filterString) !== "");
}

const astCache = new Map<string, FilterAst | "invalid">();

/** Parses a filter once per process; a filter that does not parse is "invalid", not a crash. */
export function cachedFilter(filterString: string): FilterAst | "invalid" {
  let ast = astCache.get(filterString);
  if (ast === undefined) {
    try {
      ast = parseFilter(filterString);
    } catch {
      ast = "invalid";
    }
    if (astCache.size > 1000) astCache.clear();
    astCache.set(filterString, ast);
  }
  return ast;
}

/** The FilterMatch for one loaded trace: MLflow's filter evaluated in memory. */
export function traceMatcher(trace: TraceData | undefined): FilterMatch {
  return (filterString) => {
    const ast = cachedFilter(filterString);
    if (ast === "invalid") return "invalid";
    if (!trace) return false;
    try {
      return withFilterBudget(() => matchesTrace(ast, trace));
    } catch (e) {
      if (e instanceof FilterBudgetExceededError) return "too_costly";
      throw e;
    }
  };
}
