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
    const search = await call("POST", "/api/3.0/mlflow/traces/search", { locations: [{ type: "MLFLOW_EXPERIMENT", mlflow_experiment: { experiment_id: "0" } }] });
    expect(search.status).toBe(200);
  });
});
