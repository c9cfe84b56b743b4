import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { decideFault, DEFAULT_FAULT_BODY, endToEndHeaders, startFaultProxy, type Fault, type FaultPolicy, type FaultProxy } from "./fault-proxy";

interface Seen {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A tiny target: records every request, answers 201 with an echo of it and a custom header. */
async function startTarget(): Promise<{ url: string; seen: Seen[]; close(): Promise<void> }> {
  const seen: Seen[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen.push({ method: req.method ?? "", url: req.url ?? "", headers: req.headers, body });
      const answer = JSON.stringify({ method: req.method, url: req.url, length: body.length });
      res.writeHead(201, { "content-type": "application/json", "x-target": "yes" }).end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

describe("decideFault", () => {
  const drop: Fault = { kind: "drop" };
  const fail: Fault = { kind: "status", status: 503 };
  const policy: FaultPolicy = ({ n }) => (n % 2 === 0 ? drop : { kind: "pass" });
  it.each([
    { name: "no window: policy (odd n passes)", n: 1, window: null, now: 0, want: "pass" },
    { name: "no window: policy (even n drops)", n: 2, window: null, now: 0, want: "drop" },
    { name: "open window overrides policy", n: 1, window: { until: 100, fault: fail }, now: 99, want: "status" },
    { name: "window closes at its deadline", n: 1, window: { until: 100, fault: fail }, now: 100, want: "pass" },
    { name: "closed window: policy again", n: 2, window: { until: 100, fault: fail }, now: 500, want: "drop" },
  ])("$name", ({ n, window, now, want }) => {
    expect(decideFault({ method: "GET", path: "/", n }, policy, window, now).kind).toBe(want);
  });
});

describe("endToEndHeaders", () => {
  it("drops hop-by-hop headers and those the Connection header names, keeps the rest", () => {
    const out = endToEndHeaders({
      connection: "keep-alive, x-hop",
      "keep-alive": "timeout=5",
      "transfer-encoding": "chunked",
      "x-hop": "1",
      authorization: "Bearer t",
      "content-type": "application/json",
    });
    expect(out).toEqual({ authorization: "Bearer t", "content-type": "application/json" });
  });
});

describe("startFaultProxy", () => {
  let target: Awaited<ReturnType<typeof startTarget>>;
  let proxy: FaultProxy;
  let clock: number;

  beforeEach(async () => {
    target = await startTarget();
    clock = 1_000;
    proxy = await startFaultProxy(target.url, { now: () => clock });
  });
  afterEach(async () => {
    await proxy.close();
    await target.close();
  });

  it("passes GET through with path, query and headers, rewriting Host", async () => {
    const res = await fetch(`${proxy.url}/api/2.0/mlflow/experiments/get?experiment_id=7`, {
      headers: { authorization: "Bearer abc", "x-custom": "v1" },
    });
    expect(res.status).toBe(201);
    expect(res.headers.get("x-target")).toBe("yes");
    expect(await res.json()).toEqual({ method: "GET", url: "/api/2.0/mlflow/experiments/get?experiment_id=7", length: 0 });
    expect(target.seen).toHaveLength(1);
    expect(target.seen[0]?.headers).toMatchObject({
      authorization: "Bearer abc",
      "x-custom": "v1",
      host: new URL(target.url).host,
    });
  });

  it("streams a POST body through unchanged, also a large one", async () => {
    const small = JSON.stringify({ trace_id: "tr-1", value: "ünïcödé" });
    const large = "x".repeat(2_000_000);
    for (const body of [small, large]) {
      const res = await fetch(`${proxy.url}/api/3.0/mlflow/traces/tr-1/assessments`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body,
      });
      expect(res.status).toBe(201);
      expect((await res.json()).length).toBe(body.length);
    }
    expect(target.seen.map((s) => s.body)).toEqual([small, large]);
    expect(target.seen[0]?.method).toBe("POST");
    expect(target.seen[0]?.headers["content-type"]).toBe("application/json");
  });

  it("drop: the client gets a network error and the target never sees the request", async () => {
    proxy.setPolicy(() => ({ kind: "drop" }));
    await expect(fetch(`${proxy.url}/a`)).rejects.toThrow();
    await expect(fetch(`${proxy.url}/b`, { method: "POST", body: "{}" })).rejects.toThrow();
    expect(target.seen).toHaveLength(0);
  });

  it("drop_after_forward: the target applied the request but the client got a network error", async () => {
    proxy.setPolicy(() => ({ kind: "drop_after_forward" }));
    const body = JSON.stringify({ assessment: { name: "quality" } });
    await expect(fetch(`${proxy.url}/create`, { method: "POST", body })).rejects.toThrow();
    expect(target.seen).toHaveLength(1);
    expect(target.seen[0]).toMatchObject({ method: "POST", url: "/create", body });
  });

  it("delay: the delayed request reaches the target after a later undelayed one, and not before ms", async () => {
    const ms = 300;
    proxy.setPolicy(({ path }) => (path === "/slow" ? { kind: "delay", ms } : { kind: "pass" }));
    const started = performance.now();
    const slow = fetch(`${proxy.url}/slow`).then((r) => ({ status: r.status, at: performance.now() - started }));
    // Wait until the proxy has taken the slow request, so "/fast" really is sent after it.
    await expect.poll(() => proxy.stats().total).toBe(1);
    const fast = await fetch(`${proxy.url}/fast`);
    expect(fast.status).toBe(201);
    const done = await slow;
    expect(done.status).toBe(201);
    // A lower bound only (timers never fire early); no upper bound, that would be flaky.
    expect(done.at).toBeGreaterThanOrEqual(ms - 1);
    expect(target.seen.map((s) => s.url)).toEqual(["/fast", "/slow"]);
  });

  it("status: answers the status with the default MLflow-shaped body, without reaching the target", async () => {
    proxy.setPolicy(({ n }) => (n === 1 ? { kind: "status", status: 500 } : { kind: "status", status: 429, body: "slow down" }));
    const first = await fetch(`${proxy.url}/x`, { method: "POST", body: "{}" });
    expect(first.status).toBe(500);
    expect(await first.text()).toBe(DEFAULT_FAULT_BODY);
    expect(JSON.parse(DEFAULT_FAULT_BODY)).toEqual({ error_code: "INTERNAL_ERROR", message: "injected" });
    const second = await fetch(`${proxy.url}/x`);
    expect(second.status).toBe(429);
    expect(await second.text()).toBe("slow down");
    expect(target.seen).toHaveLength(0);
  });

  it("failFor: fails every request inside the window, then passes again", async () => {
    proxy.failFor(5_000, { kind: "status", status: 503 });
    expect((await fetch(`${proxy.url}/1`)).status).toBe(503);
    clock += 4_999;
    expect((await fetch(`${proxy.url}/2`)).status).toBe(503);
    clock += 1;
    expect((await fetch(`${proxy.url}/3`)).status).toBe(201);
    expect(target.seen.map((s) => s.url)).toEqual(["/3"]);
  });

  it("failFor overrides a policy only while the window is open", async () => {
    proxy.setPolicy(() => ({ kind: "status", status: 418 }));
    proxy.failFor(100, { kind: "drop" });
    await expect(fetch(`${proxy.url}/in-window`)).rejects.toThrow();
    clock += 100;
    expect((await fetch(`${proxy.url}/after`)).status).toBe(418);
  });

  it("stats: counts by kind, the running counter n and a log of method, path and kind", async () => {
    const ns: number[] = [];
    proxy.setPolicy(({ n }) => {
      ns.push(n);
      return n === 2 ? { kind: "status", status: 500 } : n === 3 ? { kind: "drop" } : { kind: "pass" };
    });
    await fetch(`${proxy.url}/p?q=1`);
    await fetch(`${proxy.url}/s`, { method: "POST", body: "{}" });
    await expect(fetch(`${proxy.url}/d`)).rejects.toThrow();
    await fetch(`${proxy.url}/p2`);
    expect(ns).toEqual([1, 2, 3, 4]);
    const s = proxy.stats();
    expect(s.total).toBe(4);
    expect(s.byKind).toEqual({ pass: 2, status: 1, drop: 1 });
    expect(s.log).toEqual([
      { method: "GET", path: "/p?q=1", kind: "pass" },
      { method: "POST", path: "/s", kind: "status" },
      { method: "GET", path: "/d", kind: "drop" },
      { method: "GET", path: "/p2", kind: "pass" },
    ]);
    expect(s.upstreamErrors).toBe(0);
    proxy.resetStats();
    expect(proxy.stats()).toEqual({ total: 0, byKind: {}, log: [], upstreamErrors: 0 });
  });

  it("answers 502 when the target is unreachable, and counts it", async () => {
    await target.close();
    const res = await fetch(`${proxy.url}/gone`);
    expect(res.status).toBe(502);
    expect((await res.json()).error_code).toBe("TEMPORARILY_UNAVAILABLE");
    expect(proxy.stats().upstreamErrors).toBe(1);
  });

  it("close() resolves even with keep-alive client and upstream sockets open, and a delay pending", async () => {
    // fetch keeps its connection alive, and the proxy's agent keeps the upstream one.
    expect((await fetch(`${proxy.url}/warm`)).status).toBe(201);
    proxy.setPolicy(() => ({ kind: "delay", ms: 60_000 }));
    const pending = fetch(`${proxy.url}/never`).then(
      () => "answered",
      () => "network error",
    );
    await expect.poll(() => proxy.stats().total).toBe(2);
    await proxy.close();
    expect(await pending).toBe("network error");
    expect(target.seen.map((s) => s.url)).toEqual(["/warm"]);
  });
});
