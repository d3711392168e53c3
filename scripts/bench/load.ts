// One load run with autocannon over loopback. autocannon's own histogram keeps only 2xx latencies
// and has no p95, so every response is recorded here: its latency, status and size, and (for the
// POST) whether it redirected where a stored contact moment sends you.
import autocannon from 'autocannon';
import { summarise, round, type LatencySummary } from './stats';

export interface LoadRequest {
  method: 'GET' | 'POST';
  /** The paths to request, in turn (one per request, rotating). */
  paths: readonly string[];
  headers: Record<string, string>;
  /** A fresh urlencoded body per request (POST). */
  body?: (index: number) => string;
  /** The status every response must have; anything else is counted as unexpected. */
  expectStatus: number;
  /** For a redirect: the Location it must point at. */
  expectLocation?: RegExp;
}

export interface LoadOptions {
  url: string;
  connections: number;
  /** Seconds of load, or … */
  duration?: number;
  /** … a number of requests. */
  amount?: number;
  timeoutSeconds: number;
}

export interface LoadResult {
  connections: number;
  seconds: number;
  responses: number;
  requestsPerSecond: number;
  latencyMs: LatencySummary;
  statusCounts: Record<string, number>;
  /** Responses with another status than expected, or a redirect elsewhere. */
  unexpected: number;
  /** Connection errors and timeouts (no response at all). */
  errors: number;
  timeouts: number;
  bytesPerResponse: { min: number; max: number; mean: number };
  /** A few of the unexpected answers, to say what went wrong. */
  unexpectedSamples: string[];
}

export async function runLoad(options: LoadOptions, request: LoadRequest): Promise<LoadResult> {
  const latencies: number[] = [];
  const statusCounts: Record<string, number> = {};
  const sizes: number[] = [];
  const unexpectedSamples: string[] = [];
  let unexpected = 0;
  let sent = 0;
  const note = (text: string) => {
    if (unexpectedSamples.length < 5) unexpectedSamples.push(text);
  };

  const started = performance.now();
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      {
        url: options.url,
        connections: options.connections,
        ...(options.amount !== undefined ? { amount: options.amount } : { duration: options.duration ?? 10 }),
        timeout: options.timeoutSeconds,
        requests: [
          {
            method: request.method,
            headers: request.headers,
            setupRequest: (params) => {
              const index = sent++;
              return {
                ...params,
                path: request.paths[index % request.paths.length],
                ...(request.body ? { body: request.body(index) } : {}),
              };
            },
            onResponse: (status, body, _context, headers) => {
              if (status !== request.expectStatus) {
                note(`${status}: ${body.slice(0, 160).replace(/\s+/g, ' ')}`);
              } else if (request.expectLocation) {
                // Header names arrive as the server wrote them ("Location").
                const location = Object.entries(headers).find(([name]) => name.toLowerCase() === 'location')?.[1];
                if (!request.expectLocation.test(String(location ?? ''))) {
                  unexpected += 1;
                  note(`${status} to ${location ?? '(no Location)'}`);
                }
              }
            },
          },
        ],
      },
      (error, done) => (error ? reject(error) : resolve(done)),
    );
    instance.on('response', (_client: unknown, statusCode: number, resBytes: number, responseTime: number) => {
      latencies.push(responseTime);
      sizes.push(resBytes);
      statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
      if (statusCode !== request.expectStatus) unexpected += 1;
    });
  });
  const seconds = (performance.now() - started) / 1000;
  const sizeTotal = sizes.reduce((total, size) => total + size, 0);
  return {
    connections: options.connections,
    seconds: round(seconds, 2),
    responses: latencies.length,
    requestsPerSecond: round(latencies.length / seconds, 1),
    latencyMs: summarise(latencies),
    statusCounts,
    unexpected,
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    bytesPerResponse: {
      min: sizes.reduce((low, size) => Math.min(low, size), sizes[0] ?? 0),
      max: sizes.reduce((high, size) => Math.max(high, size), 0),
      mean: sizes.length ? Math.round(sizeTotal / sizes.length) : 0,
    },
    unexpectedSamples,
  };
}
