import { useQuery, useQueryClient } from '@tanstack/react-query';
import { call, versionOf, type Client } from '../api/client';
import type { components } from '../api/schema.gen';

export type Order = components['schemas']['Order'];
export type OrderEvent = components['schemas']['Event'];

/** The order now, with the version its ETag names (what If-Match must carry). */
export function useOrder(client: Client, orderId: string) {
  return useQuery({
    queryKey: ['order', orderId],
    queryFn: async () => {
      const { data, response } = await call(client.api.GET('/api/orders/{id}', { params: { path: { id: orderId } } }));
      return { order: data, version: versionOf(response) ?? data.version };
    },
  });
}

/** Every event of the order, oldest first (pages of 1,000 until the server says there are no more). */
export function useOrderEvents(client: Client, orderId: string) {
  return useQuery({
    queryKey: ['order-events', orderId],
    queryFn: async () => {
      const events: OrderEvent[] = [];
      let from: number | null = 0;
      while (from !== null) {
        const { data }: { data: components['schemas']['EventPage'] } = await call(client.api.GET(
          '/api/orders/{id}/events', { params: { path: { id: orderId }, query: { fromVersion: from, limit: 1000 } } }));
        events.push(...data.events);
        from = data.nextFromVersion ?? null;
      }
      return events;
    },
  });
}

export type Command =
  | { kind: 'confirm' | 'deliver' }
  | { kind: 'pay'; amount: string; paymentReference?: string }
  | { kind: 'ship'; carrier: string; trackingNumber: string }
  | { kind: 'cancel'; reason?: string }
  | { kind: 'add'; productId: string; productName: string; quantity: number; price: string }
  | { kind: 'change'; productId: string; quantity: number }
  | { kind: 'remove'; productId: string };

/**
 * Sends a command with If-Match set to the version the person was looking at, so a change made meanwhile (another
 * tab, an operator) is reported as a conflict instead of being overwritten; refreshes the order either way.
 */
export function useSendCommand(client: Client, orderId: string) {
  const queries = useQueryClient();
  return async (command: Command, version: number): Promise<Order> => {
    const header = { 'If-Match': `"${version}"` };
    const path = { id: orderId };
    try {
      const pending = (() => {
        switch (command.kind) {
          case 'add': {
            const { kind: _, ...body } = command;
            return client.api.POST('/api/orders/{id}/items', { params: { path, header }, body });
          }
          case 'change':
            return client.api.PATCH('/api/orders/{id}/items/{productId}', {
              params: { path: { ...path, productId: command.productId }, header }, body: { quantity: command.quantity } });
          case 'remove':
            return client.api.DELETE('/api/orders/{id}/items/{productId}', {
              params: { path: { ...path, productId: command.productId }, header } });
          default: {
            const { kind, ...body } = command;
            return client.api.POST('/api/orders/{id}/{action}', {
              params: { path: { ...path, action: kind }, header },
              body: Object.keys(body).length > 0 ? body : undefined });
          }
        }
      })();
      const { data } = await call<Order>(pending as Promise<{ data?: Order; error?: unknown; response: Response }>);
      return data;
    } finally {
      await Promise.all([
        queries.invalidateQueries({ queryKey: ['order', orderId] }),
        queries.invalidateQueries({ queryKey: ['order-events', orderId] }),
        queries.invalidateQueries({ queryKey: ['orders'] }),
      ]);
    }
  };
}
