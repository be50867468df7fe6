import type { components } from './schema.gen';

export type Problem = components['schemas']['Problem'];

/** An error answer of the API, with its problem+json body (RFC 9457) when the server sent one. */
export class ApiError extends Error {
  readonly status: number;
  readonly problem: Problem | undefined;

  constructor(status: number, problem: Problem | undefined, fallback: string) {
    super(problem?.detail || problem?.title || fallback);
    this.name = 'ApiError';
    this.status = status;
    this.problem = problem;
  }

  /** The order changed since the caller read it (a stale If-Match, or a concurrent writer). */
  get isConflict(): boolean {
    return this.status === 409 || this.status === 412;
  }
}

/** Turns a problem's `errors` (field paths like `items[1].quantity`) into form paths (`items.1.quantity`). */
export function fieldErrors(problem: Problem | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const error of problem?.errors ?? []) {
    if (!error.field || !error.message) continue;
    const path = error.field.replace(/\[(\d+)\]/g, '.$1');
    result[path] ??= error.message;
  }
  return result;
}

/** One sentence for a person: what went wrong and, where it helps, what to do. */
export function describe(error: unknown): string {
  if (error instanceof ApiError) {
    if (error.isConflict) {
      return 'This order changed since you loaded it. The current state is shown; check it and try again.';
    }
    if (error.status === 401) return 'Your session has ended. Please sign in again.';
    if (error.status === 403) return error.problem?.detail ?? 'You are not allowed to do this.';
    if (error.status === 429) return 'Too many requests. Wait a moment and try again.';
    return error.message;
  }
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
