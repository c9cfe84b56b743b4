// A small JSON client for Vigil's REST surface (MLflow's routes plus /api/v1), used by the CLI.
// It speaks only MLflow's scorer routes for changes, so `apply` works against any server that
// implements them; Vigil's own routes are read when present (pause state) and skipped otherwise.

export class RestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: string,
    message: string,
  ) {
    super(message);
    this.name = "RestError";
  }
}

export interface RestOptions {
  url: string;
  token?: string;
  fetch?: typeof fetch;
}

type Query = Record<string, string | string[] | undefined>;

export class RestClient {
  private readonly base: string;
  private readonly fetchImpl: typeof fetch;

  constructor(private readonly opts: RestOptions) {
    this.base = opts.url.replace(/\/+$/, "");
    this.fetchImpl = opts.fetch ?? fetch;
  }

  get<T>(path: string, query: Query = {}): Promise<T> {
    return this.call<T>("GET", path, undefined, query);
  }
  post<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>("POST", path, body);
  }
  put<T>(path: string, body: unknown): Promise<T> {
    return this.call<T>("PUT", path, body);
  }

  private async call<T>(method: string, path: string, body?: unknown, query: Query = {}): Promise<T> {
    const url = new URL(this.base + path);
    for (const [k, v] of Object.entries(query)) {
      for (const item of v === undefined ? [] : Array.isArray(v) ? v : [v]) url.searchParams.append(k, item);
    }
    const headers: Record<string, string> = { accept: "application/json" };
    if (this.opts.token) headers.authorization = `Bearer ${this.opts.token}`;
    if (body !== undefined) headers["content-type"] = "application/json";
    let res: Response;
    try {
      res = await this.fetchImpl(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
    } catch (e) {
      const c = (e as { cause?: { code?: string; message?: string } }).cause;
      const cause = c?.code ?? c?.message ?? (e as Error).message;
      throw new RestError(0, "UNREACHABLE", `Cannot reach Vigil at ${this.base} (${cause}). Is it running? Pass --url.`);
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : {};
    } catch {
      throw new RestError(res.status, "BAD_RESPONSE", `${method} ${path} answered ${res.status} with a body that is not JSON.`);
    }
    if (!res.ok) {
      const err = (json ?? {}) as { error_code?: string; message?: string };
      throw new RestError(res.status, err.error_code ?? "HTTP_ERROR", err.message ?? `${method} ${path} failed with HTTP ${res.status}.`);
    }
    return json as T;
  }
}
