import { expect, snap, test } from "./fixtures";

test.describe("experiment overview and traces", () => {
  test("overview shows traffic, errors and latency of the demo experiment", async ({ page, demoId }) => {
    await page.goto(`/experiments/${demoId}`);
    await expect(page.getByRole("heading", { name: "support-agent", level: 1 })).toBeVisible();
    const traces = page.locator(".kpi", { hasText: "Traces" }).locator("dd");
    await expect(traces).toHaveText(/^[1-9][\d,]*$/);
    await expect(page.getByRole("img", { name: "Traces and errors over time" }).locator(".recharts-bar-rectangle").first()).toBeVisible();
    await page.getByRole("link", { name: "7d" }).click();
    await expect(page).toHaveURL(/range=7d/);
    await expect(page.getByRole("heading", { name: /Traffic · last 7 days/ })).toBeVisible();
    await snap(page, "overview");
  });

  test("an empty experiment explains how to send traces", async ({ page, api }) => {
    const exp = await api.createExperiment("empty");
    await page.goto(`/experiments/${exp.id}`);
    await expect(page.getByText("No traces in this experiment yet")).toBeVisible();
    await expect(page.getByText(`x-mlflow-experiment-id: ${exp.id}`)).toBeVisible();
    await page.getByRole("link", { name: "Traces", exact: true }).click();
    await expect(page.getByText("No traces match")).toBeVisible();
    await snap(page, "empty-experiment-traces");
  });

  test("search shows the parser's error as you type, then filters, pages and opens a trace", async ({ page, demoId }) => {
    await page.goto(`/experiments/${demoId}/traces`);
    const filter = page.getByLabel("Filter");
    await filter.fill("trace.status = 'ERROR' OR");
    await expect(page.getByText(/OR is not supported/)).toBeVisible();
    await expect(filter).toHaveAttribute("aria-invalid", "true");
    await filter.fill("trace.status = 'ERROR'");
    await expect(page.getByText(/OR is not supported/)).toBeHidden();
    await filter.press("Enter");
    await expect(page).toHaveURL(/q=trace.status/);
    const rows = page.getByRole("table", { name: "Traces" }).locator("tbody tr");
    await expect(rows.first()).toBeVisible();
    // The sixth cell: admins (the e2e server's anonymous role) have a pick box first.
    for (const chip of await rows.locator("td:nth-child(6)").allInnerTexts()) expect(chip).toContain("Error");
    await snap(page, "traces-errors");

    // All traces until a minute ago, 25 a page (the demo's live traffic keeps adding traces that
    // start 30 s before they arrive): the next
    // page has other traces, and back returns to the first.
    const until = encodeURIComponent(`trace.timestamp_ms < ${Date.now() - 60_000}`);
    await page.goto(`/experiments/${demoId}/traces?range=all&size=25&q=${until}`);
    const first = await rows.first().locator("a.mono").getAttribute("href");
    await page.getByRole("link", { name: "Next →" }).click();
    await expect(page.getByText("Page 2")).toBeVisible();
    expect(await rows.first().locator("a.mono").getAttribute("href")).not.toBe(first);
    await page.getByRole("link", { name: "← Previous" }).click();
    await expect(page.getByText("Page 1")).toBeVisible();
    expect(await rows.first().locator("a.mono").getAttribute("href")).toBe(first);

    await rows.first().locator("a.mono").click();
    await expect(page.getByRole("heading", { name: "Spans" })).toBeVisible();
    const tree = page.locator(".waterfall");
    await expect(tree.getByRole("button").first()).toHaveAttribute("aria-pressed", "true");
    await tree.getByRole("button").first().press("ArrowDown");
    await expect(tree.getByRole("button").nth(1)).toHaveAttribute("aria-pressed", "true");
    await expect(page.getByRole("region", { name: /^Span / })).toContainText("Inputs");
    await snap(page, "trace-detail");
  });

  test("failures first, tokens and cost per trace, and a trace's conversation with its spans' tokens", async ({ page, demoId }) => {
    await page.goto(`/experiments/${demoId}/traces?range=all&order=status`);
    const table = page.getByRole("table", { name: "Traces" });
    await expect(table.locator("tbody tr").first().locator("td:nth-child(6)")).toContainText("Error");
    const head = await table.locator("thead th").allInnerTexts();
    const tokensCol = head.indexOf("Tokens") + 1;
    expect(tokensCol).toBeGreaterThan(0);
    const tokens = await table.locator(`tbody tr td:nth-child(${tokensCol})`).allInnerTexts();
    expect(tokens.some((t) => /^[1-9][\d,]*$/.test(t))).toBe(true);
    expect(await table.locator(`tbody tr td:nth-child(${tokensCol + 1})`).allInnerTexts()).toContainEqual(expect.stringMatching(/^\$0\.\d+$/));

    await page.goto(`/experiments/${demoId}/traces?range=all`);
    await table.locator("tbody tr").first().locator("a.mono").click();
    const chat = page.getByRole("list", { name: "Conversation messages" });
    await expect(chat).toBeVisible();
    await expect(chat.locator("li").first()).toContainText(/system|user/);
    await expect(page.locator("dt:has-text('Tokens') + dd").first()).toHaveText(/^[1-9]/);
    await expect(page.locator(".waterfall")).toContainText("tok");
    await snap(page, "trace-conversation");
  });

  for (const [width, height] of [
    [1440, 900],
    [1280, 800],
    [390, 844],
  ] as const) {
    test(`the traces list has one line per trace, and every column is reachable inside its box at ${width} px`, async ({ page, demoId }) => {
      await page.setViewportSize({ width, height });
      await page.goto(`/experiments/${demoId}/traces?range=all`);
      const table = page.getByRole("table", { name: "Traces" });
      await expect(table.locator("tbody tr").first()).toBeVisible();
      // Rows were ~86 px tall when chips, users and sessions wrapped: one line is under 60 px.
      const heights = await table.locator("tbody tr").evaluateAll((rows) => rows.map((r) => r.getBoundingClientRect().height));
      expect(heights.length).toBeGreaterThan(0);
      expect(Math.max(...heights)).toBeLessThan(60);
      // The box is no wider than the page, and when the table is wider, the box scrolls (not cuts off).
      const box = page.getByRole("region", { name: "Traces list" });
      const fit = await box.evaluate((el) => ({
        page: document.documentElement.clientWidth,
        right: el.getBoundingClientRect().right,
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
        overflowX: getComputedStyle(el).overflowX,
      }));
      expect(fit.right).toBeLessThanOrEqual(fit.page);
      if (fit.scrollWidth > fit.clientWidth) expect(["auto", "scroll"]).toContain(fit.overflowX);
      // The last column's header comes into view inside the box, and with it the first row's chips.
      const last = table.locator("thead th").last();
      await expect(last).toHaveText("Assessments");
      await last.scrollIntoViewIfNeeded();
      await expect(last).toBeInViewport();
      const lastBox = (await last.boundingBox())!;
      const wrapBox = (await box.boundingBox())!;
      expect(lastBox.x + lastBox.width).toBeLessThanOrEqual(wrapBox.x + wrapBox.width + 1);
      await expect(table.locator("tbody tr").first().locator("td").last()).toBeInViewport();
      await snap(page, `traces-layout-${width}`);
    });
  }

  test("the traces page is readable on a phone", async ({ page, demoId }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`/experiments/${demoId}/traces`);
    await expect(page.getByRole("table", { name: "Traces" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await snap(page, "traces-phone");
  });
});

test("a scorer's hourly trend draws the hour in progress hollow, as partial", async ({ page, demoId }) => {
  // The window's end is rounded up to the hour, so only the clock tells that the last hour is still running.
  await page.goto(`/experiments/${demoId}/scorers/no_refusal?range=24h`);
  const chart = page.getByRole("img", { name: /over time by scorer version/ });
  await expect(chart.locator(".recharts-line-dots circle").first()).toBeAttached();
  await expect(chart.locator(".recharts-line-dots circle").last()).toHaveAttribute("fill", "var(--panel)");
  await expect(page.getByText(/Hollow points: a bucket the period cuts/)).toBeVisible();
  await snap(page, "scorer-trend-partial");
});
