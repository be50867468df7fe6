/** Where the API is and what the console may offer; served as config.json next to the console. */
export interface ConsoleConfig {
  /** Base URL of the API ('' for the same origin). The seed's NEXT_PUBLIC_API_URL in the console image. */
  apiUrl: string;
  /** Base URL of the WebSocket feed ('' to derive it from apiUrl). The seed's NEXT_PUBLIC_WS_URL. */
  wsUrl: string;
  /** Whether the server offers the dev sign-in (embedded dev mode only). */
  devSignIn: boolean;
  /** The release shown in the header (the seed's NEXT_PUBLIC_APP_VERSION in the console image). */
  version: string;
}

export async function loadConfig(): Promise<ConsoleConfig> {
  const response = await fetch(`${import.meta.env.BASE_URL}config.json`, { cache: 'no-store' });
  if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
  const body = (await response.json()) as Partial<ConsoleConfig>;
  return { apiUrl: trimSlash(body.apiUrl ?? ''), wsUrl: trimSlash(body.wsUrl ?? ''), devSignIn: body.devSignIn === true,
    version: body.version ?? 'dev' };
}

/** The WebSocket base: wsUrl if set, else apiUrl (or this page's origin) with ws(s). */
export function webSocketBase(config: ConsoleConfig, location: Location = window.location): string {
  if (config.wsUrl) return config.wsUrl;
  const http = config.apiUrl || location.origin;
  return http.replace(/^http/, 'ws');
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
