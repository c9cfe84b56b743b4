"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { CreateAssessJobInput, CreateBackfillJobInput } from "@/lib/engine/jobs";
import type { ActionResult } from "@/lib/read/action-result";
import { FilterField, useFilterValid, type FilterValidator } from "../filter-field";
import { percentToRate, RatePercentInput } from "../scorers/rate-input";
import { unwrap } from "../scorers/use-scorers";
import { jobsKey } from "./use-jobs";

export interface JobFormActions {
  assess: (input: CreateAssessJobInput) => Promise<ActionResult<{ job_id: string }>>;
  backfill: (input: CreateBackfillJobInput) => Promise<ActionResult<{ job_id: string }>>;
  validateFilter: FilterValidator;
}

export interface ScorerChoice {
  name: string;
  sampleRate: number;
  runnable: boolean;
}

const WINDOWS = [
  { value: "24h", label: "Last 24 hours", ms: 24 * 3600_000 },
  { value: "3d", label: "Last 3 days", ms: 3 * 86_400_000 },
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "all", label: "All time", ms: null },
  { value: "custom", label: "Custom range…", ms: null },
] as const;
type WindowValue = (typeof WINDOWS)[number]["value"];

/** A datetime-local value (the browser's local time) as ms; null when empty or malformed. */
const localMs = (v: string) => (v ? (Number.isFinite(new Date(v).getTime()) ? new Date(v).getTime() : null) : null);
const localValue = (ms: number) => {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

/** The window a choice means now: [start, end) in ms, undefined where it is open. */
function windowOf(value: WindowValue, from: string, to: string): { start?: number; end?: number } {
  if (value === "custom") return { start: localMs(from) ?? undefined, end: localMs(to) ?? undefined };
  const ms = WINDOWS.find((w) => w.value === value)!.ms;
  // A backfill with no start covers the last 7 days; "all time" starts at the epoch.
  return ms === null ? { start: 0 } : { start: Date.now() - ms };
}

/**
 * Start an assess (chosen traces, 100%) or a backfill (a past window, sampled as online).
 * `picked`: trace ids chosen in the Traces list; the assessment then covers exactly those.
 */
export function JobForm({
  experimentId,
  scorers,
  actions,
  canRun,
  onCreated,
  picked = [],
}: {
  experimentId: string;
  scorers: ScorerChoice[];
  actions: JobFormActions;
  canRun: boolean;
  onCreated?: (jobId: string) => void;
  picked?: string[];
}) {
  const qc = useQueryClient();
  const runnable = scorers.filter((s) => s.runnable);
  const [kind, setKind] = useState<"backfill" | "assess">(picked.length ? "assess" : "backfill");
  const [traceIds, setTraceIds] = useState<string[]>(picked);
  const [chosen, setChosen] = useState<string[]>(runnable.length === 1 ? [runnable[0]!.name] : []);
  const [windowValue, setWindowValue] = useState<WindowValue>("7d");
  const [from, setFrom] = useState(() => localValue(Date.now() - 3 * 86_400_000));
  const [to, setTo] = useState(() => localValue(Date.now()));
  const [override, setOverride] = useState(false);
  const [rate, setRate] = useState("10");
  const [filter, setFilter] = useState("");
  const [rescore, setRescore] = useState(false);
  const filterValid = useFilterValid(filter, actions.validateFilter);
  const listed = kind === "assess" && traceIds.length > 0;
  const w = windowOf(windowValue, from, to);
  const badRange = windowValue === "custom" && (w.start === undefined || w.end === undefined || w.start >= w.end);
  const create = useMutation({
    mutationFn: async () => {
      const filter_string = filter.trim() || undefined;
      if (kind === "assess") {
        if (listed) return unwrap(await actions.assess({ experiment_id: experimentId, scorers: chosen, trace_ids: traceIds, rescore }));
        return unwrap(
          await actions.assess({
            experiment_id: experimentId,
            scorers: chosen,
            filter_string,
            start_time_ms: w.start || undefined,
            end_time_ms: w.end,
            rescore,
          }),
        );
      }
      const r = override ? percentToRate(rate, false) : null;
      const list = chosen.map((name) => (r !== null ? { name, sample_rate: r } : name));
      return unwrap(
        await actions.backfill({ experiment_id: experimentId, scorers: list, filter_string, start_time_ms: w.start ?? 0, end_time_ms: w.end, rescore }),
      );
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: jobsKey(experimentId) });
      onCreated?.(r.job_id);
    },
  });
  const notStarted = kind === "backfill" && !override ? chosen.filter((n) => !(scorers.find((s) => s.name === n)!.sampleRate > 0)) : [];
  const blocked =
    !canRun ||
    chosen.length === 0 ||
    (!listed && (filterValid === false || badRange)) ||
    (kind === "backfill" && override && percentToRate(rate, false) === null) ||
    notStarted.length > 0;

  if (scorers.length === 0) return <div className="empty">Register a scorer first: jobs run registered scorers.</div>;
  return (
    <form
      className="panel"
      aria-label="Start a job"
      onSubmit={(e) => {
        e.preventDefault();
        if (!blocked) create.mutate();
      }}
    >
      <div className="segmented" role="group" aria-label="Job kind" style={{ marginBottom: 12 }}>
        <button type="button" aria-pressed={kind === "backfill"} onClick={() => setKind("backfill")}>
          Backfill
        </button>
        <button type="button" aria-pressed={kind === "assess"} onClick={() => setKind("assess")}>
          Assess
        </button>
      </div>
      <p className="muted small" style={{ marginTop: 0 }}>
        {kind === "backfill"
          ? "Score past traces the way online scoring would have sampled them (or at another rate)."
          : "Score every trace in the selection (100%), as one evaluation run whose id is the job id."}{" "}
        {rescore ? "Traces already scored are scored again." : "Traces the same scorer version already scored are skipped."}
      </p>
      <fieldset style={{ border: 0, padding: 0, margin: "0 0 12px" }}>
        <legend className="label small muted" style={{ fontWeight: 600 }}>
          Scorers
        </legend>
        <div style={{ display: "flex", flexWrap: "wrap", gap: "4px 16px" }}>
          {scorers.map((s) => (
            <label key={s.name} style={{ display: "inline-flex", gap: 6, alignItems: "center" }} title={s.runnable ? undefined : "Not runnable here"}>
              <input
                type="checkbox"
                disabled={!s.runnable}
                checked={chosen.includes(s.name)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.name] : c.filter((n) => n !== s.name)))}
              />
              {s.name} <span className="muted small">{s.sampleRate > 0 ? `${+(s.sampleRate * 100).toFixed(2)}%` : "stopped"}</span>
            </label>
          ))}
        </div>
      </fieldset>
      {listed ? (
        <div className="alert info picked-traces" role="status">
          {traceIds.length} trace{traceIds.length === 1 ? "" : "s"} picked in the Traces list.{" "}
          <button type="button" className="btn small" onClick={() => setTraceIds([])}>
            Use a window and filter instead
          </button>
        </div>
      ) : (
        <div className="toolbar">
          <div className="field">
            <label htmlFor="job-window">Traces from</label>
            <select id="job-window" value={windowValue} onChange={(e) => setWindowValue(e.target.value as WindowValue)}>
              {WINDOWS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </select>
            <div className="hint">&nbsp;</div>
          </div>
          {windowValue === "custom" && (
            <>
              <div className="field">
                <label htmlFor="job-from">From</label>
                <input id="job-from" type="datetime-local" value={from} onChange={(e) => setFrom(e.target.value)} required />
                <div className="hint">&nbsp;</div>
              </div>
              <div className="field">
                <label htmlFor="job-to">To</label>
                <input
                  id="job-to"
                  type="datetime-local"
                  value={to}
                  onChange={(e) => setTo(e.target.value)}
                  required
                  aria-invalid={badRange || undefined}
                  aria-describedby="job-range-msg"
                />
                <div id="job-range-msg" className={badRange ? "error" : "hint"}>
                  {badRange ? "Must be after From." : "\u00a0"}
                </div>
              </div>
            </>
          )}
          <div className="grow">
            <FilterField
              value={filter}
              onChange={setFilter}
              validate={actions.validateFilter}
              label="Filter (optional)"
              hint="Blank: every trace in the window."
            />
          </div>
        </div>
      )}
      {kind === "backfill" && (
        <>
          <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 8 }}>
            <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Use another sample rate than online scoring
          </label>
          {override && <RatePercentInput value={rate} onChange={setRate} min={0.0001} />}
          {notStarted.length > 0 && (
            <div className="alert warn">
              {notStarted.join(", ")} {notStarted.length > 1 ? "are" : "is"} stopped, so there is no online rate to copy: choose a sample rate.
            </div>
          )}
        </>
      )}
      <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 2 }}>
        <input type="checkbox" checked={rescore} onChange={(e) => setRescore(e.target.checked)} aria-describedby="job-rescore-hint" /> Score again
      </label>
      <p id="job-rescore-hint" className="muted small" style={{ margin: "0 0 12px 24px" }}>
        Traces this scorer version already scored get a new assessment; the older one is kept in the history, marked as overridden.
      </p>
      {create.error && (
        <div className="alert bad" role="alert">
          {create.error.message}
        </div>
      )}
      <button type="submit" className="btn primary" disabled={blocked || create.isPending} title={canRun ? undefined : "Running jobs needs the admin role"}>
        {create.isPending ? "Starting…" : kind === "backfill" ? "Start backfill" : "Start assessment"}
      </button>
    </form>
  );
}
