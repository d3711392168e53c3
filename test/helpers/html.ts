/**
 * A page's HTML without the column captions table cells carry for the phone's card layout
 * (data-label), so a test can match a row's cells as plain `<td>value</td>`.
 */
export function withoutCellLabels(html: string): string {
  return html.replace(/ data-label="[^"]*"/g, '');
}
