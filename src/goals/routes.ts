import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import { createGoal, recordGoalProgress, saveGoal, showEditGoalForm, showGoal, showNewGoalForm } from './controller';

export const goalRoutes: Route<Services>[] = [
  get('/participants/:id/goals/new', EVERY_ROLE, showNewGoalForm, { participant: 'open' }),
  post('/participants/:id/goals/new', EVERY_ROLE, createGoal, { participant: 'open' }),
  get('/participants/:id/goals/:goalId/edit', EVERY_ROLE, showEditGoalForm, { participant: 'open' }),
  post('/participants/:id/goals/:goalId/edit', EVERY_ROLE, saveGoal, { participant: 'open' }),
  get('/participants/:id/goals/:goalId', EVERY_ROLE, showGoal),
  post('/participants/:id/goals/:goalId/progress', EVERY_ROLE, recordGoalProgress, { participant: 'open' }),
];
