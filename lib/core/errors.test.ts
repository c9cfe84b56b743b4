import { describe, expect, it } from "vitest";
import { causeChain, UpstreamUnavailableError } from "./errors";

const sysError = (message: string, code: string) => Object.assign(new Error(message), { code });
const looped = (): Error => {
  const a = new Error("a");
  const b = new Error("b", { cause: a });
  (a as { cause?: unknown }).cause = b;
  return a;
};

describe("causeChain", () => {
  it.each([
    { name: "a plain error", err: new Error("boom"), want: ["Error: boom"] },
    {
      name: "MLflow down: Vigil's error, fetch's, the socket's code",
      err: new UpstreamUnavailableError("MLflow is unreachable", undefined, {
        cause: new TypeError("fetch failed", { cause: sysError("connect ECONNREFUSED 127.0.0.1:5000", "ECONNREFUSED") }),
      }),
      want: ["UpstreamUnavailableError: MLflow is unreachable", "TypeError: fetch failed", "Error: connect ECONNREFUSED 127.0.0.1:5000"],
    },
    { name: "a code the message does not say", err: sysError("other side closed", "UND_ERR_SOCKET"), want: ["Error: other side closed (UND_ERR_SOCKET)"] },
    { name: "a VigilError's MLflow code is left out", err: new UpstreamUnavailableError("down"), want: ["UpstreamUnavailableError: down"] },
    {
      name: "an aggregate without a message lists its errors",
      err: new AggregateError([new Error("v4 refused"), new Error("v6 refused")]),
      want: ["AggregateError: v4 refused; v6 refused"],
    },
    { name: "a thrown string", err: "plain text", want: ["plain text"] },
    { name: "a thrown object", err: { status: 503 }, want: ['{"status":503}'] },
    { name: "a non-error cause ends the chain", err: new Error("outer", { cause: "inner" }), want: ["Error: outer", "inner"] },
    { name: "a cycle is followed once", err: looped(), want: ["Error: a", "Error: b"] },
    { name: "an error without a message", err: new RangeError(), want: ["RangeError"] },
  ])("$name", ({ err, want }) => {
    expect(causeChain(err)).toEqual(want);
  });

  it("stops at the depth asked", () => {
    let err = new Error("e0");
    for (let i = 1; i < 10; i++) err = new Error(`e${i}`, { cause: err });
    expect(causeChain(err, 3)).toEqual(["Error: e9", "Error: e8", "Error: e7"]);
  });
});
