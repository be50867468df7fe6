import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { BrowserRouter } from 'react-router-dom';
import { App } from './App';
import { Client } from './api/client';
import { ApiError } from './api/problem';
import { ConsoleProvider } from './auth/SessionContext';
import { loadConfig } from './config';
import './styles.css';

const root = createRoot(document.getElementById('root')!);

loadConfig()
  .then((config) => {
    const client = new Client(config.apiUrl);
    const queries = new QueryClient({
      defaultOptions: {
        // A 4xx answer will not change on a retry; a network error or a 5xx may.
        queries: { retry: (count, error) => count < 1 && !(error instanceof ApiError && error.status < 500),
          refetchOnWindowFocus: true, staleTime: 2_000 },
      },
    });
    // Whatever ended the session (sign-out, a 401, a spent refresh token), the next person sees none of its data.
    client.subscribe((session) => {
      if (!session) queries.clear();
    });
    root.render(
      <StrictMode>
        <QueryClientProvider client={queries}>
          <ConsoleProvider client={client} config={config}>
            <BrowserRouter basename="/console">
              <App />
            </BrowserRouter>
          </ConsoleProvider>
        </QueryClientProvider>
      </StrictMode>,
    );
  })
  .catch((error: unknown) => {
    root.render(
      <main className="page">
        <h1>The console could not start</h1>
        <p role="alert">{error instanceof Error ? error.message : String(error)}</p>
      </main>,
    );
  });
