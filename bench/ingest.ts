// OTLP ingestion benchmark: protobuf batches of 500 spans over real HTTP into an in-process
// Vigil server on a temp SQLite file, against the raw better-sqlite3 insert rate of the same rows.
// Then 8 exporters at once, each on its own keep-alive connection, while a worker process
// (scripts/worker.ts, as `npm start` runs it) scores every trace with 3 code scorers. An answered
// batch is committed (WAL, synchronous=NORMAL: it survives a crash of the process).
// Run: npx tsx bench/ingest.ts [batches] [concurrentBatches]   (always exits 0; prints figures and target checks)
import { spawn } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import type { AddressInfo } from "node:net";
import Database from "better-sqlite3";
import { WORKER_NODE_ARGS } from "@/lib/engine/worker-process";
import { openDb } from "@/db/client";
import { parseConfig, systemActor, traceIdFromOtel, type Ctx } from "@/lib/core";
import { ensureDefaultExperiment } from "@/lib/experiments/default-experiment";
import { createApiHandler } from "@/lib/http";
import { decodeAttributesToJson, decodeExportResponse, decodeOtlpRequest, otlpTypes, type IncomingSpan } from "@/lib/ingest";
import { addScorers, SCORERS } from "./scorers";

const BATCH = 500;
const WARMUP_BATCHES = 20;
const BATCHES = Number(process.argv[2] ?? 200);
const CONCURRENT_BATCHES = Number(process.argv[3] ?? 160);
const TARGET_SPANS_PER_S = 50_000;
const TARGET_RATIO = 0.8;
const EXPORTERS = 8;
const TARGET_CONCURRENT_SPANS_PER_S = 20_000;
const ROUNDS = 10;

// Deterministic data: the same spans every run.
let seed = 42;
const rand = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const hex = (bytes: number) =>
  Array.from({ length: bytes }, () =>
    Math.floor(rand() * 256)
      .toString(16)
      .padStart(2, "0"),
  ).join("");
const pick = <T>(xs: T[]) => xs[Math.floor(rand() * xs.length)]!;
const words = "agent trace span latency cache retrieval answer customer refund order shipping policy account".split(" ");
const sentence = (n: number) => Array.from({ length: n }, () => pick(words)).join(" ");

type Kv = { key: string; value: Record<string, unknown> };
const str = (key: string, v: string): Kv => ({ key, value: { stringValue: v } });
const int = (key: string, v: number): Kv => ({ key, value: { intValue: v } });
const NS = 1_000_000n;

