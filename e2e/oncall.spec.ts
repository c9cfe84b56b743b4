import { expect, snap, test, type VigilApi } from "./fixtures";
import { postTraces } from "./seed";

async function registerStarted(api: VigilApi, experimentId: string, name: string) {
  const serialized = JSON.stringify({ name, builtin_scorer_class: "ResponseLength", builtin_scorer_pydantic_data: { name, max: 5000 } });
  await api.json("POST", "/api/3.0/mlflow/scorers/register", { experiment_id: experimentId, name, serialized_scorer: serialized });
  await api.json("POST", `/api/v1/scorers/${name}/start`, { experiment_id: experimentId, sample_rate: 1 });
}

/** The assessment names on a trace, through the MLflow REST API. */
async function assessed(api: VigilApi, traceId: string): Promise<string[]> {
  const r = await api.json<{ trace: { trace_info: { assessments: { assessment_name: string }[] } } }>("GET", `/api/3.0/mlflow/traces/get?trace_id=${traceId}`);
  return r.trace.trace_info.assessments.map((a) => a.assessment_name).sort();
}

// The on-call engineer at 3 a.m.: pauses a scorer from the overview in two clicks, sees it stop.
test("on-call pauses a scorer in two clicks and scoring stops; resume brings it back", async ({ page, api, request }) => {
  test.setTimeout(90_000);
  const exp = await api.createExperiment("oncall");
  // Two scorers at 100%: `sentinel` keeps scoring, so once it has scored a trace the engine has
  // been through it, and the paused one's absence there is a decision, not a delay.
  await registerStarted(api, exp.id, "noisy_judge");
  await registerStarted(api, exp.id, "sentinel");
  const [before] = await postTraces(request, exp.id);
  await expect.poll(() => assessed(api, before!.traceId), { timeout: 30_000 }).toEqual(["noisy_judge", "sentinel"]);

  await page.goto(`/experiments/${exp.id}`);
  const row = page.getByRole("listitem", { name: "Scorer noisy_judge" });
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "STARTED");
  await snap(page, "oncall-before");

  // Click 1: Pause. Click 2: confirm (with a reason).
  await row.getByRole("button", { name: "Pause" }).click();
  const dialog = page.getByRole("dialog", { name: "Pause noisy_judge?" });
  await expect(dialog).toContainText("Resume restores exactly what ran");
  await dialog.getByLabel(/Reason/).fill("judge costs spiking");
  await snap(page, "oncall-confirm");
  await dialog.getByRole("button", { name: "Pause scorer" }).click();
  await expect(dialog).toBeHidden();
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "PAUSED");
  await expect(row).toContainText("judge costs spiking");
  await expect(page.getByRole("listitem", { name: "Scorer sentinel" }).locator("[data-status]")).toHaveAttribute("data-status", "STARTED");

  // New traffic: the sentinel scores it, the paused scorer does not.
  const [during] = await postTraces(request, exp.id);
  await expect.poll(() => assessed(api, during!.traceId), { timeout: 30_000 }).toEqual(["sentinel"]);
  await page.reload();
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "PAUSED");
  await expect(row.locator(".attention-list")).toContainText("Paused: judge costs spiking");
  await snap(page, "oncall-paused");

  // Resume the same way; new traffic is scored by both again.
  await row.getByRole("button", { name: "Resume" }).click();
  await page.getByRole("dialog", { name: "Resume noisy_judge?" }).getByRole("button", { name: "Resume scorer" }).click();
  await expect(row.locator("[data-status]")).toHaveAttribute("data-status", "STARTED");
  const [after] = await postTraces(request, exp.id);
  await expect.poll(() => assessed(api, after!.traceId), { timeout: 30_000 }).toEqual(["noisy_judge", "sentinel"]);

  // The audit trail on the scorer's page says who paused it and why.
  await row.getByRole("link", { name: "noisy_judge" }).click();
  const audit = page.getByRole("region", { name: "Audit trail" });
  await expect(audit).toContainText("pause");
  await expect(audit).toContainText("judge costs spiking");
  await snap(page, "oncall-scorer-audit");
});

/** Pairs of a status badge and other text in its row whose boxes intersect (should be none). */
async function badgeOverlaps(page: import("@playwright/test").Page): Promise<{ checked: number; overlaps: string[] }> {
  return page.evaluate(() => {
    const out: string[] = [];
    let checked = 0;
    const visible = (r: DOMRect) => r.width > 0 && r.height > 0;
    for (const badge of document.querySelectorAll<HTMLElement>(".chip[data-status], .chip.state, .badge")) {
      const b = badge.getBoundingClientRect();
      if (!visible(b)) continue;
      checked++;
      const row = badge.closest("tr, li, header, .scorer-head, .section-head") ?? badge.parentElement!;
      for (const other of row.querySelectorAll<HTMLElement>("a, button, strong, h1, h2, h3, p, .small, .muted, .chip")) {
        if (other === badge || other.contains(badge) || badge.contains(other)) continue;
        if (!other.textContent?.trim()) continue;
        const o = other.getBoundingClientRect();
        if (!visible(o)) continue;
        const w = Math.min(b.right, o.right) - Math.max(b.left, o.left);
        const h = Math.min(b.bottom, o.bottom) - Math.max(b.top, o.top);
        if (w > 1 && h > 1) out.push(`${badge.textContent?.trim()} × ${other.textContent.trim().slice(0, 40)}`);
      }
    }
    return { checked, overlaps: out };
  });
}

test("a paused scorer offers Resume and never Pause, and no badge overlaps text, at 1440 and 390 px", async ({ page, api }) => {
  test.setTimeout(90_000);
  const exp = await api.createExperiment("paused-badges");
  await registerStarted(api, exp.id, "held_judge");
  await registerStarted(api, exp.id, "running_judge");
  await api.json("POST", "/api/v1/scorers/held_judge/pause", {
    experiment_id: exp.id,
    reason: "judge costs spiking overnight while the vendor investigates a pricing change",
  });
  const pages = [`/experiments/${exp.id}`, `/experiments/${exp.id}/scorers`, `/experiments/${exp.id}/scorers/held_judge`, "/"];
  for (const width of [1440, 390]) {
    await page.setViewportSize({ width, height: 900 });
    for (const path of pages) {
      await page.goto(path);
      await expect(page.getByRole("button", { name: "Resume held_judge" }).first()).toBeVisible();
      await expect(page.getByRole("button", { name: "Pause held_judge" })).toHaveCount(0);
      const { checked, overlaps } = await badgeOverlaps(page);
      expect(checked, `badges on ${path}`).toBeGreaterThan(0);
      expect(overlaps, `${path} at ${width} px`).toEqual([]);
      // Wide tables scroll inside their box: the page itself never scrolls sideways (a paused
      // scorer's reason once widened its card by 205 px; 1 px of sub-pixel rounding is allowed).
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
        `${path} at ${width} px`,
      ).toBeLessThanOrEqual(1);
    }
    await snap(page, `paused-home-${width}`);
  }
});
