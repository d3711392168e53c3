import { refreshAllRiskStates } from '../../src/risk/state';
import type { TestApp } from './app';

/**
 * Fixtures insert rows straight into the tables, past the writes that keep participant_risk_states
 * in step: a test calls this before reading a page that lists from the stored state, and gets
 * every row as the app's own writes would have left it at the test clock's now.
 */
export async function refreshStoredRiskStates(t: Pick<TestApp, 'database' | 'clock' | 'config'>): Promise<void> {
  await refreshAllRiskStates(t.database.db, t.clock.now(), t.config.timeZone);
}
