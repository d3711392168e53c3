import type { MessageShape } from '../platform/i18n';

// UI text of passkeys: the section on the account's security page, renaming and removing one, and
// signing in with one (the catalog's `passkeys`).

export const nl = {
  section: {
    heading: 'Passkeys',
    intro:
      'Met een passkey meld je je aan met je vingerafdruk, gezicht of pincode van je telefoon, computer of beveiligingssleutel, zonder wachtwoord. Een passkey telt ook als tweede stap na je wachtwoord.',
    none: 'Je hebt nog geen passkey.',
    name: 'Naam',
    createdAt: 'Toegevoegd',
    lastUsedAt: 'Laatst gebruikt',
    neverUsed: 'Nog niet gebruikt',
    actions: 'Acties',
    rename: 'Naam wijzigen',
    renameLabel: 'Naam van passkey {{name}} wijzigen',
    remove: 'Verwijderen',
    removeLabel: 'Passkey {{name}} verwijderen',
    addHeading: 'Passkey toevoegen',
    nameLabel: 'Naam van de passkey',
    nameHint: 'Zodat je hem later herkent, bijvoorbeeld ‘Laptop werk’ of ‘Telefoon’.',
    defaultName: 'Mijn passkey',
    add: 'Passkey toevoegen',
    limit: 'Je hebt het maximum van {{max}} passkeys. Verwijder er een om een nieuwe toe te voegen.',
    needsScript:
      'Een passkey toevoegen kan alleen in een browser met JavaScript aan en ondersteuning voor passkeys (een recente Chrome, Edge, Firefox of Safari).',
  },
  added: 'Je passkey is toegevoegd. Je kunt je er voortaan mee aanmelden.',
  renamed: 'De naam van je passkey is gewijzigd.',
  removed: 'Je passkey is verwijderd. Hij werkt niet meer bij InBeeld; op je apparaat kun je hem zelf ook verwijderen.',
  gone: 'Die passkey bestond al niet meer.',
  required:
    'Je passkey is niet verwijderd: je rol vraagt om een tweede stap en dit is je laatste. Voeg eerst een andere passkey of een authenticator-app toe.',
  rename: {
    title: 'Naam van passkey wijzigen',
    heading: 'Naam van passkey wijzigen',
    submit: 'Naam opslaan',
  },
  remove: {
    title: 'Passkey verwijderen',
    heading: 'Passkey ‘{{name}}’ verwijderen?',
    body: 'Daarna kun je je niet meer met deze passkey aanmelden. Dit kan niet ongedaan worden gemaakt; je kunt wel een nieuwe toevoegen.',
    lastFactor: 'Dit is je laatste tweede stap. Daarna meld je je alleen nog met je wachtwoord aan.',
    required:
      'Je rol vraagt om een tweede stap en dit is je laatste. Voeg eerst een andere passkey of een authenticator-app toe; daarna kun je deze verwijderen.',
    submit: 'Ja, verwijderen',
    cancel: 'Nee, terug',
  },
  back: 'Terug naar beveiliging',
  validation: {
    noCredential:
      'Er kwam geen passkey mee. Gebruik de knop in een browser met JavaScript aan en ondersteuning voor passkeys, en volg de stappen van je apparaat.',
    notVerified: 'Deze passkey kon niet worden gecontroleerd. Probeer het opnieuw.',
    noCeremony: 'Dit verzoek is verlopen. Probeer het opnieuw.',
    alreadyRegistered: 'Deze passkey was al toegevoegd.',
    tooMany: 'Je hebt het maximum van 20 passkeys. Verwijder er eerst een.',
  },
  signIn: {
    or: 'of',
    button: 'Aanmelden met een passkey',
    hint: 'Zonder e-mailadres en wachtwoord, met de passkey op dit apparaat, je telefoon of je beveiligingssleutel.',
    needsScript: 'Aanmelden met een passkey kan alleen in een browser met JavaScript aan en ondersteuning voor passkeys.',
    failed: 'Aanmelden met deze passkey lukte niet. Probeer het opnieuw, of meld je aan met je e-mailadres en wachtwoord.',
  },
  verify: {
    button: 'Bevestigen met een passkey',
    hint: 'Met de passkey op dit apparaat, je telefoon of je beveiligingssleutel.',
    failed: 'Deze passkey kon niet worden gecontroleerd. Probeer het opnieuw, of gebruik een code.',
  },
  enrol: {
    button: 'Passkey toevoegen en aanmelden',
    hint: 'Stel een passkey in: je vingerafdruk, gezicht of pincode van dit apparaat, je telefoon of een beveiligingssleutel. Of gebruik hieronder een authenticator-app.',
  },
  enrolRefused: {
    title: 'Passkey niet toegevoegd',
    heading: 'Passkey niet toegevoegd',
    body: 'Deze passkey kon niet worden gecontroleerd, of het verzoek was verlopen. Er is niets opgeslagen.',
    again: 'Opnieuw proberen',
  },
  script: {
    cancelled: 'Het is afgebroken of de tijd was om. Probeer het opnieuw.',
    unsupported: 'Deze browser ondersteunt geen passkeys.',
    failed: 'Er ging iets mis. Laad de pagina opnieuw en probeer het nog eens.',
  },
};

