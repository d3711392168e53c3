import type { Request, Response } from 'express';
import type { ZodType, ZodTypeDef } from 'zod';
import { FormRejection, notFound } from '../lib/errors';
import { parseForm, type FormResult } from '../lib/forms';
import { newSubmissionToken } from '../platform/submissions/service';

/** What a form page shows again: every value as typed, and why it was refused (field → message key). */
export interface FormState {
  values: Record<string, string>;
  errors: Record<string, string>;
}

/** Outcomes every form post understands; a service may return others, which `saved` handles. */
type Duplicate = { kind: 'duplicate'; path: string };
type NotFound = { kind: 'notFound' };

/** A form that passed its schema: what was typed, and what the schema made of it. */
export interface ValidForm<Data> {
  values: Record<string, string>;
  data: Data;
}

/**
 * What `saved` returns when it answered with a page of its own (a conflict, say) rather than a
 * redirect: saying so is required, so a branch that forgets to answer does not type-check.
 */
export const ANSWERED: unique symbol = Symbol('answered');
export type Answered = typeof ANSWERED;

/** For `saved`: answer with a page of the handler's own, then report that it did. */
export async function answeredWith(page: Promise<void> | void): Promise<Answered> {
  await page;
  return ANSWERED;
}

export interface PostForm<Data, Outcome extends { kind: string }> {
  /** The form's zod schema, or the feature's own parser for a form zod cannot read alone. */
  parse: ZodType<Data, ZodTypeDef, unknown> | ((body: unknown) => FormResult<Data>);
  /** Shows the form again with `state`, answering `status` (422, or 409 for a conflict). */
  render: (status: number, state: FormState) => Promise<void> | void;
  /** Hands the valid form to the service; a FormRejection it throws shows the form again. */
  save: (data: Data, form: ValidForm<Data>) => Promise<Outcome>;
  /** Where any other outcome leads: a path to redirect to (303), or ANSWERED when it rendered a page itself. */
  saved: (
    outcome: Exclude<Outcome, Duplicate | NotFound>,
    form: ValidForm<Data>,
  ) => Promise<string | Answered> | string | Answered;
  /** Where a second submit of the same form goes, when not to what the first one stored. */
  duplicate?: (storedAt: string, form: ValidForm<Data>) => string;
}

/**
 * Every form post, the same way: parse → 422 with every value kept → service → 303 to where it
 * leads, with a notice. The one-time submission token is handled here too: a second submit of the
 * same form lands on what the first stored (or where `duplicate` says), and a spent or missing token
 * says the form expired (with a fresh token, so sending again works). A `notFound` outcome answers 404.
 */
export async function postForm<Data, Outcome extends { kind: string }>(
  req: Request,
  res: Response,
  form: PostForm<Data, Outcome>,
): Promise<void> {
  const parsed: FormResult<Data> = typeof form.parse === 'function' ? form.parse(req.body) : parseForm(form.parse, req.body);
  if (!parsed.ok) return form.render(422, withExpiredToken({ values: parsed.values, errors: parsed.errors }));
  const valid: ValidForm<Data> = { values: parsed.values, data: parsed.data };
  let outcome: Outcome;
  try {
    outcome = await form.save(parsed.data, valid);
  } catch (error) {
    if (error instanceof FormRejection) return form.render(422, { values: parsed.values, errors: error.errors });
    throw error;
  }
  if (isNotFound(outcome)) throw notFound();
  if (isDuplicate(outcome)) {
    if (outcome.path) return res.redirect(303, form.duplicate ? form.duplicate(outcome.path, valid) : outcome.path);
    // The token was spent without a record to show (another person's, or a refused first submit).
    return form.render(422, {
      values: { ...parsed.values, submissionToken: newSubmissionToken() },
      errors: { _form: 'validation.expiredForm' },
    });
  }
  const next = await form.saved(outcome as Exclude<Outcome, Duplicate | NotFound>, valid);
  if (next !== ANSWERED) res.redirect(303, next);
}

/** A form whose one-time token is missing or malformed: that is an expired form, not a field error. */
function withExpiredToken(state: FormState): FormState {
  if (!state.errors.submissionToken) return state;
  const { submissionToken: _spent, ...errors } = state.errors;
  return {
    values: { ...state.values, submissionToken: newSubmissionToken() },
    errors: { _form: 'validation.expiredForm', ...errors },
  };
}

function isDuplicate(outcome: { kind: string }): outcome is Duplicate {
  return outcome.kind === 'duplicate';
}

function isNotFound(outcome: { kind: string }): outcome is NotFound {
  return outcome.kind === 'notFound';
}

/** `path` with the notice the next page shows (?done=…), before any #fragment. */
export function withNotice(path: string, notice: string): string {
  const [base = '', fragment] = path.split('#', 2);
  const separator = base.includes('?') ? '&' : '?';
  return `${base}${separator}done=${encodeURIComponent(notice)}${fragment === undefined ? '' : `#${fragment}`}`;
}

/** The notice a page was sent with (?done=…), when it is one of `known`; else null. */
export function noticeFrom<K extends string>(req: Request, known: Readonly<Record<K, string>>): string | null {
  const done = req.query.done;
  return typeof done === 'string' && Object.hasOwn(known, done) ? known[done as K] : null;
}
