import type { Formatters } from '../lib/format';
import type { Translate } from '../platform/i18n';
import type { AuditEventRow, AuditNameKind, AuditNameRequest } from './queries';

// The audit log in words: each event as a sentence in the reader's language ("Daan Bakker changed
// the coaching hours of trajectory UWV-2026-0012 from 40 to 60"), its other details as labels and
// values in words. The stored details hold ids and codes; the names behind the ids are looked up
// for a whole page at once (service: namesForEvents) and handed in here as `AuditNames`.

/** Names found for the ids a page refers to; a missing entry means the record is gone (or erased). */
export type AuditNames = ReadonlyMap<string, string | null>;

export const nameKey = (kind: AuditNameKind, id: number) => `${kind}:${id}`;

/** Detail keys whose value is the id of a record with a name. */
const REFERENCE_KEYS: Readonly<Record<string, AuditNameKind>> = {
  coachId: 'user',
  fromCoachId: 'user',
  toCoachId: 'user',
  absentCoachId: 'user',
  standinCoachId: 'user',
  participantsTo: 'user',
  userId: 'user',
  teamId: 'team',
  fromTeamId: 'team',
  toTeamId: 'team',
  commissionerId: 'commissioner',
  trajectoryId: 'trajectory',
  employerId: 'employer',
  organisationId: 'organisation',
  participantId: 'participant',
  contactMomentId: 'contact',
  sampleId: 'sample',
};

/** The record an event's entity id names, by entity type. */
const ENTITY_NAME_KINDS: Readonly<Record<string, AuditNameKind>> = {
  participant: 'participant',
  user: 'user',
  team: 'team',
  commissioner: 'commissioner',
  trajectory: 'trajectory',
  handover: 'trajectory',
  period_export: 'commissioner',
  employer: 'employer',
  referral_organisation: 'organisation',
  review_criterion: 'criterion',
  contact_moment: 'contact',
  review_sample: 'sample',
};

/**
 * The record a detail key names, by key; a split stand-in's `participantIds` are the participants it
 * covers (the retention job's are erased files, which have no name left to show).
 */
function referenceKind(key: string, entityType: string): AuditNameKind | undefined {
  if (key === 'participantIds') return entityType === 'standin' ? 'participant' : undefined;
  return REFERENCE_KEYS[key];
}

/** Detail keys holding a code, and the message groups that say it in words (per entity where it differs). */
function codeGroups(key: string, entityType: string): string[] | null {
  switch (key) {
    case 'kind':
      if (entityType === 'placement') return ['placements.kinds'];
      if (entityType === 'commissioner') return ['commissioners.kinds'];
      if (entityType === 'referral_organisation') return ['directory.kinds'];
      if (entityType === 'import_batch') return ['imports.kinds'];
      // A participant's own events with a kind: the erasure's (on request or by retention).
      if (entityType === 'participant') return ['audit.erasureKinds', 'trajectories.kinds'];
      return ['trajectories.kinds'];
    case 'outcome':
      return entityType === 'contact_moment' ? ['contacts.outcomes'] : ['trajectories.outcomeLabels'];
    case 'role':
      return entityType === 'network_person' ? ['network.roles'] : ['roles'];
    case 'status':
    case 'statusBefore':
      if (entityType === 'placement') return ['placements.status'];
      if (entityType === 'referral') return ['referrals.status'];
      if (entityType === 'goal') return ['goals.status'];
      return ['participants.status'];
    case 'channel':
      return ['contacts.channels'];
    case 'counterpart':
      return ['contacts.counterparts'];
    case 'lifeDomain':
      return ['goals.lifeDomains'];
    case 'purpose':
      return ['consents.purposes'];
    case 'serviceKind':
      return ['referrals.serviceKinds'];
    case 'organisationKind':
      return ['directory.kinds'];
    case 'locale':
      return ['languages'];
    case 'level':
      return ['risk.levels'];
    case 'method':
    case 'via':
      return ['audit.signInMethods'];
    case 'source':
      return ['audit.sources'];
    case 'covers':
      return ['audit.covers'];
    default:
      return null;
  }
}

