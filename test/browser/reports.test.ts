import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page, Route } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Role, Store } from '../../src/core/store.js';
import { HandoffStore } from '../../src/handoff/store.js';
import type { Gateway } from '../../src/server/gateway.js';
import { SqliteDriver } from '../../src/store/sqlite.js';
import { artifactsDir, launchChromium } from '../support/browser.js';
import { ConsoleClient } from '../support/console-client.js';
import { makeSite, startTestGateway, type TestSite } from '../support/gateway.js';

const ADMIN = { email: 'lead@shop.test', password: 'lead-password-123' };
const AGENT = { email: 'li@shop.test', password: 'li-password-123' };
const ZONE = 'Europe/Berlin';

/** Noon UTC `n` days before today: the same date in Berlin, and inside "last 7 days" whenever the test runs. */
function daysAgo(n: number): number {
  const d = new Date();
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() - n, 12);
}
const isoDate = (at: number) => new Date(at).toISOString().slice(0, 10);

interface Seeded {
  at: number;
  language: string;
  roles: Role[];
  rating?: number;
}

/**
 * The small history, by hand: four web-chat conversations over two days, two in English and two
 * in Spanish, with the shopper's and the bot's (or an agent's) messages and three ratings.
 */
const HISTORY: Seeded[] = [
  { at: daysAgo(2), language: 'en', roles: ['shopper', 'bot', 'shopper', 'bot'] },
  { at: daysAgo(2), language: 'es', roles: ['shopper', 'bot'], rating: 4 },
  { at: daysAgo(1), language: 'en', roles: ['shopper', 'bot', 'shopper', 'agent', 'shopper', 'agent'], rating: 5 },
  { at: daysAgo(1), language: 'es', roles: ['shopper', 'bot', 'agent'], rating: 2 },
];

/** Writes the history through the gateway's own store (and the handoff store over the same database). */
async function seed(store: Store, handoffs: HandoffStore, agentId: string): Promise<void> {
  for (const [i, c] of HISTORY.entries()) {
    const user = `shopper-${i}`;
    const shopper = await store.ensureShopper('webchat', user, c.at);
    const conversation = await store.ensureConversation({ channelId: 'webchat', chatId: user, userId: user }, shopper.id, c.at);
    await store.updateConversation(conversation.id, { language: c.language }, c.at);
    const messages = c.roles.map((role, n) => ({
      id: `${user}-m${n}`,
      role,
      direction: role === 'shopper' ? ('in' as const) : ('out' as const),
      parts: [{ kind: 'text' as const, text: `message ${n}` }],
      language: c.language,
    }));
    await store.appendMessages(conversation.id, messages, c.at);
    if (c.rating) await handoffs.addRating({ conversationId: conversation.id, agentId, rating: c.rating, createdAt: c.at + 60_000 });
  }
}

