import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "@/db/client";
import { actorFromSession, readCookie, resolveActor, SESSION_COOKIE } from "@/lib/auth";
import { type Actor, type Config, type Ctx, InvalidParameterError, UnauthenticatedError } from "@/lib/core";
import { readBody } from "./body";
import { toMlflowError } from "./errors";
import { Router } from "./router";
import { allRoutes } from "./routes";
import type { ApiRequest, ApiResult, HttpMethod } from "./types";

const API_PREFIXES = ["/api/", "/ajax-api/", "/v1/"];
// MLflow's version endpoint sits outside the API prefixes.
const API_PATHS = ["/version"];
// Who calls a public route without credentials; public handlers call no role-checked verb.
const PUBLIC_ACTOR: Actor = { id: "anonymous", role: "viewer" };

export interface ApiDeps {
  db: Db;
  config: Config;
  now?: () => number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

/**
 * Node request handler for Vigil's REST and OTLP surface. Returns false for paths it does not
 * own, so the caller can hand them to the dashboard (Next.js).
 */
export function createApiHandler(deps: ApiDeps) {
  const router = new Router(allRoutes);
  const log = deps.log ?? ((l: string) => console.error(l));

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://vigil.local");
    if (!API_PREFIXES.some((p) => url.pathname.startsWith(p)) && !API_PATHS.includes(url.pathname)) return false;
    // MLflow's UI calls the same API under /ajax-api.
    const pathname = url.pathname.replace(/^\/ajax-api\//, "/api/");
    let result: ApiResult;
    try {
      const m = router.match(req.method ?? "GET", pathname);
      if (!m) {
        result = { status: 404, json: { error_code: "ENDPOINT_NOT_FOUND", message: `No endpoint ${req.method} ${url.pathname}` } };
      } else if ("allowed" in m) {
        result = {
          status: 405,
          json: { error_code: "BAD_REQUEST", message: `Method ${req.method} is not allowed; use ${m.allowed.join(", ")}.` },
          headers: { allow: m.allowed.join(", ") },
        };
      } else {
        const now = deps.now ?? Date.now;
        const cookie = readCookie(header(req, "cookie"), SESSION_COOKIE);
        const actor = await resolveActor(deps.db, deps.config, header(req, "authorization"), () =>
          cookie ? actorFromSession(deps.db, cookie, now()) : null,
        ).catch((e) => {
          if (m.public && e instanceof UnauthenticatedError) return PUBLIC_ACTOR;
          throw e;
        });
        const actorCtx: Ctx = { db: deps.db, config: deps.config, actor, now, fetch: deps.fetch ?? fetch };
        const body = await readBody(req, deps.config.VIGIL_MAX_BODY_BYTES);
        const apiReq: ApiRequest = {
          method: req.method as HttpMethod,
          url,
          headers: Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v.join(",") : v])),
          body,
          params: m.params,
          clientAddress: req.socket.remoteAddress ?? "unknown",
        };
        result = await m.handler(apiReq, actorCtx);
      }
    } catch (e) {
      const mapped = toMlflowError(e);
      if (mapped.status >= 500) log(`[api] ${req.method} ${url.pathname} failed: ${e instanceof Error ? e.stack : String(e)}`);
      result = { status: mapped.status, json: mapped.body };
    }
    send(res, result);
    return true;
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

function send(res: ServerResponse, r: ApiResult): void {
  const headers: Record<string, string> = {
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
    "x-frame-options": "DENY",
    "referrer-policy": "same-origin",
    ...(r.headers ?? {}),
  };
  if ("json" in r) {
    const text = JSON.stringify(r.json);
    res.writeHead(r.status, { ...headers, "content-type": "application/json" });
    res.end(text);
  } else {
    res.writeHead(r.status, { ...headers, "content-type": r.contentType });
    res.end(r.body);
  }
}

export function requireJsonContentType(req: ApiRequest): void {
  const ct = (req.headers["content-type"] ?? "").toLowerCase();
  if (req.body.length > 0 && ct && !ct.includes("json")) {
    throw new InvalidParameterError(`Content-Type must be application/json, got '${ct}'.`);
  }
}
