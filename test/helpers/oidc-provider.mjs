// A real OpenID Connect provider (oidc-provider 9) for the single sign-on tests, run in a child
// process by test/helpers/oidc.ts (oidc-provider is ESM-only, and a child process keeps it out of
// Jest's module sandbox). It serves on loopback over plain HTTP, with one client for the app and the
// accounts it is given; its sign-in page is oidc-provider's development form (any password), which
// accepts only those accounts. Consent is taken as given for the app's client, as an organisation's
// provider does for its own applications.
//
// Environment: OIDC_PORT, OIDC_ISSUER, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET, OIDC_REDIRECT_URIS
// (comma-separated), OIDC_ACCOUNTS (JSON: { "<sub>": { email, name, roles, … } }).
// Prints "ready" on stdout once it listens.
import Provider from 'oidc-provider';

const env = process.env;
const accounts = JSON.parse(env.OIDC_ACCOUNTS ?? '{}');
const clientId = env.OIDC_CLIENT_ID;

const provider = new Provider(env.OIDC_ISSUER, {
  clients: [
    {
      client_id: clientId,
      client_secret: env.OIDC_CLIENT_SECRET,
      redirect_uris: env.OIDC_REDIRECT_URIS.split(','),
      grant_types: ['authorization_code'],
      response_types: ['code'],
      token_endpoint_auth_method: 'client_secret_basic',
    },
  ],
  async findAccount(_ctx, sub) {
    const account = accounts[sub];
    if (!account) return undefined;
    return { accountId: sub, claims: async () => ({ sub, ...account }) };
  },
  // Like Entra ID: the person's name, email and roles in the ID token itself, no email_verified.
  claims: {
    openid: ['sub'],
    email: ['email'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username', 'roles', 'groups'],
  },
  conformIdTokenClaims: false,
  features: { devInteractions: { enabled: true } },
  async loadExistingGrant(ctx) {
    const grantId = ctx.oidc.result?.consent?.grantId || ctx.oidc.session.grantIdFor(ctx.oidc.client.clientId);
    if (grantId) return ctx.oidc.provider.Grant.find(grantId);
    const grant = new ctx.oidc.provider.Grant({ clientId: ctx.oidc.client.clientId, accountId: ctx.oidc.session.accountId });
    grant.addOIDCScope('openid email profile');
    grant.addOIDCClaims(['email', 'name', 'roles', 'groups']);
    await grant.save();
    return grant;
  },
  cookies: { keys: ['inbeeld-test-provider-cookie-key'] },
  ttl: { Session: 3600, Interaction: 600, Grant: 3600, AuthorizationCode: 60, AccessToken: 600, IdToken: 600 },
});

provider.listen(Number(env.OIDC_PORT), '127.0.0.1', () => {
  process.stdout.write('ready\n');
});
