"use client";
import { useState } from "react";
import { countOf } from "@/lib/core/plural";
import { formatUsd } from "../format";
import { useScorerAction, useScorerRow, type ScorerEditorProps } from "./use-scorers";

/** A judge's daily budget (USD per UTC day); blank removes the limit. */
export function BudgetEditor({ experimentId, name, initial, actions, can }: ScorerEditorProps) {
  const { row, rendered } = useScorerRow({ experimentId, name, initial, actions });
  const r = row?.runtime;
  const [value, setValue] = useState(rendered?.runtime.dailyBudgetUsd == null ? "" : String(rendered.runtime.dailyBudgetUsd));
  const save = useScorerAction(experimentId, "budget", actions);
  if (!r) return null;
  const parsed = value.trim() === "" ? null : Number(value);
  const invalid = parsed !== null && (!Number.isFinite(parsed) || parsed < 0);
  const changed = !invalid && parsed !== r.dailyBudgetUsd;
  return (
    <form
      className="panel"
      style={{ marginTop: 12 }}
      aria-label="Daily budget"
      onSubmit={(e) => {
        e.preventDefault();
        if (changed) save.mutate({ name, dailyBudgetUsd: parsed });
      }}
    >
      <h3>Daily budget</h3>
      <p className="muted small" style={{ marginTop: 0 }}>
        Spent today: {formatUsd(r.today.costUsd)} over {countOf(r.today.calls, "judge call")}
        {r.today.unpricedCalls ? ` (${r.today.unpricedCalls} without a price)` : ""}. When the budget is spent the scorer stops sampling until 00:00 UTC.
      </p>
      <div className="toolbar">
        <div className="field">
          <label htmlFor="budget-usd">USD per day (blank: no limit)</label>
          <input
            id="budget-usd"
            type="number"
            min={0}
            step="0.01"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            aria-invalid={invalid || undefined}
            style={{ width: 160 }}
          />
          <div className={invalid ? "error" : "hint"}>{invalid ? "Enter an amount of 0 or more." : "\u00a0"}</div>
        </div>
        <div className="field">
          <span className="label" aria-hidden>
            &nbsp;
          </span>
          <button type="submit" className="btn" disabled={!can.budget || !changed || save.isPending}>
            {save.isPending ? "Saving…" : "Save budget"}
          </button>
          <div className="hint">&nbsp;</div>
        </div>
      </div>
      {save.error && (
        <div className="alert bad" role="alert">
          {save.error.message}
        </div>
      )}
    </form>
  );
}