export const en: MessageShape<typeof nl> = {
  section: {
    heading: 'Passkeys',
    intro:
      'With a passkey you sign in with the fingerprint, face or PIN of your phone, computer or security key, without a password. A passkey also counts as the second step after your password.',
    none: 'You have no passkey yet.',
    name: 'Name',
    createdAt: 'Added',
    lastUsedAt: 'Last used',
    neverUsed: 'Not used yet',
    actions: 'Actions',
    rename: 'Rename',
    renameLabel: 'Rename passkey {{name}}',
    remove: 'Remove',
    removeLabel: 'Remove passkey {{name}}',
    addHeading: 'Add a passkey',
    nameLabel: 'Name of the passkey',
    nameHint: 'So you recognise it later, such as ‘Work laptop’ or ‘Phone’.',
    defaultName: 'My passkey',
    add: 'Add a passkey',
    limit: 'You have the maximum of {{max}} passkeys. Remove one to add a new one.',
    needsScript:
      'Adding a passkey needs a browser with JavaScript on and passkey support (a recent Chrome, Edge, Firefox or Safari).',
  },
  added: 'Your passkey has been added. From now on you can sign in with it.',
  renamed: 'Your passkey has been renamed.',
  removed: 'Your passkey has been removed. It no longer works for InBeeld; you can also remove it from your device.',
  gone: 'That passkey no longer existed.',
  required:
    'Your passkey was not removed: your role requires a second step and this is your last one. First add another passkey or an authenticator app.',
  rename: {
    title: 'Rename passkey',
    heading: 'Rename passkey',
    submit: 'Save name',
  },
  remove: {
    title: 'Remove passkey',
    heading: 'Remove passkey ‘{{name}}’?',
    body: 'You can then no longer sign in with this passkey. This cannot be undone; you can add a new one.',
    lastFactor: 'This is your last second step. You will then sign in with your password only.',
    required:
      'Your role requires a second step and this is your last one. First add another passkey or an authenticator app; then you can remove this one.',
    submit: 'Yes, remove',
    cancel: 'No, go back',
  },
  back: 'Back to security',
  validation: {
    noCredential:
      'No passkey came with this. Use the button in a browser with JavaScript on and passkey support, and follow the steps of your device.',
    notVerified: 'This passkey could not be checked. Please try again.',
    noCeremony: 'This request has expired. Please try again.',
    alreadyRegistered: 'This passkey had already been added.',
    tooMany: 'You have the maximum of 20 passkeys. Remove one first.',
  },
  signIn: {
    or: 'or',
    button: 'Sign in with a passkey',
    hint: 'Without email address and password, with the passkey on this device, your phone or your security key.',
    needsScript: 'Signing in with a passkey needs a browser with JavaScript on and passkey support.',
    failed: 'Signing in with this passkey did not work. Please try again, or sign in with your email address and password.',
  },
  verify: {
    button: 'Confirm with a passkey',
    hint: 'With the passkey on this device, your phone or your security key.',
    failed: 'This passkey could not be checked. Please try again, or use a code.',
  },
  enrol: {
    button: 'Add a passkey and sign in',
    hint: 'Set up a passkey: the fingerprint, face or PIN of this device, your phone or a security key. Or use an authenticator app below.',
  },
  enrolRefused: {
    title: 'Passkey not added',
    heading: 'Passkey not added',
    body: 'This passkey could not be checked, or the request had expired. Nothing was stored.',
    again: 'Try again',
  },
  script: {
    cancelled: 'It was cancelled or the time ran out. Please try again.',
    unsupported: 'This browser does not support passkeys.',
    failed: 'Something went wrong. Reload the page and try again.',
  },
};
