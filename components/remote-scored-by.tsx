"use client";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/read/action-result";
import { SCORED_BY_LABEL } from "./remote-status";

type ScoredBy = "vigil" | "mlflow";
export type SetScoredBy = (experimentId: string, scoredBy: string) => Promise<ActionResult<{ experiment_id: string; scored_by: string }>>;

/** Who scores one linked experiment: an admin's select and Save, with the verb's answer shown. */
export function ScoredByForm({ experimentId, name, initial, action }: { experimentId: string; name: string; initial: ScoredBy; action: SetScoredBy }) {
  const router = useRouter();
  const [saved, setSaved] = useState<ScoredBy>(initial);
  const [value, setValue] = useState<ScoredBy>(initial);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [pending, start] = useTransition();
  // Someone else switched it (the page refreshes itself): follow the server, as React's docs advise for props that change.
  const [seen, setSeen] = useState(initial);
  if (initial !== seen) {
    setSeen(initial);
    setSaved(initial);
    setValue(initial);
  }
  return (
    <form
      className="scored-by"
      onSubmit={(e) => {
        e.preventDefault();
        start(async () => {
          const r = await action(experimentId, value);
          if (r.ok) {
            setSaved(value);
            setMessage({ ok: true, text: value === "vigil" ? "Saved: Vigil scores from now on." : "Saved: MLflow scores from now on." });
            // The checkpoint and queues changed with the switch.
            router.refresh();
          } else {
            setMessage({ ok: false, text: r.error.message });
          }
        });
      }}
    >
      <select
        aria-label={`Who scores ${name}`}
        value={value}
        onChange={(e) => {
          setValue(e.target.value as ScoredBy);
          setMessage(null);
        }}
        disabled={pending}
      >
        {(Object.keys(SCORED_BY_LABEL) as ScoredBy[]).map((k) => (
          <option key={k} value={k}>
            {SCORED_BY_LABEL[k]}
          </option>
        ))}
      </select>
      <button type="submit" className="btn small" disabled={pending || value === saved}>
        {pending ? "Saving…" : "Save"}
      </button>
      {message && (
        <div className={message.ok ? "small ok" : "small bad"} role={message.ok ? "status" : "alert"}>
          {message.text}
        </div>
      )}
    </form>
  );
}
