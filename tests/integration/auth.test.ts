import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, ensureFirstAdminLink } from "@/lib/auth";
import { startTestServer, type TestServer } from "../helpers/server";

const ADMIN = "admin-token-for-tests-0123";

describe("access control over REST", () => {
  let s: TestServer;
  const adminH = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };
  const post = (path: string, body: unknown, headers: Record<string, string> = adminH) =>
    fetch(`${s.url}${path}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ADMIN_TOKEN: ADMIN, VIGIL_ANONYMOUS_ROLE: "none" });
    await createUser({ ctx: s.ctx, input: { username: "olive", password: "operator-pass-1", role: "operator" } });
    await createUser({ ctx: s.ctx, input: { username: "mallory", password: "mallory-pass-1", role: "viewer" } });
  });
  afterAll(() => s.close());

  it("signs in with a password into an http-only session cookie, and signs out", async () => {
    const r = await post("/api/v1/auth/signin", { username: "olive", password: "operator-pass-1" }, {});
    expect(r.status).toBe(200);
    const cookie = r.headers.get("set-cookie")!;
    expect(cookie).toMatch(/^vigil_session=[^;]+; Path=\/; HttpOnly; SameSite=Lax/);
    const session = cookie.split(";")[0]!;
    const me = await fetch(`${s.url}/api/v1/auth/me`, { headers: { cookie: session } });
    expect(await me.json()).toEqual({ actor: { id: "user:olive", role: "operator" } });
    // A cookie-authenticated unsafe request must come from this origin (CSRF).
    expect((await post("/api/v1/auth/signout", {}, { cookie: session })).status).toBe(403);
    expect((await post("/api/v1/auth/signout", {}, { cookie: session, origin: s.url })).status).toBe(200);
    const after = await fetch(`${s.url}/api/v1/auth/me`, { headers: { cookie: session } });
    expect(after.status).toBe(401);
  });

  it("refuses a wrong password, then throttles repeated failures with 429", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await post("/api/v1/auth/signin", { username: "mallory", password: `guess-${i}` }, {})).status);
    expect(statuses.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
    expect(statuses[5]).toBe(429);
    // Even the right password waits out the window.
    expect((await post("/api/v1/auth/signin", { username: "mallory", password: "mallory-pass-1" }, {})).status).toBe(429);
  });

  it("redeems a one-time sign-in link once", async () => {
    const secret = ensureFirstAdminLink(s.db, Date.now());
    expect(secret).toBeTruthy();
    const r = await fetch(`${s.url}/api/v1/auth/link?token=${secret}`, { redirect: "manual" });
    expect(r.status).toBe(302);
    expect(r.headers.get("location")).toBe("/");
    const session = r.headers.get("set-cookie")!.split(";")[0]!;
    const me = await (await fetch(`${s.url}/api/v1/auth/me`, { headers: { cookie: session } })).json();
    expect(me.actor.role).toBe("admin");
    const again = await fetch(`${s.url}/api/v1/auth/link?token=${secret}`, { redirect: "manual" });
    expect(again.status).toBe(401);
  });

  it("shows a token's secret once, never lists it, and a revoked token stops at once", async () => {
    const created = await (await post("/api/v1/tokens", { name: "ci", role: "viewer" })).json();
    expect(created.token.token).toMatch(/^vgl_/);
    const list = await (await fetch(`${s.url}/api/v1/tokens`, { headers: adminH })).json();
    expect(JSON.stringify(list)).not.toContain(created.token.token);
    const h = { authorization: `Bearer ${created.token.token}` };
    expect((await fetch(`${s.url}/api/v1/auth/me`, { headers: h })).status).toBe(200);
    expect((await post(`/api/v1/tokens/${created.token.token_id}/revoke`, {})).status).toBe(200);
    const after = await fetch(`${s.url}/api/v1/auth/me`, { headers: h });
    expect(after.status).toBe(401);
  });

  it("lets an ingestion token write traces but not read them", async () => {
    const t = (await (await post("/api/v1/tokens", { name: "agent", role: "ingest" })).json()).token.token as string;
    const h = { authorization: `Bearer ${t}` };
    const write = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      headers: { ...h, "content-type": "application/json", "x-mlflow-experiment-id": "0" },
      body: JSON.stringify({ resourceSpans: [] }),
    });
    expect(write.status).toBe(200);
    const read = await post("/api/3.0/mlflow/traces/search", { locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } }] }, h);
    expect(read.status).toBe(403);
    expect((await read.json()).error_code).toBe("PERMISSION_DENIED");
  });

  it("refuses token management to a viewer and accepts MLflow's Basic credentials", async () => {
    const basic = { authorization: `Basic ${Buffer.from("olive:operator-pass-1").toString("base64")}` };
    const me = await (await fetch(`${s.url}/api/v1/auth/me`, { headers: basic })).json();
    expect(me.actor).toEqual({ id: "user:olive", role: "operator" });
    const r = await post("/api/v1/tokens", { name: "x", role: "admin" }, basic);
    expect(r.status).toBe(403);
  });
});

describe("audit of access changes", () => {
  it("records token creation and revocation with who did it, never the secret", async () => {
    const s = await startTestServer({ VIGIL_ADMIN_TOKEN: ADMIN, VIGIL_ANONYMOUS_ROLE: "none" });
    try {
      const h = { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" };
      const created = await (
        await fetch(`${s.url}/api/v1/tokens`, { method: "POST", headers: h, body: JSON.stringify({ name: "bot", role: "ingest" }) })
      ).json();
      await fetch(`${s.url}/api/v1/tokens/${created.token.token_id}/revoke`, { method: "POST", headers: h });
      const log = await (await fetch(`${s.url}/api/v1/audit?entity_type=token`, { headers: h })).json();
      expect(log.entries.map((e: { action: string }) => e.action)).toEqual(["token.revoke", "token.create"]);
      expect(log.entries[0].actor).toMatch(/^token:tok-/);
      expect(JSON.stringify(log)).not.toContain(created.token.token);
    } finally {
      await s.close();
    }
  });
});
