import type { Metadata } from "next";
import Link from "next/link";
import type { ReactNode } from "react";
import "./globals.css";

export const metadata: Metadata = {
  title: "Vigil",
  description: "Production monitoring for GenAI agents",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <header className="topbar">
          <Link href="/" className="brand">Vigil</Link>
          <nav aria-label="Main">
            <Link href="/">Experiments</Link>
          </nav>
        </header>
        <main>{children}</main>
      </body>
    </html>
  );
}
