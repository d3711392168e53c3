import type { MessageShape, MessageVariant } from '../platform/i18n';

// UI text of the commissioners feature (gathered into the catalog by src/messages.ts).

export const nl = {
  kinds: { uwv: 'UWV', municipality: 'Gemeente', ocmw: 'OCMW', vdab: 'VDAB', other: 'Anders' },
  fields: {
    name: 'Naam',
    kind: 'Soort',
    status: 'Status',
    trajectories: 'Trajecten',
    openTrajectories: 'Waarvan lopend',
  },
  list: {
    title: 'Opdrachtgevers',
    heading: 'Opdrachtgevers',
    intro:
      'Opdrachtgevers financieren de trajecten van deelnemers. Alleen actieve opdrachtgevers kun je kiezen bij een nieuw traject.',
    new: 'Nieuwe opdrachtgever',
    empty:
      'Er zijn nog geen opdrachtgevers. Voeg er een toe, bijvoorbeeld UWV of de gemeente, zodat coaches trajecten kunnen vastleggen.',
    count_one: '{{count}} opdrachtgever',
    count_other: '{{count}} opdrachtgevers',
    active: 'Actief',
    inactive: 'Inactief',
    actions: 'Acties',
    edit: 'Wijzigen',
    deactivate: 'Op inactief zetten',
    reactivate: 'Weer activeren',
    created: 'De opdrachtgever is opgeslagen.',
    updated: 'De wijzigingen zijn opgeslagen.',
    deactivated: 'De opdrachtgever staat op inactief. Lopende trajecten houden deze opdrachtgever.',
    reactivated: 'De opdrachtgever is weer actief.',
  },
  form: {
    createTitle: 'Nieuwe opdrachtgever',
    editTitle: 'Opdrachtgever wijzigen',
    nameHint: 'Zoals de opdrachtgever in rapportages moet heten, bijvoorbeeld "UWV Utrecht" of "Gemeente Amersfoort".',
    chooseKind: 'Kies een soort',
    nameTaken: 'Er is al een opdrachtgever met deze naam.',
    create: 'Opdrachtgever opslaan',
    save: 'Wijzigingen opslaan',
    cancel: 'Annuleren',
    back: 'Terug naar opdrachtgevers',
  },
  deactivate: {
    title: 'Opdrachtgever op inactief zetten',
    heading: '{{name}} op inactief zetten',
    explain:
      'Een inactieve opdrachtgever kun je niet meer kiezen bij een nieuw traject. Bestaande trajecten houden deze opdrachtgever, ook in rapportages. Je kunt de opdrachtgever later weer activeren.',
    inUse_one: 'Deze opdrachtgever heeft {{count}} traject.',
    inUse_other: 'Deze opdrachtgever heeft {{count}} trajecten.',
    confirm: 'Ja, op inactief zetten',
  },
};

export const en: MessageShape<typeof nl> = {
  kinds: { uwv: 'UWV', municipality: 'Municipality', ocmw: 'OCMW', vdab: 'VDAB', other: 'Other' },
  fields: {
    name: 'Name',
    kind: 'Kind',
    status: 'Status',
    trajectories: 'Trajectories',
    openTrajectories: 'Of which open',
  },
  list: {
    title: 'Commissioners',
    heading: 'Commissioners',
    intro: 'Commissioners fund the trajectories of participants. Only active commissioners can be chosen for a new trajectory.',
    new: 'New commissioner',
    empty: 'There are no commissioners yet. Add one, for example UWV or the municipality, so coaches can record trajectories.',
    count_one: '{{count}} commissioner',
    count_other: '{{count}} commissioners',
    active: 'Active',
    inactive: 'Inactive',
    actions: 'Actions',
    edit: 'Edit',
    deactivate: 'Deactivate',
    reactivate: 'Reactivate',
    created: 'The commissioner has been saved.',
    updated: 'Your changes have been saved.',
    deactivated: 'The commissioner is now inactive. Existing trajectories keep this commissioner.',
    reactivated: 'The commissioner is active again.',
  },
  form: {
    createTitle: 'New commissioner',
    editTitle: 'Edit commissioner',
    nameHint: 'As the commissioner should be named in reports, for example "UWV Utrecht" or "Municipality of Amersfoort".',
    chooseKind: 'Choose a kind',
    nameTaken: 'There already is a commissioner with this name.',
    create: 'Save commissioner',
    save: 'Save changes',
    cancel: 'Cancel',
    back: 'Back to commissioners',
  },
  deactivate: {
    title: 'Deactivate commissioner',
    heading: 'Deactivate {{name}}',
    explain:
      'An inactive commissioner can no longer be chosen for a new trajectory. Existing trajectories keep this commissioner, in reports too. You can reactivate the commissioner later.',
    inUse_one: 'This commissioner has {{count}} trajectory.',
    inUse_other: 'This commissioner has {{count}} trajectories.',
    confirm: 'Yes, deactivate',
  },
};

/** Flemish: only what differs from nl. */
export const nlBE: MessageVariant<typeof nl> = {
  list: {
    empty:
      'Er zijn nog geen opdrachtgevers. Voeg er een toe, bijvoorbeeld VDAB of het OCMW, zodat begeleiders trajecten kunnen vastleggen.',
  },
  form: { nameHint: 'Zoals de opdrachtgever in rapportages moet heten, bijvoorbeeld "VDAB Gent" of "OCMW Gent".' },
};
