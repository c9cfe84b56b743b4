"use client";
// The on-call's controls: acknowledge an alert, silence a scorer, end a silence, test a channel,
// turn a rule on or off. Each calls one server action and refreshes the page on success.
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionResult } from "@/lib/read/action-result";

type Act<T> = () => Promise<ActionResult<T>>;

export function useAct() {
  const router = useRouter();
  const [pending, start] = useTransition();
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const run = <T,>(act: Act<T>, done?: (d: T) => string | null) =>
    start(async () => {
      const r = await act();
      if (!r.ok) setMessage({ ok: false, text: r.error.message });
      else {
        const text = done?.(r.data) ?? null;
        setMessage(text ? { ok: true, text } : null);
        router.refresh();
      }
    });
  return { pending, message, run };
}

export const Note = ({ m }: { m: { ok: boolean; text: string } | null }) =>
  m ? (
    <span role="status" className={`small ${m.ok ? "" : "bad-text"}`}>
      {m.text}
    </span>
  ) : null;

type Delivery = { ok: boolean; http_status: number | null; error: string | null };
const deliveryText = (d: unknown) => {
  const r = d as Delivery;
  return r.ok ? `Delivered (${r.http_status}).` : `Failed: ${r.error ?? r.http_status}`;
};

/** `reportDelivery`: the action answers a test-send; say what the receiver answered. */
export function ActButton<T>({
  label,
  act,
  className = "btn small",
  disabled,
  title,
  reportDelivery,
}: {
  label: string;
  act: Act<T>;
  className?: string;
  disabled?: boolean;
  title?: string;
  reportDelivery?: boolean;
}) {
  const { pending, message, run } = useAct();
  const done = reportDelivery ? deliveryText : undefined;
  return (
    <span className="inline-act">
      <button type="button" className={className} disabled={disabled || pending} title={title} onClick={() => run(act, done)}>
        {pending ? "…" : label}
      </button>
      <Note m={message} />
    </span>
  );
}

export function SilenceForm({
  scorers,
  act,
  disabled,
}: {
  scorers: { experimentId: string; experimentName: string; scorer: string }[];
  act: (i: { experimentId: string; scorer: string; duration: string; reason: string }) => Promise<ActionResult<{ silence_id: string }>>;
  disabled?: boolean;
}) {
  const { pending, message, run } = useAct();
  const [target, setTarget] = useState(scorers[0] ? `${scorers[0].experimentId}/${scorers[0].scorer}` : "");
  const [duration, setDuration] = useState("2h");
  const [reason, setReason] = useState("");
  if (scorers.length === 0) return <div className="empty">No scorers to silence.</div>;
  return (
    <form
      className="panel silence-form"
      aria-label="Silence a scorer"
      onSubmit={(e) => {
        e.preventDefault();
        const [experimentId, ...rest] = target.split("/");
        run(
          () => act({ experimentId: experimentId!, scorer: rest.join("/"), duration, reason }),
          () => "Silenced.",
        );
      }}
    >
      <label>
        Scorer{" "}
        <select value={target} onChange={(e) => setTarget(e.target.value)} name="scorer">
          {scorers.map((s) => (
            <option key={`${s.experimentId}/${s.scorer}`} value={`${s.experimentId}/${s.scorer}`}>
              {s.scorer} · {s.experimentName}
            </option>
          ))}
        </select>
      </label>
      <label>
        For{" "}
        <select value={duration} onChange={(e) => setDuration(e.target.value)} name="duration">
          {["30m", "1h", "2h", "4h", "12h", "1d", "3d"].map((d) => (
            <option key={d} value={d}>
              {d}
            </option>
          ))}
        </select>
      </label>
      <label>
        Reason <input value={reason} onChange={(e) => setReason(e.target.value)} name="reason" placeholder="why the pages are held" required />
      </label>
      <button type="submit" className="btn warn" disabled={disabled || pending}>
        Silence
      </button>
      <Note m={message} />
    </form>
  );
}
