import express, { type RequestHandler } from 'express';
import { cleanFormBody } from './input-hygiene';

/**
 * Form posts (application/x-www-form-urlencoded), flat: no nested objects from `a[b]=c`. Bounded, so
 * an oversized post answers 413 instead of filling memory. Then cleaned (see input-hygiene.ts).
 */
export function setUpRequestBodies(): RequestHandler[] {
  return [express.urlencoded({ extended: false, limit: '200kb', parameterLimit: 200 }), cleanFormBody()];
}
