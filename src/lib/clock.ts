import { DateTime } from 'luxon';

/**
 * The app asks the clock for "now" instead of calling Date.now(), so tests can put it anywhere,
 * such as just before midnight or across a daylight-saving change.
 */
export interface Clock {
  now(): DateTime;
}

export const systemClock: Clock = { now: () => DateTime.now() };

/** A clock for tests: starts at a fixed instant and moves only when told to. */
export class FixedClock implements Clock {
  private current: DateTime;
  constructor(start: DateTime | string) {
    this.current = typeof start === 'string' ? DateTime.fromISO(start, { setZone: true }) : start;
  }
  now(): DateTime {
    return this.current;
  }
  set(to: DateTime | string): void {
    this.current = typeof to === 'string' ? DateTime.fromISO(to, { setZone: true }) : to;
  }
  advance(duration: Parameters<DateTime['plus']>[0]): void {
    this.current = this.current.plus(duration);
  }
}

/**
 * Waits `ms` milliseconds. The app is given one (the sign-in delay uses it), so tests can record
 * the waits instead of spending them.
 */
export type Sleep = (ms: number) => Promise<void>;

export const realSleep: Sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
