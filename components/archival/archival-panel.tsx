"use client";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import type { ArchivalStatus } from "@/lib/archive";
import type { ActionResult } from "@/lib/read/action-result";
import { ConfirmDialog } from "../confirm-dialog";
import { formatAgo, formatCount, formatDateTime } from "../format";
import { unwrap } from "../scorers/use-scorers";
import { dayString, exportHref, type ExportFormat } from "./export-link";

export interface ArchivalActions {
  status: (experimentId: string) => Promise<ActionResult<ArchivalStatus>>;
  set: (experimentId: string, enabled: boolean, retentionDays: number | null) => Promise<ActionResult<ArchivalStatus>>;
}

const key = (id: string) => ["archival", id] as const;

/** Archival on or off, hot-store retention, live progress, and the export download. */
export function ArchivalPanel({
  experimentId,
  initial,
  at,
  actions,
  canEdit,
}: {
  experimentId: string;
  initial: ArchivalStatus;
  at: number;
  actions: ArchivalActions;
  canEdit: boolean;
}) {
  const qc = useQueryClient();
  const q = useQuery({
    queryKey: key(experimentId),
    queryFn: async () => unwrap(await actions.status(experimentId)),
    initialData: initial,
    initialDataUpdatedAt: at,
    refetchInterval: (query) => {
      const s = query.state.data;
      return s && (s.pending_traces > 0 || s.history_job?.status === "RUNNING" || s.history_job?.status === "QUEUED") ? 2000 : 30_000;
    },
  });
  const s = q.data;
  const [enabled, setEnabled] = useState(initial.enabled);
  const [retention, setRetention] = useState(initial.retention_days === null ? "" : String(initial.retention_days));
  const [confirming, setConfirming] = useState(false);
  const save = useMutation({
    mutationFn: async () => unwrap(await actions.set(experimentId, enabled, retention.trim() === "" ? null : Number(retention))),
    onSuccess: (next) => {
      qc.setQueryData(key(experimentId), next);
      setConfirming(false);
    },
  });
  const retentionNum = retention.trim() === "" ? null : Number(retention);
  const retentionInvalid = retentionNum !== null && (!Number.isInteger(retentionNum) || retentionNum < 1 || retentionNum > 36_500);
  const changed = enabled !== s.enabled || retentionNum !== s.retention_days;
  const job = s.history_job;

  const today = dayString(Date.now());
  const [format, setFormat] = useState<ExportFormat>("parquet");
  const [from, setFrom] = useState(dayString(Date.now() - 29 * 86_400_000));
  const [to, setTo] = useState(today);
  const exp = exportHref(experimentId, format, from, to);

  return (
    <div className="grid-2">
      <section className="panel" aria-label="Archival settings">
        <h3>Settings</h3>
        <dl className="kv" style={{ marginBottom: 12 }}>
          <dt>Status</dt>
          <dd>
            <span className={`chip ${s.enabled ? "ok" : ""}`} data-enabled={s.enabled}>
              {s.enabled ? "Archiving" : "Off"}
            </span>
            {s.enabled_at && <span className="muted small"> since {formatDateTime(s.enabled_at)}</span>}
          </dd>
          <dt>Archived traces</dt>
          <dd>
            {formatCount(s.archived_traces)}
            {s.last_archived_at && <span className="muted small"> · last {formatAgo(s.last_archived_at, Date.now())}</span>}
          </dd>
          <dt>Waiting</dt>
          <dd>
            {formatCount(s.pending_traces)}
            {s.oldest_pending_at && <span className="muted small"> · oldest {formatAgo(s.oldest_pending_at, Date.now())}</span>}
          </dd>
          <dt>Retention</dt>
          <dd>{s.retention_days === null ? "Raw traces kept forever" : `Raw traces deleted after ${s.retention_days} days (once archived)`}</dd>
        </dl>
        {job && (
          <div style={{ marginBottom: 12 }}>
            <div className="small muted">
              Archiving history: {job.status.toLowerCase()} · {formatCount(job.done)} of {formatCount(job.total)}
            </div>
            <div
              className={`progress ${job.status === "SUCCEEDED" ? "done" : job.status === "FAILED" ? "failed" : ""}`}
              role="progressbar"
              aria-label="History archival"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={job.total ? Math.round((100 * job.done) / job.total) : 0}
            >
              <span style={{ width: `${job.total ? (100 * job.done) / job.total : 0}%` }} />
            </div>
          </div>
        )}
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (changed && !retentionInvalid) setConfirming(true);
          }}
        >
          <label style={{ display: "flex", gap: 8, alignItems: "center", marginBottom: 8 }}>
            <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} disabled={!canEdit} /> Archive this experiment&apos;s traces
          </label>
          <div className="field">
            <label htmlFor="retention-days">Keep raw traces for (days; blank: forever)</label>
            <input
              id="retention-days"
              type="number"
              min={1}
              max={36500}
              value={retention}
              onChange={(e) => setRetention(e.target.value)}
              disabled={!canEdit}
              aria-invalid={retentionInvalid || undefined}
              style={{ width: 160 }}
            />
            <div className={retentionInvalid ? "error" : "hint"}>
              {retentionInvalid ? "Whole days from 1 to 36,500." : "Applies only to traces already in the archive when archival is on."}
            </div>
          </div>
          <button type="submit" className="btn primary" disabled={!canEdit || !changed || retentionInvalid}>
            Save
          </button>
          {!canEdit && <span className="muted small"> Changing archival needs the admin role.</span>}
        </form>
      </section>

      <section className="panel" aria-label="Export">
        <h3>Export the archive</h3>
        <p className="muted small" style={{ marginTop: 0 }}>
          Archived traces with their spans and assessments, in MLflow&apos;s archived-trace columns. Readable by DuckDB, Spark and pandas.
        </p>
        <div className="toolbar">
          <div className="field">
            <label htmlFor="export-format">Format</label>
            <select id="export-format" value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
              <option value="parquet">Parquet</option>
              <option value="jsonl">JSON Lines</option>
            </select>
          </div>
          <div className="field">
            <label htmlFor="export-from">From (UTC)</label>
            <input id="export-from" type="date" value={from} max={today} onChange={(e) => setFrom(e.target.value)} />
          </div>
          <div className="field">
            <label htmlFor="export-to">To (UTC)</label>
            <input id="export-to" type="date" value={to} max={today} onChange={(e) => setTo(e.target.value)} />
          </div>
        </div>
        {exp.error && <div className="form-error">{exp.error}</div>}
        {exp.href ? (
          <a className="btn primary" href={exp.href} download>
            Download {format === "parquet" ? "Parquet" : "JSON Lines"}
          </a>
        ) : (
          <button type="button" className="btn primary" disabled>
            Download
          </button>
        )}
        {s.archived_traces === 0 && (
          <p className="muted small">The archive is empty: the file will have no rows. {s.enabled ? "Archiving is under way." : "Turn archival on first."}</p>
        )}
      </section>

      <ConfirmDialog
        open={confirming}
        title={enabled && !s.enabled ? "Turn archival on?" : !enabled && s.enabled ? "Turn archival off?" : "Change retention?"}
        confirmLabel="Save"
        tone={!enabled && s.enabled ? "danger" : "primary"}
        busy={save.isPending}
        error={save.error?.message}
        onCancel={() => {
          save.reset();
          setConfirming(false);
        }}
        onConfirm={() => save.mutate()}
      >
        {enabled && !s.enabled && (
          <p>
            Every complete trace is copied with its assessments into the archive: the traces already stored, as a background job, then new and changed ones as
            they arrive.
          </p>
        )}
        {!enabled && s.enabled && (
          <p>
            New traces are no longer archived and a running history job is cancelled. The archive keeps everything it has; retention stops deleting raw traces.
          </p>
        )}
        <p>
          {retentionNum === null
            ? "Raw traces are kept forever."
            : `Raw traces older than ${retentionNum} days are deleted from the hot store once archived; the archive and trends keep them.`}
        </p>
      </ConfirmDialog>
    </div>
  );
}
