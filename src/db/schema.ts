import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';

// Table types for Kysely. Keep in step with migrations/.

export type Role = 'coach' | 'manager' | 'admin';
export const ROLES: readonly Role[] = ['coach', 'manager', 'admin'];

type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
type UpdatedAt = ColumnType<Date, Date | string | undefined, Date | string>;

export interface TeamsTable {
  id: Generated<number>;
  name: string;
  /** The team's default language (nl, nl-BE or en), or null: the organisation's (DEFAULT_LOCALE). */
  default_locale: ColumnType<
    'nl' | 'nl-BE' | 'en' | null,
    'nl' | 'nl-BE' | 'en' | null | undefined,
    'nl' | 'nl-BE' | 'en' | null
  >;
  version: ColumnType<number, number | undefined, number>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  display_name: string;
  role: Role;
  team_id: number | null;
  /** The person's own language choice, or null: their team's default, else the organisation's. */
  locale: ColumnType<'nl' | 'nl-BE' | 'en' | null, 'nl' | 'nl-BE' | 'en' | null | undefined, 'nl' | 'nl-BE' | 'en' | null>;
  /** Null until an invited person chooses a password through their set-password link. */
  password_hash: string | null;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  version: ColumnType<number, number | undefined, number>;
  /** Failed sign-ins since the last successful one (0 after a success). */
  failed_sign_ins: ColumnType<number, number | undefined, number>;
  last_failed_sign_in_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** An administrator reset the person's second factor at this time; cleared when they are told at sign-in (src/mfa). */
  second_factor_reset_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the coach last opened their review feedback: feedback given later counts as new. */
  feedback_read_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the account was last switched off (null while active): the anonymisation period counts from it. */
  deactivated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** When the retention job removed the deactivated account's name and email (src/retention). */
  anonymised_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const SET_PASSWORD_PURPOSES = ['invite', 'reset'] as const;
export type SetPasswordPurpose = (typeof SET_PASSWORD_PURPOSES)[number];

export interface SetPasswordLinksTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  purpose: SetPasswordPurpose;
  created_by: number | null;
  created_at: CreatedAt;
  expires_at: Date;
  used_at: Date | null;
}

