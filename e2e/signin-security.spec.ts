import { randomBytes } from "node:crypto";
import { expect, test } from "./fixtures";

// The open redirect needed no script: the form posts, the server answers with a redirect to
// `next`, and the browser reads `/\evil.example` as another host. Without JavaScript too, the
// person must land on this server.
test.describe("sign-in without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  for (const next of ["/%5Cevil.example/phish", "//evil.example/phish", "/%09/evil.example"]) {
    test(`next=${next} stays on this server`, async ({ page, api, baseURL }) => {
      const username = `redir-${randomBytes(3).toString("hex")}`;
      await api.json("POST", "/api/v1/users", { username, password: "e2e-password-123", role: "viewer" });
      await page.goto(`/signin?next=${next}`);
      await page.getByLabel("Username").fill(username);
      await page.getByLabel("Password").fill("e2e-password-123");
      await page.getByRole("button", { name: "Sign in" }).click();
      await page.waitForLoadState("load");
      const url = new URL(page.url());
      expect(url.origin).toBe(new URL(baseURL!).origin);
      expect(url.pathname).toBe("/");
    });
  }

  test("a same-origin next is kept", async ({ page, api, demoId }) => {
    const username = `keep-${randomBytes(3).toString("hex")}`;
    await api.json("POST", "/api/v1/users", { username, password: "e2e-password-123", role: "viewer" });
    await page.goto(`/signin?next=${encodeURIComponent(`/experiments/${demoId}`)}`);
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill("e2e-password-123");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page).toHaveURL(new RegExp(`/experiments/${demoId}$`));
  });
});

test("a failed sign-in keeps the username in its field and says why", async ({ page, api }) => {
  const username = `typo-${randomBytes(3).toString("hex")}`;
  await api.json("POST", "/api/v1/users", { username, password: "e2e-password-123", role: "viewer" });
  await page.goto("/signin");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("not-the-password");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("alert")).toBeVisible();
  await expect(page.getByLabel("Username")).toHaveValue(username);
  await expect(page.getByLabel("Password")).toHaveValue("");
});
