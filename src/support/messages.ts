import type { MessageShape } from '../platform/i18n';

// UI text of support requests: a coach's question to their team leader (gathered into the catalog by src/messages.ts).

export const nl = {
  fields: {
    question: 'Je vraag',
    answer: 'Antwoord',
    participant: 'Deelnemer',
    coach: 'Jobcoach',
    asked: 'Gesteld',
    status: 'Status',
    contact: 'Over contactmoment',
  },
  status: {
    open: 'Wacht op antwoord',
    answered: 'Beantwoord',
    newAnswer: 'Nieuw antwoord',
  },
  notices: {
    asked: 'Je vraag is naar de teamleiders van je team gestuurd.',
    answered: 'Je antwoord is opgeslagen en de vraag is gesloten.',
    alreadyAnswered: 'Een andere teamleider had deze vraag al beantwoord. Jouw antwoord is niet opgeslagen.',
  },
  new: {
    title: 'Ondersteuning vragen',
    heading: 'Vraag je teamleider om ondersteuning',
    intro:
      'Zit je vast of twijfel je over {{name}}? Stel je vraag; alle teamleiders van je team zien hem op hun overzicht en de eerste die antwoordt sluit hem af. Je ziet het antwoord hier bij de deelnemer en als teller in het menu.',
    aboutContact: 'Over het contactmoment van {{date}}.',
    questionHint: 'Beschrijf de situatie en wat je wilt weten. Zet er niet meer persoonsgegevens in dan nodig.',
    submit: 'Vraag versturen',
    backParticipant: 'Terug naar {{name}}',
    backContact: 'Terug naar het contactmoment',
    noTeam:
      'Je hoort niet bij een team, dus er is geen teamleider om je vraag aan te stellen. Vraag een beheerder om je aan een team toe te voegen.',
  },
  form: {
    noTeam: 'Je hoort niet bij een team, dus er is geen teamleider om je vraag aan te stellen.',
  },
  list: {
    title: 'Ondersteuningsvragen',
    headingCoach: 'Mijn vragen aan de teamleider',
    headingManager: 'Vragen van je team',
    introCoach: 'Je stelt een vraag vanaf een deelnemer of een contactmoment ("Ondersteuning vragen").',
    introManager:
      'Vragen van jobcoaches uit je team. Iedere teamleider van het team kan antwoorden; het eerste antwoord sluit de vraag.',
    empty: 'Er zijn nog geen vragen.',
    open: 'Openen',
    count_one: '{{count}} vraag',
    count_other: '{{count}} vragen',
  },
  detail: {
    title: 'Ondersteuningsvraag',
    heading: 'Vraag over {{name}}',
    back: 'Naar alle vragen',
    askedBy: '{{name}} vroeg op {{dateTime}}',
    answeredBy: '{{name}} antwoordde op {{dateTime}}',
    waiting: 'Nog niet beantwoord. Alle teamleiders van het team zien deze vraag op hun overzicht.',
    answerHint: 'Het eerste antwoord sluit de vraag; de jobcoach ziet het bij de deelnemer en in het menu.',
    submit: 'Antwoord versturen',
    openParticipant: 'Naar {{name}}',
    openContact: 'Naar het contactmoment',
    /** The heading above a question for anyone but the coach who asked it (a team leader). */
    questionOf: 'Vraag van {{name}}',
  },
  panel: {
    heading: 'Ondersteuning',
    ask: 'Ondersteuning vragen',
    askAboutContact: 'Vraag je teamleider over dit contact',
    none: 'Nog geen vragen aan de teamleider over deze deelnemer.',
    open: 'Bekijk de vraag',
  },
  dashboard: {
    heading: 'Open vragen van je team',
    intro: 'Jobcoaches vragen je om ondersteuning. Het eerste antwoord van een teamleider sluit de vraag.',
    more: 'Alle {{count}} open vragen',
    answer: 'Beantwoorden',
    waitingSince: 'sinds {{dateTime}}',
  },
};

export const en: MessageShape<typeof nl> = {
  fields: {
    question: 'Your question',
    answer: 'Answer',
    participant: 'Participant',
    coach: 'Job coach',
    asked: 'Asked',
    status: 'Status',
    contact: 'About contact moment',
  },
  status: {
    open: 'Waiting for an answer',
    answered: 'Answered',
    newAnswer: 'New answer',
  },
  notices: {
    asked: "Your question has been sent to your team's team leaders.",
    answered: 'Your answer has been saved and the question is closed.',
    alreadyAnswered: 'Another team leader had already answered this question. Your answer was not saved.',
  },
  new: {
    title: 'Ask for support',
    heading: 'Ask your team leader for support',
    intro:
      'Stuck or unsure about {{name}}? Ask your question; all team leaders of your team see it on their overview and the first to answer closes it. You see the answer here with the participant and as a count in the menu.',
    aboutContact: 'About the contact moment of {{date}}.',
    questionHint: 'Describe the situation and what you want to know. Include no more personal details than needed.',
    submit: 'Send question',
    backParticipant: 'Back to {{name}}',
    backContact: 'Back to the contact moment',
    noTeam: 'You are not in a team, so there is no team leader to ask. Ask an administrator to add you to a team.',
  },
  form: {
    noTeam: 'You are not in a team, so there is no team leader to ask.',
  },
  list: {
    title: 'Support questions',
    headingCoach: 'My questions to the team leader',
    headingManager: 'Questions from your team',
    introCoach: 'You ask a question from a participant or a contact moment ("Ask for support").',
    introManager:
      "Questions from job coaches in your team. Any of the team's team leaders can answer; the first answer closes the question.",
    empty: 'There are no questions yet.',
    open: 'Open',
    count_one: '{{count}} question',
    count_other: '{{count}} questions',
  },
  detail: {
    title: 'Support question',
    heading: 'Question about {{name}}',
    back: 'To all questions',
    askedBy: '{{name}} asked on {{dateTime}}',
    answeredBy: '{{name}} answered on {{dateTime}}',
    waiting: "Not answered yet. All of the team's team leaders see this question on their overview.",
    answerHint: 'The first answer closes the question; the job coach sees it with the participant and in the menu.',
    submit: 'Send answer',
    openParticipant: 'To {{name}}',
    openContact: 'To the contact moment',
    questionOf: "{{name}}'s question",
  },
  panel: {
    heading: 'Support',
    ask: 'Ask for support',
    askAboutContact: 'Ask your team leader about this contact',
    none: 'No questions to the team leader about this participant yet.',
    open: 'View the question',
  },
  dashboard: {
    heading: "Your team's open questions",
    intro: 'Job coaches ask you for support. The first answer from a team leader closes the question.',
    more: 'All {{count}} open questions',
    answer: 'Answer',
    waitingSince: 'since {{dateTime}}',
  },
};
