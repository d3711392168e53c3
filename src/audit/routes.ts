import { Router } from 'express';
import type { AppDeps } from '../app-deps';
import { requireRole } from '../auth/guards';
import { pageFromQuery, pageInfo } from '../lib/pagination';
import { viewerFor } from '../lib/viewer';
import { readAuditLogQuery } from './schemas';
import { auditFilterOptions, auditLogPage, dayRangeInZone, participantNameFor, type AuditEventFilters } from './service';

export function auditRoutes(deps: AppDeps): Router {
  const router = Router();
  const { db, clock, config } = deps;

  // The guard sits on the route, not on the router: this router shares the /admin prefix.
  router.get('/audit', requireRole('admin'), async (req, res) => {
    const viewer = viewerFor(req.user!, clock, config.timeZone);
    const { raw, criteria, problems } = readAuditLogQuery(req.query);
    const filters: AuditEventFilters = {
      ...(criteria.userId !== null ? { actorUserId: criteria.userId } : {}),
      ...(criteria.participantId !== null ? { participantId: criteria.participantId } : {}),
      ...(criteria.action !== null ? { action: criteria.action } : {}),
      ...dayRangeInZone(criteria.from, criteria.to, config.timeZone),
    };
    const page = pageFromQuery(req.query);
    const [{ rows, total }, options, participantName] = await Promise.all([
      auditLogPage(db, viewer, filters, page),
      auditFilterOptions(db),
      criteria.participantId !== null ? participantNameFor(db, viewer, criteria.participantId) : Promise.resolve(null),
    ]);

    // Links to other pages carry the filters that were applied (unusable input is left out).
    const query = new URLSearchParams();
    if (criteria.userId !== null) query.set('user', String(criteria.userId));
    if (criteria.participantId !== null) query.set('participant', String(criteria.participantId));
    if (criteria.action !== null) query.set('action', criteria.action);
    if (criteria.from !== null) query.set('from', criteria.from);
    if (criteria.to !== null) query.set('to', criteria.to);

    const fmt = res.locals.fmt;
    res.render('audit/list', {
      title: res.locals.t('audit.list.title'),
      rows,
      options,
      values: {
        user: criteria.userId !== null ? String(criteria.userId) : '',
        participant: criteria.participantId !== null ? String(criteria.participantId) : raw.participant,
        action: criteria.action ?? '',
        // A date that was understood is shown back in the reader's notation; one that was not, as typed.
        from: criteria.from !== null ? fmt.dateInput(criteria.from) : raw.from,
        to: criteria.to !== null ? fmt.dateInput(criteria.to) : raw.to,
      },
      problems,
      participantFilter: criteria.participantId !== null ? { id: criteria.participantId, name: participantName } : null,
      isFiltered: query.toString() !== '',
      pagination: pageInfo(page, total, rows.length),
      baseQuery: query.toString(),
    });
  });

  return router;
}
