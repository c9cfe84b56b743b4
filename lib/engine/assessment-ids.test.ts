import { describe, expect, it } from "vitest";
import { assessmentIdGenerator } from "./assessment-ids";

describe("assessmentIdGenerator", () => {
  it("makes MLflow-shaped ids that sort in creation order", () => {
    let t = Date.UTC(2026, 0, 1);
    const next = assessmentIdGenerator(() => t);
    const ids: string[] = [];
    for (let i = 0; i < 1000; i++) {
      if (i % 100 === 0) t += 1;
      ids.push(next());
    }
    for (const id of ids) expect(id).toMatch(/^a-[0-9a-f]{32}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("two generators (two workers) never collide, even at the same millisecond", () => {
    const a = assessmentIdGenerator(() => 5);
    const b = assessmentIdGenerator(() => 5);
    const all = new Set<string>();
    for (let i = 0; i < 500; i++) {
      all.add(a());
      all.add(b());
    }
    expect(all.size).toBe(1000);
  });
});
