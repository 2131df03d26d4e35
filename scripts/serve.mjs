#!/usr/bin/env node
// Static file server for the demo page, with no dependencies beyond Node's standard library.
//
// Usage: node scripts/serve.mjs [--no-isolation] [dir=www] [port=8080]
//
// It binds 127.0.0.1 only and sends the cross-origin isolation headers
// (COOP same-origin, COEP require-corp), so that the page can run the threaded wasm
// build on SharedArrayBuffer. --no-isolation leaves them out, which makes the page
// fall back to a single-thread build. The tests in tests/page/ import startServer().

import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const HOST = '127.0.0.1';
const DEFAULT_ROOT = 'www';
const DEFAULT_PORT = 8080;
const INDEX_FILE = 'index.html';

/** Content types by lowercase file extension. Other files are sent as application/octet-stream. */
const MIME_TYPES = new Map([
  ['.html', 'text/html; charset=utf-8'],
  ['.css', 'text/css; charset=utf-8'],
  ['.js', 'text/javascript; charset=utf-8'],
  ['.mjs', 'text/javascript; charset=utf-8'],
  ['.json', 'application/json; charset=utf-8'],
  ['.map', 'application/json; charset=utf-8'],
  ['.wasm', 'application/wasm'],
  ['.svg', 'image/svg+xml'],
  ['.png', 'image/png'],
  ['.ico', 'image/x-icon'],
  ['.txt', 'text/plain; charset=utf-8'],
  ['.ts', 'text/plain; charset=utf-8'],
]);

/** Headers that make the page cross-origin isolated, so that it may share wasm memory between workers. */
const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const SECURITY_HEADERS = {
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  // The page changes often during development, so the browser must revalidate every file.
  'Cache-Control': 'no-cache',
};

/**
 * Starts a static file server for `root` on 127.0.0.1.
 *
 * @param {object} [options]
 * @param {string} [options.root='www'] directory to serve, relative to the working directory or absolute
 * @param {number} [options.port=8080] TCP port, or 0 to pick a free port
 * @param {boolean} [options.isolation=true] whether to send the cross-origin isolation headers
 * @returns {Promise<{url: string, port: number, close: () => Promise<void>}>}
 *   the base URL (with a trailing slash) and a function that stops the server
 */
export async function startServer({ root = DEFAULT_ROOT, port = DEFAULT_PORT, isolation = true } = {}) {
  const rootDirectory = path.resolve(root);
  const rootStat = await stat(rootDirectory).catch(() => null);
  if (!rootStat?.isDirectory()) {
    throw new Error(`root directory not found: ${rootDirectory}`);
  }

  const headers = isolation ? { ...ISOLATION_HEADERS, ...SECURITY_HEADERS } : SECURITY_HEADERS;
  const server = createServer((request, response) => {
    handleRequest(rootDirectory, headers, request, response).catch((error) => {
      console.error(`serve: ${request.method} ${request.url} failed: ${error.message}`);
      if (!response.headersSent) {
        sendText(response, headers, 500, 'Internal Server Error');
      } else {
        response.destroy();
      }
    });
  });

  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => {
      server.off('error', reject);
      resolve();
    });
  });

  const actualPort = server.address().port;
  const close = () =>
    new Promise((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });

  return { url: `http://localhost:${actualPort}/`, port: actualPort, close };
}

/**
 * Sends the file that the request path names below `rootDirectory`, or an error status.
 */
async function handleRequest(rootDirectory, headers, request, response) {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.setHeader('Allow', 'GET, HEAD');
    sendText(response, headers, 405, 'Method Not Allowed');
    return;
  }

  const filePath = resolveRequestPath(rootDirectory, request.url);
  if (filePath === null) {
    sendText(response, headers, 403, 'Forbidden');
    return;
  }

  let fileStat = await stat(filePath).catch(() => null);
  let servedPath = filePath;
  if (fileStat?.isDirectory()) {
    servedPath = path.join(filePath, INDEX_FILE);
    fileStat = await stat(servedPath).catch(() => null);
  }
  if (!fileStat?.isFile()) {
    sendText(response, headers, 404, 'Not Found');
    return;
  }

  const extension = path.extname(servedPath).toLowerCase();
  response.writeHead(200, {
    ...headers,
    'Content-Type': MIME_TYPES.get(extension) ?? 'application/octet-stream',
    'Content-Length': fileStat.size,
  });
  if (request.method === 'HEAD') {
    response.end();
    return;
  }

  const stream = createReadStream(servedPath);
  stream.on('error', () => response.destroy());
  stream.pipe(response);
}

/**
 * Maps a request URL to an absolute path inside `rootDirectory`, or returns null when
 * the decoded path is malformed or escapes the root (for example through `..`).
 *
 * NOTE: the check is lexical, so a symbolic link inside the root that points
 * outside it is still followed.
 */
function resolveRequestPath(rootDirectory, requestUrl) {
  let pathname;
  try {
    pathname = decodeURIComponent(new URL(requestUrl, 'http://localhost').pathname);
  } catch {
    return null;
  }
  if (pathname.includes('\0')) {
    return null;
  }

  const filePath = path.resolve(rootDirectory, `.${pathname}`);
  const insideRoot = filePath === rootDirectory || filePath.startsWith(rootDirectory + path.sep);
  return insideRoot ? filePath : null;
}

function sendText(response, headers, status, text) {
  response.writeHead(status, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(`${status} ${text}\n`);
}

/**
 * Parses `[--no-isolation] [dir] [port]` from the command line and serves until interrupted.
 */
async function main(argv) {
  const isolation = !argv.includes('--no-isolation');
  const [root = DEFAULT_ROOT, portText = String(DEFAULT_PORT)] = argv.filter((arg) => arg !== '--no-isolation');
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`invalid port: ${portText} (expected an integer from 0 to 65535)`);
    process.exit(2);
  }

  let server;
  try {
    server = await startServer({ root, port, isolation });
  } catch (error) {
    console.error(`serve: could not start: ${error.message}`);
    process.exit(1);
  }
  console.log(`Serving ${path.relative(process.cwd(), path.resolve(root)) || '.'} at ${server.url}`);

  const stop = () => {
    server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

const isEntryPoint = process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href;
if (isEntryPoint) {
  main(process.argv.slice(2));
}
