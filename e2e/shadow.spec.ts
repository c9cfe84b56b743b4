import { randomBytes } from "node:crypto";
import type { Page } from "@playwright/test";
import { expect, snap, test, type VigilApi } from "./fixtures";
import { postTraces } from "./seed";

// Shadow versions as people use them: an engineer registers v2 as a shadow, reads how it agrees
// with live v1, labels three traces, and promotes it; a viewer reads the same comparison but may
// not promote.
const NAME = "answer_length";
const serialized = (max: number) =>
  JSON.stringify({
    name: NAME,
    builtin_scorer_class: "ResponseLength",
    builtin_scorer_pydantic_data: { max },
    mlflow_version: "3.5.0",
    serialization_version: 1,
  });

async function signIn(page: Page, api: VigilApi, role: "viewer" | "admin") {
  const username = `${role}-${randomBytes(3).toString("hex")}`;
  await api.json("POST", "/api/v1/users", { username, password: "e2e-password-123", role });
  await page.goto("/signin");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("e2e-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`${username} · ${role}`)).toBeVisible();
}

async function liveScorer(api: VigilApi, prefix: string) {
  const exp = await api.createExperiment(prefix);
  await api.json("POST", "/api/3.0/mlflow/scorers/register", { experiment_id: exp.id, name: NAME, serialized_scorer: serialized(2000) });
  await api.json("PUT", "/api/3.0/mlflow/scorers/online-config", { experiment_id: exp.id, name: NAME, sample_rate: 1 });
  return exp;
}

/** Four short answers (both versions say yes) and four long ones (v2, max 20 characters, says no). */
async function traffic(request: Parameters<typeof postTraces>[0], experimentId: string) {
  await postTraces(request, experimentId, { count: 4, answer: "Ships tomorrow." });
  await postTraces(request, experimentId, { count: 4, answer: "Your order ships tomorrow. Let me know if there is anything else." });
}

test("an engineer registers v2 as a shadow, reads the comparison, labels three traces, and promotes it", async ({ page, api, request }) => {
  test.setTimeout(120_000);
  const exp = await liveScorer(api, "shadow");
  await signIn(page, api, "admin");
  const here = `/experiments/${exp.id}/scorers/${NAME}`;
  await page.goto(here);
  const panel = page.getByRole("region", { name: "Shadow version" });
  await expect(panel).toContainText("No shadow runs");

  await panel.getByRole("button", { name: "Register a shadow version" }).click();
  const box = page.getByRole("textbox", { name: "Serialized scorer" });
  await box.fill((await box.inputValue()).replace('"max": 2000', '"max": 20'));
  await page.getByRole("button", { name: "Register shadow" }).click();
  await expect(panel.getByText("v2 scores the same sampled traces as live v1")).toBeVisible();

  await traffic(request, exp.id);
  const comparison = panel.getByRole("region", { name: "Version comparison" });
  await expect(async () => {
    await page.reload();
    await expect(comparison.locator("dt:has-text('Traces both scored') + dd")).toHaveText("8", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(comparison.locator("dt:has-text('Agreement') + dd")).toHaveText("50.0%");
  await expect(comparison).toContainText("κ 0.00 by construction: one side gave one answer only");
  await expect(comparison.getByRole("table", { name: "Confusion matrix" })).toBeVisible();
  const disagreeing = comparison.getByRole("list", { name: "Disagreeing traces" }).getByRole("link");
  await expect(disagreeing).toHaveCount(4);
  await snap(page, "shadow-comparison");

  // Label three of the disagreeing traces "no" (people side with v2), one click from the list.
  const hrefs = await disagreeing.evaluateAll((as) => as.slice(0, 3).map((a) => a.getAttribute("href")!));
  for (const [i, href] of hrefs.entries()) {
    await page.goto(href);
    const labels = page.getByRole("region", { name: "Labels" });
    await labels.getByRole("button", { name: `Label ${NAME} no` }).click();
    await expect(labels.getByRole("status")).toHaveText(`Labelled ${NAME}: no`);
    await expect(page.getByRole("article", { name: `Assessment ${NAME}` }).filter({ hasText: "Human" })).toHaveCount(1);
    if (i === 0) {
      await page.reload();
      await snap(page, "shadow-label");
    }
  }

  await page.goto(here);
  const people = page.getByRole("region", { name: "Agreement with people" });
  await expect(people).toContainText("3 labelled traces");
  await expect(people).toContainText("7 more to go");
  await expect(people.getByRole("region", { name: "v2 against people" })).toContainText("Agreement 100.0%");
  await expect(people.getByRole("region", { name: "v1 against people" })).toContainText("Agreement 0.0%");
  await snap(page, "shadow-people");

  await panel.getByRole("button", { name: "Promote v2" }).click();
  const dialog = page.getByRole("dialog", { name: `Promote v2 of ${NAME}?` });
  await dialog.getByLabel("Reason (audit log)").fill("agrees with people");
  await dialog.getByRole("button", { name: "Promote", exact: true }).click();
  await expect(panel).toContainText("No shadow runs");
  await expect(panel).toContainText("v1 (previous) vs v2 (live)");
  await expect(page.getByRole("region", { name: "Audit trail" })).toContainText("shadow_promote");
  const v = await api.json<{ scorer: { scorer_version: number } }>("GET", `/api/3.0/mlflow/scorers/get?experiment_id=${exp.id}&name=${NAME}`);
  expect(v.scorer.scorer_version).toBe(2);
  await snap(page, "shadow-promoted");
});

test("a viewer sees the comparison but cannot promote", async ({ page, api, request }) => {
  test.setTimeout(90_000);
  const exp = await liveScorer(api, "shadow-viewer");
  await api.json("POST", `/api/v1/scorers/${NAME}/shadows`, { experiment_id: exp.id, serialized_scorer: serialized(20) });
  await traffic(request, exp.id);
  await signIn(page, api, "viewer");
  await page.goto(`/experiments/${exp.id}/scorers/${NAME}`);
  const panel = page.getByRole("region", { name: "Shadow version" });
  await expect(async () => {
    await page.reload();
    await expect(panel.locator("dt:has-text('Traces both scored') + dd")).toHaveText("8", { timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(panel.locator("dt:has-text('Agreement') + dd")).toHaveText("50.0%");
  await expect(panel.getByRole("button", { name: "Promote v2" })).toBeDisabled();
  await expect(panel.getByRole("button", { name: "Discard" })).toBeDisabled();
  await expect(page.getByRole("region", { name: "Agreement with people" }).getByRole("list", { name: "Needs labels" }).getByRole("link")).toHaveCount(8);
  await snap(page, "shadow-viewer");
});
