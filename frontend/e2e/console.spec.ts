import { expect, test } from '@playwright/test';
import { accessible, API, browserErrors, placeOrder, shot, signIn, sql, token, watch } from './fixtures';

// In order: the report and accessibility walk use the order the first test paid.
test.describe.configure({ mode: 'serial' });

test.afterEach(() => {
  expect(browserErrors.splice(0), 'script errors and CSP violations in the browser').toEqual([]);
});

const badge = '.heading .badge';

test('a customer places an order and pays; an operator sees it live, ships it and scrolls its history to version 0',
  async ({ browser }) => {
    const operator = await (await browser.newContext()).newPage();
    await signIn(operator, 'ops-1', 'admin');
    await expect(operator.getByRole('heading', { name: 'All orders' })).toBeVisible();
    await expect(operator.getByLabel('feed live')).toBeVisible();

    const customer = await (await browser.newContext()).newPage();
    await signIn(customer, 'cust-a', 'customer');
    await customer.getByRole('link', { name: 'New order' }).click();
    await customer.getByLabel('Product id, line 1').fill('p-100');
    await customer.getByLabel('Product name, line 1').fill('Widget');
    await customer.getByLabel('Quantity, line 1').fill('2');
    await customer.getByLabel('Unit price, line 1').fill('12.50');
    await customer.getByRole('button', { name: 'Add a line' }).click();
    await customer.getByLabel('Product id, line 2').fill('p-200');
    await customer.getByLabel('Product name, line 2').fill('Gizmo');
    await customer.getByLabel('Unit price, line 2').fill('5.05');
    await expect(customer.getByText('Total €30.05')).toBeVisible();
    await shot(customer, 'new-order');
    await customer.getByRole('button', { name: 'Place order' }).click();

    const heading = customer.getByRole('heading', { name: /^Order / });
    await expect(heading).toBeVisible();
    const orderId = (await heading.textContent())!.replace('Order ', '');
    await expect(customer.locator(badge)).toHaveText('PENDING');
    await customer.getByRole('button', { name: 'Confirm order' }).click();
    await expect(customer.locator(badge)).toHaveText('CONFIRMED');
    await customer.getByRole('button', { name: 'Pay' }).click();
    await customer.getByLabel('Payment reference').fill('card-4242');
    await customer.getByRole('button', { name: 'Pay 30.05 EUR' }).click();
    await expect(customer.locator(badge)).toHaveText('PAID');
    await shot(customer, 'order-customer');

    // The operator's list was open all along: the events arrive over the WebSocket, no reload.
    const feed = operator.locator('.feed');
    await expect(feed).toContainText('OrderPaid');
    await expect(operator.locator(`tr[data-order-id="${orderId}"]`)).toContainText('PAID');
    await shot(operator, 'orders-live');
    await feed.getByRole('link', { name: orderId }).first().click();
    await operator.getByRole('button', { name: 'Ship' }).click();
    await operator.getByLabel('Carrier').fill('DHL');
    await operator.getByLabel('Tracking number').fill('00340434161094042557');
    await operator.getByRole('button', { name: 'Ship order' }).click();
    await expect(operator.locator(badge)).toHaveText('SHIPPED');
    // ... and the customer's page follows live too.
    await expect(customer.locator(badge)).toHaveText('SHIPPED');

    await operator.getByRole('tab', { name: /History/ }).click();
    const history = operator.getByRole('list', { name: 'Event history' }).locator(':scope > li');
    await expect(history).toHaveCount(4);
    await expect(history.nth(0)).toContainText('OrderPlaced');
    await expect(history.nth(0)).toContainText('cust-a');
    await expect(history.nth(0)).toContainText('Correlation id');
    await expect(history.nth(3)).toContainText('OrderShipped');
    await expect(history.nth(3)).toContainText('ops-1');
    await shot(operator, 'history');

    await operator.getByRole('tab', { name: 'Time travel' }).click();
    const slider = operator.getByRole('slider');
    await slider.focus();
    await slider.press('Home');
    const past = operator.getByTestId('past-order');
    await expect(past).toContainText('version 0');
    await expect(past).toContainText('PENDING');
    await expect(past).toContainText('2 × Widget');
    await shot(operator, 'time-travel');
    await slider.press('ArrowRight');
    await slider.press('ArrowRight');
    await expect(past).toContainText('PAID');
    await slider.press('End');
    await expect(past).toContainText('SHIPPED');
  });

