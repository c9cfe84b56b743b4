// npm run lint:deps: dependency-cruiser's rules (.dependency-cruiser.cjs) plus one it cannot state:
// no cycles between folders (a domain folder of lib/, the dashboard, db, scorers). Files of one
// folder may depend on each other freely; folders depend on each other in one direction.
import { execFileSync } from "node:child_process";
import path from "node:path";

interface Cruised {
  modules: { source: string; dependencies: { resolved: string; coreModule: boolean; couldNotResolve: boolean }[] }[];
  summary: { violations: { from: string; to: string; rule: { name: string } }[]; error: number };
}

/**
 * Folder edges allowed to close a cycle, each with its reason. None today: keep it that way (the
 * last ones, db -> lib/core, db -> lib/mlflow and lib/mlflow -> lib/ingest, went in issue 15).
 */
const KNOWN_CYCLE_EDGES = new Set<string>();

export function folderOf(file: string): string {
  const lib = /^lib\/([^/]+)\//.exec(file);
  if (lib) return `lib/${lib[1]}`;
  const top = /^([^/]+)\//.exec(file)?.[1] ?? file;
  return top === "app" || top === "components" ? "dashboard" : top;
}

/** Strongly connected sets of folders (Tarjan), largest first; one-folder sets are left out. */
export function folderCycles(edges: ReadonlyMap<string, ReadonlySet<string>>): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string) => {
    index.set(v, index.size);
    low.set(v, index.get(v)!);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1) out.push(scc.sort());
    }
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return out.sort((a, b) => b.length - a.length);
}

function main(): number {
  const bin = path.join("node_modules", ".bin", "depcruise");
  const args = ["lib", "app", "components", "db", "scorers", "--config", ".dependency-cruiser.cjs", "--output-type", "json"];
  let text: string;
  try {
    text = execFileSync(bin, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    // depcruise exits non-zero when a rule is broken; its JSON is still on stdout.
    text = (e as { stdout?: string }).stdout ?? "";
    if (!text) throw e;
  }
  const r = JSON.parse(text) as Cruised;
  const problems: string[] = r.summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`);

  const edges = new Map<string, Set<string>>();
  const example = new Map<string, string>();
  for (const m of r.modules) {
    const from = folderOf(m.source);
    for (const d of m.dependencies) {
      if (d.coreModule || d.couldNotResolve || d.resolved.includes("node_modules/")) continue;
      const to = folderOf(d.resolved);
      const key = `${from} -> ${to}`;
      if (from === to || KNOWN_CYCLE_EDGES.has(key)) continue;
      if (!edges.has(from)) edges.set(from, new Set());
      edges.get(from)!.add(to);
      if (!example.has(key)) example.set(key, `${m.source} -> ${d.resolved}`);
    }
  }
  for (const cycle of folderCycles(edges)) {
    const inside = [...example].filter(([k]) => cycle.includes(k.split(" -> ")[0]!) && cycle.includes(k.split(" -> ")[1]!));
    problems.push(`folder cycle: ${cycle.join(", ")}\n${inside.map(([k, ex]) => `    ${k} (e.g. ${ex})`).join("\n")}`);
  }
  for (const p of problems) console.error(p);
  console.log(problems.length ? `lint:deps: ${problems.length} problem(s) in ${r.modules.length} modules` : `lint:deps: ok (${r.modules.length} modules)`);
  return problems.length ? 1 : 0;
}

if (process.argv[1] && import.meta.url.endsWith(path.basename(process.argv[1]))) process.exitCode = main();
