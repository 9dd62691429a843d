import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { unzipText } from '../support/unzip-text.ts';
import { axeViolations, launchBrowser, tabTo, type TestBrowser, type TestPage } from './support/browser.ts';
import { startWebTestStack, type WebTestStack } from './support/web-test-stack.ts';

/**
 * The flows end to end, in Chromium against `steward serve --demo` on PostgreSQL: a data
 * subject and the privacy team each in their own browser, the one-time codes and download links
 * read from a real SMTP capture, people signed in through a real OpenID provider. Every page a
 * flow visits is checked with axe-core (zero violations) and for content-security-policy
 * violations (none).
 */
describe('the privacy center and the admin console in a real browser', () => {
  let stack: WebTestStack;
  const browsers: TestBrowser[] = [];
  let accessCustomer: { email: string };
  let erasureCustomer: { email: string };
  let erasureRequestId: string;

  before(async () => {
    stack = await startWebTestStack();
    // Customers with an order from the last two years: data to return, and invoices the tax hold keeps.
    const customers = await stack.shopQuery<{ email: string }>(
      "select c.email from customers c where exists (select 1 from orders o where o.customer_id = c.id and o.placed_at > now() - interval '2 years') order by c.id limit 2",
    );
    assert.equal(customers.length, 2, 'the demo shop has two customers with recent orders');
    [accessCustomer, erasureCustomer] = customers as [{ email: string }, { email: string }];
  });
  after(async () => {
    for (const browser of browsers) await browser.close();
    await stack?.stop();
  });

  async function browserFor(): Promise<TestPage> {
    const browser = await launchBrowser();
    browsers.push(browser);
    return browser.newPage();
  }

  /** The page passes axe-core with no violation and has hit no CSP violation or script error. */
  async function assertAccessibleAndClean(tab: TestPage, where: string): Promise<void> {
    assert.deepEqual(await axeViolations(tab.page), [], `axe-core violations on ${where}`);
    assert.deepEqual(tab.problems(), [], `CSP violations or page errors on ${where}`);
  }

  async function codeMailedTo(email: string, afterCount: number): Promise<string> {
    // Steward compares and mails addresses in lower case, however they were typed.
    const mail = await stack.smtp.waitForMail(email.toLowerCase(), { afterCount, subject: /code/i });
    const code = /(\d{6})/.exec(mail.subject)?.[1];
    assert.ok(code, `a six-digit code in "${mail.subject}"`);
    return code;
  }

  /** Files a request on the privacy center with the keyboard only, and confirms it with the mailed code. */
  async function fileRequest(tab: TestPage, type: RegExp, email: string): Promise<string> {
    const { page } = tab;
    await page.goto(`${stack.baseUrl}/privacy`);
    await page.getByRole('heading', { level: 1, name: 'Privacy center' }).waitFor();
    await assertAccessibleAndClean(tab, '/privacy');
    await tabTo(page, type);
    await page.keyboard.press('Enter');
    await page.getByLabel(/E-mail address/).waitFor();
    await assertAccessibleAndClean(tab, page.url());
    await tabTo(page, /E-mail address/);
    await page.keyboard.type(email);
    const mailsBefore = stack.smtp.messages.length;
    await tabTo(page, /^Send request$/);
    await page.keyboard.press('Enter');
    await page.getByText('Confirm your e-mail address').waitFor();
    const reference = await page.getByText(/Your reference is/).textContent();
    const id = /([0-9a-f-]{36})/.exec(reference ?? '')?.[1];
    assert.ok(id, 'the page shows the request reference');
    await assertAccessibleAndClean(tab, 'the code step');
    const code = await codeMailedTo(email, mailsBefore);
    await tabTo(page, /Code from the e-mail/);
    await page.keyboard.type(code);
    await page.keyboard.press('Enter');
    await page.getByText('Thank you, your request is confirmed.').waitFor();
    return id;
  }

  /** Signs a person of the test identity provider in to the console through single sign-on. */
  async function signInToConsole(page: Page, account: string): Promise<void> {
    await page.goto(`${stack.baseUrl}/console`);
    await page.getByRole('link', { name: 'Sign in with single sign-on' }).click();
    // The provider's own development login form.
    await page.locator('input[name="login"]').fill(account);
    await page.locator('input[name="password"]').fill('any password');
    await page.locator('button[type="submit"]').click();
    await page.waitForURL(`${stack.baseUrl}/console`);
    await page.getByRole('heading', { level: 1, name: 'Dashboard' }).waitFor();
  }

  test('a subject files an access request, an officer approves it, it runs on the demo shop and the subject downloads the package', async () => {
    const subject = await browserFor();
    const requestId = await fileRequest(subject, /Start: Access my data/, accessCustomer.email.toUpperCase());
    await subject.page.getByText('Awaiting approval').waitFor();
    await subject.page.getByText('We answer by').waitFor();
    await assertAccessibleAndClean(subject, 'the status page');

    const officer = await browserFor();
    await signInToConsole(officer.page, 'officer');
    await assertAccessibleAndClean(officer, 'the dashboard');
    await officer.page.getByRole('link', { name: /Awaiting approval/ }).click();
    await officer.page.getByRole('heading', { level: 1, name: 'Requests' }).waitFor();
    await assertAccessibleAndClean(officer, 'the request queue');
    await officer.page.goto(`${stack.baseUrl}/console/requests/${requestId}`);
    await officer.page.getByTestId('plan-shop.customers').waitFor();
    assert.match(
      (await officer.page.getByTestId('identity-email').textContent()) ?? '',
      /^.•••@/,
      'identities are masked until revealed',
    );
    await assertAccessibleAndClean(officer, 'the request detail');
    await officer.page.getByRole('button', { name: 'Approve', exact: true }).click();
    const mailsBefore = stack.smtp.messages.length;
    await officer.page.getByRole('button', { name: 'Approve and start' }).click();
    await officer.page.getByText('Completed', { exact: true }).first().waitFor({ timeout: 90_000 });
    await officer.page.getByRole('heading', { name: 'Access package' }).waitFor();
    await assertAccessibleAndClean(officer, 'the completed request');

    const closing = await stack.smtp.waitForMail(accessCustomer.email.toLowerCase(), {
      afterCount: mailsBefore,
      subject: /completed/,
      timeoutMs: 60_000,
    });
    const link = /(http:\/\/\S+\/download\?token=\S+)/.exec(closing.text)?.[1];
    assert.ok(link, 'the closing mail holds the download link');
    const [download] = await Promise.all([
      subject.page.waitForEvent('download'),
      subject.page.goto(link).catch(() => undefined),
    ]);
    const files = await unzipText(readFileSync((await download.path())!));
    const personalData = files.get('personal-data.json');
    assert.ok(personalData, `personal-data.json in the zip (files: ${[...files.keys()].join(', ')})`);
    assert.ok(
      personalData.includes(accessCustomer.email.toLowerCase()),
      "the package holds the subject's own record",
    );
    assert.ok(
      [...files.keys()].some((name) => /orders.*\.csv$/.test(name)),
      'one CSV per collection, orders among them',
    );
  });

  test('an erasure shows in its plan the invoices the tax law keeps (GDPR Art. 17(3)(b))', async () => {
    const subject = await browserFor();
    erasureRequestId = await fileRequest(subject, /Start: Erase my data/, erasureCustomer.email);
    const officer = await browserFor();
    await signInToConsole(officer.page, 'officer');
    await officer.page.goto(`${stack.baseUrl}/console/requests/${erasureRequestId}`);
    const orders = officer.page.getByTestId('plan-shop.orders');
    await orders.waitFor();
    assert.match((await orders.textContent()) ?? '', /keep \(legal hold\)/);
    assert.match((await orders.textContent()) ?? '', /Legal hold \(Art\. 17\(3\)\(b\)\)/);
    await officer.page.getByRole('button', { name: 'Count rows on the live systems' }).click();
    await officer.page
      .getByTestId('plan-shop.orders')
      .getByText(/\d+ rows?/)
      .waitFor();
    await assertAccessibleAndClean(officer, 'the erasure plan');
  });

  test('an auditor sees the request but is offered no decision, and the API refuses one anyway', async () => {
    const auditor = await browserFor();
    await signInToConsole(auditor.page, 'auditor');
    assert.equal(
      await auditor.page.getByRole('link', { name: 'Access' }).count(),
      0,
      'no Access page for auditors',
    );
    await auditor.page.goto(`${stack.baseUrl}/console/requests/${erasureRequestId}`);
    await auditor.page.getByTestId('plan-shop.orders').waitFor();
    assert.equal(await auditor.page.getByRole('button', { name: 'Approve' }).count(), 0);
    assert.equal(await auditor.page.getByRole('button', { name: 'Deny' }).count(), 0);
    await assertAccessibleAndClean(auditor, 'the request detail as an auditor');
    const refusal = await auditor.page.evaluate(async (id) => {
      const { cookie } = (globalThis as unknown as { document: { cookie: string } }).document;
      const csrf = /__Host-steward_csrf=([^;]+)/.exec(cookie)?.[1] ?? '';
      const response = await fetch(`/v1/requests/${id}/approve`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: '{}',
      });
      return { status: response.status, body: await response.text() };
    }, erasureRequestId);
    assert.equal(refusal.status, 403);
    assert.match(refusal.body, /auth\.permission_missing/);
  });

  test('consent withdrawn in the privacy center shows in the console and on the check API; GPC is honoured and shown', async () => {
    const [given] = await stack.stewardQuery<{ subject: string }>(
      "select subject from consent_state where tenant_id = 'default' and purpose = 'marketing.communications.email' and status = 'given' order by subject limit 1",
    );
    assert.ok(given, 'the demo has a subject who gave newsletter consent');
    const subject = await browserFor();
    await subject.page.goto(`${stack.baseUrl}/privacy/consent`);
    await subject.page.getByRole('button', { name: 'Send code' }).waitFor();
    await assertAccessibleAndClean(subject, '/privacy/consent');
    await subject.page.getByLabel('E-mail address').fill(given.subject);
    const mailsBefore = stack.smtp.messages.length;
    await subject.page.getByRole('button', { name: 'Send code' }).click();
    const code = await codeMailedTo(given.subject, mailsBefore);
    await subject.page.getByLabel('Code from the e-mail').fill(code);
    await subject.page.getByRole('button', { name: 'Confirm' }).click();
    const newsletter = subject.page.getByRole('article', { name: 'Shop newsletter' });
    const toggle = newsletter.getByRole('switch', { name: 'I agree' });
    await toggle.waitFor();
    assert.equal(await toggle.isChecked(), true);
    await assertAccessibleAndClean(subject, 'the consent choices');
    await toggle.click({ force: true });
    await newsletter.getByText(/You said no on/).waitFor();
    await subject.page.getByRole('cell', { name: 'Withdrawn' }).first().waitFor();

    const check = await fetch(
      `${stack.baseUrl}/v1/consent/check?subject=${encodeURIComponent(given.subject)}&purpose=marketing.communications.email`,
      { headers: { authorization: `Bearer ${stack.ownerKey}` } },
    ).then((response) => response.json() as Promise<{ allowed: boolean; reason: string }>);
    assert.deepEqual(
      { allowed: check.allowed, reason: check.reason },
      { allowed: false, reason: 'withdrawn' },
    );

    const officer = await browserFor();
    await signInToConsole(officer.page, 'officer');
    await officer.page.getByRole('link', { name: 'Consent', exact: true }).click();
    await officer.page.getByRole('tab', { name: 'Subject ledger' }).click();
    await officer.page.getByRole('textbox', { name: 'Subject' }).fill(given.subject);
    await officer.page.getByRole('button', { name: 'Show history' }).click();
    const state = officer.page.getByTestId('consent-state-marketing.communications.email');
    await state.getByText('Withdrawn').waitFor();
    await assertAccessibleAndClean(officer, 'the subject ledger');

    // The browser now sends Global Privacy Control: the opt-out is recorded and the page says so.
    await subject.page.setExtraHTTPHeaders({ 'Sec-GPC': '1' });
    await subject.page.reload();
    await subject.page.getByText(/We honour it: you are opted out of the sale and sharing/).waitFor();
    const sale = subject.page.getByRole('article', { name: 'Do Not Sell or Share My Personal Information' });
    assert.equal(await sale.getByRole('switch').isChecked(), false);
    await assertAccessibleAndClean(subject, 'the consent choices with GPC');
  });
});
