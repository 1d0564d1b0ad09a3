// A real browser for the console's tests: Debian's chromium driven by playwright-core (never a downloaded browser).
// Where chromium is absent (a user's laptop) the tests skip with one line; where the run requires it
// (NEWSALERT_REQUIRE_BROWSER=1, set by .ci/run, which installs chromium when missing) its absence is a failure.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Browser, Page } from 'playwright-core';

function findChromium(): string | undefined {
  const named = process.env.CHROMIUM_PATH;
  if (named !== undefined && named !== '') return existsSync(named) ? named : undefined;
  for (const candidate of ['/usr/bin/chromium', '/usr/bin/chromium-browser']) if (existsSync(candidate)) return candidate;
  try {
    const found = execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim();
    return found === '' ? undefined : found;
  } catch {
    return undefined;
  }
}

export const CHROMIUM = findChromium();
export const BROWSER_REQUIRED = process.env.NEWSALERT_REQUIRE_BROWSER === '1';
export const NO_BROWSER_REASON = 'chromium not found (apt-get install -y chromium, or set CHROMIUM_PATH): browser tests skipped';

if (CHROMIUM === undefined && BROWSER_REQUIRED) throw new Error(`NEWSALERT_REQUIRE_BROWSER=1 but ${NO_BROWSER_REASON}`);
if (CHROMIUM === undefined) console.warn(NO_BROWSER_REASON);

export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  // --no-sandbox: CI runs as root, where chromium's sandbox cannot start.
  return chromium.launch({ executablePath: CHROMIUM!, headless: true, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[] }[];
}

/**
 * axe-core run inside the page (WCAG 2.x A and AA rules). Injected through the DevTools protocol, which the page's
 * CSP does not govern: the page itself still runs no inline script.
 */
export async function axeViolations(page: Page): Promise<AxeViolation[]> {
  await page.evaluate(AXE_SOURCE);
  // A string, as the tests are compiled without the DOM's types.
  return page.evaluate<AxeViolation[]>(`(async () => {
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] } });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => ({ target: n.target })) }));
  })()`);
}

/** Serious and critical ones, as one line each (the assertion message). */
export function seriousOf(violations: AxeViolation[]): string[] {
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help} at ${JSON.stringify(v.nodes.slice(0, 3).map((n) => n.target))}`);
}
