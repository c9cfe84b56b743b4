import { randomBytes } from "node:crypto";
import { serializeBuiltin } from "@/scorers/serialize";
import { expect, snap, test, VigilApi } from "./fixtures";
import { postTraces } from "./seed";

// Remote MLflow mode against real servers (playwright.config.ts): the demo server on 3917 acts as
// the MLflow tracking server; 3918 is a Vigil monitoring it; 3919 is a Vigil whose MLflow never answers.
const BASE_PORT = Number(process.env.E2E_PORT ?? 3917);
const MLFLOW = `http://127.0.0.1:${BASE_PORT}`;
const VIGIL = `http://127.0.0.1:${BASE_PORT + 1}`;
const DOWN = `http://127.0.0.1:${BASE_PORT + 2}`;
// 3918 links only this experiment (VIGIL_REMOTE_EXPERIMENTS), so it never takes over other specs' experiments on 3917.
const LINKED_NAME = "remote-e2e";
const SCORER = "length";

interface Assessment {
  assessment_name: string;
  metadata?: Record<string, string>;
}

test("Vigil on a remote MLflow links an experiment, takes scoring over, and writes its scores back", async ({ page, request }) => {
  test.setTimeout(150_000);
  const mlflow = new VigilApi(request);

  // Set up on MLflow first under another name, then rename: 3918 sees the experiment only once
  // MLflow already samples it, so "auto" hands it to MLflow whenever the worker's sync runs.
  const setupName = `remote-setup-${randomBytes(4).toString("hex")}`;
  const { experiment_id: remoteId } = await mlflow.json<{ experiment_id: string }>("POST", `${MLFLOW}/api/2.0/mlflow/experiments/create`, { name: setupName });
  const serialized = serializeBuiltin({ name: SCORER, className: "ResponseLength", params: { max: 1000 } });
  const reg = await mlflow.json<{ scorer_id: string }>("POST", `${MLFLOW}/api/3.0/mlflow/scorers/register`, {
    experiment_id: remoteId,
    name: SCORER,
    serialized_scorer: serialized,
  });
  await mlflow.json("PUT", `${MLFLOW}/api/3.0/mlflow/scorers/online-config`, { experiment_id: remoteId, name: SCORER, sample_rate: 0.5 });
  await mlflow.json("POST", `${MLFLOW}/api/2.0/mlflow/experiments/update`, { experiment_id: remoteId, new_name: LINKED_NAME });
  const mlflowRate = async () =>
    (
      await mlflow.json<{ configs: { scorer_id: string; sample_rate: number }[] }>(
        "GET",
        `${MLFLOW}/api/3.0/mlflow/scorers/online-configs?scorer_ids=${reg.scorer_id}`,
      )
    ).configs.find((c) => c.scorer_id === reg.scorer_id)?.sample_rate;
  expect(await mlflowRate()).toBe(0.5);

  // The worker links it within a sync period; MLflow already scores it, so MLflow keeps scoring.
  await page.goto(`${VIGIL}/mlflow`);
  await expect(page.getByRole("heading", { name: "MLflow", exact: true })).toBeVisible();
  const linked = page.getByRole("table", { name: "Linked experiments" });
  const row = linked.locator("tbody tr", { has: page.getByRole("link", { name: LINKED_NAME, exact: true }) });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 40_000 });
  const select = row.getByRole("combobox", { name: `Who scores ${LINKED_NAME}` });
  await expect(select).toHaveValue("mlflow");
  await expect(row.locator("td[data-col=remote-id]")).toHaveText(remoteId);
  await expect(page.getByRole("link", { name: "MLflow · connected" })).toBeVisible();
  await expect(page.getByRole("region", { name: "Connection" })).toContainText("connected");
  await expect(page.locator(".remote-banner")).toHaveCount(0);
  await snap(page, "remote-mlflow");

  // Its scorers page on Vigil shows the scorer registered on MLflow, at MLflow's rate.
  const localId = await row.getAttribute("data-experiment-id");
  await row.getByRole("link", { name: LINKED_NAME, exact: true }).click();
  await expect(page).toHaveURL(`${VIGIL}/experiments/${localId}`);
  await expect(page.getByRole("listitem", { name: `Scorer ${SCORER}` })).toBeVisible();
  await expect(page.getByRole("listitem", { name: `Scorer ${SCORER}` })).toContainText("50%");
  await snap(page, "remote-scorers");

  // An admin hands scoring to Vigil: saved, kept after a reload, and MLflow's rate goes to 0.
  await page.goto(`${VIGIL}/mlflow`);
  await select.selectOption("vigil");
  await row.getByRole("button", { name: "Save" }).click();
  await expect(row.getByRole("status")).toContainText("Saved: Vigil scores");
  await snap(page, "remote-mlflow-saved");
  await page.reload();
  await expect(select).toHaveValue("vigil");
  await expect(row.getByRole("button", { name: "Save" })).toBeDisabled();
  await expect.poll(mlflowRate, { timeout: 30_000 }).toBe(0);

  // Vigil keeps the real rate (here every trace) while it scores; MLflow's stays 0.
  const vigil = new VigilApi(request);
  await vigil.json("PUT", `${VIGIL}/api/3.0/mlflow/scorers/online-config`, { experiment_id: localId, name: SCORER, sample_rate: 1 });
  const sent = [];
  // Stamped now, after the switch: online scoring starts from the moment Vigil took over.
  for (let i = 0; i < 3; i++) sent.push(...(await postTraces(request, remoteId, { atMs: Date.now() })));
  for (const t of sent) {
    await expect
      .poll(
        async () => {
          const r = await mlflow.json<{ trace: { trace_info: { assessments: Assessment[] } } }>("GET", `${MLFLOW}/api/3.0/mlflow/traces/${t.traceId}`);
          return r.trace.trace_info.assessments.filter((a) => a.assessment_name === SCORER && a.metadata?.["vigil.scorer_id"]).length;
        },
        { timeout: 30_000, message: `Vigil's assessment on ${t.traceId}` },
      )
      .toBe(1);
  }
  expect(await mlflowRate()).toBe(0);

  // The checkpoint has passed the scored traces and nothing is left queued.
  await expect(async () => {
    await page.reload();
    await expect(row.locator("td[data-col=queued]")).toHaveText("0 / 0", { timeout: 1000 });
  }).toPass({ timeout: 15_000 });
  await snap(page, "remote-mlflow-scored");

  // Someone who is not an admin sees who scores, without the form.
  const username = `viewer-${randomBytes(3).toString("hex")}`;
  await vigil.json("POST", `${VIGIL}/api/v1/users`, { username, password: "e2e-password-123", role: "viewer" });
  await page.goto(`${VIGIL}/signin`);
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("e2e-password-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByText(`${username} · viewer`)).toBeVisible();
  await page.goto(`${VIGIL}/mlflow`);
  await expect(row.locator("td[data-scored-by]")).toHaveText("Vigil");
  await expect(row.getByRole("combobox")).toHaveCount(0);
  await expect(page.getByText("Changing it needs the admin role.")).toBeVisible();
});

