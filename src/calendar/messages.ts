import type { MessageShape } from '../platform/i18n';

// UI text of the calendar feed: its section on /account, its pages, and the feed itself (the
// catalog's `calendar`).

export const nl = {
  section: {
    heading: 'Agenda-koppeling',
    intro:
      'Zet je geplande contacten van de komende 30 dagen in je eigen agenda (Outlook, Google Agenda, Apple Agenda). Je agenda haalt ze op via een persoonlijk, geheim adres. Er staat alleen een voornaam, de eerste letter van de achternaam, de tijd en een link naar InBeeld in; geen samenvattingen.',
    noCaseload: 'Je hebt zelf geen deelnemers, dus je agenda blijft leeg zolang dat zo is.',
    none: 'Je hebt nog geen agenda-adres.',
    create: 'Agenda-adres maken',
    createdAt: 'Gemaakt op {{date}}',
    lastUsedAt: 'Laatst opgehaald door een agenda: {{date}}',
    neverUsed: 'Nog door geen agenda opgehaald.',
    lost: 'Het adres wordt maar één keer getoond. Kwijt? Maak een nieuw adres; het oude werkt dan niet meer.',
    regenerate: 'Nieuw adres maken',
    revoke: 'Adres intrekken',
    revoked: 'Je agenda-adres is ingetrokken. Agenda’s krijgen er geen afspraken meer mee.',
    nothingToRevoke: 'Je had geen agenda-adres meer.',
  },
  created: {
    title: 'Je agenda-adres',
    heading: 'Je agenda-adres',
    replaced: 'Je oude adres werkt niet meer. Zet dit nieuwe adres in je agenda in plaats van het oude.',
    showOnce:
      'Dit adres wordt maar één keer getoond. Kopieer het nu en voeg het in je agenda toe als agenda van internet (abonneren).',
    label: 'Adres van je agenda',
    openInApp: 'Openen in je agenda-app',
    howTo: 'Zo voeg je het toe',
    howToOutlook: 'Outlook: Agenda toevoegen → Van internet → plak het adres.',
    howToGoogle: 'Google Agenda: Andere agenda’s → + → Via URL → plak het adres.',
    howToApple: 'Apple Agenda: Archief → Nieuw agenda-abonnement → plak het adres.',
    secret:
      'Wie dit adres heeft, ziet je geplande contacten. Deel het met niemand. Denk je dat iemand anders het heeft? Maak dan een nieuw adres of trek het in.',
    back: 'Terug naar mijn account',
  },
  regenerate: {
    title: 'Nieuw agenda-adres maken',
    heading: 'Een nieuw agenda-adres maken?',
    explain:
      'Je huidige adres werkt daarna meteen niet meer: agenda’s die het gebruiken, krijgen geen afspraken meer tot je daar het nieuwe adres invult.',
    confirm: 'Ja, maak een nieuw adres',
  },
  revoke: {
    title: 'Agenda-adres intrekken',
    heading: 'Je agenda-adres intrekken?',
    explain:
      'Het adres werkt daarna meteen niet meer: agenda’s die het gebruiken, krijgen geen afspraken meer. Wat een agenda al had opgehaald, kan daar blijven staan tot je die agenda-koppeling daar verwijdert. Je kunt later een nieuw adres maken.',
    confirm: 'Ja, trek het in',
  },
  feed: {
    name: 'InBeeld: geplande contacten',
    summary: 'Contact met {{name}}',
    summaryStandIn: 'Contact met {{name}} (waarneming)',
    description: 'Openen in InBeeld: {{url}}',
    tooOften: 'Dit agenda-adres is het afgelopen uur te vaak opgehaald. Probeer het later opnieuw.',
  },
};

export const en: MessageShape<typeof nl> = {
  section: {
    heading: 'Calendar feed',
    intro:
      'Put your planned contacts of the next 30 days in your own calendar (Outlook, Google Calendar, Apple Calendar). Your calendar fetches them from a personal, secret address. It holds only a first name, the first letter of the last name, the time and a link to InBeeld; no summaries.',
    noCaseload: 'You have no participants yourself, so your calendar stays empty for as long as that is so.',
    none: 'You have no calendar address yet.',
    create: 'Create a calendar address',
    createdAt: 'Created on {{date}}',
    lastUsedAt: 'Last fetched by a calendar: {{date}}',
    neverUsed: 'Not fetched by any calendar yet.',
    lost: 'The address is shown only once. Lost it? Create a new address; the old one then stops working.',
    regenerate: 'Create a new address',
    revoke: 'Revoke the address',
    revoked: 'Your calendar address has been revoked. Calendars get no more appointments from it.',
    nothingToRevoke: 'You no longer had a calendar address.',
  },
  created: {
    title: 'Your calendar address',
    heading: 'Your calendar address',
    replaced: 'Your old address no longer works. Put this new address in your calendar instead of the old one.',
    showOnce:
      'This address is shown only once. Copy it now and add it to your calendar as a calendar from the internet (subscribe).',
    label: 'Address of your calendar',
    openInApp: 'Open in your calendar app',
    howTo: 'How to add it',
    howToOutlook: 'Outlook: Add calendar → From Internet → paste the address.',
    howToGoogle: 'Google Calendar: Other calendars → + → From URL → paste the address.',
    howToApple: 'Apple Calendar: File → New Calendar Subscription → paste the address.',
    secret:
      'Whoever has this address sees your planned contacts. Share it with no one. Think someone else has it? Then create a new address or revoke it.',
    back: 'Back to my account',
  },
  regenerate: {
    title: 'Create a new calendar address',
    heading: 'Create a new calendar address?',
    explain:
      'Your current address stops working at once: calendars that use it get no more appointments until you enter the new address there.',
    confirm: 'Yes, create a new address',
  },
  revoke: {
    title: 'Revoke calendar address',
    heading: 'Revoke your calendar address?',
    explain:
      'The address stops working at once: calendars that use it get no more appointments. What a calendar had already fetched may stay there until you remove the subscription in that calendar. You can create a new address later.',
    confirm: 'Yes, revoke it',
  },
  feed: {
    name: 'InBeeld: planned contacts',
    summary: 'Contact with {{name}}',
    summaryStandIn: 'Contact with {{name}} (standing in)',
    description: 'Open in InBeeld: {{url}}',
    tooOften: 'This calendar address has been fetched too often in the last hour. Try again later.',
  },
};
