import { describe, expect, it } from "vitest";
import { BEFORE_LOOKUP, requireRole, type Actor } from "./actor";
import { PermissionDeniedError } from "./errors";

const scopedAdmin: Actor = { id: "token:a", role: "admin", experimentId: 7 };
const admin: Actor = { id: "user:root", role: "admin" };
const viewer: Actor = { id: "user:v", role: "viewer" };
const ingest: Actor = { id: "token:i", role: "ingest", experimentId: null };

describe("requireRole", () => {
  it.each<[string, Actor, "viewer" | "operator" | "admin", number | typeof BEFORE_LOOKUP | undefined, boolean]>([
    ["unscoped admin, global verb", admin, "admin", undefined, true],
    ["unscoped admin, any experiment", admin, "admin", 3, true],
    ["scoped admin, its experiment", scopedAdmin, "admin", 7, true],
    ["scoped admin, another experiment", scopedAdmin, "viewer", 3, false],
    ["scoped admin, a global verb (users, tokens, create experiment)", scopedAdmin, "admin", undefined, false],
    ["scoped admin, a global read (remote status)", scopedAdmin, "viewer", undefined, false],
    ["scoped admin, before the row is looked up", scopedAdmin, "admin", BEFORE_LOOKUP, true],
    ["viewer asking for operator", viewer, "operator", undefined, false],
    ["viewer before lookup still needs the role", viewer, "operator", BEFORE_LOOKUP, false],
    ["ingest token reading", ingest, "viewer", 1, false],
  ])("%s", (_label, actor, min, experimentId, allowed) => {
    const run = () => requireRole(actor, min, experimentId);
    if (allowed) expect(run).not.toThrow();
    else expect(run).toThrow(PermissionDeniedError);
  });
});