/** A person's confirmed authenticator app (src/mfa): the TOTP secret and the step of the last code accepted. */
export interface UserTotpTable {
  user_id: number;
  /** Base32, as the authenticator app was given it. */
  secret: string;
  /** The 30-second step of the last accepted code: a code for this step or an earlier one is refused (replay). */
  last_used_step: ColumnType<number | null, number | null | undefined, number | null>;
  confirmed_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

/** A person's single-use recovery codes (src/mfa): SHA-256 of each, spent when used_at is set. */
export interface RecoveryCodesTable {
  id: Generated<number>;
  user_id: number;
  code_hash: string;
  created_at: CreatedAt;
  used_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** A person's secret calendar feed address (src/calendar): only the token's SHA-256 is stored. */
export interface CalendarFeedsTable {
  user_id: number;
  token_hash: string;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  /** The start of the hour whose fetches window_fetches counts (the per-address limit). */
  window_started_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  window_fetches: ColumnType<number, number | undefined, number>;
}

/** connect-pg-simple's table; `user_id` and `last_seen_at` are kept by a trigger (migration 20261124100000). */
export interface SessionsTable {
  sid: string;
  sess: unknown;
  expire: Date;
  user_id: ColumnType<number | null, never, never>;
  /** An opaque name of the session for pages and forms; the session id never leaves the server. */
  handle: ColumnType<string, never, never>;
  last_seen_at: ColumnType<Date, never, never>;
}

export interface RateLimitHitsTable {
  key: string;
  hits: number;
  reset_at: ColumnType<Date, Date | string, Date | string>;
}

export interface AuditEventsTable {
  id: ColumnType<number, never, never>;
  occurred_at: ColumnType<Date, Date | string | undefined, never>;
  actor_user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
  participant_id: ColumnType<number | null, number | null | undefined, never>;
}

/** A date column: pg returns `date` values as JS Dates at local midnight; we read them as ISO strings (see database.ts). */
type DateColumn = ColumnType<string, string, string>;
type NullableDateColumn = ColumnType<string | null, string | null | undefined, string | null>;
type Version = ColumnType<number, number | undefined, number>;
/** numeric columns come back from pg as strings; parse them deliberately. */
type NumericColumn = ColumnType<string, string | number, string | number>;

export const COMMISSIONER_KINDS = ['uwv', 'municipality', 'ocmw', 'vdab', 'other'] as const;
export type CommissionerKind = (typeof COMMISSIONER_KINDS)[number];

export interface CommissionersTable {
  id: Generated<number>;
  name: string;
  kind: CommissionerKind;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const PARTICIPANT_STATUSES = ['intake', 'active', 'paused', 'closed'] as const;
export type ParticipantStatus = (typeof PARTICIPANT_STATUSES)[number];
export const CONTACT_CHANNELS_PREFERRED = ['phone', 'message', 'email', 'video', 'home_visit', 'office'] as const;
export type PreferredChannel = (typeof CONTACT_CHANNELS_PREFERRED)[number];

export interface ParticipantsTable {
  id: Generated<number>;
  first_name: string;
  last_name: string;
  date_of_birth: NullableDateColumn;
  phone: string | null;
  /** phone's digits as search compares them (src/lib/phone.ts phoneSearchKey); generated by the database. */
  phone_search: ColumnType<string | null, never, never>;
  email: string | null;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  preferred_channel: ColumnType<PreferredChannel, PreferredChannel | undefined, PreferredChannel>;
  language_support: string | null;
  external_reference: string | null;
  coach_id: number;
  status: ColumnType<ParticipantStatus, ParticipantStatus | undefined, ParticipantStatus>;
  closed_on: NullableDateColumn;
  /** When the file was erased (retention or a request, src/retention); the row stays under a pseudonym. */
  erased_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const ERASURE_KINDS = ['retention', 'request'] as const;
export type ErasureKind = (typeof ERASURE_KINDS)[number];

/** How and why a participant's file was erased (one row per erased participant). */
export interface ParticipantErasuresTable {
  participant_id: number;
  erased_at: ColumnType<Date, Date, never>;
  kind: ErasureKind;
  /** The administrator of a request; null for the retention job. */
  erased_by: number | null;
  /** The reason of a request; null for the retention job. */
  reason: string | null;
}

/** The one row (id = 1) of retention periods (migrations/20261208050000_retention.ts). */
export interface RetentionSettingsTable {
  id: ColumnType<number, number | undefined, never>;
  /** Months a closed file is kept after its closing day; null: kept until this is set. */
  closed_files_months: number | null;
  audit_log_years: ColumnType<number, number | undefined, number>;
  /** Months after deactivation that a staff account is anonymised; null: never. */
  staff_anonymise_months: number | null;
  version: Version;
  updated_at: UpdatedAt;
  updated_by: number | null;
}

export const TRAJECTORY_KINDS = ['jobcoaching', 'work_experience', 'reintegration', 'other'] as const;
export type TrajectoryKind = (typeof TRAJECTORY_KINDS)[number];
export const TRAJECTORY_OUTCOMES = [
  'regular_job',
  'subsidised_job',
  'education',
  'handover',
  'dropout',
  'moved_away',
  'other',
] as const;
export type TrajectoryOutcome = (typeof TRAJECTORY_OUTCOMES)[number];

export interface TrajectoriesTable {
  id: Generated<number>;
  participant_id: number;
  commissioner_id: number;
  kind: TrajectoryKind;
  reference: string | null;
  start_date: DateColumn;
  planned_end_date: NullableDateColumn;
  actual_end_date: NullableDateColumn;
  granted_hours: NumericColumn;
  outcome: TrajectoryOutcome | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const EMPLOYER_SECTORS = [
  'hospitality',
  'retail',
  'cleaning',
  'bicycle_repair',
  'care',
  'green_maintenance',
  'logistics',
  'manufacturing',
  'public_sector',
  'other',
] as const;
export type EmployerSector = (typeof EMPLOYER_SECTORS)[number];

export interface EmployersTable {
  id: Generated<number>;
  name: string;
  sector: EmployerSector;
  address_line: string | null;
  postal_code: string | null;
  city: string | null;
  phone: string | null;
  notes: string | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const EMPLOYER_CONTACT_ROLES = ['supervisor', 'hr', 'other'] as const;
export type EmployerContactRole = (typeof EMPLOYER_CONTACT_ROLES)[number];

export interface EmployerContactsTable {
  id: Generated<number>;
  employer_id: number;
  name: string;
  role: EmployerContactRole;
  job_title: string | null;
  phone: string | null;
  email: string | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const PLACEMENT_KINDS = ['paid_job', 'work_experience', 'volunteering', 'day_activity', 'education'] as const;
export type PlacementKind = (typeof PLACEMENT_KINDS)[number];
export const PLACEMENT_STATUSES = ['active', 'paused', 'ended'] as const;
export type PlacementStatus = (typeof PLACEMENT_STATUSES)[number];

export interface PlacementsTable {
  id: Generated<number>;
  participant_id: number;
  employer_id: number;
  supervisor_contact_id: number | null;
  kind: PlacementKind;
  job_title: string;
  start_date: DateColumn;
  end_date: NullableDateColumn;
  /** When the placement is meant to end (null: open-ended); never before start_date. */
  planned_end_date: NullableDateColumn;
  status: ColumnType<PlacementStatus, PlacementStatus | undefined, PlacementStatus>;
  pause_reason: string | null;
  paused_since: NullableDateColumn;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface PlacementHoursTable {
  id: Generated<number>;
  placement_id: number;
  effective_from: DateColumn;
  hours_per_week: NumericColumn;
  note: string | null;
  created_by: number | null;
  created_at: CreatedAt;
}

export interface CoachStandinsTable {
  id: Generated<number>;
  absent_coach_id: number;
  standin_coach_id: number;
  starts_on: DateColumn;
  ends_on: DateColumn;
  note: string | null;
  created_by: number;
  created_at: CreatedAt;
  cancelled_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  /** The whole caseload of the absent coach, or only the participants in coach_standin_participants. */
  covers: ColumnType<StandinCovers, StandinCovers | undefined, StandinCovers>;
}

export const STANDIN_COVERS = ['caseload', 'participants'] as const;
export type StandinCovers = (typeof STANDIN_COVERS)[number];

export interface CoachStandinParticipantsTable {
  standin_id: number;
  participant_id: number;
}

export interface FormSubmissionsTable {
  token: string;
  user_id: number;
  result_path: string;
  created_at: CreatedAt;
}

export const CONTACT_CHANNELS = ['phone', 'video', 'workplace_visit', 'home_visit', 'office', 'message'] as const;
export type ContactChannel = (typeof CONTACT_CHANNELS)[number];
export const CONTACT_COUNTERPARTS = ['participant', 'employer', 'family', 'other_service'] as const;
export type ContactCounterpart = (typeof CONTACT_COUNTERPARTS)[number];
export const CONTACT_OUTCOMES = ['reached', 'not_reached', 'voicemail', 'callback_requested'] as const;
export type ContactOutcome = (typeof CONTACT_OUTCOMES)[number];
/** Outcomes of an attempt that reached nobody: they need no summary and count no coaching time. */
export const UNREACHED_OUTCOMES: readonly ContactOutcome[] = ['not_reached', 'voicemail'];

export interface ContactMomentsTable {
  id: Generated<number>;
  participant_id: number;
  author_id: number;
  occurred_at: ColumnType<Date, Date | string, Date | string>;
  channel: ContactChannel;
  counterpart: ColumnType<ContactCounterpart, ContactCounterpart | undefined, ContactCounterpart>;
  employer_id: number | null;
  employer_contact_id: number | null;
  outcome: ContactOutcome;
  duration_minutes: ColumnType<number, number | undefined, number>;
  summary: string | null;
  wellbeing_mood: number | null;
  wellbeing_rhythm: number | null;
  wellbeing_social: number | null;
  wellbeing_activity: number | null;
  next_contact_date: NullableDateColumn;
  /** 'HH:MM:SS' local time in the organisation's zone, or null for "some time that day". */
  next_contact_time: ColumnType<string | null, string | null | undefined, string | null>;
  /** The one trajectory the contact counts in (null: intake, or between trajectories); see src/trajectories. */
  trajectory_id: ColumnType<number | null, number | null | undefined, number | null>;
  /** Whether the coach chose the trajectory on the form rather than the app deriving it from the date. */
  trajectory_chosen: ColumnType<boolean, boolean | undefined, boolean>;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ContactAddendaTable {
  id: Generated<number>;
  contact_moment_id: number;
  author_id: number;
  body: string;
  created_at: CreatedAt;
}

export const LIFE_DOMAINS = ['work', 'daily_structure', 'social', 'health', 'finances', 'language', 'housing', 'other'] as const;
export type LifeDomain = (typeof LIFE_DOMAINS)[number];
export const GOAL_STATUSES = ['open', 'in_progress', 'achieved', 'dropped'] as const;
export type GoalStatus = (typeof GOAL_STATUSES)[number];

export interface GoalsTable {
  id: Generated<number>;
  participant_id: number;
  title: string;
  description: string | null;
  life_domain: LifeDomain;
  target_date: NullableDateColumn;
  agreed_with_participant: ColumnType<boolean, boolean | undefined, boolean>;
  status: ColumnType<GoalStatus, GoalStatus | undefined, GoalStatus>;
  achieved_on: NullableDateColumn;
  created_by: number;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface GoalProgressTable {
  id: Generated<number>;
  goal_id: number;
  author_id: number;
  status: GoalStatus;
  note: string;
  created_at: CreatedAt;
}

export interface GoalContactLinksTable {
  goal_id: number;
  contact_moment_id: number;
}

export const REFERRAL_SERVICE_KINDS = [
  'debt_counselling',
  'social_work',
  'housing',
  'language_coaching',
  'health_care',
  'addiction_care',
  'legal_aid',
  'other',
] as const;
export type ReferralServiceKind = (typeof REFERRAL_SERVICE_KINDS)[number];
export const REFERRAL_STATUSES = ['proposed', 'sent', 'accepted', 'in_progress', 'completed', 'declined', 'cancelled'] as const;
export type ReferralStatus = (typeof REFERRAL_STATUSES)[number];
/** Statuses that end a referral; they require closed_on. */
export const CLOSED_REFERRAL_STATUSES: readonly ReferralStatus[] = ['completed', 'declined', 'cancelled'];

/**
 * Kinds of organisation in the referral directory: the Flemish services (CAW, schuldbemiddeling,
 * Huurdersbond, OCMW maatschappelijk werk, VDAB), the Dutch ones (schuldhulpverlening, wijkteam,
 * UWV) and the general kinds, which share their codes with the referral service kinds.
 */
export const ORGANISATION_KINDS = [
  'caw',
  'debt_mediation',
  'tenants_union',
  'ocmw_social_work',
  'vdab',
  'debt_counselling',
  'neighbourhood_team',
  'uwv',
  'social_work',
  'housing',
  'language_coaching',
  'health_care',
  'addiction_care',
  'legal_aid',
  'other',
] as const;
export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

/** The shared referral directory (migrations/20261207040000_referral_directory.ts). */
export interface ReferralOrganisationsTable {
  id: Generated<number>;
  name: string;
  kind: OrganisationKind;
  region: string | null;
  phone: string | null;
  email: string | null;
  created_by: number | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** A trajectory closed as a handover: to whom the participant went, when, and the coach's note (one per trajectory). */
export interface HandoversTable {
  trajectory_id: number;
  participant_id: number;
  organisation_id: number;
  receiver_name: string;
  receiver_phone: string | null;
  receiver_email: string | null;
  handover_date: DateColumn;
  note: string;
  created_by: number;
  created_at: CreatedAt;
}

export interface ReferralsTable {
  id: Generated<number>;
  participant_id: number;
  service_kind: ReferralServiceKind;
  organisation_id: number;
  /** The day to check how the referral goes; /today lists it from then until done or moved. */
  follow_up_on: NullableDateColumn;
  reason: string;
  status: ColumnType<ReferralStatus, ReferralStatus | undefined, ReferralStatus>;
  referred_on: DateColumn;
  closed_on: NullableDateColumn;
  created_by: number;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const NETWORK_ROLES = ['fixed_contact', 'family', 'mentor', 'other_professional'] as const;
export type NetworkRole = (typeof NETWORK_ROLES)[number];

/** A person around the participant; ended_on set means no longer involved (the row stays as history). */
export interface NetworkPersonsTable {
  id: Generated<number>;
  participant_id: number;
  role: NetworkRole;
  name: string;
  organisation: string | null;
  phone: string | null;
  email: string | null;
  note: string | null;
  ended_on: NullableDateColumn;
  created_by: number;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const ATTENDEE_KINDS = ['participant', 'supervisor', 'network_person'] as const;
export type AttendeeKind = (typeof ATTENDEE_KINDS)[number];

/** Who took part in a contact moment (besides the coach). */
export interface ContactAttendeesTable {
  id: Generated<number>;
  contact_moment_id: number;
  kind: AttendeeKind;
  employer_contact_id: number | null;
  network_person_id: number | null;
}

export const CONSENT_PURPOSES = ['quality_review', 'report_sharing', 'employer_contact'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];

/** A participant's consent for one purpose; current from given_on until withdrawn_on (exclusive). */
export interface ParticipantConsentsTable {
  id: Generated<number>;
  participant_id: number;
  purpose: ConsentPurpose;
  given_on: DateColumn;
  recorded_by: number;
  withdrawn_on: NullableDateColumn;
  withdrawn_by: number | null;
  note: string | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

/** The one row (id = 1) of risk signal thresholds; see src/risk/README.md. */
export interface RiskSettingsTable {
  id: ColumnType<number, number | undefined, never>;
  last_reached_amber_days: number;
  last_reached_red_days: number;
  unreached_amber_attempts: number;
  unreached_red_attempts: number;
  overdue_amber_days: number;
  overdue_red_days: number;
  no_placement_red_days: number;
  hours_lookback_weeks: number;
  hours_drop_amber_percent: number;
  hours_drop_red_percent: number;
  wellbeing_low_score: number;
  wellbeing_drop_points: number;
  wellbeing_drop_checks: number;
  /** end_of_trajectory: amber from so many days before a planned end. */
  end_warning_days: number;
  version: Version;
  updated_at: UpdatedAt;
  updated_by: number | null;
}

/** The single row (id 1) of the caseload page's attention thresholds (src/caseloads). */
export interface CaseloadThresholdsTable {
  id: ColumnType<number, number | undefined, never>;
  /** A coach's "reached in 14 days" below this share (%) needs attention. */
  reached_min_percent: number;
  /** More participants at red than this needs attention. */
  red_max: number;
  /** More overdue follow-ups than this needs attention. */
  overdue_max: number;
  version: Version;
  updated_at: UpdatedAt;
  updated_by: number | null;
}

export type RiskLevelName = 'none' | 'amber' | 'red';

export interface RiskAcknowledgementsTable {
  id: Generated<number>;
  participant_id: number;
  acknowledged_by: number;
  acknowledged_at: ColumnType<Date, Date | string, never>;
  note: string;
  snooze_until: NullableDateColumn;
  level: 'amber' | 'red';
  /** "signal:level" pairs flagged at the time, e.g. ["last_reached:red"]; stored as jsonb. */
  flagged: ColumnType<string[], string, never>;
}

export interface RiskSnapshotRunsTable {
  snapshot_date: DateColumn;
  started_at: ColumnType<Date, Date | string, Date | string>;
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  participants: ColumnType<number, number | undefined, number>;
}

export interface RiskSnapshotsTable {
  snapshot_date: DateColumn;
  participant_id: number;
  coach_id: number;
  team_id: number | null;
  level: RiskLevelName;
  /** Signal keys with their level, e.g. [{"signal":"lastReached","level":"red"}]; stored as jsonb. */
  signals: ColumnType<Array<{ signal: string; level: 'amber' | 'red' }>, string, string>;
}

/** One row per open participant (src/risk/state.ts keeps it); level and reasons only for a scored one. */
export interface ParticipantRiskStatesTable {
  participant_id: number;
  /** The day (organisation zone) the level and reasons were computed for. */
  scored_on: DateColumn;
  computed_at: ColumnType<Date, Date, Date>;
  settings_version: number;
  /** The first day on which time alone changes the row; null: nothing would. */
  valid_until: NullableDateColumn;
  last_reached_at: ColumnType<Date | null, Date | null, Date | null>;
  last_reached_on: NullableDateColumn;
  last_contact_at: ColumnType<Date | null, Date | null, Date | null>;
  next_contact_date: NullableDateColumn;
  unreached_count: number;
  has_active_placement: boolean;
  trajectory_start_date: NullableDateColumn;
  /** The participant's coach, for the per-coach figures without a join. */
  coach_id: number;
  /** Contact moments of any kind on the local days after scored_on − 7 (30) up to scored_on. */
  contacts_7: number;
  contacts_30: number;
  /** The nearest planned end of an open trajectory (no end recorded) or placement (not ended). */
  planned_end_on: NullableDateColumn;
  level: RiskLevelName | null;
  /** Exactly what assessRisk returned on scored_on (RiskReason[]); stored as jsonb. */
  reasons: ColumnType<unknown, string | null, string | null>;
  /** Flagged, and the latest acknowledgement covers the reasons with its snooze not ended (isAcknowledged). */
  acknowledged: Generated<boolean>;
  /** The participant is closed: the row stays until the closing day, but no list shows it. */
  closed: Generated<boolean>;
}

/** A day's snapshot counts per coach; kept by triggers on risk_snapshots (migration 20261206141000). */
export interface RiskSnapshotTalliesTable {
  snapshot_date: DateColumn;
  coach_id: number;
  scored: number;
  red: number;
  amber: number;
}

/** A day's snapshot counts of the whole organisation; kept by the same triggers (migration 20261206180000). */
export interface RiskSnapshotDayTalliesTable {
  snapshot_date: DateColumn;
  scored: number;
  red: number;
  amber: number;
}

/**
 * Listed flagged stored rows per coach, signal ('' for any), level and acknowledged; kept by
 * triggers on participant_risk_states (migration 20261206140000), read by the dashboard's counts.
 */
export interface RiskStateTalliesTable {
  coach_id: number;
  signal: string;
  level: 'amber' | 'red';
  acknowledged: boolean;
  participants: number;
}

/** One row per settings save: the background recompute it started (src/risk/state.ts). */
export interface RiskRecomputesTable {
  /** The risk_settings version the rows are brought to. */
  settings_version: number;
  started_at: ColumnType<Date, Date | string, never>;
  /** Stored rows when it started: how many it had to do. */
  participants: number;
  /** Set by the upkeep job once no row of an older version is left. */
  finished_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export const DIGEST_KINDS = ['daily', 'weekly'] as const;
/** The mails InBeeld sends on a schedule: a coach's day (weekdays), a team leader's week (Mondays). */
export type DigestKind = (typeof DIGEST_KINDS)[number];

export interface MailDigestSendsTable {
  user_id: number;
  kind: DigestKind;
  /** The local day (organisation zone) the digest is for. */
  sent_on: DateColumn;
  sent_at: ColumnType<Date, Date | string, never>;
  /** Participants (daily) or coaches (weekly) in it. */
  items: number;
}

export interface MailOptOutsTable {
  user_id: number;
  kind: DigestKind;
  opted_out_at: ColumnType<Date, Date | string, Date | string>;
}

export interface MailFailuresTable {
  id: ColumnType<number, never, never>;
  occurred_at: ColumnType<Date, Date | string, never>;
  /** What was being sent: 'daily', 'weekly', 'invite', 'reset', 'test', … */
  kind: string;
  user_id: number | null;
  error: string;
}

export interface ReviewSamplesTable {
  id: Generated<number>;
  coach_id: number;
  drawn_by: number;
  drawn_at: ColumnType<Date, Date | string, never>;
  period_days: number;
  requested_size: number;
  left_out_without_consent: ColumnType<number, number | undefined, number>;
}

export interface ReviewItemsTable {
  id: Generated<number>;
  sample_id: number;
  contact_moment_id: number;
  reviewed_by: number | null;
  reviewed_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  feedback: string | null;
}

export interface ReviewCriteriaTable {
  id: Generated<number>;
  label: string;
  description: string | null;
  position: ColumnType<number, number | undefined, number>;
  active: ColumnType<boolean, boolean | undefined, boolean>;
  created_by: number | null;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  version: Version;
}

export interface ReviewScoresTable {
  review_item_id: number;
  criterion_id: number;
  score: number;
}

export interface SupportRequestsTable {
  id: Generated<number>;
  coach_id: number;
  /** The coach's team when they asked: its managers answer. */
  team_id: number;
  participant_id: number;
  contact_moment_id: number | null;
  question: string;
  created_at: CreatedAt;
  answer: string | null;
  answered_by: number | null;
  answered_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  answer_read_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

export interface TrajectoryReportNarrativesTable {
  id: Generated<number>;
  trajectory_id: number;
  period_from: DateColumn;
  period_to: DateColumn;
  progress: ColumnType<string, string | undefined, string>;
  next_steps: ColumnType<string, string | undefined, string>;
  updated_by: number;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export const IMPORT_KINDS = ['participants', 'employers', 'placements'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

/** A person's uploaded import file between preview and import (src/imports): one per person, for an hour. */
export interface ImportUploadsTable {
  user_id: number;
  kind: ImportKind;
  file_name: string;
  content: Buffer;
  /** Column index → field key (or 'ignore') the person chose for headers the import did not know. */
  mapping: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  created_at: CreatedAt;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface ImportBatchesTable {
  id: Generated<number>;
  user_id: number;
  kind: ImportKind;
  file_name: string;
  status: ColumnType<
    'staging' | 'published' | 'undone',
    'staging' | 'published' | 'undone' | undefined,
    'staging' | 'published' | 'undone'
  >;
  rows: ColumnType<number, number | undefined, number>;
  created: ColumnType<number, number | undefined, number>;
  updated: ColumnType<number, number | undefined, number>;
  skipped: ColumnType<number, number | undefined, number>;
  started_at: ColumnType<Date, Date | string, never>;
  published_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  undone_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
  undone_by: number | null;
}

export interface ImportStagingRowsTable {
  batch_id: number;
  line: number;
  action: 'create' | 'update' | 'skip';
  target_id: number | null;
  expected_version: number | null;
  data: ColumnType<Record<string, unknown>, string, string>;
}

export interface ImportBatchRecordsTable {
  batch_id: number;
  entity_type: 'participant' | 'trajectory' | 'employer' | 'employer_contact' | 'placement' | 'placement_hours';
  entity_id: number;
  action: 'create' | 'update';
  participant_id: number | null;
  version_after: number | null;
  /** A digest of the placement's hours history the batch left (placement and placement_hours records). */
  hours_after: string | null;
  previous: ColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
}

/** A person of an identity provider bound to an InBeeld account (src/sso). */
export interface SsoIdentitiesTable {
  id: Generated<number>;
  user_id: number;
  issuer: string;
  subject: string;
  created_at: CreatedAt;
  last_signed_in_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
}

/** A person's WebAuthn credential (src/passkeys). */
export interface PasskeysTable {
  id: Generated<number>;
  user_id: number;
  /** base64url, as WebAuthn names it. */
  credential_id: string;
  public_key: Buffer;
  /** bigint: pg hands it over as text. */
  counter: ColumnType<string, number | string | undefined, number | string>;
  /** The authenticator's transports, comma-separated ('internal,hybrid'); empty when it named none. */
  transports: ColumnType<string, string | undefined, string>;
  user_handle: string;
  name: string;
  device_type: 'singleDevice' | 'multiDevice';
  backed_up: boolean;
  created_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_used_at: ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
}

/** A passwordless sign-in's challenge, single-use, until it expires (src/passkeys). */
export interface PasskeyChallengesTable {
  challenge: string;
  expires_at: ColumnType<Date, Date | string, Date | string>;
}

export interface Database {
  teams: TeamsTable;
  users: UsersTable;
  sso_identities: SsoIdentitiesTable;
  sessions: SessionsTable;
  rate_limit_hits: RateLimitHitsTable;
  audit_events: AuditEventsTable;
  commissioners: CommissionersTable;
  participants: ParticipantsTable;
  trajectories: TrajectoriesTable;
  employers: EmployersTable;
  employer_contacts: EmployerContactsTable;
  placements: PlacementsTable;
  placement_hours: PlacementHoursTable;
  coach_standins: CoachStandinsTable;
  coach_standin_participants: CoachStandinParticipantsTable;
  form_submissions: FormSubmissionsTable;
  contact_moments: ContactMomentsTable;
  contact_addenda: ContactAddendaTable;
  goals: GoalsTable;
  goal_progress: GoalProgressTable;
  goal_contact_links: GoalContactLinksTable;
  referrals: ReferralsTable;
  referral_organisations: ReferralOrganisationsTable;
  handovers: HandoversTable;
  risk_acknowledgements: RiskAcknowledgementsTable;
  risk_snapshot_runs: RiskSnapshotRunsTable;
  risk_snapshots: RiskSnapshotsTable;
  participant_risk_states: ParticipantRiskStatesTable;
  risk_state_tallies: RiskStateTalliesTable;
  risk_snapshot_tallies: RiskSnapshotTalliesTable;
  risk_snapshot_day_tallies: RiskSnapshotDayTalliesTable;
  risk_recomputes: RiskRecomputesTable;
  mail_digest_sends: MailDigestSendsTable;
  mail_opt_outs: MailOptOutsTable;
  mail_failures: MailFailuresTable;
  review_samples: ReviewSamplesTable;
  set_password_links: SetPasswordLinksTable;
  calendar_feeds: CalendarFeedsTable;
  user_totp: UserTotpTable;
  recovery_codes: RecoveryCodesTable;
  review_items: ReviewItemsTable;
  review_criteria: ReviewCriteriaTable;
  review_scores: ReviewScoresTable;
  support_requests: SupportRequestsTable;
  risk_settings: RiskSettingsTable;
  caseload_thresholds: CaseloadThresholdsTable;
  trajectory_report_narratives: TrajectoryReportNarrativesTable;
  network_persons: NetworkPersonsTable;
  contact_attendees: ContactAttendeesTable;
  participant_consents: ParticipantConsentsTable;
  import_uploads: ImportUploadsTable;
  import_batches: ImportBatchesTable;
  import_staging_rows: ImportStagingRowsTable;
  import_batch_records: ImportBatchRecordsTable;
  participant_erasures: ParticipantErasuresTable;
  retention_settings: RetentionSettingsTable;
  passkeys: PasskeysTable;
  passkey_challenges: PasskeyChallengesTable;
}

export type Team = Selectable<TeamsTable>;
export type User = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
