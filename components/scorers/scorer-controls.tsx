"use client";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import type { ScorerRuntime } from "@/lib/engine/runtime/get-scorer-runtime";
import type { Scorer } from "@/lib/monitoring/scorer-value";
import { FilterField, useFilterValid } from "../filter-field";
import { ConfirmDialog } from "../confirm-dialog";
import { percentToRate, RatePercentInput } from "./rate-input";
import { samplingText, type ScorerActionKind } from "./scorer-state";
import { useScorerAction, type ScorerActions, type ScorerPermissions } from "./use-scorers";

type Open = null | ScorerActionKind;

/**
 * The lifecycle buttons of one scorer. Each opens a confirmation saying what will happen;
 * confirming applies the change at once in the list (optimistic), and a refusal is shown in the
 * dialog in the server's words.
 */
export function ScorerControls({
  scorer,
  runtime,
  experimentId,
  actions,
  can,
  withDelete,
  versionCount,
  onChanged,
  compact,
}: {
  scorer: Scorer;
  runtime?: ScorerRuntime;
  experimentId: string;
  actions: ScorerActions;
  can: ScorerPermissions;
  withDelete?: boolean;
  versionCount?: number;
  /** Called after a confirmed action succeeded (pages without the live scorer query refresh). */
  onChanged?: () => void;
  /** Only pause and resume: the on-call table's row. */
  compact?: boolean;
}) {
  const reasonId = useId();
  const [open, setOpen] = useState<Open>(null);
  const [reason, setReason] = useState("");
  const [rate, setRate] = useState("10");
  const [filter, setFilter] = useState(scorer.filterString ?? "");
  const router = useRouter();
  const m = {
    pause: useScorerAction(experimentId, "pause", actions),
    resume: useScorerAction(experimentId, "resume", actions),
    start: useScorerAction(experimentId, "start", actions),
    stop: useScorerAction(experimentId, "stop", actions),
    delete: useScorerAction(experimentId, "delete", actions),
    resumeAccount: useScorerAction(experimentId, "resumeAccount", actions),
  };
  const filterValid = useFilterValid(filter, actions.validateFilter);
  const current = open && open !== "update" && open !== "budget" ? m[open] : null;
  const close = () => {
    current?.reset();
    setOpen(null);
  };
  const confirm = (kind: Exclude<ScorerActionKind, "update" | "budget">, vars: Parameters<typeof m.pause.mutate>[0]) =>
    m[kind].mutate(vars, {
      onSuccess: () => {
        setOpen(null);
        setReason("");
        onChanged?.();
        if (kind === "delete") router.push(`/experiments/${experimentId}`);
      },
    });
  const startRate = percentToRate(rate, false);
  const denied = (a: ScorerActionKind) => (can[a] ? undefined : "Your role may not do this");
  const name = scorer.name;
  const accountPaused = scorer.status === "STARTED" && runtime?.status === "ACCOUNT_PAUSED";

  return (
    <div className="row-actions">
      {scorer.status === "STARTED" && !accountPaused && (
        <button type="button" className="btn warn" onClick={() => setOpen("pause")} aria-label={`Pause ${name}`} disabled={!can.pause} title={denied("pause")}>
          Pause
        </button>
      )}
      {accountPaused && (
        <button
          type="button"
          className="btn primary"
          onClick={() => setOpen("resumeAccount")}
          aria-label={`Resume ${name}`}
          disabled={!can.resumeAccount}
          title={denied("resumeAccount")}
        >
          Resume
        </button>
      )}
      {scorer.status === "PAUSED" && (
        <button
          type="button"
          className="btn primary"
          onClick={() => setOpen("resume")}
          aria-label={`Resume ${name}`}
          disabled={!can.resume}
          title={denied("resume")}
        >
          Resume
        </button>
      )}
      {scorer.status === "STOPPED" && !compact && (
        <button
          type="button"
          className="btn primary"
          onClick={() => setOpen("start")}
          aria-label={`Start ${name}`}
          disabled={!can.start || !scorer.runnable}
          title={denied("start") ?? (scorer.runnable ? undefined : scorer.notRunnableReason)}
        >
          Start
        </button>
      )}
      {(scorer.status === "STARTED" || scorer.status === "PAUSED") && !compact && (
        <button type="button" className="btn" onClick={() => setOpen("stop")} aria-label={`Stop ${name}`} disabled={!can.stop} title={denied("stop")}>
          Stop
        </button>
      )}
      {withDelete && !compact && (
        <button
          type="button"
          className="btn danger"
          onClick={() => setOpen("delete")}
          aria-label={`Delete ${name}`}
          disabled={!can.delete}
          title={denied("delete")}
        >
          Delete
        </button>
      )}

      <ConfirmDialog
        open={open === "pause"}
        title={`Pause ${name}?`}
        confirmLabel="Pause scorer"
        tone="warn"
        busy={m.pause.isPending}
        error={m.pause.error?.message}
        onCancel={close}
        onConfirm={() => confirm("pause", { name, reason })}
      >
        <p>
          {name} stops sampling now. Its settings ({samplingText(scorer)}) are kept, so Resume restores exactly what ran. Traces that complete while it is
          paused are not scored by it; a backfill can cover the gap later.
        </p>
        <div className="field">
          <label htmlFor={reasonId}>Reason (optional, shown to everyone and kept in the audit log)</label>
          <input
            id={reasonId}
            type="text"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
            maxLength={1000}
            placeholder="e.g. judge costs spiking, investigating"
          />
        </div>
      </ConfirmDialog>

      <ConfirmDialog
        open={open === "resume"}
        title={`Resume ${name}?`}
        confirmLabel="Resume scorer"
        busy={m.resume.isPending}
        error={m.resume.error?.message}
        onCancel={close}
        onConfirm={() => confirm("resume", { name })}
      >
        <p>
          {name} samples again with its kept settings: {samplingText(scorer)}. New traces are scored from now on.
        </p>
        {scorer.pausedReason && <p className="muted">It was paused because: {scorer.pausedReason}</p>}
      </ConfirmDialog>

      <ConfirmDialog
        open={open === "resumeAccount"}
        title={`Resume ${name} after the account error?`}
        confirmLabel="Resume scorer"
        busy={m.resumeAccount.isPending}
        error={m.resumeAccount.error?.message}
        onCancel={close}
        onConfirm={() => confirm("resumeAccount", { name })}
      >
        <p>The engine paused {name} because the judge endpoint refused the account:</p>
        <p className="muted">{runtime?.accountPausedReason ?? runtime?.reason}</p>
        <p>Resume once the key or quota is fixed. Its held queue runs first, then new traces; if the account is still refused it pauses again.</p>
      </ConfirmDialog>

      <ConfirmDialog
        open={open === "stop"}
        title={`Stop ${name}?`}
        confirmLabel="Stop scorer"
        tone="danger"
        busy={m.stop.isPending}
        error={m.stop.error?.message}
        onCancel={close}
        onConfirm={() => confirm("stop", { name })}
      >
        <p>
          Its sample rate is set to 0 (MLflow&apos;s stop) and it scores no new traces. Unlike pause, the rate is not kept: to run it again you start it with a
          rate. Its existing scores stay.
        </p>
      </ConfirmDialog>

      <ConfirmDialog
        open={open === "start"}
        title={`Start ${name}`}
        confirmLabel="Start scoring"
        busy={m.start.isPending}
        error={m.start.error?.message}
        confirmDisabled={startRate === null || filterValid === false}
        onCancel={close}
        onConfirm={() => startRate !== null && confirm("start", { name, sampleRate: startRate, filterString: filter.trim() || null })}
      >
        <p>{name} will score the chosen share of new, complete traces that match the filter. The same traces are sampled as MLflow would sample them.</p>
        <RatePercentInput value={rate} onChange={setRate} min={0.0001} />
        <FilterField value={filter} onChange={setFilter} validate={actions.validateFilter} label="Filter (optional)" hint="Blank: every trace." />
      </ConfirmDialog>

      {withDelete && (
        <ConfirmDialog
          open={open === "delete"}
          title={`Delete ${name}?`}
          confirmLabel="Delete scorer"
          tone="danger"
          busy={m.delete.isPending}
          error={m.delete.error?.message}
          onCancel={close}
          onConfirm={() => confirm("delete", { name })}
        >
          <p>
            This deletes {versionCount && versionCount > 1 ? `all ${versionCount} versions` : "the scorer"} and its sampling settings; it stops scoring at once.
            The assessments it already wrote stay on their traces. This cannot be undone.
          </p>
        </ConfirmDialog>
      )}
    </div>
  );
}
