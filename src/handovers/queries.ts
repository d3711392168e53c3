import { participantVisibleTo } from '../db/access';
import type { OrganisationKind, TrajectoryKind } from '../db/schema';
import type { Viewer } from '../lib/viewer';
import type { Executor } from '../platform/executor';

export interface HandoverColumns {
  trajectory_id: number;
  participant_id: number;
  organisation_id: number;
  receiver_name: string;
  receiver_phone: string | null;
  receiver_email: string | null;
  handover_date: string;
  note: string;
  created_by: number;
}

export async function insertHandover(db: Executor, columns: HandoverColumns, now: Date): Promise<void> {
  await db
    .insertInto('handovers')
    .values({ ...columns, created_at: now })
    .execute();
}

/** A handover as the profile lists it: enough to name where the participant went. */
export interface HandoverSummaryRow {
  trajectoryId: number;
  organisationName: string;
  receiverName: string;
  handoverDate: string;
}

/** The participant's handovers (one per closed trajectory at most), in one query. */
export async function listHandoverSummaries(db: Executor, participantId: number): Promise<HandoverSummaryRow[]> {
  return db
    .selectFrom('handovers')
    .innerJoin('referral_organisations as organisation', 'organisation.id', 'handovers.organisation_id')
    .where('handovers.participant_id', '=', participantId)
    .select([
      'handovers.trajectory_id as trajectoryId',
      'organisation.name as organisationName',
      'handovers.receiver_name as receiverName',
      'handovers.handover_date as handoverDate',
    ])
    .orderBy('handovers.handover_date', 'desc')
    .orderBy('handovers.trajectory_id', 'desc')
    .execute();
}

export interface HandoverRecord {
  trajectoryId: number;
  participantId: number;
  participantFirstName: string;
  participantLastName: string;
  commissionerName: string;
  trajectoryKind: TrajectoryKind;
  reference: string | null;
  startDate: string;
  endDate: string | null;
  organisationId: number;
  organisationName: string;
  organisationKind: OrganisationKind;
  organisationPhone: string | null;
  organisationEmail: string | null;
  receiverName: string;
  receiverPhone: string | null;
  receiverEmail: string | null;
  handoverDate: string;
  note: string;
  createdByName: string;
  createdAt: Date;
}

/** The handover of a trajectory of this participant, when the viewer may see the participant. */
export async function findVisibleHandover(
  db: Executor,
  viewer: Viewer,
  participantId: number,
  trajectoryId: number,
): Promise<HandoverRecord | undefined> {
  return db
    .selectFrom('handovers')
    .innerJoin('trajectories', 'trajectories.id', 'handovers.trajectory_id')
    .innerJoin('participants', 'participants.id', 'handovers.participant_id')
    .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .innerJoin('referral_organisations as organisation', 'organisation.id', 'handovers.organisation_id')
    .innerJoin('users as author', 'author.id', 'handovers.created_by')
    .where('handovers.trajectory_id', '=', trajectoryId)
    .where('handovers.participant_id', '=', participantId)
    .where(participantVisibleTo(viewer))
    .select([
      'handovers.trajectory_id as trajectoryId',
      'handovers.participant_id as participantId',
      'participants.first_name as participantFirstName',
      'participants.last_name as participantLastName',
      'commissioners.name as commissionerName',
      'trajectories.kind as trajectoryKind',
      'trajectories.reference',
      'trajectories.start_date as startDate',
      'trajectories.actual_end_date as endDate',
      'handovers.organisation_id as organisationId',
      'organisation.name as organisationName',
      'organisation.kind as organisationKind',
      'organisation.phone as organisationPhone',
      'organisation.email as organisationEmail',
      'handovers.receiver_name as receiverName',
      'handovers.receiver_phone as receiverPhone',
      'handovers.receiver_email as receiverEmail',
      'handovers.handover_date as handoverDate',
      'handovers.note',
      'author.display_name as createdByName',
      'handovers.created_at as createdAt',
    ])
    .executeTakeFirst();
}

export interface SubjectHandoverRow {
  trajectoryId: number;
  organisationId: number;
  organisationName: string;
  receiverName: string;
  receiverPhone: string | null;
  receiverEmail: string | null;
  handoverDate: string;
  note: string;
  createdById: number;
  createdByName: string;
  createdAt: Date;
}

/** Every handover of the participant, oldest first, for the subject-access export. */
export async function listSubjectHandovers(db: Executor, participantId: number): Promise<SubjectHandoverRow[]> {
  return db
    .selectFrom('handovers')
    .innerJoin('referral_organisations as organisation', 'organisation.id', 'handovers.organisation_id')
    .innerJoin('users as author', 'author.id', 'handovers.created_by')
    .where('handovers.participant_id', '=', participantId)
    .select([
      'handovers.trajectory_id as trajectoryId',
      'handovers.organisation_id as organisationId',
      'organisation.name as organisationName',
      'handovers.receiver_name as receiverName',
      'handovers.receiver_phone as receiverPhone',
      'handovers.receiver_email as receiverEmail',
      'handovers.handover_date as handoverDate',
      'handovers.note',
      'handovers.created_by as createdById',
      'author.display_name as createdByName',
      'handovers.created_at as createdAt',
    ])
    .orderBy('handovers.handover_date')
    .orderBy('handovers.trajectory_id')
    .execute();
}
