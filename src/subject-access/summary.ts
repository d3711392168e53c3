import { ReportPdf } from '../lib/pdf';
import type { Translate } from '../platform/i18n';
import type { SubjectParticipantRow } from './queries';
import {
  DATA_FILES,
  DATA_PARTS,
  SUMMARY_FILE,
  exportFileList,
  type DataPart,
  type ExportContext,
  type SubjectAccessData,
} from './parts';

// The two files of the export meant for people rather than programs: the read-me that explains
// the files, and the PDF summary. Both in the language of the user who makes the export.

const fullName = (participant: Pick<SubjectParticipantRow, 'firstName' | 'lastName'>) =>
  `${participant.firstName} ${participant.lastName}`;

/**
 * A stored code in words: the first of the message groups that has it, or the code itself (a code
 * added later still shows). Only plain codes are looked up, so a stored value can never pick a key.
 */
function codeLabel(t: Translate, groups: readonly string[], code: string): string {
  if (!/^[a-z0-9_]+$/.test(code)) return code;
  return t(
    groups.map((group) => `${group}.${code}`),
    { defaultValue: code },
  );
}

export function readmeText(participant: SubjectParticipantRow, context: ExportContext): string {
  const { t, fmt, organisationName, timeZone, now } = context;
  const title = t('subjectAccess.readme.title');
  const lines = [
    title,
    '='.repeat(title.length),
    '',
    t('subjectAccess.readme.intro', {
      organisation: organisationName,
      name: fullName(participant),
      id: participant.id,
      dateTime: fmt.dateTime(now),
    }),
    '',
    t('subjectAccess.readme.filesHeading'),
    '-'.repeat(t('subjectAccess.readme.filesHeading').length),
    ...exportFileList(t).map((file) => `- ${file.name}: ${file.description}`),
    '',
    t('subjectAccess.readme.formatHeading'),
    '-'.repeat(t('subjectAccess.readme.formatHeading').length),
    `- ${t('subjectAccess.readme.format.encoding')}`,
    `- ${t('subjectAccess.readme.format.dates')}`,
    `- ${t('subjectAccess.readme.format.timestamps', { timeZone })}`,
    `- ${t('subjectAccess.readme.format.codes', { summary: SUMMARY_FILE })}`,
    `- ${t('subjectAccess.readme.format.staff')}`,
    `- ${t('subjectAccess.readme.format.empty')}`,
    '',
    t('subjectAccess.readme.riskHeading'),
    '-'.repeat(t('subjectAccess.readme.riskHeading').length),
    t('subjectAccess.readme.risk', { file: DATA_FILES.riskSnapshots }),
    '',
    t('subjectAccess.readme.questions', { organisation: organisationName }),
    '',
  ];
  // CRLF: the read-me is opened by people, often in Windows' Notepad.
  return lines.join('\r\n');
}

