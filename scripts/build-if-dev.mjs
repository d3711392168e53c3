// The `pre*` hook of every script that runs dist/ (`npm start`, `npm run db:migrate`, …).
//
// In a checkout with the dev dependencies installed it builds first (`npm run build`, incremental),
// so `npm install && npm start` works on a fresh machine and never runs stale JavaScript. On a
// production install pruned with `npm prune --omit=dev` the build was done once at install time:
// it only checks that dist/ is there and builds nothing.
//
// "Installed" means every devDependency of package.json is in node_modules. Finding `typescript`
// alone is not enough: i18next keeps it after the prune (an optional peer dependency), while
// @types/node is gone, which is how a pruned install used to die with TS2688 here.
//
// Why one hook rather than separate `*:dev` scripts: an operator and a developer type the same
// documented commands, and neither has to know which flavour fits their install. Plain JavaScript,
// because it must run where nothing can be compiled.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const manifest = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
const devDependencies = Object.keys(manifest.devDependencies ?? {});
const installed = (name) => existsSync(path.join(root, 'node_modules', name, 'package.json'));

if (devDependencies.every(installed)) {
  // npm_execpath is the npm that runs this hook; fall back to `npm` on the PATH.
  const npm = process.env.npm_execpath;
  const [command, args] = npm ? [process.execPath, [npm, 'run', '-s', 'build']] : ['npm', ['run', '-s', 'build']];
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', shell: !npm && process.platform === 'win32' });
  if (result.error) throw result.error;
  process.exit(result.status ?? 1);
}

if (!existsSync(path.join(root, 'dist', 'src', 'server.js'))) {
  console.error(
    'dist/ is missing, and without the dev dependencies (pruned?) it cannot be built here.\n' +
      'Build before pruning: npm ci --include=dev && npm run build && npm prune --omit=dev',
  );
  process.exit(1);
}
