// The plan of a config-as-code apply, as pure functions: compare what the file declares with what
// the server has, say per scorer what is new, changed (definition, rate, filter) or unchanged, and
// render it. Applying the plan and then planning again yields no changes (idempotence).
import type { DesiredScorer } from "./config-as-code";
import type { SamplingConfig } from "./lifecycle";

export interface CurrentScorer {
  name: string;
  /** Latest registered version. */
  version: number;
  scorerId: string;
  serializedScorer: string;
  /** 0 when the scorer has no sampling config yet. */
  sampleRate: number;
  filterString: string | null;
  /** Set when an operator (or the engine) paused it; apply leaves a pause alone. */
  pausedReason?: string | null;
  /** The running shadow version (Vigil only; a plain MLflow server has none). */
  shadow?: { version: number; serializedScorer: string } | null;
}

/** register: a new shadow; replace: discard the running one, register a new one; promote: the file now declares the shadow's definition without `shadow`. */
export type ShadowAction = "register" | "replace" | "promote";

export type PlanChange = "new" | "changed" | "unchanged";

export interface PlanItem {
  name: string;
  change: PlanChange;
  /** Register: a new scorer, or a new version because the definition differs. */
  register: boolean;
  currentVersion: number | null;
  from: SamplingConfig | null;
  to: SamplingConfig;
  rateChanged: boolean;
  filterChanged: boolean;
  /** A PUT online-config is needed (a new scorer with rate 0 needs none). */
  setSampling: boolean;
  pausedReason: string | null;
  shadow: ShadowAction | null;
  /** The running shadow's version, for replace and promote. */
  shadowVersion: number | null;
  /** Why this item cannot be applied (the whole apply is refused before anything is sent). */
  refused: string | null;
}

