import type { Locale } from '../config';
import type { Formatters } from '../lib/format';
import { ReportPdf } from '../lib/pdf';
import type { Translate } from '../platform/i18n';
import type { HandoverDetail, HandoverRecord } from './service';

/** Each handover field's label, for the close form and its error summary. */
export const HANDOVER_FIELD_LABELS: Record<string, string> = {
  handoverOrganisationId: 'handovers.fields.handoverOrganisationId',
  receiverName: 'handovers.fields.receiverName',
  receiverPhone: 'handovers.fields.receiverPhone',
  receiverEmail: 'handovers.fields.receiverEmail',
  handoverDate: 'handovers.fields.handoverDate',
  handoverNote: 'handovers.fields.handoverNote',
};

interface Words {
  t: Translate;
  fmt: Formatters;
}

/** Phone and email on one line, leaving out what is not known; a dash when neither is. */
function reachableAt(phone: string | null, email: string | null): string {
  return [phone, email].filter(Boolean).join(' · ') || '—';
}

export function fullNameOf(handover: HandoverRecord): string {
  return `${handover.participantFirstName} ${handover.participantLastName}`;
}

/** The closed trajectory as label/value rows (the page and the PDF alike). */
export function trajectoryRows(handover: HandoverRecord, { t, fmt }: Words): Array<[string, string]> {
  return [
    [t('handovers.labels.participant'), fullNameOf(handover)],
    [t('handovers.labels.commissioner'), handover.commissionerName],
    [t('handovers.labels.kind'), t(`trajectories.kinds.${handover.trajectoryKind}`)],
    [t('handovers.labels.reference'), handover.reference ?? '—'],
    [t('handovers.labels.period'), `${fmt.date(handover.startDate)} – ${fmt.date(handover.endDate)}`],
    [t('handovers.labels.coach'), handover.createdByName],
  ];
}

/** The receiving side as label/value rows. */
export function receiverRows(handover: HandoverRecord, { t, fmt }: Words): Array<[string, string]> {
  return [
    [t('handovers.labels.organisation'), `${handover.organisationName} (${t(`directory.kinds.${handover.organisationKind}`)})`],
    [t('handovers.labels.organisationContact'), reachableAt(handover.organisationPhone, handover.organisationEmail)],
    [t('handovers.labels.person'), handover.receiverName],
    [t('handovers.labels.personContact'), reachableAt(handover.receiverPhone, handover.receiverEmail)],
    [t('handovers.labels.date'), fmt.date(handover.handoverDate)],
  ];
}

/** A safe file name part: letters, digits and dashes only. */
function fileNamePart(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/[^A-Za-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);
}

export function handoverFileName(handover: HandoverRecord, t: Translate): string {
  const reference = fileNamePart(handover.reference ?? '') || String(handover.trajectoryId);
  return `${t('handovers.pdf.fileName')}-${reference}-${handover.handoverDate}.pdf`;
}

/** The handover as a PDF for the receiving organisation, with the same module as trajectory reports. */
export async function handoverPdfOf(
  { handover, openGoals }: HandoverDetail,
  words: Words & { locale: Locale; organisationName: string; generatedAt: Date },
): Promise<ReportPdf> {
  const { t, fmt } = words;
  const name = fullNameOf(handover);
  const pdf = await ReportPdf.create({
    title: t('handovers.pdf.title'),
    subtitle: t('handovers.pdf.subtitle', {
      name,
      organisation: handover.organisationName,
      date: fmt.date(handover.handoverDate),
    }),
    organisationName: words.organisationName,
    generatedLine: t('handovers.pdf.generated', { dateTime: fmt.dateTime(words.generatedAt) }),
    pageLabel: (page, pages) => t('handovers.pdf.pageLabel', { page, pages }),
    language: words.locale,
    creationDate: words.generatedAt,
  });
  pdf.notice(t('handovers.pdf.confidential'));
  pdf.heading(t('handovers.detail.trajectory'));
  pdf.keyValues(trajectoryRows(handover, words));
  pdf.heading(t('handovers.detail.receiver'));
  pdf.keyValues(receiverRows(handover, words));
  pdf.heading(t('handovers.detail.note'));
  pdf.paragraph(handover.note);
  pdf.heading(t('handovers.detail.openGoals'));
  if (openGoals.length === 0) pdf.paragraph(t('handovers.detail.noOpenGoals'), { muted: true });
  for (const goal of openGoals) pdf.paragraph(`• ${goal.title} (${t(`goals.lifeDomains.${goal.lifeDomain}`)})`);
  return pdf;
}
