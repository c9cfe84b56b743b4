// The client's default transport: node:http(s) on a keep-alive agent with a bounded number of
// sockets. MLflow has no batch create, so write-back is one small request per assessment; fetch's
// per-request machinery (web streams, request cloning) cost more CPU than the exchange itself.
import http from "node:http";
import https from "node:https";

/** The part of fetch the client uses; globalThis.fetch (or an injected one) also fits it. */
export type Transport = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string; signal: AbortSignal },
) => Promise<{ status: number; headers: { get(name: string): string | null }; text(): Promise<string> }>;

/** Sockets kept per client: above the engine's write concurrency, so a pass never queues on one. */
export const MAX_SOCKETS = 16;

export function keepAliveTransport(maxSockets = MAX_SOCKETS): Transport {
  const agents = {
    "http:": new http.Agent({ keepAlive: true, maxSockets }),
    "https:": new https.Agent({ keepAlive: true, maxSockets }),
  };
  return (url, init) =>
    new Promise((resolve, reject) => {
      const u = new URL(url);
      const secure = u.protocol === "https:";
      const body = init.body === undefined ? undefined : Buffer.from(init.body);
      const req = (secure ? https : http).request(
        u,
        {
          method: init.method,
          agent: agents[secure ? "https:" : "http:"],
          headers: body ? { ...init.headers, "content-length": String(body.length) } : init.headers,
          signal: init.signal,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({
              status: res.statusCode ?? 0,
              headers: {
                get: (name) => {
                  const v = res.headers[name.toLowerCase()];
                  return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
                },
              },
              text: async () => text,
            });
          });
        },
      );
      req.on("error", reject);
      req.end(body);
    });
}
