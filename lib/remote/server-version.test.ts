import { describe, expect, it } from "vitest";
import { serverCapabilities } from "./server-version";

describe("serverCapabilities", () => {
  it.each([
    ["3.11.0", true, true, null],
    ["3.11.2.dev0", true, true, null],
    ["3.9.0rc1", true, true, null],
    ["3.8.2", false, true, /3\.8\.2 predates 3\.9 and has no online scoring: Vigil scores every experiment/],
    ["3.4.0", false, true, /predates 3\.9/],
    ["3.3.1", false, false, /3\.3\.1 predates 3\.4: no online scoring and no \/v1\/traces/],
    ["2.22.1", false, false, /predates 3\.4/],
    ["nightly", false, false, /'nightly' is not a version number/],
    [null, false, false, /no GET \/version \(404\): treated as a server older than 3\.4/],
  ] as const)("%s: online scoring %s, /v1/traces %s", (version, onlineScoring, otlp, note) => {
    const c = serverCapabilities(version);
    expect(c).toMatchObject({ version, onlineScoring, otlp });
    if (note === null) expect(c.note).toBeNull();
    else expect(c.note).toMatch(note);
  });
});
