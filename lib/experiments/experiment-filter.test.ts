import { describe, expect, it } from "vitest";
import type { ExperimentRow } from "./experiment-json";
import { FilterBudgetExceededError, withFilterBudget } from "@/lib/mlflow/filter";
import { matchesExperiment, parseExperimentFilter } from "./experiment-filter";
import { parseExperimentOrderBy } from "./search-experiments";

const row = (name: string, creationTime = 100): ExperimentRow => ({
  experimentId: 1,
  name,
  artifactLocation: "",
  lifecycleStage: "active",
  tags: "{}",
  creationTime,
  lastUpdateTime: creationTime,
});

describe("experiment filter", () => {
  it.each([
    ["name = 'prod'", "prod", {}, true],
    ["name = 'prod'", "Prod", {}, false],
    ["name != 'prod'", "dev", {}, true],
    ["name LIKE 'prod-%'", "prod-agent", {}, true],
    ["name LIKE 'prod-%'", "PROD-agent", {}, false],
    ["name ILIKE 'prod-%'", "PROD-agent", {}, true],
    ["name LIKE 'a_c'", "abc", {}, true],
    ["name LIKE 'a.c'", "abc", {}, false],
    ['attribute.name = "x"', "x", {}, true],
    ["tags.team = 'ml'", "e", { team: "ml" }, true],
    ["tags.`my-key` = 'v' and name = 'e'", "e", { "my-key": "v" }, true],
    ["tags.\"my key\" LIKE '%v%'", "e", { "my key": "xvx" }, true],
    ["tags.team = 'ml'", "e", {}, false],
    ["creation_time > 50 AND creation_time <= 100", "e", {}, true],
    ["creation_time < 100", "e", {}, false],
    ["name = 'it''s'", "it's", {}, true],
    ["", "anything", {}, true],
  ])("%s on %s %j → %s", (filter, name, tags, expected) => {
    expect(matchesExperiment(row(name), tags as Record<string, string>, parseExperimentFilter(filter))).toBe(expected);
  });

  it.each([
    ["name ~ 'x'", "comparison operator"],
    ["name = 'x' OR name = 'y'", "expected AND"],
    ["name = 'x' AND", "after AND"],
    ["color = 'red'", "unknown field"],
    ["name > 'a'", "not supported for name"],
    ["creation_time LIKE '1%'", "must be compared with a number"],
    ["name = 'unterminated", "unterminated"],
    ["name = x", "quoted string or a number"],
  ])("refuses %s (%s)", (filter, message) => {
    expect(() => parseExperimentFilter(filter)).toThrow(message);
  });

  it.each([
    ["name LIKE 'a+b(c)%'", "a+b(c)def", true],
    ["name LIKE 'a+b'", "aab", false],
    ["name LIKE '[ab]%'", "a", false],
    ["name LIKE '%.*%'", "x.*y", true],
    ["name ILIKE 'É%'", "é", false],
  ])("LIKE patterns are literal but for %% and _: %s on %s → %s", (filter, name, expected) => {
    expect(matchesExperiment(row(name), {}, parseExperimentFilter(filter))).toBe(expected);
  });

  it("answers a catastrophic LIKE pattern at once (RE2, not a backtracking RegExp)", () => {
    // A backtracking matcher tries O(n^9) splits of this name; RE2 is linear in it.
    const filter = `name LIKE '${"%a".repeat(9)}%b'`;
    const started = performance.now();
    expect(matchesExperiment(row("a".repeat(5000)), {}, parseExperimentFilter(filter))).toBe(false);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it("fails an evaluation that scans past its budget with a 400, not a pinned CPU", () => {
    const clauses = parseExperimentFilter("tags.blob LIKE '%needle%'");
    const tags = { blob: "x".repeat(600) };
    const evaluate = () => withFilterBudget(() => [1, 2].map(() => matchesExperiment(row("e"), tags, clauses)), 1000);
    expect(evaluate).toThrow(FilterBudgetExceededError);
    expect(evaluate).toThrow(/scan more than 1,000 characters/);
    expect(withFilterBudget(() => matchesExperiment(row("e"), tags, clauses), 1000)).toBe(false);
  });
});

describe("experiment order_by", () => {
  it("defaults to newest first with experiment id DESC as tie-breaker", () => {
    expect(parseExperimentOrderBy(undefined)).toEqual([
      { key: "creation_time", ascending: false },
      { key: "experiment_id", ascending: false },
    ]);
  });
  it("reads keys with optional attribute prefix and direction", () => {
    expect(parseExperimentOrderBy(["attribute.name DESC", "experiment_id"])).toEqual([
      { key: "name", ascending: false },
      { key: "experiment_id", ascending: true },
    ]);
  });
  it("refuses unknown keys", () => {
    expect(() => parseExperimentOrderBy(["tags.x ASC"])).toThrow("Invalid order_by");
  });
});
