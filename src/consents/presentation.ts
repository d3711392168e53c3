/** Each field's label, for the forms and their error summary. */
export const FIELD_LABELS: Record<string, string> = {
  purpose: 'consents.fields.purpose',
  givenOn: 'consents.fields.givenOn',
  note: 'consents.fields.note',
  withdrawnOn: 'consents.fields.withdrawnOn',
};

/** The consent section of the participant's profile. */
export function profileConsents(participantId: number): string {
  return `/participants/${participantId}#consents`;
}
