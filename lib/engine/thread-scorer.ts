// The engine's side of the scoring thread: requests by id, a deadline per request, and a new
// thread when one dies or is stuck (a scorer blocking synchronously): the stuck request's pairs
// then count as timed out (retried, then recorded), the others are sent again.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import { ScorerError } from "@/scorers";
import { itemPair, type CodeScorer, type ScoreReply, type ScoreRequest, type ScoringSettings } from "./code-scorer";
import type { PriceTable } from "./cost";
import { outcomeWrite } from "./outcomes";
import type { RetryPolicy } from "./retry-policy";

export interface ThreadData {
  databasePath: string;
  policy: RetryPolicy;
  prices: PriceTable;
  timeoutMs: number;
  testDelayMs: number;
}

interface Pending {
  req: ScoreRequest;
  resolve: (r: ScoreReply) => void;
  reject: (e: Error) => void;
  /** Armed once the thread is ready: booting (compiling the scorers) is not scoring. */
  timer?: NodeJS.Timeout;
}

const here = path.dirname(fileURLToPath(import.meta.url));

export class ThreadCodeScorer implements CodeScorer {
  private worker: Worker | undefined;
  private ready = false;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private closed = false;

  /** `settings` decide the outcome of pairs whose request got stuck (the engine thread's own). */
  constructor(
    private readonly data: ThreadData,
    private readonly settings: ScoringSettings,
    private readonly log: (line: string) => void,
  ) {
    this.spawn();
  }

  /** How long a request may take before the thread counts as stuck. */
  private get deadlineMs(): number {
    return 2 * this.data.timeoutMs + this.data.testDelayMs + 1000;
  }

  private spawn(): Worker {
    const w = new Worker(path.join(here, "score-thread.boot.mjs"), {
      workerData: { ...this.data, entry: "./score-thread.ts" },
      // Scoring allocates many short-lived objects (traces, results): a larger young generation
      // makes far fewer scavenges (measured: ~10% faster backfills).
      resourceLimits: { maxYoungGenerationSizeMb: 48 },
    });
    w.on("message", (m: { id?: number; reply?: ScoreReply; error?: string; ready?: boolean }) => {
      if (m.ready && this.worker === w) {
        this.log(`scoring thread ${w.threadId} ready`);
        this.ready = true;
        for (const [id, p] of this.pending) p.timer ??= this.arm(id);
      }
      if (m.id === undefined) return;
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      clearTimeout(p.timer);
      if (m.error) p.reject(new Error(`scoring thread: ${m.error}`));
      else p.resolve(m.reply!);
    });
    w.on("error", (e) => this.log(`scoring thread failed: ${e.message}`));
    w.on("exit", (code) => {
      if (this.worker !== w) return;
      this.worker = undefined;
      // A thread that died by itself fails what it held; those batches are redone after their
      // leases run out (resending could crash the next thread the same way). The next request
      // starts a new thread.
      for (const [id, p] of this.pending) {
        clearTimeout(p.timer);
        this.pending.delete(id);
        p.reject(new Error(`scoring thread exited (code ${code})`));
      }
    });
    this.worker = w;
    this.ready = false;
    return w;
  }

  private arm(id: number): NodeJS.Timeout {
    return setTimeout(() => this.stuck(id), this.deadlineMs);
  }

  private resend(): void {
    const w = this.worker ?? this.spawn();
    for (const [id, p] of this.pending) w.postMessage({ id, req: p.req });
  }

  private stuck(id: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    this.log(`scoring thread gave no answer within ${this.deadlineMs} ms; restarting it`);
    const old = this.worker;
    this.worker = undefined;
    void old?.terminate();
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.timer = undefined;
    }
    if (this.pending.size) this.resend();
    const err = new ScorerError("transient", `Scoring did not finish within ${this.deadlineMs} ms (a scorer blocked its thread).`);
    const now = this.settings.now();
    p.resolve(
      p.req.items.map((item) =>
        outcomeWrite(
          { pair: itemPair(item), error: err, timedOut: true, latencyMs: this.deadlineMs },
          {
            now,
            priorAttempts: item.priorAttempts,
            jobId: p.req.jobId,
            policy: this.settings.policy,
            prices: this.settings.prices,
            random: this.settings.random,
            newAssessmentId: this.settings.newAssessmentId,
          },
        ),
      ),
    );
  }

  score(req: ScoreRequest): Promise<ScoreReply> {
    if (this.closed) return Promise.reject(new Error("scoring thread is closed"));
    const w = this.worker ?? this.spawn();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { req, resolve, reject, timer: this.ready ? this.arm(id) : undefined });
      w.postMessage({ id, req });
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error("scoring thread closed"));
    }
    this.pending.clear();
    await this.worker?.terminate();
  }
}
