import type { ImportKind } from '../db/schema';
import type { Executor } from '../platform/executor';
import { RowReader, type ImportProblem } from './cells';
import { fieldForHeader, IMPORT_FIELDS } from './fields';
import {
  findCoachIdsByEmail,
  findEmployersByName,
  findParticipantsByLastName,
  findParticipantsByReference,
  listActiveCommissioners,
  listContactsOf,
  listHoursOf,
  listPlacementsOf,
  listTrajectoriesOf,
  reserveIds,
} from './queries';
import { readSheet, type SheetRow } from './reader';
import { groupBy } from '../lib/collections';

// What an import of a file would do, row by row, computed without writing: the preview shows it
// (a dry run), and the import stages exactly these rows. Every problem names its row and column.

export type RowAction = 'create' | 'update' | 'skip';

export interface PlannedRow {
  line: number;
  action: RowAction;
  data: Record<string, unknown>;
  /** What an update changes, for the preview to say in words (imports.changes.<code>). */
  changes?: PlannedChange[];
}

/** One change of an update: a message code under imports.changes and its values (unformatted). */
export type PlannedChange =
  { code: 'hours'; from: number | null; to: number; date: string } | { code: 'fields'; fields: string[] };

export interface HeaderColumn {
  index: number;
  header: string;
  /** The field it is read into; null: not known (the mapping step asks), 'ignore': left out on purpose. */
  field: string | null;
}

export interface ImportPlan {
  kind: ImportKind;
  columns: HeaderColumn[];
  /** Headers the import did not recognise and no mapping covers yet. */
  unmapped: HeaderColumn[];
  /** Required fields no column gives. */
  missing: string[];
  problems: ImportProblem[];
  counts: Record<RowAction, number>;
  rows: PlannedRow[];
}

/** Column index → field key or 'ignore', as the mapping step stores it. */
export type ColumnMapping = Record<string, string>;

export function readHeaders(kind: ImportKind, header: SheetRow, mapping: ColumnMapping | null): HeaderColumn[] {
  const taken = new Set<string>();
  return header.cells.map((cell, index) => {
    const chosen = mapping?.[String(index)];
    const known = fieldForHeader(kind, cell.text)?.key;
    let fieldKey: string | null = chosen ?? known ?? null;
    if (cell.text.trim() === '' && !chosen) fieldKey = 'ignore';
    // A field read twice would make one column silently win: the second is left out.
    if (fieldKey !== null && fieldKey !== 'ignore') {
      if (taken.has(fieldKey)) fieldKey = 'ignore';
      else taken.add(fieldKey);
    }
    return { index, header: cell.text.trim(), field: fieldKey };
  });
}

/** Lower-case, trimmed: how references, emails and names are compared. */
const key = (value: string | null | undefined) => (value ?? '').trim().toLowerCase();

/** A row as read; `valid` false when a cell had a problem: it is still checked against what is stored, but not planned. */
type Validated = { line: number; values: Record<string, unknown>; valid: boolean };

const isText = (value: unknown): value is string => typeof value === 'string' && value !== '';

/**
 * Reads the whole file and plans every row. `reserve` is false for the preview (nothing is
 * written, not even a sequence value); the import passes true and gets rows with their final ids.
 */
export async function planImport(
  db: Executor,
  kind: ImportKind,
  content: Buffer,
  mapping: ColumnMapping | null,
  today: string,
  reserve: boolean,
): Promise<ImportPlan> {
  const plan: ImportPlan = {
    kind,
    columns: [],
    unmapped: [],
    missing: [],
    problems: [],
    counts: { create: 0, update: 0, skip: 0 },
    rows: [],
  };
  const validated: Validated[] = [];
  let first = true;
  for await (const row of readSheet(content)) {
    if (first) {
      first = false;
      plan.columns = readHeaders(kind, row, mapping);
      plan.unmapped = plan.columns.filter((column) => column.field === null);
      const given = new Set(plan.columns.map((column) => column.field));
      plan.missing = IMPORT_FIELDS[kind].filter((candidate) => candidate.required && !given.has(candidate.key)).map((c) => c.key);
      if (plan.unmapped.length > 0 || plan.missing.length > 0) return plan;
      continue;
    }
    const cells = new Map<string, { header: string; cell: (typeof row.cells)[number] }>();
    for (const column of plan.columns) {
      if (column.field === null || column.field === 'ignore') continue;
      cells.set(column.field, { header: column.header, cell: row.cells[column.index] ?? { text: '', formula: false } });
    }
    const reader = new RowReader(row.line, cells);
    const values = VALIDATORS[kind](reader);
    plan.problems.push(...reader.problems);
    validated.push({ line: row.line, values, valid: reader.problems.length === 0 });
  }
  await RESOLVERS[kind](db, validated, plan, today, reserve);
  plan.problems.sort((a, b) => a.line - b.line);
  return plan;
}

