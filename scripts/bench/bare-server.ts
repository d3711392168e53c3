// node dist/scripts/bench/bare-server.js (started by `npm run bench`, PORT in the environment):
// the floor every page of the app stands on. Express 5 and EJS with the view cache on, rendering
// a small page with a loop of 50 rows, and nothing else: no session, database, helmet or logging.
// The bench measures it with the same load as the app's routes, so each route's latency can be
// read as a multiple of "what a page costs on this machine at all".
import path from 'node:path';
import { existsSync } from 'node:fs';
import express from 'express';

/** The folder of bare-page.ejs: beside this file in scripts/bench, also when run from dist/. */
function templateFolder(): string {
  let folder = __dirname;
  while (!existsSync(path.join(folder, 'package.json'))) {
    const parent = path.dirname(folder);
    if (parent === folder) throw new Error('cannot find the repository root above ' + __dirname);
    folder = parent;
  }
  return path.join(folder, 'scripts', 'bench');
}

const STATUSES = ['actief', 'intake', 'gepauzeerd'];
const rows = Array.from({ length: 50 }, (_, index) => ({
  id: 1000 + index,
  name: `Deelnemer ${index + 1} <van> "de" Vries & co`,
  status: STATUSES[index % STATUSES.length],
  lastContact: `${String(1 + (index % 28)).padStart(2, '0')}-10-2026`,
  nextContact: `${String(1 + ((index * 7) % 28)).padStart(2, '0')}-11-2026`,
}));

const app = express();
app.disable('x-powered-by');
app.set('view engine', 'ejs');
app.set('views', templateFolder());
app.set('view cache', true);
app.get('/readyz', (_req, res) => {
  res.json({ status: 'ready' });
});
app.get('/bare', (_req, res) => {
  res.render('bare-page', { title: 'Bare Express + EJS', rows });
});

const port = Number(process.env.PORT ?? 0);
const server = app.listen(port, '127.0.0.1');
process.on('SIGTERM', () => server.close(() => process.exit(0)));