/** Detail keys whose value is a list of field names (said with their labels). */
const FIELD_LIST_KEYS = new Set(['changed', 'changedFields', 'filledFields', 'fields']);

/** Keys holding the names of fields that changed (without their values): the sentence says them. */
const CHANGED_FIELD_KEYS = ['changed', 'changedFields', 'fields'] as const;

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/;
const CODE = /^[a-z0-9_]+(-[A-Z]{2})?$/;
const MAX_LIST = 10;
/** Numbers stored as a percentage (the caseload thresholds'): shown with the sign. */
const PERCENT_KEYS = new Set(['reachedMinPercent']);

/** The ids an event refers to, by kind: what the page's one name query must look up. */
export function referencesOf(event: AuditEventRow, into: AuditNameRequest): void {
  const add = (kind: AuditNameKind, value: unknown) => {
    if (typeof value === 'number' && Number.isSafeInteger(value) && value > 0 && value <= 2147483647) into[kind].push(value);
    else if (Array.isArray(value)) for (const item of value.slice(0, MAX_LIST)) add(kind, item);
  };
  if (event.participantId !== null) add('participant', event.participantId);
  const entityKind = ENTITY_NAME_KINDS[event.entityType];
  if (entityKind && event.entityId !== null && /^\d{1,10}$/.test(event.entityId)) add(entityKind, Number(event.entityId));
  const details = objectOf(event.details);
  for (const [key, value] of Object.entries(details)) {
    const kind = referenceKind(key, event.entityType);
    if (kind) add(kind, value);
  }
  // A scored conversation: the criteria by id, each with its score.
  for (const criterionId of Object.keys(objectOf(details.scores))) {
    if (/^\d{1,10}$/.test(criterionId)) add('criterion', Number(criterionId));
  }
  for (const [key, change] of Object.entries(objectOf(details.changes))) {
    const kind = REFERENCE_KEYS[key];
    if (kind) {
      add(kind, objectOf(change).from);
      add(kind, objectOf(change).to);
    }
  }
}

export function emptyNameRequest(): AuditNameRequest {
  return {
    participant: [],
    user: [],
    team: [],
    commissioner: [],
    trajectory: [],
    employer: [],
    organisation: [],
    criterion: [],
    contact: [],
    sample: [],
  };
}

function objectOf(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

export interface WordedEvent {
  sentence: string;
  /** The participant the event concerns: their name, or null when erased (or no longer there). */
  participant: { id: number; name: string | null } | null;
  /** The remaining details as [label, value in words]. */
  details: Array<[string, string]>;
}

export interface Wording {
  t: Translate;
  fmt: Formatters;
  names: AuditNames;
}

/** A field's label, for a field the messages know; else the name as stored. */
function fieldLabel({ t }: Wording, key: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(key)) return key;
  // The log's own label first; else the label the field has on its form.
  return t(
    ['audit.fields', 'participants.fields', 'trajectories.fields', 'goals.fields'].map((group) => `${group}.${key}`),
    { defaultValue: key },
  );
}

/** A field's label inside a sentence: lower case, unless it is an abbreviation. */
function fieldInSentence(wording: Wording, key: string): string {
  const label = fieldLabel(wording, key);
  return /^[A-Z](?![A-Z])/.test(label) ? label.charAt(0).toLowerCase() + label.slice(1) : label;
}

/**
 * Records known by when they took place (a contact moment) or were drawn (a review sample), as
 * they are now, with their number: two contacts can share a minute, and a contact's time can have
 * been changed since the event.
 */
const KNOWN_BY_INSTANT: ReadonlySet<AuditNameKind> = new Set(['contact', 'sample']);

function nameOf(wording: Wording, kind: AuditNameKind, id: number): string {
  const found = wording.names.get(nameKey(kind, id));
  if (found && KNOWN_BY_INSTANT.has(kind)) {
    return `${wording.fmt.dateTime(new Date(found))} (${wording.t('audit.subjects.number', { id })})`;
  }
  if (found) return found;
  const { t } = wording;
  if (found === undefined && kind === 'participant') return t('audit.erasedParticipant');
  if (found === undefined && kind === 'user') return t('audit.formerUser', { id });
  return t('audit.subjects.number', { id });
}

