import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken, createUser } from "@/lib/auth";
import { startTestServer, type TestServer } from "../helpers/server";

const ADMIN = "admin-token-for-scope-tests";

// An admin token limited to one experiment acts inside it and nowhere else: it cannot reach the
// global verbs that would let it escape its scope (minting tokens, managing users, experiments).
describe("experiment-scoped identities", () => {
  let s: TestServer;
  let scoped: Record<string, string>;
  const call = (method: string, path: string, body?: unknown) =>
    fetch(`${s.url}${path}`, {
      method,
      headers: { ...scoped, ...(body === undefined ? {} : { "content-type": "application/json" }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });

  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ADMIN_TOKEN: ADMIN, VIGIL_ANONYMOUS_ROLE: "none" });
    await createUser({ ctx: s.ctx, input: { username: "victim", password: "victim-password-1", role: "viewer" } });
    const t = createApiToken({ ctx: s.ctx, input: { name: "scoped-admin", role: "admin", experiment_id: "0" } });
    scoped = { authorization: `Bearer ${t.token}` };
  });
  afterAll(() => s.close());

  it.each([
    ["mint an unscoped admin token", "POST", "/api/v1/tokens", { name: "escape", role: "admin" }],
    ["list tokens", "GET", "/api/v1/tokens", undefined],
    ["list users", "GET", "/api/v1/users", undefined],
    ["create an admin user", "POST", "/api/v1/users", { username: "evil", password: "evil-password-1", role: "admin" }],
    ["set a role", "POST", "/api/v1/users/victim/role", { role: "admin" }],
    ["set another user's password", "POST", "/api/v1/users/victim/password", { password: "taken-over-123" }],
    ["delete a user", "DELETE", "/api/v1/users/victim", undefined],
    ["create an experiment", "POST", "/api/2.0/mlflow/experiments/create", { name: "outside" }],
    ["read remote status", "GET", "/api/v1/remote", undefined],
  ])("cannot %s (403)", async (_label, method, path, body) => {
    const r = await call(method, path, body);
    expect(r.status).toBe(403);
    expect((await r.json()).error_code).toBe("PERMISSION_DENIED");
  });

  it("still acts inside its experiment", async () => {
    const r = await call("GET", "/api/2.0/mlflow/experiments/get?experiment_id=0");
    expect(r.status).toBe(200);
    const search = await call("POST", "/api/3.0/mlflow/traces/search", {
      locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } }],
    });
    expect(search.status).toBe(200);
  });
});

describe("ingest tokens and StartTraceV3", () => {
  it("may add tags to a trace but not rewrite the ones already set", async () => {
    const s = await startTestServer({ VIGIL_ADMIN_TOKEN: ADMIN, VIGIL_ANONYMOUS_ROLE: "none" });
    try {
      const ingest = createApiToken({ ctx: s.ctx, input: { name: "agent", role: "ingest" } }).token;
      const start = (token: string, tags: Record<string, string>) =>
        fetch(`${s.url}/api/3.0/mlflow/traces`, {
          method: "POST",
          headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
          body: JSON.stringify({
            trace: {
              trace_info: {
                trace_id: "tr-5f2c9a8e7d6b4c3a2b1a0f9e8d7c6b5a",
                trace_location: { type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } },
                request_time: "2026-01-01T00:00:00Z",
                state: "OK",
                tags,
                trace_metadata: {},
              },
            },
          }),
        });
      expect((await start(ADMIN, { "reviewed.by": "alice" })).status).toBe(200);
      expect((await start(ingest, { "reviewed.by": "mallory", "agent.run": "42" })).status).toBe(200);
      const got = await (
        await fetch(`${s.url}/api/3.0/mlflow/traces/tr-5f2c9a8e7d6b4c3a2b1a0f9e8d7c6b5a`, { headers: { authorization: `Bearer ${ADMIN}` } })
      ).json();
      expect(got.trace.trace_info.tags).toMatchObject({ "reviewed.by": "alice", "agent.run": "42" });
    } finally {
      await s.close();
    }
  });
});
