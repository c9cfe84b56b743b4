import { describe, expect, it } from "vitest";
import { dayString, exportHref, utcDayStart } from "./export-link";

describe("exportHref", () => {
  it("covers both days in UTC", () => {
    const r = exportHref("3", "jsonl", "2026-03-01", "2026-03-02");
    const u = new URL(r.href!, "http://x");
    expect(u.pathname).toBe("/api/v1/archival/export");
    expect(Object.fromEntries(u.searchParams)).toEqual({
      experiment_id: "3",
      format: "jsonl",
      start: String(Date.UTC(2026, 2, 1)),
      end: String(Date.UTC(2026, 2, 3)),
    });
  });
  it.each([
    ["", "2026-03-02", "Choose both dates."],
    ["2026-03-05", "2026-03-02", "The end date is before the start date."],
    ["2026-13-45", "2026-03-02", "Choose both dates."],
  ])("refuses %s – %s", (from, to, error) => expect(exportHref("1", "parquet", from, to)).toEqual({ href: null, error }));
  it("round-trips days", () => {
    expect(dayString(utcDayStart("2026-02-28")!)).toBe("2026-02-28");
  });
});
