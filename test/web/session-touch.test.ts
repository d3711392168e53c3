import session from 'express-session';
import { SESSION_TOUCH_INTERVAL_MS, throttleTouches } from '../../src/web/session-store';

// A session's idle deadline is moved at most once a minute per process: the touch is an UPDATE
// whose commit every page view would otherwise wait for.

class CountingStore extends session.MemoryStore {
  touches: string[] = [];
  failNext = false;
  override touch(sid: string, _data: session.SessionData, callback?: (error?: unknown) => void): void {
    this.touches.push(sid);
    const error = this.failNext ? new Error('database away') : undefined;
    this.failNext = false;
    callback?.(error);
  }
}

const data = { cookie: new session.Cookie() } as session.SessionData;

function touch(store: session.Store, sid: string): Promise<unknown> {
  return new Promise((resolve) => store.touch!(sid, data, (error?: unknown) => resolve(error)));
}

let now = 1_000_000;
beforeEach(() => {
  jest.spyOn(Date, 'now').mockImplementation(() => now);
});
afterEach(() => jest.restoreAllMocks());

test('a session is touched once a minute however many requests it makes', async () => {
  const store = new CountingStore();
  throttleTouches(store, 30);
  await touch(store, 'a');
  now += 1_000;
  await touch(store, 'a');
  await touch(store, 'b');
  now += SESSION_TOUCH_INTERVAL_MS - 1_000 - 1;
  await touch(store, 'a');
  expect(store.touches).toEqual(['a', 'b']);
  now += 1;
  await touch(store, 'a');
  expect(store.touches).toEqual(['a', 'b', 'a']);
});

test('a failed touch is tried again on the next request, and its error is passed on', async () => {
  const store = new CountingStore();
  throttleTouches(store, 30);
  store.failNext = true;
  expect(await touch(store, 'a')).toBeInstanceOf(Error);
  expect(await touch(store, 'a')).toBeUndefined();
  expect(store.touches).toEqual(['a', 'a']);
});

test('a short idle timeout keeps every touch', async () => {
  const store = new CountingStore();
  throttleTouches(store, 4);
  await touch(store, 'a');
  await touch(store, 'a');
  expect(store.touches).toEqual(['a', 'a']);
});
