// Vigil's own archival API (MLflow has no OSS equivalent): settings, status, and file export.
import { Writable } from "node:stream";
import { exportArchive, getArchivalStatus, setArchival } from "@/lib/archive";
import { readInput } from "../body";
import type { Route } from "../types";

const str = (v: unknown) => (v === undefined ? undefined : (v as string));

export const archivalRoutes: Route[] = [
  {
    method: "GET",
    path: "/api/v1/archival",
    handler: (req, ctx) => ({ status: 200, json: getArchivalStatus({ ctx, input: { experimentId: str(readInput(req).experiment_id) } }) }),
  },
  {
    method: "POST",
    path: "/api/v1/archival",
    handler: (req, ctx) => {
      const b = readInput(req);
      const input = { experimentId: b.experiment_id, enabled: b.enabled, retentionDays: b.retention_days, reason: b.reason };
      return { status: 200, json: setArchival({ ctx, input: input as Parameters<typeof setArchival>[0]["input"] }) };
    },
  },
  {
    method: "GET",
    path: "/api/v1/archival/export",
    handler: async (req, ctx) => {
      const q = readInput(req);
      const chunks: Buffer[] = [];
      const sink = new Writable({
        write(chunk: Buffer, _enc, cb) {
          chunks.push(Buffer.from(chunk));
          cb();
        },
      });
      const r = await exportArchive({
        ctx,
        input: { experimentId: str(q.experiment_id) as string, start: str(q.start), end: str(q.end), format: str(q.format) as "parquet" | "jsonl" | undefined },
        out: sink,
      });
      return {
        status: 200,
        body: Buffer.concat(chunks),
        contentType: r.contentType,
        headers: { "content-disposition": `attachment; filename="${r.filename}"`, "x-vigil-rows": String(r.rows) },
      };
    },
  },
];
