import type {
  AttendeeKind,
  CommissionerKind,
  ConsentPurpose,
  ContactChannel,
  ContactCounterpart,
  ContactOutcome,
  GoalStatus,
  LifeDomain,
  NetworkRole,
  PlacementKind,
  PlacementStatus,
  ReferralServiceKind,
  ReferralStatus,
  RiskLevelName,
  Role,
  TrajectoryKind,
  TrajectoryOutcome,
} from '../db/schema';
import type { ParticipantRecord } from '../participants/queries';
import type { Executor } from '../platform/executor';

// Everything InBeeld holds about one participant, one query per part. Rows of child tables
// (addenda, progress updates, hours history, review items, narratives) are selected through their
// parent's participant_id, so a join can never bring in another participant's rows.

/** The participant as the profile reads them (every stored column, coach and team). */
export type SubjectParticipantRow = ParticipantRecord;

export interface SubjectTrajectoryRow {
  id: number;
  commissionerId: number;
  commissionerName: string;
  commissionerKind: CommissionerKind;
  kind: TrajectoryKind;
  reference: string | null;
  startDate: string;
  plannedEndDate: string | null;
  actualEndDate: string | null;
  grantedHours: string;
  outcome: TrajectoryOutcome | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export async function listSubjectTrajectories(db: Executor, participantId: number): Promise<SubjectTrajectoryRow[]> {
  return db
    .selectFrom('trajectories')
    .innerJoin('commissioners', 'commissioners.id', 'trajectories.commissioner_id')
    .where('trajectories.participant_id', '=', participantId)
    .select([
      'trajectories.id',
      'trajectories.commissioner_id as commissionerId',
      'commissioners.name as commissionerName',
      'commissioners.kind as commissionerKind',
      'trajectories.kind',
      'trajectories.reference',
      'trajectories.start_date as startDate',
      'trajectories.planned_end_date as plannedEndDate',
      'trajectories.actual_end_date as actualEndDate',
      'trajectories.granted_hours as grantedHours',
      'trajectories.outcome',
      'trajectories.version',
      'trajectories.created_at as createdAt',
      'trajectories.updated_at as updatedAt',
    ])
    .orderBy('trajectories.start_date')
    .orderBy('trajectories.id')
    .execute();
}

export interface SubjectPlacementRow {
  id: number;
  employerId: number;
  employerName: string;
  supervisorContactId: number | null;
  supervisorName: string | null;
  kind: PlacementKind;
  jobTitle: string;
  startDate: string;
  endDate: string | null;
  plannedEndDate: string | null;
  status: PlacementStatus;
  pauseReason: string | null;
  pausedSince: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export async function listSubjectPlacements(db: Executor, participantId: number): Promise<SubjectPlacementRow[]> {
  return db
    .selectFrom('placements')
    .innerJoin('employers', 'employers.id', 'placements.employer_id')
    .leftJoin('employer_contacts as supervisor', 'supervisor.id', 'placements.supervisor_contact_id')
    .where('placements.participant_id', '=', participantId)
    .select([
      'placements.id',
      'placements.employer_id as employerId',
      'employers.name as employerName',
      'placements.supervisor_contact_id as supervisorContactId',
      'supervisor.name as supervisorName',
      'placements.kind',
      'placements.job_title as jobTitle',
      'placements.start_date as startDate',
      'placements.end_date as endDate',
      'placements.planned_end_date as plannedEndDate',
      'placements.status',
      'placements.pause_reason as pauseReason',
      'placements.paused_since as pausedSince',
      'placements.version',
      'placements.created_at as createdAt',
      'placements.updated_at as updatedAt',
    ])
    .orderBy('placements.start_date')
    .orderBy('placements.id')
    .execute();
}

export interface SubjectPlacementHoursRow {
  id: number;
  placementId: number;
  effectiveFrom: string;
  hoursPerWeek: string;
  note: string | null;
  createdById: number | null;
  createdByName: string | null;
  createdAt: Date;
}

export async function listSubjectPlacementHours(db: Executor, participantId: number): Promise<SubjectPlacementHoursRow[]> {
  return db
    .selectFrom('placement_hours')
    .innerJoin('placements', 'placements.id', 'placement_hours.placement_id')
    .leftJoin('users as recorder', 'recorder.id', 'placement_hours.created_by')
    .where('placements.participant_id', '=', participantId)
    .select([
      'placement_hours.id',
      'placement_hours.placement_id as placementId',
      'placement_hours.effective_from as effectiveFrom',
      'placement_hours.hours_per_week as hoursPerWeek',
      'placement_hours.note',
      'placement_hours.created_by as createdById',
      'recorder.display_name as createdByName',
      'placement_hours.created_at as createdAt',
    ])
    .orderBy('placement_hours.placement_id')
    .orderBy('placement_hours.effective_from')
    .orderBy('placement_hours.id')
    .execute();
}

export interface SubjectContactMomentRow {
  id: number;
  occurredAt: Date;
  channel: ContactChannel;
  counterpart: ContactCounterpart;
  employerId: number | null;
  employerName: string | null;
  employerContactId: number | null;
  employerContactName: string | null;
  outcome: ContactOutcome;
  durationMinutes: number;
  summary: string | null;
  wellbeingMood: number | null;
  wellbeingRhythm: number | null;
  wellbeingSocial: number | null;
  wellbeingActivity: number | null;
  nextContactDate: string | null;
  nextContactTime: string | null;
  authorId: number;
  authorName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export async function listSubjectContactMoments(db: Executor, participantId: number): Promise<SubjectContactMomentRow[]> {
  return db
    .selectFrom('contact_moments')
    .innerJoin('users as author', 'author.id', 'contact_moments.author_id')
    .leftJoin('employers', 'employers.id', 'contact_moments.employer_id')
    .leftJoin('employer_contacts', 'employer_contacts.id', 'contact_moments.employer_contact_id')
    .where('contact_moments.participant_id', '=', participantId)
    .select([
      'contact_moments.id',
      'contact_moments.occurred_at as occurredAt',
      'contact_moments.channel',
      'contact_moments.counterpart',
      'contact_moments.employer_id as employerId',
      'employers.name as employerName',
      'contact_moments.employer_contact_id as employerContactId',
      'employer_contacts.name as employerContactName',
      'contact_moments.outcome',
      'contact_moments.duration_minutes as durationMinutes',
      'contact_moments.summary',
      'contact_moments.wellbeing_mood as wellbeingMood',
      'contact_moments.wellbeing_rhythm as wellbeingRhythm',
      'contact_moments.wellbeing_social as wellbeingSocial',
      'contact_moments.wellbeing_activity as wellbeingActivity',
      'contact_moments.next_contact_date as nextContactDate',
      'contact_moments.next_contact_time as nextContactTime',
      'contact_moments.author_id as authorId',
      'author.display_name as authorName',
      'contact_moments.version',
      'contact_moments.created_at as createdAt',
      'contact_moments.updated_at as updatedAt',
    ])
    .orderBy('contact_moments.occurred_at')
    .orderBy('contact_moments.created_at')
    .orderBy('contact_moments.id')
    .execute();
}

export interface SubjectAddendumRow {
  id: number;
  contactMomentId: number;
  body: string;
  authorId: number;
  authorName: string;
  createdAt: Date;
}

export async function listSubjectContactAddenda(db: Executor, participantId: number): Promise<SubjectAddendumRow[]> {
  return db
    .selectFrom('contact_addenda')
    .innerJoin('contact_moments', 'contact_moments.id', 'contact_addenda.contact_moment_id')
    .innerJoin('users as author', 'author.id', 'contact_addenda.author_id')
    .where('contact_moments.participant_id', '=', participantId)
    .select([
      'contact_addenda.id',
      'contact_addenda.contact_moment_id as contactMomentId',
      'contact_addenda.body',
      'contact_addenda.author_id as authorId',
      'author.display_name as authorName',
      'contact_addenda.created_at as createdAt',
    ])
    .orderBy('contact_addenda.created_at')
    .orderBy('contact_addenda.id')
    .execute();
}

/** Which of the participant's goals each of their contact moments served (both sides this participant's). */
export async function listSubjectGoalLinks(
  db: Executor,
  participantId: number,
): Promise<Array<{ contactMomentId: number; goalId: number }>> {
  return db
    .selectFrom('goal_contact_links')
    .innerJoin('contact_moments', 'contact_moments.id', 'goal_contact_links.contact_moment_id')
    .innerJoin('goals', 'goals.id', 'goal_contact_links.goal_id')
    .where('contact_moments.participant_id', '=', participantId)
    .where('goals.participant_id', '=', participantId)
    .select(['goal_contact_links.contact_moment_id as contactMomentId', 'goal_contact_links.goal_id as goalId'])
    .orderBy('goal_contact_links.contact_moment_id')
    .orderBy('goal_contact_links.goal_id')
    .execute();
}

export interface SubjectGoalRow {
  id: number;
  title: string;
  description: string | null;
  lifeDomain: LifeDomain;
  targetDate: string | null;
  agreedWithParticipant: boolean;
  status: GoalStatus;
  achievedOn: string | null;
  createdById: number;
  createdByName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export async function listSubjectGoals(db: Executor, participantId: number): Promise<SubjectGoalRow[]> {
  return db
    .selectFrom('goals')
    .innerJoin('users as creator', 'creator.id', 'goals.created_by')
    .where('goals.participant_id', '=', participantId)
    .select([
      'goals.id',
      'goals.title',
      'goals.description',
      'goals.life_domain as lifeDomain',
      'goals.target_date as targetDate',
      'goals.agreed_with_participant as agreedWithParticipant',
      'goals.status',
      'goals.achieved_on as achievedOn',
      'goals.created_by as createdById',
      'creator.display_name as createdByName',
      'goals.version',
      'goals.created_at as createdAt',
      'goals.updated_at as updatedAt',
    ])
    .orderBy('goals.created_at')
    .orderBy('goals.id')
    .execute();
}

export interface SubjectGoalProgressRow {
  id: number;
  goalId: number;
  status: GoalStatus;
  note: string;
  authorId: number;
  authorName: string;
  createdAt: Date;
}

export async function listSubjectGoalProgress(db: Executor, participantId: number): Promise<SubjectGoalProgressRow[]> {
  return db
    .selectFrom('goal_progress')
    .innerJoin('goals', 'goals.id', 'goal_progress.goal_id')
    .innerJoin('users as author', 'author.id', 'goal_progress.author_id')
    .where('goals.participant_id', '=', participantId)
    .select([
      'goal_progress.id',
      'goal_progress.goal_id as goalId',
      'goal_progress.status',
      'goal_progress.note',
      'goal_progress.author_id as authorId',
      'author.display_name as authorName',
      'goal_progress.created_at as createdAt',
    ])
    .orderBy('goal_progress.created_at')
    .orderBy('goal_progress.id')
    .execute();
}

export interface SubjectReferralRow {
  id: number;
  serviceKind: ReferralServiceKind;
  organisation: string;
  reason: string;
  status: ReferralStatus;
  referredOn: string;
  followUpOn: string | null;
  closedOn: string | null;
  createdById: number;
  createdByName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export async function listSubjectReferrals(db: Executor, participantId: number): Promise<SubjectReferralRow[]> {
  return db
    .selectFrom('referrals')
    .innerJoin('users as creator', 'creator.id', 'referrals.created_by')
    .innerJoin('referral_organisations as organisation', 'organisation.id', 'referrals.organisation_id')
    .where('referrals.participant_id', '=', participantId)
    .select([
      'referrals.id',
      'referrals.service_kind as serviceKind',
      'organisation.name as organisation',
      'referrals.reason',
      'referrals.status',
      'referrals.referred_on as referredOn',
      'referrals.follow_up_on as followUpOn',
      'referrals.closed_on as closedOn',
      'referrals.created_by as createdById',
      'creator.display_name as createdByName',
      'referrals.version',
      'referrals.created_at as createdAt',
      'referrals.updated_at as updatedAt',
    ])
    .orderBy('referrals.referred_on')
    .orderBy('referrals.id')
    .execute();
}

export interface SubjectNetworkPersonRow {
  id: number;
  role: NetworkRole;
  name: string;
  organisation: string | null;
  phone: string | null;
  email: string | null;
  note: string | null;
  endedOn: string | null;
  createdById: number;
  createdByName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** The people of the participant's network, ended ones too. */
export async function listSubjectNetworkPersons(db: Executor, participantId: number): Promise<SubjectNetworkPersonRow[]> {
  return db
    .selectFrom('network_persons')
    .innerJoin('users as creator', 'creator.id', 'network_persons.created_by')
    .where('network_persons.participant_id', '=', participantId)
    .select([
      'network_persons.id',
      'network_persons.role',
      'network_persons.name',
      'network_persons.organisation',
      'network_persons.phone',
      'network_persons.email',
      'network_persons.note',
      'network_persons.ended_on as endedOn',
      'network_persons.created_by as createdById',
      'creator.display_name as createdByName',
      'network_persons.version',
      'network_persons.created_at as createdAt',
      'network_persons.updated_at as updatedAt',
    ])
    .orderBy('network_persons.created_at')
    .orderBy('network_persons.id')
    .execute();
}

export interface SubjectContactAttendeeRow {
  contactMomentId: number;
  kind: AttendeeKind;
  employerContactId: number | null;
  employerContactName: string | null;
  networkPersonId: number | null;
}

/** Who took part in each of the participant's contact moments. */
export async function listSubjectContactAttendees(db: Executor, participantId: number): Promise<SubjectContactAttendeeRow[]> {
  return db
    .selectFrom('contact_attendees')
    .innerJoin('contact_moments', 'contact_moments.id', 'contact_attendees.contact_moment_id')
    .leftJoin('employer_contacts', 'employer_contacts.id', 'contact_attendees.employer_contact_id')
    .where('contact_moments.participant_id', '=', participantId)
    .select([
      'contact_attendees.contact_moment_id as contactMomentId',
      'contact_attendees.kind',
      'contact_attendees.employer_contact_id as employerContactId',
      'employer_contacts.name as employerContactName',
      'contact_attendees.network_person_id as networkPersonId',
    ])
    .orderBy('contact_attendees.contact_moment_id')
    .orderBy('contact_attendees.id')
    .execute();
}

export interface SubjectConsentRow {
  id: number;
  purpose: ConsentPurpose;
  givenOn: string;
  recordedById: number;
  recordedByName: string;
  withdrawnOn: string | null;
  withdrawnById: number | null;
  withdrawnByName: string | null;
  note: string | null;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Every consent record of the participant, withdrawn ones too. */
export async function listSubjectConsents(db: Executor, participantId: number): Promise<SubjectConsentRow[]> {
  return db
    .selectFrom('participant_consents')
    .innerJoin('users as recorder', 'recorder.id', 'participant_consents.recorded_by')
    .leftJoin('users as withdrawer', 'withdrawer.id', 'participant_consents.withdrawn_by')
    .where('participant_consents.participant_id', '=', participantId)
    .select([
      'participant_consents.id',
      'participant_consents.purpose',
      'participant_consents.given_on as givenOn',
      'participant_consents.recorded_by as recordedById',
      'recorder.display_name as recordedByName',
      'participant_consents.withdrawn_on as withdrawnOn',
      'participant_consents.withdrawn_by as withdrawnById',
      'withdrawer.display_name as withdrawnByName',
      'participant_consents.note',
      'participant_consents.version',
      'participant_consents.created_at as createdAt',
      'participant_consents.updated_at as updatedAt',
    ])
    .orderBy('participant_consents.given_on')
    .orderBy('participant_consents.id')
    .execute();
}

export interface SubjectRiskAcknowledgementRow {
  id: number;
  acknowledgedAt: Date;
  acknowledgedById: number;
  acknowledgedByName: string;
  level: 'amber' | 'red';
  flagged: string[];
  note: string;
  snoozeUntil: string | null;
}

export async function listSubjectRiskAcknowledgements(
  db: Executor,
  participantId: number,
): Promise<SubjectRiskAcknowledgementRow[]> {
  return db
    .selectFrom('risk_acknowledgements')
    .innerJoin('users as acknowledger', 'acknowledger.id', 'risk_acknowledgements.acknowledged_by')
    .where('risk_acknowledgements.participant_id', '=', participantId)
    .select([
      'risk_acknowledgements.id',
      'risk_acknowledgements.acknowledged_at as acknowledgedAt',
      'risk_acknowledgements.acknowledged_by as acknowledgedById',
      'acknowledger.display_name as acknowledgedByName',
      'risk_acknowledgements.level',
      'risk_acknowledgements.flagged',
      'risk_acknowledgements.note',
      'risk_acknowledgements.snooze_until as snoozeUntil',
    ])
    .orderBy('risk_acknowledgements.acknowledged_at')
    .orderBy('risk_acknowledgements.id')
    .execute();
}

export interface SubjectRiskSnapshotRow {
  snapshotDate: string;
  level: RiskLevelName;
  signals: Array<{ signal: string; level: 'amber' | 'red' }>;
  coachId: number;
  coachName: string | null;
  teamName: string | null;
}

export async function listSubjectRiskSnapshots(db: Executor, participantId: number): Promise<SubjectRiskSnapshotRow[]> {
  return db
    .selectFrom('risk_snapshots')
    .leftJoin('users as coach', 'coach.id', 'risk_snapshots.coach_id')
    .leftJoin('teams', 'teams.id', 'risk_snapshots.team_id')
    .where('risk_snapshots.participant_id', '=', participantId)
    .select([
      'risk_snapshots.snapshot_date as snapshotDate',
      'risk_snapshots.level',
      'risk_snapshots.signals',
      'risk_snapshots.coach_id as coachId',
      'coach.display_name as coachName',
      'teams.name as teamName',
    ])
    .orderBy('risk_snapshots.snapshot_date')
    .execute();
}

export interface SubjectReportNarrativeRow {
  id: number;
  trajectoryId: number;
  periodFrom: string;
  periodTo: string;
  progress: string;
  nextSteps: string;
  updatedById: number;
  updatedByName: string;
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export async function listSubjectReportNarratives(db: Executor, participantId: number): Promise<SubjectReportNarrativeRow[]> {
  return db
    .selectFrom('trajectory_report_narratives as narrative')
    .innerJoin('trajectories', 'trajectories.id', 'narrative.trajectory_id')
    .innerJoin('users as editor', 'editor.id', 'narrative.updated_by')
    .where('trajectories.participant_id', '=', participantId)
    .select([
      'narrative.id',
      'narrative.trajectory_id as trajectoryId',
      'narrative.period_from as periodFrom',
      'narrative.period_to as periodTo',
      'narrative.progress',
      'narrative.next_steps as nextSteps',
      'narrative.updated_by as updatedById',
      'editor.display_name as updatedByName',
      'narrative.version',
      'narrative.created_at as createdAt',
      'narrative.updated_at as updatedAt',
    ])
    .orderBy('narrative.trajectory_id')
    .orderBy('narrative.period_from')
    .orderBy('narrative.id')
    .execute();
}

export interface SubjectReviewItemRow {
  id: number;
  sampleId: number;
  contactMomentId: number;
  drawnAt: Date;
  drawnById: number;
  drawnByName: string;
  reviewedById: number | null;
  reviewedByName: string | null;
  reviewedAt: Date | null;
  feedback: string | null;
}

export async function listSubjectReviewItems(db: Executor, participantId: number): Promise<SubjectReviewItemRow[]> {
  return db
    .selectFrom('review_items')
    .innerJoin('contact_moments', 'contact_moments.id', 'review_items.contact_moment_id')
    .innerJoin('review_samples', 'review_samples.id', 'review_items.sample_id')
    .innerJoin('users as drawer', 'drawer.id', 'review_samples.drawn_by')
    .leftJoin('users as reviewer', 'reviewer.id', 'review_items.reviewed_by')
    .where('contact_moments.participant_id', '=', participantId)
    .select([
      'review_items.id',
      'review_items.sample_id as sampleId',
      'review_items.contact_moment_id as contactMomentId',
      'review_samples.drawn_at as drawnAt',
      'review_samples.drawn_by as drawnById',
      'drawer.display_name as drawnByName',
      'review_items.reviewed_by as reviewedById',
      'reviewer.display_name as reviewedByName',
      'review_items.reviewed_at as reviewedAt',
      'review_items.feedback',
    ])
    .orderBy('review_samples.drawn_at')
    .orderBy('review_items.id')
    .execute();
}

export interface SubjectAuditEventRow {
  id: number;
  occurredAt: Date;
  actorUserId: number | null;
  actorName: string | null;
  actorRole: Role | null;
  action: string;
  entityType: string;
  entityId: string | null;
  details: unknown;
}

/** Every audit event about the participant, oldest first, with who caused it. */
export async function listSubjectAuditEvents(db: Executor, participantId: number): Promise<SubjectAuditEventRow[]> {
  return db
    .selectFrom('audit_events')
    .leftJoin('users as actor', 'actor.id', 'audit_events.actor_user_id')
    .where('audit_events.participant_id', '=', participantId)
    .select([
      'audit_events.id',
      'audit_events.occurred_at as occurredAt',
      'audit_events.actor_user_id as actorUserId',
      'actor.display_name as actorName',
      'actor.role as actorRole',
      'audit_events.action',
      'audit_events.entity_type as entityType',
      'audit_events.entity_id as entityId',
      'audit_events.details',
    ])
    .orderBy('audit_events.occurred_at')
    .orderBy('audit_events.id')
    .execute();
}
