// The app's one real dynamic import(), for the ESM-only libraries (openid-client 6; decisions.md).
// It is plain CommonJS that TypeScript never compiles, so its import() is not rewritten into a
// require() that cannot load an ES module. Node runs it as it is; Jest (run with
// --experimental-vm-modules, as `npm test` does) loads the module through its own ESM support.
'use strict';

/** Loads an ES module by its specifier, resolved from the app's node_modules. */
module.exports.importEsm = function importEsm(specifier) {
  return import(specifier);
};
