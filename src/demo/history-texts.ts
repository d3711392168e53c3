import type { LifeDomain, ReferralServiceKind } from '../db/schema';

// The words of the demo history: contact summaries, goals, progress notes and referrals, in Dutch
// for Team Utrecht and in Flemish wording for Team Gent. Placeholders: {name} (the participant's
// first name), {employer}, {supervisor}, {job}, {coach} (the first name of the absent coach).

export type Region = 'nl' | 'be';
export type TextPool = Record<Region, readonly string[]>;

export function fillTemplate(template: string, values: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) => values[key] ?? match);
}

/** A reached call while the participant works at their placement. */
export const CALL_WORKING: TextPool = {
  nl: [
    'Gaat goed op het werk. {name} merkt dat de dagen sneller gaan nu het ritme erin zit.',
    'Korte check-in. Werk bij {employer} loopt goed; wel moe na de late diensten. Afgesproken dat {name} dat zelf met {supervisor} bespreekt.',
    '{name} had een goede week en heeft nieuwe taken gekregen als {job}. Trots op.',
    'Gesproken over de reistijd naar {employer}. OV-kaart is geregeld, {name} komt nu op tijd.',
    'Even bijgepraat. Thuis wat spanning rond geld; afgesproken dat we dat volgende keer uitgebreider bespreken.',
    'Rooster voor volgende maand besproken. {name} wil graag een vaste vrije dag en vraagt dat zelf aan {supervisor}.',
    'Twee dagen ziek gemeld geweest, nu weer aan het werk. Afgesproken dat {name} op tijd belt als het niet gaat.',
    'Over de toekomst gesproken: {name} wil na de proefperiode graag meer uren. Evaluatiegesprek samen voorbereid.',
    'Alles rustig. {name} sport weer op woensdagavond en merkt dat het helpt.',
    'Geoefend voor het functioneringsgesprek bij {employer}: wat gaat goed, wat kan beter.',
    'Een collega doet vervelend. Tips gegeven; als het aanhoudt gaan we samen met {supervisor} in gesprek.',
    'Loonstrook doorgenomen en vragen over toeslagen beantwoord. Verder positief over het werk.',
    '{name} vertelt enthousiast over een drukke dag waarin alles goed ging. Zelfvertrouwen groeit zichtbaar.',
    'Afspraken over verlof in de vakantieperiode doorgenomen; {name} overlegt met {supervisor}.',
  ],
  be: [
    'Alles goed op het werk bij {employer}. {name} is content met de ploeg en heeft er goesting in.',
    "Kort gebeld. {name} is wat moe na de late shiften, maar 't gaat. Afgesproken dat {name} dat zelf aankaart bij {supervisor}.",
    'Goede week gehad. Nieuwe taken als {job}, daar is {name} fier op.',
    'Gebabbeld over de verplaatsing naar {employer}: met de fiets en De Lijn lukt het nu goed.',
    'Even bijgepraat. Thuis wat miserie met de huisbaas; volgende keer verder bekijken.',
    'Uurrooster voor volgende maand overlopen. {name} wil graag een vaste vrije woensdag en vraagt dat zelf aan {supervisor}.',
    'Twee dagen ziek geweest, nu terug aan de slag. Afgesproken dat {name} op tijd verwittigt als het niet gaat.',
    'Gesproken over na de stage: {name} wil graag een vast contract. Evaluatiegesprek samen voorbereid.',
    'Alles rustig. {name} is terug gaan voetballen op woensdag, dat doet deugd.',
    'Loonbrief samen overlopen, vragen over het groeipakket beantwoord. Verder positief.',
    'Een collega doet ambetant. Tips gegeven; als het blijft duren bekijken we het samen met {supervisor}.',
    '{name} vertelt over een drukke dag waarop alles goed liep. Het zelfvertrouwen groeit.',
    'Verlof voor de zomer besproken; {name} regelt het zelf met {supervisor}.',
  ],
};

