// The web console in a real chromium, on the local runtime with its demo: a subscriber signs in with an owner key,
// creates a politics × Russia subscription while the preview shows what it would have sent, test-fires it and reads
// the delivery log; an admin sees feed health, the dead-letter queue and keys; everything works by keyboard alone,
// and axe-core finds no serious accessibility violation on any screen. NEWSALERT_SCREENSHOTS=<dir> also writes the
// screenshots kept in docs/console/.
import { mkdirSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalRuntime } from '#local/runtime.js';
import { axeViolations, CHROMIUM, launchChromium, NO_BROWSER_REASON, seriousOf } from '../helpers/browser.js';
import { startTestRuntime } from '../helpers/runtime.js';

const SCREENSHOTS = process.env.NEWSALERT_SCREENSHOTS;
const LONG = 30_000;

describe.skipIf(CHROMIUM === undefined)(`web console in chromium${CHROMIUM === undefined ? ` (${NO_BROWSER_REASON})` : ''}`, () => {
  let runtime: LocalRuntime;
  let browser: Browser;
  let ownerKey: string;
  const said: string[] = [];
  const requestedUrls: string[] = [];
  const pageProblems: string[] = [];
  // The subscriber's webhook endpoint: takes every alert.
  const received: string[] = [];
  let receiver: Server;
  let receiverUrl: string;

  beforeAll(async () => {
    runtime = await startTestRuntime({ demo: true, say: (line) => said.push(line) });
    await runtime.tick();
    await runtime.settle(LONG);
    const created = await fetch(`${runtime.url}/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${runtime.adminKey.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'owner', owner: 'alice', name: 'Alice' }),
    });
    ownerKey = ((await created.json()) as { key: string }).key;
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
      req.on('end', () => {
        received.push(body);
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await runtime?.stop();
    await new Promise((resolve) => receiver?.close(resolve));
  });

  async function openPage(viewport = { width: 1280, height: 900 }): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport, locale: 'en-GB' });
    const page = await context.newPage();
    page.setDefaultTimeout(LONG);
    page.on('request', (request) => requestedUrls.push(request.url()));
    page.on('pageerror', (error) => pageProblems.push(`pageerror: ${error.message}`));
    page.on('console', (message) => {
      // A 403/404 answer is logged by chromium as "Failed to load resource"; the tests assert on answers themselves.
      if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) pageProblems.push(message.text());
    });
    return { context, page };
  }

  async function signIn(page: Page, key: string): Promise<void> {
    await page.goto(runtime.url + '/');
    await page.getByLabel('API key').fill(key);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Subscriptions' }).waitFor();
  }

  async function expectAccessible(page: Page, screen: string): Promise<void> {
    const serious = seriousOf(await axeViolations(page));
    expect(serious, `${screen}: ${serious.join('\n')}`).toEqual([]);
  }

  async function shoot(page: Page, name: string): Promise<void> {
    if (SCREENSHOTS === undefined) return;
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
  }

  it('serves the page and its files from the API with a CSP that allows no inline script', async () => {
    // Act
    const page = await fetch(runtime.url + '/');
    const script = await fetch(runtime.url + '/console/console.js');
    const html = await page.text();

    // Assess
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain("frame-ancestors 'none'");
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    const again = await fetch(runtime.url + '/console/console.js', { headers: { 'if-none-match': script.headers.get('etag') ?? '' } });
    expect(again.status).toBe(304);
  });

  it('signs an owner in with a key kept in sessionStorage only, and refuses a wrong key', async () => {
    // Prepare
    const { context, page } = await openPage();

    // Act: a wrong key first
    await page.goto(runtime.url + '/');
    await expectAccessible(page, 'sign-in');
    await shoot(page, 'sign-in');
    await page.getByLabel('API key').fill('na_0123456789abcdef_wrong');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not valid');
    await signIn(page, ownerKey);

    // Assess
    // Page functions are written as strings: the tests are compiled without the DOM's types.
    const stored = await page.evaluate("({ session: sessionStorage.getItem('newsalert.apiKey'), local: localStorage.length, cookies: document.cookie })");
    expect(stored).toEqual({ session: ownerKey, local: 0, cookies: '' });
    expect(page.url()).not.toContain(ownerKey);
    // An owner sees no admin screens.
    await expect.poll(() => page.getByRole('navigation', { name: 'Main' }).textContent()).not.toContain('Feeds');
    await context.close();
  });

  it('creates a politics × Russia subscription while the preview counts what it would have sent', async () => {
    // Prepare
    const { context, page } = await openPage();
    await signIn(page, ownerKey);

    // Act
    await page.getByRole('link', { name: 'New subscription' }).click();
    await page.getByRole('heading', { level: 1, name: 'New subscription' }).waitFor();
    await page.getByLabel('Name', { exact: true }).fill('Russian politics');
    await page.getByPlaceholder('Type to find a topic').fill('politics');
    await page.getByRole('checkbox', { name: 'politics', exact: true }).check();
    await page.getByPlaceholder('Type to find a country').fill('Russia');
    await page.getByRole('checkbox', { name: /^Russia\b/ }).check();
    await page.getByLabel('Delivery URL').fill(`${receiverUrl}/russia`);

    // Assess: the preview names the demo story and counts one story, one message
    const preview = page.getByRole('complementary', { name: 'Preview: the last 7 days' });
    await expect.poll(() => preview.textContent(), { timeout: LONG }).toContain("Russia's Putin plans to visit China in May");
    await expect.poll(() => preview.textContent()).toMatch(/1 story, 1 message/);
    await expectAccessible(page, 'editor');
    await shoot(page, 'editor');

    // Act: a rate cap of 1 and a digest change the count as delivery would
    await page.getByLabel('Frequency').selectOption('daily');
    await expect.poll(() => preview.textContent()).toMatch(/0 at once, 1 digest/);
    await page.getByLabel('Frequency').selectOption('instant');
    await page.getByRole('button', { name: 'Create subscription' }).click();

    // Assess: saved, with the secret shown once
    await page.getByRole('heading', { level: 1, name: 'Russian politics' }).waitFor();
    expect(await page.getByLabel('Secret').inputValue()).toMatch(/^whsec_/);
    const listed = (await (await fetch(`${runtime.url}/subscriptions`, { headers: { authorization: `Bearer ${ownerKey}` } })).json()) as {
      subscriptions: { name?: string; topics: string[]; countries: string[]; owner: string }[];
    };
    expect(listed.subscriptions).toEqual([expect.objectContaining({ name: 'Russian politics', topics: ['medtop:11000000'], countries: ['RU'], owner: 'alice' })]);
    await context.close();
  });

  it('test-fires the subscription, shows the delivery log, pauses and resumes it', async () => {
    // Prepare
    const { context, page } = await openPage();
    await signIn(page, ownerKey);
    await page.getByRole('link', { name: 'Russian politics' }).click();
    await page.getByRole('heading', { level: 1, name: 'Russian politics' }).waitFor();

    // Act
    await page.getByRole('button', { name: 'Send a test alert' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Test alert queued' }).count()).toBe(1);
    await runtime.settle(LONG);
    await page.reload();

    // Assess
    const log = page.getByRole('table');
    await expect.poll(() => log.textContent(), { timeout: LONG }).toContain('test alert');
    expect(await log.textContent()).toContain('delivered');
    expect(received.some((body) => body.includes('newsalert test alert'))).toBe(true);
    await expectAccessible(page, 'subscription');
    await shoot(page, 'subscription');

    // Act: pause, then resume
    await page.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('paused');
    await page.getByRole('button', { name: 'Resume' }).click();
    await expect.poll(() => page.locator('.facts').textContent()).toContain('active');
    await context.close();
  });

  it('shows an admin the feeds with their health, the dead-letter queue and the keys', async () => {
    // Prepare
    const { context, page } = await openPage();
    await signIn(page, runtime.adminKey.key);

    // Act
    await page.getByRole('link', { name: 'Feeds' }).click();
    await page.getByRole('heading', { level: 1, name: 'Feeds' }).waitFor();

    // Assess
    const table = page.getByRole('table');
    await expect.poll(() => table.textContent()).toContain('Demo World Wire');
    const headers = await table.locator('thead th').allTextContents();
    expect(headers).toEqual(['Feed', 'State', 'Last success', 'Last error', 'Failures in a row', 'Items a day', '304 share']);
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
    await expectAccessible(page, 'feeds');
    await shoot(page, 'feeds');

    // Act: a URL that is not a feed is refused with the reason
    await page.getByLabel('Feed URL').fill(`${runtime.url}/health`);
    await page.getByRole('button', { name: 'Check' }).click();
    await expect.poll(() => page.getByRole('alert').allTextContents()).toEqual([expect.stringContaining('Not a usable feed')]);

    await page.getByRole('link', { name: 'Keys' }).click();
    await page.getByRole('heading', { level: 1, name: 'API keys' }).waitFor();
    await expect.poll(() => page.getByRole('table').textContent()).toContain('alice');
    await expectAccessible(page, 'keys');
    await page.getByRole('link', { name: 'Dead letters' }).click();
    await page.getByRole('button', { name: 'Redrive the dead-letter queue' }).click();
    await expect.poll(() => page.getByRole('status').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/Moved \d+ deliveries|Redrive started/)]));
    await expectAccessible(page, 'dead letters');
    await context.close();
  });

  it('works by keyboard alone: sign in, open the editor, pick a topic, create', async () => {
    // Prepare
    const { context, page } = await openPage();
    await page.goto(runtime.url + '/');
    // The focused control's name: its aria-label, its <label for>, or its text.
    const focusedName = () =>
      page.evaluate<string>(`(() => {
        const el = document.activeElement;
        if (!el) return '';
        const labelled = el.id ? document.querySelector('label[for="' + el.id + '"]')?.textContent : undefined;
        return (el.getAttribute('aria-label') ?? labelled ?? el.textContent ?? '').trim();
      })()`);
    const tabTo = async (name: RegExp, max = 80) => {
      for (let i = 0; i < max; i++) {
        await page.keyboard.press('Tab');
        if (name.test(await focusedName())) return;
      }
      throw new Error(`Tab never reached ${name}`);
    };

    // Act
    await tabTo(/^API key/);
    await page.keyboard.type(ownerKey);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Subscriptions' }).waitFor();
    await tabTo(/^New subscription$/);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'New subscription' }).waitFor();
    await tabTo(/^Name$/);
    await page.keyboard.type('Sport by keyboard');
    await tabTo(/^Find a topic$/);
    await page.keyboard.type('sport');
    await tabTo(/^sport$/);
    await page.keyboard.press('Space');
    await tabTo(/^Delivery URL$/);
    await page.keyboard.type(`${receiverUrl}/sport`);
    await tabTo(/^Create subscription$/);
    await page.keyboard.press('Enter');

    // Assess
    await page.getByRole('heading', { level: 1, name: 'Sport by keyboard' }).waitFor();
    expect(await page.locator('.facts').textContent()).toContain('sport');
    await context.close();
  });

  it('is readable on a phone: nothing wider than the screen', async () => {
    // Prepare
    const { context, page } = await openPage({ width: 375, height: 740 });
    await signIn(page, ownerKey);

    // Act
    await page.getByRole('link', { name: 'New subscription' }).click();
    await page.getByRole('heading', { level: 1, name: 'New subscription' }).waitFor();

    // Assess
    const overflow = await page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shoot(page, 'phone-editor');
    await context.close();
  });

  it('never puts a key in a URL or a log line, and the page hits no CSP violation or script error', () => {
    const keys = [ownerKey, runtime.adminKey.key];
    expect(requestedUrls.length).toBeGreaterThan(10);
    expect(requestedUrls.filter((url) => keys.some((key) => url.includes(key)))).toEqual([]);
    expect(said.filter((line) => keys.some((key) => line.includes(key)))).toEqual([]);
    expect(pageProblems).toEqual([]);
  });
});
