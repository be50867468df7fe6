/** The status each event type moves an order to; item changes keep the status. */
const STATUS_OF: Record<string, string> = {
  OrderPlaced: 'PENDING',
  OrderConfirmed: 'CONFIRMED',
  OrderPaid: 'PAID',
  OrderShipped: 'SHIPPED',
  OrderDelivered: 'DELIVERED',
  OrderCancelled: 'CANCELLED',
};

export interface Step {
  status: string;
  at: string;
  version: number;
  by: string | null | undefined;
}

/** The order's status timeline from its events: one step per status change, in order. */
export function timeline(events: { type: string; recordedAt: string; version: number; userId?: string | null }[]): Step[] {
  const steps: Step[] = [];
  for (const event of events) {
    const status = STATUS_OF[event.type];
    if (status && steps[steps.length - 1]?.status !== status) {
      steps.push({ status, at: event.recordedAt, version: event.version, by: event.userId });
    }
  }
  return steps;
}

/** Which actions a person can take on an order in `status`; the server enforces the same rules. */
export function actionsFor(status: string, admin: boolean): string[] {
  switch (status) {
    case 'PENDING':
      return ['confirm', 'cancel'];
    case 'CONFIRMED':
      return ['pay', 'cancel'];
    case 'PAID':
      return admin ? ['ship', 'cancel'] : ['cancel'];
    case 'SHIPPED':
      return admin ? ['deliver'] : [];
    default:
      return [];
  }
}

/** Merges live events into the known ones: by version, without duplicates, oldest first. */
export function merge<T extends { version: number }>(known: T[], incoming: T[]): T[] {
  const byVersion = new Map<number, T>();
  for (const event of [...known, ...incoming]) {
    if (!byVersion.has(event.version)) byVersion.set(event.version, event);
  }
  return [...byVersion.values()].sort((a, b) => a.version - b.version);
}
