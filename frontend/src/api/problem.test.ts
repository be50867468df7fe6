import { describe, expect, it } from 'vitest';
import { ApiError, describe as explain, fieldErrors } from './problem';

describe('problems', () => {
  it('maps field paths of a 422 to form paths, first message per field', () => {
    expect(fieldErrors({ title: 'Unprocessable Content', status: 422, detail: 'x', errors: [
      { field: 'items[1].quantity', message: 'must be at least 1' },
      { field: 'items[1].quantity', message: 'second' },
      { field: 'currency', message: 'is not a currency' },
    ] })).toEqual({ 'items.1.quantity': 'must be at least 1', currency: 'is not a currency' });
    expect(fieldErrors(undefined)).toEqual({});
  });

  it('tells a person what a conflict means, and uses the server detail otherwise', () => {
    const stale = new ApiError(412, { title: 'Precondition Failed', status: 412, detail: 'now at version 3' }, 'HTTP 412');
    expect(stale.isConflict).toBe(true);
    expect(explain(stale)).toContain('changed since you loaded it');
    expect(explain(new ApiError(422, { title: 'U', status: 422, detail: 'the request breaks a rule' }, 'HTTP 422')))
      .toBe('the request breaks a rule');
    expect(explain(new ApiError(500, undefined, 'HTTP 500 Server Error'))).toBe('HTTP 500 Server Error');
  });
});
