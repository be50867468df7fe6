import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema.gen';
import { ApiError, type Problem } from './problem';
import { claims, load, save, type StoredSession } from '../auth/tokens';

export type Api = ReturnType<typeof createClient<paths>>;

type Listener = (session: StoredSession | null) => void;

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
        if (!schemaPath.startsWith('/api/sessions')) await this.renewIfDue();
        if (this.session && !request.headers.has('Authorization')) {
          request.headers.set('Authorization', `Bearer ${this.session.accessToken}`);
        }
        return request;
      },
      onResponse: ({ response, schemaPath }) => {
        if (response.status === 401 && this.session && !schemaPath.startsWith('/api/sessions/refresh')) {
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
    const response = await fetch(`${this.baseUrl}/api/sessions/refresh`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ refreshToken: session.refreshToken }),
    });
    if (!response.ok) {
      this.set(null);
      return;
    }
    this.adopt((await response.json()) as { accessToken: string; refreshToken: string; sessionId: string });
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
