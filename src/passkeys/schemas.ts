import { z } from 'zod';

const base64url = (max: number) =>
  z
    .string()
    .min(1)
    .max(max)
    .regex(/^[A-Za-z0-9_-]+$/);
const TRANSPORTS = ['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb'] as const;

/** What the browser script sends of `navigator.credentials.create()` (WebAuthn's RegistrationResponseJSON). */
export const RegistrationCredential = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url(10_000),
    attestationObject: base64url(20_000),
    // Unknown transports (a newer browser's) are dropped, not refused.
    transports: z
      .array(z.string().max(20))
      .max(10)
      .optional()
      .transform((list) =>
        (list ?? []).filter((t): t is (typeof TRANSPORTS)[number] => (TRANSPORTS as readonly string[]).includes(t)),
      ),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.object({}).passthrough().default({}),
});
export type RegistrationCredential = z.infer<typeof RegistrationCredential>;

/** What the browser script sends of `navigator.credentials.get()` (WebAuthn's AuthenticationResponseJSON). */
export const AssertionCredential = z.object({
  id: base64url(1400),
  rawId: base64url(1400),
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: base64url(10_000),
    authenticatorData: base64url(10_000),
    signature: base64url(2_000),
    userHandle: base64url(200).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.object({}).passthrough().default({}),
});
export type AssertionCredential = z.infer<typeof AssertionCredential>;

/** The credential field of a form: the script's JSON, which a person without JavaScript cannot fill in. */
const credentialField = z.string().min(1, 'passkeys.validation.noCredential').max(40_000, 'passkeys.validation.noCredential');

const passkeyName = z.string().trim().min(1, 'validation.required').max(100, 'validation.tooLong');

export const PasskeyRegistrationForm = z.object({ name: passkeyName, credential: credentialField });
export type PasskeyRegistrationForm = z.infer<typeof PasskeyRegistrationForm>;

export const PasskeyRenameForm = z.object({ name: passkeyName });
export type PasskeyRenameForm = z.infer<typeof PasskeyRenameForm>;

export const PasskeyAssertionForm = z.object({ credential: credentialField, next: z.string().optional() });
export type PasskeyAssertionForm = z.infer<typeof PasskeyAssertionForm>;

export const PasskeyIdParam = z.object({ passkeyId: z.coerce.number().int().positive().max(2_147_483_647) });

/** Parses the credential JSON against a shape; undefined for anything else. */
export function parseCredential<T>(shape: z.ZodType<T, z.ZodTypeDef, unknown>, json: string): T | undefined {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return undefined;
  }
  const parsed = shape.safeParse(value);
  return parsed.success ? parsed.data : undefined;
}
