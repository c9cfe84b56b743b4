import { describe, expect, it } from "vitest";
import { InvalidParameterError, UnsupportedMediaTypeError } from "@/lib/core";
import { decodeOtlpRequest, otlpFormatOf } from "./decode";
import { otlpTypes } from "./proto-root";
import { rejectionMessage } from "./response";

const TRACE = "5B8EFFF798038103D269B633813FC60C";
const SPAN = "EEE19B7EC3C1B174";

const jsonBody = (span: Record<string, unknown>, resource: unknown[] = []) =>
  Buffer.from(JSON.stringify({ resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ spans: [span] }] }] }));

const pbBody = (span: Record<string, unknown>, resource: unknown[] = []) => {
  const t = otlpTypes().request;
  return Buffer.from(t.encode(t.fromObject({ resourceSpans: [{ resource: { attributes: resource }, scopeSpans: [{ spans: [span] }] }] })).finish());
};

const base = { traceId: TRACE, spanId: SPAN, name: "s", startTimeUnixNano: "1700000000000000000", endTimeUnixNano: "1700000000500000000" };

describe("AnyValue conversion", () => {
  // [label, OTLP AnyValue (JSON form, also encodable as protobuf), value Vigil keeps]
  const cases: [string, Record<string, unknown>, unknown][] = [
    ["string", { stringValue: "hi" }, "hi"],
    ["empty string", { stringValue: "" }, ""],
    ["bool", { boolValue: true }, true],
    ["int as string", { intValue: "42" }, 42],
    ["negative int", { intValue: "-5" }, -5],
    ["int beyond 2^53 keeps every digit", { intValue: "9007199254740993" }, "9007199254740993"],
    ["double", { doubleValue: 1.5 }, 1.5],
    ["bytes as base64", { bytesValue: "AQID" }, "AQID"],
    ["array", { arrayValue: { values: [{ stringValue: "a" }, { intValue: "1" }, { boolValue: false }] } }, ["a", 1, false]],
    ["kvlist", { kvlistValue: { values: [{ key: "k", value: { arrayValue: { values: [{ doubleValue: 0.25 }] } } }] } }, { k: [0.25] }],
    ["empty AnyValue", {}, null],
  ];
  it.each(cases)("JSON %s", (_l, value, expected) => {
    const { spans } = decodeOtlpRequest(jsonBody({ ...base, attributes: [{ key: "a", value }] }), "application/json");
    expect(spans[0]!.attributes.a).toEqual(expected);
  });
  it.each(cases)("protobuf %s", (_l, value, expected) => {
    const pbValue = "bytesValue" in value ? { bytesValue: Buffer.from(value.bytesValue as string, "base64") } : value;
    const { spans } = decodeOtlpRequest(
      pbBody({ ...base, traceId: Buffer.from(TRACE, "hex"), spanId: Buffer.from(SPAN, "hex"), attributes: [{ key: "a", value: pbValue }] }),
      "application/x-protobuf",
    );
    expect(spans[0]!.attributes.a).toEqual(expected);
  });
  it.each([
    [{ intValue: 7 }, 7],
    [{ doubleValue: "NaN" }, NaN],
    [{ doubleValue: "-Infinity" }, -Infinity],
    [{ string_value: "snake" }, "snake"],
  ])("JSON-only form %j", (value, expected) => {
    const { spans } = decodeOtlpRequest(jsonBody({ ...base, attributes: [{ key: "a", value }] }), "application/json");
    expect(spans[0]!.attributes.a).toEqual(expected);
  });
});

