import type { MessageShape } from '../platform/i18n';

// UI text of the stand-ins feature (gathered into the catalog by src/messages.ts).

export const nl = {
  badge: 'waarneming',
  fields: {
    absentCoach: 'Afwezige jobcoach',
    standinCoach: 'Waarnemer',
    startsOn: 'Van',
    endsOn: 'Tot en met',
    note: 'Notitie',
  },
  list: {
    title: 'Waarnemingen',
    heading: 'Waarnemingen',
    introArrange:
      'Regel een waarnemer als een jobcoach afwezig is. De waarnemer ziet de deelnemers van de afwezige coach alleen op de dagen van de waarneming.',
    introCoach:
      'Hier zie je wie jouw deelnemers overneemt als je afwezig bent, en voor wie jij waarneemt. Je teamleider regelt waarnemingen.',
    new: 'Waarneming regelen',
    current: 'Lopend',
    upcoming: 'Gepland',
    past: 'Afgelopen en geannuleerd',
    period: 'Periode',
    periodValue: '{{from}} t/m {{to}}',
    periodUntil: 't/m {{date}}',
    arrangedBy: 'Geregeld door',
    status: 'Status',
    actions: 'Acties',
    you: 'jij',
    ended: 'Afgelopen',
    cancelledOn: 'Geannuleerd op {{date}}',
    cancel: 'Annuleren',
    cancelWhich: 'waarneming van {{standin}} voor {{absent}}',
    created: 'De waarneming is geregeld.',
    cancelled: 'De waarneming is geannuleerd. De waarnemer ziet de deelnemers niet meer.',
    emptyArrange:
      'Er zijn nog geen waarnemingen. Is een jobcoach ziek of met verlof? Regel dan een waarnemer, zodat diens deelnemers in beeld blijven.',
    emptyCoach:
      'Er zijn geen waarnemingen waarbij jij betrokken bent. Ben je afwezig, vraag dan je teamleider een waarnemer te regelen.',
    noneCurrent: 'Er loopt vandaag geen waarneming.',
    noneUpcoming: 'Er zijn geen waarnemingen gepland.',
    nonePast: 'Er zijn nog geen afgelopen of geannuleerde waarnemingen.',
    pageEmpty: 'Deze pagina bestaat niet (meer).',
    firstPage: 'Naar de eerste pagina',
  },
  form: {
    title: 'Waarneming regelen',
    heading: 'Waarneming regelen',
    intro:
      'De waarnemer ziet en bewerkt de deelnemers van de afwezige jobcoach van de eerste tot en met de laatste dag. Daarna vervalt die toegang vanzelf.',
    back: 'Terug naar waarnemingen',
    chooseCoach: 'Kies een jobcoach',
    standinHint: 'Een andere jobcoach dan de afwezige.',
    noteHint: 'Bijvoorbeeld afspraken over de overdracht. Noem geen medische reden voor de afwezigheid.',
    create: 'Waarneming opslaan',
    sameCoach: 'Kies een andere jobcoach dan de afwezige coach.',
    endBeforeStart: 'De einddatum ligt vóór de begindatum.',
    endInPast: 'Deze periode is al voorbij. Kies een einddatum vanaf vandaag.',
    overlap:
      'Voor deze jobcoach is in deze periode al een waarneming geregeld. Kies andere data of annuleer eerst die waarneming.',
    overlapDetail: '{{name}} neemt al waar voor deze jobcoach van {{from}} t/m {{to}}.',
    coachInactive: 'Deze jobcoach is niet meer actief. Kies een andere.',
    notEnoughCoaches:
      'Om een waarneming te regelen zijn minstens twee actieve jobcoaches nodig. Vraag een beheerder om jobcoaches toe te voegen.',
  },
  cancel: {
    title: 'Waarneming annuleren',
    heading: 'Waarneming voor {{absent}} annuleren?',
    explain:
      '{{standin}} ziet de deelnemers van {{absent}} vanaf nu niet meer. Wat al is vastgelegd blijft bewaard. Annuleren kun je niet ongedaan maken; je kunt wel een nieuwe waarneming regelen.',
    confirm: 'Ja, annuleren',
    keep: 'Nee, laten staan',
  },
};

export const en: MessageShape<typeof nl> = {
  badge: 'standing in',
  fields: {
    absentCoach: 'Absent job coach',
    standinCoach: 'Stand-in',
    startsOn: 'From',
    endsOn: 'Up to and including',
    note: 'Note',
  },
  list: {
    title: 'Stand-ins',
    heading: 'Stand-ins',
    introArrange:
      "Arrange a stand-in when a job coach is away. The stand-in sees the absent coach's participants only on the days of the stand-in.",
    introCoach:
      'Here you see who takes over your participants while you are away, and for whom you stand in. Your team leader arranges stand-ins.',
    new: 'Arrange a stand-in',
    current: 'Current',
    upcoming: 'Planned',
    past: 'Past and cancelled',
    period: 'Period',
    periodValue: '{{from}} to {{to}}',
    periodUntil: 'to {{date}}',
    arrangedBy: 'Arranged by',
    status: 'Status',
    actions: 'Actions',
    you: 'you',
    ended: 'Ended',
    cancelledOn: 'Cancelled on {{date}}',
    cancel: 'Cancel',
    cancelWhich: 'stand-in of {{standin}} for {{absent}}',
    created: 'The stand-in has been arranged.',
    cancelled: 'The stand-in has been cancelled. The stand-in no longer sees the participants.',
    emptyArrange:
      'There are no stand-ins yet. Is a job coach ill or on leave? Arrange a stand-in, so that their participants stay in view.',
    emptyCoach: 'There are no stand-ins that involve you. If you will be away, ask your team leader to arrange a stand-in.',
    noneCurrent: 'No stand-in is running today.',
    noneUpcoming: 'No stand-ins are planned.',
    nonePast: 'There are no past or cancelled stand-ins yet.',
    pageEmpty: 'This page does not exist (any more).',
    firstPage: 'Go to the first page',
  },
  form: {
    title: 'Arrange a stand-in',
    heading: 'Arrange a stand-in',
    intro:
      "The stand-in sees and edits the absent job coach's participants from the first up to and including the last day. After that, the access ends by itself.",
    back: 'Back to stand-ins',
    chooseCoach: 'Choose a job coach',
    standinHint: 'A job coach other than the absent one.',
    noteHint: 'For example, agreements about the handover. Do not mention a medical reason for the absence.',
    create: 'Save stand-in',
    sameCoach: 'Choose a job coach other than the absent coach.',
    endBeforeStart: 'The end date is before the start date.',
    endInPast: 'This period is already over. Choose an end date from today on.',
    overlap:
      'A stand-in is already arranged for this job coach in this period. Choose other dates or cancel that stand-in first.',
    overlapDetail: '{{name}} already stands in for this job coach from {{from}} to {{to}}.',
    coachInactive: 'This job coach is no longer active. Choose another one.',
    notEnoughCoaches: 'Arranging a stand-in needs at least two active job coaches. Ask an administrator to add job coaches.',
  },
  cancel: {
    title: 'Cancel stand-in',
    heading: 'Cancel the stand-in for {{absent}}?',
    explain:
      'From now on, {{standin}} no longer sees the participants of {{absent}}. Everything already recorded is kept. Cancelling cannot be undone; you can arrange a new stand-in.',
    confirm: 'Yes, cancel',
    keep: 'No, keep it',
  },
};
