// Dutch UI text: the reference language. en.ts must have exactly the same keys (the type below
// makes a missing English key a compile error; test/i18n.test.ts checks both directions).

import type { MessageShape } from '../lib/message-shape';
import { nl as participants } from '../participants/messages';
import { nl as trajectories } from '../trajectories/messages';
import { nl as placements } from '../placements/messages';
import { nl as standins } from '../standins/messages';
import { nl as employers } from '../employers/messages';
import { nl as commissioners } from '../commissioners/messages';
import { nl as audit } from '../audit/messages';
import { nl as today } from '../today/messages';
import { nl as contacts } from '../contacts/messages';
import { nl as goals } from '../goals/messages';
import { nl as referrals } from '../referrals/messages';
import { nl as dashboard } from '../dashboard/messages';
import { nl as reviews } from '../reviews/messages';
import { nl as caseloads } from '../caseloads/messages';
import { nl as risk } from '../risk/messages';
import { nl as reports } from '../reports/messages';
import { nl as trajectoryReports } from '../trajectory-reports/messages';
import { nl as subjectAccess } from '../subject-access/messages';

export const nl = {
  participants,
  trajectories,
  placements,
  standins,
  employers,
  commissioners,
  audit,
  today,
  contacts,
  goals,
  referrals,
  dashboard,
  reviews,
  caseloads,
  risk,
  reports,
  trajectoryReports,
  subjectAccess,
  layout: {
    skipToContent: 'Naar de inhoud',
    mainNavigation: 'Hoofdmenu',
    language: 'Taal',
    logout: 'Afmelden',
    footer: 'Iedere deelnemer in beeld',
  },
  nav: {
    reports: 'Rapportages',
    today: 'Vandaag',
    dashboard: 'Overzicht',
    users: 'Gebruikers',
    participants: 'Deelnemers',
    employers: 'Werkgevers',
    reviews: 'Kwaliteitsreview',
    caseloads: 'Caseloads',
    myFeedback: 'Feedback',
    standins: 'Waarnemingen',
    commissioners: 'Opdrachtgevers',
    audit: 'Auditlog',
    settings: 'Instellingen',
  },
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
  },
  auth: {
    login: {
      title: 'Aanmelden',
      heading: 'Aanmelden bij InBeeld',
      intro: 'Meld je aan met je e-mailadres en wachtwoord.',
      email: 'E-mailadres',
      password: 'Wachtwoord',
      submit: 'Aanmelden',
      invalid: 'Dit e-mailadres en wachtwoord horen niet bij een actief account. Controleer ze en probeer het opnieuw.',
      tooManyAttempts:
        'Te veel aanmeldpogingen. Wacht {{minutes}} minuten en probeer het dan opnieuw, of vraag een beheerder om hulp.',
      signedOut: 'Je bent afgemeld.',
      expired: 'Je sessie is verlopen. Meld je opnieuw aan.',
    },
  },
  account: {
    title: 'Mijn account',
    heading: 'Mijn account',
    name: 'Naam',
    email: 'E-mailadres',
    role: 'Rol',
    team: 'Team',
    language: {
      heading: 'Taal',
      label: 'Taal van InBeeld',
      save: 'Taal opslaan',
    },
    password: {
      heading: 'Wachtwoord wijzigen',
      current: 'Huidig wachtwoord',
      new: 'Nieuw wachtwoord',
      confirm: 'Nieuw wachtwoord nogmaals',
      hint: 'Minstens 12 tekens. Een zin van een paar woorden is makkelijk te onthouden en sterk.',
      submit: 'Wachtwoord wijzigen',
      changed: 'Je wachtwoord is gewijzigd. Je andere sessies zijn afgemeld.',
      currentWrong: 'Het huidige wachtwoord klopt niet.',
    },
  },
  admin: {
    users: {
      title: 'Gebruikers',
      heading: 'Gebruikers',
      intro: 'Alle accounts van de organisatie. Een gedeactiveerde gebruiker wordt meteen overal afgemeld.',
      empty: 'Er zijn nog geen gebruikers.',
      name: 'Naam',
      email: 'E-mailadres',
      role: 'Rol',
      team: 'Team',
      status: 'Status',
      actions: 'Acties',
      active: 'Actief',
      inactive: 'Gedeactiveerd',
      you: 'Dit ben jij',
      deactivate: 'Deactiveren',
      reactivate: 'Heractiveren',
      deactivated: 'De gebruiker is gedeactiveerd en overal afgemeld.',
      reactivated: 'De gebruiker is weer actief.',
      back: 'Terug naar gebruikers',
      deactivateTitle: 'Gebruiker deactiveren',
      deactivateHeading: '{{name}} deactiveren?',
      deactivateExplain:
        '{{email}} wordt meteen op alle apparaten afgemeld en kan zich niet meer aanmelden tot een beheerder het account weer activeert. Er gaan geen gegevens verloren.',
      deactivateConfirm: 'Ja, deactiveren',
    },
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

export type MessageTree = MessageShape<typeof nl>;
