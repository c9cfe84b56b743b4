import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";

describe("REST surface", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ADMIN_TOKEN: "admin-token-for-tests-0123", VIGIL_ANONYMOUS_ROLE: "none" });
  });
  afterAll(() => s.close());

  it("answers health without credentials (load balancers probe it)", async () => {
    const r = await fetch(`${s.url}/api/v1/health`);
    expect(r.status).toBe(200);
  });

  it("answers health with a valid admin token", async () => {
    const r = await fetch(`${s.url}/api/v1/health`, { headers: { authorization: "Bearer admin-token-for-tests-0123" } });
    expect(r.status).toBe(200);
    expect(await r.json()).toEqual({ status: "ok" });
  });

  it.each([
    ["no token", undefined, 401, "UNAUTHENTICATED"],
    ["a wrong token", "Bearer nope-nope-nope", 401, "UNAUTHENTICATED"],
    ["a malformed header", "Token abc", 401, "UNAUTHENTICATED"],
    ["wrong basic credentials", `Basic ${Buffer.from("nobody:pw").toString("base64")}`, 401, "UNAUTHENTICATED"],
  ])("refuses %s", async (_label, auth, status, code) => {
    const r = await fetch(`${s.url}/api/v1/auth/me`, { headers: auth ? { authorization: auth } : {} });
    expect(r.status).toBe(status);
    expect((await r.json()).error_code).toBe(code);
  });

  it("answers unknown endpoints and wrong methods in MLflow's error shape", async () => {
    const h = { authorization: "Bearer admin-token-for-tests-0123" };
    const r404 = await fetch(`${s.url}/api/2.0/mlflow/nothing-here`, { headers: h });
    expect(r404.status).toBe(404);
    expect((await r404.json()).error_code).toBe("ENDPOINT_NOT_FOUND");
    const r405 = await fetch(`${s.url}/api/v1/health`, { method: "DELETE", headers: h });
    expect(r405.status).toBe(405);
    expect(r405.headers.get("allow")).toBe("GET");
  });
});