// --- reading rows ----------------------------------------------------------------------------

const VALIDATORS: Record<ImportKind, (row: RowReader) => Record<string, unknown>> = {
  participants: (row) => {
    const values = {
      reference: row.text('reference', 50, false),
      firstName: row.text('firstName', 100, true),
      lastName: row.text('lastName', 100, true),
      dateOfBirth: row.date('dateOfBirth', false),
      phone: row.text('phone', 30, false),
      email: row.email('email', false),
      addressLine: row.text('addressLine', 200, false),
      postalCode: row.text('postalCode', 12, false),
      city: row.text('city', 100, false),
      coachEmail: row.email('coachEmail', true),
      commissioner: row.text('commissioner', 150, false),
      trajectoryKind: row.choice('trajectoryKind', 'trajectoryKind', false),
      trajectoryReference: row.text('trajectoryReference', 50, false),
      trajectoryStart: row.date('trajectoryStart', false),
      trajectoryPlannedEnd: row.date('trajectoryPlannedEnd', false),
      grantedHours: row.number('grantedHours', 0, 2000, false),
    };
    if (values.dateOfBirth && values.dateOfBirth < '1900-01-01')
      row.problem('dateOfBirth', 'date', { value: values.dateOfBirth });
    if (row.problems.length > 0) return values;
    if (!values.reference && !values.dateOfBirth) row.problem(null, 'identity');
    const trajectoryGiven =
      values.trajectoryStart || values.trajectoryPlannedEnd || values.trajectoryReference || values.grantedHours !== null;
    if (values.commissioner && !values.trajectoryStart) row.problem('trajectoryStart', 'required');
    else if (!values.commissioner && (trajectoryGiven || values.trajectoryKind)) row.problem('commissioner', 'required');
    if (values.trajectoryStart && values.trajectoryPlannedEnd && values.trajectoryPlannedEnd < values.trajectoryStart) {
      row.problem('trajectoryPlannedEnd', 'endBeforeStart');
    }
    return values;
  },
  employers: (row) => {
    const values = {
      name: row.text('name', 150, true),
      sector: row.choice('sector', 'sector', false),
      addressLine: row.text('addressLine', 200, false),
      postalCode: row.text('postalCode', 12, false),
      city: row.text('city', 100, false),
      phone: row.text('phone', 30, false),
      contactName: row.text('contactName', 150, false),
      contactRole: row.choice('contactRole', 'contactRole', false),
      contactJobTitle: row.text('contactJobTitle', 100, false),
      contactPhone: row.text('contactPhone', 30, false),
      contactEmail: row.email('contactEmail', false),
    };
    if (row.problems.length > 0) return values;
    if (!values.contactName && (values.contactRole || values.contactJobTitle || values.contactPhone || values.contactEmail)) {
      row.problem('contactName', 'required');
    }
    return values;
  },
  placements: (row) => {
    const values = {
      participantReference: row.text('participantReference', 50, true),
      employer: row.text('employer', 150, true),
      employerAddress: row.text('employerAddress', 200, false),
      kind: row.choice('kind', 'placementKind', true),
      jobTitle: row.text('jobTitle', 100, true),
      hoursPerWeek: tenths(row.number('hoursPerWeek', 0, 60, true)),
      startDate: row.date('startDate', true),
      plannedEndDate: row.date('plannedEndDate', false),
    };
    if (values.startDate && values.plannedEndDate && values.plannedEndDate < values.startDate) {
      row.problem('plannedEndDate', 'endBeforeStart');
    }
    return values;
  },
};

/**
 * Hours per week as they are stored (numeric(4,1), halves away from zero): 32.55 becomes 32.6, so a
 * second run of the same file compares equal with what the first stored instead of updating again.
 */
function tenths(value: number | null | undefined): number | null | undefined {
  if (value === null || value === undefined) return value;
  return Math.round(Number((value * 10).toPrecision(12))) / 10;
}

// --- matching rows with what is stored ------------------------------------------------------

type Resolver = (db: Executor, rows: Validated[], plan: ImportPlan, today: string, reserve: boolean) => Promise<void>;