async function signIn(context: BrowserContext, who: { email: string; password: string }, url: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${url}/console`);
  await page.getByTestId('login-email').fill(who.email);
  await page.getByTestId('login-password').fill(who.password);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('agent-name').waitFor();
  return page;
}

/**
 * Whether a chart's canvas has anything drawn on it (some pixel not fully transparent). A chart
 * the report does not have fails here in 5 s, naming it, rather than as the test's time-out.
 */
function painted(page: Page, testId: string): Promise<boolean> {
  return page
    .getByTestId(testId)
    .first()
    .evaluate(
      (canvas: HTMLCanvasElement) => {
        const { width, height } = canvas;
        const data = canvas.getContext('2d')?.getImageData(0, 0, width, height).data ?? new Uint8ClampedArray();
        for (let i = 3; i < data.length; i += 4) if ((data[i] ?? 0) > 0) return width > 0 && height > 0;
        return false;
      },
      undefined,
      { timeout: 5_000 },
    );
}

/** The Reports bundle (chart.js and the report views), which the console loads when Reports is first opened. */
const REPORTS_JS = '**/console/assets/reports.js';

/** The URLs of the scripts a context's pages request, as they are requested. */
function scriptsOf(context: BrowserContext): string[] {
  const urls: string[] = [];
  context.on('request', (req) => {
    if (req.resourceType() === 'script') urls.push(new URL(req.url()).pathname);
  });
  return urls;
}

/** The text of each body row of a report table, cells joined by " | ". */
async function rows(page: Page, table: string): Promise<string[]> {
  return page
    .getByTestId(`table-${table}`)
    .locator('tbody tr')
    .evaluateAll((trs) => trs.map((tr) => Array.from(tr.children, (c) => (c.textContent ?? '').trim()).join(' | ')));
}

describe('Reports in the console, against the real gateway and store', () => {
  let site: TestSite;
  let gateway: Gateway;
  let browser: Browser;
  let driver: SqliteDriver;

  beforeAll(async () => {
    site = makeSite(`console: { admin: { email: "${ADMIN.email}", password: "${ADMIN.password}", name: Lead } }`);
    gateway = await startTestGateway(site);
    const admin = await ConsoleClient.login(gateway.url, ADMIN.email, ADMIN.password);
    expect((await admin.call('POST', '/agents', { ...AGENT, name: 'Li', language: 'en' })).status).toBe(201);
    const me = await admin.call('GET', '/me');
    driver = new SqliteDriver({ path: site.dbPath });
    await seed(gateway.store, new HandoffStore(driver), me.body.agent.id);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await driver?.close();
    await gateway?.close();
    site?.cleanup();
  });

  it('shows an admin the volume as charts and tables, a table view, a filter and a CSV download', async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: ZONE, viewport: { width: 1366, height: 2200 }, acceptDownloads: true });
    await context.addInitScript(() => {
      const w = window as unknown as { __csp: string[] };
      w.__csp = [];
      document.addEventListener('securitypolicyviolation', (e) => w.__csp.push(`${e.violatedDirective} ${e.blockedURI}`));
    });
    const scripts = scriptsOf(context);
    const page = await signIn(context, ADMIN, gateway.url);
    // chart.js is not part of the console: it comes when Reports is opened, once.
    expect(scripts).toEqual(['/console/assets/console.js']);
    await page.getByTestId('reports-toggle').click();
    await page.getByTestId('report-zone').getByText(ZONE).waitFor();
    expect(scripts).toEqual(['/console/assets/console.js', '/console/assets/reports.js']);
    await page.getByTestId('chart-by_day').first().waitFor();
    expect(await painted(page, 'chart-by_day')).toBe(true);
    expect(await painted(page, 'chart-by_language')).toBe(true);
    await page.screenshot({ path: join(artifactsDir, 'reports-volume-en.png') });

    // The table view of the daily chart: two days with conversations, messages, inbound, outbound.
    await page.getByTestId('toggle-by_day').click();
    await expect.poll(() => page.getByTestId('table-by_day').isVisible()).toBe(true);
    const days = await rows(page, 'by_day');
    expect(days).toHaveLength(7);
    expect(days.filter((r) => !r.endsWith('| 0 | 0 | 0 | 0'))).toEqual([
      `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(daysAgo(2))} | 2 | 6 | 3 | 3`,
      `${new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeZone: 'UTC' }).format(daysAgo(1))} | 2 | 9 | 4 | 5`,
    ]);
    expect(await rows(page, 'by_language')).toEqual(['English | 2 | 10 | 5 | 5', 'Spanish | 2 | 5 | 2 | 3']);

    // A filter: Spanish only.
    await page.getByTestId('filter-language').selectOption('es');
    await expect.poll(() => rows(page, 'by_language')).toEqual(['Spanish | 2 | 5 | 2 | 3']);

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('csv-by_day').click()]);
    expect(download.suggestedFilename()).toMatch(/^volume-by_day-\d{4}-\d{2}-\d{2}-\d{4}-\d{2}-\d{2}\.csv$/);
    const csv = readFileSync((await download.path()) ?? '', 'utf8');
    expect(csv.split(/\r?\n/)[0]).toBe('date,conversations,messages,inbound,outbound');
    expect(csv).toContain(`${isoDate(daysAgo(2))},1,2,1,1`);
    expect(csv).toContain(`${isoDate(daysAgo(1))},1,3,1,2`);
    // chart.js draws on canvas under the console's Content-Security-Policy (src/server/headers.ts).
    expect(await page.evaluate(() => (window as unknown as { __csp: string[] }).__csp)).toEqual([]);
    await context.close();
  });

  it('shows CSAT by day, channel, language and agent; reached by keyboard; says when a period is refused or empty', async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: ZONE, viewport: { width: 1366, height: 2200 } });
    const page = await signIn(context, ADMIN, gateway.url);
    await page.getByTestId('reports-toggle').click();
    await page.getByTestId('chart-by_day').first().waitFor();
    // Tabs: one tab stop, arrows move between reports (volume → containment → handoffs → response times → CSAT).
    await page.getByTestId('report-tab-volume').focus();
    for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
    expect(await page.getByTestId('report-tab-csat').getAttribute('aria-selected')).toBe('true');
    await page.getByTestId('table-by_agent').waitFor({ state: 'attached' });
    expect(await painted(page, 'chart-by_day')).toBe(true);
    expect(await painted(page, 'chart-by_agent')).toBe(true);
    // 4, 5 and 2: two of three satisfied, average 3.67.
    expect(await rows(page, 'summary')).toEqual(['3 | 3.67 | 66.7%']);
    expect(await rows(page, 'by_agent')).toEqual(['Lead | 3 | 3.67 | 66.7%']);
    expect(await rows(page, 'by_language')).toEqual(['Spanish | 2 | 3 | 50%', 'English | 1 | 5 | 100%']);
    const canvas = page.getByTestId('chart-by_channel');
    expect(await canvas.getAttribute('role')).toBe('img');
    expect(await canvas.getAttribute('aria-label')).toBe('CSAT by channel — bar chart');
    const summary = page.locator(`#${await canvas.getAttribute('aria-describedby')}`);
    expect(await summary.textContent()).toBe('Data points: 1. CSAT: highest 66.7% (webchat).');
    await page.screenshot({ path: join(artifactsDir, 'reports-csat-en.png') });

    // More than 366 days: the server's reason, in an alert.
    await page.getByTestId('filter-period').selectOption('custom');
    await page.getByTestId('filter-from').fill('2020-01-01');
    await page.getByTestId('report-error').getByText('a period is at most 366 days').waitFor();
    // A week with no ratings lists its days, all empty: said once instead of empty charts.
    await page.getByTestId('filter-to').fill('2020-01-07');
    await page.getByTestId('report-empty').getByText('No data for this period and these filters.').waitFor();
    // Nothing unanswered in the history: the empty state.
    await page.getByTestId('filter-period').selectOption('7');
    await page.getByTestId('report-tab-unanswered').click();
    await page.getByTestId('report-empty').waitFor();
    await context.close();
  });

  it('draws each of the eight reports the server offers, or says it has no data, without a script error', async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: ZONE, viewport: { width: 1366, height: 900 } });
    const page = await signIn(context, ADMIN, gateway.url);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.getByTestId('reports-toggle').click();
    const tabs = page.getByRole('tab');
    await tabs.first().waitFor();
    expect(await tabs.count()).toBe(8);
    for (let i = 0; i < 8; i++) {
      await tabs.nth(i).click();
      const results = page.getByTestId('report-results');
      await results.locator('section.report-section, [data-testid="report-empty"]').first().waitFor();
      expect(await results.getByTestId('report-error').count()).toBe(0);
      // No key shows through untranslated: every heading is a string of the locale, not `reports.…`.
      expect(
        await results.locator('h3, thead th').evaluateAll((els) => els.map((e) => e.textContent ?? '').filter((x) => /^(reports\.|[a-z]+_[a-z_]+$)/.test(x))),
      ).toEqual([]);
    }
    expect(errors).toEqual([]);
    await context.close();
  });

  it('does not offer Reports to an agent without the role, and the API refuses them', async () => {
    const context = await browser.newContext({ locale: 'en-GB' });
    const scripts = scriptsOf(context);
    const page = await signIn(context, AGENT, gateway.url);
    expect(await page.getByTestId('reports-toggle').count()).toBe(0);
    expect(scripts).toEqual(['/console/assets/console.js']);
    const agent = await ConsoleClient.login(gateway.url, AGENT.email, AGENT.password);
    expect((await agent.call('GET', '/reports')).status).toBe(403);
    expect((await agent.call('GET', '/reports/volume?from=2026-01-01&to=2026-01-07&tz=UTC')).status).toBe(403);
    await context.close();
  });

  it('shows that Reports is loading, says when its script cannot be fetched, and loads it on Try again', async () => {
    const context = await browser.newContext({ locale: 'en-GB', timezoneId: ZONE, viewport: { width: 1366, height: 900 } });
    // The request for reports.js is held, then fails as a dropped connection would.
    let held: (route: Route) => void = () => undefined;
    const requested = new Promise<Route>((resolve) => (held = resolve));
    await context.route(REPORTS_JS, (route) => held(route));
    const page = await signIn(context, ADMIN, gateway.url);
    await page.getByTestId('reports-toggle').click();
    const route = await requested;
    await page.getByTestId('reports-loading').getByText('Loading the report…').waitFor();
    expect(await page.getByTestId('reports').getAttribute('aria-busy')).toBe('true');
    await route.abort('connectionfailed');
    const alert = page.getByTestId('reports-unavailable');
    await alert.getByText('The Reports view could not be loaded. Check the connection and try again.').waitFor();
    expect(await alert.getAttribute('role')).toBe('alert');
    expect(await page.getByTestId('reports').getAttribute('aria-busy')).toBeNull();
    await context.unroute(REPORTS_JS);
    await page.getByTestId('reports-retry').click();
    await page.getByTestId('chart-by_day').first().waitFor();
    expect(await painted(page, 'chart-by_day')).toBe(true);
    await context.close();
  });

  // Last: it changes the admin's language.
  it.each([
    ['ar', 'rtl', 'التقارير', 'رضا العملاء حسب الموظف'],
    ['ja', 'ltr', 'レポート', '担当者別の顧客満足度'],
  ])('draws the reports in %s (%s) with the strings and formats of that language', async (language, dir, title, agentTable) => {
    const context = await browser.newContext({ locale: language, timezoneId: ZONE, viewport: { width: 1366, height: 2200 } });
    const page = await signIn(context, ADMIN, gateway.url);
    await page
      .getByRole('combobox', { name: /language|اللغة|言語/i })
      .first()
      .selectOption(language);
    await expect.poll(() => page.evaluate(() => [document.documentElement.lang, document.documentElement.dir])).toEqual([language, dir]);
    await page.getByTestId('reports-toggle').click();
    await page.getByTestId('reports').getByRole('heading', { name: title }).waitFor();
    await page.getByTestId('chart-by_day').first().waitFor();
    expect(await painted(page, 'chart-by_hour')).toBe(true);
    const count = new Intl.NumberFormat(language).format(10);
    expect((await rows(page, 'by_language'))[0]).toContain(count);
    await page.screenshot({ path: join(artifactsDir, `reports-volume-${language}.png`) });
    await page.getByTestId('report-tab-csat').click();
    await page.getByTestId('section-by_agent').getByRole('heading', { name: agentTable }).waitFor();
    expect(await painted(page, 'chart-by_agent')).toBe(true);
    const percent = new Intl.NumberFormat(language, { style: 'percent', maximumFractionDigits: 1 }).format(2 / 3);
    expect(await rows(page, 'by_agent')).toEqual([expect.stringContaining(percent)]);
    await page.screenshot({ path: join(artifactsDir, `reports-csat-${language}.png`) });
    await context.close();
  });
});
