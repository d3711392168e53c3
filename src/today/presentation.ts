/** The choices of the quick-log's "next contact" select, as the contact form accepts them. */
export const NEXT_SHORTCUTS = [
  { value: '', label: 'today.quickLog.shortcuts.none' },
  { value: 'in10min', label: 'today.quickLog.shortcuts.in10min' },
  { value: 'in30min', label: 'today.quickLog.shortcuts.in30min' },
  { value: 'in1hour', label: 'today.quickLog.shortcuts.in1hour' },
  { value: 'tomorrow', label: 'today.quickLog.shortcuts.tomorrow' },
  { value: 'in1week', label: 'today.quickLog.shortcuts.in1week' },
  { value: 'in2weeks', label: 'today.quickLog.shortcuts.in2weeks' },
];

/** The one-click call-back buttons of a row: a call-back request with the next call this far ahead. */
export const CALL_BACK_CHOICES = [
  { value: 'in10min', label: 'today.callBack.in10min' },
  { value: 'in30min', label: 'today.callBack.in30min' },
  { value: 'in1hour', label: 'today.callBack.in1hour' },
  { value: 'tomorrow', label: 'today.callBack.tomorrow' },
];

/**
 * A quick log sent with one of the call-back buttons (`callBack`, in the same form as the outcome
 * buttons): a call-back request with the next call that far ahead. Anything else is left as sent;
 * an unknown choice reaches the contact form's own check of the next-contact shortcut.
 */
export function withCallBackChoice(body: unknown): unknown {
  if (typeof body !== 'object' || body === null) return body;
  const { callBack, ...rest } = body as Record<string, unknown>;
  if (callBack === undefined) return body;
  return { ...rest, outcome: 'callback_requested', nextShortcut: callBack };
}
