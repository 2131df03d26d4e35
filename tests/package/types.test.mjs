// Checks the hand-written declarations in js/: they compile under --strict against the
// built package, contain no `any`, and name exactly the methods that wasm-bindgen
// exports, so that a method added to src/wasm/ without a declaration fails here. Also
// checks that the build put the hand-written files into each package.
//
// Needs pkg/ from scripts/build-package.sh and `npm ci` in tests/package (TypeScript).
// Run: node --test tests/package/

import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { before, describe, test } from 'node:test';
import { promisify } from 'node:util';

import { RecommenderClient } from '../../js/client.js';
import { REPOSITORY_ROOT, requireBuild } from './helpers.mjs';

const run = promisify(execFile);

const TESTS_DIR = path.join(REPOSITORY_ROOT, 'tests/package');
const TSC = path.join(TESTS_DIR, 'node_modules/typescript/bin/tsc');
const JS_DIR = path.join(REPOSITORY_ROOT, 'js');

/** Output directory under pkg/ and the hand-written files each must ship. */
const BUILDS = {
  web: ['types.d.ts', 'recommender.d.ts', 'hybrid_recommender_bindgen.d.ts', 'client.js', 'client.d.ts', 'worker.js'],
  bundler: ['types.d.ts', 'recommender.d.ts', 'hybrid_recommender_bindgen.d.ts', 'client.js', 'client.d.ts', 'worker.js'],
  node: ['types.d.ts', 'recommender.d.ts', 'hybrid_recommender_bindgen.d.ts'],
};

/** Recommender methods that the client leaves out, with the reason. */
const NOT_IN_CLIENT = new Map([
  ['free', 'terminate() frees the worker and its memory'],
  ['loadReport', 'create() stores it in the loadReport property'],
]);

/** Removes block and line comments from TypeScript source. */
function stripComments(source) {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
}

/**
 * Lists the methods of `class Recommender` in a declaration file as "name" or
 * "static name", sorted, without the private constructor and the Symbol.dispose method.
 */
function classMethods(source) {
  const code = stripComments(source);
  const start = code.search(/class Recommender \{/);
  assert.notEqual(start, -1, 'no class Recommender in the declarations');
  const body = code.slice(start, code.indexOf('\n}', start));
  const methods = [...body.matchAll(/^\s*(static\s+)?([A-Za-z_]\w*)\s*\(/gm)]
    .map(([, isStatic, name]) => (isStatic ? `static ${name}` : name))
    .filter((name) => name !== 'constructor');
  return methods.sort();
}

describe('package declarations', () => {
  before(() => {
    requireBuild('web/hybrid_recommender_bindgen.d.ts');
    if (!existsSync(TSC)) {
      throw new Error('missing TypeScript: run npm ci in tests/package');
    }
  });

  test('usage files compile under --strict', async () => {
    const result = await run(process.execPath, [TSC, '-p', path.join(TESTS_DIR, 'tsconfig.json')], {
      cwd: TESTS_DIR,
    }).catch((error) => error);
    assert.equal(result.code ?? 0, 0, `tsc failed:\n${result.stdout}${result.stderr}`);
  });

  test('declarations contain no any', async () => {
    for (const file of ['types.d.ts', 'recommender.d.ts', 'client.d.ts', 'web.d.ts', 'module.d.ts']) {
      const code = stripComments(await readFile(path.join(JS_DIR, file), 'utf8'));
      const uses = code.split('\n').filter((line) => /\bany\b/.test(line));
      assert.deepEqual(uses, [], `${file} uses any`);
    }
  });

  test('methods match the wasm-bindgen exports', async () => {
    const generated = classMethods(await readFile(requireBuild('web/hybrid_recommender_bindgen.d.ts'), 'utf8'));
    const written = classMethods(await readFile(path.join(JS_DIR, 'recommender.d.ts'), 'utf8'));
    assert.ok(generated.length > 20, `only ${generated.length} generated methods found`);
    assert.deepEqual(written, generated);
  });

  test('client mirrors every instance method', async () => {
    const instanceMethods = classMethods(await readFile(path.join(JS_DIR, 'recommender.d.ts'), 'utf8')).filter(
      (name) => !name.startsWith('static ') && !NOT_IN_CLIENT.has(name),
    );
    const clientMethods = Object.getOwnPropertyNames(RecommenderClient.prototype).filter(
      (name) => name !== 'constructor' && name !== 'terminate' && name !== 'closed',
    );
    assert.deepEqual(clientMethods.sort(), instanceMethods);

    const worker = await readFile(path.join(JS_DIR, 'worker.js'), 'utf8');
    const listed = worker.match(/const QUERY_METHODS = new Set\(\[([\s\S]*?)\]\)/);
    assert.ok(listed, 'QUERY_METHODS not found in worker.js');
    const workerMethods = [...listed[1].matchAll(/'(\w+)'/g)].map(([, name]) => name);
    assert.deepEqual(workerMethods.sort(), [...instanceMethods, 'loadReport'].sort());
  });

  for (const [dir, files] of Object.entries(BUILDS)) {
    test(`${dir} build ships the js files`, async () => {
      const manifest = JSON.parse(await readFile(requireBuild(`${dir}/package.json`), 'utf8'));
      for (const file of files) {
        requireBuild(`${dir}/${file}`);
        assert.ok(manifest.files.includes(file), `${file} missing from pkg/${dir}/package.json files`);
      }
      const entry = await readFile(requireBuild(`${dir}/hybrid_recommender.d.ts`), 'utf8');
      const source = dir === 'web' ? 'web.d.ts' : 'module.d.ts';
      assert.equal(entry, await readFile(path.join(JS_DIR, source), 'utf8'));
    });
  }
});
