// `npm run screenshots`: the README's pictures of the privacy center and the admin console, taken
// in headless Chromium from `steward serve --demo` (fresh PostgreSQL databases, the demo shop, a
// real SMTP capture for the one-time codes), after filing and deciding a few requests so the pages
// show something. Writes docs/screenshots/*.png; needs the web build and /usr/bin/chromium.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { launchBrowser } from '../test/browser/support/browser.ts';
import { startWebTestStack, type WebTestStack } from '../test/browser/support/web-test-stack.ts';

const OUT = join(import.meta.dirname, '..', 'docs', 'screenshots');

async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  await page.waitForLoadState('networkidle');
  // Let transitions (accordion, tabs) settle so the picture shows the final state.
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(OUT, `${name}.png`), fullPage });
  console.log(`wrote docs/screenshots/${name}.png`);
}

async function codeFor(stack: WebTestStack, email: string, afterCount: number): Promise<string> {
  const mail = await stack.smtp.waitForMail(email.toLowerCase(), { afterCount, subject: /code/i });
  return /(\d{6})/.exec(mail.subject)![1]!;
}

async function fileAndConfirm(stack: WebTestStack, type: string, email: string): Promise<string> {
  const before = stack.smtp.messages.length;
  const response = await fetch(`${stack.baseUrl}/v1/requests`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ type, identities: { email } }),
  });
  const { id } = (await response.json()) as { id: string };
  const code = await codeFor(stack, email, before);
  await fetch(`${stack.baseUrl}/v1/requests/${id}/verify`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ code }),
  });
  return id;
}

mkdirSync(OUT, { recursive: true });
const stack = await startWebTestStack();
const browser = await launchBrowser();
try {
  const customers = await stack.shopQuery<{ email: string }>(
    "select c.email from customers c where exists (select 1 from orders o where o.customer_id = c.id and o.placed_at > now() - interval '2 years') order by c.id limit 3",
  );
  const [first, second, third] = customers.map((c) => c.email);
  const access = await fileAndConfirm(stack, 'access', first!);
  const erasure = await fileAndConfirm(stack, 'erasure', second!);
  await fileAndConfirm(stack, 'know', third!);
  const owner = { authorization: `Bearer ${stack.ownerKey}`, 'content-type': 'application/json' };
  await fetch(`${stack.baseUrl}/v1/requests/${access}/approve`, {
    method: 'POST',
    headers: owner,
    body: '{}',
  });
  await fetch(`${stack.baseUrl}/v1/retention/runs`, {
    method: 'POST',
    headers: owner,
    body: JSON.stringify({ dryRun: true }),
  });

  const { page } = await browser.newPage();
  await page.setViewportSize({ width: 1280, height: 860 });
  await page.goto(`${stack.baseUrl}/privacy`);
  await page.getByRole('heading', { level: 1 }).waitFor();
  await shoot(page, 'privacy-center');
  await page.goto(`${stack.baseUrl}/privacy/request/access`);
  await page.getByLabel(/E-mail address/).fill('ana@example.com');
  await shoot(page, 'privacy-center-request');

  const [subject] = await stack.stewardQuery<{ subject: string }>(
    "select subject from consent_state where purpose = 'marketing.communications.email' and status = 'given' order by subject limit 1",
  );
  await page.goto(`${stack.baseUrl}/privacy/consent`);
  await page.getByLabel('E-mail address').fill(subject!.subject);
  const before = stack.smtp.messages.length;
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.getByLabel('Code from the e-mail').fill(await codeFor(stack, subject!.subject, before));
  await page.getByRole('button', { name: 'Confirm' }).click();
  await page.getByRole('switch').first().waitFor();
  await shoot(page, 'privacy-center-consent', true);

  await page.goto(`${stack.baseUrl}/console`);
  await page.getByLabel('API key').fill(stack.ownerKey);
  await page.getByRole('button', { name: 'Sign in with the key' }).click();
  await page.locator('.tile-number').first().waitFor();
  await shoot(page, 'console-dashboard', true);
  await page.goto(`${stack.baseUrl}/console/requests`);
  await page.getByRole('table').waitFor();
  await shoot(page, 'console-requests');
  await page.goto(`${stack.baseUrl}/console/requests/${erasure}`);
  await page.getByRole('button', { name: 'Count rows on the live systems' }).click();
  await page
    .getByTestId('plan-shop.orders')
    .getByText(/\d+ rows?/)
    .waitFor();
  await shoot(page, 'console-request-plan', true);
  await page.goto(`${stack.baseUrl}/console/datamap`);
  await page.getByRole('tab', { name: 'Graph' }).click();
  await page.locator('svg.graph').waitFor();
  await shoot(page, 'console-datamap-graph');
} finally {
  await browser.close();
  await stack.stop();
}
