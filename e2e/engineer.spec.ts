import { expectAccessible } from "./axe";
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

/** A datetime-local value in this machine's zone (the browser shares it). */
const localValue = (ms: number) => new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);

// The engineer targets a job: a backfill over a custom 3-day range with a filter, then an
// assessment of five traces picked in the Traces list; each job's results sum up its selection.
test("engineer backfills a custom 3-day range with a filter and assesses five picked traces", async ({ page, api, request }) => {
  test.setTimeout(150_000);
  const DAY = 86_400_000;
  const exp = await api.createExperiment("targets");
  const name = "short_answers";
  const serialized = JSON.stringify({ name, builtin_scorer_class: "ResponseLength", builtin_scorer_pydantic_data: { name, max: 2000 } });
  await api.json("POST", "/api/3.0/mlflow/scorers/register", { experiment_id: exp.id, name, serialized_scorer: serialized });
  // Inside the range: 6 good traces and 4 failed ones; after it: 3 failed ones the range leaves out.
  const at = Date.now() - 4.5 * DAY;
  await postTraces(request, exp.id, { count: 6, atMs: at });
  const failed = await postTraces(request, exp.id, { count: 4, atMs: at - 60_000, error: true });
  await postTraces(request, exp.id, { count: 3, atMs: Date.now() - DAY, error: true });

  await page.goto(`/experiments/${exp.id}/jobs`);
  const form = page.getByRole("form", { name: "Start a job" });
  await form.getByLabel(name).check();
  await form.getByLabel("Traces from").selectOption("custom");
  await form.getByLabel("From", { exact: true }).fill(localValue(Date.now() - 6 * DAY));
  await form.getByLabel("To", { exact: true }).fill(localValue(Date.now() - 3 * DAY));
  await form.getByLabel("Filter (optional)").fill("trace.status = 'ERROR'");
  await expect(form.getByText("Valid filter: 1 clause.")).toBeVisible();
  await form.getByLabel("Use another sample rate than online scoring").check();
  await form.getByLabel("Sample rate (%)").fill("100");
  await snap(page, "jobs-custom-range");
  await form.getByRole("button", { name: "Start backfill" }).click();

  const jobs = page.getByRole("table", { name: "Jobs" });
  const backfill = jobs.locator("tbody tr").first();
  await expect(backfill).toContainText("trace.status = 'ERROR'");
  await expect(backfill.locator("[data-status]")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });
  await expect(backfill).toContainText("4 of 4 done");
  await backfill.getByRole("button", { name: "Results" }).click();
  const summary = page.getByRole("table", { name: /^Summary of job-/ });
  await expect(summary.locator("tbody tr")).toHaveCount(1);
  await expect(summary.locator("tbody tr").first()).toContainText("100.0%");
  await expect(summary.locator("tbody tr td").nth(1)).toHaveText("4");
  await snap(page, "jobs-backfill-summary");

  // The summary's link lists exactly the backfilled traces.
  await page.getByRole("link", { name: /Show the 4 traces of this job/ }).click();
  const list = page.getByRole("table", { name: "Traces" });
  await expect(list.locator("tbody tr")).toHaveCount(4);
  for (const t of failed) await expect(list.locator(`a[href$="/traces/${t.traceId}"]`)).toHaveCount(1);

  // Five traces picked in the list (the four failed ones the backfill scored, and one more).
  await page.goto(`/experiments/${exp.id}/traces?range=all&order=oldest`);
  const boxes = page.getByRole("table", { name: "Traces" }).getByRole("checkbox");
  await expect(boxes).toHaveCount(13);
  for (let i = 0; i < 5; i++) await boxes.nth(i).check();
  await expectAccessible(page);
  await snap(page, "traces-picked");
  await page.getByRole("button", { name: "Assess picked traces…" }).click();
  await expect(page).toHaveURL(new RegExp(`/experiments/${exp.id}/jobs\\?trace=`));
  const pickedUrl = page.url();
  const assess = page.getByRole("form", { name: "Start a job" });
  await expect(assess.getByRole("status")).toHaveText(/5 traces picked in the Traces list/);
  await assess.getByLabel(name).check();
  await assess.getByRole("button", { name: "Start assessment" }).click();
  const job = jobs.locator("tbody tr").first();
  await expect(job).toContainText("5 picked traces");
  await expect(job.locator("[data-status]")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });
  await job.getByRole("button", { name: "Results" }).click();
  const picked = page.getByRole("table", { name: /^Summary of job-/ });
  await expect(picked.locator("tbody tr td").nth(1)).toContainText("5");
  await snap(page, "jobs-assess-picked");

  // The same five again: without "Score again" nothing new; with it, five new verdicts.
  await page.goto(pickedUrl);
  const again = page.getByRole("form", { name: "Start a job" });
  await again.getByLabel(name).check();
  await again.getByLabel("Score again").check();
  await expect(again.getByText("Traces already scored are scored again.")).toBeVisible();
  await again.getByRole("button", { name: "Start assessment" }).click();
  const rescored = jobs.locator("tbody tr").first();
  await expect(rescored).toContainText("score again");
  await expect(rescored.locator("[data-status]")).toHaveAttribute("data-status", "SUCCEEDED", { timeout: 60_000 });
  await expect(rescored).toContainText("5 of 5 done");
  await snap(page, "jobs-score-again");

  // A verdict chip in the Traces list filters the list to the traces with that verdict.
  await page.goto(`/experiments/${exp.id}/traces?range=all`);
  await page
    .getByRole("link", { name: `${name}: yes` })
    .first()
    .click();
  await expect(page).toHaveURL(/q=feedback/);
  await expect(page.getByRole("table", { name: "Traces" }).locator("tbody tr")).toHaveCount(5);
  await snap(page, "traces-chip-filter");
});
