// Seeded traffic for e2e tests: small OTLP/JSON traces posted to Vigil's own /v1/traces, with
// trace ids chosen by MLflow's sampling formula when a test needs to know what gets sampled.
import { createHash, randomBytes } from "node:crypto";
import type { APIRequestContext } from "@playwright/test";

const hex = (bytes: number) => randomBytes(bytes).toString("hex");
const str = (v: unknown) => ({ stringValue: JSON.stringify(v) });
const ns = (ms: number) => (BigInt(Math.round(ms)) * 1_000_000n).toString();

/** MLflow's dense-sampling hash of (trace, scorer) in [0, 1): a lone scorer at rate r samples iff h <= r. */
export function samplingHash(traceId: string, scorerName: string): number {
  const h = BigInt(`0x${createHash("sha256").update(`${traceId}:${scorerName}`).digest("hex")}`);
  return Number((h * 1_000_000_000n) / 2n ** 256n) / 1e9;
}

/** OTLP trace ids (hex) whose MLflow trace id a lone scorer at `rate` samples (or not, when `sampled` is false). */
export function traceIdsFor(scorerName: string, rate: number, count: number, sampled = true): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const id = hex(16);
    const h = samplingHash(`tr-${id}`, scorerName);
    // A margin around the rate keeps the approximate hash well clear of the boundary.
    if (sampled ? h < rate * 0.99 : h > rate * 1.01) out.push(id);
  }
  return out;
}

export interface SeedTrace {
  otelId: string;
  traceId: string;
}

/**
 * Posts complete traces (root span ended: the engine may score them at once), each an agent
 * root with one LLM child, `answer` as the output. `atMs` places them in time.
 */
export async function postTraces(
  request: APIRequestContext,
  experimentId: string,
  opts: { ids?: string[]; count?: number; atMs?: number; answer?: string; error?: boolean; question?: string; session?: string } = {},
): Promise<SeedTrace[]> {
  const ids = opts.ids ?? Array.from({ length: opts.count ?? 1 }, () => hex(16));
  const at = opts.atMs ?? Date.now() - 5_000;
  const spans = ids.flatMap((id, i) => {
    const start = at - i * 1000;
    const root = hex(8);
    const question = opts.question ?? `Where is my order #${1000 + i}?`;
    const answer = opts.answer ?? "Your order ships tomorrow. Let me know if there is anything else.";
    return [
      {
        traceId: id,
        spanId: root,
        name: "support_agent",
        kind: 1,
        startTimeUnixNano: ns(start),
        endTimeUnixNano: ns(start + 900),
        status: opts.error ? { code: 2, message: "tool failed" } : { code: 1 },
        attributes: [
          { key: "mlflow.spanType", value: str("AGENT") },
          { key: "mlflow.spanInputs", value: str({ messages: [{ role: "user", content: question }] }) },
          { key: "mlflow.spanOutputs", value: str({ messages: [{ role: "assistant", content: answer }] }) },
          // OpenTelemetry's session attribute: the trace becomes a turn of that conversation.
          ...(opts.session ? [{ key: "session.id", value: { stringValue: opts.session } }] : []),
        ],
      },
      {
        traceId: id,
        spanId: hex(8),
        parentSpanId: root,
        name: "answer",
        kind: 1,
        startTimeUnixNano: ns(start + 100),
        endTimeUnixNano: ns(start + 800),
        status: { code: 1 },
        attributes: [
          { key: "mlflow.spanType", value: str("CHAT_MODEL") },
          { key: "mlflow.spanInputs", value: str({ question }) },
          { key: "mlflow.spanOutputs", value: str(answer) },
        ],
      },
    ];
  });
  const r = await request.post("/v1/traces", {
    headers: { "content-type": "application/json", "x-mlflow-experiment-id": experimentId },
    data: {
      resourceSpans: [{ resource: { attributes: [{ key: "service.name", value: { stringValue: "e2e" } }] }, scopeSpans: [{ scope: { name: "e2e" }, spans }] }],
    },
  });
  if (!r.ok()) throw new Error(`OTLP export failed: ${r.status()} ${await r.text()}`);
  return ids.map((otelId) => ({ otelId, traceId: `tr-${otelId}` }));
}
