// Real HTTP receivers for alert tests (node:http): a generic webhook that checks Vigil's HMAC
// signature, and Slack- and PagerDuty-shaped endpoints that check the payloads against the
// shapes in those services' public docs. `respond` scripts the answers (500 first, say).
import http from "node:http";
import type { AddressInfo } from "node:net";
import { verifySignature } from "../payloads";

export interface Received {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  json: Record<string, unknown>;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** Status for the next requests, in order; afterwards `fallback`. */
  respond: number[];
  fallback: number;
  onRequest?: (r: Received) => void;
  problems: string[];
  close(): Promise<void>;
}

type Check = (r: Received) => string | null;

export const webhookCheck =
  (secret: string, nowMs: () => number = Date.now): Check =>
  (r) => {
    const sig = String(r.headers["vigil-signature"] ?? "");
    if (!verifySignature(secret, sig, r.body, Math.floor(nowMs() / 1000))) return `bad signature '${sig}'`;
    if (!r.headers["vigil-event-id"] || r.headers["vigil-event-id"] !== r.json.id) return "vigil-event-id header missing or not the body's id";
    return null;
  };

// Slack incoming webhooks: a JSON object with `text` (the fallback) and optional Block Kit `blocks`.
export const slackCheck: Check = (r) => {
  if (typeof r.json.text !== "string" || !r.json.text) return "slack: text missing";
  const blocks = r.json.blocks as { type: string }[] | undefined;
  if (blocks && !blocks.every((b) => typeof b.type === "string")) return "slack: a block without type";
  return null;
};

// PagerDuty Events API v2: routing_key, event_action trigger|acknowledge|resolve, dedup_key; a
// trigger needs payload.summary, payload.source and payload.severity (critical|error|warning|info).
export const pagerDutyCheck =
  (routingKey: string): Check =>
  (r) => {
    const j = r.json as { routing_key?: string; event_action?: string; dedup_key?: string; payload?: Record<string, unknown> };
    if (j.routing_key !== routingKey) return "pagerduty: wrong routing_key";
    if (!["trigger", "acknowledge", "resolve"].includes(String(j.event_action))) return "pagerduty: bad event_action";
    if (!j.dedup_key || j.dedup_key.length > 255) return "pagerduty: dedup_key missing";
    if (j.event_action === "trigger") {
      const p = j.payload ?? {};
      if (!p.summary || String(p.summary).length > 1024 || !p.source || !["critical", "error", "warning", "info"].includes(String(p.severity)))
        return "pagerduty: bad payload";
    }
    return null;
  };

export async function startReceiver(check: Check, opts: { pagerDuty?: boolean } = {}): Promise<Receiver> {
  const rec: Receiver = { url: "", received: [], respond: [], fallback: 200, problems: [], close: async () => {} };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let json: Record<string, unknown> = {};
      try {
        json = JSON.parse(body) as Record<string, unknown>;
      } catch {
        rec.problems.push("body is not JSON");
      }
      const r: Received = { path: req.url ?? "", headers: req.headers, body, json };
      rec.received.push(r);
      const problem = check(r);
      if (problem) rec.problems.push(problem);
      rec.onRequest?.(r);
      const status = rec.respond.shift() ?? rec.fallback;
      if (opts.pagerDuty && status === 202)
        res
          .writeHead(202, { "content-type": "application/json" })
          .end(JSON.stringify({ status: "success", message: "Event processed", dedup_key: json.dedup_key }));
      else res.writeHead(status, { "content-type": "text/plain" }).end(status < 300 ? "ok" : "receiver error");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  rec.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  rec.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return rec;
}
