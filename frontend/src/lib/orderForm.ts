import { z } from 'zod';

// No code generation: zod's compiled parsers probe with `new Function`, which the console's CSP forbids (and
// Chromium reports as a violation on every page).
z.config({ jitless: true });

const PRICE = /^\d{1,10}(\.\d{1,2})?$/;

/** One order line as the form holds it; price stays a decimal string so nothing is rounded on the way. */
export const itemSchema = z.object({
  productId: z.string().trim().min(1, 'is required').max(100, 'is at most 100 characters'),
  productName: z.string().trim().min(1, 'is required').max(200, 'is at most 200 characters'),
  quantity: z.coerce.number<string | number>().int('must be a whole number').min(1, 'must be at least 1')
    .max(10_000, 'must be at most 10,000'),
  price: z.string().trim().regex(PRICE, 'must be an amount like 19.90').refine((v) => Number(v) > 0, 'must be above 0'),
});

export const orderSchema = z.object({
  currency: z.enum(['EUR', 'USD', 'GBP', 'CHF', 'SEK']),
  items: z.array(itemSchema).min(1, 'an order needs at least one item').max(100, 'at most 100 items')
    .refine((items) => new Set(items.map((i) => i.productId.trim())).size === items.length,
      'each product may appear once; change its quantity instead'),
});

export type OrderForm = z.input<typeof orderSchema>;
export type Item = z.output<typeof itemSchema>;

export const emptyItem: OrderForm['items'][number] = { productId: '', productName: '', quantity: 1, price: '' };

/** The body of POST /api/orders for a valid form. */
export function toCreateOrder(customerId: string, form: z.output<typeof orderSchema>) {
  return {
    customerId,
    currency: form.currency,
    items: form.items.map((item) => ({
      productId: item.productId,
      productName: item.productName,
      quantity: item.quantity,
      price: item.price,
    })),
  };
}
