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

export interface PostForm<Data, Outcome extends { kind: string }> {
  /** The form's zod schema, or the feature's own parser for a form zod cannot read alone. */
  parse: ZodType<Data, ZodTypeDef, unknown> | ((body: unknown) => FormResult<Data>);
  /** Shows the form again with `state`, answering `status` (422, or 409 for a conflict). */
  render: (status: number, state: FormState) => Promise<void> | void;
  /** Hands the valid form to the service; a FormRejection it throws shows the form again. */
  save: (data: Data, state: FormState) => Promise<Outcome>;
  /** Where any other outcome leads: a path to redirect to (303), or nothing when it answered itself. */
  saved: (outcome: Exclude<Outcome, Duplicate | NotFound>, state: FormState) => Promise<string | void> | string | void;
}

/**
 * Every form post, the same way: parse → 422 with every value kept → service → 303 to where it
 * leads, with a notice. The one-time submission token is handled here too: a second submit of the
 * same form lands on what the first stored, and a spent or missing token says the form expired
 * (with a fresh token, so sending again works). A `notFound` outcome answers 404.
 */
export async function postForm<Data, Outcome extends { kind: string }>(
  req: Request,
  res: Response,
  form: PostForm<Data, Outcome>,
): Promise<void> {
  const parsed: FormResult<Data> = typeof form.parse === 'function' ? form.parse(req.body) : parseForm(form.parse, req.body);
  if (!parsed.ok) return form.render(422, withExpiredToken({ values: parsed.values, errors: parsed.errors }));
  const state: FormState = { values: parsed.values, errors: {} };
  let outcome: Outcome;
  try {
    outcome = await form.save(parsed.data, state);
  } catch (error) {
    if (error instanceof FormRejection) return form.render(422, { values: parsed.values, errors: error.errors });
    throw error;
  }
  if (isNotFound(outcome)) throw notFound();
  if (isDuplicate(outcome)) {
    if (outcome.path) return res.redirect(303, outcome.path);
    // The token was spent without a record to show (another person's, or a refused first submit).
    return form.render(422, {
      values: { ...parsed.values, submissionToken: newSubmissionToken() },
      errors: { _form: 'validation.expiredForm' },
    });
  }
  const next = await form.saved(outcome as Exclude<Outcome, Duplicate | NotFound>, state);
  if (typeof next === 'string') res.redirect(303, next);
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
