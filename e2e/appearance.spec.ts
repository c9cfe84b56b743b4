import { expect, snap, test } from "./fixtures";

test.describe("appearance", () => {
  test("dark mode follows the system setting", async ({ page, demoId }) => {
    await page.emulateMedia({ colorScheme: "dark" });
    await page.goto(`/experiments/${demoId}`);
    await expect(page.getByRole("heading", { name: "support-agent", level: 1 })).toBeVisible();
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).toBe("rgb(15, 17, 21)");
    await snap(page, "overview-dark");
    await page.goto(`/experiments/${demoId}/traces`);
    await page.getByRole("table", { name: "Traces" }).locator("tbody a").first().click();
    await expect(page.getByRole("heading", { name: "Spans" })).toBeVisible();
    await snap(page, "trace-detail-dark");
  });

  test("the overview fits a phone without sideways scrolling", async ({ page, demoId }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/experiments/${demoId}`);
    await expect(page.getByRole("heading", { name: "Scorers" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await snap(page, "overview-phone");
  });

  test("the overview can be driven from the keyboard", async ({ page, demoId }) => {
    await page.goto(`/experiments/${demoId}`);
    await page.keyboard.press("Tab");
    await expect(page.getByRole("link", { name: "Skip to content" })).toBeFocused();
    await page.keyboard.press("Enter");
    // Tabs are reachable and announce the current page.
    const tabs = page.getByRole("navigation", { name: "Experiment sections" });
    await expect(tabs.getByRole("link", { name: "Overview" })).toHaveAttribute("aria-current", "page");
    await tabs.getByRole("link", { name: "Traces" }).focus();
    await page.keyboard.press("Enter");
    await expect(page).toHaveURL(/\/traces$/);
  });
});
