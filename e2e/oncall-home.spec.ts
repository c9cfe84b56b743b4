import { expectAccessible } from "./axe";
import { DEMO_EXPERIMENT, expect, snap, test } from "./fixtures";

// On-call opens Vigil: the worst scorer of the live demo is the first row of the home page, and
// pausing it takes two clicks (Pause, then confirm).
test("on-call finds the worst scorer from home and pauses it in two clicks", async ({ page }) => {
  await page.goto("/");
  await expect(page.getByRole("heading", { name: "Needs attention", level: 1 })).toBeVisible();
  const table = page.getByRole("table", { name: "Scorers by what needs attention" });
  // The demo's judges run against the bundled judge endpoint: one degrades, one nears its budget.
  const first = table.locator("tbody tr").first();
  // The page is rendered per request: reload until the judges have produced a problem to show.
  await expect
    .poll(
      async () => {
        await page.reload();
        return (await first.locator("td.problem").innerText()).trim();
      },
      { timeout: 60_000, intervals: [3000] },
    )
    .not.toBe("—");
  await expect(table).toContainText("LLM judge");
  await expect(table).not.toContainText("built-in ·");
  const name = (await first.locator("a.name").innerText()).trim();
  await snap(page, "oncall-home");
  await expectAccessible(page);

  await first.getByRole("button", { name: `Pause ${name}` }).click(); // click 1
  const dialog = page.getByRole("dialog", { name: `Pause ${name}?` });
  await expect(dialog.getByLabel(/Reason/))
    .toBeFocused({ timeout: 1000 })
    .catch(() => undefined);
  await dialog.getByRole("button", { name: "Pause scorer" }).click(); // click 2
  await expect(dialog).toBeHidden();
  const row = table.getByRole("row", { name: `Scorer ${name} in ${DEMO_EXPERIMENT}` });
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "PAUSED");
  // A paused scorer offers Resume, never Pause.
  await expect(row.getByRole("button", { name: `Pause ${name}` })).toHaveCount(0);
  await snap(page, "oncall-home-paused");

  // Totals count it as paused; resuming puts it back.
  await expect(page.getByRole("list", { name: "Totals" }).or(page.locator("dl[aria-label=Totals]"))).toContainText(/Paused\s*1/);
  await row.getByRole("button", { name: `Resume ${name}` }).click();
  await page
    .getByRole("dialog", { name: `Resume ${name}?` })
    .getByRole("button", { name: "Resume scorer" })
    .click();
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "STARTED");
});
