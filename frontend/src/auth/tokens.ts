/** A server session as the console keeps it (per tab, in sessionStorage). */
export interface StoredSession {
  accessToken: string;
  refreshToken: string;
  sessionId: string;
  subject: string;
  role: 'customer' | 'admin';
  expiresAt: number;
}

const KEY = 'eventfold.session';

/** Reads the subject and role from an access token's claims (display only; the server verifies it). */
export function claims(token: string): { subject: string; role: 'customer' | 'admin'; expiresAt: number } {
  const part = token.split('.')[1];
  if (!part) throw new Error('not a JWT');
  // base64url of UTF-8 (a subject may hold any character): atob gives bytes, TextDecoder the text.
  const bytes = Uint8Array.from(atob(part.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const json = JSON.parse(new TextDecoder().decode(bytes)) as Record<string, unknown>;
  const role = json.role === 'admin' ? 'admin' : 'customer';
  if (typeof json.sub !== 'string') throw new Error('the token has no subject');
  return { subject: json.sub, role, expiresAt: typeof json.exp === 'number' ? json.exp * 1000 : 0 };
}

export function save(session: StoredSession | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session));
  else sessionStorage.removeItem(KEY);
}

export function load(): StoredSession | null {
  const raw = sessionStorage.getItem(KEY);
  if (!raw) return null;
  try {
    return JSON.parse(raw) as StoredSession;
  } catch {
    return null;
  }
}