function problem(plan: ImportPlan, line: number, field: string | null, code: string, params?: Record<string, string | number>) {
  const column = field === null ? null : (plan.columns.find((candidate) => candidate.field === field)?.header ?? null);
  plan.problems.push({ line, column, code, ...(params ? { params } : {}) });
}

/** Hands out reserved ids in order (or none in a preview). */
async function idSource(db: Executor, table: Parameters<typeof reserveIds>[1], count: number, reserve: boolean) {
  const ids = reserve ? await reserveIds(db, table, count) : [];
  let next = 0;
  return () => (reserve ? ids[next++]! : null);
}

/** Whether a stored value differs from an imported one; an empty cell keeps what is stored. */
const differs = (stored: unknown, imported: unknown) =>
  imported !== null && imported !== undefined && plain(stored) !== plain(imported);

/** A stored or read value (text, number, ISO date or null) as text, for comparing and for messages. */
function plain(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
}

function merged<T extends Record<string, unknown>>(stored: T, imported: Record<string, unknown>, fields: readonly string[]) {
  const out: Record<string, unknown> = {};
  for (const name of fields)
    out[name] = imported[name] === null || imported[name] === undefined ? (stored[name] ?? null) : imported[name];
  return out;
}

const PARTICIPANT_FIELDS = [
  'firstName',
  'lastName',
  'dateOfBirth',
  'phone',
  'email',
  'addressLine',
  'postalCode',
  'city',
  'reference',
] as const;

