"use client";
import { useRouter } from "next/navigation";
import { useEffect } from "react";

/** Re-renders the server page now and then, so reachability and queues stay current on a wall screen. */
export function RemoteAutoRefresh({ everyMs }: { everyMs: number }) {
  const router = useRouter();
  useEffect(() => {
    const t = setInterval(() => {
      if (document.visibilityState === "visible") router.refresh();
    }, everyMs);
    return () => clearInterval(t);
  }, [router, everyMs]);
  return null;
}
