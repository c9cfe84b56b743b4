"use client";
// The shadow version of a scorer: what it is, how it agrees with the live version on the traces
// both scored, what each costs, the disagreeing traces one click away, and promote / discard /
// register for the roles that may (viewers read the same comparison, with the buttons disabled).
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { comparisonJson } from "@/lib/monitoring/agreement/json";
import type { toShadowJson } from "@/lib/monitoring/shadow-store";
import { ConfirmDialog } from "../confirm-dialog";
import { costText, kappaText, kappaWord, pct, ratingText } from "./agreement-format";
import { ConfusionTable } from "./confusion-table";

type Result = { ok: true; data: { version: number } } | { ok: false; error: { message: string } };
export interface ShadowActions {
  register: (experimentId: string, name: string, serialized: string) => Promise<Result>;
  promote: (experimentId: string, name: string, version: number, reason?: string) => Promise<Result>;
  discard: (experimentId: string, name: string, version: number, reason?: string) => Promise<Result>;
}

export function ShadowPanel({
  experimentId,
  name,
  liveVersion,
  liveSerialized,
  started,
  running,
  comparison,
  can,
  actions,
}: {
  experimentId: string;
  name: string;
  liveVersion: number;
  liveSerialized: string;
  started: boolean;
  running: ReturnType<typeof toShadowJson> | null;
  comparison: ReturnType<typeof comparisonJson> | null;
  can: { register: boolean; promote: boolean; discard: boolean };
  actions: ShadowActions;
}) {
  const router = useRouter();
  const [open, setOpen] = useState<null | "promote" | "discard" | "register">(null);
  const [reason, setReason] = useState("");
  const [draft, setDraft] = useState(() => JSON.stringify(JSON.parse(liveSerialized), null, 2));
  const [error, setError] = useState<string | null>(null);
  const [busy, start] = useTransition();
  const run = (fn: () => Promise<Result>) =>
    start(async () => {
      const r = await fn();
      if (!r.ok) return setError(r.error.message);
      setOpen(null);
      setError(null);
      setReason("");
      router.refresh();
    });
  const close = () => {
    setOpen(null);
    setError(null);
  };
  const c = comparison;
  const a = c?.agreement;

  return (
    <section aria-label="Shadow version" className="panel">
      <div className="section-head" style={{ marginTop: 0 }}>
        <h2 style={{ margin: 0 }}>Shadow version</h2>
        <div className="row-actions">
          {running ? (
            <>
              <button
                type="button"
                className="btn primary"
                disabled={!can.promote}
                title={can.promote ? undefined : "Promoting needs the admin role"}
                onClick={() => setOpen("promote")}
              >
                Promote v{running.version}
              </button>
              <button
                type="button"
                className="btn danger"
                disabled={!can.discard}
                title={can.discard ? undefined : "Discarding needs the operator role"}
                onClick={() => setOpen("discard")}
              >
                Discard
              </button>
            </>
          ) : (
            <button
              type="button"
              className="btn"
              disabled={!can.register || !started}
              title={!can.register ? "Registering needs the admin role" : started ? undefined : "Start the scorer first: a shadow scores its sampled traces"}
              onClick={() => setOpen("register")}
            >
              Register a shadow version
            </button>
          )}
        </div>
      </div>
      {running ? (
        <p className="small">
          <span className="chip info">shadow</span> v{running.version} scores the same sampled traces as live v{liveVersion}, since{" "}
          {new Date(running.created_at).toISOString().slice(0, 16).replace("T", " ")} UTC (by {running.created_by}). Its scores stay out of trends, reports and
          alerts until it is promoted.
        </p>
      ) : (
        <p className="small muted">
          No shadow runs. A shadow is a new version that scores the live version&apos;s sampled traces beside it, so you can compare before you switch.
        </p>
      )}
      {c && a && (
        <section aria-label="Version comparison">
          <h3>
            v{c.a.version} ({c.a.role}) vs v{c.b.version} ({c.b.role})
          </h3>
          <dl className="stats">
            <div>
              <dt>Traces both scored</dt>
              <dd>{c.overlap.toLocaleString("en-US")}</dd>
            </div>
            <div>
              <dt>Agreement</dt>
              <dd>{a.type === "numeric" ? pct(a.exact_agreement) : pct(a.type === "categorical" ? a.agreement : null)}</dd>
            </div>
            <div>
              <dt>{a.type === "numeric" ? "Difference (v" + c.b.version + " − v" + c.a.version + ")" : "Cohen's kappa"}</dt>
              <dd style={{ fontSize: 14 }}>
                {kappaText(a)} {a.type === "categorical" && !a.degenerate && <span className="muted">{kappaWord(a.kappa)}</span>}
              </dd>
            </div>
            <div>
              <dt>Cost per assessment</dt>
              <dd style={{ fontSize: 14 }}>
                v{c.a.version}: {costText(c.a.cost_per_assessment_usd, c.a.unpriced)} · v{c.b.version}: {costText(c.b.cost_per_assessment_usd, c.b.unpriced)}
              </dd>
            </div>
          </dl>
          {a.type === "categorical" && (
            <ConfusionTable matrix={a.confusion_matrix} rowLabel={`v${c.a.version}`} colLabel={`v${c.b.version}`} caption="Confusion matrix" />
          )}
          <h3>
            Disagreeing traces ({c.disagreements.length}
            {c.disagreements.length === 100 ? "+" : ""})
          </h3>
          {c.disagreements.length === 0 ? (
            <p className="small muted">None so far.</p>
          ) : (
            <ul className="plain-list small" aria-label="Disagreeing traces">
              {c.disagreements.slice(0, 20).map((d) => (
                <li key={d.trace_id}>
                  <Link className="mono" href={`/experiments/${experimentId}/traces/${encodeURIComponent(d.trace_id)}?label=${encodeURIComponent(name)}`}>
                    {d.trace_id.slice(0, 15)}…
                  </Link>{" "}
                  v{c.a.version} <strong>{ratingText(d.a)}</strong> · v{c.b.version} <strong>{ratingText(d.b)}</strong>
                </li>
              ))}
            </ul>
          )}
        </section>
      )}

      <ConfirmDialog
        open={open === "promote"}
        title={`Promote v${running?.version} of ${name}?`}
        confirmLabel="Promote"
        busy={busy}
        error={error}
        onCancel={close}
        onConfirm={() => run(() => actions.promote(experimentId, name, running!.version, reason))}
      >
        <p>
          v{running?.version} becomes the live version and v{liveVersion} stops scoring. MLflow clients will see v{running?.version} as the latest version. The
          trend starts a new line now; the shadow&apos;s earlier scores stay out of it.
        </p>
        <label className="field">
          Reason (audit log)
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        </label>
      </ConfirmDialog>
      <ConfirmDialog
        open={open === "discard"}
        title={`Discard shadow v${running?.version}?`}
        confirmLabel="Discard"
        tone="danger"
        busy={busy}
        error={error}
        onCancel={close}
        onConfirm={() => run(() => actions.discard(experimentId, name, running!.version, reason))}
      >
        <p>The shadow stops scoring. Its assessments are kept for the record; they never enter trends.</p>
        <label className="field">
          Reason (audit log)
          <input value={reason} onChange={(e) => setReason(e.target.value)} maxLength={500} />
        </label>
      </ConfirmDialog>
      <ConfirmDialog
        open={open === "register"}
        title={`Register a shadow version of ${name}`}
        confirmLabel="Register shadow"
        busy={busy}
        error={error}
        onCancel={close}
        onConfirm={() => run(() => actions.register(experimentId, name, draft))}
      >
        <p className="small">
          Edit the definition (MLflow&apos;s serialized scorer JSON, here the live v{liveVersion}&apos;s). The shadow uses the live version&apos;s sampling.
        </p>
        <label className="field">
          Serialized scorer
          <textarea aria-label="Serialized scorer" rows={12} className="mono" value={draft} onChange={(e) => setDraft(e.target.value)} />
        </label>
      </ConfirmDialog>
    </section>
  );
}
