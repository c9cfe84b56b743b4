import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A fault-injecting HTTP proxy for tests (issue 9): sits between Vigil's remote client and the
 * Vigil that plays the MLflow server, and per request either forwards it untouched or drops,
 * delays or fails it. node:http only, bodies streamed both ways.
 */

export type Fault =
  | { kind: "pass" }
  /** Destroy the client socket without answering, after reading the request. */
  | { kind: "drop" }
  /** Forward the request, wait until the target has answered (so it was applied), then destroy
   * the client socket without answering: the nasty case for exactly-once writes. */
  | { kind: "drop_after_forward" }
  /** Wait, then forward. */
  | { kind: "delay"; ms: number }
  /** Answer this status without forwarding. */
  | { kind: "status"; status: number; body?: string };

export interface FaultRequest {
  method: string;
  /** Path with query, as the client sent it. */
  path: string;
  /** 1 for the first request the proxy receives, 2 for the next, ... */
  n: number;
}

export type FaultPolicy = (req: FaultRequest) => Fault;

export interface FaultProxyStats {
  total: number;
  /** Requests per fault kind ("pass", "drop", ...). */
  byKind: Record<string, number>;
  log: { method: string; path: string; kind: string }[];
  /** Forwarded requests the target could not answer (connection refused, reset): the client got a 502. */
  upstreamErrors: number;
}

export interface FaultProxy {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Decides each request's fault. Default: pass. */
  setPolicy(p: FaultPolicy): void;
  /** Fail every request with `fault` for `ms` milliseconds from now, then fall back to the policy
   * (pass unless setPolicy was called). Overrides the policy while the window is open. */
  failFor(ms: number, fault: Fault): void;
  stats(): FaultProxyStats;
  /** Clears the counters and the log (the policy and any failFor window stay). */
  resetStats(): void;
  close(): Promise<void>;
}

export interface FaultProxyOptions {
  /** Clock for failFor windows; a parameter so tests can move time without sleeping. */
  now?: () => number;
}

export const DEFAULT_FAULT_BODY = JSON.stringify({ error_code: "INTERNAL_ERROR", message: "injected" });

// RFC 9110 §7.6.1: connection-specific headers apply to one hop and must not be forwarded.
const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
]);

/** Copies headers minus hop-by-hop ones (including any the Connection header names). */
export function endToEndHeaders(headers: http.IncomingHttpHeaders): http.OutgoingHttpHeaders {
  const named = String(headers.connection ?? "")
    .split(",")
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const out: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(headers)) {
    if (v === undefined || HOP_BY_HOP.has(k) || named.includes(k)) continue;
    out[k] = v;
  }
  return out;
}

/** The fault for one request: an open failFor window wins, otherwise the policy decides. */
export function decideFault(req: FaultRequest, policy: FaultPolicy, window: { until: number; fault: Fault } | null, now: number): Fault {
  if (window && now < window.until) return window.fault;
  return policy(req);
}

const passAll: FaultPolicy = () => ({ kind: "pass" });

export async function startFaultProxy(targetUrl: string, opts: FaultProxyOptions = {}): Promise<FaultProxy> {
  const target = new URL(targetUrl);
  if (target.protocol !== "http:") throw new Error(`fault proxy forwards to http:// only, got ${targetUrl}`);
  const basePath = target.pathname.replace(/\/+$/, "");
  const now = opts.now ?? Date.now;
  // Our own agent, so close() can also drop the upstream keep-alive sockets.
  const agent = new http.Agent({ keepAlive: true });

  let policy: FaultPolicy = passAll;
  let window: { until: number; fault: Fault } | null = null;
  let counter = 0;
  let stats: FaultProxyStats = { total: 0, byKind: {}, log: [], upstreamErrors: 0 };
  let closed = false;
  const timers = new Set<NodeJS.Timeout>();

  /** Streams req to the target; calls onAnswer with the target's response, or onError. */
  function forward(req: http.IncomingMessage, res: http.ServerResponse, onAnswer: (up: http.IncomingMessage) => void, onError: (e: Error) => void): void {
    const headers = endToEndHeaders(req.headers);
    headers.host = target.host;
    const upReq = http.request(
      {
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: req.method,
        path: basePath + (req.url ?? "/"),
        headers,
        agent,
      },
      onAnswer,
    );
    let clientGone = false;
    upReq.on("error", (e) => {
      if (!clientGone) onError(e);
    });
    // If the client goes away before its answer, stop talking to the target as well; that is
    // the client's doing, not a target error.
    res.on("close", () => {
      if (res.writableFinished) return;
      clientGone = true;
      upReq.destroy();
    });
    req.pipe(upReq);
  }

  function pass(req: http.IncomingMessage, res: http.ServerResponse): void {
    forward(
      req,
      res,
      (up) => {
        res.writeHead(up.statusCode ?? 502, up.statusMessage, endToEndHeaders(up.headers));
        up.pipe(res);
        up.on("error", () => res.destroy());
      },
      (e) => {
        stats.upstreamErrors++;
        if (res.headersSent) {
          res.destroy();
          return;
        }
        const body = JSON.stringify({ error_code: "TEMPORARILY_UNAVAILABLE", message: `fault proxy: target unreachable: ${e.message}` });
        res.writeHead(502, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
      },
    );
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const method = req.method ?? "GET";
    const path = req.url ?? "/";
    const n = ++counter;
    const fault = decideFault({ method, path, n }, policy, window, now());
    stats.total++;
    stats.byKind[fault.kind] = (stats.byKind[fault.kind] ?? 0) + 1;
    stats.log.push({ method, path, kind: fault.kind });

    switch (fault.kind) {
      case "pass":
        pass(req, res);
        return;
      case "drop":
        // Read the whole request first, so the client has fully sent it before it loses the socket.
        req.on("end", () => req.socket.destroy());
        req.resume();
        return;
      case "drop_after_forward":
        forward(
          req,
          res,
          (up) => {
            // Drain the answer: once it has ended the target has certainly applied the request.
            up.on("end", () => req.socket.destroy());
            up.on("error", () => req.socket.destroy());
            up.resume();
          },
          () => {
            stats.upstreamErrors++;
            req.socket.destroy();
          },
        );
        return;
      case "delay": {
        // The body waits in the paused stream (and the kernel buffers) until we forward.
        const t = setTimeout(() => {
          timers.delete(t);
          if (closed || req.socket.destroyed) return;
          pass(req, res);
        }, fault.ms);
        timers.add(t);
        return;
      }
      case "status": {
        const body = fault.body ?? DEFAULT_FAULT_BODY;
        // Consume the request so the keep-alive connection stays usable for the next one.
        req.on("end", () => {
          res.writeHead(fault.status, { "content-type": "application/json", "content-length": Buffer.byteLength(body) }).end(body);
        });
        req.resume();
        return;
      }
    }
  }

  const server = http.createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    setPolicy(p) {
      policy = p;
    },
    failFor(ms, fault) {
      window = { until: now() + ms, fault };
    },
    stats() {
      return {
        total: stats.total,
        byKind: { ...stats.byKind },
        log: stats.log.map((e) => ({ ...e })),
        upstreamErrors: stats.upstreamErrors,
      };
    },
    resetStats() {
      stats = { total: 0, byKind: {}, log: [], upstreamErrors: 0 };
    },
    async close() {
      if (closed) return;
      closed = true;
      for (const t of timers) clearTimeout(t);
      timers.clear();
      // Idle keep-alive sockets would otherwise hold server.close() open until they time out.
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      agent.destroy();
    },
  };
}
