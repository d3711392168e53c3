import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import { ZipFile } from 'yazl';
import { recordAuditEvent } from '../platform/audit/service';
import type { Database, ParticipantStatus } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import { handoversForSubjectAccess } from '../handovers/service';
import { supportRequestsForSubjectAccess } from '../support/service';
import { hoursUsedOf } from '../trajectories/service';
import { DATA_FILES, DATA_PARTS, exportFileList, type DataPart, type ExportContext, type SubjectAccessData } from './parts';
import { findVisibleParticipant } from '../participants/queries';
import {
  listSubjectAuditEvents,
  listSubjectConsents,
  listSubjectContactAddenda,
  listSubjectContactAttendees,
  listSubjectContactMoments,
  listSubjectGoalLinks,
  listSubjectGoalProgress,
  listSubjectGoals,
  listSubjectNetworkPersons,
  listSubjectPlacementHours,
  listSubjectPlacements,
  listSubjectReferrals,
  listSubjectReportNarratives,
  listSubjectReviewItems,
  listSubjectRiskAcknowledgements,
  listSubjectRiskSnapshots,
  listSubjectTrajectories,
} from './queries';
import { readmeText, summaryPdf } from './summary';
import { groupBy } from '../lib/collections';

export { exportFileList, type DescribedFile, type ExportContext } from './parts';

// The GDPR art. 15 export: everything InBeeld holds about one participant, as JSON files plus a
// PDF summary and a read-me, in one ZIP. Only an admin, or the manager of the participant's team
// (the access rules already limit a manager to their team), may make it; for anyone else the
// participant does not exist here.

export function mayExportSubjectAccess(viewer: Viewer): boolean {
  return viewer.role === 'admin' || viewer.role === 'manager';
}

export interface SubjectAccessCandidate {
  id: number;
  firstName: string;
  lastName: string;
  status: ParticipantStatus;
  /** When the file was erased (src/retention): the answer is then that date, not an export. */
  erasedAt: Date | null;
}

/**
 * The participant (already found through the access rule, closed ones too) when this viewer may
 * make their export, or undefined: the route answers 404.
 */
export function subjectAccessCandidateOf(
  viewer: Viewer,
  participant: SubjectAccessCandidate,
): SubjectAccessCandidate | undefined {
  if (!mayExportSubjectAccess(viewer)) return undefined;
  return {
    id: participant.id,
    firstName: participant.firstName,
    lastName: participant.lastName,
    status: participant.status,
    erasedAt: participant.erasedAt,
  };
}

export interface ExportFile {
  name: string;
  content: Buffer;
}

export interface SubjectAccessExport {
  /** inzage-<participant id>-<yyyy-mm-dd>.zip, the date in the organisation's zone. */
  fileName: string;
  files: ExportFile[];
}

/**
 * Records the export in the audit log and loads every part, in one transaction: the event is
 * stored only together with the data it hands out, and repeatable read gives all parts one
 * snapshot (no contact moment without its addenda because someone saved in between). The
 * export's own event is written first, so the audit trail in the export shows this export too.
 * Everything runs on the transaction's connection: embedded mode has only one.
 */
