// Starts a real `rembuk serve` for a test: a fresh data folder, the Padang example imported
// (`rembuk import`), a free port on 127.0.0.1, the web client's dist as static files; issues
// tokens with `rembuk token issue`. Used by tests/browser/editor.test.mjs and by
// clients/js/test/integration.test.ts.
//
// Environment:
//   REMBUK_BIN          path of the rembuk executable (required)
//   REMBUK_SERVE_ARGS   extra arguments for `rembuk serve` (optional, space separated)
//   REMBUK_PLUGINS_DIR  folder of the city plugins (*.so) for `plugins: true`; by default the
//                       padang/payakumbuh/pariaman .so files of the build that holds REMBUK_BIN
//                       (<build>/plugins/*/*.so), gathered into a temporary folder
import { spawn, execFile } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const padangExample = join(repoRoot, 'examples', 'masterplans', 'padang-2019.jsonl');
/** The Padang plugin enabled on padang-2019, with programs in its pillars (needs plugins). */
export const padangPluginsExample = join(repoRoot, 'examples', 'masterplans', 'padang-2019-plugins.jsonl');

/** A folder with the city plugins: REMBUK_PLUGINS_DIR, or a temporary copy of the build's. */
function pluginsDir(bin) {
  if (process.env.REMBUK_PLUGINS_DIR) return { dir: process.env.REMBUK_PLUGINS_DIR, temporary: false };
  const built = resolve(dirname(bin), '..', '..', 'plugins');
  const dir = mkdtempSync(join(tmpdir(), 'rembuk-plugins-'));
  for (const city of ['padang', 'payakumbuh', 'pariaman']) {
    const folder = join(built, city);
    const files = existsSync(folder) ? readdirSync(folder).filter((f) => f.endsWith('.so')) : [];
    if (files.length === 0) {
      rmSync(dir, { recursive: true, force: true });
      throw new Error(`no ${city} plugin under ${folder}: build the plugins or set REMBUK_PLUGINS_DIR`);
    }
    for (const f of files) copyFileSync(join(folder, f), join(dir, f));
  }
  return { dir, temporary: true };
}

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitHealthy(base, child, output, deadlineMs) {
  const deadline = Date.now() + deadlineMs;
  let lastError = '';
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`rembuk serve exited with ${child.exitCode}:\n${output.join('')}`);
    }
    try {
      const response = await fetch(`${base}/healthz`);
      if (response.ok) return;
      lastError = `HTTP ${response.status}`;
    } catch (error) {
      lastError = String(error);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`rembuk serve not healthy after ${deadlineMs} ms (${lastError}):\n${output.join('')}`);
}

/**
 * @param {{ bin?: string, importFile?: string|null, importFiles?: string[], plugins?: boolean,
 *           staticDir?: string|null, extraArgs?: string[] }} options
 * `plugins: true` loads the city plugins in `import` and `serve` (see REMBUK_PLUGINS_DIR);
 * `importFiles` imports several files in order (instead of `importFile`).
 */
export async function startRembuk(options = {}) {
  const bin = options.bin ?? process.env.REMBUK_BIN;
  if (!bin || !existsSync(bin)) throw new Error(`REMBUK_BIN is not an executable: ${bin}`);
  const plugins = options.plugins ? pluginsDir(bin) : null;
  const pluginArgs = plugins ? ['--plugins', plugins.dir] : [];
  const data = mkdtempSync(join(tmpdir(), 'rembuk-test-'));
  const importFile = options.importFile === undefined ? padangExample : options.importFile;
  const importFiles = options.importFiles ?? (importFile ? [importFile] : []);
  for (const file of importFiles) {
    await run(bin, ['import', '--data', data, ...pluginArgs, file], { maxBuffer: 64 << 20 });
  }
  const port = await freePort();
  const args = ['serve', '--data', data, '--listen', `127.0.0.1:${port}`, ...pluginArgs];
  if (options.staticDir) args.push('--static', options.staticDir);
  const extra = process.env.REMBUK_SERVE_ARGS ? process.env.REMBUK_SERVE_ARGS.split(' ').filter(Boolean) : [];
  args.push(...extra, ...(options.extraArgs ?? []));
  const output = [];
  const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (d) => output.push(String(d)));
  child.stderr.on('data', (d) => output.push(String(d)));
  const base = `http://127.0.0.1:${port}`;
  try {
    await waitHealthy(base, child, output, 20000);
  } catch (error) {
    child.kill('SIGKILL');
    rmSync(data, { recursive: true, force: true });
    if (plugins?.temporary) rmSync(plugins.dir, { recursive: true, force: true });
    throw error;
  }
  return {
    bin,
    data,
    port,
    base,
    wsUrl: `ws://127.0.0.1:${port}/ws`,
    output,
    /** Issues a token: roles is a role or a list of roles. */
    async token(user, roles, { opd, masterplan, ttl } = {}) {
      const list = Array.isArray(roles) ? roles : [roles];
      const targs = ['token', 'issue', '--data', data, '--user', user];
      for (const r of list) targs.push('--role', r);
      if (opd) targs.push('--opd', opd);
      if (masterplan) targs.push('--masterplan', masterplan);
      if (ttl) targs.push('--ttl', ttl);
      const { stdout } = await run(bin, targs);
      const token = stdout.trim().split(/\s+/).pop();
      if (!token || token.split('.').length !== 3) throw new Error(`token issue printed no JWT: ${stdout}`);
      return token;
    },
    /**
     * A one-time invitation link made by `rembuk user invite` against the running server's
     * data folder (the link points at this server).
     */
    async invite(role, { opd, masterplan, expires } = {}) {
      const args = ['user', 'invite', '--data', data, '--role', role, '--base-url', `${base}/`];
      if (opd) args.push('--opd', opd);
      if (masterplan) args.push('--masterplan', masterplan);
      if (expires) args.push('--expires', expires);
      const { stdout } = await run(bin, args);
      const link = stdout.trim().split(/\s+/).pop();
      if (!link?.includes('#invite=')) throw new Error(`user invite printed no link: ${stdout}`);
      return link;
    },
    /** Graceful stop (SIGTERM), then the data folder is removed. */
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGTERM');
        const timer = setTimeout(() => child.kill('SIGKILL'), 10000);
        await exited;
        clearTimeout(timer);
      }
      rmSync(data, { recursive: true, force: true });
      if (plugins?.temporary) rmSync(plugins.dir, { recursive: true, force: true });
    },
  };
}
