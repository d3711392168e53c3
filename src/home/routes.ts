import { Router } from 'express';
import { homePathFor } from '../web/navigation';

export function homeRoutes(): Router {
  const router = Router();
  router.get('/', (req, res) => {
    res.redirect(303, homePathFor(req.user!.role));
  });
  return router;
}
