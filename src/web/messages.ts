import type { MessageShape, MessageVariant } from '../platform/i18n';

// UI text every page shares: layout, forms, validation, conflicts, error pages (spread into the catalog at the top level by src/messages.ts).

export const nl = {
  layout: {
    skipToContent: 'Naar de inhoud',
    mainNavigation: 'Hoofdmenu',
    language: 'Taal',
    menu: 'Menu',
    logout: 'Afmelden',
    footer: 'Iedere deelnemer in beeld',
  },
  /** Each language by its own name, as a language choice shows it whatever the page's language. */
  languages: { nl: 'Nederlands', 'nl-BE': 'Nederlands (België)', en: 'English' },
  roles: {
    coach: 'Jobcoach',
    manager: 'Teamleider',
    admin: 'Beheerder',
  },
  forms: {
    errorSummary_one: 'Er is {{count}} fout in het formulier',
    errorSummary_other: 'Er zijn {{count}} fouten in het formulier',
    cancel: 'Annuleren',
  },
  pagination: {
    label: 'Paginering',
    status: '{{from}}–{{to}} van {{total}}',
    previous: 'Vorige',
    next: 'Volgende',
    page: 'Pagina {{page}} van {{pages}}',
  },
  validation: {
    required: 'Vul dit veld in.',
    tooLong: 'Dit is te lang.',
    email: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.nl.',
    choice: 'Kies een van de mogelijkheden.',
    passwordTooShort: 'Het wachtwoord moet minstens 12 tekens lang zijn.',
    passwordMismatch: 'De twee nieuwe wachtwoorden zijn niet gelijk.',
    date: 'Vul een datum in als dd-mm-jjjj, bijvoorbeeld 23-11-2026.',
    phone: 'Vul een telefoonnummer in, bijvoorbeeld 06 1234 5678 of +32 470 12 34 56.',
    number: 'Vul een getal in binnen het toegestane bereik.',
    stale: 'Dit formulier is verouderd. Laad de pagina opnieuw.',
    expiredForm: 'Dit formulier is verlopen. Controleer de gegevens en verstuur het opnieuw.',
  },
  conflict: {
    title: 'Iemand anders heeft dit intussen gewijzigd',
    heading: 'Iemand anders heeft dit intussen gewijzigd',
    intro:
      'Terwijl jij dit formulier invulde, heeft iemand anders het opgeslagen. Er is nog niets van jouw wijzigingen opgeslagen. Vergelijk hieronder en kies wat je wilt doen.',
    field: 'Veld',
    current: 'Nu opgeslagen',
    yours: 'Jouw invoer',
    saveMine: 'Mijn invoer toch opslaan',
    differs: 'anders',
    discard: 'Mijn wijzigingen weggooien',
    closeChanged: 'Iemand anders heeft deze deelnemer intussen gewijzigd. Controleer de gegevens en bevestig opnieuw.',
  },
  common: {
    yes: 'Ja',
    no: 'Nee',
    none: '—',
    search: 'Zoeken',
    filter: 'Filteren',
    clearFilters: 'Filters wissen',
    save: 'Opslaan',
    back: 'Terug',
    edit: 'Wijzigen',
    all: 'Alle',
    sortAscending: 'oplopend',
    sortDescending: 'aflopend',
    required: 'verplicht',
    dateHint: 'dd-mm-jjjj',
    timeHint: 'uu:mm',
  },
  errors: {
    home: 'Naar de startpagina',
    notFound: {
      title: 'Pagina niet gevonden',
      body: 'Deze pagina bestaat niet, of je hebt er geen toegang toe.',
    },
    unavailable: {
      title: 'InBeeld is even niet bereikbaar',
      body: 'De database reageert op dit moment niet. Er is niets verloren gegaan; probeer het over een minuut opnieuw.',
    },
    csrf: {
      title: 'Formulier verlopen',
      body: 'Dit formulier is verlopen of niet geldig, bijvoorbeeld omdat je sessie is vernieuwd. Ga terug, laad de pagina opnieuw en probeer het nog eens.',
    },
    insecureTransport: {
      title: 'Aanmelden kan niet over deze verbinding',
      body: 'InBeeld draait in productie en bewaart aanmeldgegevens alleen in beveiligde cookies, die een browser alleen over HTTPS terugstuurt. Open InBeeld via https://, of laat de beheerder TRUST_PROXY instellen als een reverse proxy de HTTPS-verbinding afhandelt.',
    },
    tooLarge: {
      title: 'Te veel gegevens',
      body: 'Wat je verstuurde is te groot. Maak het korter en probeer het opnieuw.',
    },
    badRequest: {
      title: 'Ongeldig verzoek',
      body: 'Dit verzoek kon niet worden verwerkt. Ga terug en probeer het opnieuw.',
    },
    internal: {
      title: 'Er ging iets mis',
      body: 'Er ging aan onze kant iets mis. Er is niets opgeslagen van deze actie; probeer het opnieuw.',
    },
  },
};

