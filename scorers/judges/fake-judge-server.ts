// A local OpenAI-compatible chat-completions server for judge tests: real HTTP on 127.0.0.1, an
// ephemeral port, and a per-test responder, so the client's whole path (fetch, headers, timeouts,
// status codes, bodies) is exercised without a network.
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { ScorerEnv } from "../types";

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: {
    model: string;
    messages: { role: string; content: string }[];
    response_format: { type: string; json_schema: { name: string; strict: boolean; schema: { properties: { result: Record<string, unknown> } } } };
  };
}

export interface FakeReply {
  status?: number;
  body?: string | object;
  headers?: Record<string, string>;
  delayMs?: number;
}

export type Responder = (req: RecordedRequest) => FakeReply;

/** A chat completion whose message content is `content`. */
export function completion(content: string | null, extra: { refusal?: string; model?: string } = {}) {
  return {
    id: "chatcmpl-test",
    object: "chat.completion",
    model: extra.model ?? "judge-model-2026-01-01",
    choices: [{ index: 0, message: { role: "assistant", content, refusal: extra.refusal ?? null }, finish_reason: "stop" }],
    usage: { prompt_tokens: 321, completion_tokens: 42, total_tokens: 363 },
  };
}

export const answer = (result: unknown, rationale = "Because the test says so.") => completion(JSON.stringify({ result, rationale }));

export interface FakeJudgeServer {
  baseUrl: string;
  requests: RecordedRequest[];
  respond(r: Responder): void;
  close(): Promise<void>;
}

export async function startFakeJudgeServer(): Promise<FakeJudgeServer> {
  let responder: Responder = () => ({ status: 500, body: { error: { message: "no responder set" } } });
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const rec: RecordedRequest = {
        method: req.method ?? "",
        url: req.url ?? "",
        headers: req.headers,
        body: JSON.parse(Buffer.concat(chunks).toString("utf8") || "{}") as RecordedRequest["body"],
      };
      requests.push(rec);
      const reply = responder(rec);
      const send = () => {
        if (res.destroyed) return;
        const body = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body ?? {});
        res.writeHead(reply.status ?? 200, { "content-type": "application/json", ...reply.headers });
        res.end(body);
      };
      if (reply.delayMs) {
        const t = setTimeout(() => {
          timers.delete(t);
          send();
        }, reply.delayMs);
        timers.add(t);
      } else send();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    respond(r) {
      responder = r;
    },
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A fake judge server for a test file's lifetime; `env()` points a scorer at it, requests cleared per test. */
export function useFakeJudge(hooks: {
  beforeAll: (f: () => Promise<void>) => void;
  afterAll: (f: () => Promise<void>) => void;
  beforeEach: (f: () => void) => void;
}) {
  const state: { server?: FakeJudgeServer } = {};
  hooks.beforeAll(async () => {
    state.server = await startFakeJudgeServer();
  });
  hooks.afterAll(async () => {
    await state.server?.close();
  });
  hooks.beforeEach(() => {
    state.server!.requests.length = 0;
  });
  return {
    get server(): FakeJudgeServer {
      return state.server!;
    },
    env: (): ScorerEnv => ({ fetch, judge: { baseUrl: state.server!.baseUrl, model: "gpt-4o-mini", timeoutMs: 2000 } }),
  };
}
