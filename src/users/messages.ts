import type { MessageShape } from '../platform/i18n';

// UI text of people's passwords (the catalog's `users`): why a new password is refused.

export const nl = {
  password: {
    tooShort: 'Het wachtwoord moet minstens 12 tekens lang zijn.',
    tooLong: 'Het wachtwoord mag hoogstens 256 tekens lang zijn.',
    personal: 'Het wachtwoord mag je naam of e-mailadres niet bevatten.',
    sameAsCurrent: 'Kies een ander wachtwoord dan je huidige.',
    hint: 'Minstens 12 tekens en niet makkelijk te raden. Een zin van een paar woorden is sterk en goed te onthouden.',
    weak: {
      generic: 'Dit wachtwoord is te makkelijk te raden. Maak het langer, bijvoorbeeld met een paar losse woorden.',
      straightRow: 'Toetsen die op het toetsenbord naast elkaar liggen zijn makkelijk te raden. Kies iets langers.',
      keyPattern: 'Korte patronen op het toetsenbord zijn makkelijk te raden. Kies iets langers.',
      simpleRepeat: 'Herhaalde tekens, zoals "aaa", zijn makkelijk te raden.',
      extendedRepeat: 'Herhaalde patronen, zoals "abcabcabc", zijn makkelijk te raden.',
      sequences: 'Reeksen zoals "abc" of "1234" zijn makkelijk te raden.',
      recentYears: 'Recente jaartallen zijn makkelijk te raden.',
      dates: 'Datums zijn makkelijk te raden.',
      topTen: 'Dit is een van de meest gebruikte wachtwoorden.',
      topHundred: 'Dit is een heel veel gebruikt wachtwoord.',
      common: 'Dit is een veelgebruikt wachtwoord.',
      similarToCommon: 'Dit lijkt te veel op een veelgebruikt wachtwoord.',
      wordByItself: 'Eén woord op zich is makkelijk te raden. Gebruik er een paar.',
      namesByThemselves: 'Namen op zich zijn makkelijk te raden.',
      commonNames: 'Veelvoorkomende voor- en achternamen zijn makkelijk te raden.',
      userInputs: 'Het wachtwoord mag niets van je naam of e-mailadres bevatten.',
    },
  },
};

export const en: MessageShape<typeof nl> = {
  password: {
    tooShort: 'The password must be at least 12 characters long.',
    tooLong: 'The password can be at most 256 characters long.',
    personal: 'The password must not contain your name or email address.',
    sameAsCurrent: 'Choose a password other than your current one.',
    hint: 'At least 12 characters and not easy to guess. A sentence of a few words is strong and easy to remember.',
    weak: {
      generic: 'This password is too easy to guess. Make it longer, for example with a few separate words.',
      straightRow: 'Keys next to each other on the keyboard are easy to guess. Choose something longer.',
      keyPattern: 'Short keyboard patterns are easy to guess. Choose something longer.',
      simpleRepeat: 'Repeated characters such as "aaa" are easy to guess.',
      extendedRepeat: 'Repeated patterns such as "abcabcabc" are easy to guess.',
      sequences: 'Sequences such as "abc" or "1234" are easy to guess.',
      recentYears: 'Recent years are easy to guess.',
      dates: 'Dates are easy to guess.',
      topTen: 'This is one of the most used passwords.',
      topHundred: 'This is a very often used password.',
      common: 'This is a commonly used password.',
      similarToCommon: 'This is too similar to a commonly used password.',
      wordByItself: 'A single word is easy to guess. Use a few.',
      namesByThemselves: 'Names on their own are easy to guess.',
      commonNames: 'Common first names and surnames are easy to guess.',
      userInputs: 'The password must not contain anything of your name or email address.',
    },
  },
};
