import { describe, expect, it } from "vitest";
import type { ExperimentRow } from "./experiment-json";
import { likeToRegExp, matchesExperiment, parseExperimentFilter } from "./experiment-filter";
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
    ["attribute.name = \"x\"", "x", {}, true],
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

  it("escapes regular expression characters in LIKE patterns", () => {
    expect(likeToRegExp("a+b(c)%", false).test("a+b(c)def")).toBe(true);
    expect(likeToRegExp("a+b", false).test("aab")).toBe(false);
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
