import QRCode from 'qrcode';
import type { Services } from '../services';
import type { Viewer } from '../lib/viewer';
import type { PasskeysSection } from '../passkeys/service';
import { hasSecondFactor, secondFactorRequired, type SecondFactors } from './service';
import { groupedKey, totpUri } from './totp';

/** The factors a page offers at the second step or step-up (the passkeys branch adds its button when `passkeys` > 0). */
export interface FactorsView {
  totp: boolean;
  passkeys: number;
  /** Whether the person has any factor to give. */
  any: boolean;
}

export function factorsView(factors: SecondFactors): FactorsView {
  return { ...factors, any: hasSecondFactor(factors) };
}

/** An authenticator app being set up: the QR code (an SVG as a data: image, which the CSP allows), the key in text. */
export interface EnrolmentView {
  qrImage: string;
  key: string;
  /** Where the confirming code is posted. */
  action: string;
}

export async function enrolmentView(
  { config }: Pick<Services, 'config'>,
  email: string,
  secret: string,
  action: string,
): Promise<EnrolmentView> {
  // The issuer is what the app lists the account under: the organisation's name, so several
  // InBeeld installations are told apart in one app.
  const uri = totpUri(secret, config.organisationName, email);
  const svg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { qrImage: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`, key: groupedKey(secret), action };
}

export const SECURITY_NOTICES = {
  enrolled: 'mfa.security.enrolled',
  disabled: 'mfa.security.disabled',
  disableRefused: 'mfa.security.disableRefused',
  factorReset: 'mfa.security.factorReset',
  // The passkeys section's (src/passkeys).
  passkeyAdded: 'passkeys.added',
  passkeyRenamed: 'passkeys.renamed',
  passkeyRemoved: 'passkeys.removed',
  passkeyGone: 'passkeys.gone',
  passkeyRequired: 'passkeys.required',
} as const;

/**
 * The model of /account/security (views/mfa/security.ejs): one section per kind of factor. The
 * passkeys branch fills `passkeys` with its section's model, and the page then includes
 * views/mfa/_passkeys.ejs with it; null leaves the section out.
 */
export interface SecurityPage {
  /** The person's role requires a second factor (MFA_REQUIRED_ROLES). */
  required: boolean;
  totp: { confirmedAt: Date } | null;
  recoveryCodesLeft: number;
  /** Whether recovery codes mean anything: the person has some second factor. */
  hasFactor: boolean;
  /** The passkeys section (src/passkeys). */
  passkeys: PasskeysSection;
}

export async function securityPageOf({ mfa, config, passkeys }: Services, viewer: Viewer): Promise<SecurityPage> {
  // The overview and the passkey list already say which factors there are: no secondFactorsOf here.
  const [overview, passkeysSection] = await Promise.all([
    mfa.securityOverview(viewer.userId),
    passkeys.passkeysSection(viewer.userId),
  ]);
  return {
    required: secondFactorRequired(config.mfa.requiredRoles, viewer.role),
    totp: overview.totp,
    recoveryCodesLeft: overview.recoveryCodesLeft,
    hasFactor: overview.totp !== null || passkeysSection.rows.length > 0,
    passkeys: passkeysSection,
  };
}
