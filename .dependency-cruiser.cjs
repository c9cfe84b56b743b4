// Import boundaries the tree keeps by itself (npm run lint:deps, part of npm test). The layering
// is docs/architecture.md's: the engine knows its ports, not the stores; stores know nothing of
// the dashboard; scorer tables belong to lib/monitoring; folders do not import each other in a
// circle.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "engine-imports-no-store",
      comment: "The engine reaches traces and assessments through lib/engine/ports.ts; lib/runtime picks the store.",
      severity: "error",
      from: { path: "^lib/engine/" },
      to: { path: "^lib/(embedded|remote)/" },
    },
    {
      name: "stores-import-no-dashboard",
      comment: "A store (lib/embedded, lib/remote) serves the engine and the backend port, not the pages.",
      severity: "error",
      from: { path: "^lib/(embedded|remote)/" },
      to: { path: "^(app|components|lib/read)/" },
    },
    {
      name: "scorer-tables-belong-to-monitoring",
      comment: "Scorers, versions and online configs change through lib/monitoring's verbs only (tests, benches and db/ seed or wire them).",
      severity: "error",
      from: { path: "^(lib|app|components|scripts)/", pathNot: "^lib/monitoring/" },
      to: { path: "^db/schema/scorers\\.ts$" },
    },
    {
      name: "no-file-cycles",
      comment: "No module imports itself through others (lib/http/routes -> server -> routes was one). Cycles between folders: scripts/lint-deps.ts.",
      severity: "error",
      from: { path: "^(lib|app|components|db|scorers)/" },
      to: { circular: true },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "(^|/)(node_modules|\\.next)/|\\.test\\.tsx?$" },
    tsConfig: { fileName: "tsconfig.json" },
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".json"],
    },
  },
};
