import type { SampleListQuery } from './schemas';

/** The sample form's field labels, for the form and its error summary. */
export const NEW_FIELD_LABELS: Record<string, string> = {
  coachId: 'reviews.fields.coach',
  size: 'reviews.fields.size',
  periodDays: 'reviews.fields.periodDays',
};

export const SAMPLE_NOTICES = {
  drawn: 'reviews.sample.drawnNotice',
  reviewed: 'reviews.sample.reviewedNotice',
} as const;

/** The feedback field of one item: each item has its own form, so ids must differ per item. */
export const feedbackFieldOf = (itemId: number) => `feedback-${itemId}`;

/** The list's filters as the pagination links carry them. */
export function listQueryString(filters: SampleListQuery): string {
  return filters.coach ? new URLSearchParams({ coach: String(filters.coach) }).toString() : '';
}
