import { describe, expect, it } from "vitest";
import { composeTraceFilter, parseTraceQueryState, tracePageLinks, traceQueryParams } from "@/lib/read/traces/trace-query";

describe("parseTraceQueryState", () => {
  it("gives defaults for an empty URL", () => {
    expect(parseTraceQueryState({})).toEqual({ q: "", range: "7d", order: "newest", size: 50 });
  });
  it.each([
    [{ range: "bogus" }, "range", "7d"],
    [{ order: "random" }, "order", "newest"],
    [{ size: "7" }, "size", 50],
    [{ size: "100" }, "size", 100],
    [{ at: "-5" }, "at", undefined],
    [{ range: ["24h", "7d"] }, "range", "24h"],
  ])("falls back or keeps valid values: %j", (params, key, want) => {
    expect(parseTraceQueryState(params)[key as "range"]).toEqual(want);
  });
});

describe("composeTraceFilter", () => {
  it.each([
    ["", "all", ""],
    ["  trace.status = 'ERROR' ", "all", "trace.status = 'ERROR'"],
    ["", "1h", "trace.timestamp_ms >= 6400000"],
    ["trace.status = 'OK'", "1h", "trace.status = 'OK' AND trace.timestamp_ms >= 6400000"],
  ] as const)("(%j, %s)", (user, range, want) => {
    expect(composeTraceFilter(user, range, 10_000_000)).toBe(want);
  });
});

describe("tracePageLinks", () => {
  const base = parseTraceQueryState({ q: "trace.status = 'OK'", range: "24h" });

  it("walks forward and back through pages without server state", () => {
    const p1 = tracePageLinks(base, 1000, "tok2");
    expect(p1.pageNumber).toBe(1);
    expect(p1.prev).toBeNull();
    const s2 = parseTraceQueryState(Object.fromEntries(p1.next!));
    expect(s2).toMatchObject({ page: "tok2", at: 1000, q: "trace.status = 'OK'", range: "24h" });

    const p2 = tracePageLinks(s2, 1000, "tok3");
    expect(p2.pageNumber).toBe(2);
    const s3 = parseTraceQueryState(Object.fromEntries(p2.next!));
    const p3 = tracePageLinks(s3, 1000, undefined);
    expect(p3.pageNumber).toBe(3);
    expect(p3.next).toBeNull();

    const back2 = parseTraceQueryState(Object.fromEntries(p3.prev!));
    expect(back2.page).toBe("tok2");
    expect(tracePageLinks(back2, 1000, "tok3").pageNumber).toBe(2);
    const back1 = parseTraceQueryState(Object.fromEntries(tracePageLinks(back2, 1000, "tok3").prev!));
    expect(back1.page).toBeUndefined();
    expect(back1.at).toBe(1000);
  });

  it("leaves defaults out of the URL", () => {
    expect(traceQueryParams(parseTraceQueryState({})).toString()).toBe("");
  });
});
