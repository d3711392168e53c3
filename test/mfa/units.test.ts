import { parseConfig, ConfigError } from '../../src/config';
import { needsStepUp, get, post } from '../../src/web/routes';
import { secondFactorIsRecent, stepUpTargetFor } from '../../src/mfa/step-up';
import {
  groupedKey,
  hashRecoveryCode,
  newRecoveryCodes,
  newTotpSecret,
  normaliseRecoveryCode,
  normaliseTotpCode,
  totpCodeAt,
  totpStepOf,
  totpUri,
} from '../../src/mfa/totp';

// The second factor's pure parts: the TOTP arithmetic (RFC 6238 test vector, drift), recovery codes,
// MFA_REQUIRED_ROLES and STEP_UP_MINUTES, and which routes ask for step-up.

const at = (iso: string) => new Date(iso);

describe('TOTP', () => {
  // RFC 6238 appendix B, SHA-1, T = 59 s: 94287082, whose last six digits an app shows.
  const RFC_SECRET = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ'; // "12345678901234567890" in base32
  it('computes the RFC 6238 test vector', () => {
    expect(totpCodeAt(RFC_SECRET, new Date(59_000))).toBe('287082');
  });

  it('accepts one step either side of now, and names the step the code belongs to', () => {
    const now = at('2026-11-23T09:00:10Z');
    const step = Math.floor(now.getTime() / 30_000);
    expect(totpStepOf(RFC_SECRET, totpCodeAt(RFC_SECRET, now), now)).toBe(step);
    expect(totpStepOf(RFC_SECRET, totpCodeAt(RFC_SECRET, new Date(now.getTime() - 30_000)), now)).toBe(step - 1);
    expect(totpStepOf(RFC_SECRET, totpCodeAt(RFC_SECRET, new Date(now.getTime() + 30_000)), now)).toBe(step + 1);
    expect(totpStepOf(RFC_SECRET, totpCodeAt(RFC_SECRET, new Date(now.getTime() - 60_000)), now)).toBeNull();
    expect(totpStepOf(RFC_SECRET, totpCodeAt(RFC_SECRET, new Date(now.getTime() + 60_000)), now)).toBeNull();
  });

  it('makes 160-bit secrets, an otpauth URI for the QR code, and the key in groups of four', () => {
    const secret = newTotpSecret();
    expect(secret).toMatch(/^[A-Z2-7]{32}$/);
    expect(newTotpSecret()).not.toBe(secret);
    const uri = totpUri(secret, 'Werkpunt <Noord>', 'a@example.org');
    expect(uri).toMatch(/^otpauth:\/\/totp\//);
    expect(uri).toContain(`secret=${secret}`);
    expect(uri).toContain('issuer=Werkpunt%20%3CNoord%3E');
    expect(groupedKey('ABCDEFGHIJ')).toBe('ABCD EFGH IJ');
  });

  it('reads six digits (spaces ignored) as a code, nothing else', () => {
    expect(normaliseTotpCode(' 123 456 ')).toBe('123456');
    for (const input of ['12345', '1234567', 'abcdef', '12345a', '']) expect(normaliseTotpCode(input)).toBeNull();
  });
});

describe('recovery codes', () => {
  it('are ten different codes of two groups of five, without look-alike characters', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) expect(code).toMatch(/^[a-hjkmnp-z2-9]{5}-[a-hjkmnp-z2-9]{5}$/);
  });

  it('are read whatever the case, dashes and spaces, and hashed the same', () => {
    const [code] = newRecoveryCodes();
    const typed = ` ${code!.toUpperCase().replace('-', ' - ')} `;
    expect(normaliseRecoveryCode(typed)).toBe(code!.replace('-', ''));
    expect(hashRecoveryCode(normaliseRecoveryCode(typed)!)).toBe(hashRecoveryCode(normaliseRecoveryCode(code!)!));
    expect(hashRecoveryCode('abcdefghjk')).toMatch(/^[0-9a-f]{64}$/);
    for (const input of ['abcde-fghj', 'abcd0-efghj', 'abcdefghjkm', '']) expect(normaliseRecoveryCode(input)).toBeNull();
  });
});

describe('configuration', () => {
  const base = { NODE_ENV: 'test' };
  it('MFA_REQUIRED_ROLES: manager and admin by default, empty for nobody, a list of roles', () => {
    expect(parseConfig(base).mfa.requiredRoles).toEqual(['manager', 'admin']);
    expect(parseConfig({ ...base, MFA_REQUIRED_ROLES: '' }).mfa.requiredRoles).toEqual([]);
    expect(parseConfig({ ...base, MFA_REQUIRED_ROLES: ' coach , admin,coach' }).mfa.requiredRoles).toEqual(['coach', 'admin']);
    expect(() => parseConfig({ ...base, MFA_REQUIRED_ROLES: 'admin,boss' })).toThrow(ConfigError);
  });

  it('STEP_UP_MINUTES: 60 by default, a whole number of minutes', () => {
    expect(parseConfig(base).mfa.stepUpMinutes).toBe(60);
    expect(parseConfig({ ...base, STEP_UP_MINUTES: '15' }).mfa.stepUpMinutes).toBe(15);
    expect(() => parseConfig({ ...base, STEP_UP_MINUTES: '0' })).toThrow(ConfigError);
  });
});

describe('step-up', () => {
  const handler = () => undefined;
  it('is on for routes that ask for it and every POST under /admin/, not for reading there', () => {
    expect(needsStepUp(get('/reports/export', ['manager'], handler, { stepUp: true }))).toBe(true);
    expect(needsStepUp(post('/admin/teams', ['admin'], handler))).toBe(true);
    expect(needsStepUp(get('/admin/teams', ['admin'], handler))).toBe(false);
    expect(needsStepUp(post('/admin/teams', ['admin'], handler, { stepUp: false }))).toBe(false);
    expect(needsStepUp(post('/participants', ['coach'], handler))).toBe(false);
  });

  it('counts the second factor as recent for STEP_UP_MINUTES, and sends a local sign-in to /login/step-up', () => {
    const session = { secondFactorAt: 1_000_000 } as Parameters<typeof secondFactorIsRecent>[0];
    expect(secondFactorIsRecent(session, 1_000_000 + 60 * 60_000, 60)).toBe(true);
    expect(secondFactorIsRecent(session, 1_000_001 + 60 * 60_000, 60)).toBe(false);
    expect(secondFactorIsRecent({} as typeof session, 1_000_000, 60)).toBe(false);
    expect(stepUpTargetFor(session, '/reports/export?a=1&b=2')).toBe('/login/step-up?next=%2Freports%2Fexport%3Fa%3D1%26b%3D2');
  });
});
