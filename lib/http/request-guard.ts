// Pure decisions made on every request before any route runs: which Host names this server
// answers to (DNS rebinding), whether an unsafe request carrying ambient authority (a session
// cookie, or anonymous access) comes from this origin (CSRF), and who the client is behind proxies.
import { isLoopbackHost, normalizeAddress, type Config } from "@/lib/core/config";

export type GuardConfig = Pick<Config, "VIGIL_ANONYMOUS_ROLE" | "VIGIL_ALLOWED_HOSTS" | "VIGIL_TRUSTED_PROXIES">;

/** "Example.com:3000" → "example.com"; "[::1]:3000" → "[::1]"; undefined when unparsable. */
export function hostName(hostHeader: string | undefined): string | undefined {
  if (!hostHeader) return undefined;
  const h = hostHeader.trim().toLowerCase();
  const m = /^(\[[0-9a-f:.]+\]|[a-z0-9._-]+)(?::\d{1,5})?$/.exec(h);
  return m ? m[1] : undefined;
}

function allowedBy(list: readonly string[], name: string): boolean {
  return list.some((entry) => {
    const e = hostName(entry) ?? entry;
    if (e === "*") return true;
    if (e.startsWith("*.")) return name.endsWith(e.slice(1));
    return e === name;
  });
}

/**
 * Whether the Host header names this server. With an allow-list, only its names; without one,
 * loopback names while anonymous access is on (a rebound name such as evil.example must not reach
 * an open server); any name when every request must authenticate.
 */
export function hostAllowed(hostHeader: string | undefined, config: GuardConfig): boolean {
  const list = config.VIGIL_ALLOWED_HOSTS;
  if (!list && config.VIGIL_ANONYMOUS_ROLE === "none") return true;
  const name = hostName(hostHeader);
  if (!name) return false;
  return isLoopbackHost(name) || (list !== undefined && allowedBy(list, name));
}

export type Authority = "credentials" | "cookie" | "anonymous";

/** Which authority a request carries: an Authorization header wins over a cookie, as in resolveActor. */
export function authorityOf(headers: { authorization?: string; hasSessionCookie: boolean }): Authority {
  if (headers.authorization) return "credentials";
  return headers.hasSessionCookie ? "cookie" : "anonymous";
}

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * CSRF: an unsafe request whose authority the browser adds by itself (cookie, anonymous access)
 * must say it comes from this origin: Sec-Fetch-Site same-origin, or an Origin whose host is the
 * request's host. Browsers send one of them on every unsafe request; for a cookie, neither is
 * refused too. A token or Basic credentials are never added by a browser, so they pass.
 */
export function crossSiteRefusal(r: { method: string; authority: Authority; host: string | undefined; origin?: string; secFetchSite?: string }): string | null {
  if (SAFE_METHODS.has(r.method.toUpperCase()) || r.authority === "credentials") return null;
  const site = r.secFetchSite?.toLowerCase();
  if (site) return site === "same-origin" ? null : `Cross-site request refused (Sec-Fetch-Site: ${site}).`;
  if (r.origin !== undefined) {
    let originHost: string | undefined;
    try {
      originHost = r.origin === "null" ? undefined : new URL(r.origin).host.toLowerCase();
    } catch {
      originHost = undefined;
    }
    return originHost && originHost === r.host?.trim().toLowerCase() ? null : "Cross-origin request refused (Origin does not match Host).";
  }
  return r.authority === "cookie" ? "A request signed in with a session cookie must send Origin (use a browser or an API token)." : null;
}

/**
 * The client's address: the peer, unless the peer is a configured proxy, in which case the
 * right-most X-Forwarded-For entry that is not itself a trusted proxy.
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | undefined, trusted: readonly string[]): string {
  let addr = normalizeAddress(peer ?? "unknown");
  if (!forwardedFor || !trusted.includes(addr)) return addr;
  const hops = forwardedFor
    .split(",")
    .map((h) => normalizeAddress(h.trim()))
    .filter(Boolean);
  while (hops.length > 0 && trusted.includes(addr)) addr = hops.pop()!;
  return addr;
}

/** X-Forwarded-* are the client's words unless the peer is a trusted proxy. */
export function fromTrustedProxy(peer: string | undefined, trusted: readonly string[]): boolean {
  return trusted.includes(normalizeAddress(peer ?? ""));
}
