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

  it("reads remote MLflow settings under MLflow's own names", () => {
    const c = parseConfig({ MLFLOW_TRACKING_URI: "https://mlflow.example.com/prefix", MLFLOW_TRACKING_TOKEN: "t0k" });
    expect(c).toMatchObject({ MLFLOW_TRACKING_URI: "https://mlflow.example.com/prefix", MLFLOW_TRACKING_TOKEN: "t0k", VIGIL_REMOTE_SCORED_BY: "auto", VIGIL_REMOTE_BUFFER_MS: 30_000 });
    expect(parseConfig({}).MLFLOW_TRACKING_URI).toBeUndefined();
  });

  it.each([
    [{ PORT: "abc" }, "PORT"],
    [{ PORT: "70000" }, "PORT"],
    [{ VIGIL_DEMO: "maybe" }, "VIGIL_DEMO"],
    [{ VIGIL_ADMIN_TOKEN: "short" }, "VIGIL_ADMIN_TOKEN"],
    [{ VIGIL_ANONYMOUS_ROLE: "root" }, "VIGIL_ANONYMOUS_ROLE"],
    [{ DATABASE_URL: "postgres://x/y" }, "DATABASE_URL"],
    [{ MLFLOW_TRACKING_URI: "databricks" }, "MLFLOW_TRACKING_URI"],
    [{ MLFLOW_TRACKING_URI: "file:///srv/mlruns" }, "MLFLOW_TRACKING_URI"],
    [{ MLFLOW_TRACKING_URI: "http://mlflow:5000", MLFLOW_TRACKING_USERNAME: "vigil" }, "MLFLOW_TRACKING_PASSWORD"],
    [{ VIGIL_REMOTE_SCORED_BY: "both" }, "VIGIL_REMOTE_SCORED_BY"],
    [{ VIGIL_REMOTE_TIMEOUT_MS: "5" }, "VIGIL_REMOTE_TIMEOUT_MS"],
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
