// Writing together in headless Chromium against a real `rembuk serve` (Padang example): two
// Tim Pelaksana members type into the same vision paragraph at the same time — one at the
// start, one in the middle, then one deleting a word while the other types inside it. Both
// end with the same text holding both people's words, nobody got "not saved", and the log
// attributes the words to their authors (`rembuk history --blame` and the history view).
// Screenshots go to tests/browser/artifacts/.
//
//   REMBUK_BIN=build/ci/kernel/cli/rembuk node --test tests/browser/text.test.mjs
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { artifacts, Browsers } from './browser.mjs';
import { repoRoot, startRembuk } from './rembuk-server.mjs';

const run = promisify(execFile);
const MP = 'padang-2019';
const VISION = '[data-section=vision] [data-text-field="masterplan/vision"]';
const START = 'Padang kota cerdas yang tangguh dan sejahtera';
let server;
let browsers;
let a; // u-suardi
let b; // u-tim-bappeda

/** Puts the caret (or a selection) at code unit offsets of the vision's text. */
async function select(page, start, end = start) {
  await page.locator(VISION).focus();
  await page.evaluate(
    ([sel, s, e]) => document.querySelector(sel).setSelectionRange(s, e),
    [VISION, start, end],
  );
}

const value = (page) => page.locator(VISION).inputValue();

async function converged() {
  const deadline = Date.now() + 10000;
  let last = [];
  while (Date.now() < deadline) {
    last = await Promise.all([value(a), value(b), a.evaluate(() => window.rembuk.serverState.vision)]);
    const busy = await Promise.all(
      [a, b].map((p) => p.evaluate(() => window.rembuk.texts.session('masterplan/vision')?.busy ?? false)),
    );
    if (last[0] === last[1] && last[1] === last[2] && !busy[0] && !busy[1]) return last[0];
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.fail(`the two browsers did not converge: ${JSON.stringify(last)}`);
}

describe('two people writing the same vision paragraph at once', () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startRembuk({ staticDir: join(repoRoot, 'clients', 'web', 'dist') });
    browsers = new Browsers(server, MP);
    a = await browsers.open('suardi', await server.token('u-suardi', 'tim_pelaksana'));
    b = await browsers.open('bappeda', await server.token('u-tim-bappeda', 'tim_pelaksana'));
    await a.click('[data-tab=plan]');
    await b.click('[data-tab=plan]');
    // A known starting text, set as a whole value (as a form or script would).
    const ok = await a.evaluate((text) => window.rembuk.submit({ type: 'SetVision', text }), START);
    assert.ok(ok);
    await b.waitForFunction((text) => window.rembuk.serverState.vision === text, START, { timeout: 5000 });
    await a.locator(VISION).waitFor();
    await b.locator(VISION).waitFor();
  });

  after(async () => {
    await browsers?.close();
    await server?.stop();
  });

  it('one types at the start, the other in the middle, at the same time: both words stay', async () => {
    await select(a, 0);
    await select(b, START.indexOf(' yang'));
    const fetches = await a.evaluate(() => {
      window.__fetches = 0;
      const original = window.fetch;
      window.fetch = (...args) => {
        if (String(args[0]).match(/\/api\/masterplans\/[^/?]+(\?|$)/)) window.__fetches += 1;
        return original(...args);
      };
      return window.__fetches;
    });
    assert.equal(fetches, 0);
    await Promise.all([a.keyboard.type('Bersama, ', { delay: 40 }), b.keyboard.type(' dan hijau', { delay: 40 })]);
    const text = await converged();
    assert.equal(text, 'Bersama, Padang kota cerdas dan hijau yang tangguh dan sejahtera');
    // The other browser's remote caret is drawn with its name.
    await b.locator(`[data-section=vision] .remote-caret[data-user="u-suardi"]`).waitFor({ timeout: 3000 });
    // Typing did not fetch the whole masterplan again: text operations were applied in place.
    assert.equal(await a.evaluate(() => window.__fetches), 0);
    await browsers.shot(b, '40-text-together');
  });

  it('one deletes a word while the other types inside it: the typing lands where the word was', async () => {
    const text = await value(a);
    const word = 'tangguh';
    const at = text.indexOf(word);
    assert.ok(at > 0);
    await select(a, at, at + word.length);
    await select(b, at + 4); // "tang|guh"
    await Promise.all([a.keyboard.press('Backspace'), b.keyboard.type('XX', { delay: 30 })]);
    const after = await converged();
    assert.ok(!after.includes('guh'), after);
    assert.ok(after.includes('XX'), after);
    assert.ok(after.startsWith('Bersama, ') && after.includes(' dan hijau'), after);
    // Nobody was told that their change was not saved.
    assert.equal(await a.locator('[data-error-for="masterplan/vision"]').count(), 0);
    assert.equal(await b.locator('[data-error-for="masterplan/vision"]').count(), 0);
    assert.deepEqual(browsers.errors, []);
    await browsers.shot(a, '41-text-delete-and-type');
  });

  it('the log attributes the words to who typed them', async () => {
    const { stdout } = await run(server.bin, [
      'history', '--data', server.data, '--masterplan', MP,
      '--entity', 'masterplan', '--field', 'vision', '--blame', '--json',
    ]);
    const blame = JSON.parse(stdout);
    assert.equal(blame.text, await value(a));
    const by = (author) => blame.runs.filter((r) => r.author === author).map((r) => r.text).join('');
    assert.ok(by('u-suardi').includes('Bersama,'), JSON.stringify(blame.runs));
    // (Which of two equal neighbouring spaces is the new one cannot be told: words are compared.)
    assert.ok(by('u-tim-bappeda').includes('dan hijau'), JSON.stringify(blame.runs));
    assert.ok(by('u-tim-bappeda').includes('XX'), JSON.stringify(blame.runs));
    // The history view of the masterplan lists the text operations with their authors.
    const token = await server.token('u-suardi', 'tim_pelaksana');
    const response = await fetch(`${server.base}/api/masterplans/${MP}/history?entity=masterplan`, {
      headers: { authorization: `Bearer ${token}` },
    });
    assert.equal(response.status, 200);
    const body = JSON.stringify(await response.json());
    assert.match(body, /TextEdited/);
    assert.match(body, /u-suardi/);
    assert.match(body, /u-tim-bappeda/);
  });
});
