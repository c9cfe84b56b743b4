import { expect, snap, test } from "./fixtures";
import { postTraces, traceIdsFor } from "./seed";

// The ML engineer: registers a scorer, starts it at 10%, sees scores appear, runs a backfill.
test("engineer registers a scorer, starts it at 10%, sees scores, and backfills", async ({ page, api, request }) => {
  test.setTimeout(120_000);
  const exp = await api.createExperiment("engineer");
  const name = "answer_length";
  // History from an hour ago, before any scorer exists: only a backfill can score it.
  await postTraces(request, exp.id, { count: 30, atMs: Date.now() - 3600_000 });

  await page.goto(`/experiments/${exp.id}`);
  await expect(page.getByText("No scorers yet")).toBeVisible();
  await page.getByRole("link", { name: "Register a scorer" }).first().click();
  await page.getByLabel("Scorer", { exact: true }).selectOption("builtin:ResponseLength");
  await page.getByLabel("Name").fill(name);
  await page.getByLabel("max (optional)").fill("2000");
  await page.getByLabel("Sample rate (%)").fill("10");
  await snap(page, "register-scorer");
  await page.getByRole("button", { name: "Register and start" }).click();

  await expect(page).toHaveURL(new RegExp(`/experiments/${exp.id}/scorers/${name}$`));
  await expect(page.getByRole("region", { name: "Status" }).locator("[data-status]")).toHaveAttribute("data-status", "STARTED");
  await expect(page.getByRole("region", { name: "Status" })).toContainText("10% of traces");

  // New traffic: 4 traces the 10% sample takes and 4 it leaves, by MLflow's formula.
  const sampled = await postTraces(request, exp.id, { ids: traceIdsFor(name, 0.1, 4, true) });
  const unsampled = await postTraces(request, exp.id, { ids: traceIdsFor(name, 0.1, 4, false) });
  const recent = page.getByRole("table", { name: "Recent assessments" });
  await expect(async () => {
    await page.reload();
    for (const t of sampled) await expect(recent.locator(`a[href$="/traces/${t.traceId}"]`)).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  for (const t of unsampled) await expect(recent.locator(`a[href$="/traces/${t.traceId}"]`)).toHaveCount(0);
  await expect(recent.locator("tbody tr").first()).toContainText("yes");
  await snap(page, "scorer-detail");

  // The overview row shows the scores of the last 24 h.
  await page.goto(`/experiments/${exp.id}`);
  const row = page.getByRole("listitem", { name: `Scorer ${name}` });
  await expect(row.locator("dt:has-text('Scores 24 h') + dd")).toHaveText(/^[1-9]/);

  // Backfill the history at 100% and watch it finish.
  await page.getByRole("link", { name: "Jobs", exact: true }).click();
  const form = page.getByRole("form", { name: "Start a job" });
  await expect(form.getByLabel(name)).toBeChecked();
  await form.getByLabel("Traces from").selectOption("24h");
  await form.getByLabel("Use another sample rate than online scoring").check();
  await form.getByLabel("Sample rate (%)").fill("100");
  await form.getByRole("button", { name: "Start backfill" }).click();
  const job = page.getByRole("table", { name: "Jobs" }).locator("tbody tr").first();
  await expect(job.locator("[data-status]")).toHaveAttribute("data-status", /QUEUED|RUNNING|SUCCEEDED/);
  await snap(page, "jobs-running");
  await expect(job.locator("[data-status]")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });
  await expect(job.getByRole("progressbar")).toHaveAttribute("aria-valuenow", "100");
  await job.getByRole("button", { name: "Results" }).click();
  await expect(page).toHaveURL(/job=job-/);
  const results = page.getByRole("table", { name: /^Results of job-/ });
  await expect(results.locator("tbody tr").first()).toBeVisible();
  await snap(page, "jobs-done");
});
