import { parse } from "csv-parse/sync";
import fs from "node:fs";
import { expectAccessible } from "./axe";
import { expect, snap, test, type VigilApi } from "./fixtures";
import { postTraces } from "./seed";

const DAY = 86_400_000;

/** Two weeks of one scorer's verdicts, good in the first week and worse in the last, rolled up. */
async function seedQualityDrop(api: VigilApi, request: Parameters<typeof postTraces>[0], experimentId: string) {
  for (let d = 13; d >= 0; d--) {
    const traces = await postTraces(request, experimentId, { count: 10, atMs: Date.now() - d * DAY - 2 * 3600_000 });
    const passes = d >= 7 ? 9 : 4;
    for (const [i, t] of traces.entries()) {
      await api.json("POST", `/api/3.0/mlflow/traces/${t.traceId}/assessments`, {
        assessment: { assessment_name: "polite", source: { source_type: "CODE", source_id: "polite" }, feedback: { value: i < passes ? "yes" : "no" } },
      });
    }
  }
  await api.json("POST", "/api/v1/trends/rebuild", { experiment_id: experimentId });
}

// The stakeholder: opens a report link someone shared, reads it, and exports it as CSV.
test("stakeholder opens a shared report link and exports CSV", async ({ page, api, request }) => {
  test.setTimeout(90_000);
  const exp = await api.createExperiment("report");
  await seedQualityDrop(api, request, exp.id);

  await page.goto(`/experiments/${exp.id}/reports?scorers=polite&period=7d`);
  const card = page.getByRole("region", { name: "Headline polite" });
  await expect(card).toContainText("Pass rate");
  await expect(card.locator(".headline-value")).toHaveText("40%");
  await expect(card).toContainText("from 90%");
  await expect(card.locator("[data-significant]")).toHaveAttribute("data-significant", "true");
  await expect(card).toContainText(/Significant change/);
  // One point per day of the period (a flat line has no height, so check the path, not visibility).
  await expect(page.getByRole("region", { name: "Trend polite" }).locator(".recharts-line-curve").first()).toHaveAttribute("d", /^M[^M]*(L[^L]*){6}$/);
  // The selection survives in the URL, so the link can be shared as it is.
  await expect(page.getByRole("link", { name: "7d" })).toHaveAttribute("aria-current", "true");
  await snap(page, "report");
  await page.emulateMedia({ media: "print" });
  await expect(page.getByRole("navigation", { name: "Experiment sections" })).toBeHidden();
  await snap(page, "report-print");
  await page.emulateMedia({ media: "screen" });

  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^vigil-report-report-[0-9a-f]+-\d{4}-\d{2}-\d{2}-to-\d{4}-\d{2}-\d{2}\.csv$/);
  const rows = parse(fs.readFileSync((await download.path())!, "utf8"), { columns: true }) as Record<string, string>[];
  const period = rows.find((r) => r.row === "period" && r.scorer === "polite")!;
  expect(Number(period.value)).toBeCloseTo(0.4, 5);
  expect(Number(period.previous_value)).toBeCloseTo(0.9, 5);
  expect(Number(period.n)).toBe(70);
  expect(period.significant).toBe("true");
  const buckets = rows.filter((r) => r.row === "bucket");
  expect(buckets.reduce((s, r) => s + Number(r.assessments), 0)).toBe(70);
});

test("a report on an experiment without scores says how to get some", async ({ page, api }) => {
  const exp = await api.createExperiment("no-report");
  await page.goto(`/experiments/${exp.id}/reports`);
  await expect(page.getByText("No scores to report yet")).toBeVisible();
});

// An admin shares the report; the stakeholder opens the link in a browser that is signed in
// nowhere and sees the report and nothing else; once revoked, the link is gone.
test("a shared link opened signed out shows the report only, until revoked", async ({ page, api, request, browser }) => {
  test.setTimeout(90_000);
  const exp = await api.createExperiment("shared");
  await seedQualityDrop(api, request, exp.id);
  await page.goto(`/experiments/${exp.id}/reports`);
  // The default period is one with a previous period to compare with (the data spans two weeks).
  await expect(page.getByRole("link", { name: "7d" })).toHaveAttribute("aria-current", "true");
  await page.getByText(/Share a read-only link/).click();
  const share = page.getByRole("form", { name: "Share the report" });
  await share.getByLabel("For").fill("weekly review");
  await share.getByRole("button", { name: "Create link" }).click();
  const link = (await page.getByTestId("share-link").textContent())!;
  expect(link).toMatch(/^\/share\/vgl_/);
  await page.context().grantPermissions(["clipboard-read", "clipboard-write"]);
  await page.locator(".share-made").getByRole("button", { name: "Copy link" }).click();
  await expect(page.locator(".share-made").getByRole("button", { name: "Copied ✓" })).toBeVisible();
  await snap(page, "report-share");

  const outsider = await browser.newContext({ baseURL: new URL(page.url()).origin });
  try {
    const p = await outsider.newPage();
    await p.goto(link);
    await expect(p.getByRole("heading", { level: 1 })).toHaveText(exp.name);
    await expect(p.getByRole("region", { name: "Headline polite" }).locator(".headline-value")).toHaveText("40%");
    // Nothing else: no navigation, no experiment switcher, no links out of the shared report.
    await expect(p.getByRole("navigation", { name: "Main" })).toHaveCount(0);
    await expect(p.getByRole("navigation", { name: "Experiment sections" })).toHaveCount(0);
    await expect(p.getByText("Share a read-only link")).toHaveCount(0);
    const hrefs = await p.locator("a[href]").evaluateAll((as) => as.map((a) => a.getAttribute("href")!));
    expect(hrefs.length).toBeGreaterThan(0);
    for (const h of hrefs) expect(h.startsWith(link)).toBe(true);
    await expectAccessible(p);
    await snap(p, "report-shared-signed-out");
    const csv = await p.request.get(`${link}/csv?period=7d`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain("polite");

    await page
      .getByRole("table", { name: "Open report links" })
      .getByRole("button", { name: /Revoke/ })
      .click();
    await expect(page.getByRole("table", { name: "Open report links" })).toHaveCount(0);
    const gone = await p.goto(link);
    expect(gone!.status()).toBe(404);
  } finally {
    await outsider.close();
  }
});