describe("span fields", () => {
  it("turns protobuf id bytes and JSON hex ids into lowercase hex, and an empty parent into null", () => {
    const json = decodeOtlpRequest(jsonBody({ ...base, parentSpanId: "" }), "application/json").spans[0]!;
    const pb = decodeOtlpRequest(
      pbBody({ ...base, traceId: Buffer.from(TRACE, "hex"), spanId: Buffer.from(SPAN, "hex"), parentSpanId: Buffer.from("0102030405060708", "hex") }),
      "application/x-protobuf",
    ).spans[0]!;
    expect([json.traceIdHex, json.spanIdHex, json.parentSpanIdHex]).toEqual([TRACE.toLowerCase(), SPAN.toLowerCase(), null]);
    expect([pb.traceIdHex, pb.spanIdHex, pb.parentSpanIdHex]).toEqual([TRACE.toLowerCase(), SPAN.toLowerCase(), "0102030405060708"]);
  });

  it.each([
    ["string nanos", "1700000000123456789", "1700000000123456789"],
    ["number nanos", 1700000000000000000, "1700000000000000000"],
    ["snake_case key", undefined, "1700000000000000000"],
  ])("reads JSON start time as %s", (_l, start, expected) => {
    const span =
      start === undefined ? { ...base, startTimeUnixNano: undefined, start_time_unix_nano: "1700000000000000000" } : { ...base, startTimeUnixNano: start };
    expect(decodeOtlpRequest(jsonBody(span), "application/json").spans[0]!.startTimeNs).toBe(expected);
  });

  it.each([["0"], [0], [undefined]])("treats end time %j as an open span", (end) => {
    expect(decodeOtlpRequest(jsonBody({ ...base, endTimeUnixNano: end }), "application/json").spans[0]!.endTimeNs).toBeNull();
  });

  it("keeps protobuf fixed64 nanoseconds exact", () => {
    const s = decodeOtlpRequest(
      pbBody({ ...base, traceId: Buffer.from(TRACE, "hex"), spanId: Buffer.from(SPAN, "hex"), startTimeUnixNano: "1700000000123456789", endTimeUnixNano: "0" }),
      "application/x-protobuf",
    ).spans[0]!;
    expect([s.startTimeNs, s.endTimeNs]).toEqual(["1700000000123456789", null]);
  });

  it.each([
    [0, "STATUS_CODE_UNSET"],
    [1, "STATUS_CODE_OK"],
    [2, "STATUS_CODE_ERROR"],
    ["STATUS_CODE_ERROR", "STATUS_CODE_ERROR"],
    [9, "STATUS_CODE_UNSET"],
  ])("maps status code %j to %s", (code, expected) => {
    const s = decodeOtlpRequest(jsonBody({ ...base, status: { code, message: "m" } }), "application/json").spans[0]!;
    expect([s.statusCode, s.statusMessage]).toEqual([expected, "m"]);
  });

  it("gives every span its resource's attributes and decodes events", () => {
    const resource = [{ key: "service.name", value: { stringValue: "agent" } }];
    const events = [{ name: "exception", timeUnixNano: "1700000000100000000", attributes: [{ key: "exception.message", value: { stringValue: "boom" } }] }];
    for (const [body, ct] of [
      [jsonBody({ ...base, events }, resource), "application/json"],
      [pbBody({ ...base, traceId: Buffer.from(TRACE, "hex"), events }, resource), "application/x-protobuf"],
    ] as const) {
      const s = decodeOtlpRequest(body, ct).spans[0]!;
      expect(s.resourceAttributes).toEqual({ "service.name": "agent" });
      expect(s.events).toEqual([{ name: "exception", time_unix_nano: "1700000000100000000", attributes: { "exception.message": "boom" } }]);
    }
  });

  it.each([
    ["a negative time", { startTimeUnixNano: "-1" }, 'startTimeUnixNano must be a non-negative integer (got "-1")'],
    ["a fractional time", { endTimeUnixNano: 1.5 }, "endTimeUnixNano must be a non-negative integer (got 1.5)"],
    ["attributes that are not a list", { attributes: { a: 1 } }, "attributes must be a list"],
    ["an attribute without a key", { attributes: [{ value: { stringValue: "x" } }] }, "each attribute needs a string key"],
  ])("rejects one JSON span with %s, keeping the others", (_l, extra, reason) => {
    const body = Buffer.from(
      JSON.stringify({
        resourceSpans: [
          {
            scopeSpans: [
              {
                spans: [
                  { ...base, ...extra },
                  { ...base, spanId: "00000000000000aa" },
                ],
              },
            ],
          },
        ],
      }),
    );
    const out = decodeOtlpRequest(body, "application/json");
    expect(out.rejected).toEqual([{ traceId: TRACE.toLowerCase(), spanId: SPAN.toLowerCase(), reason }]);
    expect(out.spans.map((s) => s.spanIdHex)).toEqual(["00000000000000aa"]);
  });
});

describe("request-level errors and content types", () => {
  it.each([
    ["application/x-protobuf", "protobuf"],
    ["application/protobuf", "protobuf"],
    ["Application/JSON; charset=utf-8", "json"],
  ])("reads %s as %s", (ct, format) => expect(otlpFormatOf(ct)).toBe(format));

  it.each([["text/plain"], ["application/grpc"], [undefined]])("refuses content type %j", (ct) => {
    expect(() => otlpFormatOf(ct)).toThrow(UnsupportedMediaTypeError);
  });

  it.each([
    ["truncated protobuf", pbBody(base).subarray(0, 20), "application/x-protobuf"],
    ["invalid wire type", Buffer.from([0x0f, 0xff, 0xff]), "application/x-protobuf"],
    ["invalid JSON", Buffer.from('{"resourceSpans": ['), "application/json"],
    ["JSON scopeSpans not a list", Buffer.from('{"resourceSpans":[{"scopeSpans":3}]}'), "application/json"],
  ])("refuses a %s body as a whole", (_l, body, ct) => {
    expect(() => decodeOtlpRequest(body, ct)).toThrow(InvalidParameterError);
  });

  it("accepts an empty request", () => {
    expect(decodeOtlpRequest(Buffer.alloc(0), "application/x-protobuf").spans).toEqual([]);
    expect(decodeOtlpRequest(Buffer.from("{}"), "application/json").spans).toEqual([]);
  });

  it("lists at most 50 rejected spans by name in the partial-success message", () => {
    const rejected = Array.from({ length: 53 }, (_, i) => ({ traceId: "t", spanId: String(i), reason: "bad" }));
    const msg = rejectionMessage(rejected);
    expect(msg.startsWith("53 span(s) rejected: trace t span 0: bad; ")).toBe(true);
    expect(msg).toContain("span 49: bad; and 3 more");
    expect(msg).not.toContain("span 50:");
  });
});
