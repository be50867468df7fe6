/** Money as the API sends it (a decimal string) with its currency, for people. */
export function money(amount: string | number | undefined | null, currency: string): string {
  if (amount === undefined || amount === null || amount === '') return '—';
  const value = typeof amount === 'number' ? amount : Number(amount);
  try {
    return new Intl.NumberFormat('en', { style: 'currency', currency }).format(value);
  } catch {
    return `${amount} ${currency}`;
  }
}

export function dateTime(iso: string | undefined | null): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString('en-GB', { timeZone: 'UTC' }) + ' UTC';
}

/**
 * Exact decimal sum of quantity × price lines (as strings, like the API), in minor units of `digits` places, so the
 * order form never shows 0.30000000000000004.
 */
export function total(lines: { quantity: number | string; price: string }[], digits = 2): string {
  const scale = 10n ** BigInt(digits);
  let sum = 0n;
  for (const line of lines) {
    const quantity = BigInt(Math.trunc(Number(line.quantity) || 0));
    sum += quantity * toMinor(line.price, digits);
  }
  const negative = sum < 0n;
  const abs = negative ? -sum : sum;
  const whole = abs / scale;
  const fraction = (abs % scale).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${whole}${digits > 0 ? '.' + fraction : ''}`;
}

function toMinor(price: string, digits: number): bigint {
  const match = /^\s*(-?)(\d*)(?:\.(\d*))?\s*$/.exec(price ?? '');
  if (!match) return 0n;
  const [, sign, whole = '', fraction = ''] = match;
  const padded = (fraction + '0'.repeat(digits)).slice(0, digits);
  const value = BigInt((whole || '0') + padded);
  return sign === '-' ? -value : value;
}

export const STATUSES = ['PENDING', 'CONFIRMED', 'PAID', 'SHIPPED', 'DELIVERED', 'CANCELLED'] as const;
export type Status = (typeof STATUSES)[number];
