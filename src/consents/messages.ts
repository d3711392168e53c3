import type { MessageShape } from '../platform/i18n';

// UI text of the participant's consents (gathered into the catalog by src/messages.ts).

export const nl = {
  purposes: {
    quality_review: 'Kwaliteitsreview van gesprekken',
    report_sharing: 'Rapportages delen met de opdrachtgever',
    employer_contact: 'Contact met de werkgever',
  },
  fields: {
    purpose: 'Waarvoor',
    givenOn: 'Gegeven op',
    note: 'Notitie',
    withdrawnOn: 'Ingetrokken op',
  },
  section: {
    heading: 'Toestemming',
    intro: 'Waarvoor de deelnemer toestemming gaf. Leg elke toestemming en elke intrekking vast.',
    tableCaption: 'Toestemming per doel',
    status: 'Stand',
    given: 'Gegeven op {{date}} (vastgelegd door {{name}})',
    none: 'Geen toestemming',
    record: 'Toestemming vastleggen',
    recordLabel: 'Toestemming vastleggen voor: {{purpose}}',
    withdraw: 'Intrekken',
    withdrawLabel: 'Toestemming intrekken voor: {{purpose}}',
    historyHeading: 'Eerdere toestemming ({{count}})',
    historyItem: '{{purpose}}: gegeven op {{given}}, ingetrokken op {{withdrawn}}',
  },
  form: {
    title: 'Toestemming vastleggen',
    heading: 'Toestemming van {{name}} vastleggen',
    intro: 'Leg alleen toestemming vast die de deelnemer zelf gaf, mondeling of schriftelijk.',
    choosePurpose: 'Kies waarvoor',
    noteHint: 'Bijvoorbeeld hoe de toestemming is gegeven (getekend formulier, mondeling in gesprek).',
    givenInFuture: 'De datum mag niet in de toekomst liggen.',
    alreadyGiven: 'Voor dit doel is al toestemming vastgelegd. Trek die eerst in als er een nieuwe moet komen.',
    save: 'Vastleggen',
    cancel: 'Annuleren',
  },
  withdraw: {
    title: 'Toestemming intrekken',
    heading: 'Toestemming intrekken: {{purpose}}',
    intro: 'Gegeven op {{date}}. Na het intrekken blijft de toestemming zichtbaar als geschiedenis.',
    confirm: 'Intrekken',
    cancel: 'Niet intrekken',
    inFuture: 'De datum mag niet in de toekomst liggen.',
    beforeGiven: 'De datum van intrekken mag niet vóór de datum liggen waarop de toestemming is gegeven.',
    changed: 'Iemand anders heeft deze toestemming intussen gewijzigd. Controleer en bevestig opnieuw.',
  },
  notices: {
    recorded: 'De toestemming is vastgelegd.',
    withdrawn: 'De toestemming is ingetrokken.',
  },
  reportWarning:
    'Er is geen actuele toestemming van de deelnemer om rapportages te delen met de opdrachtgever. Leg die vast op het profiel voordat je dit rapport deelt.',
  reportWarningLink: 'Naar toestemming op het profiel',
};

export const en: MessageShape<typeof nl> = {
  purposes: {
    quality_review: 'Quality review of conversations',
    report_sharing: 'Sharing reports with the commissioner',
    employer_contact: 'Contacting the employer',
  },
  fields: {
    purpose: 'Purpose',
    givenOn: 'Given on',
    note: 'Note',
    withdrawnOn: 'Withdrawn on',
  },
  section: {
    heading: 'Consent',
    intro: 'What the participant consented to. Record every consent and every withdrawal.',
    tableCaption: 'Consent per purpose',
    status: 'Status',
    given: 'Given on {{date}} (recorded by {{name}})',
    none: 'No consent',
    record: 'Record consent',
    recordLabel: 'Record consent for: {{purpose}}',
    withdraw: 'Withdraw',
    withdrawLabel: 'Withdraw consent for: {{purpose}}',
    historyHeading: 'Earlier consent ({{count}})',
    historyItem: '{{purpose}}: given on {{given}}, withdrawn on {{withdrawn}}',
  },
  form: {
    title: 'Record consent',
    heading: "Record {{name}}'s consent",
    intro: 'Only record consent the participant gave themselves, verbally or in writing.',
    choosePurpose: 'Choose a purpose',
    noteHint: 'For example how it was given (signed form, verbally in a conversation).',
    givenInFuture: 'The date cannot be in the future.',
    alreadyGiven: 'Consent for this purpose is already recorded. Withdraw it first if a new one is needed.',
    save: 'Record',
    cancel: 'Cancel',
  },
  withdraw: {
    title: 'Withdraw consent',
    heading: 'Withdraw consent: {{purpose}}',
    intro: 'Given on {{date}}. After withdrawal the consent stays visible as history.',
    confirm: 'Withdraw',
    cancel: 'Do not withdraw',
    inFuture: 'The date cannot be in the future.',
    beforeGiven: 'The withdrawal date cannot be before the day the consent was given.',
    changed: 'Someone else changed this consent meanwhile. Check and confirm again.',
  },
  notices: {
    recorded: 'The consent was recorded.',
    withdrawn: 'The consent was withdrawn.',
  },
  reportWarning:
    'There is no current consent from the participant to share reports with the commissioner. Record it on the profile before you share this report.',
  reportWarningLink: 'To consent on the profile',
};