test("Vigil whose MLflow does not answer says so on every page", async ({ page, request }) => {
  await page.goto(`${DOWN}/`);
  const banner = page.getByRole("alert").filter({ hasText: "MLflow at http://127.0.0.1:4 is unreachable" });
  // The worker's first attempt fails within VIGIL_REMOTE_TIMEOUT_MS; until then the pill says "connecting".
  await expect(async () => {
    await page.reload();
    await expect(banner).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 30_000 });
  await expect(banner).toContainText("(last answered never)");
  await expect(banner).toContainText("Scoring waits and catches up when it answers.");
  await expect(page.getByRole("link", { name: "MLflow · unreachable" })).toBeVisible();
  // The home page speaks of MLflow's experiments, not of sending traces to Vigil.
  await expect(page.getByRole("status").filter({ hasText: "No MLflow experiments linked yet" })).toContainText("http://127.0.0.1:4");
  await expect(page.getByText("Waiting for traces")).toHaveCount(0);
  await snap(page, "remote-down-home");

  await page.getByRole("link", { name: "MLflow", exact: true }).click();
  await expect(page).toHaveURL(`${DOWN}/mlflow`);
  const connection = page.getByRole("region", { name: "Connection" });
  await expect(connection).toContainText("http://127.0.0.1:4");
  await expect(connection).toContainText("unreachable");
  // The client's own words for the failure (fetch refuses port 9 outright: "network error: fetch failed").
  const { lastError } = await new VigilApi(request).json<{ lastError: string | null }>("GET", `${DOWN}/api/v1/remote`);
  expect(lastError).toBeTruthy();
  await expect(connection).toContainText(lastError!);
  await expect(banner).toContainText(lastError!.replace(/[.\s]+$/, ""));
  await expect(banner).toBeVisible();
  await expect(page.getByText("No experiments linked yet: the worker links them within a few seconds of reaching MLflow.")).toBeVisible();
  await snap(page, "remote-down-mlflow");
});

test("embedded Vigil explains that it is its own MLflow store and how to monitor a remote one", async ({ page }) => {
  await page.goto("/mlflow");
  await expect(page.getByText("Vigil is its own MLflow-compatible tracking store")).toBeVisible();
  await expect(page.getByRole("region", { name: "Use Vigil as a tracking server" })).toContainText(`MLFLOW_TRACKING_URI=${MLFLOW}`);
  await expect(page.getByRole("region", { name: "Monitor a remote MLflow" })).toContainText("MLFLOW_TRACKING_TOKEN");
  // No remote: no pill, no banner.
  await expect(page.locator(".remote-pill")).toHaveCount(0);
  await expect(page.locator(".remote-banner")).toHaveCount(0);
  await snap(page, "mlflow-embedded");
});
