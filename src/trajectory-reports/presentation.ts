import type { Locale } from '../config';
import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import { ReportPdf, type PdfColumn } from '../lib/pdf';
import type {
  LogbookEntry,
  ReportPeriod,
  ReportPlacement,
  ReportRef,
  ReportSubject,
  TrajectoryReport,
  WellbeingCheck,
} from './service';

/** The period form's field labels. */
export const PERIOD_LABELS: Record<string, string> = {
  from: 'trajectoryReports.period.from',
  to: 'trajectoryReports.period.to',
};

/** The narrative form's field labels, for the form and the conflict page. */
export const NARRATIVE_LABELS: Record<string, string> = {
  progress: 'trajectoryReports.narrative.progress',
  nextSteps: 'trajectoryReports.narrative.nextSteps',
};

/** The notices the report page shows after a save (?done=…). */
export const NOTICES = { narrativeSaved: 'trajectoryReports.narrative.saved' } as const;

export function reportPath(ref: ReportRef, period?: ReportPeriod): string {
  const base = `/participants/${ref.participantId}/trajectories/${ref.trajectoryId}/report`;
  return period ? `${base}?from=${period.from}&to=${period.to}` : base;
}

export function pdfPath(ref: ReportRef, period: ReportPeriod): string {
  return `/participants/${ref.participantId}/trajectories/${ref.trajectoryId}/report.pdf?from=${period.from}&to=${period.to}`;
}

/** Letters, digits and dashes only (accents dropped), so the name is safe in any header and file system. */
function fileNamePart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

export function pdfFileName(subject: ReportSubject, period: ReportPeriod, t: Translate): string {
  const reference = fileNamePart(subject.reference ?? '') || String(subject.trajectoryId);
  return `${t('trajectoryReports.fileName')}-${reference}-${period.from}-${period.to}.pdf`;
}

/** Where a narrative form's errors show: the hidden period and version fields have no place of their own. */
export function narrativeErrorsOf(errors: Record<string, string>): Record<string, string> {
  const shown: Record<string, string> = {};
  if (errors.from || errors.to) shown._form = 'trajectoryReports.narrative.periodInvalid';
  else if (errors.version) shown._form = 'validation.stale';
  if (errors.progress) shown.progress = errors.progress;
  if (errors.nextSteps) shown.nextSteps = errors.nextSteps;
  return shown;
}

// The report as translated, formatted text in sections of blocks. The HTML print view and the PDF
// both render this one document, so they always say exactly the same.

export type ReportBlock =
  | { kind: 'keyValues'; rows: Array<[string, string]> }
  | { kind: 'subheading'; text: string }
  | { kind: 'paragraph'; text: string; muted?: boolean; bold?: boolean }
  | { kind: 'notice'; text: string }
  | { kind: 'table'; columns: PdfColumn[]; rows: string[][]; emptyText: string; lastRowIsTotal?: boolean }
  | { kind: 'signature'; rows: Array<[string, string]>; signLabel: string };

export interface ReportSection {
  id: string;
  heading: string;
  blocks: ReportBlock[];
}

export interface ReportDocument {
  title: string;
  subtitle: string;
  organisationName: string;
  generatedLine: string;
  sections: ReportSection[];
}

/** Hours with as many decimals as they need (at most two): 12, 12,5, 0,83 in Dutch. */
export function formatHours(fmt: Formatters, hours: number): string {
  const hundredths = Math.round(hours * 100);
  return fmt.number(hundredths / 100, hundredths % 100 === 0 ? 0 : hundredths % 10 === 0 ? 1 : 2);
}

function placementRow(placement: ReportPlacement, t: Translate, fmt: Formatters): string[] {
  const hours = placement.hours.length
    ? placement.hours
        .map((row) =>
          t('trajectoryReports.placements.hoursFrom', {
            hours: formatHours(fmt, row.hoursPerWeek),
            date: fmt.date(row.effectiveFrom),
          }),
        )
        .join('\n')
    : t('trajectoryReports.placements.noHours');
  return [
    placement.employerName,
    placement.jobTitle,
    t(`placements.kinds.${placement.kind}`),
    t('trajectoryReports.dateRange', {
      from: fmt.date(placement.startDate),
      to: placement.endDate ? fmt.date(placement.endDate) : t('trajectoryReports.placements.ongoing'),
    }),
    hours,
  ];
}

