import path from 'node:path';
import ejs from 'ejs';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import type { Viewer } from '../../src/lib/viewer';
import { riskPanelFor } from '../../src/risk/service';
import type { TestApp } from '../helpers/app';

/** The profile's risk panel as views/risk/_panel.ejs renders it for this viewer. */
export async function renderPanel(
  t: TestApp,
  viewer: Viewer,
  participantId: number,
  locale: 'nl' | 'en' = 'nl',
): Promise<string> {
  const risk = await riskPanelFor(t.database.db, viewer, participantId, t.clock.now(), t.config.timeZone);
  return ejs.renderFile(path.resolve(__dirname, '../../views/risk/_panel.ejs'), {
    participant: { id: participantId, firstName: 'Deelnemer', lastName: String(participantId) },
    risk,
    t: translatorFor(locale),
    fmt: createFormatters(locale, t.config.timeZone),
  });
}

/** The visible text of some HTML, on one line. */
export function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();
}
