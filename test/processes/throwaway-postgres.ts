import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { promisify } from 'node:util';
import { freePort } from './helpers';

// A private PostgreSQL cluster that a test may stop and start under the app: initdb in a temp
// directory, trust authentication, 127.0.0.1 only, on a free port. initdb and postgres refuse to
// run as root, so as root they run as the `postgres` OS user (Debian's packages create it).

const run = promisify(execFile);

/** The newest installed server's bin directory (/usr/lib/postgresql/<major>/bin), if any. */
export function findPostgresBinDir(): string | undefined {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return undefined;
  const majors = readdirSync(base)
    .filter(
      (entry) => /^\d+$/.test(entry) && existsSync(`${base}/${entry}/bin/initdb`) && existsSync(`${base}/${entry}/bin/pg_ctl`),
    )
    .sort((x, y) => Number(y) - Number(x));
  return majors[0] === undefined ? undefined : `${base}/${majors[0]}/bin`;
}

export class ThrowawayPostgres {
  readonly dataDir: string;
  private port = 0;
  private running = false;

  private constructor(private readonly binDir: string) {
    // Under /tmp itself: the postgres user must be able to reach it, and the socket path stays short.
    this.dataDir = mkdtempSync('/tmp/inbeeld-outage-pg.');
  }

  /** Creates and starts a cluster; on any failure what was made is removed again. */
  static async create(binDir: string): Promise<ThrowawayPostgres> {
    const cluster = new ThrowawayPostgres(binDir);
    try {
      if (process.getuid?.() === 0) {
        const [uid, gid] = await Promise.all([run('id', ['-u', 'postgres']), run('id', ['-g', 'postgres'])]);
        chownSync(cluster.dataDir, Number(uid.stdout), Number(gid.stdout));
      }
      // -N: no fsync during initdb; the data is thrown away anyway.
      await cluster.asOwner('initdb', ['-D', cluster.dataDir, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--locale=C', '-N']);
      cluster.port = await freePort();
      await cluster.start();
      return cluster;
    } catch (error) {
      await cluster.destroy();
      throw error;
    }
  }

  get url(): string {
    return `postgresql://postgres@127.0.0.1:${this.port}/postgres`;
  }

  async start(): Promise<void> {
    const options = [
      `-p ${this.port}`,
      '-c listen_addresses=127.0.0.1',
      `-c unix_socket_directories=${this.dataDir}`,
      // Safe to skip: nothing here survives the machine; a stop -m immediate still keeps every
      // commit (that needs the WAL write at commit, which synchronous_commit keeps on).
      '-c fsync=off',
    ].join(' ');
    await this.asOwner('pg_ctl', [
      '-D',
      this.dataDir,
      '-l',
      `${this.dataDir}/server.log`,
      '-w',
      '-t',
      '30',
      '-o',
      options,
      'start',
    ]);
    this.running = true;
  }

  /** `immediate` is a crash as far as clients can tell: every connection is cut at once. */
  async stop(mode: 'fast' | 'immediate'): Promise<void> {
    await this.asOwner('pg_ctl', ['-D', this.dataDir, '-m', mode, '-w', '-t', '30', 'stop']);
    this.running = false;
  }

  /** Stops the server if it runs and deletes the data directory; never throws. */
  async destroy(): Promise<void> {
    if (this.running || existsSync(`${this.dataDir}/postmaster.pid`)) {
      await this.stop('immediate').catch((error: unknown) =>
        console.warn(`could not stop the throw-away PostgreSQL: ${String(error)}`),
      );
    }
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  serverLog(): string {
    try {
      return readFileSync(`${this.dataDir}/server.log`, 'utf8');
    } catch {
      return '';
    }
  }

  private async asOwner(tool: string, args: string[]): Promise<void> {
    const path = `${this.binDir}/${tool}`;
    const [command, commandArgs] = process.getuid?.() === 0 ? ['runuser', ['-u', 'postgres', '--', path, ...args]] : [path, args];
    // cwd /: the postgres user may not be allowed into the checkout.
    await run(command, commandArgs, { cwd: '/', timeout: 60_000 });
  }
}