/** A detail value in words: names for ids, labels for codes, dates in the reader's notation and zone. */
export function valueText(wording: Wording, key: string, value: unknown, entityType: string): string {
  const { t, fmt } = wording;
  if (value === null || value === undefined || value === '') return t('audit.values.none');
  if (typeof value === 'boolean') return t(value ? 'audit.values.yes' : 'audit.values.no');
  const reference = referenceKind(key, entityType);
  if (reference && typeof value === 'number') return nameOf(wording, reference, value);
  if (key === 'scores' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    // "Listened and summarised: 3; Tone: 4": each criterion by its wording.
    return Object.entries(value as Record<string, unknown>)
      .map(([id, score]) => {
        const criterion = /^\d{1,10}$/.test(id) ? nameOf(wording, 'criterion', Number(id)) : id;
        return `${criterion}: ${valueText(wording, 'score', score, entityType)}`;
      })
      .join('; ');
  }
  if (Array.isArray(value)) {
    const items = value
      .slice(0, MAX_LIST)
      .map((item) =>
        FIELD_LIST_KEYS.has(key) && typeof item === 'string'
          ? fieldInSentence(wording, item)
          : valueText(wording, key, item, entityType),
      );
    if (value.length > MAX_LIST) items.push(t('audit.values.more', { count: value.length - MAX_LIST }));
    return items.length ? items.join(', ') : t('audit.values.none');
  }
  if (typeof value === 'number' && PERCENT_KEYS.has(key)) return t('audit.values.percent', { value: fmt.number(value, 0) });
  if (typeof value === 'number') return fmt.number(value, Number.isInteger(value) ? 0 : 2);
  if (typeof value === 'string') {
    const groups = codeGroups(key, entityType);
    if (groups && CODE.test(value))
      return t(
        groups.map((group) => `${group}.${value}`),
        { defaultValue: value },
      );
    if (key === 'format') return value.toUpperCase();
    if (ISO_DATE.test(value)) return fmt.date(value);
    if (ISO_INSTANT.test(value) && !Number.isNaN(Date.parse(value))) return fmt.dateTime(new Date(value));
    return value;
  }
  // Anything structured: its fields in words, on one line.
  return Object.entries(objectOf(value))
    .map(([inner, innerValue]) => `${fieldLabel(wording, inner)}: ${valueText(wording, inner, innerValue, entityType)}`)
    .join('; ');
}

/** "trajectory UWV-2026-0012", "participant Lien Peeters", "contact moment 03-12-2026 10:00 (#12)": the event's subject. */
function subjectOf(wording: Wording, event: AuditEventRow): string {
  const { t } = wording;
  const kind = ENTITY_NAME_KINDS[event.entityType];
  const numeric = event.entityId !== null && /^\d{1,10}$/.test(event.entityId) ? Number(event.entityId) : null;
  let name = '';
  // An erased participant has no name left to put after "participant".
  if (kind === 'participant' && numeric !== null && wording.names.get(nameKey(kind, numeric)) === undefined) {
    return t('audit.subjects.erasedParticipant');
  }
  if (kind && numeric !== null) name = nameOf(wording, kind, numeric);
  else if (event.entityId !== null) name = t('audit.subjects.number', { id: event.entityId });
  if (!/^[a-z_]+$/.test(event.entityType)) return `${event.entityType} ${name}`.trim();
  const entity = t(`audit.entities.${event.entityType}`, { defaultValue: event.entityType });
  return t([`audit.subjects.${event.entityType}`, 'audit.subjects.other'], { name, entity }).trim();
}

/** The changes with their values: `changes: {field: {from, to}}`, or the risk settings' `old`/`new`. */
function changesOf(details: Record<string, unknown>): Array<[string, unknown, unknown]> {
  const changes = objectOf(details.changes);
  const pairs: Array<[string, unknown, unknown]> = Object.entries(changes).map(([key, change]) => [
    key,
    objectOf(change).from,
    objectOf(change).to,
  ]);
  if (pairs.length === 0 && details.old && details.new) {
    const before = objectOf(details.old);
    const after = objectOf(details.new);
    for (const key of Object.keys(after)) pairs.push([key, before[key], after[key]]);
  }
  return pairs;
}

