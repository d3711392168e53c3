// Child processes of the bench: the built app (and the bare Express + EJS page), each started
// on a free loopback port and stopped with SIGTERM; plus the memory of a process from /proc.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';

export interface ServerProcess {
  readonly name: string;
  readonly pid: number;
  readonly baseUrl: string;
  /** Warnings and errors the process wrote (its log level is warn), for the report. */
  readonly output: string[];
  stop(): Promise<void>;
}

/** A port that was free a moment ago (the child binds it right after). */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/**
 * Starts `node <script>` with the given environment and waits until GET <readyPath> answers 200.
 * Fails with the child's own output when it exits or is not ready within the deadline.
 */
export async function startServer(options: {
  name: string;
  script: string;
  env: NodeJS.ProcessEnv;
  port: number;
  readyPath: string;
  cwd: string;
  readyWithinMs?: number;
  /** Options for node itself, before the script (e.g. --cpu-prof). */
  nodeArgs?: string[];
}): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, [...(options.nodeArgs ?? []), options.script], {
    cwd: options.cwd,
    env: options.env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  const keep = (chunk: Buffer) => {
    for (const line of chunk.toString('utf8').split('\n')) {
      if (line.trim() === '') continue;
      output.push(line);
      if (output.length > 200) output.shift();
    }
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  let exited: number | null | undefined;
  const exitPromise = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exited = code ?? (signal ? -1 : null);
      resolve();
    });
  });

  const baseUrl = `http://127.0.0.1:${options.port}`;
  const deadline = Date.now() + (options.readyWithinMs ?? 30_000);
  for (;;) {
    if (exited !== undefined) {
      throw new Error(`${options.name} exited (status ${exited}) before it was ready:\n${output.slice(-20).join('\n')}`);
    }
    try {
      const response = await fetch(baseUrl + options.readyPath, { signal: AbortSignal.timeout(2000) });
      if (response.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(
        `${options.name} was not ready within ${(options.readyWithinMs ?? 30_000) / 1000} s:\n${output.slice(-20).join('\n')}`,
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  return {
    name: options.name,
    pid: child.pid!,
    baseUrl,
    output,
    async stop() {
      if (exited !== undefined) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exitPromise;
      clearTimeout(timer);
    },
  };
}

export interface ProcessMemory {
  /** Resident set size now, in KiB. */
  rssKb: number;
  /** The highest resident set size since the process started (VmHWM), in KiB. */
  peakRssKb: number;
}

/** VmRSS and VmHWM of a Linux process; undefined where /proc is not available. */
export function processMemory(pid: number): ProcessMemory | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const field = (name: string) => Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? Number.NaN);
    const memory = { rssKb: field('VmRSS'), peakRssKb: field('VmHWM') };
    return Number.isFinite(memory.rssKb) ? memory : undefined;
  } catch {
    return undefined;
  }
}

/** Samples a process's RSS every intervalMs until stopped; returns the highest sample. */
export function sampleMemory(pid: number, intervalMs = 20): { stop(): { peakRssKb: number | null; samples: number } } {
  let peak: number | null = null;
  let samples = 0;
  const take = () => {
    const memory = processMemory(pid);
    if (!memory) return;
    samples += 1;
    peak = Math.max(peak ?? 0, memory.rssKb);
  };
  take();
  const timer = setInterval(take, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      take();
      return { peakRssKb: peak, samples };
    },
  };
}

/**
 * CPU time a Linux process has used so far (user + system), in milliseconds; undefined where
 * /proc is not available. Read before and after a load run, it says how much of each request's
 * latency is the app's own JavaScript (EJS, i18n, risk scoring) rather than waiting on PostgreSQL.
 */
export function processCpuMs(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime and stime (fields 14 and 15)
    return Number.isFinite(ticks) ? (ticks * 1000) / CLOCK_TICKS_PER_SECOND : undefined;
  } catch {
    return undefined;
  }
}

/** USER_HZ: 100 on every Linux architecture Node supports. */
const CLOCK_TICKS_PER_SECOND = 100;