/** One agent trace of 5-10 spans with MLflow, gen_ai and OpenInference attributes; root ends last. */
function makeTrace(startMs: number): Record<string, unknown>[] {
  const traceId = Buffer.from(hex(16), "hex");
  const rootId = Buffer.from(hex(8), "hex");
  const question = `${sentence(12)}?`;
  const answer = sentence(40);
  const children: Record<string, unknown>[] = [];
  const n = 4 + Math.floor(rand() * 6);
  let t = startMs + 2;
  for (let i = 0; i < n; i++) {
    const dur = 20 + Math.floor(rand() * 400);
    const kind = i === 0 ? "RETRIEVER" : pick(["LLM", "LLM", "TOOL", "PARSER"]);
    const attributes: Kv[] = [str("mlflow.spanType", JSON.stringify(kind)), str("mlflow.traceRequestId", JSON.stringify(`tr-${traceId.toString("hex")}`))];
    if (kind === "RETRIEVER") {
      attributes.push(str("mlflow.spanInputs", JSON.stringify({ query: question })));
      attributes.push(
        str("mlflow.spanOutputs", JSON.stringify([0, 1, 2].map((d) => ({ page_content: sentence(30), metadata: { doc_uri: `kb://doc/${d}` } })))),
      );
      attributes.push(str("openinference.span.kind", "RETRIEVER"), str("input.value", question));
    } else if (kind === "LLM") {
      const messages = [
        { role: "system", content: "You are a support agent." },
        { role: "user", content: question },
      ];
      attributes.push(str("mlflow.spanInputs", JSON.stringify({ messages, model: "gpt-4o-mini", temperature: 0.2 })));
      attributes.push(
        str("mlflow.spanOutputs", JSON.stringify({ choices: [{ index: 0, message: { role: "assistant", content: answer }, finish_reason: "stop" }] })),
      );
      attributes.push(str("mlflow.chat.tokenUsage", JSON.stringify({ input_tokens: 120, output_tokens: 48, total_tokens: 168 })));
      attributes.push(
        str("gen_ai.operation.name", "chat"),
        str("gen_ai.request.model", "gpt-4o-mini"),
        int("gen_ai.usage.input_tokens", 120),
        int("gen_ai.usage.output_tokens", 48),
      );
    } else {
      attributes.push(
        str("mlflow.spanInputs", JSON.stringify({ order_id: hex(4), action: pick(words) })),
        str("mlflow.spanOutputs", JSON.stringify({ ok: true, detail: sentence(8) })),
      );
    }
    children.push({
      traceId,
      spanId: Buffer.from(hex(8), "hex"),
      parentSpanId: rootId,
      name: `${kind.toLowerCase()}_${i}`,
      kind: 1,
      startTimeUnixNano: String(BigInt(t) * NS),
      endTimeUnixNano: String(BigInt(t + dur) * NS),
      attributes,
      status: { code: 0 },
    });
    t += dur + 1;
  }
  const root = {
    traceId,
    spanId: rootId,
    name: "support_agent",
    kind: 2,
    startTimeUnixNano: String(BigInt(startMs) * NS),
    endTimeUnixNano: String(BigInt(t + 3) * NS),
    status: { code: rand() < 0.05 ? 2 : 1 },
    attributes: [
      str("mlflow.spanType", JSON.stringify("AGENT")),
      str("mlflow.spanInputs", JSON.stringify({ messages: [{ role: "user", content: question }] })),
      str("mlflow.spanOutputs", JSON.stringify({ choices: [{ message: { role: "assistant", content: answer } }] })),
      str("mlflow.trace.session", JSON.stringify(`sess-${hex(4)}`)),
      str("mlflow.trace.user", JSON.stringify(`user-${Math.floor(rand() * 100)}`)),
    ],
  };
  return [...children, root];
}

function makeBatches(count: number): Body[] {
  const type = otlpTypes().request;
  const all: Record<string, unknown>[] = [];
  let start = Date.now() - 3_600_000;
  while (all.length < count * BATCH) {
    all.push(...makeTrace(start));
    start += 7;
  }
  const resource = { attributes: [str("service.name", "support-agent"), str("deployment.environment", "prod")] };
  return Array.from({ length: count }, (_, b) => {
    const spans = all.slice(b * BATCH, (b + 1) * BATCH);
    return new Uint8Array(type.encode(type.fromObject({ resourceSpans: [{ resource, scopeSpans: [{ scope: { name: "bench" }, spans }] }] })).finish());
  });
}

type Body = Uint8Array<ArrayBuffer>;

// node:http with keep-alive, as an OTLP exporter would: fetch's own overhead (~3 ms per 400 kB
// request here) would otherwise be charged to the server, which shares this process.
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

function send(url: URL, body: Body, via = agent): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: "POST",
        agent: via,
        headers: { "content-type": "application/x-protobuf", "content-length": body.byteLength, "x-mlflow-experiment-id": "0" },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const bytes = Buffer.concat(chunks);
          if (res.statusCode !== 200) return reject(new Error(`export failed: HTTP ${res.statusCode} ${bytes.toString()}`));
          const { rejectedSpans, errorMessage } = decodeExportResponse(bytes);
          if (rejectedSpans) return reject(new Error(`spans rejected: ${errorMessage}`));
          resolve();
        });
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

interface Target {
  /** Stores batch `i`; the ingest target over HTTP, the raw one with plain INSERTs. */
  store(i: number): Promise<void> | void;
  close(): Promise<void> | void;
}

