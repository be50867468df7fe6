import { describe, expect, it } from 'vitest';
import { orderSchema, toCreateOrder } from './orderForm';

const line = { productId: 'p-1', productName: 'Widget', quantity: '2', price: '19.90' };

describe('the order form', () => {
  it('turns valid input into the API body, keeping the price an exact decimal string', () => {
    const parsed = orderSchema.parse({ currency: 'EUR', items: [line] });
    expect(toCreateOrder('cust-1', parsed)).toEqual({
      customerId: 'cust-1', currency: 'EUR',
      items: [{ productId: 'p-1', productName: 'Widget', quantity: 2, price: '19.90' }],
    });
  });

  it.each([
    [{ quantity: '0' }, 'items.0.quantity', 'must be at least 1'],
    [{ quantity: '1.5' }, 'items.0.quantity', 'must be a whole number'],
    [{ price: '19.999' }, 'items.0.price', 'must be an amount like 19.90'],
    [{ price: '0' }, 'items.0.price', 'must be above 0'],
    [{ productId: '  ' }, 'items.0.productId', 'is required'],
  ])('refuses %o at %s', (change, path, message) => {
    const result = orderSchema.safeParse({ currency: 'EUR', items: [{ ...line, ...change }] });
    expect(result.success).toBe(false);
    const issue = result.error!.issues.find((i) => i.path.join('.') === path);
    expect(issue?.message).toBe(message);
  });

  it('refuses an empty order and a product listed twice', () => {
    expect(orderSchema.safeParse({ currency: 'EUR', items: [] }).error?.issues[0]?.message)
      .toBe('an order needs at least one item');
    expect(orderSchema.safeParse({ currency: 'EUR', items: [line, line] }).error?.issues[0]?.message)
      .toContain('each product may appear once');
  });
});
