import { useEffect, useRef, useState } from 'react';
import { useConsole } from '../auth/SessionContext';
import { webSocketBase } from '../config';

/** A message of the server's live feed (/api/events/live). */
export interface LiveEvent {
  position: string;
  orderId: string;
  version: number;
  type: string;
  recordedAt: string;
  data: Record<string, unknown>;
}

export type LiveState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * Follows the live feed: catch-up from `after` (a log position), then live; reconnects with back-off and resumes
 * after the last position it saw, so nothing is missed or repeated across a reconnect.
 */
export function useLiveEvents(options: { orderId?: string; after?: string; enabled: boolean },
  onEvent: (event: LiveEvent) => void): LiveState {
  const { client, config } = useConsole();
  const [state, setState] = useState<LiveState>('connecting');
  const handler = useRef(onEvent);
  handler.current = onEvent;
  const { orderId, after, enabled } = options;

  useEffect(() => {
    if (!enabled) return;
    let socket: WebSocket | null = null;
    let stopped = false;
    let last = after;
    let delay = 500;
    let timer: ReturnType<typeof setTimeout> | undefined;

    const connect = async () => {
      const token = await client.accessToken();
      if (stopped || !token) return;
      const query = new URLSearchParams({ token });
      if (orderId) query.set('orderId', orderId);
      if (last) query.set('after', last);
      socket = new WebSocket(`${webSocketBase(config)}/api/events/live?${query}`);
      let opened = 0;
      socket.onopen = () => {
        opened = Date.now();
        setState('live');
      };
      socket.onmessage = (message) => {
        const event = JSON.parse(String(message.data)) as LiveEvent;
        last = event.position;
        delay = 500; // a feed that delivers is healthy: the back-off starts over
        handler.current(event);
      };
      socket.onclose = (close) => {
        if (stopped) return;
        if (close.code === 4401) {
          client.set(null); // the token is no longer accepted: the session is over
          return;
        }
        // 4403/4400: retrying cannot help. 4429 (too many connections of this user, e.g. many tabs) backs off below.
        if (close.code >= 4400 && close.code < 4500 && close.code !== 4429) {
          setState('closed');
          return;
        }
        // A server that accepts and then closes (1013/4429, too many connections) must not be retried every 500 ms.
        if (opened && Date.now() - opened > 5_000) delay = 500;
        setState('reconnecting');
        timer = setTimeout(() => void connect(), delay + Math.random() * delay * 0.3);
        delay = Math.min(delay * 2, 30_000);
      };
    };
    setState('connecting');
    void connect();
    return () => {
      stopped = true;
      clearTimeout(timer);
      socket?.close(1000);
    };
  }, [client, config, orderId, after, enabled]);
  return state;
}
