import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { NotFoundError, parseConfig, PermissionDeniedError, systemActor, type Ctx } from "@/lib/core";
import { createExperiment } from "@/lib/experiments";
import { getReport, parseReportQuery } from "@/lib/read";
import { createReportLink, listReportLinks, shareCtx, SHARE_PATH } from "./report-links";
import { createApiToken, revokeApiToken } from "./tokens";

let db: Db;
let ctx: Ctx;
let exp: string;
let other: string;
const config = parseConfig({ DATABASE_URL: ":memory:", VIGIL_DEMO: "0", VIGIL_ANONYMOUS_ROLE: "none" });

beforeAll(() => {
  db = openDb(":memory:");
  ctx = { db, config, actor: systemActor, now: Date.now, fetch };
  exp = createExperiment({ ctx, input: { name: "shared" } }).experiment_id;
  other = createExperiment({ ctx, input: { name: "private" } }).experiment_id;
});
afterAll(() => db.$client.close());

const secretOf = (path: string) => decodeURIComponent(path.slice(SHARE_PATH.length + 1));

describe("report links", () => {
  it("opens the experiment's report as a viewer limited to it, until revoked", () => {
    const link = createReportLink({ ctx, input: { experiment_id: exp, name: "weekly review" } });
    expect(link).toMatchObject({ role: "viewer", experiment_id: exp, name: "Report link: weekly review" });
    expect(link.path).toMatch(new RegExp(`^${SHARE_PATH}/vgl_`));
    expect(listReportLinks({ ctx, input: { experiment_id: exp } }).map((l) => l.token_id)).toEqual([link.token_id]);
    expect(listReportLinks({ ctx, input: { experiment_id: other } })).toEqual([]);

    const shared = shareCtx(db, config, secretOf(link.path));
    expect(shared.experimentId).toBe(Number(exp));
    expect(shared.actor).toMatchObject({ role: "viewer", experimentId: Number(exp) });
    expect(getReport({ ctx: shared, input: { experimentId: exp, query: parseReportQuery({}) } }).experimentId).toBe(exp);
    // The link reads nothing of another experiment, and may change nothing.
    expect(() => getReport({ ctx: shared, input: { experimentId: other, query: parseReportQuery({}) } })).toThrow(PermissionDeniedError);
    expect(() => createReportLink({ ctx: shared, input: { experiment_id: exp } })).toThrow(PermissionDeniedError);

    revokeApiToken({ ctx, input: { token_id: link.token_id } });
    expect(() => shareCtx(db, config, secretOf(link.path))).toThrow(NotFoundError);
    expect(listReportLinks({ ctx, input: { experiment_id: exp } })).toEqual([]);
  });

  it.each([
    ["an unknown secret", () => "vgl_nope"],
    ["an operator token", () => createApiToken({ ctx, input: { name: "ops", role: "operator", experiment_id: exp } }).token],
    ["a viewer token for every experiment", () => createApiToken({ ctx, input: { name: "all", role: "viewer" } }).token],
  ])("answers 404 for %s", (_what, secret) => {
    expect(() => shareCtx(db, config, secret())).toThrow(NotFoundError);
  });

  it("refuses a link for a missing experiment, and to anyone but an admin", () => {
    expect(() => createReportLink({ ctx, input: { experiment_id: "999" } })).toThrow(NotFoundError);
    expect(() => createReportLink({ ctx: { ...ctx, actor: { id: "user:v", role: "operator" } }, input: { experiment_id: exp } })).toThrow(
      PermissionDeniedError,
    );
  });
});
