import { createContext, useContext, useEffect, useState, type ReactNode } from 'react';
import type { Client } from '../api/client';
import type { ConsoleConfig } from '../config';
import type { StoredSession } from './tokens';

interface Console {
  client: Client;
  config: ConsoleConfig;
  session: StoredSession | null;
}

const ConsoleContext = createContext<Console | null>(null);

export function ConsoleProvider({ client, config, children }: { client: Client; config: ConsoleConfig; children: ReactNode }) {
  const [session, setSession] = useState(client.current());
  useEffect(() => client.subscribe(setSession), [client]);
  return <ConsoleContext.Provider value={{ client, config, session }}>{children}</ConsoleContext.Provider>;
}

export function useConsole(): Console {
  const value = useContext(ConsoleContext);
  if (!value) throw new Error('useConsole outside ConsoleProvider');
  return value;
}

/** The signed-in session; the routes that use it are only rendered with one. */
export function useSession(): StoredSession {
  const { session } = useConsole();
  if (!session) throw new Error('not signed in');
  return session;
}