async function ingestTarget(dir: string, batches: Body[], file = "vigil.db"): Promise<Target & { stored(): number; url: URL; ctx: () => Ctx }> {
  const config = parseConfig({ DATABASE_URL: path.join(dir, file), VIGIL_DEMO: "0", VIGIL_MAX_BODY_BYTES: String(64 << 20) });
  const db = openDb(config.databasePath);
  ensureDefaultExperiment(db);
  const handle = createApiHandler({ db, config, log: (l) => console.error(l) });
  const server = http.createServer((req, res) => void handle(req, res));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = new URL(`http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/traces`);
  return {
    url,
    ctx: () => ({ db, config, actor: systemActor, now: Date.now, fetch }),
    store: (i) => send(url, batches[i]!),
    stored: () => (db.$client.prepare("SELECT COUNT(*) AS n FROM spans").get() as { n: number }).n,
    close() {
      agent.destroy();
      server.closeAllConnections();
      server.close();
      db.$client.close();
    },
  };
}

/** The same span rows, built in advance, inserted with one plain prepared INSERT per row. */
function rawTarget(dir: string, batches: Body[]): Target {
  const shape = openDb(path.join(dir, "shape.db"));
  const ddl = shape.$client.prepare("SELECT sql FROM sqlite_master WHERE tbl_name = 'spans' AND sql IS NOT NULL").all() as { sql: string }[];
  shape.$client.close();
  const sqlite = new Database(path.join(dir, "raw.db"));
  sqlite.pragma("journal_mode = WAL"); // the same settings as db/client.ts
  sqlite.pragma("synchronous = NORMAL");
  for (const { sql } of ddl) sqlite.exec(sql);
  const insert = sqlite.prepare(
    `INSERT INTO spans (trace_id, span_id, parent_span_id, name, span_type, kind, start_time_ns, end_time_ns, start_ms, end_ms,
       status_code, status_message, attributes, events) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const rowOf = (s: IncomingSpan) => {
    const { attributes, json } = decodeAttributesToJson(s.attributes);
    const t = attributes["mlflow.spanType"];
    return [
      traceIdFromOtel(s.traceIdHex),
      s.spanIdHex,
      s.parentSpanIdHex,
      s.name,
      typeof t === "string" ? t : null,
      s.kind,
      s.startTimeNs,
      s.endTimeNs,
      Number(BigInt(s.startTimeNs) / NS),
      s.endTimeNs && Number(BigInt(s.endTimeNs) / NS),
      s.statusCode,
      s.statusMessage,
      json,
      JSON.stringify(s.events),
    ];
  };
  const rows = batches.map((b) => decodeOtlpRequest(Buffer.from(b.buffer, b.byteOffset, b.byteLength), "application/x-protobuf").spans.map(rowOf));
  const insertBatch = sqlite.transaction((batch: unknown[][]) => {
    for (const r of batch) insert.run(...r);
  });
  return {
    store: (i) => void insertBatch(rows[i]!),
    close: () => void sqlite.close(),
  };
}

// CPU time of this process (server and client), which a busy machine distorts far less than wall time.
const cpu = { ingest: 0, raw: 0 };
const cpuSince = (c0: NodeJS.CpuUsage) => {
  const c = process.cpuUsage(c0);
  return c.user + c.system;
};

async function timeRange(t: Target, from: number, to: number, kind?: keyof typeof cpu): Promise<number> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  for (let i = from; i < to; i++) await t.store(i);
  if (kind) cpu[kind] += cpuSince(c0);
  return Number(process.hrtime.bigint() - t0) / 1e9;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-bench-"));
  try {
    const batches = makeBatches(WARMUP_BATCHES + BATCHES);
    const avgBytes = Math.round(batches.reduce((n, b) => n + b.length, 0) / batches.length);
    console.log(
      `OTLP ingest benchmark: ${BATCHES} timed batches of ${BATCH} spans (+${WARMUP_BATCHES} warm-up), ~${avgBytes} protobuf bytes/batch, Node ${process.version}`,
    );
    const ingest = await ingestTarget(dir, batches);
    const raw = rawTarget(dir, batches);
    await timeRange(ingest, 0, WARMUP_BATCHES);
    await timeRange(raw, 0, WARMUP_BATCHES);
    // Rounds alternate between the two so both see the same machine load and database sizes.
    const per = Math.ceil(BATCHES / ROUNDS);
    let ingestS = 0;
    let rawS = 0;
    const ratios: number[] = [];
    for (let from = WARMUP_BATCHES; from < WARMUP_BATCHES + BATCHES; from += per) {
      const to = Math.min(from + per, WARMUP_BATCHES + BATCHES);
      const a = await timeRange(ingest, from, to, "ingest");
      const b = await timeRange(raw, from, to, "raw");
      ingestS += a;
      rawS += b;
      ratios.push(b / a);
    }
    const stored = ingest.stored();
    await ingest.close();
    raw.close();

    const spans = BATCHES * BATCH;
    const ingestRate = spans / ingestS;
    const rawRate = spans / rawS;
    const ratio = ingestRate / rawRate;
    const f = (n: number) => Math.round(n).toLocaleString("en-US");
    const pct = (x: number) => `${(x * 100).toFixed(1)}%`;
    console.log(`  Vigil OTLP/HTTP ingest : ${f(ingestRate).padStart(9)} spans/s  (${spans} spans in ${ingestS.toFixed(2)} s; ${stored} rows stored)`);
    console.log(`  raw better-sqlite3     : ${f(rawRate).padStart(9)} rows/s   (${spans} rows in ${rawS.toFixed(2)} s)`);
    console.log(`  ratio ingest / raw     : ${pct(ratio)}  (per round: ${ratios.map(pct).join(", ")})`);
    const us = (k: keyof typeof cpu) => (cpu[k] / spans).toFixed(1);
    console.log(
      `  CPU us/span            : ingest ${us("ingest")} (HTTP client and server), raw ${us("raw")}; CPU ratio raw / ingest ${pct(cpu.raw / cpu.ingest)}`,
    );
    console.log(
      `  target >= ${f(TARGET_SPANS_PER_S)} spans/s: ${ingestRate >= TARGET_SPANS_PER_S ? "MET" : "MISSED"}; target >= ${pct(TARGET_RATIO)} of raw: ${ratio >= TARGET_RATIO ? "MET" : "MISSED"}`,
    );
    await concurrentPhase(dir, ingestRate);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * 8 exporters at once into a fresh store while a worker process scores every completed trace;
 * its baseline is the one-exporter ingest rate measured just before in the same run.
 */
async function concurrentPhase(dir: string, oneExporterRate: number): Promise<void> {
  const batches = makeBatches(CONCURRENT_BATCHES);
  const target = await ingestTarget(dir, batches, "busy.db");
  const ctx = target.ctx();
  addScorers(ctx, 0, 1);
  const worker = spawn(process.execPath, WORKER_NODE_ARGS, {
    cwd: process.cwd(),
    stdio: ["ignore", "ignore", "inherit"],
    env: { ...process.env, DATABASE_URL: ctx.config.databasePath, VIGIL_DEMO: "0" },
  });
  process.once("exit", () => worker.kill("SIGKILL"));
  await new Promise((r) => setTimeout(r, 2000)); // the worker starts
  const assessed = () => (ctx.db.$client.prepare("SELECT COUNT(*) AS n FROM assessments").get() as { n: number }).n;
  const agents = Array.from({ length: EXPORTERS }, () => new http.Agent({ keepAlive: true, maxSockets: 1 }));
  let next = 0;
  const t0 = process.hrtime.bigint();
  await Promise.all(
    agents.map(async (a) => {
      while (next < batches.length) await send(target.url, batches[next++]!, a);
    }),
  );
  const secs = Number(process.hrtime.bigint() - t0) / 1e9;
  const scoredDuring = assessed();
  const stored = target.stored();
  worker.kill("SIGTERM");
  await new Promise((r) => worker.once("exit", r));
  for (const a of agents) a.destroy();
  await target.close();
  const rate = (batches.length * BATCH) / secs;
  const f = (n: number) => Math.round(n).toLocaleString("en-US");
  console.log(
    `  ${EXPORTERS} exporters at once, worker scoring (${SCORERS.length} code scorers): ${f(rate)} spans/s (${batches.length * BATCH} spans in ${secs.toFixed(2)} s; ${stored} rows stored; ${f(scoredDuring)} assessments written meanwhile)`,
  );
  console.log(`  baseline, one exporter and no worker (above): ${f(oneExporterRate)} spans/s; ratio: ${(rate / oneExporterRate).toFixed(2)}`);
  console.log(
    `  target >= ${f(TARGET_CONCURRENT_SPANS_PER_S)} spans/s with ${EXPORTERS} exporters: ${rate >= TARGET_CONCURRENT_SPANS_PER_S ? "MET" : "MISSED"}`,
  );
}

await main();
