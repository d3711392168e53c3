import path from 'node:path';
import express, { Router } from 'express';
import type { Config } from '../../config';

/**
 * The app's own assets (CSS, scripts, icons) from views/assets, and Chart.js's browser build from
 * node_modules: everything a page loads comes from the app itself. Cached for a day in production.
 */
export function setUpStaticFiles(config: Config, viewsDir: string): Router {
  const options = { maxAge: config.isProduction ? '1d' : 0, index: false };
  const router = Router();
  router.use('/assets', express.static(path.join(viewsDir, 'assets'), options));
  // Chart.js's package "exports" hide dist/, so serve the folder of its main file.
  router.use('/assets/vendor/chart.js', express.static(path.dirname(require.resolve('chart.js')), options));
  return router;
}