function logbookRow(entry: LogbookEntry, t: Translate, fmt: Formatters): string[] {
  const counterpart = t(`contacts.counterparts.${entry.counterpart}`);
  return [
    fmt.date(entry.occurredAt),
    fmt.time(entry.occurredAt),
    fmt.number(entry.durationMinutes),
    t(`contacts.channels.${entry.channel}`),
    entry.employerName ? `${counterpart} (${entry.employerName})` : counterpart,
    t(`contacts.outcomes.${entry.outcome}`),
    entry.goalTitles.length ? entry.goalTitles.join('; ') : t('trajectoryReports.none'),
  ];
}

function wellbeingRow(check: WellbeingCheck, t: Translate, fmt: Formatters): string[] {
  const score = (part: 'mood' | 'rhythm' | 'social' | 'activity', level: number | null) =>
    level === null
      ? t('trajectoryReports.none')
      : t('contacts.wellbeing.value', { level, word: t(`contacts.wellbeing.${part}.levels.${level}`) });
  return [
    fmt.date(check.occurredAt),
    score('mood', check.mood),
    score('rhythm', check.rhythm),
    score('social', check.social),
    score('activity', check.activity),
  ];
}

/** What every section needs to put the report into words. */
interface Wording {
  t: Translate;
  fmt: Formatters;
  /** The mark for a value that is not there. */
  none: string;
}

/** "01-07-2026 t/m 30-09-2026" for an ISO day range. */
function rangeOf({ t, fmt }: Wording, from: string, to: string): string {
  return t('trajectoryReports.dateRange', { from: fmt.date(from), to: fmt.date(to) });
}

function hoursValue({ t, fmt }: Wording, value: number): string {
  return t('trajectoryReports.hours.value', { hours: formatHours(fmt, value) });
}

/** When the trajectory ended, or that it is still open (with its planned end when there is one). */
function trajectoryEndOf({ t, fmt }: Wording, subject: TrajectoryReport['subject']): string {
  if (subject.actualEndDate) return fmt.date(subject.actualEndDate);
  const openEnded = t('trajectoryReports.details.openEnded');
  if (!subject.plannedEndDate) return openEnded;
  return `${openEnded} (${t('trajectoryReports.details.plannedEnd', { date: fmt.date(subject.plannedEndDate) })})`;
}

function detailsSection(report: TrajectoryReport, wording: Wording): ReportSection {
  const { t, fmt, none } = wording;
  const { subject, period } = report;
  const trajectoryDates = t('trajectoryReports.dateRange', {
    from: fmt.date(subject.startDate),
    to: trajectoryEndOf(wording, subject),
  });
  // The trajectory's own reference only: the participant's reference on their profile may be
  // another funder's case number, which this commissioner must not receive.
  const blocks: ReportBlock[] = [
    {
      kind: 'keyValues',
      rows: [
        [t('trajectoryReports.details.participant'), `${subject.firstName} ${subject.lastName}`],
        [t('trajectoryReports.details.trajectoryReference'), subject.reference ?? none],
        [t('trajectoryReports.details.kind'), t(`trajectories.kinds.${subject.kind}`)],
        [t('trajectoryReports.details.commissioner'), subject.commissionerName],
        [t('trajectoryReports.details.coach'), subject.coachName],
        [t('trajectoryReports.details.trajectoryDates'), trajectoryDates],
        [t('trajectoryReports.details.period'), rangeOf(wording, period.from, period.to)],
      ],
    },
  ];
  if (report.periodExceedsTrajectory) {
    blocks.push({
      kind: 'paragraph',
      muted: true,
      text: t('trajectoryReports.period.outsideTrajectory', { range: trajectoryDates }),
    });
  }
  return { id: 'details', heading: t('trajectoryReports.sections.details'), blocks };
}

