import { Router } from 'express';
import type { Config, Locale } from '../../config';
import { createFormatters } from '../../lib/format';
import { effectiveLocale, type Translate } from '../../platform/i18n';
import { chosenLanguage } from '../language';
import { navigationFor } from '../navigation';

export type TranslatorFor = (locale: Locale) => Translate;

/**
 * What every page has, error pages rendered before the session loads included: the organisation's
 * default language, its formats, and an empty navigation and CSRF token.
 */
export function setUpPageDefaults(config: Config, translatorFor: TranslatorFor): Router {
  const router = Router();
  router.use((req, res, next) => {
    setLanguage(res.locals, config.defaultLocale, config, translatorFor);
    res.locals.organisationName = config.organisationName;
    res.locals.user = null;
    res.locals.navigation = [];
    res.locals.currentPath = req.originalUrl;
    res.locals.csrfToken = () => '';
    next();
  });
  return router;
}

/**
 * Once the session is known: the person's own language (or the one a signed-out visitor chose, from
 * its cookie), and for a signed-in person the layout's name badge and the navigation of their role.
 */
export function setUpLocale(config: Config, translatorFor: TranslatorFor): Router {
  const router = Router();
  router.use((req, res, next) => {
    // Signed in: their own choice, their team's default, the organisation's (effectiveLocale).
    // Signed out: the language chosen in the header (a cookie), else the organisation's.
    const locale: Locale = req.user
      ? effectiveLocale({ own: req.user.ownLocale, team: req.user.teamLocale, organisation: config.defaultLocale })
      : (chosenLanguage(req) ?? config.defaultLocale);
    setLanguage(res.locals, locale, config, translatorFor);
    res.locals.user = req.user ?? null;
    res.locals.navigation = req.user ? navigationFor(req.user.role, req.user) : [];
    next();
  });
  return router;
}

function setLanguage(locals: Express.Locals, locale: Locale, config: Config, translatorFor: TranslatorFor): void {
  locals.locale = locale;
  locals.t = translatorFor(locale);
  locals.fmt = createFormatters(locale, config.timeZone);
}
