"use client";
// Creates an experiment from the dashboard, then opens it (its page says how to send traces).
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/read/action-result";

type Create = (i: { name: string; description: string }) => Promise<ActionResult<{ experiment_id: string }>>;

export function NewExperimentForm({ act }: { act: Create }) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState("");
  const [description, setDescription] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  return (
    <details className="panel new-experiment">
      <summary>New experiment</summary>
      <form
        aria-label="New experiment"
        className="toolbar"
        style={{ marginTop: 8 }}
        onSubmit={(e) => {
          e.preventDefault();
          start(async () => {
            const r = await act({ name, description });
            if (!r.ok) return setError(r.error.message);
            setError(null);
            router.push(`/experiments/${r.data.experiment_id}`);
          });
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-name`}>Name</label>
          <input
            id={`${id}-name`}
            value={name}
            onChange={(e) => setName(e.target.value)}
            required
            maxLength={500}
            placeholder="checkout-agent"
            aria-describedby={`${id}-msg`}
          />
          <div id={`${id}-msg`} className={error ? "error" : "hint"} role={error ? "alert" : undefined}>
            {error ?? "Unique; MLflow clients find it by this name."}
          </div>
        </div>
        <div className="field grow">
          <label htmlFor={`${id}-desc`}>Description (optional)</label>
          <input id={`${id}-desc`} value={description} onChange={(e) => setDescription(e.target.value)} maxLength={2000} />
          <div className="hint">&nbsp;</div>
        </div>
        <button type="submit" className="btn primary" disabled={pending || !name.trim()}>
          {pending ? "Creating…" : "Create"}
        </button>
      </form>
    </details>
  );
}