/** A reached call with a participant without a placement: job search and daytime activity. */
export const CALL_NO_PLACEMENT: TextPool = {
  nl: [
    'Sollicitaties van deze week besproken: twee brieven verstuurd, nog geen reactie. Volgende keer samen vacatures zoeken.',
    '{name} heeft een proefdag gehad bij een supermarkt. Ging goed, wacht op de uitslag.',
    'Gesproken over dagbesteding zolang er geen werkplek is. {name} gaat kijken bij het buurthuis.',
    'Cv bijgewerkt; {name} wil graag iets buiten in het groen. Mogelijkheden op een rij gezet.',
    'Weinig gebeurd deze week. Afspraken gemaakt over vaste tijden opstaan en dagelijks wandelen.',
    'Vrijwilligerswerk bij de voedselbank besproken; {name} wil een keer meelopen.',
    'Gesproken over wat {name} goed kan en graag doet. Lijstje gemaakt voor de volgende afspraak.',
    'Uitnodiging voor een sollicitatiegesprek! Samen voorbereid: vragen geoefend en de route opgezocht.',
    'Gesprek bij het uitzendbureau was prettig; {name} staat nu ingeschreven voor productiewerk.',
  ],
  be: [
    'Sollicitaties van deze week overlopen: twee keer gesolliciteerd via de VDAB-site, nog niks gehoord.',
    '{name} is een dag gaan proefdraaien in een supermarkt. Goed gegaan, wacht op antwoord.',
    'Gesproken over een dagbesteding zolang er geen werkplek is. {name} gaat eens kijken in het buurtcentrum.',
    'Cv aangepast; {name} wil graag iets buiten doen, in het groen. Mogelijkheden bekeken.',
    'Weinig gebeurd. Afspraken gemaakt rond vast opstaan en elke dag een toerke wandelen.',
    'Vrijwilligerswerk bij de voedselbank besproken; {name} wil eens meedraaien.',
    'Uitnodiging voor een sollicitatiegesprek gekregen! Samen voorbereid en de weg opgezocht.',
    'Ingeschreven bij een interimkantoor voor productiewerk; {name} was er positief over.',
  ],
};

/** A reached call while the placement is paused or has no hours. */
export const CALL_NOT_WORKING: TextPool = {
  nl: [
    'Gebeld om te horen hoe het gaat nu het werk stilligt. {name} houdt de moed erin, maar mist de collega’s.',
    'Nog geen nieuws van {employer}. Besproken hoe {name} de dagen invult.',
    'Het gaat langzaam beter. Afgesproken om wekelijks te blijven bellen.',
    '{name} vult de dagen met boodschappen en klusjes voor de buurvrouw. Ritme houden blijft lastig.',
  ],
  be: [
    'Gebeld om te horen hoe het gaat nu het werk stilligt. {name} houdt zich goed, maar mist de collega’s.',
    'Nog geen nieuws van {employer}. Besproken hoe {name} de dagen vult.',
    'Het gaat stillekes aan beter. Afgesproken om elke week te bellen.',
    '{name} doet boodschappen en klusjes voor de buren. Een vast ritme houden blijft moeilijk.',
  ],
};

export const CALLBACK_REQUESTED: TextPool = {
  nl: [
    'Zit in de bus, vraagt of ik over een uur terugbel.',
    'Is net aan het werk begonnen; terugbellen in de pauze.',
    'Heeft bezoek, belt liever later vandaag.',
    'Staat in de rij bij het gemeenteloket, terugbellen vanmiddag.',
  ],
  be: [
    'Zit op de tram, vraagt om binnen een uurtje terug te bellen.',
    'Is juist begonnen met werken; terugbellen tijdens de pauze.',
    'Heeft bezoek, liever straks bellen.',
    'Staat aan te schuiven aan het loket van het OCMW, terugbellen in de namiddag.',
  ],
};

