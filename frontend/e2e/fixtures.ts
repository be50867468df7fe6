import AxeBuilder from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { DATA_DIR, WORK } from './global-setup';

export const API = `http://127.0.0.1:${process.env.CONSOLE_PORT}`;
const SHOTS = path.join(WORK, 'screenshots');

/**
 * What the browser reported as errors on the pages the tests opened: script errors, CSP violations. Answers the API
 * gives on purpose (a 404 for another customer's order, a 412) are not errors of the console.
 */
export const browserErrors: string[] = [];

export function watch(page: Page): void {
  page.on('pageerror', (error) => browserErrors.push(`${page.url()}: ${error.message}`));
  page.on('console', (message) => {
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      browserErrors.push(`${page.url()}: ${message.text()}`);
    }
  });
}

/** Signs in through the console's dev sign-in, as a person would. */
export async function signIn(page: Page, subject: string, role: 'customer' | 'admin'): Promise<void> {
  watch(page);
  await page.goto('./');
  await page.getByLabel('Name').fill(subject);
  await page.getByLabel(role === 'admin' ? 'Operator (admin)' : 'Customer').check();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(`Signed in as ${subject}`)).toBeVisible();
}

/** A dev session's access token, for setting up data through the API. */
export async function token(subject: string, role: 'customer' | 'admin'): Promise<string> {
  const response = await fetch(`${API}/api/sessions/dev`, {
    method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ subject, role }),
  });
  expect(response.status).toBe(201);
  return ((await response.json()) as { accessToken: string }).accessToken;
}

/** Places an order through the API; returns its id. */
export async function placeOrder(customer: string, lines: { id: string; name: string; quantity: number; price: string }[]) {
  const response = await fetch(`${API}/api/orders`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await token(customer, 'customer')}` },
    body: JSON.stringify({ customerId: customer, items: lines.map((l) => ({ productId: l.id, productName: l.name,
      quantity: l.quantity, price: l.price })) }),
  });
  expect(response.status, await response.clone().text()).toBe(201);
  return ((await response.json()) as { id: string }).id;
}

/** Runs SQL on the server's embedded PostgreSQL (its port is in postmaster.pid, line 4). */
export async function sql(statement: string): Promise<void> {
  const port = Number(readFileSync(path.join(DATA_DIR, 'postgres', 'postmaster.pid'), 'utf8').split('\n')[3]);
  const client = new pg.Client({ host: '127.0.0.1', port, user: 'postgres', database: 'postgres' });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

/** A screenshot for docs/console.md (the best are copied there by hand). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`), fullPage: true });
}

/** axe-core on the page as it is: no WCAG 2.1 A/AA violation. */
export async function accessible(page: Page, screen: string): Promise<void> {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = result.violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found, `accessibility of ${screen}`).toEqual([]);
}
