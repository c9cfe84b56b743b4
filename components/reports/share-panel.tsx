"use client";
// Admins share the report: a read-only link (a viewer token limited to this experiment) shown
// once with a copy button, and the links that are open now, each revocable at once.
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import type { ActionResult } from "@/lib/read/action-result";
import { formatDateTime } from "../format";
import { CopyLinkButton } from "./copy-link-button";

export interface ShareLinkRow {
  token_id: string;
  name: string;
  created_at: number;
}

export function SharePanel({
  experimentId,
  links,
  create,
  revoke,
}: {
  experimentId: string;
  links: ShareLinkRow[];
  create: (experimentId: string, name: string) => Promise<ActionResult<{ token_id: string; path: string }>>;
  revoke: (experimentId: string, tokenId: string) => Promise<ActionResult<{ token_id: string }>>;
}) {
  const router = useRouter();
  const id = useId();
  const [name, setName] = useState("");
  const [made, setMade] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [pending, start] = useTransition();
  const run = <T,>(act: () => Promise<ActionResult<T>>, done: (d: T) => void) =>
    start(async () => {
      const r = await act();
      if (!r.ok) return setError(r.error.message);
      setError(null);
      done(r.data);
      router.refresh();
    });
  return (
    <details className="panel no-print share-panel" style={{ marginBottom: 16 }}>
      <summary>Share a read-only link ({links.length} open)</summary>
      <p className="small muted">Anyone with the link sees this report, and nothing else, without signing in. Revoke it to close it at once.</p>
      <form
        className="toolbar"
        aria-label="Share the report"
        onSubmit={(e) => {
          e.preventDefault();
          run(
            () => create(experimentId, name),
            (d) => {
              setMade(d.path);
              setName("");
            },
          );
        }}
      >
        <div className="field">
          <label htmlFor={`${id}-for`}>For</label>
          <input id={`${id}-for`} value={name} onChange={(e) => setName(e.target.value)} maxLength={80} placeholder="weekly quality review" />
        </div>
        <button type="submit" className="btn primary" disabled={pending}>
          Create link
        </button>
      </form>
      {error && (
        <div className="alert bad" role="alert">
          {error}
        </div>
      )}
      {made && (
        <div className="alert info share-made" role="status">
          <span>Link (shown once):</span>{" "}
          <code className="mono" data-testid="share-link">
            {made}
          </code>{" "}
          <CopyLinkButton href={made} />
        </div>
      )}
      {links.length > 0 && (
        <table className="data" aria-label="Open report links">
          <thead>
            <tr>
              <th>Link</th>
              <th>Made</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {links.map((l) => (
              <tr key={l.token_id}>
                <td>
                  {l.name.replace(/^Report link: /, "")} <span className="muted small mono">{l.token_id}</span>
                </td>
                <td className="small">{formatDateTime(l.created_at)}</td>
                <td style={{ textAlign: "right" }}>
                  <button
                    type="button"
                    className="btn small danger"
                    disabled={pending}
                    onClick={() =>
                      run(
                        () => revoke(experimentId, l.token_id),
                        () => setMade(null),
                      )
                    }
                    aria-label={`Revoke ${l.name}`}
                  >
                    Revoke
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}
