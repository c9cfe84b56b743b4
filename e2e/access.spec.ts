import { expect, snap, test } from "./fixtures";

// An admin manages access from the dashboard: adds a person, makes an API token (its secret is
// shown once and works at once), and revokes it (it stops working at once).
test("an admin adds a person and a token on the access page, then revokes the token", async ({ page, request }) => {
  await page.goto("/");
  await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Access" }).click();
  await expect(page).toHaveURL(/\/access$/);
  const stamp = Date.now().toString(36);

  const person = page.getByRole("form", { name: "Add a person" });
  await person.getByLabel("Username").fill(`ana-${stamp}`);
  await person.getByLabel("Password").fill("correct horse battery staple");
  await person.getByLabel("Role").selectOption("operator");
  await person.getByRole("button", { name: "Add person" }).click();
  await expect(
    page
      .getByRole("table", { name: "People" })
      .getByRole("row")
      .filter({ hasText: `ana-${stamp}` }),
  ).toContainText("operator");

  const form = page.getByRole("form", { name: "Create a token" });
  await form.getByLabel("Name").fill(`ci-${stamp}`);
  await form.getByLabel("Role").selectOption("viewer");
  await form.getByRole("button", { name: "Create token" }).click();
  const secret = (await form.locator(".secret-once code").textContent())!;
  expect(secret).toMatch(/^vgl_/);
  const row = page
    .getByRole("table", { name: "API tokens" })
    .getByRole("row")
    .filter({ hasText: `ci-${stamp}` });
  await expect(row).toContainText("viewer");
  await expect(row).not.toContainText(secret);
  await snap(page, "access");

  const asToken = () => request.get("/api/2.0/mlflow/experiments/search?max_results=1", { headers: { authorization: `Bearer ${secret}` } });
  expect((await asToken()).status()).toBe(200);
  await row.getByRole("button", { name: "Revoke" }).click();
  await expect(row).toContainText("revoked");
  expect((await asToken()).status()).toBe(401);
});
