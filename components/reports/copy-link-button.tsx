"use client";
import { useState } from "react";

/** Copies `href` (made absolute) to the clipboard and says so, or says how to copy it by hand. */
export function CopyLinkButton({ href, label = "Copy link" }: { href: string; label?: string }) {
  const [said, setSaid] = useState<string | null>(null);
  const copy = async () => {
    const url = new URL(href, window.location.href).toString();
    try {
      await navigator.clipboard.writeText(url);
      setSaid("Copied");
    } catch {
      // No clipboard (plain http on a non-loopback host): leave the link where it can be copied.
      window.prompt("Copy this link:", url);
      setSaid(null);
    }
    window.setTimeout(() => setSaid(null), 2500);
  };
  return (
    <>
      <button type="button" className="btn" onClick={() => void copy()}>
        {said ? `${said} ✓` : label}
      </button>
      <span role="status" className="sr-only">
        {said ? "Link copied" : ""}
      </span>
    </>
  );
}
