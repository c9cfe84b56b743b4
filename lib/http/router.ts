import type { ApiRequest, HttpMethod, Route, RouteHandler } from "./types";

interface Compiled {
  method: HttpMethod;
  segments: string[];
  paramCount: number;
  handler: RouteHandler;
  public: boolean;
  body: "json" | "raw";
}

export interface RouteMatch {
  handler: RouteHandler;
  params: ApiRequest["params"];
  public: boolean;
  body: "json" | "raw";
}

export class Router {
  private readonly routes: Compiled[] = [];

  constructor(routes: Route[]) {
    for (const r of routes) {
      const segments = r.path.split("/").filter(Boolean);
      this.routes.push({
        method: r.method,
        segments,
        paramCount: segments.filter((s) => s.startsWith(":")).length,
        handler: r.handler,
        public: r.public ?? false,
        body: r.body ?? "json",
      });
    }
    // Static segments win: /traces/search before /traces/:trace_id.
    this.routes.sort((a, b) => a.paramCount - b.paramCount);
  }

  /** Finds the handler for a path; `allowed` lists methods when only the method is wrong. */
  match(method: string, pathname: string): RouteMatch | { allowed: HttpMethod[] } | null {
    const parts = pathname
      .split("/")
      .filter(Boolean)
      .map((p) => {
        try {
          return decodeURIComponent(p);
        } catch {
          return p;
        }
      });
    const allowed: HttpMethod[] = [];
    for (const r of this.routes) {
      if (r.segments.length !== parts.length) continue;
      const params: Record<string, string> = {};
      let ok = true;
      for (let i = 0; i < parts.length; i++) {
        const seg = r.segments[i]!;
        if (seg.startsWith(":")) params[seg.slice(1)] = parts[i]!;
        else if (seg !== parts[i]) {
          ok = false;
          break;
        }
      }
      if (!ok) continue;
      if (r.method === method) return { handler: r.handler, params, public: r.public, body: r.body };
      allowed.push(r.method);
    }
    return allowed.length ? { allowed } : null;
  }
}
