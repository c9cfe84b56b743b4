// docs/architecture.md is the page a new engineer reads first: every path and file name it cites
// must exist, and the ports it names must be the engine's, so the page cannot rot unnoticed.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const root = path.resolve(__dirname, "../..");
const doc = fs.readFileSync(path.join(root, "docs/architecture.md"), "utf8");

const TOP = "(?:lib|db|tests|scripts|app|components|bench|docs|scorers|e2e)";
/** Repository paths anywhere on the page (prose, tables, the drawing): `lib/engine/ports.ts`, `lib/engine/sessions/`. */
const cited = [...new Set([...doc.matchAll(new RegExp(`(?<![\\w./-])${TOP}/[\\w./-]*[\\w/]`, "g"))].map((m) => m[0]))];
/** Bare file names in backticks (`upkeep.ts`, `.prettierrc.json`): some file of that name must exist. */
const bare = [...new Set([...doc.matchAll(/`(\.?[\w-]+\.(?:ts|tsx|cjs|mjs|json|md))`/g)].map((m) => m[1]!))];

function allFiles(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    if (e.name === "node_modules" || e.name === ".git" || e.name === ".next") continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) allFiles(p, out);
    else out.push(path.relative(root, p));
  }
  return out;
}

describe("docs/architecture.md", () => {
  it("cites paths (the check itself finds them)", () => {
    expect(cited).toEqual(expect.arrayContaining(["lib/engine/ports.ts", "lib/embedded", "lib/remote", "db/lease-claim.ts"]));
    expect(bare).toEqual(expect.arrayContaining([".prettierrc.json"]));
  });

  it.each(cited)("cites %s, which exists", (p) => {
    expect(fs.existsSync(path.join(root, p)), `${p} is named in docs/architecture.md but does not exist`).toBe(true);
  });

  it("names files that exist somewhere in the tree", () => {
    const names = new Set(allFiles(root).map((f) => path.basename(f)));
    expect(bare.filter((b) => !names.has(b))).toEqual([]);
  });

  it("draws the folders as they are: one engine with its ports, two stores each with a source and a sink", () => {
    for (const store of ["lib/embedded", "lib/remote"]) {
      for (const port of ["source.ts", "sink.ts"]) expect(fs.existsSync(path.join(root, store, port)), `${store}/${port}`).toBe(true);
    }
    const ports = fs.readFileSync(path.join(root, "lib/engine/ports.ts"), "utf8");
    const named = [...doc.matchAll(/^- \*\*(\w+)\*\*/gm)].map((m) => m[1]!);
    expect(named).toEqual(["TraceSource", "AssessmentSink", "EngineStore"]);
    for (const n of named) expect(ports).toMatch(new RegExp(`export (interface|type) ${n}\\b`));
  });
});
