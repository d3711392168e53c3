import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { OwnPasskey } from './service';

/** One row of the person's passkeys: dates in their language and the organisation's zone. */
export interface PasskeyView {
  id: number;
  name: string;
  createdAt: string;
  lastUsedAt: string;
}

export function passkeyView(passkey: OwnPasskey, t: Translate, fmt: Formatters): PasskeyView {
  return {
    id: passkey.id,
    name: passkey.name,
    createdAt: fmt.date(passkey.createdAt),
    lastUsedAt: passkey.lastUsedAt ? fmt.dateTime(passkey.lastUsedAt) : t('passkeys.section.neverUsed'),
  };
}
