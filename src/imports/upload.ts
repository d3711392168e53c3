import busboy from 'busboy';
import type { Request } from 'express';

// Reads the import form's multipart body with busboy: one file of at most `maxBytes`, a few short
// fields, nothing else. The body is read only here, by the upload route's handler, after the sign-in,
// role and CSRF checks (the form sends its CSRF token in the query string, decisions.md "Import and
// retention", since the app's form parser does not read multipart bodies).

export interface UploadedForm {
  fields: Record<string, string>;
  file: { name: string; content: Buffer } | null;
}

export type UploadError = 'notMultipart' | 'tooLarge' | 'malformed';

export class UploadRejected extends Error {
  constructor(readonly reason: UploadError) {
    super(`upload rejected: ${reason}`);
  }
}

export function readUploadedForm(req: Request, maxBytes: number): Promise<UploadedForm> {
  return new Promise((resolve, reject) => {
    if (!req.is('multipart/form-data')) return reject(new UploadRejected('notMultipart'));
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers: req.headers,
        limits: { fileSize: maxBytes, files: 1, fields: 10, fieldSize: 1024, parts: 12, headerPairs: 50 },
        defParamCharset: 'utf8',
      });
    } catch {
      return reject(new UploadRejected('malformed'));
    }
    const fields: Record<string, string> = {};
    let file: UploadedForm['file'] = null;
    let failure: UploadError | null = null;
    parser.on('field', (name, value) => {
      if (!(name in fields)) fields[name] = value;
    });
    parser.on('file', (_name, stream, info) => {
      const parts: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => parts.push(chunk));
      stream.on('limit', () => {
        failure = 'tooLarge';
        stream.resume();
      });
      stream.on('end', () => {
        if (failure === null && file === null) file = { name: info.filename ?? '', content: Buffer.concat(parts) };
      });
    });
    parser.on('filesLimit', () => (failure = failure ?? 'malformed'));
    parser.on('error', () => reject(new UploadRejected(failure ?? 'malformed')));
    parser.on('close', () => (failure ? reject(new UploadRejected(failure)) : resolve({ fields, file })));
    req.pipe(parser);
  });
}
