import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Pager } from './Pager';

describe('Pager', () => {
  it('disables the way back on the first page and the way on without a next cursor', () => {
    const onNext = vi.fn();
    const { rerender } = render(<Pager page={0} hasNext onFirst={vi.fn()} onPrevious={vi.fn()} onNext={onNext} />);
    expect(screen.getByRole('button', { name: 'Previous page' })).toHaveProperty('disabled', true);
    fireEvent.click(screen.getByRole('button', { name: 'Next page' }));
    expect(onNext).toHaveBeenCalledOnce();
    rerender(<Pager page={2} hasNext={false} onFirst={vi.fn()} onPrevious={vi.fn()} onNext={onNext} />);
    expect(screen.getByRole('button', { name: 'Next page' })).toHaveProperty('disabled', true);
    expect(screen.getByText('Page 3')).toBeTruthy();
  });
});
