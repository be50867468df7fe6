import { useState, type FormEvent } from 'react';
import { call } from '../api/client';
import { describe } from '../api/problem';
import { useConsole } from '../auth/SessionContext';

/**
 * Sign-in: with an access token from the identity provider (exchanged for a server session), or, in the embedded dev
 * mode only, the dev sign-in that starts a customer or admin session for any name.
 */
export function SignIn() {
  const { client, config } = useConsole();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [subject, setSubject] = useState('customer-1');
  const [role, setRole] = useState<'customer' | 'admin'>('customer');
  const [token, setToken] = useState('');

  const run = async (action: () => Promise<void>) => {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };

  const dev = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { data } = await call(client.api.POST('/api/sessions/dev', { body: { subject, role } }));
      client.adopt(data);
    });
  };

  const withToken = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const { data } = await call(
        client.api.POST('/api/sessions', { headers: { Authorization: `Bearer ${token.trim()}` } }),
      );
      client.adopt(data);
    });
  };

  return (
    <main id="main" className="page narrow">
      <h1>Eventfold order console</h1>
      {error && <p role="alert" className="error">{error}</p>}
      {config.devSignIn && (
        <form onSubmit={dev} className="card" aria-labelledby="dev-title">
          <h2 id="dev-title">Dev sign-in</h2>
          <p className="hint">The server runs in single-node dev mode: pick any name and a role.</p>
          <label>
            Name
            <input value={subject} onChange={(e) => setSubject(e.target.value)} required maxLength={100}
              pattern="[A-Za-z0-9._@\-]+" autoComplete="username" />
          </label>
          <fieldset>
            <legend>Role</legend>
            <label className="inline">
              <input type="radio" name="role" value="customer" checked={role === 'customer'}
                onChange={() => setRole('customer')} /> Customer
            </label>
            <label className="inline">
              <input type="radio" name="role" value="admin" checked={role === 'admin'}
                onChange={() => setRole('admin')} /> Operator (admin)
            </label>
          </fieldset>
          <button type="submit" disabled={busy}>Sign in</button>
        </form>
      )}
      <form onSubmit={withToken} className="card" aria-labelledby="token-title">
        <h2 id="token-title">Sign in with an access token</h2>
        <p className="hint">Paste a token from your identity provider (or from <code>reference-server.jar token</code>).</p>
        <label>
          Access token
          <textarea value={token} onChange={(e) => setToken(e.target.value)} required rows={3} spellCheck={false} />
        </label>
        <button type="submit" disabled={busy}>Start session</button>
      </form>
    </main>
  );
}
