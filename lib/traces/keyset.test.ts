import { describe, expect, it } from "vitest";
import { keysOf, totalOrder } from "./keyset";
import { decodePageToken, encodePageToken, queryFingerprint } from "./page-token";
import type { TraceRow } from "@/lib/mlflow/convert";

describe("total trace order", () => {
  it.each([
    [
      [],
      [
        ["timestamp_ms", false],
        ["request_id", true],
      ],
    ],
    [
      [{ key: "status", ascending: true }],
      [
        ["status", true],
        ["timestamp_ms", false],
        ["request_id", true],
      ],
    ],
    [
      [{ key: "timestamp_ms", ascending: true }],
      [
        ["timestamp_ms", true],
        ["request_id", true],
      ],
    ],
    [
      [{ key: "request_id", ascending: false }],
      [
        ["request_id", false],
        ["timestamp_ms", false],
      ],
    ],
  ] as const)("completes %j", (given, expected) => {
    expect(totalOrder([...given]).map((o) => [o.key, o.ascending])).toEqual(expected);
  });

  it("reads the sort keys of a row, nulls included", () => {
    const row = { traceId: "tr-1", requestTime: 5, executionDurationMs: null, state: "OK", name: null, experimentId: 2 } as TraceRow;
    const order = totalOrder([
      { key: "execution_time_ms", ascending: true },
      { key: "name", ascending: false },
    ]);
    expect(keysOf(row, order)).toEqual([null, null, 5, "tr-1"]);
  });
});

describe("page tokens", () => {
  const fp = queryFingerprint({ e: [1], f: "", o: [] });

  it("round-trip the last row's keys", () => {
    const token = encodePageToken(fp, [123, "tr-abc", null]);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(decodePageToken(token, fp, 3)).toEqual([123, "tr-abc", null]);
  });

  it.each([
    ["garbage", "not base64 json"],
    [Buffer.from("[1,2]").toString("base64url"), "not a token object"],
    [Buffer.from(JSON.stringify({ v: 2, q: "x", k: [] })).toString("base64url"), "another version"],
  ])("refuses %s (%s)", (token) => {
    expect(() => decodePageToken(token, fp, 3)).toThrow("Invalid page_token");
  });

  it("refuses a token from another query or with another key count", () => {
    const other = encodePageToken(queryFingerprint({ e: [2] }), [1, "a", null]);
    expect(() => decodePageToken(other, fp, 3)).toThrow("belongs to a search");
    expect(() => decodePageToken(encodePageToken(fp, [1]), fp, 3)).toThrow("Invalid page_token");
  });
});