test('two tabs edit the same order and the second gets the conflict message with the fresh state', async ({ browser }) => {
  const orderId = await placeOrder('cust-b', [{ id: 'p-1', name: 'Lamp', quantity: 1, price: '40.00' }]);
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, 'cust-b', 'customer');
  await first.goto(`orders/${orderId}`);
  const second = await context.newPage();
  // The second tab's live feed is down (a proxy without WebSockets): it keeps showing what it loaded.
  await second.routeWebSocket(/\/api\/events\/live/, () => {});
  await signIn(second, 'cust-b', 'customer');
  await second.goto(`orders/${orderId}`);
  await expect(second.getByLabel('Quantity of Lamp')).toHaveValue('1');

  await first.getByLabel('Quantity of Lamp').fill('3');
  await first.getByRole('button', { name: 'Update' }).click();
  await expect(first.getByText('version 1')).toBeVisible();

  await second.getByLabel('Quantity of Lamp').fill('5');
  await second.getByRole('button', { name: 'Update' }).click();
  await expect(second.getByRole('alert')).toContainText('This order changed since you loaded it');
  await expect(second.getByLabel('Quantity of Lamp')).toHaveValue('3');
  await expect(second.getByText('version 1')).toBeVisible();
  await shot(second, 'conflict');
});

test("a customer cannot see another customer's order", async ({ page }) => {
  const orderId = await placeOrder('cust-owner', [{ id: 'p-9', name: 'Secret', quantity: 1, price: '9.99' }]);
  await signIn(page, 'cust-other', 'customer');
  await expect(page.getByRole('heading', { name: 'My orders' })).toBeVisible();
  await expect(page.getByText(orderId)).toHaveCount(0);
  await page.goto(`orders/${orderId}`);
  await expect(page.getByRole('alert')).toContainText('does not exist');
  await expect(page.getByText('Secret')).toHaveCount(0);
  const direct = await fetch(`${API}/api/orders/${orderId}/events`, {
    headers: { Authorization: `Bearer ${await token('cust-other', 'customer')}` },
  });
  expect(direct.status).toBe(404);
});

test('a dead letter is shown with its event and error, and replayed once the cause is fixed', async ({ page }) => {
  await sql("ALTER TABLE eventstore.order_summaries_v1 ADD CONSTRAINT e2e_no_poison CHECK (customer_id <> 'poison-e2e')");
  const orderId = await placeOrder('poison-e2e', [{ id: 'p-0', name: 'Poison', quantity: 1, price: '1.00' }]);
  await signIn(page, 'ops-2', 'admin');
  await page.getByRole('link', { name: 'Projections' }).click();
  await expect(page.getByTestId('pending')).toHaveText('1');
  const row = page.locator('tr[data-letter-id]').filter({ hasText: orderId });
  await expect(row).toContainText('OrderPlaced');
  await expect(row).toContainText('e2e_no_poison');
  await expect(row.getByTestId('letter-status')).toHaveText('PENDING');
  await shot(page, 'projections-dead-letter');

  await sql('ALTER TABLE eventstore.order_summaries_v1 DROP CONSTRAINT e2e_no_poison');
  await row.getByRole('button', { name: /^Replay dead letter/ }).click();
  await expect(row.getByTestId('letter-status')).toHaveText('REPLAYED');
  await expect(page.getByTestId('pending')).toHaveText('0');

  await page.getByRole('link', { name: 'All orders' }).click();
  await page.getByLabel('Customer').fill('poison-e2e');
  await page.getByRole('button', { name: 'Apply filters' }).click();
  await expect(page.locator(`tr[data-order-id="${orderId}"]`)).toBeVisible();
});

