import type { Request } from 'express';
import { pageFromQuery, pageInfo, type Page } from '../lib/pagination';
import type { Services } from '../services';
import type { SignedInResponse } from '../web/context';
import { filterFormValues, filterQueryString, filtersOf } from './presentation';
import { readAuditLogQuery, type AuditLogCriteria } from './schemas';

/** One page of the log with what its filter form offers, and the name of the participant filtered on. */
async function loadAuditLog({ audit, config }: Services, res: SignedInResponse, criteria: AuditLogCriteria, page: Page) {
  const { viewer } = res.locals;
  const { participantId } = criteria;
  const [{ rows, total }, options, participantName] = await Promise.all([
    audit.auditLogPage(viewer, filtersOf(criteria, config.timeZone), page),
    audit.auditFilterOptions(),
    participantId !== null ? audit.participantNameFor(viewer, participantId) : Promise.resolve(null),
  ]);
  return { rows, total, options, participantName };
}

/**
 * GET /admin/audit: the audit log, filtered by person, participant, action and days. An unusable
 * filter is left out and explained (`problems`), never an error page; the page links keep the filters.
 */
export async function showAuditLog(services: Services, req: Request, res: SignedInResponse) {
  const { t, fmt } = res.locals;
  const { raw, criteria, problems } = readAuditLogQuery(req.query);
  const page = pageFromQuery(req.query);
  const { rows, total, options, participantName } = await loadAuditLog(services, res, criteria, page);
  const query = filterQueryString(criteria);
  res.render('audit/list', {
    title: t('audit.list.title'),
    rows,
    options,
    values: filterFormValues(criteria, raw, fmt),
    problems,
    participantFilter: criteria.participantId !== null ? { id: criteria.participantId, name: participantName } : null,
    isFiltered: query !== '',
    pagination: pageInfo(page, total, rows.length),
    baseQuery: query,
  });
}
