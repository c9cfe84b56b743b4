// The remote MLflow's state on every page: a pill in the top bar and, while MLflow does not
// answer, a banner under it, so on-call staff see at once why scores stopped arriving.
import Link from "next/link";
import type { RemoteStatus } from "@/lib/remote/status";
import { formatDateTime } from "./format";
import { remoteBanner, remotePill } from "./remote-status";

export function RemotePill({ status }: { status: RemoteStatus }) {
  const pill = remotePill(status);
  if (!pill) return null;
  const title =
    status.reachable === false
      ? `Last error ${formatDateTime(status.lastErrorAt, { seconds: true })}`
      : status.lastOkAt
        ? `Last answered ${formatDateTime(status.lastOkAt, { seconds: true })}`
        : undefined;
  return (
    <Link href="/mlflow" className={`chip ${pill.tone} remote-pill`} data-reachable={String(status.reachable)} title={title}>
      <span className="dot" aria-hidden />
      {pill.label}
    </Link>
  );
}

export function RemoteBanner({ status, now }: { status: RemoteStatus; now: number }) {
  const text = remoteBanner(status, now);
  if (!text) return null;
  return (
    <div className="remote-banner" role="alert">
      <span>{text}</span> <Link href="/mlflow">Details</Link>
    </div>
  );
}