export async function exportSubjectAccess(
  db: Kysely<Database>,
  viewer: Viewer,
  participantId: number,
  context: ExportContext,
): Promise<SubjectAccessExport | undefined> {
  if (!mayExportSubjectAccess(viewer)) return undefined;
  const fileNames = exportFileList(context.t).map((file) => file.name);
  const data = await db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx): Promise<SubjectAccessData | undefined> => {
      const participant = await findVisibleParticipant(trx, viewer, participantId);
      if (!participant) return undefined;
      await recordAuditEvent(trx, {
        actorUserId: viewer.userId,
        action: 'export',
        entityType: 'subject_access',
        entityId: participant.id,
        participantId: participant.id,
        details: { parts: fileNames },
      });
      const trajectoryRows = await listSubjectTrajectories(trx, participant.id);
      const hours = await hoursUsedOf(
        trx,
        trajectoryRows.map((row) => row.id),
        context.timeZone,
      );
      return {
        participant,
        trajectories: trajectoryRows.map((row) => ({ ...row, hours: hours.get(row.id)! })),
        placements: await listSubjectPlacements(trx, participant.id),
        placementHours: await listSubjectPlacementHours(trx, participant.id),
        contactMoments: await listSubjectContactMoments(trx, participant.id),
        contactAddenda: await listSubjectContactAddenda(trx, participant.id),
        contactAttendees: await listSubjectContactAttendees(trx, participant.id),
        goalLinks: await listSubjectGoalLinks(trx, participant.id),
        goals: await listSubjectGoals(trx, participant.id),
        goalProgress: await listSubjectGoalProgress(trx, participant.id),
        referrals: await listSubjectReferrals(trx, participant.id),
        networkPersons: await listSubjectNetworkPersons(trx, participant.id),
        consents: await listSubjectConsents(trx, participant.id),
        handovers: await handoversForSubjectAccess(trx, participant.id),
        riskAcknowledgements: await listSubjectRiskAcknowledgements(trx, participant.id),
        riskSnapshots: await listSubjectRiskSnapshots(trx, participant.id),
        reportNarratives: await listSubjectReportNarratives(trx, participant.id),
        reviewItems: await listSubjectReviewItems(trx, participant.id),
        supportRequests: await supportRequestsForSubjectAccess(trx, participant.id),
        auditEvents: await listSubjectAuditEvents(trx, participant.id),
      };
    });
  if (!data) return undefined;

  const documents = subjectAccessDocuments(data, context.timeZone);
  const counts = Object.fromEntries(
    DATA_PARTS.map((part) => {
      const document = documents[part];
      return [part, Array.isArray(document) ? document.length : 1];
    }),
  ) as Record<DataPart, number>;
  const [readmeName, summaryName] = fileNames as [string, string];
  const files: ExportFile[] = [
    { name: readmeName, content: Buffer.from(readmeText(data.participant, context), 'utf8') },
    { name: summaryName, content: await summaryPdf(data, counts, context) },
    ...DATA_PARTS.map((part) => ({
      name: DATA_FILES[part],
      content: Buffer.from(`${JSON.stringify(documents[part], null, 2)}\n`, 'utf8'),
    })),
  ];
  const day = context.now.setZone(context.timeZone).toISODate();
  return { fileName: `inzage-${data.participant.id}-${day}.zip`, files };
}

/** The export's files as one ZIP, streamed as it is compressed. */
export function zipArchiveOf(files: readonly ExportFile[], modifiedAt: Date): Readable {
  const zip = new ZipFile();
  for (const file of files) zip.addBuffer(file.content, file.name, { mtime: modifiedAt });
  zip.end();
  return zip.outputStream as Readable;
}

/** An instant as ISO 8601 in the organisation's zone, with its UTC offset: exact, and readable for the person. */
function instant(value: Date, timeZone: string): string;
function instant(value: Date | null, timeZone: string): string | null;
function instant(value: Date | null, timeZone: string): string | null {
  return value === null ? null : DateTime.fromJSDate(value).setZone(timeZone).toISO();
}

const person = (id: number | null, name: string | null) => (id === null ? null : { id, name });

/** Hours to hundredths, as the trajectory pages show them. */
const hoursOfMinutes = (minutes: number) => Math.round((minutes * 100) / 60) / 100;

/** An instant in the organisation's zone (see `instant`), for one export. */
type At = (value: Date | null) => string | null;

/** The person themself, with their coach. */
function participantPart(data: SubjectAccessData, at: At) {
  const { participant } = data;
  return {
    id: participant.id,
    firstName: participant.firstName,
    lastName: participant.lastName,
    dateOfBirth: participant.dateOfBirth,
    phone: participant.phone,
    email: participant.email,
    addressLine: participant.addressLine,
    postalCode: participant.postalCode,
    city: participant.city,
    preferredChannel: participant.preferredChannel,
    languageSupport: participant.languageSupport,
    externalReference: participant.externalReference,
    status: participant.status,
    closedOn: participant.closedOn,
    coach: { id: participant.coachId, name: participant.coachName, team: participant.teamName },
    version: participant.version,
    createdAt: at(participant.createdAt),
    updatedAt: at(participant.updatedAt),
  };
}

