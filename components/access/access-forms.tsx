"use client";
// Admins add people and API tokens; a token's secret is shown once, here, and never again.
import { useId, useState } from "react";
import type { ActionResult } from "@/lib/read/action-result";
import { Note, useAct } from "../alerts/alert-buttons";

export function UserForm({ act }: { act: (i: { username: string; password: string; role: string }) => Promise<ActionResult<{ username: string }>> }) {
  const { pending, message, run } = useAct();
  const id = useId();
  const [username, setUsername] = useState("");
  const [password, setPassword] = useState("");
  const [role, setRole] = useState("viewer");
  return (
    <form
      className="toolbar panel"
      aria-label="Add a person"
      onSubmit={(e) => {
        e.preventDefault();
        run(
          () => act({ username, password, role }),
          () => {
            setUsername("");
            setPassword("");
            return "Added.";
          },
        );
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-u`}>Username</label>
        <input id={`${id}-u`} value={username} onChange={(e) => setUsername(e.target.value)} required autoComplete="off" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-p`}>Password</label>
        <input id={`${id}-p`} type="password" value={password} onChange={(e) => setPassword(e.target.value)} required autoComplete="new-password" />
      </div>
      <div className="field">
        <label htmlFor={`${id}-r`}>Role</label>
        <select id={`${id}-r`} value={role} onChange={(e) => setRole(e.target.value)}>
          {["viewer", "operator", "admin"].map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn primary" disabled={pending}>
        Add person
      </button>
      <Note m={message} />
    </form>
  );
}

export function TokenForm({
  experiments,
  act,
}: {
  experiments: { id: string; name: string }[];
  act: (i: { name: string; role: string; experiment_id: string }) => Promise<ActionResult<{ token: string }>>;
}) {
  const { pending, message, run } = useAct();
  const id = useId();
  const [name, setName] = useState("");
  const [role, setRole] = useState("viewer");
  const [experiment, setExperiment] = useState("");
  const [secret, setSecret] = useState<string | null>(null);
  return (
    <form
      className="toolbar panel"
      aria-label="Create a token"
      onSubmit={(e) => {
        e.preventDefault();
        setSecret(null);
        run(
          () => act({ name, role, experiment_id: experiment }),
          (d) => {
            setSecret(d.token);
            setName("");
            return "Created.";
          },
        );
      }}
    >
      <div className="field">
        <label htmlFor={`${id}-n`}>Name</label>
        <input id={`${id}-n`} value={name} onChange={(e) => setName(e.target.value)} required maxLength={100} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-r`}>Role</label>
        <select id={`${id}-r`} value={role} onChange={(e) => setRole(e.target.value)}>
          {["viewer", "operator", "admin", "ingest"].map((r) => (
            <option key={r}>{r}</option>
          ))}
        </select>
      </div>
      <div className="field">
        <label htmlFor={`${id}-e`}>Limited to</label>
        <select id={`${id}-e`} value={experiment} onChange={(e) => setExperiment(e.target.value)}>
          <option value="">every experiment</option>
          {experiments.map((x) => (
            <option key={x.id} value={x.id}>
              {x.name}
            </option>
          ))}
        </select>
      </div>
      <button type="submit" className="btn primary" disabled={pending}>
        Create token
      </button>
      <Note m={message} />
      {secret && (
        <div className="alert info secret-once" role="status" style={{ flexBasis: "100%" }}>
          Token (shown once): <code className="mono">{secret}</code>
        </div>
      )}
    </form>
  );
}
