import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "@/db/client";
import { tempDbPath } from "../../tests/helpers/server";
import { takeLease } from "./lease";

const tmp = tempDbPath("vigil-lease-");
const db = openDb(tmp.file).$client;
afterAll(() => {
  db.close();
  tmp.cleanup();
});

describe("takeLease", () => {
  // One timeline over one lease of 100 ms: who asks, when, and whether they get it.
  it.each([
    ["a takes a free lease", "a", 0, true],
    ["b is refused while a holds it", "b", 50, false],
    ["a renews its own", "a", 90, true],
    ["b is still refused (renewed until 190)", "b", 150, false],
    ["b takes it once it expired", "b", 191, true],
    ["a is refused now", "a", 200, false],
  ])("%s", (_what, owner, now, want) => {
    expect(takeLease(db, "sync", owner, now, 100)).toBe(want);
  });

  it("keeps separate names apart", () => {
    expect(takeLease(db, "other", "a", 200, 100)).toBe(true);
  });
});
