// Where Vigil may send notifications. Checked when a receiver is saved: https (unless insecure
// receivers are allowed for a lab), a host that resolves, never a link-local address (cloud
// metadata lives there), never Vigil itself, and no private network unless allowed.
import { lookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";
import { InvalidParameterError, isLoopbackHost, type Config } from "@/lib/core";

const linkLocal = new BlockList();
linkLocal.addSubnet("169.254.0.0", 16, "ipv4");
linkLocal.addSubnet("fe80::", 10, "ipv6");
linkLocal.addAddress("0.0.0.0", "ipv4");
linkLocal.addAddress("::", "ipv6");

const privateNets = new BlockList();
for (const [net, bits] of [
  ["10.0.0.0", 8],
  ["172.16.0.0", 12],
  ["192.168.0.0", 16],
  ["127.0.0.0", 8],
  ["100.64.0.0", 10],
] as const)
  privateNets.addSubnet(net, bits, "ipv4");
privateNets.addSubnet("fc00::", 7, "ipv6");
privateNets.addAddress("::1", "ipv6");

const family = (a: string) => (isIP(a) === 6 ? "ipv6" : "ipv4");
const bare = (host: string) => host.replace(/^\[|\]$/g, "");

export type Resolver = (host: string) => Promise<string[]>;
export const dnsResolver: Resolver = async (host) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** Throws a 400 naming `field` when the URL may not receive alerts. */
export async function checkReceiverUrl(raw: unknown, field: string, config: Config, resolve: Resolver = dnsResolver): Promise<string> {
  const bad = (why: string) => new InvalidParameterError(`Invalid value for '${field}': ${why}`);
  if (typeof raw !== "string" || !raw.trim()) throw bad("a URL is required.");
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw bad("it is not a URL.");
  }
  if (u.protocol !== "https:" && !(u.protocol === "http:" && config.VIGIL_ALERTS_ALLOW_INSECURE)) throw bad("receivers must use https.");
  if (u.username || u.password) throw bad("credentials in the URL are not allowed; use the secret field.");
  const host = bare(u.hostname);
  const port = Number(u.port || (u.protocol === "https:" ? 443 : 80));
  const self = config.VIGIL_PUBLIC_URL ? new URL(config.VIGIL_PUBLIC_URL) : null;
  if (self && self.host === u.host) throw bad("it points at Vigil itself.");
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await resolve(host);
  } catch {
    throw bad(`the host '${host}' does not resolve (unreachable).`);
  }
  if (addresses.length === 0) throw bad(`the host '${host}' does not resolve (unreachable).`);
  for (const a of addresses) {
    if (linkLocal.check(a, family(a))) throw bad(`'${host}' is a link-local or unspecified address (${a}).`);
    const loopback = isLoopbackHost(a) || a === "::1";
    if (loopback && port === config.PORT) throw bad("it points at Vigil itself.");
    if (privateNets.check(a, family(a)) && !config.VIGIL_ALERTS_ALLOW_INSECURE) throw bad(`'${host}' is a private or loopback address (${a}).`);
  }
  return u.toString();
}
