import type { RequestHandler } from 'express';
import { openSecurityContext, type SecurityLog } from '../../platform/security-log';

/**
 * Opens the security context of each request (platform/security-log.ts): its id (set by the request
 * log just before), the client address as req.ip gives it (TRUST_PROXY applies) and who is signed in.
 * Security events of the request, audited or not, take these from there.
 */
export function setUpSecurityLog(log: SecurityLog): RequestHandler {
  return (req, res, next) => {
    const security = openSecurityContext(log, {
      requestId: typeof req.id === 'object' ? '' : String(req.id),
      clientAddress: req.ip ?? null,
      signedInUserId: () => req.user?.id ?? null,
    });
    let done = false;
    const responseDone = () => {
      if (done) return;
      done = true;
      security.responseDone(res.statusCode);
    };
    res.once('finish', responseDone);
    res.once('close', responseDone);
    security.run(next);
  };
}
