// Playwright fixtures: each test seeds what it needs through Vigil's own REST API, with unique
// names, so tests neither depend on each other nor on order.
import { test as base, expect, type APIRequestContext, type Page } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { expectAccessible } from "./axe";

export const DEMO_EXPERIMENT = "support-agent";

export class VigilApi {
  constructor(private readonly request: APIRequestContext) {}

  async json<T>(method: "GET" | "POST" | "PATCH" | "DELETE" | "PUT", path: string, body?: unknown): Promise<T> {
    const r = await this.request.fetch(path, { method, data: body, headers: { "content-type": "application/json" } });
    const text = await r.text();
    if (!r.ok()) throw new Error(`${method} ${path} → ${r.status()}: ${text}`);
    return (text ? JSON.parse(text) : {}) as T;
  }

  async createExperiment(prefix = "e2e"): Promise<{ id: string; name: string }> {
    const name = `${prefix}-${randomBytes(4).toString("hex")}`;
    const r = await this.json<{ experiment_id: string }>("POST", "/api/2.0/mlflow/experiments/create", { name });
    return { id: r.experiment_id, name };
  }

  async experimentId(name: string): Promise<string> {
    const r = await this.json<{ experiment: { experiment_id: string } }>(
      "GET",
      `/api/2.0/mlflow/experiments/get-by-name?experiment_name=${encodeURIComponent(name)}`,
    );
    return r.experiment.experiment_id;
  }
}

/** React's hydration failures as the production build logs them (minified errors 418, 423, 425) or a dev build words them. */
const HYDRATION = /hydrat|Minified React error #4(18|19|21|22|23|25)\b/i;

export const test = base.extend<{ api: VigilApi; demoId: string }>({
  // Every page of every journey: an uncaught error or a hydration mismatch fails the test.
  page: async ({ page }, use) => {
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(`${page.url()}: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error" && HYDRATION.test(m.text())) errors.push(`${page.url()}: ${m.text()}`);
    });
    await use(page);
    expect(errors, "errors in the browser console").toEqual([]);
  },
  api: async ({ request }, use) => use(new VigilApi(request)),
  demoId: async ({ api }, use) => use(await api.experimentId(DEMO_EXPERIMENT)),
});

export { expect };

/**
 * Full-page screenshot under e2e/screenshots/ (gitignored) for a human to look at, after an
 * axe-core check of the page as it is: every page a journey shows is checked.
 */
export async function snap(page: Page, name: string) {
  // A router.refresh() in flight can leave the document without its <title> for a moment.
  await expect(page).toHaveTitle(/\S/);
  await expectAccessible(page);
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
