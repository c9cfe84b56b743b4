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

  it("lets anonymous admin onto the network only when told so deliberately", () => {
    expect(parseConfig({ HOST: "0.0.0.0", VIGIL_ANONYMOUS_ROLE: "admin", VIGIL_ALLOW_ANONYMOUS_ON_NETWORK: "1" }).VIGIL_ANONYMOUS_ROLE).toBe("admin");
    expect(parseConfig({ HOST: "0.0.0.0", VIGIL_ANONYMOUS_ROLE: "viewer" }).VIGIL_ANONYMOUS_ROLE).toBe("viewer");
  });

  it("reads host, proxy and durability settings", () => {
    const c = parseConfig({ VIGIL_ALLOWED_HOSTS: "Vigil.example.com, *.corp.example", VIGIL_TRUSTED_PROXIES: "10.0.0.1,::ffff:10.0.0.2" });
    expect(c.VIGIL_ALLOWED_HOSTS).toEqual(["vigil.example.com", "*.corp.example"]);
    expect(c.VIGIL_TRUSTED_PROXIES).toEqual(["10.0.0.1", "10.0.0.2"]);
    expect(c.VIGIL_SQLITE_SYNCHRONOUS).toBe("NORMAL");
    expect(parseConfig({}).VIGIL_ALLOWED_HOSTS).toBeUndefined();
    expect(parseConfig({ VIGIL_SQLITE_SYNCHRONOUS: "FULL" }).VIGIL_SQLITE_SYNCHRONOUS).toBe("FULL");
  });

  it("reads remote MLflow settings under MLflow's own names", () => {
    const c = parseConfig({ MLFLOW_TRACKING_URI: "https://mlflow.example.com/prefix", MLFLOW_TRACKING_TOKEN: "t0k" });
    expect(c).toMatchObject({
      MLFLOW_TRACKING_URI: "https://mlflow.example.com/prefix",
      MLFLOW_TRACKING_TOKEN: "t0k",
      VIGIL_REMOTE_SCORED_BY: "auto",
      VIGIL_REMOTE_BUFFER_MS: 30_000,
    });
    expect(parseConfig({}).MLFLOW_TRACKING_URI).toBeUndefined();
  });

  it.each([
    ["file:./x.db", /\/x\.db$/],
    ["./data/y.db", /\/data\/y\.db$/],
    ["/srv/vigil/z.db", /^\/srv\/vigil\/z\.db$/],
    [":memory:", /^:memory:$/],
  ])("accepts DATABASE_URL %s", (url, path) => expect(parseConfig({ DATABASE_URL: url }).databasePath).toMatch(path));

  it("says what DATABASE_URL accepts when it refuses one", () => {
    expect(() => parseConfig({ DATABASE_URL: "sqlite:///x.db" })).toThrow(/unknown scheme "sqlite:".*accepted: "file:/);
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ VIGIL_DEMO: "maybe" }, "VIGIL_DEMO"],
    [{ VIGIL_ADMIN_TOKEN: "short" }, "VIGIL_ADMIN_TOKEN"],
    [{ VIGIL_ANONYMOUS_ROLE: "root" }, "VIGIL_ANONYMOUS_ROLE"],
    [{ DATABASE_URL: "postgres://x/y" }, "DATABASE_URL"],
    [{ DATABASE_URL: "sqlite:///x.db" }, "DATABASE_URL"],
    [{ DATABASE_URL: "~/vigil.db" }, "DATABASE_URL"],
    [{ DATABASE_URL: "file:~/vigil.db" }, "DATABASE_URL"],
    [{ DATABASE_URL: "file:///srv/x.db" }, "DATABASE_URL"],
    [{ MLFLOW_TRACKING_URI: "databricks" }, "MLFLOW_TRACKING_URI"],
    [{ MLFLOW_TRACKING_URI: "file:///srv/mlruns" }, "MLFLOW_TRACKING_URI"],
    [{ MLFLOW_TRACKING_URI: "http://mlflow:5000", MLFLOW_TRACKING_USERNAME: "vigil" }, "MLFLOW_TRACKING_PASSWORD"],
    [{ VIGIL_REMOTE_SCORED_BY: "both" }, "VIGIL_REMOTE_SCORED_BY"],
    [{ VIGIL_REMOTE_TIMEOUT_MS: "5" }, "VIGIL_REMOTE_TIMEOUT_MS"],
    [{ HOST: "0.0.0.0", VIGIL_ANONYMOUS_ROLE: "admin" }, "VIGIL_ANONYMOUS_ROLE"],
    [{ HOST: "10.1.2.3", VIGIL_ANONYMOUS_ROLE: "operator" }, "VIGIL_ANONYMOUS_ROLE"],
    [{ VIGIL_SQLITE_SYNCHRONOUS: "OFF" }, "VIGIL_SQLITE_SYNCHRONOUS"],
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
