import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** The few browser globals the functions below use inside the page. */
interface BrowserElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
}
interface BrowserGlobals {
  document: {
    activeElement: BrowserElement | null;
    querySelector(selector: string): BrowserElement | null;
    addEventListener(
      type: 'securitypolicyviolation',
      listener: (event: {
        violatedDirective: string;
        blockedURI: string;
        sourceFile: string;
        lineNumber: number;
      }) => void,
    ): void;
  };
  CSS: { escape(value: string): string };
  axe: {
    run(
      context: unknown,
      options: object,
    ): Promise<{ violations: { id: string; help: string; nodes: { target: string[] }[] }[] }>;
  };
  __stewardRecordViolation(text: string): void;
}

/** Debian's Chromium (`apt-get install -y chromium`); STEWARD_CHROMIUM overrides the path. */
export const CHROMIUM = process.env.STEWARD_CHROMIUM ?? '/usr/bin/chromium';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

export interface TestBrowser {
  context: BrowserContext;
  /** A new tab that records content-security-policy violations and uncaught errors. */
  newPage(): Promise<TestPage>;
  close(): Promise<void>;
}

export interface TestPage {
  page: Page;
  /** Every CSP violation and uncaught page error so far (tests expect none). */
  problems(): string[];
}

/**
 * Headless Chromium with a fresh profile and nothing running in the background (no sync, no
 * updates, no QUIC), so tests see only what the page does.
 */
export async function launchBrowser(options: { locale?: string } = {}): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'steward-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    locale: options.locale ?? 'en-GB',
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return {
    context,
    async newPage() {
      const page = await context.newPage();
      const problems: string[] = [];
      await page.exposeFunction('__stewardRecordViolation', (text: string) => problems.push(text));
      // Runs in the page (the DOM's types are not this Node program's, hence the narrow casts).
      await page.addInitScript(() => {
        const page = globalThis as unknown as BrowserGlobals;
        page.document.addEventListener('securitypolicyviolation', (event) => {
          page.__stewardRecordViolation(
            `CSP ${event.violatedDirective} blocked ${event.blockedURI || 'inline'} (${event.sourceFile}:${event.lineNumber})`,
          );
        });
      });
      page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
      return { page, problems: () => [...problems] };
    },
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** WCAG 2.0–2.2 A and AA rules and axe's best practices, as the issue asks: zero violations. */
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'];

/**
 * axe-core's violations on the page as it is now, one line each. axe is evaluated through the
 * DevTools protocol: the page's own policy forbids injected scripts, as it should.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  await page.evaluate(AXE_SOURCE);
  return page.evaluate(async (tags) => {
    const { axe, document } = globalThis as unknown as BrowserGlobals;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: tags } });
    return result.violations.map(
      (v) =>
        `${v.id}: ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join(', ')}`,
    );
  }, AXE_TAGS);
}

/**
 * Presses Tab until the focused element's accessible name matches, as a keyboard user moves
 * through the page; fails when it is not reached within `limit` presses.
 */
export async function tabTo(page: Page, name: RegExp, limit = 60): Promise<void> {
  for (let presses = 0; presses < limit; presses++) {
    await page.keyboard.press('Tab');
    const focused = await page.evaluate(() => {
      const { document, CSS } = globalThis as unknown as BrowserGlobals;
      const element = document.activeElement;
      if (!element) return '';
      const labelled = element.getAttribute('aria-label');
      const byId = element.id
        ? document.querySelector(`label[for="${CSS.escape(element.id)}"]`)?.textContent
        : undefined;
      return labelled ?? byId ?? element.textContent ?? '';
    });
    if (name.test(focused.trim())) return;
  }
  throw new Error(`Tab did not reach an element named ${name} within ${limit} presses`);
}
