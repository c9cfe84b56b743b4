// The demo's LLM judge: a local OpenAI-compatible chat-completions endpoint that `npm start` runs
// beside Vigil when the demo is on and no real judge is configured, so judges run out of the box.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { demoJudgeAnswer, type ChatRequest } from "./judge-answer";

export interface DemoJudgeServer {
  /** The base URL judges call (`${baseUrl}/chat/completions`). */
  baseUrl: string;
  close(): Promise<void>;
}

const MAX_BODY = 4 * 1024 * 1024;

export async function startDemoJudgeServer(opts: { host?: string; port?: number; now?: () => number } = {}): Promise<DemoJudgeServer> {
  const now = opts.now ?? Date.now;
  const startedAt = now();
  let calls = 0;
  const timers = new Set<NodeJS.Timeout>();
  const server: Server = createServer((req, res) => {
    const send = (status: number, body: unknown, headers: Record<string, string> = {}) => {
      if (res.destroyed) return;
      res.writeHead(status, { "content-type": "application/json", ...headers });
      res.end(JSON.stringify(body));
    };
    if (req.method !== "POST" || !/\/chat\/completions\/?$/.test(req.url ?? "")) {
      return send(404, {
        error: { message: `No route ${req.method} ${req.url}; this demo endpoint serves POST /v1/chat/completions.`, type: "invalid_request_error" },
      });
    }
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on("end", () => {
      if (size > MAX_BODY) return send(413, { error: { message: "Request too large.", type: "invalid_request_error" } });
      let body: ChatRequest;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as ChatRequest;
      } catch {
        return send(400, { error: { message: "The body is not valid JSON.", type: "invalid_request_error" } });
      }
      if (!Array.isArray(body.messages) || body.messages.length === 0) {
        return send(400, { error: { message: "'messages' must be a non-empty array.", type: "invalid_request_error" } });
      }
      const reply = demoJudgeAnswer(body, calls++, (now() - startedAt) / 60_000);
      const out = reply.status === 200 ? { ...(reply.body as object), created: Math.floor(now() / 1000) } : reply.body;
      const t = setTimeout(() => {
        timers.delete(t);
        send(reply.status, out, reply.headers);
      }, reply.delayMs);
      timers.add(t);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", resolve);
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://${address.includes(":") ? `[${address}]` : address}:${port}/v1`,
    async close() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
