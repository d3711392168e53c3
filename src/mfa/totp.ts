import { createHash, randomInt } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

// The authenticator app's arithmetic (RFC 6238), with `otpauth`: a small, dependency-free library
// that is kept up to date, ships CommonJS and its own types, implements HOTP/TOTP exactly as the RFC
// (SHA-1, 6 digits, 30 s, which every authenticator app reads) and builds the otpauth:// URI the QR
// code carries. It answers a code's step offset within a window, which is what replay refusal needs.

export const TOTP_PERIOD_SECONDS = 30;
/** Codes one step before or after now are accepted: a phone clock up to ~30 s off still works. */
export const TOTP_DRIFT_STEPS = 1;

/** A new secret: 160 random bits (RFC 4226's recommended length), as base32 for the app. */
export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpOf(secret: string, issuer = 'InBeeld', label = 'InBeeld'): TOTP {
  return new TOTP({
    issuer,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(secret),
  });
}

/** The otpauth:// address an authenticator app reads from the QR code. */
export function totpUri(secret: string, issuer: string, account: string): string {
  return totpOf(secret, issuer, account).toString();
}

/** The key as people type it: groups of four. */
export function groupedKey(secret: string): string {
  return secret.replace(/(.{4})/g, '$1 ').trim();
}

/** The code of `at` (tests and the demo). */
export function totpCodeAt(secret: string, at: Date): string {
  return totpOf(secret).generate({ timestamp: at.getTime() });
}

/** Only six digits can be a code; spaces people type between groups are ignored. */
export function normaliseTotpCode(input: string): string | null {
  const code = input.replace(/\s+/g, '');
  return /^\d{6}$/.test(code) ? code : null;
}

/** The step a code belongs to when it is right at `at` (within the drift), else null. */
export function totpStepOf(secret: string, code: string, at: Date): number | null {
  const totp = totpOf(secret);
  const delta = totp.validate({ token: code, timestamp: at.getTime(), window: TOTP_DRIFT_STEPS });
  if (delta === null) return null;
  return totp.counter({ timestamp: at.getTime() }) + delta;
}

// Recovery codes: ten of 10 characters each from an alphabet without look-alikes (no 0/o, 1/l/i),
// shown as two groups of five. 31^10 ≈ 2^49.5: a hash without salt or stretching is enough, as
// nobody can try them all (and wrong ones are throttled like codes).
export const RECOVERY_CODE_COUNT = 10;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
const RECOVERY_LENGTH = 10;

export function newRecoveryCodes(): string[] {
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const chars = Array.from({ length: RECOVERY_LENGTH }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]!);
    return `${chars.slice(0, 5).join('')}-${chars.slice(5).join('')}`;
  });
}

/** A recovery code as stored: lower case, without the dash and spaces; null when it cannot be one. */
export function normaliseRecoveryCode(input: string): string | null {
  const code = input.toLowerCase().replace(/[\s-]+/g, '');
  return code.length === RECOVERY_LENGTH && [...code].every((char) => RECOVERY_ALPHABET.includes(char)) ? code : null;
}

export function hashRecoveryCode(normalised: string): string {
  return createHash('sha256').update(`inbeeld recovery code\n${normalised}`).digest('hex');
}
