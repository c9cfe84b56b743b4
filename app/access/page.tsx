// Users and API tokens, for admins: who may do what, and which tokens are live.
import type { Metadata } from "next";
import { ActButton } from "@/components/alerts/alert-buttons";
import { TokenForm, UserForm } from "@/components/access/access-forms";
import { formatDateTime } from "@/components/format";
import { listApiTokens, listUsers } from "@/lib/auth";
import { listExperimentOptions } from "@/lib/read";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { createTokenAction, createUserAction, revokeTokenAction } from "./actions";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Users and tokens" };

export default async function AccessPage() {
  const ctx = await getRequestCtx();
  if (ctx.actor.role !== "admin")
    return (
      <div className="empty">
        <h3>Users and tokens</h3>
        <p>This page needs the admin role.</p>
      </div>
    );
  const users = listUsers({ ctx, input: {} });
  const tokens = listApiTokens({ ctx, input: {} });
  const experiments = listExperimentOptions({ ctx, input: {} }).map((e) => ({ id: e.experimentId, name: e.name }));
  const nameOf = new Map(experiments.map((e) => [e.id, e.name]));
  return (
    <>
      <h1>Users and tokens</h1>
      <h2>People</h2>
      <UserForm act={createUserAction} />
      {users.length === 0 ? (
        <div className="empty small">No people yet.</div>
      ) : (
        <table className="data" aria-label="People">
          <thead>
            <tr>
              <th>Username</th>
              <th>Role</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.username}>
                <td>{u.username}</td>
                <td>
                  <span className="chip">{u.role}</span>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <h2>API tokens</h2>
      <TokenForm experiments={experiments} act={createTokenAction} />
      {tokens.length === 0 ? (
        <div className="empty small">No tokens yet.</div>
      ) : (
        <table className="data" aria-label="API tokens">
          <thead>
            <tr>
              <th>Name</th>
              <th>Role</th>
              <th>Limited to</th>
              <th>Made</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {tokens.map((t) => (
              <tr key={t.token_id}>
                <td>
                  {t.name} <span className="muted small mono">{t.token_id}</span>
                </td>
                <td>
                  <span className="chip">{t.role}</span>
                </td>
                <td>{t.experiment_id === null ? "every experiment" : (nameOf.get(t.experiment_id) ?? `#${t.experiment_id}`)}</td>
                <td className="small">{formatDateTime(t.created_at)}</td>
                <td style={{ textAlign: "right" }}>
                  {t.revoked_at === null ? (
                    <ActButton label="Revoke" className="btn small danger" act={revokeTokenAction.bind(null, t.token_id)} />
                  ) : (
                    <span className="muted small">revoked {formatDateTime(t.revoked_at)}</span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
