import path from 'node:path';
import ejs from 'ejs';
import type { AppDeps } from '../../src/app-deps';
import { createFormatters } from '../../src/lib/format';
import { translatorFor } from '../../src/messages';
import { createLogger } from '../../src/lib/logger';
import type { Viewer } from '../../src/lib/viewer';
import { RISK_ROUTES_MARK, riskRoutes } from '../../src/risk/routes';
import { riskPanelFor } from '../../src/risk/service';
import type { TestApp } from '../helpers/app';

interface Layer {
  handle: unknown;
}

/**
 * Mounts riskRoutes on the test app when src/app.ts does not mount it (yet), just before the
 * app's 404 and error handlers, so the routes run behind the same session, CSRF and sign-in checks.
 */
export function ensureRiskRoutes(t: TestApp): void {
  const stack = (t.app as unknown as { router: { stack: Layer[] } }).router.stack;
  const mounted = stack.some((layer) => Boolean((layer.handle as Record<symbol, unknown> | null)?.[RISK_ROUTES_MARK]));
  if (mounted) return;
  const deps = {
    config: t.config,
    db: t.database.db,
    clock: t.clock,
    logger: createLogger('error'),
    passport: undefined,
  } as unknown as AppDeps;
  t.app.use(riskRoutes(deps));
  const layer = stack.pop()!;
  // The last two layers are the 404 handler and the error handler.
  stack.splice(stack.length - 2, 0, layer);
}

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