/** Each trajectory with its hours: used, granted and billable. */
function trajectoriesPart(data: SubjectAccessData, at: At) {
  return data.trajectories.map((row) => {
    const grantedMinutes = Math.round(row.hours.grantedHours * 60);
    return {
      id: row.id,
      commissioner: { id: row.commissionerId, name: row.commissionerName, kind: row.commissionerKind },
      kind: row.kind,
      reference: row.reference,
      startDate: row.startDate,
      plannedEndDate: row.plannedEndDate,
      actualEndDate: row.actualEndDate,
      outcome: row.outcome,
      grantedHours: row.hours.grantedHours,
      hoursUsed: row.hours.hoursUsed,
      minutesUsed: row.hours.minutesUsed,
      // What the commissioner pays: registered hours, never more than granted.
      billableHours: hoursOfMinutes(Math.min(row.hours.minutesUsed, grantedMinutes)),
      version: row.version,
      createdAt: at(row.createdAt),
      updatedAt: at(row.updatedAt),
    };
  });
}

/** Each placement with its hours history. */
function placementsPart(data: SubjectAccessData, at: At) {
  const hoursByPlacement = groupBy(data.placementHours, (row) => row.placementId);
  return data.placements.map((row) => ({
    id: row.id,
    employer: { id: row.employerId, name: row.employerName },
    supervisor: person(row.supervisorContactId, row.supervisorName),
    kind: row.kind,
    jobTitle: row.jobTitle,
    startDate: row.startDate,
    endDate: row.endDate,
    plannedEndDate: row.plannedEndDate,
    status: row.status,
    pauseReason: row.pauseReason,
    pausedSince: row.pausedSince,
    hoursHistory: (hoursByPlacement.get(row.id) ?? []).map((hours) => ({
      effectiveFrom: hours.effectiveFrom,
      hoursPerWeek: Number(hours.hoursPerWeek),
      note: hours.note,
      recordedBy: person(hours.createdById, hours.createdByName),
      recordedAt: at(hours.createdAt),
    })),
    version: row.version,
    createdAt: at(row.createdAt),
    updatedAt: at(row.updatedAt),
  }));
}

/** Each contact moment with its addenda and the goals it served. */
function contactMomentsPart(data: SubjectAccessData, at: At) {
  const addendaByContact = groupBy(data.contactAddenda, (row) => row.contactMomentId);
  const goalsByContact = groupBy(data.goalLinks, (row) => row.contactMomentId);
  const attendeesByContact = groupBy(data.contactAttendees, (row) => row.contactMomentId);
  return data.contactMoments.map((row) => {
    const checked = [row.wellbeingMood, row.wellbeingRhythm, row.wellbeingSocial, row.wellbeingActivity].some(
      (score) => score !== null,
    );
    return {
      id: row.id,
      occurredAt: at(row.occurredAt),
      channel: row.channel,
      counterpart: row.counterpart,
      employer: person(row.employerId, row.employerName),
      employerContact: person(row.employerContactId, row.employerContactName),
      outcome: row.outcome,
      durationMinutes: row.durationMinutes,
      summary: row.summary,
      wellbeing: checked
        ? {
            mood: row.wellbeingMood,
            dailyRhythm: row.wellbeingRhythm,
            socialContacts: row.wellbeingSocial,
            daytimeActivity: row.wellbeingActivity,
          }
        : null,
      nextContact: row.nextContactDate
        ? { date: row.nextContactDate, time: row.nextContactTime ? row.nextContactTime.slice(0, 5) : null }
        : null,
      author: { id: row.authorId, name: row.authorName },
      goalIds: (goalsByContact.get(row.id) ?? []).map((link) => link.goalId),
      // Who took part besides the coach; network persons by their id in network.json.
      attendees: (attendeesByContact.get(row.id) ?? []).map((attendee) => ({
        kind: attendee.kind,
        ...(attendee.kind === 'supervisor'
          ? { employerContact: person(attendee.employerContactId, attendee.employerContactName) }
          : {}),
        ...(attendee.kind === 'network_person' ? { networkPersonId: attendee.networkPersonId } : {}),
      })),
      addenda: (addendaByContact.get(row.id) ?? []).map((addendum) => ({
        id: addendum.id,
        body: addendum.body,
        author: { id: addendum.authorId, name: addendum.authorName },
        createdAt: at(addendum.createdAt),
      })),
      version: row.version,
      createdAt: at(row.createdAt),
      updatedAt: at(row.updatedAt),
    };
  });
}

