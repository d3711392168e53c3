import type { Services } from '../services';
import { EVERY_ROLE, get, type Route } from '../web/routes';
import { goHome } from './controller';

export const homeRoutes: Route<Services>[] = [get('/', EVERY_ROLE, goHome)];