const resolveParticipants: Resolver = async (db, rows, plan, today, reserve) => {
  const coaches = await findCoachIdsByEmail(
    db,
    rows.map((row) => key(row.values.coachEmail as string)),
  );
  const commissioners = new Map((await listActiveCommissioners(db)).map((c) => [key(c.name), c.id]));
  const references = rows.map((row) => key(row.values.reference as string | null)).filter((value) => value !== '');
  const byReference = new Map<string, Awaited<ReturnType<typeof findParticipantsByReference>>[number]>();
  for (const found of await findParticipantsByReference(db, references)) {
    if (!byReference.has(key(found.reference))) byReference.set(key(found.reference), found);
  }
  const unreferenced = rows.filter((row) => !row.values.reference);
  const byName = new Map<string, Awaited<ReturnType<typeof findParticipantsByLastName>>[number]>();
  for (const found of await findParticipantsByLastName(
    db,
    unreferenced.map((row) => key(row.values.lastName as string)),
  )) {
    const identity = `${key(found.firstName)}|${key(found.lastName)}|${found.dateOfBirth}`;
    if (!byName.has(identity)) byName.set(identity, found);
  }
  const seen = new Map<string, number>();
  const usable: Array<{
    row: Validated;
    existing: ReturnType<typeof byReference.get>;
    coachId: number;
    commissionerId: number | null;
  }> = [];
  for (const row of rows) {
    const v = row.values;
    const identity = isText(v.reference)
      ? `ref:${key(v.reference)}`
      : isText(v.firstName) && isText(v.lastName) && isText(v.dateOfBirth)
        ? `name:${key(v.firstName)}|${key(v.lastName)}|${v.dateOfBirth}`
        : null;
    const earlier = identity === null ? undefined : seen.get(identity);
    if (earlier !== undefined) {
      problem(plan, row.line, v.reference ? 'reference' : 'lastName', v.reference ? 'duplicateReference' : 'duplicatePerson', {
        line: earlier,
      });
    } else if (identity !== null) seen.set(identity, row.line);
    const coachId = isText(v.coachEmail) ? coaches.get(key(v.coachEmail)) : undefined;
    if (isText(v.coachEmail) && coachId === undefined) {
      problem(plan, row.line, 'coachEmail', 'unknownCoach', { value: v.coachEmail.slice(0, 60) });
    }
    let commissionerId: number | null = null;
    if (isText(v.commissioner)) {
      commissionerId = commissioners.get(key(v.commissioner)) ?? null;
      if (commissionerId === null)
        problem(plan, row.line, 'commissioner', 'unknownCommissioner', { value: v.commissioner.slice(0, 60) });
    }
    if (!row.valid || earlier !== undefined) continue;
    const existing = v.reference
      ? byReference.get(key(v.reference as string))
      : byName.get(`${key(v.firstName as string)}|${key(v.lastName as string)}|${v.dateOfBirth as string}`);
    if (existing?.status === 'closed') problem(plan, row.line, v.reference ? 'reference' : null, 'participantClosed');
    if (coachId === undefined || (v.commissioner && commissionerId === null) || existing?.status === 'closed') continue;
    usable.push({ row, existing, coachId, commissionerId });
  }
  const trajectoriesOf = groupBy(
    await listTrajectoriesOf(
      db,
      usable.flatMap((u) => (u.existing ? [u.existing.id] : [])),
    ),
    (t) => t.participantId,
  );
  const planned: Array<{ line: number; data: Record<string, unknown>; participant: RowAction; trajectory: RowAction | null }> =
    [];
  for (const { row, existing, coachId, commissionerId } of usable) {
    const v = row.values;
    const data: Record<string, unknown> = { ...merged(existing ?? {}, v, PARTICIPANT_FIELDS), coachId };
    let participant: RowAction = 'create';
    if (existing) {
      const changed = PARTICIPANT_FIELDS.some((name) => differs(existing[name], v[name])) || existing.coachId !== coachId;
      participant = changed ? 'update' : 'skip';
      data.participantId = existing.id;
      data.participantVersion = existing.version;
    }
    let trajectory: RowAction | null = null;
    if (commissionerId !== null) {
      const own = (existing && trajectoriesOf.get(existing.id)) || [];
      const same = own.find((t) => t.commissionerId === commissionerId && t.startDate === v.trajectoryStart);
      const values = {
        commissionerId,
        trajectoryKind: (v.trajectoryKind as string | null) ?? same?.kind ?? 'jobcoaching',
        trajectoryReference: (v.trajectoryReference as string | null) ?? same?.reference ?? null,
        trajectoryStart: v.trajectoryStart,
        trajectoryPlannedEnd: (v.trajectoryPlannedEnd as string | null) ?? same?.plannedEndDate ?? null,
        grantedHours: v.grantedHours ?? (same ? Number(same.grantedHours) : 0),
      };
      Object.assign(data, values);
      if (same) {
        const changed =
          same.kind !== values.trajectoryKind ||
          (same.reference ?? null) !== values.trajectoryReference ||
          (same.plannedEndDate ?? null) !== values.trajectoryPlannedEnd ||
          Number(same.grantedHours) !== values.grantedHours;
        trajectory = changed ? (same.actualEndDate ? null : 'update') : 'skip';
        if (same.actualEndDate && changed) {
          problem(plan, row.line, 'trajectoryStart', 'trajectoryClosed');
          continue;
        }
        data.trajectoryId = same.id;
        data.trajectoryVersion = same.version;
      } else if (own.some((t) => t.actualEndDate === null)) {
        problem(plan, row.line, 'commissioner', 'otherOpenTrajectory');
        continue;
      } else {
        trajectory = 'create';
      }
    }
    data.status = v.trajectoryStart && (v.trajectoryStart as string) <= today ? 'active' : 'intake';
    planned.push({ line: row.line, data, participant, trajectory });
  }
  if (plan.problems.length > 0) reserve = false;
  const participantId = await idSource(db, 'participants', planned.filter((p) => p.participant === 'create').length, reserve);
  const trajectoryId = await idSource(db, 'trajectories', planned.filter((p) => p.trajectory === 'create').length, reserve);
  for (const { line, data, participant, trajectory } of planned) {
    if (participant === 'create') data.participantId = participantId();
    if (trajectory === 'create') data.trajectoryId = trajectoryId();
    data.participantAction = participant;
    data.trajectoryAction = trajectory;
    const action: RowAction =
      participant === 'create' ? 'create' : participant === 'update' || (trajectory && trajectory !== 'skip') ? 'update' : 'skip';
    plan.counts[action] += 1;
    plan.rows.push({ line, action, data });
  }
};

const EMPLOYER_FIELDS = ['name', 'sector', 'addressLine', 'postalCode', 'city', 'phone'] as const;
const CONTACT_FIELDS = ['contactRole', 'contactJobTitle', 'contactPhone', 'contactEmail'] as const;

