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

export const test = base.extend<{ api: VigilApi; demoId: string }>({
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
