import { describe, expect, it } from "vitest";
import { fixtures, supportTrace } from "../fixtures/support-agent";
import { getCustomScorer, listCustomScorers } from "../registry";
import { runScorer } from "../run";
import { inputFromTrace } from "../trace";
import politeClosing from "./polite-closing";

const env = { fetch };

describe("polite-closing (example team scorer)", () => {
  it("is registered in the custom barrel under its file name", () => {
    expect(listCustomScorers()).toContain("polite-closing");
    expect(getCustomScorer("polite-closing")).toBe(politeClosing);
    expect(getCustomScorer("polite-closing.ts")).toBe(politeClosing);
    expect(getCustomScorer("scorers/custom/polite-closing.ts")).toBe(politeClosing);
    expect(getCustomScorer("toString")).toBeUndefined();
  });

  it.each([
    ["a closing offer of help", fixtures.happy(), {}, "yes", /let me know if/],
    ["a curt refusal", fixtures.refusal(), {}, "no", /None of the 10 polite closings/],
    ["a messages-shaped answer", fixtures.messagesAnswer(), {}, "yes", /have a great day/],
    ["politeness far from the end", supportTrace({ answer: `Thanks for asking. ${"Details follow. ".repeat(20)}Done.` }), {}, "no", /last 160 characters/],
    ["custom closings", supportTrace({ answer: "Cheers, mate." }), { closings: ["cheers"] }, "yes", /"cheers"/],
    ["an empty answer", supportTrace({ answer: "   " }), {}, "no", /empty/],
  ])("%s", async (_l, trace, params, value, rationale) => {
    const r = await runScorer(politeClosing, inputFromTrace(trace), params, env);
    expect(r.value).toBe(value);
    expect(r.rationale).toMatch(rationale);
  });
});