export const en: MessageShape<typeof nl> = {
  layout: {
    skipToContent: 'Skip to content',
    mainNavigation: 'Main menu',
    language: 'Language',
    menu: 'Menu',
    logout: 'Sign out',
    footer: 'Every participant in view',
  },
  languages: { nl: 'Nederlands', 'nl-BE': 'Nederlands (België)', en: 'English' },
  roles: {
    coach: 'Job coach',
    manager: 'Team leader',
    admin: 'Administrator',
  },
  forms: {
    errorSummary_one: 'There is {{count}} problem with this form',
    errorSummary_other: 'There are {{count}} problems with this form',
    cancel: 'Cancel',
  },
  pagination: {
    label: 'Pagination',
    status: '{{from}}–{{to}} of {{total}}',
    previous: 'Previous',
    next: 'Next',
    page: 'Page {{page}} of {{pages}}',
  },
  validation: {
    required: 'Fill in this field.',
    tooLong: 'This is too long.',
    email: 'Enter a valid email address, such as name@example.org.',
    choice: 'Choose one of the options.',
    passwordTooShort: 'The password must be at least 12 characters long.',
    passwordMismatch: 'The two new passwords do not match.',
    date: 'Enter a date as dd/mm/yyyy, for example 23/11/2026.',
    phone: 'Enter a phone number, for example +31 6 1234 5678 or 0470 12 34 56.',
    number: 'Enter a number within the allowed range.',
    stale: 'This form is out of date. Reload the page.',
    expiredForm: 'This form has expired. Check the details and submit it again.',
  },
  conflict: {
    title: 'Someone else changed this meanwhile',
    heading: 'Someone else changed this meanwhile',
    intro:
      'While you were filling in this form, someone else saved it. Nothing of your changes has been saved yet. Compare below and choose what to do.',
    field: 'Field',
    current: 'Saved now',
    yours: 'Your input',
    saveMine: 'Save my input anyway',
    differs: 'differs',
    discard: 'Discard my changes',
    closeChanged: 'Someone else changed this participant meanwhile. Check the details and confirm again.',
  },
  common: {
    yes: 'Yes',
    no: 'No',
    none: '—',
    search: 'Search',
    filter: 'Filter',
    clearFilters: 'Clear filters',
    save: 'Save',
    back: 'Back',
    edit: 'Edit',
    all: 'All',
    sortAscending: 'ascending',
    sortDescending: 'descending',
    required: 'required',
    dateHint: 'dd/mm/yyyy',
    timeHint: 'hh:mm',
  },
  errors: {
    home: 'Go to the start page',
    notFound: {
      title: 'Page not found',
      body: 'This page does not exist, or you do not have access to it.',
    },
    unavailable: {
      title: 'InBeeld is briefly unavailable',
      body: 'The database is not responding right now. Nothing has been lost; please try again in a minute.',
    },
    csrf: {
      title: 'Form expired',
      body: 'This form has expired or is not valid, for example because your session was renewed. Go back, reload the page and try again.',
    },
    insecureTransport: {
      title: 'Signing in is not possible over this connection',
      body: 'InBeeld runs in production and keeps sign-in data only in secure cookies, which a browser sends back over HTTPS only. Open InBeeld through https://, or have the administrator set TRUST_PROXY when a reverse proxy handles the HTTPS connection.',
    },
    tooLarge: {
      title: 'Too much data',
      body: 'What you sent is too large. Make it shorter and try again.',
    },
    badRequest: {
      title: 'Invalid request',
      body: 'This request could not be processed. Go back and try again.',
    },
    internal: {
      title: 'Something went wrong',
      body: 'Something went wrong on our side. Nothing from this action was saved; please try again.',
    },
  },
};

/** Flemish: only what differs from nl (a trajectbegeleider; dates written dd/mm/jjjj, as nl-BE formats them). */
export const nlBE: MessageVariant<typeof nl> = {
  roles: { coach: 'Trajectbegeleider' },
  validation: {
    date: 'Vul een datum in als dd/mm/jjjj, bijvoorbeeld 23/11/2026.',
    email: 'Vul een geldig e-mailadres in, zoals naam@voorbeeld.be.',
    phone: 'Vul een telefoonnummer in, bijvoorbeeld 0470 12 34 56 of +32 9 123 45 67.',
  },
  common: { dateHint: 'dd/mm/jjjj' },
};