/** Each goal with its progress updates. */
function goalsPart(data: SubjectAccessData, at: At) {
  const progressByGoal = groupBy(data.goalProgress, (row) => row.goalId);
  return data.goals.map((row) => ({
    id: row.id,
    title: row.title,
    description: row.description,
    lifeDomain: row.lifeDomain,
    targetDate: row.targetDate,
    agreedWithParticipant: row.agreedWithParticipant,
    status: row.status,
    achievedOn: row.achievedOn,
    createdBy: { id: row.createdById, name: row.createdByName },
    progressUpdates: (progressByGoal.get(row.id) ?? []).map((update) => ({
      id: update.id,
      status: update.status,
      note: update.note,
      author: { id: update.authorId, name: update.authorName },
      createdAt: at(update.createdAt),
    })),
    version: row.version,
    createdAt: at(row.createdAt),
    updatedAt: at(row.updatedAt),
  }));
}

/** Each referral to another service. */
function referralsPart(data: SubjectAccessData, at: At) {
  return data.referrals.map((row) => ({
    id: row.id,
    serviceKind: row.serviceKind,
    organisation: row.organisation,
    reason: row.reason,
    status: row.status,
    referredOn: row.referredOn,
    closedOn: row.closedOn,
    createdBy: { id: row.createdById, name: row.createdByName },
    version: row.version,
    createdAt: at(row.createdAt),
    updatedAt: at(row.updatedAt),
  }));
}

/** The people around the participant, also those no longer involved. */
function networkPart(data: SubjectAccessData, at: At) {
  return data.networkPersons.map((row) => ({
    id: row.id,
    role: row.role,
    name: row.name,
    organisation: row.organisation,
    phone: row.phone,
    email: row.email,
    note: row.note,
    endedOn: row.endedOn,
    createdBy: { id: row.createdById, name: row.createdByName },
    version: row.version,
    createdAt: at(row.createdAt),
    updatedAt: at(row.updatedAt),
  }));
}

/** Each consent per purpose, with who recorded and who withdrew it. */
function consentsPart(data: SubjectAccessData, at: At) {
  return data.consents.map((row) => ({
    id: row.id,
    purpose: row.purpose,
    givenOn: row.givenOn,
    recordedBy: { id: row.recordedById, name: row.recordedByName },
    withdrawnOn: row.withdrawnOn,
    withdrawnBy: person(row.withdrawnById, row.withdrawnByName),
    note: row.note,
    version: row.version,
    createdAt: at(row.createdAt),
    updatedAt: at(row.updatedAt),
  }));
}

/** Each handover to another organisation at the end of a trajectory, with the note passed on. */
function handoversPart(data: SubjectAccessData, at: At) {
  return data.handovers.map((row) => ({
    trajectoryId: row.trajectoryId,
    organisation: { id: row.organisationId, name: row.organisationName },
    receiver: { name: row.receiverName, phone: row.receiverPhone, email: row.receiverEmail },
    handoverDate: row.handoverDate,
    note: row.note,
    createdBy: { id: row.createdById, name: row.createdByName },
    createdAt: at(row.createdAt),
  }));
}

