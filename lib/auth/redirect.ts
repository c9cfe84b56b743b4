const BASE = "http://vigil.invalid";

/**
 * Where to send a person after sign-in: a path on this server, or "/". The value is resolved the
 * way a browser resolves a Location header (backslashes as slashes, tabs and newlines dropped), so
 * `/\evil.example`, `//evil.example` and `/\t/evil.example` all fall back to "/".
 */
export function safeNextPath(next: unknown): string {
  if (typeof next !== "string" || !next.startsWith("/") || next.length > 2000) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  // "/.//evil" normalises to "//evil", which a browser would read as another host.
  return path.startsWith("//") || path.startsWith("/\\") ? "/" : path;
}
