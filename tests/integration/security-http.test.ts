import http from "node:http";
import zlib from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth";
import { startTestServer, type TestServer } from "../helpers/server";

interface Raw {
  status: number;
  text: string;
  headers: http.IncomingHttpHeaders;
}

/** node:http, because fetch may not set Host; the headers go out exactly as given. */
function raw(base: string, method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string): Promise<Raw> {
  const u = new URL(base);
  return new Promise((resolve, reject) => {
    const req = http.request({ host: u.hostname, port: u.port, method, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, text: Buffer.concat(chunks).toString("utf8"), headers: res.headers }));
    });
    req.on("error", reject);
    req.end(body);
  });
}

const USERS = "/api/v1/users";
const newAdmin = (name: string) => JSON.stringify({ username: name, password: "evil-password-1", role: "admin" });

describe("anonymous access on loopback (the default)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({});
  });
  afterAll(() => s.close());
  const hostOf = () => new URL(s.url).host;

  it("refuses a rebound Host on API and dashboard paths alike", async () => {
    const api = await raw(
      s.url,
      "POST",
      "/api/v1/tokens",
      { host: "evil.example:3000", "content-type": "application/json" },
      JSON.stringify({ name: "x", role: "admin" }),
    );
    expect(api.status).toBe(403);
    expect(JSON.parse(api.text).message).toContain("VIGIL_ALLOWED_HOSTS");
    const page = await raw(s.url, "GET", "/experiments/1", { host: "evil.example:3000" });
    expect(page.status).toBe(403);
    expect((await raw(s.url, "GET", "/api/v1/health", { host: hostOf() })).status).toBe(200);
    expect((await raw(s.url, "GET", "/api/v1/health", { host: `localhost:${new URL(s.url).port}` })).status).toBe(200);
  });

  it("refuses a cross-site text/plain form and an untyped body", async () => {
    const form = await raw(s.url, "POST", USERS, { host: hostOf(), "content-type": "text/plain" }, newAdmin("form"));
    expect(form.status).toBe(400);
    const untyped = await raw(s.url, "POST", USERS, { host: hostOf() }, newAdmin("untyped"));
    expect(untyped.status).toBe(400);
    expect(JSON.parse(untyped.text).message).toContain("Content-Type header is missing");
    const crossSite = await raw(s.url, "POST", USERS, { host: hostOf(), origin: "https://evil.example", "content-type": "application/json" }, newAdmin("xs"));
    expect(crossSite.status).toBe(403);
    const list = await (await fetch(`${s.url}${USERS}`)).json();
    expect(list.users.map((u: { username: string }) => u.username)).toEqual([]);
  });

  it("keeps MLflow's clients working: application/json (with a charset), no Origin", async () => {
    const r = await raw(
      s.url,
      "POST",
      "/api/2.0/mlflow/experiments/create",
      { host: hostOf(), "content-type": "application/json; charset=utf-8" },
      JSON.stringify({ name: "from-python" }),
    );
    expect(r.status).toBe(200);
    // A DELETE without a body needs no Content-Type (it reaches the verb, which names the field).
    const del = await raw(s.url, "DELETE", "/api/3.0/mlflow/traces/tr-0/tags", { host: hostOf() });
    expect(JSON.parse(del.text).message).not.toContain("Content-Type");
  });

  it("answers a zlib-wrapped deflate bomb with 413 after one pass", async () => {
    const bomb = zlib.deflateSync(Buffer.alloc(s.config.VIGIL_MAX_BODY_BYTES + 1024, 0x20));
    const r = await raw(
      s.url,
      "POST",
      "/v1/traces",
      { host: hostOf(), "content-type": "application/json", "content-encoding": "deflate", "x-mlflow-experiment-id": "0" },
      bomb,
    );
    expect(r.status).toBe(413);
    const rawBomb = zlib.deflateRawSync(Buffer.alloc(s.config.VIGIL_MAX_BODY_BYTES + 1024, 0x20));
    const r2 = await raw(
      s.url,
      "POST",
      "/v1/traces",
      { host: hostOf(), "content-type": "application/json", "content-encoding": "deflate", "x-mlflow-experiment-id": "0" },
      rawBomb,
    );
    expect(r2.status).toBe(413);
  });
});

