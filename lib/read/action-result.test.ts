import { describe, expect, it, vi } from "vitest";
import { z } from "zod";
import { InvalidParameterError, InvalidStateError, NotFoundError, PermissionDeniedError } from "@/lib/core";
import { parseFilter } from "@/lib/mlflow/filter";
import { GENERIC_ERROR_MESSAGE, runAction, toActionError } from "@/lib/read/action-result";

describe("toActionError", () => {
  it.each([
    [new NotFoundError("Scorer 'x' not found."), "RESOURCE_DOES_NOT_EXIST", "Scorer 'x' not found."],
    [new InvalidStateError("Scorer is already paused."), "INVALID_STATE", "Scorer is already paused."],
    [
      new PermissionDeniedError("This action needs the operator role; you have viewer."),
      "PERMISSION_DENIED",
      "This action needs the operator role; you have viewer.",
    ],
  ])("keeps a VigilError's user-facing message (%s)", (e, code, message) => {
    expect(toActionError(e, () => {})).toEqual({ code, message });
  });

  it("names the field given in the error's details", () => {
    const e = new InvalidParameterError("sample_rate must be within [0, 1].", { field: "sample_rate" });
    expect(toActionError(e, () => {})).toEqual({ code: "INVALID_PARAMETER_VALUE", message: e.message, field: "sample_rate" });
  });

  it("places a filter parse error on the filter field with the parser's message", () => {
    let caught: unknown;
    try {
      parseFilter("trace.status = 'OK' OR trace.name = 'x'");
    } catch (e) {
      caught = e;
    }
    const r = toActionError(caught, () => {});
    expect(r.field).toBe("filter");
    expect(r.message).toMatch(/OR is not supported/);
  });

  it("turns a zod error into a validation message naming the path", () => {
    const r = z.object({ rate: z.number().max(1) }).safeParse({ rate: 3 });
    const e = r.success ? null : r.error;
    const out = toActionError(e, () => {});
    expect(out.code).toBe("INVALID_PARAMETER_VALUE");
    expect(out.field).toBe("rate");
    expect(out.message).toMatch(/^rate: /);
  });

  it("never shows an internal error's text, and logs it", () => {
    const log = vi.fn();
    const internal = new Error("SQLITE_BUSY: database is locked at /srv/vigil.db");
    expect(toActionError(internal, log)).toEqual({ code: "INTERNAL_ERROR", message: GENERIC_ERROR_MESSAGE });
    expect(log).toHaveBeenCalledWith(internal);
  });
});

describe("runAction", () => {
  it("wraps a value", async () => {
    await expect(runAction(() => 42)).resolves.toEqual({ ok: true, data: 42 });
  });
  it("wraps an async failure without throwing", async () => {
    const r = await runAction(async () => {
      throw new NotFoundError("gone");
    });
    expect(r).toEqual({ ok: false, error: { code: "RESOURCE_DOES_NOT_EXIST", message: "gone" } });
  });
});