/** Each question a coach asked their team leader about the participant, with the answer. */
function supportRequestsPart(data: SubjectAccessData, at: At) {
  return data.supportRequests.map((row) => ({
    id: row.id,
    askedBy: { id: row.coachId, name: row.coachName },
    contactMomentId: row.contactMomentId,
    question: row.question,
    askedAt: at(row.createdAt),
    answer: row.answer,
    answeredBy: row.answeredById === null ? null : { id: row.answeredById, name: row.answeredByName },
    answeredAt: row.answeredAt ? at(row.answeredAt) : null,
  }));
}

/** Each time a coach acknowledged the participant's risk flags. */
function riskAcknowledgementsPart(data: SubjectAccessData, at: At) {
  return data.riskAcknowledgements.map((row) => ({
    id: row.id,
    acknowledgedAt: at(row.acknowledgedAt),
    acknowledgedBy: { id: row.acknowledgedById, name: row.acknowledgedByName },
    level: row.level,
    flagged: row.flagged,
    note: row.note,
    snoozeUntil: row.snoozeUntil,
  }));
}

/** The daily risk levels. */
function riskSnapshotsPart(data: SubjectAccessData) {
  return data.riskSnapshots.map((row) => ({
    date: row.snapshotDate,
    level: row.level,
    signals: row.signals,
    coach: { id: row.coachId, name: row.coachName, team: row.teamName },
  }));
}

/** The coach's report narratives per period. */
function reportNarrativesPart(data: SubjectAccessData, at: At) {
  return data.reportNarratives.map((row) => ({
    id: row.id,
    trajectoryId: row.trajectoryId,
    periodFrom: row.periodFrom,
    periodTo: row.periodTo,
    progress: row.progress,
    nextSteps: row.nextSteps,
    updatedBy: { id: row.updatedById, name: row.updatedByName },
    version: row.version,
    createdAt: at(row.createdAt),
    updatedAt: at(row.updatedAt),
  }));
}

/** The quality reviews of their contact moments. */
function qualityReviewsPart(data: SubjectAccessData, at: At) {
  return data.reviewItems.map((row) => ({
    id: row.id,
    contactMomentId: row.contactMomentId,
    sampleId: row.sampleId,
    drawnAt: at(row.drawnAt),
    drawnBy: { id: row.drawnById, name: row.drawnByName },
    reviewedBy: person(row.reviewedById, row.reviewedByName),
    reviewedAt: at(row.reviewedAt),
    feedback: row.feedback,
  }));
}

/** Who viewed, changed or exported their data, and when. */
function auditTrailPart(data: SubjectAccessData, at: At) {
  return data.auditEvents.map((row) => ({
    id: row.id,
    occurredAt: at(row.occurredAt),
    actor: row.actorUserId === null ? null : { id: row.actorUserId, name: row.actorName, role: row.actorRole },
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    details: row.details,
  }));
}

/** The JSON content of every data file: camelCase keys, ISO dates, codes as stored, related names beside ids. */
export function subjectAccessDocuments(data: SubjectAccessData, timeZone: string): Record<DataPart, unknown> {
  const at: At = (value) => instant(value, timeZone);
  return {
    participant: participantPart(data, at),
    trajectories: trajectoriesPart(data, at),
    placements: placementsPart(data, at),
    contactMoments: contactMomentsPart(data, at),
    goals: goalsPart(data, at),
    referrals: referralsPart(data, at),
    network: networkPart(data, at),
    consents: consentsPart(data, at),
    handovers: handoversPart(data, at),
    riskAcknowledgements: riskAcknowledgementsPart(data, at),
    riskSnapshots: riskSnapshotsPart(data),
    reportNarratives: reportNarrativesPart(data, at),
    qualityReviews: qualityReviewsPart(data, at),
    supportRequests: supportRequestsPart(data, at),
    auditTrail: auditTrailPart(data, at),
  };
}
