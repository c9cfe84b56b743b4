import { createHmac } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expectAccessible } from "./axe";
import { expect, snap, test } from "./fixtures";
import { postTraces } from "./seed";

const H = 3_600_000;

// The on-call's journey: a real quality drop (the scorer's pass rate falls from 100% to 0% over
// enough scored traces) fires; they see it in the header badge and on the alerts page, follow it
// to the scorer page where the chart marks the window, acknowledge it, and silence the scorer.
test("on-call sees a firing alert, acknowledges it and silences the scorer", async ({ page, api, request }) => {
  test.setTimeout(120_000);
  const exp = await api.createExperiment("alerts");
  const name = "short_answers";
  const serialized = JSON.stringify({ name, builtin_scorer_class: "ResponseLength", builtin_scorer_pydantic_data: { name, max: 80 } });
  await api.json("POST", "/api/3.0/mlflow/scorers/register", { experiment_id: exp.id, name, serialized_scorer: serialized });
  await api.json("POST", `/api/v1/scorers/${name}/start`, { experiment_id: exp.id, sample_rate: 1 });
  await api.json("PUT", "/api/v1/alerts/rules", {
    experiment_id: exp.id,
    name: "answers got long",
    kind: "quality_drop",
    scorer: name,
    severity: "critical",
    params: { window: "1h", baseline: "6h", min_count: 20, min_effect: 0.3, alpha: 0.01 },
  });
  // Baseline: short answers three hours ago; now: long ones.
  await postTraces(request, exp.id, { count: 30, atMs: Date.now() - 3 * H, answer: "It ships tomorrow." });
  await postTraces(request, exp.id, { count: 30, answer: "Your order ships tomorrow. ".repeat(8) });

  type Alerts = { alerts: { rule_name: string; state: string }[] };
  await expect
    .poll(
      async () => {
        await api.json("POST", "/api/v1/alerts/evaluate");
        const r = await api.json<Alerts>("GET", `/api/v1/alerts?experiment_id=${exp.id}&status=open`);
        return r.alerts.map((a) => a.rule_name);
      },
      { timeout: 60_000, intervals: [500] },
    )
    .toContain("answers got long");

  await page.goto("/alerts");
  const badge = page.getByTestId("alerts-badge");
  await expect(badge).toBeVisible();
  const before = Number(await badge.textContent());
  expect(before).toBeGreaterThanOrEqual(1);
  const firing = page.getByRole("table", { name: "Firing alerts" });
  const row = firing.getByRole("row").filter({ hasText: "answers got long" });
  await expect(row).toContainText("critical");
  await expect(row).toContainText(/Pass rate dropped to 0\.0%/);
  await snap(page, "alerts-firing");

  // The link leads to the scorer page, where the chart marks the window that fired.
  await row.getByRole("link", { name: "answers got long" }).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${exp.id}/scorers/${name}\\?range=24h&alert=alt_`));
  await expect(page.getByRole("table", { name: "Alert rules" }).getByRole("row").filter({ hasText: "answers got long" })).toContainText("FIRING");
  await expect(page.locator(".recharts-reference-area")).toHaveCount(1);
  await snap(page, "alerts-scorer-page");

  await page.goto("/alerts");
  await row.getByRole("button", { name: "Acknowledge" }).click();
  await expect(row).toContainText("by anonymous");
  await expect(async () => {
    const now = (await page.getByTestId("alerts-badge").count()) === 0 ? 0 : Number(await page.getByTestId("alerts-badge").textContent());
    expect(now).toBe(before - 1);
  }).toPass();

  const form = page.getByRole("form", { name: "Silence a scorer" });
  await form.getByLabel("Scorer").selectOption(`${exp.id}/${name}`);
  await form.getByLabel("For").selectOption("4h");
  await form.getByLabel("Reason").fill("rolling back the prompt");
  await form.getByRole("button", { name: "Silence" }).click();
  const silence = page.getByRole("region", { name: "Silences" }).getByRole("listitem").filter({ hasText: "rolling back the prompt" });
  await expect(silence).toContainText(name);
  await expect(row).toContainText("silenced");
  await snap(page, "alerts-silenced");

  const audit = await api.json<{ entries: { action: string }[] }>("GET", `/api/v1/audit?experiment_id=${exp.id}`);
  expect(audit.entries.map((e) => e.action)).toEqual(expect.arrayContaining(["alert.ack", "alert.silence"]));
});

// The admin's journey: add a webhook receiver from the page, see its signing secret once, send a
// test and see what the receiver answered; the receiver got a request signed with that secret.
test("an admin adds a webhook channel, sees its secret once and sends a test", async ({ page }) => {
  const got: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const receiver = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString("utf8")));
    req.on("end", () => {
      got.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const port = (receiver.address() as AddressInfo).port;
  try {
    await page.goto("/alerts");
    const form = page.getByRole("form", { name: "Add a channel" });
    const name = `hook-${Date.now()}`;
    await form.getByLabel("Name").fill(name);
    await form.getByLabel("Kind").selectOption("webhook");
    await form.getByLabel("URL").fill(`http://127.0.0.1:${port}/vigil`);
    await form.getByRole("button", { name: "Add channel" }).click();
    const secret = (await form.locator(".secret-once code").textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await expect(form.getByLabel("URL")).toHaveValue("");
    const row = page.getByRole("table", { name: "Alert channels" }).getByRole("row").filter({ hasText: name });
    await expect(row).toContainText("webhook");
    await expect(row).not.toContainText(secret);
    await expectAccessible(page);
    await snap(page, "alerts-channel-added");

    await row.getByRole("button", { name: "Send test" }).click();
    await expect(row.getByRole("status")).toHaveText("Delivered (204).");
    expect(got).toHaveLength(1);
    const sig = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(String(got[0]!.headers["vigil-signature"]))!;
    expect(sig).not.toBeNull();
    expect(createHmac("sha256", secret).update(`${sig[1]}.${got[0]!.body}`).digest("hex")).toBe(sig[2]);

    // Gone again after a reload: the secret is never shown twice.
    await page.reload();
    await expect(page.locator(".secret-once")).toHaveCount(0);
    await expect(page.getByText(secret)).toHaveCount(0);
  } finally {
    receiver.close();
  }
});
