import type { MessageShape } from '../platform/i18n';

// UI text of the subject-access feature (gathered into the catalog by src/messages.ts as "subjectAccess").
// Also the text of the files in the export: the summary PDF and the read-me, in the user's language.

export const nl = {
  profileLink: 'Inzageverzoek (AVG)',
  page: {
    title: 'Inzageverzoek',
    heading: 'Inzage in de gegevens van {{name}}',
    back: 'Terug naar het profiel',
    closed: 'Deze deelnemer is afgesloten. De export bevat ook dan alles wat nog over de persoon is vastgelegd.',
    forWhomHeading: 'Voor wie',
    forWhom:
      'Gebruik deze export alleen voor een verzoek van {{name}} zelf om inzage in de eigen gegevens (recht op inzage, artikel 15 AVG). Geef het bestand op een veilige manier aan de persoon zelf, niet aan een opdrachtgever of anderen.',
    contentsHeading: 'Wat de export bevat',
    contentsIntro:
      'Een ZIP-bestand met een samenvatting als PDF, een uitleg ({{readme}}) en alle gegevens als JSON-bestanden, te openen met een teksteditor:',
    auditHeading: 'Vastgelegd in het auditlog',
    audit:
      'Het downloaden wordt vastgelegd in het auditlog: wie, wanneer en welke bestanden. Deze export staat daarom zelf ook in het overzicht van wie het dossier bekeek.',
    download: 'Export downloaden (ZIP)',
  },
  files: {
    readme: 'Uitleg bij de bestanden.',
    summary:
      'Samenvatting: de persoonsgegevens, het aantal vastgelegde gegevens per onderdeel, de trajecten en wie het dossier bekeek of wijzigde.',
    participant:
      'Persoonsgegevens: naam, geboortedatum, telefoon, e-mail, adres, voorkeur voor contact, taalondersteuning, referentie van de opdrachtgever, status, en de jobcoach met team.',
    trajectories:
      'Trajecten: opdrachtgever, soort, referentie, begin- en einddatum, uitkomst en coachingsuren (gebruikt, toegekend en declarabel).',
    placements: 'Plaatsingen: werkgever, functie, begeleider, data, status en de uren per week door de tijd.',
    contactMoments:
      'Contactmomenten: wanneer, kanaal, met wie, resultaat, duur, verslag, welzijnscheck, volgend contact, wie erbij waren, wie het vastlegde, aanvullingen en de doelen waar het contact aan bijdroeg.',
    goals: 'Doelen met hun voortgang.',
    referrals: 'Verwijzingen naar andere instanties, met de reden.',
    network:
      'Netwerk: de mensen rond de deelnemer (vaste contactpersoon, familie, mentor, hulpverleners) met rol, organisatie, contactgegevens, notitie en tot wanneer ze betrokken waren.',
    consents: 'Toestemming per doel: wanneer gegeven, door wie vastgelegd, wanneer ingetrokken, met de notitie.',
    handovers: 'Overdrachten aan een andere organisatie aan het eind van een traject, met de overdrachtsnotitie.',
    riskAcknowledgements: 'Notities van de jobcoach bij een risicosignaal.',
    riskSnapshots: 'Het dagelijks berekende risiconiveau (geen, oranje, rood) met de signalen.',
    reportNarratives: 'De toelichting van de jobcoach (voortgang, vervolgstappen) bij trajectrapportages.',
    qualityReviews: 'Kwaliteitsreviews van contactmomenten: wanneer getrokken, wie beoordeelde en de feedback.',
    supportRequests: 'Vragen van de jobcoach aan de teamleider over de deelnemer, met het antwoord.',
    auditTrail: 'Het auditlog: iedere keer dat iemand het dossier bekeek, wijzigde of exporteerde, met tijdstip, naam en rol.',
  },
  readme: {
    fileName: 'LEESMIJ.txt',
    title: 'Inzage in persoonsgegevens (artikel 15 AVG)',
    intro:
      'Dit ZIP-bestand bevat alle gegevens die {{organisation}} in InBeeld over {{name}} (nummer {{id}}) bewaart, zoals ze waren op {{dateTime}}.',
    filesHeading: 'Bestanden',
    formatHeading: 'Over de JSON-bestanden',
    format: {
      encoding: 'Het zijn tekstbestanden (UTF-8); elke teksteditor kan ze openen.',
      dates: 'Datums staan als jjjj-mm-dd, bijvoorbeeld 2026-11-23.',
      timestamps:
        'Tijdstippen staan in ISO 8601 in de tijdzone van de organisatie ({{timeZone}}), met het verschil met UTC erachter, bijvoorbeeld 2026-11-23T09:00:00.000+01:00.',
      codes:
        'Vaste keuzes (zoals status, kanaal of resultaat) staan als code, bijvoorbeeld "reached" voor bereikt. De samenvatting ({{summary}}) geeft de belangrijkste gegevens in woorden.',
      staff: 'Namen van medewerkers staan erbij waar zij iets vastlegden of het dossier bekeken.',
      empty: 'Een lege lijst ([]) betekent dat er van dat onderdeel niets is vastgelegd.',
    },
    riskHeading: 'Over de risicosignalen',
    risk: 'InBeeld berekent elke dag een risiconiveau (geen, oranje, rood) uit vaste signalen: hoe lang geleden de persoon voor het laatst is bereikt, hoeveel pogingen op rij niet lukten, of een afgesproken contact te laat is, of er een plaatsing of dagbesteding is, of de uren per week sterk zijn gedaald, en de laatste welzijnscheck. Het niveau helpt de jobcoach te zien wie contact nodig heeft; er wordt niets automatisch over de persoon besloten. De niveaus per dag staan in {{file}}.',
    questions: 'Vragen over deze gegevens? Neem contact op met {{organisation}}.',
  },
  summary: {
    title: 'Inzage in persoonsgegevens',
    subtitle: '{{name}} · deelnemer {{id}}',
    generated: 'Gemaakt op {{dateTime}}',
    intro:
      'Dit overzicht hoort bij het verzoek van {{name}} om inzage in de eigen gegevens (artikel 15 AVG). Alle gegevens staan volledig in de JSON-bestanden in hetzelfde ZIP-bestand; {{readme}} legt ze uit.',
    confidential: 'Vertrouwelijk: alleen bestemd voor {{name}}.',
    detailsHeading: 'Persoonsgegevens',
    coach: 'Jobcoach',
    closedOn: 'Afgesloten op',
    createdAt: 'Vastgelegd op',
    updatedAt: 'Laatst gewijzigd op',
    contentsHeading: 'Wat er is vastgelegd',
    file: 'Bestand',
    contents: 'Inhoud',
    count: 'Aantal',
    trajectoriesHeading: 'Trajecten',
    reference: 'Referentie',
    commissionerAndKind: 'Opdrachtgever en soort',
    period: 'Periode',
    periodOpen: 'vanaf {{from}}',
    periodClosed: '{{from}} – {{to}}',
    hours: 'Coachingsuren',
    hoursValue: '{{used}} van {{granted}} gebruikt; declarabel {{billable}}',
    outcome: 'Uitkomst',
    noTrajectories: 'Er is geen traject vastgelegd.',
    auditHeading: 'Wie het dossier bekeek of wijzigde',
    auditIntro: 'Iedere gebeurtenis in het auditlog over deze persoon, de oudste eerst. Tijden in de tijdzone {{timeZone}}.',
    when: 'Wanneer',
    who: 'Wie',
    action: 'Actie',
    what: 'Wat',
    system: 'Systeem',
    actorWithRole: '{{name}} ({{role}})',
    entityWithId: '{{entity}} #{{id}}',
    noEvents: 'Er staan geen gebeurtenissen in het auditlog.',
  },
  // Labels the audit log page does not have (yet): the summary falls back on these.
};