describe("signed-in people and tokens", () => {
  let s: TestServer;
  const ADMIN = "admin-token-for-http-tests";
  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ADMIN_TOKEN: ADMIN, VIGIL_ANONYMOUS_ROLE: "none" });
    await createUser({ ctx: s.ctx, input: { username: "ada", password: "ada-password-1", role: "admin" } });
    await createUser({ ctx: s.ctx, input: { username: "locked", password: "locked-password-1", role: "viewer" } });
    await createUser({ ctx: s.ctx, input: { username: "shared", password: "shared-password-1", role: "viewer" } });
  });
  afterAll(() => s.close());
  const json = { "content-type": "application/json" };
  const signIn = (username: string, password: string, extra: Record<string, string> = {}) =>
    fetch(`${s.url}/api/v1/auth/signin`, { method: "POST", headers: { ...json, ...extra }, body: JSON.stringify({ username, password }) });

  it("refuses a cookie-authenticated unsafe request from another origin (CSRF)", async () => {
    const cookie = (await signIn("ada", "ada-password-1")).headers.get("set-cookie")!.split(";")[0]!;
    const create = (h: Record<string, string>, name: string) =>
      fetch(`${s.url}${USERS}`, { method: "POST", headers: { ...json, cookie, ...h }, body: newAdmin(name) });
    expect((await create({ origin: "http://127.0.0.1:1", "sec-fetch-site": "same-site" }, "csrf1")).status).toBe(403);
    expect((await create({}, "csrf2")).status).toBe(403);
    expect((await create({ origin: s.url }, "ok1")).status).toBe(200);
    expect((await create({ origin: s.url, "sec-fetch-site": "same-origin" }, "ok2")).status).toBe(200);
    // A token is never added by a browser: no Origin needed.
    const token = await fetch(`${s.url}${USERS}`, {
      method: "POST",
      headers: { ...json, authorization: `Bearer ${ADMIN}`, origin: "https://evil.example" },
      body: newAdmin("ok3"),
    });
    expect(token.status).toBe(200);
  });

  it("throttles Basic credentials like the sign-in form", async () => {
    const basic = (p: string) => ({ authorization: `Basic ${Buffer.from(`locked:${p}`).toString("base64")}` });
    const statuses: number[] = [];
    for (let i = 0; i < 20; i++) statuses.push((await fetch(`${s.url}/api/v1/auth/me`, { headers: basic(`guess-${i}`) })).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses.slice(5).every((st) => st === 429)).toBe(true);
    const right = await fetch(`${s.url}/api/v1/auth/me`, { headers: basic("locked-password-1") });
    expect(right.status).toBe(429);
    expect(Number(right.headers.get("retry-after"))).toBeGreaterThan(0);
  });

  it("shares one throttle between the sign-in route and Basic credentials", async () => {
    for (let i = 0; i < 5; i++) expect((await signIn("shared", `guess-${i}`)).status).toBe(401);
    const basic = { authorization: `Basic ${Buffer.from("shared:shared-password-1").toString("base64")}` };
    expect((await fetch(`${s.url}/api/v1/auth/me`, { headers: basic })).status).toBe(429);
  });

  it("ignores X-Forwarded-For from a peer that is not a configured proxy", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 7; i++) statuses.push((await signIn("ada", `wrong-${i}`, { "x-forwarded-for": `198.51.100.${i}` })).status);
    expect(statuses.slice(5)).toEqual([429, 429]);
  });
});

describe("behind a configured proxy", () => {
  it("keys the throttle on the client the proxy saw", async () => {
    const s = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "none", VIGIL_TRUSTED_PROXIES: "127.0.0.1" });
    try {
      await createUser({ ctx: s.ctx, input: { username: "pat", password: "pat-password-1", role: "viewer" } });
      const attempt = (xff: string, password: string) =>
        fetch(`${s.url}/api/v1/auth/signin`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-forwarded-for": xff },
          body: JSON.stringify({ username: "pat", password }),
        });
      for (let i = 0; i < 5; i++) expect((await attempt("203.0.113.7", `bad-${i}`)).status).toBe(401);
      expect((await attempt("203.0.113.7", "pat-password-1")).status).toBe(429);
      // The attacker's failures do not lock the owner out from their own address.
      expect((await attempt("192.0.2.44", "pat-password-1")).status).toBe(200);
    } finally {
      await s.close();
    }
  });
});
