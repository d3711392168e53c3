/** The choices of the quick-log's "next contact" select, as the contact form accepts them. */
export const NEXT_SHORTCUTS = [
  { value: '', label: 'today.quickLog.shortcuts.none' },
  { value: 'in10min', label: 'today.quickLog.shortcuts.in10min' },
  { value: 'tomorrow', label: 'today.quickLog.shortcuts.tomorrow' },
  { value: 'in1week', label: 'today.quickLog.shortcuts.in1week' },
  { value: 'in2weeks', label: 'today.quickLog.shortcuts.in2weeks' },
];
