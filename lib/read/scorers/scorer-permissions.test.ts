import { describe, expect, it } from "vitest";
import { scorerPermissions } from "@/lib/read/scorers/scorer-permissions";

describe("scorerPermissions", () => {
  it.each([
    ["viewer", { pause: false, resume: false, start: false, stop: false, update: false, delete: false, register: false, resumeAccount: false, budget: false }],
    ["operator", { pause: true, resume: true, start: true, stop: true, update: false, delete: false, register: false, resumeAccount: true, budget: false }],
    ["admin", { pause: true, resume: true, start: true, stop: true, update: true, delete: true, register: true, resumeAccount: true, budget: true }],
    ["ingest", { pause: false, resume: false, start: false, stop: false, update: false, delete: false, register: false, resumeAccount: false, budget: false }],
  ] as const)("%s", (role, want) => {
    expect(scorerPermissions({ id: "x", role })).toEqual(want);
  });
});
