"use client";
// The "label" control of the trace page: an engineer records what the right verdict was for a
// judge on this trace (MLflow HUMAN feedback with the judge's name), the ground truth the judge's
// agreement is measured against. The server checks the value type; its refusal is shown as is.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";

export interface LabelTarget {
  name: string;
  /** From the judge's own answer on this trace. */
  valueType: "yesno" | "numeric" | "text";
  /** The current label, if a person already gave one. */
  labelled: string | null;
}

type Result = { ok: true } | { ok: false; error: { message: string } };

export function LabelControl({
  traceId,
  targets,
  focus,
  canLabel,
  action,
}: {
  traceId: string;
  targets: LabelTarget[];
  focus: string | null;
  canLabel: boolean;
  action: (traceId: string, name: string, value: string | number | boolean, rationale?: string) => Promise<Result>;
}) {
  if (targets.length === 0) return null;
  return (
    <section aria-label="Labels" className="panel">
      <h2 style={{ marginTop: 0 }}>Label</h2>
      <p className="small muted">Your verdict is the ground truth the judge is measured against (and what MLflow&apos;s align() learns from).</p>
      {targets.map((t) => (
        <LabelRow key={t.name} traceId={traceId} target={t} focused={focus === t.name} canLabel={canLabel} action={action} />
      ))}
    </section>
  );
}

function LabelRow({
  traceId,
  target,
  focused,
  canLabel,
  action,
}: {
  traceId: string;
  target: LabelTarget;
  focused: boolean;
  canLabel: boolean;
  action: Parameters<typeof LabelControl>[0]["action"];
}) {
  const router = useRouter();
  const [value, setValue] = useState("");
  const [rationale, setRationale] = useState("");
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [busy, start] = useTransition();
  const submit = (v: string | number | boolean) =>
    start(async () => {
      const r = await action(traceId, target.name, v, rationale);
      if (!r.ok) return setMessage({ ok: false, text: r.error.message });
      setMessage({ ok: true, text: `Labelled ${target.name}: ${String(v)}` });
      setValue("");
      router.refresh();
    });
  const title = canLabel ? undefined : "Labelling needs the operator role";
  return (
    <form
      className="label-row"
      aria-label={`Label ${target.name}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (target.valueType !== "yesno") submit(target.valueType === "numeric" ? Number(value) : value);
      }}
      style={{
        display: "flex",
        flexWrap: "wrap",
        gap: 8,
        alignItems: "center",
        padding: "6px 0",
        outline: focused ? "2px solid var(--accent)" : undefined,
        outlineOffset: 4,
        borderRadius: 4,
      }}
    >
      <strong>{target.name}</strong>
      {target.labelled !== null && <span className="chip">labelled: {target.labelled}</span>}
      {target.valueType === "yesno" ? (
        <>
          <button
            type="button"
            className="btn small"
            disabled={!canLabel || busy}
            title={title}
            onClick={() => submit("yes")}
            aria-label={`Label ${target.name} yes`}
          >
            yes
          </button>
          <button
            type="button"
            className="btn small"
            disabled={!canLabel || busy}
            title={title}
            onClick={() => submit("no")}
            aria-label={`Label ${target.name} no`}
          >
            no
          </button>
        </>
      ) : (
        <>
          <input
            aria-label={`Value for ${target.name}`}
            type={target.valueType === "numeric" ? "number" : "text"}
            step="any"
            value={value}
            onChange={(e) => setValue(e.target.value)}
            disabled={!canLabel}
            style={{ width: 120 }}
          />
          <button type="submit" className="btn small" disabled={!canLabel || busy || value.trim() === ""} title={title}>
            Save label
          </button>
        </>
      )}
      <input
        aria-label={`Why (${target.name})`}
        placeholder="why (optional)"
        value={rationale}
        onChange={(e) => setRationale(e.target.value)}
        disabled={!canLabel}
        style={{ flex: "1 1 160px" }}
      />
      {message && (
        <span role={message.ok ? "status" : "alert"} className={`chip ${message.ok ? "ok" : "bad"}`}>
          {message.text}
        </span>
      )}
    </form>
  );
}
