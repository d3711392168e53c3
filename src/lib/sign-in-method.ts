/**
 * The ways a sign-in can end: the password alone, or the second step that completed it (an
 * authenticator code, a recovery code, a passkey), or single sign-on (OpenID Connect).
 */
export const SIGN_IN_METHODS = ['password', 'totp', 'recovery', 'passkey', 'oidc'] as const;
export type SignInMethod = (typeof SIGN_IN_METHODS)[number];