function placementsSection(report: TrajectoryReport, { t, fmt }: Wording): ReportSection {
  const columns: PdfColumn[] = [
    { header: t('trajectoryReports.placements.employer'), width: 4 },
    { header: t('trajectoryReports.placements.jobTitle'), width: 3 },
    { header: t('trajectoryReports.placements.kind'), width: 3 },
    { header: t('trajectoryReports.placements.dates'), width: 4 },
    { header: t('trajectoryReports.placements.hours'), width: 5 },
  ];
  const rows = report.placements.map((placement) => placementRow(placement, t, fmt));
  const table: ReportBlock = { kind: 'table', columns, rows, emptyText: t('trajectoryReports.placements.empty') };
  return { id: 'placements', heading: t('trajectoryReports.sections.placements'), blocks: [table] };
}

function hoursSection(report: TrajectoryReport, wording: Wording): ReportSection {
  const { t, fmt } = wording;
  const { subject, period, hours } = report;
  // The total counts up to the end of the period, or the trajectory's end when that came first.
  const totalUpTo = subject.actualEndDate !== null && subject.actualEndDate < period.to ? subject.actualEndDate : period.to;
  const blocks: ReportBlock[] = [
    {
      kind: 'keyValues',
      rows: [
        [t('trajectoryReports.hours.usedInPeriod'), hoursValue(wording, hours.hoursInPeriod)],
        [t('trajectoryReports.hours.usedTotal', { date: fmt.date(totalUpTo) }), hoursValue(wording, hours.hoursTotal)],
        [t('trajectoryReports.hours.granted'), hoursValue(wording, hours.grantedHours)],
        [t('trajectoryReports.hours.billable', { date: fmt.date(totalUpTo) }), hoursValue(wording, hours.billableHours)],
      ],
    },
  ];
  if (hours.overGranted) {
    const text = t('trajectoryReports.hours.overGranted', {
      used: formatHours(fmt, hours.hoursTotal),
      granted: formatHours(fmt, hours.grantedHours),
      billable: formatHours(fmt, hours.billableHours),
    });
    blocks.push({ kind: 'notice', text });
  }
  return { id: 'hours', heading: t('trajectoryReports.sections.hours'), blocks };
}

/** Contact moments counted by channel and by outcome, each table with a total row. */
function contactsSection(report: TrajectoryReport, { t, fmt }: Wording): ReportSection {
  const heading = t('trajectoryReports.sections.contacts');
  if (!report.logbook.length) {
    return { id: 'contacts', heading, blocks: [{ kind: 'paragraph', text: t('trajectoryReports.contacts.empty'), muted: true }] };
  }
  const totalRow = [t('trajectoryReports.contacts.total'), fmt.number(report.logbook.length)];
  const countTable = (first: string, rows: string[][]): ReportBlock => ({
    kind: 'table',
    columns: [
      { header: first, width: 3 },
      { header: t('trajectoryReports.contacts.count'), width: 1, align: 'right' },
    ],
    rows: [...rows, totalRow],
    emptyText: t('trajectoryReports.contacts.empty'),
    lastRowIsTotal: true,
  });
  const byChannel = report.contactsByChannel.map((row) => [t(`contacts.channels.${row.channel}`), fmt.number(row.count)]);
  const byOutcome = report.contactsByOutcome.map((row) => [t(`contacts.outcomes.${row.outcome}`), fmt.number(row.count)]);
  const blocks: ReportBlock[] = [
    { kind: 'subheading', text: t('trajectoryReports.sections.byChannel') },
    countTable(t('trajectoryReports.contacts.channel'), byChannel),
    { kind: 'subheading', text: t('trajectoryReports.sections.byOutcome') },
    countTable(t('trajectoryReports.contacts.outcome'), byOutcome),
  ];
  return { id: 'contacts', heading, blocks };
}