const resolveEmployers: Resolver = async (db, rows, plan, _today, reserve) => {
  const stored = await findEmployersByName(
    db,
    rows.map((row) => key(row.values.name as string)),
  );
  const employerKey = (name: unknown, address: unknown) => `${key(name as string)}|${key(address as string | null)}`;
  const byKey = new Map<string, (typeof stored)[number]>();
  for (const employer of stored)
    if (!byKey.has(employerKey(employer.name, employer.addressLine)))
      byKey.set(employerKey(employer.name, employer.addressLine), employer);
  const contactsOf = groupBy(
    await listContactsOf(
      db,
      stored.map((employer) => employer.id),
    ),
    (contact) => contact.employerId,
  );
  const employerIds = await idSource(
    db,
    'employers',
    new Set(rows.map((r) => employerKey(r.values.name, r.values.addressLine))).size,
    reserve,
  );
  const contactIds = await idSource(db, 'employer_contacts', rows.filter((r) => r.values.contactName).length, reserve);
  /** Per employer of the file: its id and what the first row of it does. */
  const inFile = new Map<string, { id: number | null; line: number }>();
  const contactsSeen = new Map<string, number>();
  for (const row of rows) {
    const v = row.values;
    if (!row.valid) continue;
    const employerKeyOfRow = employerKey(v.name, v.addressLine);
    const contactKey = `${employerKeyOfRow}|${key(v.contactName as string | null)}`;
    const earlierContact = contactsSeen.get(contactKey);
    if (earlierContact !== undefined) {
      problem(plan, row.line, v.contactName ? 'contactName' : 'name', 'duplicateEmployer', { line: earlierContact });
      continue;
    }
    contactsSeen.set(contactKey, row.line);
    const existing = byKey.get(employerKeyOfRow);
    const data: Record<string, unknown> = { ...merged(existing ?? {}, v, EMPLOYER_FIELDS) };
    data.sector = data.sector ?? 'other';
    const first = inFile.get(employerKeyOfRow);
    let employerAction: RowAction | 'same';
    if (first) {
      employerAction = 'same';
      data.employerId = existing?.id ?? first.id;
    } else if (existing) {
      employerAction = EMPLOYER_FIELDS.some((name) => differs(existing[name], v[name])) ? 'update' : 'skip';
      data.employerId = existing.id;
      data.employerVersion = existing.version;
      inFile.set(employerKeyOfRow, { id: existing.id, line: row.line });
    } else {
      employerAction = 'create';
      data.employerId = employerIds();
      inFile.set(employerKeyOfRow, { id: data.employerId as number | null, line: row.line });
    }
    let contactAction: RowAction | null = null;
    if (v.contactName) {
      const same = existing ? contactsOf.get(existing.id)?.find((c) => key(c.name) === key(v.contactName as string)) : undefined;
      const contactValues = {
        contactName: same?.name ?? v.contactName,
        contactRole: (v.contactRole as string | null) ?? same?.role ?? 'supervisor',
        contactJobTitle: (v.contactJobTitle as string | null) ?? same?.jobTitle ?? null,
        contactPhone: (v.contactPhone as string | null) ?? same?.phone ?? null,
        contactEmail: (v.contactEmail as string | null) ?? same?.email ?? null,
      };
      Object.assign(data, contactValues);
      if (same) {
        const storedValues = {
          contactRole: same.role,
          contactJobTitle: same.jobTitle,
          contactPhone: same.phone,
          contactEmail: same.email,
        };
        contactAction = CONTACT_FIELDS.some((name) => differs(storedValues[name], contactValues[name])) ? 'update' : 'skip';
        data.contactId = same.id;
        data.contactVersion = same.version;
      } else {
        contactAction = 'create';
        data.contactId = contactIds();
      }
    }
    data.employerAction = employerAction;
    data.contactAction = contactAction;
    const action: RowAction =
      employerAction === 'create' || contactAction === 'create'
        ? 'create'
        : employerAction === 'update' || contactAction === 'update'
          ? 'update'
          : 'skip';
    plan.counts[action] += 1;
    plan.rows.push({ line: row.line, action, data });
  }
};

