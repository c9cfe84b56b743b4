// An axe-core check for a page as it is now: every serious or critical violation fails the test,
// listed by rule and element so the fix is obvious from the report.
import AxeBuilder from "@axe-core/playwright";
import { expect, type Page } from "@playwright/test";

export async function expectAccessible(page: Page) {
  // A router.refresh() in flight can leave the document without its <title> for a moment (seen
  // as a flaky document-title violation on /alerts): wait for it, as snap() does.
  await expect(page).toHaveTitle(/\S/);
  const r = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]).analyze();
  const serious = r.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  const text = serious.map(
    (v) =>
      `${v.id}: ${v.help} (${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(" "))
        .join(", ")})`,
  );
  expect(text, `axe violations on ${page.url()}`).toEqual([]);
}
