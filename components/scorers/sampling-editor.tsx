"use client";
import { useState } from "react";
import { projectDailyCost, type CostModel } from "@/lib/read/scorers/cost-projection";
import { ConfirmDialog } from "../confirm-dialog";
import { FilterField, useFilterValid } from "../filter-field";
import { formatCount, formatRate, formatUsd } from "../format";
import { percentToRate, RatePercentInput } from "./rate-input";
import { useScorerAction, useScorerRow, type ScorerEditorProps } from "./use-scorers";

const pctText = (rate: number) => String(+(rate * 100).toFixed(4));

/** Rate and filter of a scorer, the filter checked by the parser as you type; saving asks first. */
export function SamplingEditor({
  costModel,
  ...props
}: ScorerEditorProps & {
  /** A judge's recent traffic and cost per call: the form projects the daily cost of the rate typed. */
  costModel?: CostModel;
}) {
  const { experimentId, name, actions, can } = props;
  const { row, rendered } = useScorerRow(props);
  const s = row?.scorer;
  const [rate, setRate] = useState(pctText(rendered?.scorer.sampleRate ?? 0));
  const [filter, setFilter] = useState(rendered?.scorer.filterString ?? "");
  const [open, setOpen] = useState(false);
  const update = useScorerAction(experimentId, "update", actions);
  const filterValid = useFilterValid(filter, actions.validateFilter);
  if (!s) return null;
  const newRate = percentToRate(rate, true);
  const newFilter = filter.trim() || null;
  const projection = costModel && newRate !== null ? projectDailyCost(costModel, newRate) : null;
  const changed = newRate !== null && (newRate !== s.sampleRate || newFilter !== (s.filterString ?? null));
  const effect =
    newRate === 0 && s.sampleRate > 0
      ? `This stops ${name}: it scores no new traces.`
      : newRate !== null && newRate > 0 && s.sampleRate === 0
        ? `This starts ${name}${s.status === "PAUSED" ? " once it is resumed" : ""}.`
        : s.status === "PAUSED"
          ? "It stays paused; the new settings apply when it is resumed."
          : "It applies to traces that complete from now on; past scores are kept.";
  // The dialog sits beside the form, not in it: its own <form method="dialog"> may not nest.
  return (
    <>
      <form
        className="panel"
        aria-label="Sampling"
        onSubmit={(e) => {
          e.preventDefault();
          if (changed && filterValid !== false) setOpen(true);
        }}
      >
        <h3>Sampling</h3>
        <div className="toolbar">
          <RatePercentInput value={rate} onChange={setRate} />
          <div className="grow">
            <FilterField value={filter} onChange={setFilter} validate={actions.validateFilter} label="Filter" hint="Blank: every trace." />
          </div>
        </div>
        <div style={{ display: "flex", gap: 8, alignItems: "center" }}>
          <button
            type="submit"
            className="btn primary"
            disabled={!can.update || !changed || filterValid === false}
            title={can.update ? undefined : "Changing sampling needs the admin role"}
          >
            Save sampling
          </button>
          {changed && (
            <button
              type="button"
              className="btn"
              onClick={() => {
                setRate(pctText(s.sampleRate));
                setFilter(s.filterString ?? "");
              }}
            >
              Revert
            </button>
          )}
          {!can.update && <span className="muted small">Changing sampling needs the admin role.</span>}
        </div>
      </form>
      <ConfirmDialog
        open={open}
        title={`Change sampling of ${name}?`}
        confirmLabel="Save"
        busy={update.isPending}
        error={update.error?.message}
        onCancel={() => {
          update.reset();
          setOpen(false);
        }}
        onConfirm={() => newRate !== null && update.mutate({ name, sampleRate: newRate, filterString: newFilter }, { onSuccess: () => setOpen(false) })}
      >
        <dl className="kv">
          <dt>Rate</dt>
          <dd>
            {formatRate(s.sampleRate)} → <strong>{newRate === null ? "?" : formatRate(newRate)}</strong>
          </dd>
          <dt>Filter</dt>
          <dd className="mono">
            {s.filterString ?? "every trace"} → <strong>{newFilter ?? "every trace"}</strong>
          </dd>
        </dl>
        <p>{effect}</p>
      </ConfirmDialog>
    </>
  );
}
