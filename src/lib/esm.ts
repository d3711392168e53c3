import path from 'node:path';

// The compiled app runs from dist/src/lib, the sources (ts-jest) from src/lib: both find the one
// loader beside the sources (tsc copies no .cjs file, and the production install keeps src/).
const LOADER = __dirname.includes(`${path.sep}dist${path.sep}`)
  ? path.resolve(__dirname, '..', '..', '..', 'src', 'lib', 'import-esm.cjs')
  : path.resolve(__dirname, 'import-esm.cjs');

interface EsmLoader {
  importEsm(specifier: string): Promise<unknown>;
}

/**
 * An ESM-only package, loaded with a real import() (src/lib/import-esm.cjs) when first needed, so
 * neither the app's start nor a test that never uses it pays for it. `T` is the module's type,
 * written `typeof import('package')` by the caller.
 */
export async function importEsm<T>(specifier: string): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the loader is CommonJS on purpose (see there)
  const loader = require(LOADER) as EsmLoader;
  return (await loader.importEsm(specifier)) as T;
}
