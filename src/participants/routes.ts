import type { Services } from '../services';
import { EVERY_ROLE, get, post, type Route } from '../web/routes';
import {
  closeParticipant,
  createParticipant,
  listParticipants,
  saveParticipant,
  showCloseParticipantForm,
  showEditParticipantForm,
  showNewParticipantForm,
  showParticipant,
} from './controller';

export const participantRoutes: Route<Services>[] = [
  get('/participants', EVERY_ROLE, listParticipants),
  get('/participants/new', EVERY_ROLE, showNewParticipantForm),
  post('/participants', EVERY_ROLE, createParticipant),
  get('/participants/:id', EVERY_ROLE, showParticipant),
  get('/participants/:id/edit', EVERY_ROLE, showEditParticipantForm, { participant: 'open' }),
  post('/participants/:id/edit', EVERY_ROLE, saveParticipant),
  get('/participants/:id/close', EVERY_ROLE, showCloseParticipantForm, { participant: 'open' }),
  post('/participants/:id/close', EVERY_ROLE, closeParticipant),
];
