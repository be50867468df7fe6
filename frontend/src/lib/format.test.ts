import { describe, expect, it } from 'vitest';
import { money, total } from './format';

describe('total', () => {
  it('adds quantity × price exactly, as decimal strings', () => {
    expect(total([{ quantity: 3, price: '0.10' }, { quantity: 1, price: '0.20' }])).toBe('0.50');
    expect(total([{ quantity: 2, price: '12.50' }, { quantity: 1, price: '5.05' }])).toBe('30.05');
    expect(total([{ quantity: 10000, price: '99999999.99' }])).toBe('999999999900.00');
  });

  it('reads missing or malformed prices and quantities as zero instead of NaN', () => {
    expect(total([{ quantity: 2, price: '' }, { quantity: 'x', price: '3.00' }, { quantity: 1, price: '1.5' }]))
      .toBe('1.50');
    expect(total([])).toBe('0.00');
  });

  it('keeps only the currency digits of a longer fraction (the server refuses those anyway)', () => {
    expect(total([{ quantity: 1, price: '1.239' }])).toBe('1.23');
  });
});

describe('money', () => {
  it('formats with the currency and shows a dash for nothing', () => {
    expect(money('30.05', 'EUR')).toBe('€30.05');
    expect(money(undefined, 'EUR')).toBe('—');
    expect(money('1.00', 'XXX')).toContain('1.00');
  });
});
