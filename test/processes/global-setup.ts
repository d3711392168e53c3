import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';

/** The process checks start `node dist/...`, so dist/ must hold a build of the current sources. */
export default async function buildOnce(): Promise<void> {
  const root = path.resolve(__dirname, '..', '..');
  const started = Date.now();
  try {
    await promisify(execFile)('npm', ['run', '-s', 'build'], { cwd: root, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout, stderr } = error as { stdout?: string; stderr?: string };
    throw new Error(`npm run build failed:\n${stdout ?? ''}${stderr ?? ''}`);
  }
  process.stderr.write(`\nbuilt dist/ in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
}