export interface ApplyPlan {
  items: PlanItem[];
  /** Scorers on the server that the file does not declare: reported, never touched. */
  unmanaged: string[];
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

/**
 * Same scorer definition? Compared as JSON with sorted keys, ignoring `mlflow_version` (the
 * format version Vigil writes), so upgrading Vigil does not re-register every scorer.
 */
export function sameDefinition(a: string, b: string): boolean {
  if (a === b) return true;
  try {
    const strip = (s: string) => {
      const { mlflow_version: _ignored, ...rest } = JSON.parse(s) as Record<string, unknown>;
      return JSON.stringify(canonical(rest));
    };
    return strip(a) === strip(b);
  } catch {
    return false;
  }
}

export function planApply(desired: readonly DesiredScorer[], current: readonly CurrentScorer[]): ApplyPlan {
  const byName = new Map(current.map((c) => [c.name, c]));
  const items = desired.map((d): PlanItem => {
    const to = { sampleRate: d.sampleRate, filterString: d.filterString };
    const c = byName.get(d.name);
    if (!c) {
      return {
        name: d.name,
        change: "new",
        register: true,
        currentVersion: null,
        from: null,
        to,
        rateChanged: d.sampleRate > 0,
        filterChanged: d.filterString !== null,
        setSampling: d.sampleRate > 0 || d.filterString !== null,
        pausedReason: null,
        shadow: null,
        shadowVersion: null,
        refused: d.shadow ? "shadow: true needs a live version to shadow; register the scorer first (declare it without shadow)" : null,
      };
    }
    const from = { sampleRate: c.sampleRate, filterString: c.filterString };
    const differs = !sameDefinition(c.serializedScorer, d.serializedScorer);
    const running = c.shadow ?? null;
    const isRunning = running !== null && sameDefinition(running.serializedScorer, d.serializedScorer);
    const shadow = shadowAction(d.shadow === true, differs, running, isRunning);
    const register = differs && !d.shadow && shadow !== "promote";
    const rateChanged = from.sampleRate !== to.sampleRate;
    const filterChanged = from.filterString !== to.filterString;
    const setSampling = rateChanged || filterChanged;
    return {
      name: d.name,
      change: register || setSampling || shadow ? "changed" : "unchanged",
      shadow,
      shadowVersion: shadow === "replace" || shadow === "promote" ? running!.version : null,
      refused: null,
      register,
      currentVersion: c.version,
      from,
      to,
      rateChanged,
      filterChanged,
      setSampling,
      pausedReason: c.pausedReason ?? null,
    };
  });
  const declared = new Set(desired.map((d) => d.name));
  return {
    items,
    unmanaged: current
      .filter((c) => !declared.has(c.name))
      .map((c) => c.name)
      .sort(),
  };
}

function shadowAction(declared: boolean, differs: boolean, running: CurrentScorer["shadow"] | null, isRunning: boolean): ShadowAction | null {
  if (declared) return !differs || isRunning ? null : running ? "replace" : "register";
  return differs && isRunning ? "promote" : null;
}

export const hasChanges = (plan: ApplyPlan) => plan.items.some((i) => i.change !== "unchanged");

/** 1 -> "100%", 0.15 -> "15%", 0.035 -> "3.5%", 0 -> "0% (stopped)". */
export function formatRate(rate: number): string {
  const pct = `${Number((rate * 100).toFixed(4))}%`;
  return rate === 0 ? `${pct} (stopped)` : pct;
}

const formatFilter = (f: string | null) => (f === null ? "every trace" : JSON.stringify(f));

function describe(i: PlanItem): string {
  if (i.change === "new") return `register v1; rate ${formatRate(i.to.sampleRate)}, filter ${formatFilter(i.to.filterString)}`;
  const parts: string[] = [];
  if (i.register) parts.push(`definition changed: register v${(i.currentVersion ?? 0) + 1} (was v${i.currentVersion})`);
  if (i.shadow === "register") parts.push(`definition changed: register it as a shadow of v${i.currentVersion}`);
  if (i.shadow === "replace") parts.push(`definition changed: discard shadow v${i.shadowVersion}, register the new one as a shadow of v${i.currentVersion}`);
  if (i.shadow === "promote") parts.push(`promote shadow v${i.shadowVersion} (v${i.currentVersion} stops)`);
  if (i.rateChanged) parts.push(`rate ${formatRate(i.from!.sampleRate)} -> ${formatRate(i.to.sampleRate)}`);
  if (i.filterChanged) parts.push(`filter ${formatFilter(i.from!.filterString)} -> ${formatFilter(i.to.filterString)}`);
  if (!parts.length) parts.push(`v${i.currentVersion}; rate ${formatRate(i.to.sampleRate)}, filter ${formatFilter(i.to.filterString)}`);
  return parts.join("; ");
}

const MARK: Record<PlanChange, string> = { new: "+", changed: "~", unchanged: "=" };

/** The plan as the CLI prints it, one line per scorer, then a summary line. */
export function formatPlan(plan: ApplyPlan): string[] {
  const width = Math.max(8, ...plan.items.map((i) => i.name.length), ...plan.unmanaged.map((n) => n.length));
  const lines = plan.items.map((i) => {
    const paused = i.pausedReason !== null ? ` [paused: ${i.pausedReason}; stays paused]` : "";
    const refused = i.refused !== null ? ` [refused: ${i.refused}]` : "";
    return `  ${MARK[i.change]} ${i.name.padEnd(width)}  ${i.change.padEnd(9)}  ${describe(i)}${paused}${refused}`;
  });
  for (const n of plan.unmanaged) lines.push(`    ${n.padEnd(width)}  ${"ignored".padEnd(9)}  not in the config file; left as it is`);
  const count = (c: PlanChange) => plan.items.filter((i) => i.change === c).length;
  lines.push(
    hasChanges(plan)
      ? `Plan: ${count("new")} new, ${count("changed")} changed, ${count("unchanged")} unchanged.`
      : `Plan: nothing to change (${plan.items.length} scorer${plan.items.length === 1 ? "" : "s"} up to date).`,
  );
  return lines;
}
