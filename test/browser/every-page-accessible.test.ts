import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { axeViolations, launchBrowser, type TestBrowser, type TestPage } from './support/browser.ts';
import { startWebTestStack, type WebTestStack } from './support/web-test-stack.ts';

/**
 * Every page (and every tab of a page) of both apps, on the demo with data in it, has no axe-core
 * violation (WCAG 2.2 A/AA and best practices) and no content-security-policy violation, in each
 * of the three languages the apps ship; the language follows the browser's.
 */
describe('every page of the console and the privacy center is accessible, in English, German and French', () => {
  let stack: WebTestStack;
  let browser: TestBrowser;
  let tab: TestPage;
  let requestId: string;
  let runId: string;

  before(async () => {
    stack = await startWebTestStack();
    const owner = { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' };
    const [customer] = await stack.shopQuery<{ email: string }>(
      'select email from customers order by id limit 1',
    );
    const filed = await fetch(`${stack.baseUrl}/v1/requests`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({
        type: 'erasure',
        identities: { email: customer!.email },
        identityVerified: true,
      }),
    });
    assert.equal(filed.status, 201, await filed.clone().text());
    requestId = ((await filed.json()) as { id: string }).id;
    const run = await fetch(`${stack.baseUrl}/v1/retention/runs`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({ dryRun: true }),
    });
    assert.equal(run.status, 202, await run.clone().text());
    runId = ((await run.json()) as { id: string }).id;
    // An open breach past its 72 hours, so the breach register shows a clock overdue (in red).
    const breach = await fetch(`${stack.baseUrl}/v1/governance/breaches`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({
        title: 'Laptop with an unencrypted export lost',
        description: 'A support laptop was lost on a train.',
        nature: { confidentiality: true, integrity: false, availability: false },
        awareAt: new Date(Date.now() - 80 * 3_600_000).toISOString(),
        affected: [{ system: 'shop', collection: 'customers' }],
        contact: 'dpo@shop.example',
      }),
    });
    assert.equal(breach.status, 201, await breach.clone().text());
    // A discovery run of the demo shop, so the Discovery page lists its columns and signals.
    const discovery = await fetch(`${stack.baseUrl}/v1/discovery/runs`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({ system: 'shop', sampleSize: 50 }),
    });
    assert.equal(discovery.status, 201, await discovery.clone().text());
    // A member, so the Access page lists someone whose roles can be changed.
    const member = await fetch(`${stack.baseUrl}/v1/users`, {
      method: 'POST',
      headers: owner,
      body: JSON.stringify({ email: 'dpo@example.com', roles: ['privacy_officer'] }),
    });
    assert.equal(member.status, 201, await member.clone().text());
    browser = await launchBrowser();
    tab = await browser.newPage();
  });
  after(async () => {
    await browser?.close();
    await stack?.stop();
  });

  async function waitForCheckpoint(): Promise<void> {
    for (const deadline = Date.now() + 120_000; Date.now() < deadline;) {
      const response = await fetch(`${stack.baseUrl}/v1/audit/checkpoint`, {
        headers: { authorization: `Bearer ${stack.ownerKey}` },
      });
      if (response.ok) return;
      await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error('no audit checkpoint within two minutes');
  }

  async function assertPage(page: Page, where: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    assert.deepEqual(await axeViolations(page), [], `axe-core violations on ${where}`);
    assert.deepEqual(tab.problems(), [], `CSP violations or page errors on ${where}`);
  }

  async function visit(path: string, heading: string | RegExp): Promise<Page> {
    const { page } = tab;
    await page.goto(`${stack.baseUrl}${path}`);
    await page.getByRole('heading', { level: 1, name: heading }).waitFor();
    await assertPage(page, path);
    return page;
  }

  /** Each tab of a tabbed page, opened with the keyboard (arrow keys move between tabs). */
  async function everyTab(page: Page, where: string): Promise<void> {
    const tabs = page.getByRole('tab');
    const count = await tabs.count();
    assert.ok(count > 1, `${where} has tabs`);
    await tabs.first().focus();
    for (let index = 1; index < count; index++) {
      await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Enter');
      await page.getByRole('tabpanel').waitFor();
      await assertPage(page, `${where}, tab ${index + 1}`);
    }
  }

  test('the privacy center: home, every request form, status, the consent sign-in and a missing page', async () => {
    await visit('/privacy', 'Privacy center');
    for (const [type, heading] of [
      ['access', 'Access my data'],
      ['rectification', 'Correct my data'],
      ['opt_out', 'Do not sell or share my personal information'],
    ]) {
      await visit(`/privacy/request/${type}`, heading!);
    }
    await visit('/privacy/status', 'Check a request');
    const status = await visit(`/privacy/requests/${requestId}`, 'Request status');
    await status.getByText('Awaiting approval').waitFor();
    await visit('/privacy/consent', 'Your consent choices');
    await visit('/privacy/nowhere', 'Page not found');
  });

  test('the console: sign-in with an API key, then every page and every tab', async () => {
    const { page } = tab;
    await page.goto(`${stack.baseUrl}/console`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await assertPage(page, 'the sign-in page');
    await page.getByLabel('API key').fill(stack.ownerKey);
    await page.getByRole('button', { name: 'Sign in with the key' }).click();
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
    await assertPage(page, 'the dashboard');

    await visit('/console/requests', 'Requests');
    const detail = await visit(`/console/requests/${requestId}`, 'Request');
    await detail.getByTestId('plan-shop.orders').waitFor();
    await detail.getByRole('button', { name: 'Reveal' }).click();
    await assertPage(detail, 'the request detail, identities revealed');
    await detail.getByRole('button', { name: 'Deny' }).click();
    await detail.getByLabel(/Reason for the requester/).waitFor();
    await assertPage(detail, 'the request detail, deciding');

    for (const [path, heading] of [
      ['/console/datamap', 'Data map'],
      ['/console/consent', 'Consent'],
      ['/console/retention', 'Retention'],
      ['/console/governance', 'Governance'],
      ['/console/access', 'Access'],
    ] as const) {
      await everyTab(await visit(path, heading), path);
    }
    const governance = await visit('/console/governance', 'Governance');
    await governance.getByRole('tab', { name: 'Breaches' }).click();
    await governance.getByText(/overdue by \d+ hours/).waitFor();
    await assertPage(governance, 'the breach register with an overdue clock');
    const discoveryPage = await visit('/console/discovery', 'Discovery');
    await discoveryPage.getByRole('heading', { level: 2, name: 'shop' }).waitFor();
    await assertPage(discoveryPage, 'the latest discovery run of the shop');
    const run = await visit(`/console/retention/runs/${runId}`, 'Retention run');
    await run.getByText('Completed').waitFor({ timeout: 60_000 });
    await assertPage(run, 'a finished dry run');
    // The audit.checkpoint job signs the first checkpoint within about a minute of the first entry.
    await waitForCheckpoint();
    const audit = await visit('/console/audit', 'Audit log');
    await audit
      .getByRole('button', { name: /Verify the inclusion of entry/ })
      .first()
      .click();
    await audit.getByText('Included (checked here)').first().waitFor();
    await assertPage(audit, 'the audit log with a verified entry');
    await visit('/console/events', 'Events');
    await visit('/console/nowhere', 'Page not found');
  });

  test('German and French browsers get the apps in their language, as accessible as in English', async () => {
    for (const [locale, privacyHeading, consoleHeading] of [
      ['de-DE', 'Datenschutz-Center', 'Übersicht'],
      ['fr-FR', 'Espace confidentialité', 'Tableau de bord'],
    ] as const) {
      const localized = await launchBrowser({ locale });
      try {
        const page = await localized.newPage();
        await page.page.goto(`${stack.baseUrl}/privacy`);
        await page.page.getByRole('heading', { level: 1, name: privacyHeading }).waitFor();
        assert.equal(
          await page.page.evaluate(
            () =>
              (globalThis as unknown as { document: { documentElement: { lang: string } } }).document
                .documentElement.lang,
          ),
          locale.slice(0, 2),
        );
        assert.deepEqual(await axeViolations(page.page), [], `axe-core on /privacy in ${locale}`);
        await page.page.goto(`${stack.baseUrl}/console`);
        await page.page.getByRole('textbox').fill(stack.ownerKey);
        await page.page.getByRole('button').last().click();
        await page.page.getByRole('heading', { level: 1, name: consoleHeading }).waitFor();
        assert.deepEqual(await axeViolations(page.page), [], `axe-core on /console in ${locale}`);
        assert.deepEqual(page.problems(), []);
      } finally {
        await localized.close();
      }
    }
  });
});
