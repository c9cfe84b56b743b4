"use client";
// Admins add a receiver (webhook, Slack, PagerDuty). What is typed into URL and secret is sent
// once and cleared; a signing secret Vigil makes is shown here once and never again.
import { useId, useState } from "react";
import type { ActionResult } from "@/lib/read/action-result";
import { Note, useAct } from "./alert-buttons";

type Kind = "webhook" | "slack" | "pagerduty";
export interface ChannelInput {
  name: string;
  kind: Kind;
  url?: string;
  secret?: string;
  experiment_id?: string;
}
type Create = (i: ChannelInput) => Promise<ActionResult<{ channel_id: string; signing_secret: string | null }>>;

const URL_HINT: Record<Kind, string> = {
  webhook: "https://hooks.example.com/vigil (JSON, signed with HMAC-SHA256)",
  slack: "https://hooks.slack.com/services/… (an incoming webhook)",
  pagerduty: "left empty: PagerDuty's Events API v2",
};

export function ChannelForm({ experiments, act }: { experiments: { id: string; name: string }[]; act: Create }) {
  const { pending, message, run } = useAct();
  const id = useId();
  const [kind, setKind] = useState<Kind>("webhook");
  const [name, setName] = useState("");
  const [url, setUrl] = useState("");
  const [secret, setSecret] = useState("");
  const [experiment, setExperiment] = useState("");
  const [shown, setShown] = useState<string | null>(null);
  return (
    <form
      className="panel channel-form"
      aria-label="Add a channel"
      onSubmit={(e) => {
        e.preventDefault();
        setShown(null);
        const input: ChannelInput = {
          name,
          kind,
          ...(url ? { url } : {}),
          ...(secret && kind !== "slack" ? { secret } : {}),
          ...(experiment ? { experiment_id: experiment } : {}),
        };
        run(
          () => act(input),
          (d) => {
            setName("");
            setUrl("");
            setSecret("");
            setShown(d.signing_secret);
            return "Channel added.";
          },
        );
      }}
    >
      <label htmlFor={`${id}-name`}>Name</label>
      <input id={`${id}-name`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} placeholder="on-call pager" />
      <label htmlFor={`${id}-kind`}>Kind</label>
      <select id={`${id}-kind`} value={kind} onChange={(e) => setKind(e.target.value as Kind)}>
        <option value="webhook">Webhook (signed JSON)</option>
        <option value="slack">Slack incoming webhook</option>
        <option value="pagerduty">PagerDuty (Events API v2)</option>
      </select>
      <label htmlFor={`${id}-url`}>URL</label>
      <input
        id={`${id}-url`}
        type="url"
        value={url}
        onChange={(e) => setUrl(e.target.value)}
        required={kind !== "pagerduty"}
        placeholder={URL_HINT[kind]}
        autoComplete="off"
      />
      {kind !== "slack" && (
        <>
          <label htmlFor={`${id}-secret`}>{kind === "pagerduty" ? "Routing key" : "Signing secret"}</label>
          <input
            id={`${id}-secret`}
            type="password"
            value={secret}
            onChange={(e) => setSecret(e.target.value)}
            required={kind === "pagerduty"}
            minLength={8}
            autoComplete="new-password"
            placeholder={kind === "pagerduty" ? "the integration's routing key" : "left empty: Vigil makes one and shows it once"}
          />
        </>
      )}
      <label htmlFor={`${id}-exp`}>Alerts of</label>
      <select id={`${id}-exp`} value={experiment} onChange={(e) => setExperiment(e.target.value)}>
        <option value="">every experiment</option>
        {experiments.map((x) => (
          <option key={x.id} value={x.id}>
            {x.name}
          </option>
        ))}
      </select>
      <div className="channel-form-actions">
        <button type="submit" className="btn primary" disabled={pending}>
          {pending ? "Adding…" : "Add channel"}
        </button>
        <Note m={message} />
      </div>
      {shown && (
        <div className="panel secret-once" role="status">
          Signing secret (shown once; Vigil keeps it encrypted and never shows it again): <code className="mono">{shown}</code>
        </div>
      )}
      <p className="muted small channel-form-actions">URL and secret are stored encrypted; only a hint of the URL is shown afterwards.</p>
    </form>
  );
}
