import { randomBytes } from "node:crypto";
import { expect, snap, test } from "./fixtures";
import { postTraces } from "./seed";

test.describe("sessions", () => {
  test("a conversation: its turns in order, the verdict that counts and the one a late turn superseded, a link to each trace", async ({
    page,
    request,
    demoId,
  }) => {
    const session = `e2e-conv-${randomBytes(4).toString("hex")}`;
    const question = "Where is my parcel 4711? It is late.";
    // Turns that ended twenty minutes ago: past the completion buffer, so the demo's started
    // repeated_question session scorer judges the conversation on its next pass.
    const [first] = await postTraces(request, demoId, { session, question, atMs: Date.now() - 20 * 60_000 });
    await postTraces(request, demoId, { session, question: "And can I change the address?", atMs: Date.now() - 19 * 60_000 });
    const url = `/experiments/${demoId}/sessions/${session}`;
    await page.goto(url);
    const verdict = (name: RegExp) => page.getByRole("article", { name });
    await expect(async () => {
      await page.reload();
      await expect(verdict(/^Session assessment repeated_question$/)).toContainText("yes", { timeout: 1000 });
    }).toPass({ timeout: 30_000 });

    // A late turn repeats the first question: the conversation is judged again, the older verdict kept.
    await postTraces(request, demoId, { session, question, atMs: Date.now() - 18 * 60_000 });
    await expect(async () => {
      await page.reload();
      await expect(verdict(/^Session assessment repeated_question \(superseded\)$/).first()).toBeVisible({ timeout: 1000 });
    }).toPass({ timeout: 30_000 });
    const current = verdict(/^Session assessment repeated_question$/);
    await expect(current).toContainText("no");
    await expect(current).toContainText("counts");
    await expect(current).toContainText("judged 3 turns");
    await expect(verdict(/^Session assessment repeated_question \(superseded\)$/).first()).toContainText("judged 2 turns");

    const turns = page.getByRole("list", { name: "Turns" }).getByRole("listitem");
    await expect(turns).toHaveCount(3);
    await expect(turns.nth(0)).toContainText(question);
    await expect(turns.nth(1)).toContainText("And can I change the address?");
    await expect(turns.nth(2)).toContainText(question);
    await snap(page, "session");

    // From the list to the conversation, then to the trace the verdict is logged on.
    await page.goto(`/experiments/${demoId}`);
    await page.getByRole("link", { name: "Sessions", exact: true }).click();
    await expect(page.getByRole("table", { name: "Sessions" })).toBeVisible();
    await page.goto(url);
    await current.getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(`/traces/${first!.traceId}$`));
    await expect(page.getByRole("article", { name: "Assessment repeated_question" }).first()).toBeVisible();
  });
});
