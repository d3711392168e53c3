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
