"use client";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { EXPERIMENT_SECTIONS, sectionOf } from "./nav";

/** The experiment's sections; the current one is marked for screen readers too. */
export function SectionTabs({ experimentId }: { experimentId: string }) {
  const current = sectionOf(usePathname() ?? "");
  return (
    <nav className="tabs" aria-label="Experiment sections">
      {EXPERIMENT_SECTIONS.map((s) => (
        <Link
          key={s.segment}
          href={`/experiments/${experimentId}${s.segment ? `/${s.segment}` : ""}`}
          aria-current={current === s.segment ? "page" : undefined}
        >
          {s.label}
        </Link>
      ))}
    </nav>
  );
}
