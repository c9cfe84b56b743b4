// Exports an experiment's trace archive to Parquet or JSON Lines, against the database that
// DATABASE_URL names (the CLI's `vigil archive export` calls exportArchive the same way).
// Usage: npx tsx scripts/export-archive.ts --experiment 1 [--start 2025-01-01T00:00:00Z]
//          [--end 2025-02-01T00:00:00Z] [--format parquet|jsonl] [--out file|-]
import { parseArgs } from "node:util";
import { openDb } from "@/db/client";
import { getConfig, isConfigError, isVigilError, systemActor } from "@/lib/core";
import { exportArchive, resolveExport } from "@/lib/archive";

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      experiment: { type: "string" },
      start: { type: "string" },
      end: { type: "string" },
      format: { type: "string", default: "parquet" },
      out: { type: "string" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help || !values.experiment) {
    console.error("usage: export-archive --experiment ID [--start TIME] [--end TIME] [--format parquet|jsonl] [--out FILE|-]");
    console.error("TIME is RFC 3339 or ms since epoch; the range is [start, end). --out - writes to standard output.");
    return values.help ? 0 : 2;
  }
  const config = getConfig();
  const db = openDb(config.databasePath, { synchronous: config.VIGIL_SQLITE_SYNCHRONOUS });
  try {
    const format = values.format as "parquet" | "jsonl";
    const input = { experimentId: values.experiment, start: values.start, end: values.end, format };
    // One clock reading: the default end of the range and the file name must agree.
    const at = Date.now();
    const ctx = { db, config, actor: systemActor, now: () => at, fetch };
    const out = values.out === "-" ? process.stdout : (values.out ?? resolveExport(ctx, input).filename);
    const r = await exportArchive({ ctx, input, out });
    console.error(`exported ${r.rows} traces${out === process.stdout ? "" : ` to ${String(out)}`} (${r.bytes} bytes)`);
    return 0;
  } finally {
    db.$client.close();
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(isConfigError(e) || isVigilError(e) ? `export-archive: ${e.message}` : e);
    process.exit(1);
  },
);