export const AFTER_CALLBACK: Record<Region, string> = {
  nl: 'Teruggebeld zoals afgesproken. ',
  be: 'Teruggebeld zoals afgesproken. ',
};

export const AFTER_UNREACHED: TextPool = {
  nl: ['Vorige poging niet bereikt; nu wel, telefoon stond op stil. ', '{name} belde zelf terug na de voicemail. '],
  be: ['Vorige poging geen antwoord; nu wel, de gsm stond op stil. ', '{name} belde zelf terug na het bericht op de voicemail. '],
};

/** Optional notes on an attempt that reached nobody (most have none). */
export const NOT_REACHED: TextPool = {
  nl: ['Ging over, niet opgenomen.', 'Direct de voicemail, geen bericht ingesproken.'],
  be: ['Ging over, niet opgenomen.', 'Meteen de voicemail, geen bericht ingesproken.'],
};
export const VOICEMAIL: TextPool = {
  nl: ['Voicemail ingesproken met het verzoek terug te bellen.'],
  be: ['Bericht ingesproken op de voicemail, gevraagd om terug te bellen.'],
};

export const VISIT_EMPLOYER: TextPool = {
  nl: [
    'Werkplekbezoek bij {employer}, gesproken met {supervisor}. Tevreden over inzet en tempo van {name}; aandachtspunt is op tijd pauze nemen.',
    'Driegesprek op de werkvloer met {supervisor} en {name}. Taken uitgebreid; evaluatie over vier weken.',
    'Bij {employer} langs geweest. {supervisor} ziet duidelijke groei, vooral in zelfstandig werken. Urenuitbreiding besproken.',
    'Werkplekbezoek: {supervisor} vertelt dat {name} goed in het team ligt. Afspraken over begeleiding bij nieuwe taken.',
    'Gesprek met {supervisor} over het rooster en de inwerkperiode. {name} was erbij; iedereen positief.',
  ],
  be: [
    'Werkplekbezoek bij {employer}, gesproken met {supervisor}. Tevreden over de inzet van {name}; aandachtspunt: op tijd pauze nemen.',
    'Driegesprek op de werkvloer met {supervisor} en {name}. Takenpakket uitgebreid, evaluatie binnen een maand.',
    'Langs geweest bij {employer}. {supervisor} ziet dat {name} veel zelfstandiger werkt. Meer uren zijn bespreekbaar.',
    'Werkplekbezoek: volgens {supervisor} ligt {name} goed in de ploeg. Afspraken rond begeleiding bij nieuwe taken.',
  ],
};

export const VISIT_PARTICIPANT: TextPool = {
  nl: [
    'Op de werkplek bij {employer} met {name} gesproken tijdens de pauze. Voelt zich er thuis en wil meer verantwoordelijkheid.',
    'Bij {employer} meegekeken tijdens het werk als {job}. {name} werkt geconcentreerd; samen leerdoelen bijgesteld.',
  ],
  be: [
    'Op de werkvloer bij {employer} met {name} gebabbeld tijdens de pauze. Voelt zich er goed en wil meer verantwoordelijkheid.',
    'Bij {employer} meegekeken tijdens het werk als {job}. {name} werkt geconcentreerd; samen leerdoelen bijgestuurd.',
  ],
};

export const OFFICE: TextPool = {
  nl: [
    'Gesprek op kantoor: trajectplan doorgenomen en doelen bijgesteld.',
    'Afspraak op kantoor: vacatures doorgenomen en een open sollicitatie opgesteld.',
    'Op kantoor de voortgang besproken. {name} wil de komende maand vooral werken aan een vast dagritme.',
  ],
  be: [
    'Gesprek op kantoor: trajectplan overlopen en doelen bijgestuurd.',
    'Afspraak op kantoor: vacatures overlopen en een spontane sollicitatie opgesteld.',
    'Op kantoor de vooruitgang besproken. {name} wil de komende maand vooral werken aan een vast dagritme.',
  ],
};

