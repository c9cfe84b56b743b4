import { describe, expect, it } from "vitest";
import { experimentIdOf, sectionOf, switchExperimentPath } from "./nav";

describe("nav", () => {
  it.each([
    ["/", null],
    ["/experiments/12", "12"],
    ["/experiments/12/traces/tr-abc", "12"],
    ["/experiments/abc", null],
  ])("experimentIdOf(%s) = %s", (path, want) => expect(experimentIdOf(path)).toBe(want));

  it.each([
    ["/experiments/1", ""],
    ["/experiments/1/traces", "traces"],
    ["/experiments/1/traces/tr-1", "traces"],
    ["/experiments/1/scorers/safety", "scorers"],
    ["/experiments/1/jobs", "jobs"],
  ])("sectionOf(%s) = %j", (path, want) => expect(sectionOf(path)).toBe(want));

  it.each([
    ["/", "/experiments/7"],
    ["/experiments/1", "/experiments/7"],
    ["/experiments/1/traces/tr-abc", "/experiments/7/traces"],
    ["/experiments/1/scorers/safety", "/experiments/7/scorers"],
    ["/experiments/1/reports", "/experiments/7/reports"],
    ["/experiments/1/unknown", "/experiments/7"],
  ])("switchExperimentPath(%s) = %s", (path, want) => expect(switchExperimentPath(path, "7")).toBe(want));
});
