// The editor keeps its state current from the live events, without fetching it again, in
// headless Chromium against a real `rembuk serve` (Padang example): one Tim Pelaksana member
// retitles a program and comments on it; the other browser shows both, and after its first
// load it asked for the masterplan's state (GET /api/masterplans/<id>) not once more. Its
// state stays exactly the server's (the fold is the kernel's). Screenshots go to
// tests/browser/artifacts/.
//
//   REMBUK_BIN=build/ci/kernel/cli/rembuk node --test tests/browser/fold.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifacts, Browsers } from './browser.mjs';
import { repoRoot, startRembuk } from './rembuk-server.mjs';

const MP = 'padang-2019';
let server;
let browsers;
let editor; // u-suardi: edits
let watcher; // u-tim-bappeda: only watches
// Every request of the watcher for the whole state: `GET /api/masterplans/<id>` (not
// `?at=`, not a view, not the export).
const stateFetches = [];
// Bytes of the state the watcher fetched, and of the events it received.
let stateBytes = 0;
let eventBytes = 0;

function isStateFetch(request) {
  const url = new URL(request.url());
  return request.method() === 'GET' && url.pathname === `/api/masterplans/${MP}` && !url.searchParams.has('at');
}

describe('a remote edit reaches the other browser as events, not as a state fetch', () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startRembuk({ staticDir: join(repoRoot, 'clients', 'web', 'dist') });
    browsers = new Browsers(server, MP);
    editor = await browsers.open('suardi', await server.token('u-suardi', 'tim_pelaksana'));
    // The watcher is counted from its very first request on.
    watcher = await browsers.context('bappeda');
    watcher.on('request', (r) => {
      if (isStateFetch(r)) stateFetches.push(r.url());
    });
    watcher.on('response', async (r) => {
      if (isStateFetch(r.request())) stateBytes += (await r.body().catch(() => Buffer.alloc(0))).length;
    });
    watcher.on('websocket', (ws) => ws.on('framereceived', (f) => {
      if (typeof f.payload === 'string' && f.payload.includes('"type":"events"')) eventBytes += f.payload.length;
    }));
    const token = await server.token('u-tim-bappeda', 'tim_pelaksana');
    await watcher.goto(`${server.base}/#token=${token}&masterplan=${MP}&lang=id`);
    await watcher.waitForFunction(() => window.rembuk?.serverState && window.rembuk.connection === 'open', null, { timeout: 15000 });
    await editor.click('[data-tab=programs]');
    await watcher.click('[data-tab=programs]');
  });

  after(async () => {
    await browsers?.close();
    await server?.stop();
  });

  it('shows a retitled program and a new comment, with no state fetch after the first', async () => {
    assert.equal(stateFetches.length, 1, `the first load fetches the state once: ${stateFetches.join(', ')}`);
    const loadedBytes = stateBytes;
    eventBytes = 0;
    const program = await editor.evaluate(() => window.rembuk.serverState.programs[0]);
    const title = `${program.title} (disepakati Bimtek)`;
    const field = `[data-field="program/${program.programId}/title"]`;
    await editor.locator(field).fill(title);
    await editor.locator(field).press('Enter');
    await watcher.waitForFunction(([sel, t]) => document.querySelector(sel)?.value === t, [field, title], { timeout: 3000 });

    // A comment on the program, from its form.
    await editor.click(`[data-open="${program.programId}"]`);
    await editor.locator('[data-testid=drawer]').waitFor();
    await editor.click(`[data-comments="program/${program.programId}"]`);
    const panel = editor.locator('[data-testid=comments-panel]');
    await panel.waitFor();
    const text = 'Indikator capaiannya perlu baseline 2023.';
    await panel.locator('[data-testid=new-comment] textarea').fill(text);
    await panel.locator('[data-testid=new-comment] button[type=submit]').click();
    await panel.locator('[data-thread]').waitFor({ timeout: 3000 });

    // The watcher shows the comment in its Comments tab.
    await watcher.click('[data-tab=comments]');
    await watcher.locator('.comment-text', { hasText: text }).waitFor({ timeout: 3000 });
    await browsers.shot(watcher, '40-fold-comment-without-fetch');

    assert.deepEqual(stateFetches.length, 1, `no state fetch after the first load: ${stateFetches.join(', ')}`);
    // What it folded is exactly what the server would send now.
    const folded = await watcher.evaluate(() => window.rembuk.serverState);
    const r = await fetch(`${server.base}/api/masterplans/${MP}`, {
      headers: { authorization: `Bearer ${await server.token('u-tim-bappeda', 'tim_pelaksana')}` },
    });
    assert.equal(r.status, 200);
    const served = await r.json();
    assert.equal(folded.version, served.version);
    assert.deepEqual(folded, { ...served.state, version: served.version });
    console.log(`state fetched on open: ${loadedBytes} B; events received for the two edits: ${eventBytes} B`);
    assert.deepEqual(browsers.errors, []);
  });
});