export const HOME_VISIT: TextPool = {
  nl: ['Huisbezoek: samen de post en de rekeningen doorgenomen. Afspraken gemaakt over een vaste administratiedag.'],
  be: ['Huisbezoek: samen de post en de rekeningen overlopen. Afspraken gemaakt over een vaste dag voor de papieren.'],
};

export const INTAKE: TextPool = {
  nl: ['Kennismakingsgesprek: verwachtingen uitgesproken, werkervaring en wensen van {name} in kaart gebracht.'],
  be: ['Kennismakingsgesprek: verwachtingen overlopen, werkervaring en wensen van {name} in kaart gebracht.'],
};

export const CLOSING: TextPool = {
  nl: ['Afsluitend gesprek: traject samen geëvalueerd en afgerond. {name} bedankt voor de begeleiding.'],
  be: ['Afsluitend gesprek: traject samen geëvalueerd en afgerond. {name} bedankt voor de begeleiding.'],
};

export const STAND_IN_PREFIX: TextPool = {
  nl: ['Waarneming voor {coach}: '],
  be: ['Waarneming voor {coach}: '],
};

export interface GoalTemplate {
  title: string;
  description?: string;
}

export const GOALS: Record<Exclude<LifeDomain, 'other'>, Record<Region, readonly GoalTemplate[]>> = {
  work: {
    nl: [
      { title: 'Werkritme opbouwen naar 24 uur per week', description: 'Stap voor stap uitbreiden in overleg met de werkgever.' },
      { title: 'Een betaalde baan vinden', description: 'Bij voorkeur in de horeca of de logistiek.' },
      { title: 'Heftruckcertificaat halen' },
      { title: 'Contract na de proefperiode' },
    ],
    be: [
      { title: 'Een vaste job vinden', description: 'Liefst in de horeca of in een magazijn.' },
      { title: 'Werkervaringsstage goed afronden' },
      { title: 'Attest heftruck behalen' },
      { title: 'Stilaan naar een halftijdse job groeien', description: 'Uren opbouwen in overleg met de werkgever.' },
    ],
  },
  daily_structure: {
    nl: [
      { title: 'Elke werkdag om half acht op', description: 'Wekker buiten bereik van het bed; ontbijt voor vertrek.' },
      { title: 'Een weekplanning maken en bijhouden' },
    ],
    be: [
      { title: 'Elke dag om half acht opstaan', description: 'Wekker weg van het bed; eerst ontbijten.' },
      { title: 'Een weekplanning opmaken en volhouden' },
    ],
  },
  social: {
    nl: [{ title: 'Eén keer per week iets ondernemen met anderen' }, { title: 'Lid worden van een sportvereniging' }],
    be: [{ title: 'Wekelijks iets doen met vrienden' }, { title: 'Aansluiten bij een sportclub' }],
  },
  health: {
    nl: [{ title: 'Drie keer per week een half uur bewegen' }, { title: 'Op vaste tijden eten en slapen' }],
    be: [{ title: 'Drie keer per week een halfuurtje bewegen' }, { title: 'Op vaste uren eten en slapen' }],
  },
  finances: {
    nl: [
      { title: 'Overzicht van inkomsten en uitgaven maken', description: 'Samen een maandbegroting opstellen.' },
      { title: 'Betalingsachterstand bij de energieleverancier aflossen' },
    ],
    be: [
      { title: 'Een budgetplan opmaken', description: 'Samen inkomsten en uitgaven per maand op een rij.' },
      { title: 'Achterstallige facturen afbetalen' },
    ],
  },
  language: {
    nl: [{ title: 'Taalniveau A2 halen bij het Taalhuis' }, { title: 'Zelfstandig een telefoongesprek met de werkgever voeren' }],
    be: [{ title: 'Richtgraad 1.2 Nederlands behalen' }, { title: 'Zelf naar de werkgever durven bellen' }],
  },
  housing: {
    nl: [{ title: 'Inschrijven als woningzoekende' }, { title: 'Eigen woonruimte vinden' }],
    be: [{ title: 'Inschrijven voor een sociale woning' }, { title: 'Een eigen studio vinden' }],
  },
};

