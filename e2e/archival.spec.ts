import fs from "node:fs";
import { expect, snap, test } from "./fixtures";
import { postTraces } from "./seed";

test("an admin turns archival on and downloads the archive as JSON Lines", async ({ page, api, request }) => {
  const exp = await api.createExperiment("archive");
  await postTraces(request, exp.id, { count: 3 });
  await page.goto(`/experiments/${exp.id}/archival`);
  const settings = page.getByRole("region", { name: "Archival settings" });
  await expect(settings.locator("[data-enabled]")).toHaveAttribute("data-enabled", "false");
  await settings.getByLabel("Archive this experiment's traces").check();
  await settings.getByLabel(/Keep raw traces for/).fill("30");
  await settings.getByRole("button", { name: "Save" }).click();
  const dialog = page.getByRole("dialog", { name: "Turn archival on?" });
  await expect(dialog).toContainText("older than 30 days are deleted from the hot store once archived");
  await dialog.getByRole("button", { name: "Save" }).click();
  await expect(settings.locator("[data-enabled]")).toHaveAttribute("data-enabled", "true");
  await expect(settings).toContainText("Raw traces deleted after 30 days");
  await snap(page, "archival");

  const exportPanel = page.getByRole("region", { name: "Export" });
  await exportPanel.getByLabel("Format").selectOption("jsonl");
  const [download] = await Promise.all([page.waitForEvent("download"), exportPanel.getByRole("link", { name: "Download JSON Lines" }).click()]);
  expect(download.suggestedFilename()).toMatch(/\.jsonl$/);
  const lines = fs
    .readFileSync((await download.path())!, "utf8")
    .split("\n")
    .filter(Boolean);
  // Whatever the worker has archived so far, every line is one archived trace of this experiment.
  for (const l of lines) expect(JSON.parse(l)).toHaveProperty("trace_id");
});
