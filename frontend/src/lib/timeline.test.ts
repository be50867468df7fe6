import { describe, expect, it } from 'vitest';
import { utcInstant } from '../pages/order/TimeTravel';
import { actionsFor, merge, timeline } from './timeline';

const at = (version: number, type: string, userId?: string) =>
  ({ version, type, recordedAt: `2026-12-01T10:0${version}:00Z`, userId });

describe('timeline', () => {
  it('has one step per status change; item changes do not add steps', () => {
    const steps = timeline([at(0, 'OrderPlaced', 'c'), at(1, 'ItemAdded', 'c'), at(2, 'OrderConfirmed', 'c'),
      at(3, 'OrderPaid', 'c'), at(4, 'OrderShipped', 'ops')]);
    expect(steps.map((s) => s.status)).toEqual(['PENDING', 'CONFIRMED', 'PAID', 'SHIPPED']);
    expect(steps[3]).toMatchObject({ version: 4, by: 'ops' });
  });
});

describe('actionsFor', () => {
  it('offers shipping and delivery to operators only', () => {
    expect(actionsFor('PAID', false)).toEqual(['cancel']);
    expect(actionsFor('PAID', true)).toEqual(['ship', 'cancel']);
    expect(actionsFor('SHIPPED', false)).toEqual([]);
    expect(actionsFor('SHIPPED', true)).toEqual(['deliver']);
    expect(actionsFor('DELIVERED', true)).toEqual([]);
  });
});

describe('merge', () => {
  it('keeps one event per version, the first seen, in version order', () => {
    const merged = merge([{ version: 0, from: 'rest' }, { version: 1, from: 'rest' }],
      [{ version: 1, from: 'live' }, { version: 2, from: 'live' }]);
    expect(merged).toEqual([{ version: 0, from: 'rest' }, { version: 1, from: 'rest' }, { version: 2, from: 'live' }]);
  });
});

describe('utcInstant', () => {
  it('reads a datetime-local value as UTC, with or without seconds, and refuses a partial one', () => {
    expect(utcInstant('2026-12-01T10:05')).toBe('2026-12-01T10:05:00.000Z');
    expect(utcInstant('2026-12-01T10:05:07')).toBe('2026-12-01T10:05:07.000Z');
    expect(utcInstant('2026-12-01')).toBeNull();
    expect(utcInstant('')).toBeNull();
    expect(utcInstant('2026-13-45T10:05')).toBeNull();
  });
});