export const PROGRESS_NOTES: Record<'in_progress' | 'achieved' | 'dropped', TextPool> = {
  in_progress: {
    nl: [
      'Eerste stappen gezet; gaat de goede kant op.',
      'Halverwege. Volgende stap besproken.',
      'Lastige week, maar het doel blijft staan.',
      'Voortgang besproken in het gesprek; ligt op schema.',
    ],
    be: [
      "Eerste stappen gezet; 't gaat de goede kant uit.",
      'Halfweg. Volgende stap besproken.',
      'Moeilijke week, maar het doel blijft.',
      'Vooruitgang overlopen in het gesprek; op schema.',
    ],
  },
  achieved: {
    nl: ['Behaald! Samen even bij stilgestaan.', 'Doel bereikt; {name} is er trots op.'],
    be: ['Gelukt! Samen even gevierd.', 'Doel bereikt; {name} is er fier op.'],
  },
  dropped: {
    nl: ['In overleg laten vallen: past niet meer bij de situatie.'],
    be: ['In overleg geschrapt: past niet meer bij de situatie.'],
  },
};

export const REFERRALS: Record<
  Exclude<ReferralServiceKind, 'other'>,
  { organisation: Record<Region, string>; reason: Record<Region, string> }
> = {
  debt_counselling: {
    organisation: { nl: 'Schuldhulpverlening Gemeente Utrecht', be: 'CAW Oost-Vlaanderen – schuldbemiddeling' },
    reason: {
      nl: 'Oplopende schulden bij zorgverzekeraar en energieleverancier; {name} overziet het niet meer.',
      be: 'Openstaande facturen lopen op; {name} heeft geen zicht meer op het budget.',
    },
  },
  social_work: {
    organisation: { nl: 'Buurtteam Utrecht', be: 'OCMW Gent – sociale dienst' },
    reason: {
      nl: 'Ondersteuning thuis nodig naast het werktraject.',
      be: 'Ondersteuning thuis nodig naast het traject.',
    },
  },
  housing: {
    organisation: { nl: 'Woningcorporatie Mitros – woonbegeleiding', be: 'Sociaal Verhuurkantoor Gent' },
    reason: {
      nl: '{name} woont tijdelijk bij familie en zoekt eigen woonruimte.',
      be: '{name} woont tijdelijk bij familie en zoekt een eigen woning.',
    },
  },
  language_coaching: {
    organisation: { nl: 'Taalhuis Utrecht', be: 'Huis van het Nederlands Gent' },
    reason: {
      nl: 'Taalcoaching om werkinstructies beter te begrijpen.',
      be: 'Taalcoaching om de werkinstructies beter te begrijpen.',
    },
  },
  health_care: {
    organisation: { nl: 'Gezondheidscentrum Overvecht', be: 'Wijkgezondheidscentrum De Sleep' },
    reason: {
      nl: '{name} heeft geen vaste huisarts; hulp bij inschrijven.',
      be: '{name} heeft geen vaste huisarts; hulp bij inschrijven.',
    },
  },
  addiction_care: {
    organisation: { nl: 'Centrum voor verslavingszorg Utrecht', be: 'De Sleutel Gent' },
    reason: {
      nl: 'Op eigen verzoek: hulp bij minderen met blowen.',
      be: 'Op eigen vraag: hulp om te minderen met cannabis.',
    },
  },
  legal_aid: {
    organisation: { nl: 'Het Juridisch Loket', be: 'Eerstelijnsrechtshulp Gent' },
    reason: {
      nl: 'Vragen over een geschil met de vorige werkgever.',
      be: 'Vragen over een conflict met de vorige werkgever.',
    },
  },
};
