import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allRoutes } from "@/lib/http/routes";
import { startTestServer, type TestServer } from "../helpers/server";

// Every route that is not explicitly public refuses a request without credentials, whatever
// the route, so a new route cannot be added open by mistake.
const closed = allRoutes.filter((r) => !r.public);
const concrete = (path: string) => path.replace(/:[a-z_]+/g, "x1");

describe("unauthenticated requests", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "none" });
  });
  afterAll(() => s.close());

  it("covers a real set of routes", () => {
    expect(closed.length).toBeGreaterThan(40);
  });

  it.each(closed.map((r) => [r.method, r.path]))("%s %s → 401", async (method, path) => {
    const r = await fetch(`${s.url}${concrete(path)}`, {
      method,
      headers: { "content-type": "application/json", "x-mlflow-experiment-id": "0" },
      body: method === "GET" ? undefined : "{}",
    });
    expect(r.status).toBe(401);
    expect((await r.json()).error_code).toBe("UNAUTHENTICATED");
  });

  it.each([
    ["a revoked-looking token", "Bearer vgl_not_a_token"],
    ["bad basic", `Basic ${Buffer.from("a:b").toString("base64")}`],
  ])("refuses %s on OTLP ingestion", async (_l, auth) => {
    const r = await fetch(`${s.url}/v1/traces`, {
      method: "POST",
      headers: { authorization: auth, "content-type": "application/json", "x-mlflow-experiment-id": "0" },
      body: "{}",
    });
    expect(r.status).toBe(401);
  });
});
