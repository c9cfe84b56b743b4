import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser } from "@/lib/auth";
import { startTestServer, type TestServer } from "../helpers/server";

const ADMIN = "admin-token-for-password-tests";

describe("password changes", () => {
  let s: TestServer;
  const json = { "content-type": "application/json" };
  const signIn = async (username: string, password: string) => {
    const r = await fetch(`${s.url}/api/v1/auth/signin`, { method: "POST", headers: json, body: JSON.stringify({ username, password }) });
    expect(r.status).toBe(200);
    return r.headers.get("set-cookie")!.split(";")[0]!;
  };
  const me = async (cookie: string) => (await fetch(`${s.url}/api/v1/auth/me`, { headers: { cookie } })).status;
  const change = (username: string, body: unknown, headers: Record<string, string>) =>
    fetch(`${s.url}/api/v1/users/${username}/password`, { method: "POST", headers: { ...json, origin: s.url, ...headers }, body: JSON.stringify(body) });

  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ADMIN_TOKEN: ADMIN, VIGIL_ANONYMOUS_ROLE: "none" });
    await createUser({ ctx: s.ctx, input: { username: "bea", password: "bea-password-1", role: "viewer" } });
  });
  afterAll(() => s.close());

  it("needs the current password to change one's own, and ends the other sessions", async () => {
    const laptop = await signIn("bea", "bea-password-1");
    const stolen = await signIn("bea", "bea-password-1");
    expect((await change("bea", { password: "bea-password-2" }, { cookie: stolen })).status).toBe(403);
    expect((await change("bea", { password: "bea-password-2", current_password: "wrong" }, { cookie: stolen })).status).toBe(403);
    expect((await change("bea", { password: "bea-password-2", current_password: "bea-password-1" }, { cookie: laptop })).status).toBe(200);
    expect(await me(laptop)).toBe(200);
    expect(await me(stolen)).toBe(401);
  });

  it("lets an admin reset another user's password without it, ends all their sessions, and audits the reset", async () => {
    const session = await signIn("bea", "bea-password-2");
    const r = await change("bea", { password: "bea-password-3" }, { authorization: `Bearer ${ADMIN}` });
    expect(r.status).toBe(200);
    expect(await me(session)).toBe(401);
    const log = await (await fetch(`${s.url}/api/v1/audit?entity_type=user`, { headers: { authorization: `Bearer ${ADMIN}` } })).json();
    const actions = log.entries.map((e: { action: string }) => e.action);
    expect(actions).toContain("user.password.reset");
    expect(JSON.stringify(log)).not.toContain("scrypt");
  });
});
