import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.gen';
import { ApiError, type Problem } from './problem';
import { claims, load, save, type StoredSession } from '../auth/tokens';

export type Api = ReturnType<typeof createClient<paths>>;

type Listener = (session: StoredSession | null) => void;

/** Routes that start a session: no bearer token to renew first. */
const SESSIONLESS = new Set(['/api/sessions', '/api/sessions/dev', '/api/sessions/refresh']);

/**
 * The typed API client (types generated from the server's OpenAPI document) and the tab's session: the bearer token
 * goes on every request, the access token is renewed with the refresh token shortly before it expires (one refresh
 * at a time: a refresh token used twice ends the session), and a 401 signs the tab out.
 */
export class Client {
  readonly api: Api;
  private session: StoredSession | null = load();
  private refreshing: Promise<void> | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(readonly baseUrl: string) {
    this.api = createClient<paths>({ baseUrl });
    this.api.use(this.middleware());
    this.guardAgainstCopies();
  }

  /**
   * A duplicated tab starts with a copy of this tab's session storage, refresh token included; two tabs refreshing
   * one token would end the session for both (the server treats the second use as theft). The copy finds out at
   * start (another tab answers for the session id) and starts signed out instead.
   */
  private guardAgainstCopies(): void {
    if (typeof BroadcastChannel === 'undefined') return;
    const channel = new BroadcastChannel('eventfold-sessions');
    const started = this.session?.sessionId;
    channel.onmessage = (message: MessageEvent<{ kind: string; sessionId: string }>) => {
      const { kind, sessionId } = message.data;
      if (kind === 'who-holds' && sessionId === this.session?.sessionId) {
        channel.postMessage({ kind: 'held', sessionId });
      } else if (kind === 'held' && sessionId === started && this.session?.sessionId === started) {
        this.set(null);
      }
    };
    if (started) channel.postMessage({ kind: 'who-holds', sessionId: started });
  }

  current(): StoredSession | null {
    return this.session;
  }

  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Keeps a session the server issued (sign-in or refresh). */
  adopt(issued: { accessToken: string; refreshToken: string; sessionId: string }): StoredSession {
    const { subject, role, expiresAt } = claims(issued.accessToken);
    const session: StoredSession = { ...issued, subject, role, expiresAt };
    this.set(session);
    return session;
  }

  set(session: StoredSession | null): void {
    this.session = session;
    save(session);
    this.listeners.forEach((listener) => listener(session));
  }

  /** A fresh access token (renewed first if it is about to expire), for the WebSocket's query. */
  async accessToken(): Promise<string | null> {
    await this.renewIfDue();
    return this.session?.accessToken ?? null;
  }

  private middleware(): Middleware {
    return {
      onRequest: async ({ request, schemaPath }) => {
        // Starting a session needs no renewal; ending one does (DELETE /api/sessions/current needs a live token).
        if (!SESSIONLESS.has(schemaPath)) await this.renewIfDue();
        if (this.session && !request.headers.has('Authorization')) {
          request.headers.set('Authorization', `Bearer ${this.session.accessToken}`);
        }
        return request;
      },
      onResponse: ({ request, response, schemaPath }) => {
        // Only if the request carried the session this tab holds now (not one replaced meanwhile by a new sign-in).
        const sent = request.headers.get('Authorization');
        if (response.status === 401 && this.session && !SESSIONLESS.has(schemaPath)
          && sent === `Bearer ${this.session.accessToken}`) {
          this.set(null);
        }
        return response;
      },
    };
  }

  private async renewIfDue(): Promise<void> {
    const session = this.session;
    if (!session || session.expiresAt - Date.now() > 30_000) return;
    this.refreshing ??= this.refresh(session).finally(() => {
      this.refreshing = null;
    });
    await this.refreshing;
  }

  private async refresh(session: StoredSession): Promise<void> {
    let response: Response;
    try {
      response = await fetch(`${this.baseUrl}/api/sessions/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refreshToken: session.refreshToken }),
      });
    } catch {
      return; // offline: the request goes out with the old token and the next one tries again
    }
    if (this.session?.sessionId !== session.sessionId) return; // signed out or in again meanwhile
    if (response.status === 400 || response.status === 401 || response.status === 422) {
      this.set(null); // the refresh token is spent, expired or revoked: the session is over
    } else if (response.ok) {
      this.adopt((await response.json()) as { accessToken: string; refreshToken: string; sessionId: string });
    }
    // 429 and 5xx: nothing was consumed; the next request tries again.
  }
}

/** An openapi-fetch answer: its data, or an {@link ApiError} with the problem the server sent. */
export async function call<T>(
  pending: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<{ data: T; response: Response }> {
  const { data, error, response } = await pending;
  if (!response.ok || error !== undefined) {
    const problem = typeof error === 'object' && error !== null && 'status' in error ? (error as Problem) : undefined;
    throw new ApiError(response.status, problem, `HTTP ${response.status} ${response.statusText}`);
  }
  return { data: data as T, response };
}

/** The order version an ETag carries (`"3"` → 3). */
export function versionOf(response: Response): number | undefined {
  const match = /"(-?\d+)"/.exec(response.headers.get('ETag') ?? '');
  return match?.[1] !== undefined ? Number(match[1]) : undefined;
}
