import type { SsoConfig } from '../config';
import { importEsm } from '../lib/esm';
import type { SsoClaims } from './service';

type OpenIdClient = typeof import('openid-client');
type Configuration = import('openid-client').Configuration;

/** Where the provider sends the person back (registered with the provider as the redirect URI). */
export const CALLBACK_PATH = '/login/oidc/callback';

/** What one sign-in at the provider is checked against when the person comes back. */
export interface SsoChecks {
  state: string;
  nonce: string;
  codeVerifier: string;
  /** Step-up: the provider must have authenticated the person at most this many seconds ago. */
  maxAge: number | null;
}

/** The provider said no, or could not be reached: the sign-in page says so (never a 500). */
export class SsoProviderError extends Error {
  constructor(
    /** What went wrong, as a code for the log: the provider's `error`, or what failed to verify. */
    readonly code: string,
    /** True when the answer was there but could not be verified (nonce, issuer, state, signature, PKCE). */
    readonly unverified: boolean,
  ) {
    super(`single sign-on failed: ${code}`);
    this.name = 'SsoProviderError';
  }
}

/**
 * The identity provider, through openid-client 6 (ESM-only: loaded with a real import() on first
 * use, src/lib/esm.ts). Its metadata comes from discovery at first use and is kept; a failed
 * discovery is tried again at the next sign-in. Plain HTTP is accepted only for a loopback issuer
 * (config.ts refuses any other).
 */
export class SsoProvider {
  private configuration: Promise<Configuration> | null = null;

  constructor(
    private readonly sso: SsoConfig,
    private readonly redirectUri: string,
  ) {}

  private async client(): Promise<OpenIdClient> {
    return importEsm<OpenIdClient>('openid-client');
  }

  private async discovered(): Promise<{ client: OpenIdClient; configuration: Configuration }> {
    const client = await this.client();
    this.configuration ??= client
      .discovery(new URL(this.sso.issuer), this.sso.clientId, this.sso.clientSecret, undefined, {
        timeout: 10,
        ...(new URL(this.sso.issuer).protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
      })
      .catch((error: unknown) => {
        this.configuration = null;
        throw error;
      });
    try {
      return { client, configuration: await this.configuration };
    } catch (error) {
      throw new SsoProviderError(`discovery: ${describe(error)}`, false);
    }
  }

  /** A new sign-in: the checks to keep (in the person's browser) and the provider's address to send them to. */
  async start(maxAge: number | null): Promise<{ checks: SsoChecks; url: URL }> {
    const { client, configuration } = await this.discovered();
    const checks: SsoChecks = {
      state: client.randomState(),
      nonce: client.randomNonce(),
      codeVerifier: client.randomPKCECodeVerifier(),
      maxAge,
    };
    const parameters: Record<string, string> = {
      redirect_uri: this.redirectUri,
      scope: 'openid email profile',
      code_challenge: await client.calculatePKCECodeChallenge(checks.codeVerifier),
      code_challenge_method: 'S256',
      state: checks.state,
      nonce: checks.nonce,
    };
    // max_age=0 asks the provider to authenticate the person again, whatever session it has.
    if (maxAge !== null) parameters.max_age = String(maxAge);
    return { checks, url: client.buildAuthorizationUrl(configuration, parameters) };
  }

  /**
   * The provider's answer (the query of the callback) checked and exchanged: state, issuer (the
   * `iss` parameter and the ID token's), PKCE, nonce, signature and, for a step-up, auth_time. The
   * verified ID token's claims.
   */
  async finish(query: string, checks: SsoChecks): Promise<SsoClaims> {
    const { client, configuration } = await this.discovered();
    const currentUrl = new URL(this.redirectUri);
    currentUrl.search = query;
    try {
      const tokens = await client.authorizationCodeGrant(configuration, currentUrl, {
        expectedState: checks.state,
        expectedNonce: checks.nonce,
        pkceCodeVerifier: checks.codeVerifier,
        idTokenExpected: true,
        ...(checks.maxAge === null ? {} : { maxAge: checks.maxAge }),
      });
      const claims = tokens.claims();
      if (!claims) throw new SsoProviderError('no ID token', true);
      return claims;
    } catch (error) {
      if (error instanceof SsoProviderError) throw error;
      if (error instanceof client.AuthorizationResponseError || error instanceof client.ResponseBodyError) {
        throw new SsoProviderError(error.error, false);
      }
      // openid-client's own checks (state, iss, nonce, signature, auth_time) throw its ClientError.
      const unverified = error instanceof Error && 'code' in error && String(error.code).startsWith('OAUTH_');
      throw new SsoProviderError(describe(error), unverified);
    }
  }
}

function describe(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = 'code' in error ? `${String(error.code)}: ` : '';
  // openid-client wraps the check that failed (`unexpected ID Token "nonce" claim value`) in a general message.
  const cause = error.cause instanceof Error && error.cause.message !== error.message ? ` (${error.cause.message})` : '';
  return `${code}${error.message}${cause}`.slice(0, 300);
}
