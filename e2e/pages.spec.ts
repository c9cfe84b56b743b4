// Every page of the dashboard once, as an admin on the demo: each renders without an uncaught
// error or a hydration mismatch (the page fixture fails the test on either) and passes axe.
import { expect, snap, test } from "./fixtures";

test("every page renders cleanly: no hydration errors, no uncaught errors, accessible", async ({ page, demoId }) => {
  test.setTimeout(180_000);
  const exp = `/experiments/${demoId}`;
  await page.goto(`${exp}/traces?range=all`);
  const traceHref = await page.getByRole("table", { name: "Traces" }).locator("a[href*='/traces/tr-']").first().getAttribute("href");
  const pages: [string, string][] = [
    ["/", "tour-home"],
    [exp, "tour-overview"],
    [`${exp}/scorers`, "tour-scorers"],
    [`${exp}/scorers/no_refusal`, "tour-scorer-7d"],
    [`${exp}/scorers/no_refusal?range=24h`, "tour-scorer-24h"],
    [`${exp}/scorers/new`, "tour-scorer-new"],
    [`${exp}/traces`, "tour-traces"],
    [traceHref!, "tour-trace"],
    [`${exp}/sessions`, "tour-sessions"],
    [`${exp}/jobs`, "tour-jobs"],
    [`${exp}/reports`, "tour-reports"],
    [`${exp}/archival`, "tour-archival"],
    ["/alerts", "tour-alerts"],
    ["/access", "tour-access"],
    ["/mlflow", "tour-mlflow"],
  ];
  for (const [path, name] of pages) {
    await page.goto(path);
    await page.waitForLoadState("networkidle");
    await expect(page.locator("main, [role=main]").first()).toBeVisible();
    await snap(page, name);
  }
});