const resolvePlacements: Resolver = async (db, rows, plan, today, reserve) => {
  const participants = new Map<string, Awaited<ReturnType<typeof findParticipantsByReference>>[number]>();
  for (const found of await findParticipantsByReference(
    db,
    rows.map((row) => key(row.values.participantReference as string)),
  )) {
    if (!participants.has(key(found.reference))) participants.set(key(found.reference), found);
  }
  const employersNamed = groupBy(
    await findEmployersByName(
      db,
      rows.map((row) => key(row.values.employer as string)),
    ),
    (employer) => key(employer.name),
  );
  const placementIdentity = (participantId: number, employerId: number, startDate: unknown) =>
    `${participantId}|${employerId}|${startDate as string}`;
  const placements = new Map<string, Awaited<ReturnType<typeof listPlacementsOf>>[number]>();
  for (const placement of await listPlacementsOf(
    db,
    [...participants.values()].map((p) => p.id),
  )) {
    const identity = placementIdentity(placement.participantId, placement.employerId, placement.startDate);
    if (!placements.has(identity)) placements.set(identity, placement);
  }
  // Every hours row of those placements, newest first: the hours in force on a day are the first
  // row not after it (as the placement's page reads them, placements/service.ts hoursOn).
  const hoursOf = groupBy(
    await listHoursOf(
      db,
      [...placements.values()].map((p) => p.id),
    ),
    (row) => row.placementId,
  );
  const seen = new Map<string, number>();
  const planned: Array<{ line: number; data: Record<string, unknown>; action: RowAction; changes: PlannedChange[] }> = [];
  for (const row of rows) {
    const v = row.values;
    if (!isText(v.participantReference) || !isText(v.employer)) continue;
    const participant = participants.get(key(v.participantReference));
    if (!participant) {
      problem(plan, row.line, 'participantReference', 'unknownParticipant', {
        value: plain(v.participantReference).slice(0, 50),
      });
      continue;
    }
    if (participant.status === 'closed') {
      problem(plan, row.line, 'participantReference', 'participantClosed');
      continue;
    }
    const candidates = (employersNamed.get(key(v.employer)) ?? []).filter(
      (e) => !v.employerAddress || key(e.addressLine) === key(v.employerAddress as string),
    );
    if (candidates.length !== 1) {
      problem(plan, row.line, 'employer', candidates.length === 0 ? 'unknownEmployer' : 'ambiguousEmployer', {
        value: plain(v.employer).slice(0, 60),
      });
      continue;
    }
    const employer = candidates[0]!;
    if (!row.valid) continue;
    const identity = placementIdentity(participant.id, employer.id, v.startDate);
    const earlier = seen.get(identity);
    if (earlier !== undefined) {
      problem(plan, row.line, 'startDate', 'duplicatePlacement', { line: earlier });
      continue;
    }
    seen.set(identity, row.line);
    const same = placements.get(identity);
    const data: Record<string, unknown> = {
      participantId: participant.id,
      employerId: employer.id,
      kind: v.kind,
      jobTitle: v.jobTitle,
      hoursPerWeek: v.hoursPerWeek,
      startDate: v.startDate,
      plannedEndDate: v.plannedEndDate ?? same?.plannedEndDate ?? null,
    };
    let action: RowAction = 'create';
    const changes: PlannedChange[] = [];
    if (same) {
      const fields = (['kind', 'jobTitle', 'plannedEndDate'] as const).filter(
        (name) => (same[name] ?? null) !== (data[name] ?? null),
      );
      if (fields.length > 0) changes.push({ code: 'fields', fields });
      // New hours are recorded as the app records an hours change: from the import day on (a
      // placement that has not started yet: from its start, the earliest day the app accepts),
      // compared with the hours in force on that day.
      const day = same.startDate > today ? same.startDate : today;
      const history = hoursOf.get(same.id) ?? [];
      const inForce = history.find((h) => h.effectiveFrom <= day);
      const hoursBefore = inForce ? Number(inForce.hoursPerWeek) : null;
      if (hoursBefore !== v.hoursPerWeek) {
        // As in the app: a paused placement's hours are 0 until it resumes, an ended one has none to change.
        if (same.status !== 'active') {
          problem(plan, row.line, 'hoursPerWeek', same.status === 'paused' ? 'placementPaused' : 'placementEnded');
          continue;
        }
        changes.push({ code: 'hours', from: hoursBefore, to: v.hoursPerWeek as number, date: day });
        Object.assign(data, { hoursAction: 'change', hoursEffectiveFrom: day, hoursBefore });
      }
      action = changes.length > 0 ? 'update' : 'skip';
      data.placementId = same.id;
      data.placementVersion = same.version;
      // The placement's own columns change only when one of them differs (an hours change alone
      // leaves the placement's version as it is, as the app's hours form does).
      data.placementAction = fields.length > 0 ? 'update' : 'skip';
    }
    planned.push({ line: row.line, data, action, changes });
  }
  const placementIds = await idSource(
    db,
    'placements',
    planned.filter((p) => p.action === 'create').length,
    reserve && plan.problems.length === 0,
  );
  for (const { line, data, action, changes } of planned) {
    if (action === 'create') {
      data.placementId = placementIds();
      data.placementAction = 'create';
    }
    plan.counts[action] += 1;
    plan.rows.push({ line, action, data, ...(changes.length > 0 ? { changes } : {}) });
  }
};

const RESOLVERS: Record<ImportKind, Resolver> = {
  participants: resolveParticipants,
  employers: resolveEmployers,
  placements: resolvePlacements,
};
