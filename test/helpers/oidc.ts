import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type AddressInfo } from 'node:net';
import path from 'node:path';

/** One person at the test provider: their subject (`sub`) and the claims of their ID token. */
export type ProviderAccounts = Record<string, { email?: string; name?: string; roles?: string[]; preferred_username?: string }>;

export interface TestOidcProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The app's OIDC_* variables for this provider. */
  env: Record<string, string>;
  /** A browser of its own at the provider (its cookies: the provider's session). */
  browser(): ProviderBrowser;
  close(): Promise<void>;
}

export const TEST_CLIENT_ID = 'inbeeld-test';
export const TEST_CLIENT_SECRET = 'inbeeld-test-client-secret-0123456789';

/** A free loopback port (the provider must know its issuer, and so its port, before it listens). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/**
 * Starts test/helpers/oidc-provider.mjs (a real oidc-provider) in a child process on a free
 * loopback port, with a client for the app at `redirectUris` and these accounts.
 */
export async function startOidcProvider(options: {
  redirectUris: string[];
  accounts: ProviderAccounts;
  port?: number;
}): Promise<TestOidcProvider> {
  const port = options.port ?? (await freePort());
  const issuer = `http://127.0.0.1:${port}`;
  const child = spawn(process.execPath, [path.join(__dirname, 'oidc-provider.mjs')], {
    env: {
      PATH: process.env.PATH,
      OIDC_PORT: String(port),
      OIDC_ISSUER: issuer,
      OIDC_CLIENT_ID: TEST_CLIENT_ID,
      OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET,
      OIDC_REDIRECT_URIS: options.redirectUris.join(','),
      OIDC_ACCOUNTS: JSON.stringify(options.accounts),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  await whenReady(child);
  return {
    issuer,
    clientId: TEST_CLIENT_ID,
    clientSecret: TEST_CLIENT_SECRET,
    env: { OIDC_ISSUER: issuer, OIDC_CLIENT_ID: TEST_CLIENT_ID, OIDC_CLIENT_SECRET: TEST_CLIENT_SECRET },
    browser: () => new ProviderBrowser(options.redirectUris),
    close: () => stop(child),
  };
}

function whenReady(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`the test OpenID provider did not start:\n${errors}`)), 15_000);
    child.stderr!.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the test OpenID provider exited with ${code}:\n${errors}`));
    });
  });
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/**
 * A person's browser at the provider, driven over HTTP: follows the provider's redirects, fills
 * its sign-in form with a login, and stops where the provider sends the person back to the app.
 */
export class ProviderBrowser {
  private readonly cookies = new Map<string, string>();
  /** How often the provider asked this browser to sign in (once per session, and again for max_age=0). */
  logins = 0;

  constructor(private readonly redirectUris: string[]) {}

  private cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  private keep(response: Response): void {
    for (const line of response.headers.getSetCookie()) {
      const [pair = ''] = line.split(';');
      const separator = pair.indexOf('=');
      this.cookies.set(pair.slice(0, separator).trim(), pair.slice(separator + 1).trim());
    }
  }

  /** From the provider's authorization URL to the app's callback URL (with code, state and iss), signing in as `login` when asked. */
  async signIn(authorizationUrl: string, login: string): Promise<URL> {
    let url = new URL(authorizationUrl);
    let body: URLSearchParams | undefined;
    for (let step = 0; step < 12; step += 1) {
      const response = await fetch(url, {
        method: body ? 'POST' : 'GET',
        redirect: 'manual',
        headers: { cookie: this.cookieHeader(), ...(body ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        body,
      });
      this.keep(response);
      body = undefined;
      const location = response.headers.get('location');
      if (location) {
        url = new URL(location, url);
        if (this.redirectUris.some((uri) => url.href.startsWith(uri))) return url;
        continue;
      }
      const html = await response.text();
      const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
      if (response.status !== 200 || !action || !html.includes('name="login"')) {
        throw new Error(`the provider answered ${response.status} at ${url.href}:\n${html.slice(0, 500)}`);
      }
      url = new URL(action, url);
      body = new URLSearchParams({ prompt: 'login', login, password: 'any' });
      this.logins += 1;
    }
    throw new Error('the provider never sent the person back');
  }
}