export const en: MessageShape<typeof nl> = {
  profileLink: 'Subject access (GDPR)',
  page: {
    title: 'Subject access request',
    heading: 'Access to the data of {{name}}',
    back: 'Back to the profile',
    closed: 'This participant is closed. The export still holds everything that is kept about the person.',
    forWhomHeading: 'Who it is for',
    forWhom:
      'Use this export only for a request by {{name}} themselves to see their own data (right of access, article 15 GDPR). Hand the file to the person themselves in a safe way, never to a commissioner or anyone else.',
    contentsHeading: 'What the export holds',
    contentsIntro:
      'A ZIP file with a summary as PDF, an explanation ({{readme}}) and all the data as JSON files, which open in any text editor:',
    auditHeading: 'Recorded in the audit log',
    audit:
      'The download is recorded in the audit log: who, when and which files. So this export itself also appears in the overview of who viewed the record.',
    download: 'Download the export (ZIP)',
  },
  files: {
    readme: 'Explanation of the files.',
    summary:
      'Summary: personal details, how much is recorded of each part, the trajectories, and who viewed or changed the record.',
    participant:
      "Personal details: name, date of birth, phone, email, address, preferred contact, language support, the commissioner's reference, status, and the job coach with their team.",
    trajectories:
      'Trajectories: commissioner, kind, reference, start and end dates, outcome and coaching hours (used, granted and billable).',
    placements: 'Placements: employer, job title, supervisor, dates, status and the hours per week over time.',
    contactMoments:
      'Contact moments: when, channel, with whom, outcome, duration, summary, wellbeing check, next contact, who took part, who recorded it, addenda and the goals the contact served.',
    goals: 'Goals with their progress updates.',
    referrals: 'Referrals to other services, with the reason.',
    network:
      'Network: the people around the participant (fixed contact person, family, mentor, professionals) with role, organisation, contact details, note and until when they were involved.',
    consents: 'Consent per purpose: when given, who recorded it, when withdrawn, with the note.',
    handovers: 'Handovers to another organisation at the end of a trajectory, with the handover note.',
    riskAcknowledgements: "The job coach's notes on a risk flag.",
    riskSnapshots: 'The risk level computed each day (none, amber, red) with its signals.',
    reportNarratives: "The job coach's narrative (progress, next steps) in trajectory reports.",
    qualityReviews: 'Quality reviews of contact moments: when drawn, who reviewed and the feedback.',
    supportRequests: "The job coach's questions to the team leader about the participant, with the answer.",
    auditTrail: 'The audit log: every time someone viewed, changed or exported the record, with the time, name and role.',
  },
  readme: {
    fileName: 'README.txt',
    title: 'Access to personal data (article 15 GDPR)',
    intro:
      'This ZIP file holds all the data {{organisation}} keeps in InBeeld about {{name}} (number {{id}}), as it was on {{dateTime}}.',
    filesHeading: 'Files',
    formatHeading: 'About the JSON files',
    format: {
      encoding: 'They are text files (UTF-8); any text editor opens them.',
      dates: 'Dates are written as yyyy-mm-dd, for example 2026-11-23.',
      timestamps:
        "Times are ISO 8601 in the organisation's time zone ({{timeZone}}), followed by the offset from UTC, for example 2026-11-23T09:00:00.000+01:00.",
      codes:
        'Fixed choices (such as status, channel or outcome) are written as a code, for example "reached". The summary ({{summary}}) gives the main data in words.',
      staff: 'Names of staff are included where they recorded something or viewed the record.',
      empty: 'An empty list ([]) means nothing of that part has been recorded.',
    },
    riskHeading: 'About the risk signals',
    risk: 'InBeeld computes a risk level (none, amber, red) every day from fixed signals: how long ago the person was last reached, how many attempts in a row failed, whether an agreed contact is overdue, whether there is a placement or daytime activity, whether the hours per week dropped sharply, and the latest wellbeing check. The level helps the job coach see who needs contact; nothing about the person is decided automatically. The levels per day are in {{file}}.',
    questions: 'Questions about this data? Please contact {{organisation}}.',
  },
  summary: {
    title: 'Access to personal data',
    subtitle: '{{name}} · participant {{id}}',
    generated: 'Made on {{dateTime}}',
    intro:
      'This overview belongs to the request by {{name}} to see their own data (article 15 GDPR). All the data is in full in the JSON files in the same ZIP file; {{readme}} explains them.',
    confidential: 'Confidential: intended for {{name}} only.',
    detailsHeading: 'Personal details',
    coach: 'Job coach',
    closedOn: 'Closed on',
    createdAt: 'Recorded on',
    updatedAt: 'Last changed on',
    contentsHeading: 'What is recorded',
    file: 'File',
    contents: 'Contents',
    count: 'Number',
    trajectoriesHeading: 'Trajectories',
    reference: 'Reference',
    commissionerAndKind: 'Commissioner and kind',
    period: 'Period',
    periodOpen: 'from {{from}}',
    periodClosed: '{{from}} – {{to}}',
    hours: 'Coaching hours',
    hoursValue: '{{used}} of {{granted}} used; billable {{billable}}',
    outcome: 'Outcome',
    noTrajectories: 'No trajectory has been recorded.',
    auditHeading: 'Who viewed or changed the record',
    auditIntro: 'Every event in the audit log about this person, oldest first. Times in the time zone {{timeZone}}.',
    when: 'When',
    who: 'Who',
    action: 'Action',
    what: 'What',
    system: 'System',
    actorWithRole: '{{name}} ({{role}})',
    entityWithId: '{{entity}} #{{id}}',
    noEvents: 'The audit log holds no events.',
  },
};