/** The UWV logbook: every contact of the period, then the total against the grant. */
function logbookSection(report: TrajectoryReport, { t, fmt }: Wording): ReportSection {
  const { hours } = report;
  const columns: PdfColumn[] = [
    { header: t('trajectoryReports.logbook.date'), width: 11 },
    { header: t('trajectoryReports.logbook.time'), width: 6 },
    { header: t('trajectoryReports.logbook.minutes'), width: 8, align: 'right' },
    { header: t('trajectoryReports.logbook.channel'), width: 13 },
    { header: t('trajectoryReports.logbook.counterpart'), width: 14 },
    { header: t('trajectoryReports.logbook.outcome'), width: 13 },
    { header: t('trajectoryReports.logbook.goals'), width: 20 },
  ];
  const rows = report.logbook.map((entry) => logbookRow(entry, t, fmt));
  const total = t('trajectoryReports.logbook.total', {
    hours: formatHours(fmt, hours.hoursInPeriod),
    minutes: fmt.number(hours.minutesInPeriod),
    granted: formatHours(fmt, hours.grantedHours),
  });
  const blocks: ReportBlock[] = [
    { kind: 'paragraph', text: t('trajectoryReports.logbook.intro'), muted: true },
    { kind: 'table', columns, rows, emptyText: t('trajectoryReports.logbook.empty') },
    { kind: 'paragraph', bold: true, text: total },
  ];
  return { id: 'logbook', heading: t('trajectoryReports.sections.logbook'), blocks };
}

function goalRow(goal: TrajectoryReport['goals'][number], { t, fmt, none }: Wording): string[] {
  const status = t(`goals.status.${goal.status}`);
  return [
    goal.title,
    t(`goals.lifeDomains.${goal.lifeDomain}`),
    goal.achievedOn ? `${status} (${t('trajectoryReports.goals.achievedOn', { date: fmt.date(goal.achievedOn) })})` : status,
    goal.targetDate ? fmt.date(goal.targetDate) : none,
    goal.latestNote !== null && goal.latestAt !== null
      ? t('trajectoryReports.goals.progressValue', { date: fmt.date(goal.latestAt), note: goal.latestNote })
      : none,
  ];
}

function goalsSection(report: TrajectoryReport, wording: Wording): ReportSection {
  const { t } = wording;
  const columns: PdfColumn[] = [
    { header: t('trajectoryReports.goals.title'), width: 5 },
    { header: t('trajectoryReports.goals.lifeDomain'), width: 3 },
    { header: t('trajectoryReports.goals.status'), width: 3 },
    { header: t('trajectoryReports.goals.targetDate'), width: 3 },
    { header: t('trajectoryReports.goals.latestProgress'), width: 7 },
  ];
  const rows = report.goals.map((goal) => goalRow(goal, wording));
  const table: ReportBlock = { kind: 'table', columns, rows, emptyText: t('trajectoryReports.goals.empty') };
  return { id: 'goals', heading: t('trajectoryReports.sections.goals'), blocks: [table] };
}

function wellbeingSection(report: TrajectoryReport, { t, fmt }: Wording): ReportSection {
  const columns: PdfColumn[] = [
    { header: t('trajectoryReports.wellbeing.date'), width: 3 },
    { header: t('trajectoryReports.wellbeing.mood'), width: 4 },
    { header: t('trajectoryReports.wellbeing.rhythm'), width: 4 },
    { header: t('trajectoryReports.wellbeing.social'), width: 4 },
    { header: t('trajectoryReports.wellbeing.activity'), width: 4 },
  ];
  const rows = report.wellbeing.map((check) => wellbeingRow(check, t, fmt));
  const blocks: ReportBlock[] = [
    { kind: 'paragraph', text: t('trajectoryReports.wellbeing.intro'), muted: true },
    { kind: 'table', columns, rows, emptyText: t('trajectoryReports.wellbeing.empty') },
  ];
  return { id: 'wellbeing', heading: t('trajectoryReports.sections.wellbeing'), blocks };
}