test('the sales report charts what was paid, and every screen passes axe and works from the keyboard',
  async ({ page }) => {
    watch(page);
    await page.goto('./');
    await accessible(page, 'sign-in');
    await shot(page, 'sign-in');
    // Keyboard only: the name field, the role radios, the button.
    await page.getByLabel('Name').focus();
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('ops-3');
    await page.keyboard.press('Tab');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect(page.getByText('Signed in as ops-3 (admin)')).toBeVisible();
    await accessible(page, 'all orders');

    await page.getByRole('link', { name: 'Sales report' }).click();
    const table = page.getByTestId('sales-table');
    await expect(table).toContainText(new Date().toISOString().slice(0, 10));
    await expect(table).toContainText('€30.05');
    await expect(page.getByRole('figure', { name: 'Daily sales in EUR' })).toBeVisible();
    await accessible(page, 'sales report');
    await shot(page, 'sales-report');

    await page.getByRole('link', { name: 'Projections' }).click();
    await expect(page.getByTestId('state')).toBeVisible();
    await accessible(page, 'projections');

    await page.getByRole('link', { name: 'All orders' }).click();
    await page.locator('tr[data-order-id] a').first().click();
    await accessible(page, 'order');
    await page.getByRole('tab', { name: /History/ }).click();
    await accessible(page, 'history');
    await page.getByRole('tab', { name: 'Time travel' }).click();
    await accessible(page, 'time travel');

    const customer = await (await page.context().browser()!.newContext()).newPage();
    await signIn(customer, 'cust-a', 'customer');
    await accessible(customer, 'my orders');
    await customer.getByRole('link', { name: 'New order' }).click();
    await customer.getByRole('button', { name: 'Place order' }).click();
    await expect(customer.getByText('is required').first()).toBeVisible();
    await accessible(customer, 'new order with errors');
  });

test('an operator forgets a customer, hides and restores an order, and reads it all in the audit trail',
  async ({ page }) => {
    const customer = 'gdpr-e2e';
    const created = await fetch(`${API}/api/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${await token(customer, 'customer')}` },
      body: JSON.stringify({ customerId: customer, items: [{ productId: 'p-9', productName: 'Gizmo', quantity: 1,
        price: '9.99' }], customer: { name: 'Grace Hopper', email: 'grace@example.org' } }),
    });
    expect(created.status).toBe(201);
    const orderId = ((await created.json()) as { id: string }).id;
    const admin = await token('ops-gdpr', 'admin');
    const order = async () => fetch(`${API}/api/orders/${orderId}`, { headers: { Authorization: `Bearer ${admin}` } });
    expect(await (await order()).text()).toContain('Grace Hopper');

    await signIn(page, 'ops-gdpr', 'admin');
    await page.getByRole('link', { name: 'Compliance' }).click();
    await expect(page.getByRole('heading', { name: 'Compliance', level: 1 })).toBeVisible();
    await accessible(page, 'compliance');

    const forget = page.getByRole('article', { name: 'Forget a customer' });
    await forget.getByLabel('Customer id').fill(customer);
    await forget.getByLabel('Reason').fill('GDPR request 812');
    await forget.getByRole('button', { name: 'Forget…' }).click();
    await forget.getByRole('button', { name: `Forget ${customer}` }).click();
    await expect(forget.getByRole('status')).toContainText('1 key(s) destroyed, 1 order(s)');
    expect(await (await order()).text()).not.toContain('Grace Hopper');
    await forget.getByLabel('Reason').fill('GDPR request 812, again');
    await forget.getByRole('button', { name: 'Forget…' }).click();
    await forget.getByRole('button', { name: `Forget ${customer}` }).click();
    await expect(forget.getByRole('alert')).toContainText('already forgotten');

    const orders = page.getByRole('article', { name: 'Hide, restore or delete an order' });
    await orders.getByLabel('Order id').fill(orderId);
    await orders.getByLabel('Reason').fill('chargeback review');
    await orders.getByRole('button', { name: 'Hide (soft delete)' }).click();
    await expect(orders.getByRole('status')).toContainText(`done for order ${orderId}`);
    expect((await order()).status).toBe(410);
    await orders.getByLabel('Action').selectOption('restore');
    await orders.getByLabel('Reason').fill('review closed');
    await orders.getByRole('button', { name: 'Restore' }).click();
    await expect(orders.getByRole('status')).toContainText('Restore: done');
    expect((await order()).status).toBe(200);

    const audit = page.getByTestId('audit');
    await expect(audit.locator('tbody tr')).toHaveCount(3);
    await expect(audit.locator('tbody tr').nth(0)).toContainText('stream.restore');
    await expect(audit.locator('tbody tr').nth(2)).toContainText('personal-data.forget');
    await expect(audit).toContainText('GDPR request 812');
    await expect(audit).not.toContainText('Grace');
    await accessible(page, 'compliance with results');
    await shot(page, 'compliance');
  });
