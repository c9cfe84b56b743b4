import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "./config";

describe("config", () => {
  it("has working defaults", () => {
    const c = parseConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe("127.0.0.1");
    expect(c.databasePath).toMatch(/data\/vigil\.db$/);
    expect(c.VIGIL_DEMO).toBe(true);
  });

  it.each([
    [{}, "admin"],
    [{ HOST: "localhost" }, "admin"],
    [{ HOST: "0.0.0.0" }, "none"],
    [{ HOST: "10.1.2.3" }, "none"],
    [{ HOST: "0.0.0.0", VIGIL_ANONYMOUS_ROLE: "viewer" }, "viewer"],
    [{ VIGIL_ANONYMOUS_ROLE: "none" }, "none"],
  ])("anonymous role for %j is %s", (env, role) => expect(parseConfig(env).VIGIL_ANONYMOUS_ROLE).toBe(role));

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ VIGIL_DEMO: "maybe" }, "VIGIL_DEMO"],
    [{ VIGIL_ADMIN_TOKEN: "short" }, "VIGIL_ADMIN_TOKEN"],
    [{ VIGIL_ANONYMOUS_ROLE: "root" }, "VIGIL_ANONYMOUS_ROLE"],
    [{ DATABASE_URL: "postgres://x/y" }, "DATABASE_URL"],
  ])("refuses %j naming %s", (env, setting) => {
    try {
      parseConfig(env);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).setting).toBe(setting);
      expect((e as Error).message.split("\n")).toHaveLength(1);
    }
  });
});
