import type { Services } from '../services';
import { ADMINS, get, post, type Route } from '../web/routes';
import { createTeam, listTeams, renameTeam, showTeam } from './controller';

export const teamRoutes: Route<Services>[] = [
  get('/admin/teams', ADMINS, listTeams),
  post('/admin/teams', ADMINS, createTeam),
  get('/admin/teams/:id', ADMINS, showTeam),
  post('/admin/teams/:id', ADMINS, renameTeam),
];