/** The coach's progress and next steps, each said to be unwritten when it is. */
function narrativeSection(report: TrajectoryReport, { t }: Wording): ReportSection {
  const parts = [
    [t('trajectoryReports.narrative.progress'), report.narrative?.progress ?? ''],
    [t('trajectoryReports.narrative.nextSteps'), report.narrative?.nextSteps ?? ''],
  ] as const;
  const blocks = parts.flatMap(([label, text]): ReportBlock[] => [
    { kind: 'subheading', text: label },
    text ? { kind: 'paragraph', text } : { kind: 'paragraph', text: t('trajectoryReports.narrative.notWritten'), muted: true },
  ]);
  return { id: 'narrative', heading: t('trajectoryReports.sections.narrative'), blocks };
}

/** How a closed trajectory ended; nothing for one still open. */
function outcomeSections({ subject }: TrajectoryReport, { t, fmt, none }: Wording): ReportSection[] {
  if (!subject.actualEndDate) return [];
  const rows: [string, string][] = [
    [t('trajectoryReports.outcome.endDate'), fmt.date(subject.actualEndDate)],
    [t('trajectoryReports.outcome.outcome'), subject.outcome ? t(`trajectories.outcomeLabels.${subject.outcome}`) : none],
  ];
  return [{ id: 'outcome', heading: t('trajectoryReports.sections.outcome'), blocks: [{ kind: 'keyValues', rows }] }];
}

/** The report as a document of sections, for the HTML print view and the PDF alike. */
export function presentReport(
  report: TrajectoryReport,
  context: { t: Translate; fmt: Formatters; organisationName: string; generatedAt: Date },
): ReportDocument {
  const { t, fmt } = context;
  const wording: Wording = { t, fmt, none: t('trajectoryReports.none') };
  const { subject, period } = report;
  const name = `${subject.firstName} ${subject.lastName}`;
  return {
    title: t('trajectoryReports.title'),
    subtitle: t('trajectoryReports.subtitle', { name, from: fmt.date(period.from), to: fmt.date(period.to) }),
    organisationName: context.organisationName,
    generatedLine: t('trajectoryReports.generated', { dateTime: fmt.dateTime(context.generatedAt) }),
    sections: [
      detailsSection(report, wording),
      placementsSection(report, wording),
      hoursSection(report, wording),
      contactsSection(report, wording),
      logbookSection(report, wording),
      goalsSection(report, wording),
      wellbeingSection(report, wording),
      narrativeSection(report, wording),
      ...outcomeSections(report, wording),
      signatureSection(report, wording, context.generatedAt),
    ],
  };
}

/** The same document as a PDF, in the reader's language. */
export async function reportPdfOf(document: ReportDocument, t: Translate, language: Locale): Promise<ReportPdf> {
  const pdf = await ReportPdf.create({
    title: document.title,
    subtitle: document.subtitle,
    organisationName: document.organisationName,
    generatedLine: document.generatedLine,
    pageLabel: (page, pages) => t('trajectoryReports.pageLabel', { page, pages }),
    language,
  });
  for (const section of document.sections) {
    pdf.heading(section.heading, 1);
    for (const block of section.blocks) {
      switch (block.kind) {
        case 'keyValues':
          pdf.keyValues(block.rows);
          break;
        case 'subheading':
          pdf.heading(block.text, 2);
          break;
        case 'paragraph':
          pdf.paragraph(block.text, { muted: block.muted, bold: block.bold });
          break;
        case 'notice':
          pdf.notice(block.text);
          break;
        case 'table':
          pdf.table(block.columns, block.rows, { emptyText: block.emptyText, lastRowIsTotal: block.lastRowIsTotal });
          break;
        case 'signature':
          pdf.signature(block.rows, block.signLabel);
          break;
      }
    }
  }
  return pdf;
}

/** Who made the report and when, with a line to sign on: the coach signs the report they hand over. */
function signatureSection(report: TrajectoryReport, { t, fmt }: Wording, generatedAt: Date): ReportSection {
  return {
    id: 'signature',
    heading: t('trajectoryReports.signature.heading'),
    blocks: [
      {
        kind: 'signature',
        rows: [
          [t('trajectoryReports.signature.coach'), report.subject.coachName],
          [t('trajectoryReports.signature.date'), fmt.date(generatedAt)],
        ],
        signLabel: t('trajectoryReports.signature.sign'),
      },
    ],
  };
}
