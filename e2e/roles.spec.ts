import { randomBytes } from "node:crypto";
import { expect, snap, test } from "./fixtures";

// Each person signs in through the form and sees only what their role may do. The e2e server
// listens on loopback (anonymous admin), which the fixture uses to create the people.
const roles = [
  { role: "viewer", pause: false, register: false },
  { role: "operator", pause: true, register: false },
  { role: "admin", pause: true, register: true },
] as const;

for (const r of roles) {
  test(`${r.role} signs in and sees only what the role allows`, async ({ page, api, demoId }) => {
    const username = `${r.role}-${randomBytes(3).toString("hex")}`;
    const password = "e2e-password-123";
    await api.json("POST", "/api/v1/users", { username, password, role: r.role });

    await page.goto("/signin");
    await page.getByLabel("Username").fill(username);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByText(`${username} · ${r.role}`)).toBeVisible();

    await page.goto(`/experiments/${demoId}`);
    const pause = page.getByRole("button", { name: "Pause" }).first();
    await expect(pause).toBeVisible();
    if (r.pause) await expect(pause).toBeEnabled();
    else await expect(pause).toBeDisabled();
    await expect(page.getByRole("link", { name: "Register a scorer" })).toHaveCount(r.register ? 1 : 0);
    await snap(page, `roles-${r.role}`);

    await page.getByRole("button", { name: "Sign out" }).click();
    await expect(page).toHaveURL(/\/signin/);
  });
}

test("a wrong password is refused with a clear message", async ({ page, api }) => {
  const username = `viewer-${randomBytes(3).toString("hex")}`;
  await api.json("POST", "/api/v1/users", { username, password: "right-password-1", role: "viewer" });
  await page.goto("/signin");
  await page.getByLabel("Username").fill(username);
  await page.getByLabel("Password").fill("wrong-password-1");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong username or password.");
});