/** Changed field names without values (personal fields: which, never what). */
function changedFieldsOf(details: Record<string, unknown>): string[] {
  const key = CHANGED_FIELD_KEYS.find((candidate) => Array.isArray(details[candidate]));
  const list = key ? (details[key] as unknown[]) : [];
  return list.filter((field): field is string => typeof field === 'string');
}

/** The event as one sentence, and the details the sentence does not already say. */
export function wordEvent(wording: Wording, event: AuditEventRow & { actorName: string | null }): WordedEvent {
  const { t } = wording;
  const details = objectOf(event.details);
  const actor =
    event.actorName ??
    (event.actorUserId === null ? t('audit.sentences.system') : t('audit.formerUser', { id: event.actorUserId }));
  const subject = subjectOf(wording, event);
  // Keys the sentence itself says; the details list leaves them out.
  const said = new Set<string>();
  const value = (key: string, raw: unknown) => valueText(wording, key, raw, event.entityType);
  let sentence: string;

  const changes = changesOf(details);
  if (Object.keys(objectOf(details.changes)).length > 0) said.add('changes');
  else if (changes.length > 0) said.add('old').add('new');
  for (const key of CHANGED_FIELD_KEYS) if (Array.isArray(details[key])) said.add(key);
  const changedOnly = changedFieldsOf(details).filter((field) => !changes.some(([key]) => key === field));
  if (changes.length === 1 && changedOnly.length === 0) {
    const [field, from, to] = changes[0]!;
    sentence = t('audit.sentences.updateOne', {
      actor,
      subject,
      field: fieldInSentence(wording, field),
      from: value(field, from),
      to: value(field, to),
    });
  } else if (changes.length > 0 || changedOnly.length > 0) {
    const parts = [
      ...changes.map(([field, from, to]) =>
        t('audit.sentences.change', { field: fieldInSentence(wording, field), from: value(field, from), to: value(field, to) }),
      ),
      ...changedOnly.map((field) => fieldInSentence(wording, field)),
    ];
    // Changes with values are phrases of their own ("x from a to b"); bare field names are a list.
    sentence = t('audit.sentences.updateFields', { actor, subject, fields: parts.join(changes.length > 0 ? '; ' : ', ') });
  } else if (event.action === 'reassign' && 'fromCoachId' in details && 'toCoachId' in details) {
    sentence = t('audit.sentences.reassignFromTo', {
      actor,
      subject,
      from: value('fromCoachId', details.fromCoachId),
      to: value('toCoachId', details.toCoachId),
    });
    said.add('fromCoachId').add('toCoachId');
  } else if (event.action === 'change_hours' && 'hoursPerWeek' in details) {
    // A new day of hours replaced no row of its own day: there is no "from" to name.
    const replaced = details.replacedHoursPerWeek !== null && details.replacedHoursPerWeek !== undefined;
    sentence = t(replaced ? 'audit.sentences.changeHoursFromTo' : 'audit.sentences.setHoursFrom', {
      actor,
      subject,
      from: value('replacedHoursPerWeek', details.replacedHoursPerWeek),
      to: value('hoursPerWeek', details.hoursPerWeek),
      date: value('effectiveFrom', details.effectiveFrom),
    });
    said.add('hoursPerWeek').add('replacedHoursPerWeek').add('effectiveFrom');
  } else if (/^[a-z_]+$/.test(event.action)) {
    const action = t(`audit.actions.${event.action}`, { defaultValue: event.action });
    sentence = t([`audit.sentences.${event.action}`, 'audit.sentences.other'], { actor, subject, action });
  } else {
    sentence = t('audit.sentences.other', { actor, subject, action: event.action });
  }

  const participant =
    event.participantId === null
      ? null
      : { id: event.participantId, name: wording.names.get(nameKey('participant', event.participantId)) ?? null };
  const rest = Object.entries(details)
    .filter(([key]) => !said.has(key))
    .map(([key, raw]): [string, string] => [fieldLabel(wording, key), value(key, raw)]);
  return { sentence, participant, details: rest };
}
