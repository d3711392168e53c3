import type { Services } from '../services';
import { ADMINS, get, post, type Route } from '../web/routes';
import {
  discardUpload,
  downloadTemplate,
  runImport,
  saveMapping,
  showBatch,
  showImport,
  showPreview,
  showUndo,
  undoBatch,
  uploadFile,
} from './controller';

// Administrators only: employers are shared by the whole organisation, and an import assigns
// participants to any coach (decisions.md "Import and retention").
export const importRoutes: Route<Services>[] = [
  get('/admin/import', ADMINS, showImport),
  post('/admin/import', ADMINS, uploadFile),
  get('/admin/import/preview', ADMINS, showPreview),
  post('/admin/import/mapping', ADMINS, saveMapping),
  post('/admin/import/run', ADMINS, runImport),
  post('/admin/import/discard', ADMINS, discardUpload),
  get('/admin/import/templates/:file', ADMINS, downloadTemplate),
  get('/admin/import/batches/:id', ADMINS, showBatch),
  get('/admin/import/batches/:id/undo', ADMINS, showUndo),
  post('/admin/import/batches/:id/undo', ADMINS, undoBatch),
];
