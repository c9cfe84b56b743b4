"use client";
import { usePathname, useRouter } from "next/navigation";
import { experimentIdOf, switchExperimentPath } from "./nav";

export interface SwitcherOption {
  experimentId: string;
  name: string;
}

/** Header control: jump to the same page of another experiment. */
export function ExperimentSwitcher({ options }: { options: SwitcherOption[] }) {
  const pathname = usePathname() ?? "/";
  const router = useRouter();
  const current = experimentIdOf(pathname) ?? "";
  if (options.length === 0) return null;
  return (
    <div className="switcher">
      <label htmlFor="experiment-switcher">Experiment</label>
      <select
        id="experiment-switcher"
        value={current}
        onChange={(e) => {
          if (e.target.value) router.push(switchExperimentPath(pathname, e.target.value));
        }}
      >
        {current === "" && <option value="">Choose…</option>}
        {options.map((o) => (
          <option key={o.experimentId} value={o.experimentId}>
            {o.name} (#{o.experimentId})
          </option>
        ))}
      </select>
    </div>
  );
}
