import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb, type Db } from "@/db/client";
import { traces } from "@/db/schema";
import { InvalidParameterError } from "@/lib/core/errors";
import type { OrderBy } from "./ast";
import { compileOrderBy, parseOrderBy, totalOrderBy } from "./order-by";
import { IDS, TRACES, insertTraces } from "./test-fixtures";

const { A, B, C, D, E } = IDS;

describe("parseOrderBy", () => {
  it.each<[string[] | undefined, OrderBy[]]>([
    [undefined, [{ key: "timestamp_ms", ascending: false }]],
    [[], [{ key: "timestamp_ms", ascending: false }]],
    [["timestamp_ms"], [{ key: "timestamp_ms", ascending: true }]],
    [["timestamp_ms DESC"], [{ key: "timestamp_ms", ascending: false }]],
    [["trace.timestamp_ms asc"], [{ key: "timestamp_ms", ascending: true }]],
    [["attribute.timestamp Desc"], [{ key: "timestamp_ms", ascending: false }]],
    [["attributes.execution_time_ms DESC"], [{ key: "execution_time_ms", ascending: false }]],
    [["execution_time"], [{ key: "execution_time_ms", ascending: true }]],
    [["  status   DESC  "], [{ key: "status", ascending: false }]],
    [["request_id desc"], [{ key: "request_id", ascending: false }]],
    [["`name`"], [{ key: "name", ascending: true }]],
    [["experiment_id ASC"], [{ key: "experiment_id", ascending: true }]],
    [
      ["status", "timestamp_ms DESC"],
      [
        { key: "status", ascending: true },
        { key: "timestamp_ms", ascending: false },
      ],
    ],
  ])("%j", (list, expected) => {
    expect(parseOrderBy(list)).toEqual(expected);
  });

  it.each<[string[], string]>([
    [["foo"], "Invalid order_by[0] at position 0 near 'foo': unknown order_by key 'foo'"],
    [["tag.env DESC"], "Invalid order_by[0] at position 0 near 'tag.env': unknown order_by key 'tag.env'"],
    [["trace.text"], "unknown order_by key 'trace.text'"],
    [["timestamp_ms UP"], "Invalid order_by[0] at position 13 near 'UP': expected ASC or DESC after timestamp_ms"],
    [["timestamp_ms, status"], "at position 12 near ',': expected ASC or DESC"],
    [["timestamp_ms DESC extra"], "at position 18 near 'extra': expected the end of the order_by clause"],
    [["  "], "Invalid order_by[0] at position 0 at end of input: expected a key"],
    [["status", "bogus ASC"], "Invalid order_by[1] at position 0 near 'bogus'"],
    [["`timestamp_ms"], "unterminated backtick"],
    [["'timestamp_ms'"], "expected a key"],
  ])("rejects %j", (list, fragment) => {
    let err: unknown;
    try {
      parseOrderBy(list);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidParameterError);
    expect((err as Error).message).toContain(fragment);
  });
});

describe("compileOrderBy on a real SQLite database", () => {
  let dir: string;
  let db: Db;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "vigil-order-"));
    db = openDb(path.join(dir, "order.db"));
    insertTraces(db, TRACES);
  });
  afterAll(() => {
    db.$client.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const ordered = (list: string[] | undefined) =>
    db
      .select({ id: traces.traceId })
      .from(traces)
      .orderBy(...compileOrderBy(parseOrderBy(list)))
      .all()
      .map((r) => r.id);

  it.each<[string[] | undefined, string[]]>([
    [undefined, [E, D, C, B, A]],
    [["timestamp_ms ASC"], [A, B, C, D, E]],
    // ties (D and E both took 300 ms) fall back to newest first; a missing duration sorts last in DESC
    [["execution_time_ms DESC"], [B, A, E, D, C]],
    [["status"], [B, C, D, A, E]],
    [["request_id DESC"], [E, D, C, B, A]],
    [["name ASC"], [C, E, B, A, D]],
  ])("%j", (list, expected) => {
    expect(ordered(list)).toEqual(expected);
  });

  it.each<[OrderBy[], OrderBy[]]>([
    [
      [],
      [
        { key: "timestamp_ms", ascending: false },
        { key: "request_id", ascending: true },
      ],
    ],
    [
      [{ key: "status", ascending: true }],
      [
        { key: "status", ascending: true },
        { key: "timestamp_ms", ascending: false },
        { key: "request_id", ascending: true },
      ],
    ],
    [
      [{ key: "timestamp_ms", ascending: true }],
      [
        { key: "timestamp_ms", ascending: true },
        { key: "request_id", ascending: true },
      ],
    ],
    [
      [{ key: "request_id", ascending: false }],
      [
        { key: "request_id", ascending: false },
        { key: "timestamp_ms", ascending: false },
      ],
    ],
  ])("completes %j to a total order", (given, total) => {
    expect(totalOrderBy(given)).toEqual(total);
  });

  it("always ends with the trace id so pagination is stable", () => {
    const q = db
      .select()
      .from(traces)
      .orderBy(...compileOrderBy([{ key: "status", ascending: true }]))
      .toSQL();
    expect(q.sql).toMatch(/order by "traces"\."state" asc, "traces"\."request_time" desc, "traces"\."trace_id" asc$/);
  });
});
