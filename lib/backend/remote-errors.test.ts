import { describe, expect, it } from "vitest";
import { InvalidParameterError, NotFoundError, UpstreamUnavailableError, type Actor } from "@/lib/core";
import { toMlflowError } from "@/lib/http/errors";
import { MlflowApiError, MlflowUnavailableError } from "@/lib/mlflow/client";
import { toActionError } from "@/lib/read/action-result";
import { toVigilError } from "./remote";

const where = { method: "POST", path: "/api/3.0/mlflow/traces/tr-1/assessments" };
const api = (status: number, errorCode: string) =>
  new MlflowApiError({ ...where, status, errorCode, serverMessage: "Trace tr-1 not in store sqlite:///mlflow.db" });

const admin: Actor = { id: "user:root", role: "admin" };
const scopedAdmin: Actor = { id: "token:exp", role: "admin", experimentId: 4 };
const operator: Actor = { id: "user:op", role: "operator" };

describe("upstream MLflow errors", () => {
  it.each([
    [api(404, "RESOURCE_DOES_NOT_EXIST"), NotFoundError, 404],
    [api(400, "INVALID_PARAMETER_VALUE"), InvalidParameterError, 400],
    [api(403, "PERMISSION_DENIED"), UpstreamUnavailableError, 503],
    [new MlflowUnavailableError({ ...where, attempts: 3, lastStatus: 502, maybeApplied: true, reason: "502 Bad Gateway" }), UpstreamUnavailableError, 503],
  ])("%s keeps its cause, and only an unscoped admin reads MLflow's words and paths", (upstream, type, status) => {
    const e = toVigilError(upstream) as InstanceType<typeof type>;
    expect(e).toBeInstanceOf(type);
    expect(e.cause).toBe(upstream);
    expect(e.status).toBe(status);

    const full = toMlflowError(e, admin).body.message;
    expect(full).toContain("/api/3.0/mlflow/traces");
    for (const who of [operator, scopedAdmin, undefined]) {
      const shown = toMlflowError(e, who).body.message;
      expect(shown).toMatch(/^The MLflow server /);
      expect(shown).not.toMatch(/\/api\/|sqlite|tr-1/);
      expect(toActionError(e, () => {}, who).message).toBe(shown);
    }
    expect(toActionError(e, () => {}, admin).message).toBe(full);
  });

  it("leaves Vigil's own messages as they are for everyone", () => {
    const e = new NotFoundError("Trace 'tr-9' is not in experiment 3.");
    expect(toMlflowError(e, operator).body.message).toBe("Trace 'tr-9' is not in experiment 3.");
    expect(new InvalidParameterError("x", undefined, { cause: e }).cause).toBe(e);
  });
});
