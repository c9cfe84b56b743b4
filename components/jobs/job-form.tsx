"use client";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { CreateAssessJobInput, CreateBackfillJobInput } from "@/lib/engine/jobs";
import type { ActionResult } from "@/lib/overview/action-result";
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
  { value: "7d", label: "Last 7 days", ms: 7 * 86_400_000 },
  { value: "30d", label: "Last 30 days", ms: 30 * 86_400_000 },
  { value: "all", label: "All time", ms: null },
] as const;

/** Start an assess (chosen traces, 100%) or a backfill (a past window, sampled as online). */
export function JobForm({ experimentId, scorers, actions, canRun, onCreated }: {
  experimentId: string; scorers: ScorerChoice[]; actions: JobFormActions; canRun: boolean; onCreated?: (jobId: string) => void;
}) {
  const qc = useQueryClient();
  const runnable = scorers.filter((s) => s.runnable);
  const [kind, setKind] = useState<"backfill" | "assess">("backfill");
  const [chosen, setChosen] = useState<string[]>(runnable.length === 1 ? [runnable[0]!.name] : []);
  const [windowValue, setWindowValue] = useState<(typeof WINDOWS)[number]["value"]>("7d");
  const [override, setOverride] = useState(false);
  const [rate, setRate] = useState("10");
  const [filter, setFilter] = useState("");
  const filterValid = useFilterValid(filter, actions.validateFilter);
  const create = useMutation({
    mutationFn: async () => {
      const ms = WINDOWS.find((w) => w.value === windowValue)!.ms;
      const start_time_ms = ms === null ? undefined : Date.now() - ms;
      if (kind === "assess") {
        return unwrap(await actions.assess({ experiment_id: experimentId, scorers: chosen, filter_string: filter.trim() || undefined, start_time_ms }));
      }
      const r = override ? percentToRate(rate, false) : null;
      const list = chosen.map((name) => (r !== null ? { name, sample_rate: r } : name));
      // A backfill with no times covers the last 7 days; "all time" starts at the epoch.
      return unwrap(await actions.backfill({ experiment_id: experimentId, scorers: list, start_time_ms: start_time_ms ?? 0 }));
    },
    onSuccess: (r) => {
      void qc.invalidateQueries({ queryKey: jobsKey(experimentId) });
      onCreated?.(r.job_id);
    },
  });
  const notStarted = kind === "backfill" && !override ? chosen.filter((n) => !(scorers.find((s) => s.name === n)!.sampleRate > 0)) : [];
  const blocked = !canRun || chosen.length === 0 || (kind === "assess" && filterValid === false) || (kind === "backfill" && override && percentToRate(rate, false) === null) || notStarted.length > 0;

  if (scorers.length === 0) return <div className="empty">Register a scorer first: jobs run registered scorers.</div>;
  return (
    <form className="panel" aria-label="Start a job" onSubmit={(e) => { e.preventDefault(); if (!blocked) create.mutate(); }}>
      <div className="segmented" role="group" aria-label="Job kind" style={{ marginBottom: 12 }}>
        <button type="button" aria-pressed={kind === "backfill"} onClick={() => setKind("backfill")}>Backfill</button>
        <button type="button" aria-pressed={kind === "assess"} onClick={() => setKind("assess")}>Assess</button>
      </div>
      <p className="muted small" style={{ marginTop: 0 }}>
        {kind === "backfill"
          ? "Score past traces the way online scoring would have sampled them (or at another rate). Traces the same scorer version already scored are skipped."
          : "Score every trace in the selection (100%), as one evaluation run whose id is the job id."}
      </p>
      <fieldset style={{ border: 0, padding: 0, margin: "0 0 12px" }}>
        <legend className="label small muted" style={{ fontWeight: 600 }}>Scorers</legend>
        <div style={{ display: "flex", flexWrap: "wrap", gap: "4px 16px" }}>
          {scorers.map((s) => (
            <label key={s.name} style={{ display: "inline-flex", gap: 6, alignItems: "center" }} title={s.runnable ? undefined : "Not runnable here"}>
              <input type="checkbox" disabled={!s.runnable} checked={chosen.includes(s.name)}
                onChange={(e) => setChosen((c) => (e.target.checked ? [...c, s.name] : c.filter((n) => n !== s.name)))} />
              {s.name} <span className="muted small">{s.sampleRate > 0 ? `${+(s.sampleRate * 100).toFixed(2)}%` : "stopped"}</span>
            </label>
          ))}
        </div>
      </fieldset>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="job-window">Traces from</label>
          <select id="job-window" value={windowValue} onChange={(e) => setWindowValue(e.target.value as typeof windowValue)}>
            {WINDOWS.map((w) => <option key={w.value} value={w.value}>{w.label}</option>)}
          </select>
          <div className="hint">&nbsp;</div>
        </div>
        {kind === "assess" && <div className="grow"><FilterField value={filter} onChange={setFilter} validate={actions.validateFilter} label="Filter (optional)" hint="Blank: every trace in the window." /></div>}
      </div>
      {kind === "backfill" && (
        <>
          <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 8 }}>
            <input type="checkbox" checked={override} onChange={(e) => setOverride(e.target.checked)} /> Use another sample rate than online scoring
          </label>
          {override && <RatePercentInput value={rate} onChange={setRate} min={0.0001} />}
          {notStarted.length > 0 && <div className="alert warn">{notStarted.join(", ")} {notStarted.length > 1 ? "are" : "is"} stopped, so there is no online rate to copy: choose a sample rate.</div>}
        </>
      )}
      {create.error && <div className="alert bad" role="alert">{create.error.message}</div>}
      <button type="submit" className="btn primary" disabled={blocked || create.isPending} title={canRun ? undefined : "Running jobs needs the admin role"}>
        {create.isPending ? "Starting…" : kind === "backfill" ? "Start backfill" : "Start assessment"}
      </button>
    </form>
  );
}
