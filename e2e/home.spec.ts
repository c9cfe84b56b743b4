import { expect, test } from "./fixtures";

test("home page shows the demo experiment with real traffic", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Experiments", level: 2 })).toBeVisible();
  const card = page.getByRole("region", { name: "Experiment support-agent" });
  await expect(card).toBeVisible();
  // Demo data: two weeks of traffic, so the all-time count is in the thousands.
  const total = await card.locator("dt:has-text('All traces') + dd").innerText();
  expect(Number(total.replace(/,/g, ""))).toBeGreaterThan(1000);
  await page.screenshot({ path: "e2e/screenshots/home.png", fullPage: true });
});
