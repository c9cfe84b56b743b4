// Alerts as code: `vigil scorers apply` (a child process against a real Vigil over HTTP) shows
// declared rules in its plan, creates them, and a second run changes nothing.
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, expect, it } from "vitest";
import { getExperimentByName } from "@/lib/experiments";
import { addToken } from "@/tests/integration/mlflow.helpers";
import { startTestServer, type TestServer } from "@/tests/helpers/server";
import { listAlertRules } from "./list-alert-rules";

const run = promisify(execFile);
let s: TestServer;
let file: string;
let token: string;

const cli = async (args: string[]) => {
  try {
    const r = await run(process.execPath, ["--import", "tsx", "scripts/cli.ts", ...args], { timeout: 60_000 });
    return { code: 0, out: r.stdout, err: r.stderr };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, out: x.stdout, err: x.stderr };
  }
};
const write = (alerts: string) =>
  fs.writeFileSync(
    file,
    `export default { experiment: "alerts-as-code", scorers: [{ name: "pii_leak", builtin: "PIILeak", sampleRate: 1 }], alerts: [${alerts}] };\n`,
  );

beforeAll(async () => {
  s = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "none" });
  token = addToken(s, "admin").authorization!.replace("Bearer ", "");
  file = path.join(s.dir, "scorers.config.ts");
});
afterAll(() => s.close());

it("plans, applies, and then finds nothing to change", async () => {
  write(`{ name: "pii drop", kind: "quality_drop", scorer: "pii_leak", params: { window: "2h", baseline: "7d", min_effect: 0.05 }, for: "15m", severity: "critical" },
    { name: "quiet", kind: "no_traffic", params: { period: "30m" } }`);
  const args = ["scorers", "apply", file, "--url", s.url, "--token", token];
  const first = await cli(args);
  expect(first.err).toBe("");
  expect(first.out).toContain("alert pii drop: new (quality_drop on pii_leak, critical, for 15m)");
  expect(first.out).toContain("created alert quiet");
  expect(first.out).toContain("2 alert rules.");
  const exp = getExperimentByName({ ctx: s.ctx, input: { experiment_name: "alerts-as-code" } }).experiment.experiment_id;
  const rule = listAlertRules({ ctx: s.ctx, input: { experiment_id: exp } }).rules.find((r) => r.name === "pii drop")!;
  expect(rule).toMatchObject({ source: "config", for_ms: 900_000, params: { window: 7_200_000, baseline: 604_800_000, min_effect: 0.05, alpha: 0.01 } });

  const second = await cli(args);
  expect(second.out).toContain("alert pii drop: unchanged");
  expect(second.out).toContain("alert quiet: unchanged");
  expect(second.out).toContain("alert rules not in the file (left as they are): Judge budget 100%");
  expect(second.out).not.toContain("Applied:");

  write(`{ name: "pii drop", kind: "quality_drop", scorer: "pii_leak", params: { window: "1h" } }`);
  const third = await cli([...args, "--dry-run"]);
  expect(third.out).toMatch(/alert pii drop: changed: params .* -> .*; for 15m -> 0s; severity critical -> warning/);
});

it("refuses a bad rule in the file before anything is sent", async () => {
  write(`{ name: "bad", kind: "quality_drop", scorer: "pii_leak", params: { window: "10m" } }`);
  const r = await cli(["scorers", "apply", file, "--url", s.url, "--token", token]);
  expect(r.code).not.toBe(0);
  expect(r.err).toContain("alerts[0]: Invalid alert rule: 'params.window' must be at least 1h");
});
