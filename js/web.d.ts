// Declarations of the `web` build (pkg/web/hybrid_recommender.js), installed under that
// name by scripts/build-package.sh. The module must be initialized once before use:
//
//   import init, { Recommender } from './hybrid_recommender.js';
//   await init();  // fetches hybrid_recommender_bg.wasm next to this file
//
// init() and initSync() keep wasm-bindgen's own declarations.

export * from './types.js';
export { Recommender } from './recommender.js';
export { default, initSync } from './hybrid_recommender_bindgen.js';
export type { InitInput, InitOutput, SyncInitInput } from './hybrid_recommender_bindgen.js';