export async function summaryPdf(
  data: SubjectAccessData,
  counts: Record<DataPart, number>,
  context: ExportContext,
): Promise<Buffer> {
  const { t, fmt, locale, organisationName, timeZone, now } = context;
  const { participant } = data;
  const name = fullName(participant);
  const optional = (value: string | null) => value || t('common.none');
  const hours = (value: number) => fmt.number(value, 2);

  const pdf = await ReportPdf.create({
    title: t('subjectAccess.summary.title'),
    subtitle: t('subjectAccess.summary.subtitle', { name, id: participant.id }),
    organisationName,
    generatedLine: t('subjectAccess.summary.generated', { dateTime: fmt.dateTime(now) }),
    pageLabel: (page, pages) => t('pagination.page', { page, pages }),
    language: locale,
    creationDate: now.toJSDate(),
  });

  pdf.notice(t('subjectAccess.summary.confidential', { name }));
  pdf.paragraph(t('subjectAccess.summary.intro', { name, readme: t('subjectAccess.readme.fileName') }));

  pdf.heading(t('subjectAccess.summary.detailsHeading'));
  const details: Array<[string, string]> = [
    [t('participants.fields.firstName'), participant.firstName],
    [t('participants.fields.lastName'), participant.lastName],
    [t('participants.fields.dateOfBirth'), participant.dateOfBirth ? fmt.date(participant.dateOfBirth) : t('common.none')],
    [t('participants.fields.phone'), optional(participant.phone)],
    [t('participants.fields.email'), optional(participant.email)],
    [t('participants.fields.addressLine'), optional(participant.addressLine)],
    [t('participants.fields.postalCode'), optional(participant.postalCode)],
    [t('participants.fields.city'), optional(participant.city)],
    [t('participants.fields.preferredChannel'), codeLabel(t, ['participants.channels'], participant.preferredChannel)],
    [t('participants.fields.languageSupport'), optional(participant.languageSupport)],
    [t('participants.fields.externalReference'), optional(participant.externalReference)],
    [t('participants.fields.status'), codeLabel(t, ['participants.status'], participant.status)],
  ];
  if (participant.closedOn) details.push([t('subjectAccess.summary.closedOn'), fmt.date(participant.closedOn)]);
  details.push(
    [
      t('subjectAccess.summary.coach'),
      [participant.coachName, participant.teamName].filter((part): part is string => Boolean(part)).join(' · ') ||
        t('common.none'),
    ],
    [t('subjectAccess.summary.createdAt'), fmt.dateTime(participant.createdAt)],
    [t('subjectAccess.summary.updatedAt'), fmt.dateTime(participant.updatedAt)],
  );
  pdf.keyValues(details);

  pdf.heading(t('subjectAccess.summary.contentsHeading'));
  pdf.table(
    [
      { header: t('subjectAccess.summary.file'), width: 3.6 },
      { header: t('subjectAccess.summary.contents'), width: 6.4 },
      { header: t('subjectAccess.summary.count'), width: 1.2, align: 'right' },
    ],
    DATA_PARTS.map((part) => [DATA_FILES[part], t(`subjectAccess.files.${part}`), fmt.number(counts[part])]),
  );

  pdf.heading(t('subjectAccess.summary.trajectoriesHeading'));
  pdf.table(
    [
      { header: t('subjectAccess.summary.reference'), width: 2.6 },
      { header: t('subjectAccess.summary.commissionerAndKind'), width: 3.8 },
      { header: t('subjectAccess.summary.period'), width: 2.3 },
      { header: t('subjectAccess.summary.hours'), width: 2.6 },
      { header: t('subjectAccess.summary.outcome'), width: 2.5 },
    ],
    data.trajectories.map((trajectory) => {
      const grantedMinutes = Math.round(trajectory.hours.grantedHours * 60);
      const billableMinutes = Math.min(trajectory.hours.minutesUsed, grantedMinutes);
      return [
        optional(trajectory.reference),
        `${trajectory.commissionerName}\n${codeLabel(t, ['trajectories.kinds'], trajectory.kind)}`,
        trajectory.actualEndDate
          ? t('subjectAccess.summary.periodClosed', {
              from: fmt.date(trajectory.startDate),
              to: fmt.date(trajectory.actualEndDate),
            })
          : t('subjectAccess.summary.periodOpen', { from: fmt.date(trajectory.startDate) }),
        t('subjectAccess.summary.hoursValue', {
          used: hours(trajectory.hours.hoursUsed),
          granted: hours(trajectory.hours.grantedHours),
          billable: hours(Math.round((billableMinutes * 100) / 60) / 100),
        }),
        trajectory.outcome ? codeLabel(t, ['trajectories.outcomeLabels'], trajectory.outcome) : t('trajectories.section.open'),
      ];
    }),
    { emptyText: t('subjectAccess.summary.noTrajectories') },
  );

  pdf.heading(t('subjectAccess.summary.auditHeading'));
  pdf.paragraph(t('subjectAccess.summary.auditIntro', { timeZone }), { muted: true });
  pdf.table(
    [
      { header: t('subjectAccess.summary.when'), width: 2.3 },
      { header: t('subjectAccess.summary.who'), width: 3.5 },
      { header: t('subjectAccess.summary.action'), width: 2.1 },
      { header: t('subjectAccess.summary.what'), width: 3.4 },
    ],
    data.auditEvents.map((event) => {
      const entity = codeLabel(t, ['audit.entities'], event.entityType);
      return [
        fmt.dateTime(event.occurredAt),
        event.actorName === null
          ? t('subjectAccess.summary.system')
          : t('subjectAccess.summary.actorWithRole', {
              name: event.actorName,
              role: event.actorRole ? codeLabel(t, ['roles'], event.actorRole) : t('common.none'),
            }),
        codeLabel(t, ['audit.actions'], event.action),
        event.entityId === null ? entity : t('subjectAccess.summary.entityWithId', { entity, id: event.entityId }),
      ];
    }),
    { emptyText: t('subjectAccess.summary.noEvents') },
  );

  return pdf.toBuffer();
}
