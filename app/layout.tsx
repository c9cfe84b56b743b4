import type { Metadata, Viewport } from "next";
import Link from "next/link";
import { headers } from "next/headers";
import type { ReactNode } from "react";
import { SHARE_PATH } from "@/lib/auth/report-links";
import { AlertsBadge } from "@/components/alerts/alerts-badge";
import { ExperimentSwitcher } from "@/components/experiment-switcher";
import { countAttentionAlerts } from "@/lib/alerts/list-alerts";
import { Providers } from "@/components/providers";
import { RemoteBanner, RemotePill } from "@/components/remote-status-bar";
import { listExperimentOptions } from "@/lib/read";
import { getRemoteStatus } from "@/lib/remote/status";
import { getRequestCtx } from "@/lib/runtime/request-ctx";
import { signOutAction } from "./signin/actions";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Vigil", template: "%s · Vigil" },
  description: "Production monitoring for GenAI agents",
};
export const viewport: Viewport = { width: "device-width", initialScale: 1, colorScheme: "light dark" };
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  // The layout also wraps the sign-in page, so it must not send anyone to sign in itself.
  const ctx = await getRequestCtx({ redirectToSignIn: false });
  // A shared report link shows the report and nothing else: no navigation, no experiment names.
  const shared = ((await headers()).get("x-vigil-path") ?? "").startsWith(`${SHARE_PATH}/`);
  if (shared) {
    return (
      <html lang="en">
        <body>
          <Providers>
            <main id="main">{children}</main>
          </Providers>
        </body>
      </html>
    );
  }
  const signedIn = ctx.actor.id.startsWith("user:");
  const mayRead = signedIn || ctx.config.VIGIL_ANONYMOUS_ROLE !== "none";
  const options = mayRead ? listExperimentOptions({ ctx, input: {} }) : [];
  // Not shown to someone who may not read: the tracking URI is the team's own business.
  const remote = mayRead ? getRemoteStatus({ ctx, input: {} }) : null;
  const firing = mayRead ? countAttentionAlerts({ ctx, input: {} }) : 0;
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">
          Skip to content
        </a>
        <header className="topbar">
          <Link href="/" className="brand">
            <span className="brand-dot" aria-hidden />
            Vigil
          </Link>
          <nav aria-label="Main">
            <Link href="/">Experiments</Link>
            <Link href="/mlflow">MLflow</Link>
            {mayRead && <AlertsBadge count={firing} />}
            {ctx.actor.role === "admin" && <Link href="/access">Access</Link>}
          </nav>
          <ExperimentSwitcher options={options} />
          {remote && <RemotePill status={remote} />}
          {signedIn && (
            <form action={signOutAction} className="whoami">
              <span className="muted small">
                {ctx.actor.id.slice("user:".length)} · {ctx.actor.role}
              </span>
              <button type="submit" className="btn small">
                Sign out
              </button>
            </form>
          )}
        </header>
        {remote && <RemoteBanner status={remote} now={ctx.now()} />}
        <Providers>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
