// Declarations of the `bundler` and `nodejs` builds (pkg/bundler and pkg/node), installed
// as hybrid_recommender.d.ts by scripts/build-package.sh. Both instantiate the wasm
// module on import, so `Recommender` is usable at once.

export * from './types.js';
export { Recommender } from './recommender.js';
