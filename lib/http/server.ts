import type { IncomingMessage, ServerResponse } from "node:http";
import type { Db } from "@/db/client";
import { actorFromSession, readCookie, resolveActor, SESSION_COOKIE } from "@/lib/auth";
import { type Actor, type Config, type Ctx, InvalidParameterError, isVigilError, UnauthenticatedError } from "@/lib/core";
import { readBody } from "./body";
import { toMlflowError } from "./errors";
import { authorityOf, clientAddress, crossSiteRefusal, fromTrustedProxy, hostAllowed } from "./request-guard";
import { Router } from "./router";
import { allRoutes } from "./routes";
import type { ApiRequest, ApiResult, HttpMethod } from "./types";

const API_PREFIXES = ["/api/", "/ajax-api/", "/v1/"];
// MLflow's version endpoint sits outside the API prefixes.
const API_PATHS = ["/version"];
// Who calls a public route without credentials; public handlers call no role-checked verb.
const PUBLIC_ACTOR: Actor = { id: "anonymous", role: "viewer" };
const FORWARDED = ["x-forwarded-for", "x-forwarded-host", "x-forwarded-proto"];
/** Set here for the dashboard (sign-in throttle); a client's own value is overwritten. */
export const CLIENT_ADDRESS_HEADER = "x-vigil-client-address";

export interface ApiDeps {
  db: Db;
  config: Config;
  now?: () => number;
  fetch?: typeof fetch;
  log?: (line: string) => void;
}

/**
 * Node request handler for Vigil's REST and OTLP surface. Every request (dashboard pages too)
 * first passes the Host check; forwarding headers from untrusted peers are dropped. Returns false
 * for paths it does not own, so the caller can hand them to the dashboard (Next.js).
 */
export function createApiHandler(deps: ApiDeps) {
  const router = new Router(allRoutes);
  const log = deps.log ?? ((l: string) => console.error(l));

  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    const url = new URL(req.url ?? "/", "http://vigil.local");
    const isApi = API_PREFIXES.some((p) => url.pathname.startsWith(p)) || API_PATHS.includes(url.pathname);
    const peer = req.socket.remoteAddress;
    const trusted = deps.config.VIGIL_TRUSTED_PROXIES;
    req.headers[CLIENT_ADDRESS_HEADER] = clientAddress(peer, header(req, "x-forwarded-for"), trusted);
    if (!fromTrustedProxy(peer, trusted)) for (const h of FORWARDED) delete req.headers[h];
    const host = header(req, "x-forwarded-host") ?? header(req, "host");
    if (!hostAllowed(host, deps.config)) {
      const message = `Host '${(host ?? "").slice(0, 100)}' is not allowed; add it to VIGIL_ALLOWED_HOSTS.`;
      req.resume();
      send(res, isApi ? { status: 403, json: { error_code: "PERMISSION_DENIED", message } } : { status: 403, body: message, contentType: "text/plain" });
      return true;
    }
    if (!isApi) return false;
    // MLflow's UI calls the same API under /ajax-api.
    const pathname = url.pathname.replace(/^\/ajax-api\//, "/api/");
    const failure = (e: unknown, actor?: Actor): ApiResult => {
      const mapped = toMlflowError(e, actor);
      if (mapped.status >= 500) log(`[api] ${req.method} ${url.pathname} failed: ${e instanceof Error ? e.stack : String(e)}`);
      const retry =
        isVigilError(e) && typeof e.details?.retryAfterMs === "number" ? { "retry-after": String(Math.ceil(e.details.retryAfterMs / 1000)) } : undefined;
      return { status: mapped.status, json: mapped.body, headers: retry };
    };
    let result: ApiResult;
    try {
      result = await dispatch(req, url, pathname, host, failure);
    } catch (e) {
      result = failure(e);
    }
    send(res, result);
    return true;
  };

  async function dispatch(
    req: IncomingMessage,
    url: URL,
    pathname: string,
    host: string | undefined,
    failure: (e: unknown, actor?: Actor) => ApiResult,
  ): Promise<ApiResult> {
    const m = router.match(req.method ?? "GET", pathname);
    if (!m) {
      req.resume();
      return { status: 404, json: { error_code: "ENDPOINT_NOT_FOUND", message: `No endpoint ${req.method} ${url.pathname}` } };
    }
    if ("allowed" in m) {
      req.resume();
      return {
        status: 405,
        json: { error_code: "BAD_REQUEST", message: `Method ${req.method} is not allowed; use ${m.allowed.join(", ")}.` },
        headers: { allow: m.allowed.join(", ") },
      };
    }
    const now = deps.now ?? Date.now;
    const cookie = readCookie(header(req, "cookie"), SESSION_COOKIE);
    const authorization = header(req, "authorization");
    const refusal = crossSiteRefusal({
      method: req.method ?? "GET",
      authority: authorityOf({ authorization, hasSessionCookie: cookie !== undefined }),
      host,
      origin: header(req, "origin"),
      secFetchSite: header(req, "sec-fetch-site"),
    });
    if (refusal) {
      req.resume();
      return { status: 403, json: { error_code: "PERMISSION_DENIED", message: refusal } };
    }
    const client = String(req.headers[CLIENT_ADDRESS_HEADER]);
    const actor = await resolveActor(deps.db, deps.config, authorization, { clientAddress: client, now: now() }, () =>
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
      clientAddress: client,
    };
    if (m.body === "json") requireJsonContentType(apiReq);
    try {
      return await m.handler(apiReq, actorCtx);
    } catch (e) {
      // Mapped here, where the actor is known: an upstream message is for admins only.
      return failure(e, actor);
    }
  }
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

const BODY_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * JSON routes take application/json only, as MLflow's server does (mlflow/server/validation.py);
 * MLflow's Python client (requests' json=) and TypeScript SDK send it on every call with a body.
 * A body without a type is refused too: a cross-site page can send one without a preflight.
 */
export function requireJsonContentType(req: ApiRequest): void {
  if (!BODY_METHODS.has(req.method)) return;
  const raw = req.headers["content-type"];
  if (raw === undefined && req.body.length === 0) return;
  const media = (raw ?? "").split(";")[0]!.trim().toLowerCase();
  if (media !== "application/json") {
    throw new InvalidParameterError(
      raw === undefined ? "Content-Type header is missing; send application/json." : `Content-Type must be application/json, got '${raw.slice(0, 100)}'.`,
    );
  }
}
