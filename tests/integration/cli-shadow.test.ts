// `shadow: true` in scorers.config.ts through the real CLI against a real Vigil over HTTP: a
// changed definition starts as a shadow (MLflow's routes keep the live version), applying again
// changes nothing, removing `shadow` promotes it, and a shadow of a scorer not yet registered is
// refused before anything is sent.
import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getExperimentByName } from "@/lib/experiments";
import { listScorerVersions, listShadows } from "@/lib/monitoring";
import { startTestServer, type TestServer } from "../helpers/server";
import { cli } from "./cli.helpers";
import { addToken } from "./mlflow.helpers";

const config = (scorers: string) => `export default { experiment: "cli-shadow", scorers: [${scorers}] };\n`;
const V1 = `{ name: "length", builtin: "ResponseLength", params: { max: 500 }, sampleRate: 0.5 }`;
const V2_SHADOW = `{ name: "length", builtin: "ResponseLength", params: { max: 200 }, sampleRate: 0.5, shadow: true }`;
const V2 = `{ name: "length", builtin: "ResponseLength", params: { max: 200 }, sampleRate: 0.5 }`;

describe("vigil scorers apply with shadow: true", () => {
  let s: TestServer;
  let file: string;
  let auth: string[];
  const exp = () => getExperimentByName({ ctx: s.ctx, input: { experiment_name: "cli-shadow" } }).experiment.experiment_id;
  const versions = () => listScorerVersions({ ctx: s.ctx, input: { experiment_id: exp(), name: "length" } }).map((v) => v.version);
  const shadows = () => listShadows({ ctx: s.ctx, input: { experiment_id: exp(), name: "length" } }).map((x) => [x.version, x.state]);
  const apply = (scorers: string) => {
    fs.writeFileSync(file, config(scorers));
    return cli(["scorers", "apply", file, ...auth]);
  };

  beforeAll(async () => {
    s = await startTestServer({ VIGIL_ANONYMOUS_ROLE: "none" });
    auth = ["--url", s.url, "--token", addToken(s, "admin").authorization!.replace("Bearer ", "")];
    file = path.join(s.dir, "scorers.config.ts");
  });
  afterAll(() => s.close());

  it("refuses a shadow of a scorer that is not registered yet, sending nothing", async () => {
    const r = await apply(V2_SHADOW);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/Refused: length: shadow: true needs a live version to shadow/);
    expect(r.stdout).not.toContain("created experiment");
  });

  it("registers a changed definition as a shadow, then has nothing to change", async () => {
    expect((await apply(V1)).code).toBe(0);
    const r = await apply(V2_SHADOW);
    expect(r.stderr).toBe("");
    expect(r.stdout).toMatch(/~ length\s+changed\s+definition changed: register it as a shadow of v1/);
    expect(r.stdout).toContain("registered length v2 as a shadow of v1");
    expect(r.stdout).toContain("Applied: 0 registrations, 0 sampling configs, 1 shadow change.");
    expect(versions()).toEqual([1]);
    expect(shadows()).toEqual([[2, "shadow"]]);
    const again = await apply(V2_SHADOW);
    expect(again.stdout).toContain("Plan: nothing to change (1 scorer up to date).");
  });

  it("removing shadow: true promotes it; v1 stops", async () => {
    const dry = await cli(["scorers", "apply", (fs.writeFileSync(file, config(V2)), file), "--dry-run", ...auth]);
    expect(dry.stdout).toMatch(/~ length\s+changed\s+promote shadow v2 \(v1 stops\)/);
    expect(shadows()).toEqual([[2, "shadow"]]);
    const r = await apply(V2);
    expect(r.stdout).toContain("promoted length v2 (v1 stopped)");
    expect(versions()).toEqual([1, 2]);
    expect(shadows()).toEqual([[2, "promoted"]]);
    expect((await apply(V2)).stdout).toContain("nothing to change");
  });
});
