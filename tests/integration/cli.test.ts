// `vigil scorers apply` as a child process against a real Vigil over HTTP: a plan first, then the
// changes; the same file again: "nothing to change".
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getExperimentByName } from "@/lib/experiments";
import { listScorers } from "@/lib/monitoring";
import { startTestServer, type TestServer } from "../helpers/server";
import { cli } from "./cli.helpers";
import { addToken, api } from "./mlflow.helpers";

const config = (scorers: string) => `// written by cli.test.ts
export default {
  experiment: "cli-support-agent",
  scorers: [${scorers}
  ],
};
`;

const BASE = `
    { name: "safety", builtin: "Safety", sampleRate: 1 },
    { name: "relevance", builtin: "RelevanceToQuery", sampleRate: 0.15 },
    { name: "pii_leak", builtin: "PIILeak", sampleRate: 1 },
    { name: "polite_closing", module: "polite-closing", sampleRate: 0.03, filterString: "trace.status = 'OK'" },
    { name: "trace_error", builtin: "TraceError", sampleRate: 0 },`;

describe("vigil scorers apply", () => {
  let s: TestServer;
  let admin: string;
  let file: string;
  const ctx = () => s.ctx;
  const auth = () => ["--url", s.url, "--token", admin];
  const experimentId = () => getExperimentByName({ ctx: ctx(), input: { experiment_name: "cli-support-agent" } }).experiment.experiment_id;
  const state = () =>
    Object.fromEntries(
      listScorers({ ctx: ctx(), input: { experiment_id: experimentId() } }).map((v) => [
        v.name,
        { version: v.version, status: v.status, rate: v.sampleRate, filter: v.filterString },
      ]),
    );

  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "none" });
    admin = addToken(s, "admin").authorization!.replace("Bearer ", "");
    file = path.join(s.dir, "scorers.config.ts");
    fs.writeFileSync(file, config(BASE));
  });
  afterAll(() => s.close());

  it("a dry run prints the plan and changes nothing", async () => {
    const r = await cli(["scorers", "apply", file, "--dry-run", ...auth()]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("experiment 'cli-support-agent' (new: will be created)");
    expect(r.stdout).toMatch(/\+ safety\s+new\s+register v1; rate 100%, filter every trace/);
    expect(r.stdout).toContain("Plan: 5 new, 0 changed, 0 unchanged.");
    expect(r.stdout).toContain("Dry run: nothing was applied.");
    expect(
      (await api(s, "GET", "/api/2.0/mlflow/experiments/get-by-name?experiment_name=cli-support-agent", undefined, { authorization: `Bearer ${admin}` }))
        .status,
    ).toBe(404);
  });

  it("applies: plan first, then the changes; the second run has nothing to change", async () => {
    const first = await cli(["scorers", "apply", file, ...auth()]);
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    const out = first.stdout;
    // The plan is printed before anything is applied.
    expect(out.indexOf("Plan: 5 new")).toBeGreaterThan(-1);
    expect(out.indexOf("Plan: 5 new")).toBeLessThan(out.indexOf("created experiment"));
    expect(out).toMatch(/\+ polite_closing\s+new\s+register v1; rate 3%, filter "trace.status = 'OK'"/);
    expect(out).toMatch(/\+ trace_error\s+new\s+register v1; rate 0% \(stopped\)/);
    expect(out).toContain("registered safety v1");
    expect(out).toContain("sampling relevance: rate 15%, filter every trace");
    expect(out).toContain("Applied: 5 registrations, 4 sampling configs.");
    expect(state()).toEqual({
      pii_leak: { version: 1, status: "STARTED", rate: 1, filter: null },
      polite_closing: { version: 1, status: "STARTED", rate: 0.03, filter: "trace.status = 'OK'" },
      relevance: { version: 1, status: "STARTED", rate: 0.15, filter: null },
      safety: { version: 1, status: "STARTED", rate: 1, filter: null },
      trace_error: { version: 1, status: "STOPPED", rate: 0, filter: null },
    });

    const second = await cli(["scorers", "apply", file, ...auth()]);
    expect(second.code).toBe(0);
    expect(second.stdout).toContain("Plan: nothing to change (5 scorers up to date).");
    expect(second.stdout).toMatch(/= safety\s+unchanged/);
    expect(second.stdout).not.toContain("registered");
    expect(second.stdout).not.toContain("Applied:");
    expect(state().safety).toEqual({ version: 1, status: "STARTED", rate: 1, filter: null });
  });

  it("shows rate, filter and definition changes, and leaves scorers the file does not declare alone", async () => {
    fs.writeFileSync(
      file,
      config(
        BASE.replace("sampleRate: 0.15 }", "sampleRate: 0.2, filterString: \"trace.status = 'OK'\" }").replace(
          '{ name: "pii_leak", builtin: "PIILeak", sampleRate: 1 }',
          '{ name: "pii_leak", builtin: "PIILeak", params: { target: "inputs" }, sampleRate: 1 }',
        ),
      ),
    );
    await api(
      s,
      "POST",
      "/api/3.0/mlflow/scorers/register",
      { experiment_id: experimentId(), name: "hand_made", serialized_scorer: '{"name":"hand_made"}' },
      { authorization: `Bearer ${admin}` },
    );
    const r = await cli(["scorers", "apply", file, ...auth()]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/~ relevance\s+changed\s+rate 15% -> 20%; filter every trace -> "trace.status = 'OK'"/);
    expect(r.stdout).toMatch(/~ pii_leak\s+changed\s+definition changed: register v2 \(was v1\)/);
    expect(r.stdout).toMatch(/hand_made\s+ignored\s+not in the config file; left as it is/);
    expect(r.stdout).toContain("Plan: 0 new, 2 changed, 3 unchanged.");
    expect(state()).toMatchObject({
      relevance: { version: 1, rate: 0.2, filter: "trace.status = 'OK'" },
      pii_leak: { version: 2, status: "STARTED", rate: 1 },
      hand_made: { version: 1, status: "STOPPED" },
    });
    expect((await cli(["scorers", "apply", file, ...auth()])).stdout).toContain("nothing to change");
  });

  it("never undoes an operator's pause", async () => {
    const operator = addToken(s, "operator").authorization!.replace("Bearer ", "");
    const paused = await cli([
      "scorers",
      "pause",
      "safety",
      "--experiment",
      "cli-support-agent",
      "--reason",
      "judge outage",
      "--url",
      s.url,
      "--token",
      operator,
    ]);
    expect(paused.code).toBe(0);
    expect(paused.stdout).toMatch(/safety\s+v1\s+PAUSED \(judge outage\)\s+rate 100%/);
    const r = await cli(["scorers", "apply", file, ...auth()]);
    expect(r.stdout).toMatch(/= safety\s+unchanged .*\[paused: judge outage; stays paused\]/);
    expect(state().safety).toMatchObject({ status: "PAUSED", rate: 1 });
    const listed = await cli(["scorers", "list", "--experiment", experimentId(), "--url", s.url, "--token", operator]);
    expect(listed.stdout).toMatch(
      /hand_made\s+v1\s+STOPPED\s+rate 0% \(stopped\), filter every trace\s+not runnable here: Serialized scorer 'hand_made' has no payload/,
    );
  });

  it("the npx launcher works from any directory, and errors exit non-zero with the reason", async () => {
    const viaBin = await cli(["scorers", "apply", "scorers.config.ts", "--dry-run", ...auth()], { viaBin: true, cwd: s.dir });
    expect(viaBin.stderr).toBe("");
    expect(viaBin.stdout).toContain("nothing to change");

    const bad = path.join(s.dir, "bad.config.ts");
    fs.writeFileSync(bad, config(`{ name: "x", builtin: "PIILeak", sampleRate: 1.5 }, { name: "y", builtin: "Nope", sampleRate: 1 },`));
    const invalid = await cli(["scorers", "apply", bad, ...auth()]);
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/scorers\[0\] \(x\): Invalid value 1.5 for parameter 'sampleRate'/);
    expect(invalid.stderr).toMatch(/scorers\[1\] \(y\): Unknown built-in scorer class 'Nope'/);

    const noToken = await cli(["scorers", "apply", file, "--url", s.url]);
    expect(noToken.code).toBe(1);
    expect(noToken.stderr).toContain("(UNAUTHENTICATED, HTTP 401)");

    const viewer = addToken(s, "viewer").authorization!.replace("Bearer ", "");
    fs.writeFileSync(file, config(BASE.replace("sampleRate: 0.15 }", "sampleRate: 0.1 }")));
    const refused = await cli(["scorers", "apply", file, "--url", s.url, "--token", viewer]);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain("Plan:");
    expect(refused.stderr).toMatch(/needs the (operator|admin) role; you have viewer/);

    const down = await cli(["scorers", "apply", file, "--url", "http://127.0.0.1:59999"]);
    expect(down.code).toBe(1);
    expect(down.stderr).toContain("Cannot reach Vigil at http://127.0.0.1:59999");

    const usage = await cli(["scorers", "apply"]);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain("needs a config file");
  }, 120_000);
});
