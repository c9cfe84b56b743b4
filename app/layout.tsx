import type { Metadata, Viewport } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import { ExperimentSwitcher } from "@/components/experiment-switcher";
import { Providers } from "@/components/providers";
import { listExperimentOptions } from "@/lib/overview";
import { getServerCtx } from "@/lib/runtime/server-ctx";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Vigil", template: "%s · Vigil" },
  description: "Production monitoring for GenAI agents",
};
export const viewport: Viewport = { width: "device-width", initialScale: 1, colorScheme: "light dark" };
export const dynamic = "force-dynamic";

export default function RootLayout({ children }: { children: ReactNode }) {
  const options = listExperimentOptions({ ctx: getServerCtx(), input: {} });
  return (
    <html lang="en">
      <body>
        <a href="#main" className="skip-link">Skip to content</a>
        <header className="topbar">
          <Link href="/" className="brand"><span className="brand-dot" aria-hidden />Vigil</Link>
          <nav aria-label="Main">
            <Link href="/">Experiments</Link>
          </nav>
          <ExperimentSwitcher options={options} />
        </header>
        <Providers>
          <main id="main">{children}</main>
        </Providers>
      </body>
    </html>
  );
}
