// Signing in to the app under test the way a browser does: GET /login for its form token (in the
// form and in a cookie; no session exists before sign-in), POST /login, keep the session cookie. The app runs with NODE_ENV=production, so its
// cookies are Secure: it sets them only on a request that arrived over HTTPS, which behind a
// reverse proxy means X-Forwarded-Proto: https from a trusted (here: loopback) proxy. The bench
// sends that header on every request and carries the cookie itself.

export const PROXY_HEADERS = { 'x-forwarded-proto': 'https' } as const;

export interface SignedInSession {
  email: string;
  /** The Cookie header value: "inbeeld.sid=…". */
  cookie: string;
  /** A CSRF token of this session, for POSTs. */
  csrfToken: string;
}

/** The name=value part of each Set-Cookie header of a response. */
function cookiesOf(response: Response): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const header of response.headers.getSetCookie()) {
    const pair = header.split(';')[0]!;
    const equals = pair.indexOf('=');
    if (equals > 0) cookies.set(pair.slice(0, equals).trim(), pair.slice(equals + 1).trim());
  }
  return cookies;
}

export function hiddenField(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

export async function request(
  baseUrl: string,
  path: string,
  init: { method?: string; cookie?: string; form?: Record<string, string>; timeoutMs?: number } = {},
): Promise<Response> {
  const headers: Record<string, string> = { ...PROXY_HEADERS, accept: 'text/html' };
  if (init.cookie) headers.cookie = init.cookie;
  let body: string | undefined;
  if (init.form) {
    headers['content-type'] = 'application/x-www-form-urlencoded';
    body = new URLSearchParams(init.form).toString();
  }
  return fetch(baseUrl + path, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    headers,
    body,
    redirect: 'manual',
    signal: AbortSignal.timeout(init.timeoutMs ?? 60_000),
  });
}

/** Signs in with a real POST /login and returns the session, or throws saying what went wrong. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<SignedInSession> {
  const loginPage = await request(baseUrl, '/login');
  const formToken = cookiesOf(loginPage).get('inbeeld.form');
  const loginHtml = await loginPage.text();
  const loginCsrf = hiddenField(loginHtml, '_csrf');
  if (loginPage.status !== 200 || !formToken || !loginCsrf) {
    throw new Error(
      `GET /login answered ${loginPage.status}${formToken ? '' : ' without a form cookie'}${loginCsrf ? '' : ' without a CSRF token'} ` +
        '(are TRUST_PROXY and X-Forwarded-Proto passed, so production sets its Secure cookie?)',
    );
  }
  const answer = await request(baseUrl, '/login', {
    cookie: `inbeeld.form=${formToken}`,
    form: { _csrf: loginCsrf, email, password, next: '' },
  });
  await answer.arrayBuffer();
  const session = cookiesOf(answer).get('inbeeld.sid');
  if (answer.status !== 303 || !session) {
    throw new Error(`signing in as ${email} answered ${answer.status} (expected 303 with a new session cookie)`);
  }
  const cookie = `inbeeld.sid=${session}`;
  // Signed in, forms carry the session's own CSRF token, not the sign-in form's.
  const account = await request(baseUrl, '/account', { cookie });
  const accountHtml = await account.text();
  const csrfToken = hiddenField(accountHtml, '_csrf');
  if (account.status !== 200 || !csrfToken) {
    throw new Error(
      `after signing in as ${email}, GET /account answered ${account.status}${csrfToken ? '' : ' without a CSRF token'}`,
    );
  }
  return { email, cookie, csrfToken };
}
