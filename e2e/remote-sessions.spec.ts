import { randomBytes } from "node:crypto";
import { serializeVigilModule } from "@/scorers/serialize";
import { expect, snap, test, VigilApi } from "./fixtures";
import { postTraces } from "./seed";

// The sessions view of a Vigil whose traces live on a remote MLflow (playwright.config.ts: the
// demo server on PORT acts as MLflow, PORT+1 is a Vigil monitoring it, linking this experiment).
// The turns and the verdict are read from MLflow; the links go to each trace's page.
const BASE_PORT = Number(process.env.E2E_PORT ?? 3917);
const MLFLOW = `http://127.0.0.1:${BASE_PORT}`;
const VIGIL = `http://127.0.0.1:${BASE_PORT + 1}`;
const LINKED_NAME = "remote-sessions-e2e";
const SCORER = "repeated_question";

test("the sessions view of a remote experiment: turns in order from MLflow, the session's verdict, a working link to each trace", async ({ page, request }) => {
  test.setTimeout(150_000);
  const api = new VigilApi(request);
  const { experiment_id: remoteId } = await api.json<{ experiment_id: string }>("POST", `${MLFLOW}/api/2.0/mlflow/experiments/create`, { name: LINKED_NAME });

  // The Vigil on MLflow links it within a sync period; Vigil scores it.
  await page.goto(`${VIGIL}/mlflow`);
  const row = page.getByRole("table", { name: "Linked experiments" }).locator("tbody tr", { has: page.getByRole("link", { name: LINKED_NAME, exact: true }) });
  await expect(async () => {
    await page.reload();
    await expect(row).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 40_000 });
  const select = row.getByRole("combobox", { name: `Who scores ${LINKED_NAME}` });
  if ((await select.inputValue()) !== "vigil") {
    await select.selectOption("vigil");
    await row.getByRole("button", { name: "Save" }).click();
    await expect(row.getByRole("status")).toContainText("Saved: Vigil scores");
  }
  const localId = (await row.getAttribute("data-experiment-id"))!;
  await api.json("POST", `${VIGIL}/api/3.0/mlflow/scorers/register`, {
    experiment_id: localId,
    name: SCORER,
    serialized_scorer: serializeVigilModule({ name: SCORER, module: "repeated-question" }),
  });
  await api.json("PUT", `${VIGIL}/api/3.0/mlflow/scorers/online-config`, { experiment_id: localId, name: SCORER, sample_rate: 1 });

  // Two turns of one conversation sent to MLflow, a second apart, after Vigil took scoring over.
  const session = `remote-conv-${randomBytes(4).toString("hex")}`;
  const at = Date.now();
  const [first] = await postTraces(request, remoteId, { session, question: "Where is my parcel 4711? It is late.", atMs: at });
  const [second] = await postTraces(request, remoteId, { session, question: "And can I change the delivery address?", atMs: at + 1000 });

  // The conversation is listed once it is met, and judged after the (shortened) completion buffer.
  const url = `${VIGIL}/experiments/${localId}/sessions/${encodeURIComponent(session)}`;
  const verdict = page.getByRole("article", { name: `Session assessment ${SCORER}`, exact: true });
  await expect(async () => {
    await page.goto(url);
    await expect(verdict).toContainText("yes", { timeout: 1000 });
  }).toPass({ timeout: 60_000 });
  await expect(verdict).toContainText("counts");
  await expect(verdict).toContainText("judged 2 turns");
  await expect(page.getByRole("definition").filter({ hasText: "up to date" })).toBeVisible();

  const turns = page.getByRole("list", { name: "Turns" }).getByRole("listitem");
  await expect(turns).toHaveCount(2);
  await expect(turns.nth(0)).toContainText("Where is my parcel 4711? It is late.");
  await expect(turns.nth(1)).toContainText("And can I change the delivery address?");
  await snap(page, "remote-session");

  // The list shows it with its verdict.
  await page.goto(`${VIGIL}/experiments/${localId}/sessions`);
  const listed = page.getByRole("table", { name: "Sessions" }).locator("tbody tr", { has: page.getByRole("link", { name: session }) });
  await expect(listed).toBeVisible();

  // Each turn links to its trace's page, read from MLflow; the verdict's link goes to the first turn.
  for (const t of [first!, second!]) {
    await page.goto(url);
    await turns
      .filter({ has: page.locator(`a[href$="/traces/${t.traceId}"]`) })
      .getByRole("link")
      .click();
    await expect(page).toHaveURL(`${VIGIL}/experiments/${localId}/traces/${t.traceId}`);
    await expect(page.getByText(t.traceId).first()).toBeVisible();
  }
  await page.goto(url);
  await verdict.getByRole("link").first().click();
  await expect(page).toHaveURL(`${VIGIL}/experiments/${localId}/traces/${first!.traceId}`);
  await expect(page.getByRole("article", { name: `Assessment ${SCORER}` }).first()).toBeVisible();
});
