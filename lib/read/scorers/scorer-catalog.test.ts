import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { parseConfig, systemActor, type Ctx } from "@/lib/core";
import { createExperiment } from "@/lib/experiments";
import { getScorer } from "@/lib/monitoring";
import { registerCatalogScorer, listScorerCatalog } from "@/lib/read/scorers/scorer-catalog";

let db: Db;
let ctx: Ctx;
let exp: string;
beforeAll(() => {
  db = openDb(":memory:");
  ctx = { db, config: parseConfig({ DATABASE_URL: ":memory:", VIGIL_DEMO: "0" }), actor: systemActor, now: () => 1_700_000_000_000, fetch };
  exp = createExperiment({ ctx, input: { name: "catalog" } }).experiment_id;
});
afterAll(() => db.$client.close());

describe("scorer catalog", () => {
  it("offers the built-ins, the team scorers and an instructions judge, each with form fields", () => {
    const c = listScorerCatalog({ ctx, input: {} });
    const rl = c.find((e) => e.id === "builtin:ResponseLength")!;
    expect(rl.fields.map((f) => f.name)).toEqual(["min", "max"]);
    expect(c.find((e) => e.id === "builtin:Guidelines")!.fields.find((f) => f.name === "guidelines")).toMatchObject({ type: "list", required: true });
    expect(c.some((e) => e.source === "module")).toBe(true);
    expect(c.find((e) => e.id === "instructions")!.fields.map((f) => f.name)).toEqual(["instructions", "model"]);
  });

  it("registers a runnable built-in in MLflow's serialized format", () => {
    const s = registerCatalogScorer({ ctx, input: { experimentId: exp, name: "short_answers", entry: "builtin:ResponseLength", params: { max: 600 } } });
    expect(s).toMatchObject({ name: "short_answers", version: 1, runnable: true, status: "STOPPED" });
    const stored = JSON.parse(getScorer({ ctx, input: { experiment_id: exp, name: "short_answers" } }).serializedScorer);
    expect(stored).toMatchObject({ builtin_scorer_class: "ResponseLength", builtin_scorer_pydantic_data: { name: "short_answers", max: 600 } });
  });

  it("registers an instructions judge with the configured model when none is given", () => {
    registerCatalogScorer({ ctx, input: { experimentId: exp, name: "tone", entry: "instructions", params: { instructions: "Is {{ outputs }} polite?" } } });
    const stored = JSON.parse(getScorer({ ctx, input: { experiment_id: exp, name: "tone" } }).serializedScorer);
    expect(stored.instructions_judge_pydantic_data).toMatchObject({ instructions: "Is {{ outputs }} polite?", model: ctx.config.VIGIL_JUDGE_MODEL });
  });

  it.each([
    [{ entry: "builtin:ResponseLength", params: {} }, /Invalid parameters for ResponseLength/],
    [{ entry: "builtin:RegexMatch", params: { pattern: "" } }, /pattern/],
    [{ entry: "builtin:Nope", params: {} }, /Unknown built-in scorer class/],
    [{ entry: "instructions", params: { instructions: " " } }, /needs instructions/],
  ])("refuses what the scorer would reject: %j", (bad, msg) => {
    expect(() => registerCatalogScorer({ ctx, input: { experimentId: exp, name: "bad", ...bad } })).toThrow(msg);
  });
});
