import type { Request } from 'express';
import { pageFromQuery, pageInfo, type Page } from '../lib/pagination';
import type { Viewer } from '../lib/viewer';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { writeAuditCsv, auditCsvFileName } from './export';
import { filterFormValues, filterQueryString, filtersOf, wordedRows } from './presentation';
import { readAuditLogQuery, type AuditLogCriteria } from './schemas';
import type { AuditParticipantName } from './service';

interface ParticipantFilter {
  criteria: AuditLogCriteria;
  /** The participant filtered on: their name, or null when erased or not there. */
  shown: { id: number; name: string | null } | null;
  /** A typed name that matches several participants: they are offered, the filter waits for a choice. */
  choices: AuditParticipantName[];
  /** A typed name that matches nobody. */
  noMatch: string | null;
}

/** The participant filter as applied: an id from a link, or the one participant whose name matches what was typed. */
async function resolveParticipant({ audit }: Services, viewer: Viewer, read: AuditLogCriteria): Promise<ParticipantFilter> {
  const none = { criteria: read, shown: null, choices: [], noMatch: null };
  if (read.participantId !== null) {
    return { ...none, shown: { id: read.participantId, name: await audit.participantNameFor(viewer, read.participantId) } };
  }
  if (read.participantText === null) return none;
  const found = await audit.findParticipantForFilter(viewer, read.participantText);
  if (found.kind === 'several') return { ...none, choices: found.participants };
  if (found.kind === 'none') return { ...none, noMatch: read.participantText };
  const { participant } = found;
  return {
    ...none,
    criteria: { ...read, participantId: participant.id, participantText: null },
    shown: { id: participant.id, name: `${participant.firstName} ${participant.lastName}` },
  };
}

async function loadAuditLog({ audit, config }: Services, viewer: Viewer, criteria: AuditLogCriteria, page: Page) {
  const [log, options] = await Promise.all([
    audit.auditLogPage(viewer, filtersOf(criteria, config.timeZone), page),
    audit.auditFilterOptions(),
  ]);
  return { log, options };
}

/**
 * GET /admin/audit: the audit log as sentences, filtered by person, participant (by name), action
 * and days. An unusable filter is left out and explained (`problems`), never an error page; the
 * page links and the CSV download keep the filters.
 */
export async function showAuditLog(services: Services, req: Request, res: SignedInResponse) {
  const { t, fmt, viewer } = res.locals;
  const { raw, criteria: read, problems } = readAuditLogQuery(req.query);
  const participant = await resolveParticipant(services, viewer, read);
  const page = pageFromQuery(req.query);
  const { log, options } = await loadAuditLog(services, viewer, participant.criteria, page);
  const query = filterQueryString(participant.criteria);
  res.render('audit/list', {
    title: t('audit.list.title'),
    rows: wordedRows(log, t, fmt),
    options,
    values: filterFormValues(participant.criteria, raw, fmt, participant.shown),
    problems,
    participantFilter: participant.shown,
    participantChoices: participant.choices,
    participantNoMatch: participant.noMatch,
    choiceQuery: (id: number) => filterQueryString({ ...participant.criteria, participantId: id, participantText: null }),
    isFiltered: query !== '' || participant.criteria.participantText !== null,
    pagination: pageInfo(page, log.total, log.events.length),
    baseQuery: query,
    downloadHref: `/admin/audit/export.csv${query ? `?${query}` : ''}`,
  });
}

/**
 * GET /admin/audit/export.csv: the filtered log as a CSV for a privacy officer, streamed in batches
 * and itself recorded in the log. A typed name that does not point at one participant goes back
 * to the page, which says why, rather than downloading more than was asked for.
 */
export async function downloadAuditLog(services: Services, req: Request, res: SignedInResponse) {
  const { t, fmt, viewer, locale } = res.locals;
  const { criteria: read } = readAuditLogQuery(req.query);
  const participant = await resolveParticipant(services, viewer, read);
  if (read.participantText !== null && participant.criteria.participantId === null) {
    const back = new URLSearchParams(req.query as Record<string, string>).toString();
    return res.redirect(303, `/admin/audit${back ? `?${back}` : ''}`);
  }
  const batches = await services.audit.startAuditExport(viewer, filtersOf(participant.criteria, services.config.timeZone));
  res.status(200);
  res.setHeader('Content-Type', 'text/csv; charset=utf-8');
  res.setHeader(
    'Content-Disposition',
    `attachment; filename="${auditCsvFileName(t, services.clock.now().setZone(services.config.timeZone))}"`,
  );
  try {
    const outcome = await writeAuditCsv(batches, res, { t, fmt, separator: locale === 'en' ? ',' : ';' });
    if (outcome === 'aborted') services.logger.info({ reqId: req.id }, 'audit log download ended early: the client went away');
  } catch (error) {
    if (!res.headersSent) {
      for (const header of ['Content-Type', 'Content-Disposition']) res.removeHeader(header);
      throw error;
    }
    services.logger.error({ reqId: req.id, err: error }, 'audit log download failed while streaming');
    res.destroy();
  }
}
