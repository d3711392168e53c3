import type { Response } from 'express';

/** What views/shared/conflict.ejs compares: the stored version beside the one the user sent. */
export interface ConflictPage {
  backHref: string;
  /** Where "save mine anyway" posts `resubmit` again, against the current version. */
  action: string;
  labels: Record<string, string>;
  /** The rows of the comparison; every labelled field unless given. */
  fields?: readonly string[];
  current: Record<string, unknown>;
  yours: Record<string, unknown>;
  resubmit: Record<string, string | undefined>;
}

/**
 * Answers a stale edit (its version is no longer the stored one) with 409 and both versions side
 * by side, keeping the user's input so nothing they typed is lost.
 */
export function renderConflict(res: Response, page: ConflictPage): void {
  res.status(409).render('shared/conflict', {
    title: res.locals.t('conflict.title'),
    ...page,
    fields: page.fields ?? Object.keys(page.labels),
  });
}
