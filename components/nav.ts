// Where the experiment switcher and the tabs lead; pure so it is unit-tested.

export const EXPERIMENT_SECTIONS = [
  { segment: "", label: "Overview" },
  { segment: "scorers", label: "Scorers" },
  { segment: "traces", label: "Traces" },
  { segment: "sessions", label: "Sessions" },
  { segment: "jobs", label: "Jobs" },
  { segment: "reports", label: "Reports" },
  { segment: "archival", label: "Archival" },
] as const;

/** The experiment id in a dashboard path, if any. */
export function experimentIdOf(pathname: string): string | null {
  const m = /^\/experiments\/(\d+)(?:\/|$)/.exec(pathname);
  return m ? m[1]! : null;
}

/** The section (first segment after the id) of a path: "" for the overview. */
export function sectionOf(pathname: string): string {
  const m = /^\/experiments\/\d+\/([^/?#]+)/.exec(pathname);
  return m?.[1] ?? "";
}

/**
 * The same section in another experiment. A trace id or scorer name makes no sense there, so
 * deeper paths fall back to the section itself.
 */
export function switchExperimentPath(pathname: string, experimentId: string): string {
  const section = sectionOf(pathname);
  const known = EXPERIMENT_SECTIONS.some((s) => s.segment === section);
  return `/experiments/${experimentId}${known && section ? `/${section}` : ""}`;
}
