import { describe, expect, it } from "vitest";
import { authorityOf, clientAddress, crossSiteRefusal, hostAllowed, hostName, type GuardConfig } from "./request-guard";

const open: GuardConfig = { VIGIL_ANONYMOUS_ROLE: "admin", VIGIL_ALLOWED_HOSTS: undefined, VIGIL_TRUSTED_PROXIES: [] };
const closed: GuardConfig = { ...open, VIGIL_ANONYMOUS_ROLE: "none" };
const listed: GuardConfig = { ...closed, VIGIL_ALLOWED_HOSTS: ["vigil.example.com", "*.corp.example", "10.0.0.5:3000"] };

describe("Host check (DNS rebinding)", () => {
  it.each<[string, string | undefined, GuardConfig, boolean]>([
    ["loopback name, anonymous on", "127.0.0.1:3000", open, true],
    ["localhost", "localhost:3000", open, true],
    ["IPv6 loopback", "[::1]:3000", open, true],
    ["a rebound name, anonymous on", "evil.example:3000", open, false],
    ["a LAN address, anonymous on", "192.168.1.10:3000", open, false],
    ["no Host, anonymous on", undefined, open, false],
    ["garbage Host", "a b", open, false],
    ["any name when everyone must sign in", "vigil.internal", closed, true],
    ["allow-listed", "Vigil.Example.com", listed, true],
    ["allow-listed subdomain", "a.b.corp.example:8443", listed, true],
    ["the bare parent of a wildcard is not listed", "corp.example", listed, false],
    ["listed address (port ignored)", "10.0.0.5:3000", listed, true],
    ["not listed, even with sign-in required", "evil.example", listed, false],
    ["loopback stays allowed with a list", "127.0.0.1", listed, true],
    ["'*' allows any", "anything.example", { ...open, VIGIL_ALLOWED_HOSTS: ["*"] }, true],
  ])("%s", (_l, host, config, want) => expect(hostAllowed(host, config)).toBe(want));

  it("parses host names", () => {
    expect(hostName("Example.COM:80")).toBe("example.com");
    expect(hostName("[::1]:3000")).toBe("[::1]");
    expect(hostName("evil.example/x")).toBeUndefined();
  });
});

describe("CSRF: unsafe requests with ambient authority", () => {
  const base = { method: "POST", host: "127.0.0.1:3000" };
  it.each<[string, Parameters<typeof crossSiteRefusal>[0], boolean]>([
    ["cookie, same-origin fetch", { ...base, authority: "cookie", origin: "http://127.0.0.1:3000", secFetchSite: "same-origin" }, true],
    ["cookie, Origin matches (older browser)", { ...base, authority: "cookie", origin: "http://127.0.0.1:3000" }, true],
    ["cookie, same-site page", { ...base, authority: "cookie", origin: "http://127.0.0.1:4000", secFetchSite: "same-site" }, false],
    ["cookie, cross-site", { ...base, authority: "cookie", origin: "https://evil.example", secFetchSite: "cross-site" }, false],
    ["cookie, Origin another port", { ...base, authority: "cookie", origin: "http://127.0.0.1:4000" }, false],
    ["cookie, Origin null", { ...base, authority: "cookie", origin: "null" }, false],
    ["cookie, no Origin at all", { ...base, authority: "cookie" }, false],
    ["cookie, GET", { ...base, method: "GET", authority: "cookie", secFetchSite: "cross-site" }, true],
    ["anonymous, cross-site form", { ...base, authority: "anonymous", origin: "https://evil.example" }, false],
    ["anonymous, a CLI (no Origin)", { ...base, authority: "anonymous" }, true],
    ["token, cross-site", { ...base, authority: "credentials", origin: "https://evil.example", secFetchSite: "cross-site" }, true],
  ])("%s", (_l, r, allowed) => expect(crossSiteRefusal(r) === null).toBe(allowed));

  it("takes authority as resolveActor does: Authorization wins over the cookie", () => {
    expect(authorityOf({ authorization: "Bearer x", hasSessionCookie: true })).toBe("credentials");
    expect(authorityOf({ hasSessionCookie: true })).toBe("cookie");
    expect(authorityOf({ hasSessionCookie: false })).toBe("anonymous");
  });
});

describe("client address behind proxies", () => {
  it.each<[string, string | undefined, string | undefined, string[], string]>([
    ["no proxy configured: the header is ignored", "203.0.113.9", "1.2.3.4", [], "203.0.113.9"],
    ["an untrusted peer cannot speak for others", "203.0.113.9", "1.2.3.4", ["10.0.0.1"], "203.0.113.9"],
    ["a trusted proxy: the client it saw", "10.0.0.1", "1.2.3.4", ["10.0.0.1"], "1.2.3.4"],
    ["a spoofed left-most entry is skipped", "10.0.0.1", "6.6.6.6, 1.2.3.4", ["10.0.0.1"], "1.2.3.4"],
    ["two trusted hops", "10.0.0.1", "1.2.3.4, 10.0.0.2", ["10.0.0.1", "10.0.0.2"], "1.2.3.4"],
    ["IPv4-mapped peer", "::ffff:10.0.0.1", "1.2.3.4", ["10.0.0.1"], "1.2.3.4"],
  ])("%s", (_l, peer, xff, trusted, want) => expect(clientAddress(peer, xff, trusted)).toBe(want));
});
