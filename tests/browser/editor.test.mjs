// The web editor in two headless Chromium contexts against a real `rembuk serve`
// (REMBUK_BIN) serving clients/web/dist, seeded with the Padang example:
//   - presence: each user sees the other, and what they are editing;
//   - an edit in one context appears in the other within one second;
//   - a conflicting edit shows the conflict next to the field (current value, who set it);
//   - the history slider shows an earlier state, with the change highlighted;
//   - the English toggle, the roadmap and budget charts, the submission checklist.
// Screenshots go to tests/browser/artifacts/.
//
//   REMBUK_BIN=build/web/kernel/cli/rembuk node --test tests/browser/editor.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { chromium } from 'playwright-core';
import { repoRoot, startRembuk } from './rembuk-server.mjs';

const MP = 'padang-2019';
const artifacts = join(repoRoot, 'tests', 'browser', 'artifacts');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

let server;
let contexts = [];
let userDataDirs = [];
let pageA; // u-suardi (Tim Pelaksana)
let pageB; // u-tim-bappeda (Tim Pelaksana)
const errors = [];

async function openEditor(user, token) {
  const dir = mkdtempSync(join(tmpdir(), `rembuk-chromium-${user}-`));
  userDataDirs.push(dir);
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1440, height: 960 },
    deviceScaleFactor: 1,
  });
  contexts.push(context);
  const page = context.pages()[0] ?? (await context.newPage());
  page.on('pageerror', (e) => errors.push(`${user}: ${e.message}`));
  await page.goto(`${server.base}/#token=${token}&masterplan=${MP}&lang=id`);
  await page.waitForFunction(() => window.rembuk?.serverState && window.rembuk.connection === 'open', null, { timeout: 15000 });
  return page;
}

async function shot(page, name) {
  await page.screenshot({ path: join(artifacts, `${name}.png`) });
}

/** The `version` the page has loaded. */
function loadedVersion(page) {
  return page.evaluate(() => window.rembuk.serverState.version);
}

async function programs(page) {
  return page.evaluate(() => window.rembuk.serverState.programs.map((p) => ({ id: p.programId, title: p.title })));
}

describe('web editor, two users on one masterplan', () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startRembuk({ staticDir: join(repoRoot, 'clients', 'web', 'dist') });
    const a = await server.token('u-suardi', 'tim_pelaksana');
    const b = await server.token('u-tim-bappeda', 'tim_pelaksana');
    pageA = await openEditor('suardi', a);
    pageB = await openEditor('bappeda', b);
  });

  after(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    for (const d of userDataDirs) rmSync(d, { recursive: true, force: true });
    await server?.stop();
  });

  it('opens logged in from the URL, in Indonesian, with the six dimensions', async () => {
    await pageA.getByRole('tab', { name: 'Dimensi & Pilar' }).waitFor();
    const dims = await pageA.locator('[data-dimension]').count();
    assert.ok(dims >= 6, `expected ≥ 6 dimension cards, got ${dims}`);
    assert.equal(await pageA.locator('.city').textContent(), 'Kota Padang');
    await shot(pageA, '01-overview-id');
  });

  it('shows who else is here and what they are editing', async () => {
    await pageA.click('[data-tab=programs]');
    await pageB.click('[data-tab=programs]');
    const [first] = await programs(pageA);
    const titleA = pageA.locator(`[data-field="program/${first.id}/title"]`);
    await titleA.focus();
    // B sees A's avatar in the header and A's name on the field A edits.
    await pageB.locator('[data-testid=presence] [data-user="u-suardi"]').waitFor({ timeout: 5000 });
    await pageB.locator(`tr[data-program="${first.id}"] .watcher`, { hasText: 'Suardi' }).waitFor({ timeout: 5000 });
    await pageA.locator('[data-testid=presence] [data-user="u-tim-bappeda"]').waitFor({ timeout: 5000 });
    await shot(pageB, '02-presence-b-sees-a');
    await titleA.blur();
  });

  it('an edit in one browser appears in the other within one second', async () => {
    const [first] = await programs(pageA);
    const newTitle = `${first.title} — diperbarui`;
    const field = `[data-field="program/${first.id}/title"]`;
    await pageA.locator(field).fill(newTitle);
    const started = Date.now();
    await pageA.locator(field).press('Enter');
    await pageB.waitForFunction(
      ([sel, title]) => document.querySelector(sel)?.value === title,
      [field, newTitle],
      { timeout: 1000, polling: 'raf' },
    );
    const elapsed = Date.now() - started;
    assert.ok(elapsed < 1000, `took ${elapsed} ms`);
    await shot(pageB, '03-live-edit-in-b');
  });

  it('a conflicting edit shows the conflict next to the field, with the current value and who set it', async () => {
    const list = await programs(pageB);
    const target = list[1];
    const field = `[data-field="program/${target.id}/title"]`;
    // B starts editing (B's base version is what B sees now)…
    await pageB.locator(field).focus();
    const base = await loadedVersion(pageB);
    // …A changes the same title meanwhile…
    const titleByA = `${target.title} (versi Suardi)`;
    await pageA.locator(field).fill(titleByA);
    await pageA.locator(field).press('Enter');
    await pageB.waitForFunction((v) => window.rembuk.serverState.version > v, base, { timeout: 5000 });
    // …then B commits its own value: the server refuses it as a conflict.
    await pageB.locator(field).fill(`${target.title} (versi Bappeda)`);
    await pageB.locator(field).press('Enter');
    const conflict = pageB.locator(`[data-error-for="program/${target.id}/title"] [data-conflict]`);
    await conflict.waitFor({ timeout: 5000 });
    const text = await conflict.textContent();
    assert.match(text, /Suardi/);
    assert.ok(text.includes(titleByA), `conflict shows the current value: ${text}`);
    await shot(pageB, '04-conflict-in-b');
    // "Pakai nilai terkini" puts the current value back and clears the error.
    await pageB.getByRole('button', { name: 'Pakai nilai terkini' }).click();
    await conflict.waitFor({ state: 'detached', timeout: 3000 });
    await pageB.waitForFunction(([sel, t]) => document.querySelector(sel)?.value === t, [field, titleByA], { timeout: 3000 });
  });

  it('the history slider shows an earlier state, with that version’s change highlighted', async () => {
    const list = await programs(pageB);
    const edited = list[0];
    // The version of A's first edit (the title ending "— diperbarui").
    const version = await pageB.evaluate(
      (id) => window.rembuk.events.filter((e) => e.type === 'ProgramUpdated' && e.payload.programId === id).at(-1)?.version,
      edited.id,
    );
    assert.ok(version > 1, 'found the edit in the activity');
    // Drag the slider: first with the mouse to somewhere early, then exactly to the edit.
    const slider = pageB.locator('[data-testid=history-slider]');
    const box = await slider.boundingBox();
    await pageB.mouse.move(box.x + box.width - 4, box.y + box.height / 2);
    await pageB.mouse.down();
    await pageB.mouse.move(box.x + box.width * 0.3, box.y + box.height / 2, { steps: 8 });
    await pageB.mouse.up();
    await pageB.locator('[data-testid=history-banner]').waitFor({ timeout: 3000 });
    const early = await pageB.evaluate(() => window.rembuk.history?.version);
    assert.ok(early < (await loadedVersion(pageB)), `slider moved back to ${early}`);
    await pageB.waitForFunction(() => window.rembuk.history && !window.rembuk.history.loading, null, { timeout: 5000 });
    const earlyCount = await pageB.evaluate(() => window.rembuk.state.programs.length);
    assert.ok(earlyCount < list.length, `fewer programs at v${early}: ${earlyCount} < ${list.length}`);
    await shot(pageB, '05-history-early');

    const setSlider = (v) =>
      pageB.evaluate((value) => {
        const el = document.querySelector('[data-testid=history-slider]');
        el.value = String(value);
        el.dispatchEvent(new Event('input', { bubbles: true }));
      }, v);
    await setSlider(version - 1);
    await pageB.waitForFunction((v) => window.rembuk.history?.version === v && !window.rembuk.history.loading, version - 1, { timeout: 5000 });
    const field = `[data-field="program/${edited.id}/title"]`;
    assert.ok(!(await pageB.locator(field).inputValue()).endsWith('— diperbarui'), 'before the edit: the old title');
    assert.ok(await pageB.locator(field).isDisabled(), 'history is read-only');
    await setSlider(version);
    await pageB.waitForFunction((v) => window.rembuk.history?.version === v && !window.rembuk.history.loading, version, { timeout: 5000 });
    assert.ok((await pageB.locator(field).inputValue()).endsWith('— diperbarui'), 'at the edit: the new title');
    assert.equal(await pageB.locator(`.field.changed ${field}`).count(), 1, 'the changed field is highlighted');
    await shot(pageB, '06-history-change-highlighted');
    await pageB.click('[data-testid=history-live]');
    await pageB.locator('[data-testid=history-banner]').waitFor({ state: 'detached', timeout: 3000 });
  });

  it('the program form edits budget lines live in the other browser', async () => {
    const [first] = await programs(pageA);
    await pageA.click(`[data-open="${first.id}"]`);
    await pageB.click(`[data-open="${first.id}"]`);
    await pageA.locator('[data-testid=drawer]').waitFor();
    // Each sees the other in the open program.
    await pageA.locator('[data-testid=drawer-people] [data-user="u-tim-bappeda"]').waitFor({ timeout: 3000 });
    const year = await pageA.evaluate((id) => window.rembuk.serverState.programs.find((p) => p.programId === id).startYear, first.id);
    const cell = `[data-field="program/${first.id}/budget/${year}/CSR"]`;
    await pageA.locator(cell).fill('125000000');
    await pageA.locator(cell).press('Enter');
    await pageB.waitForFunction((sel) => document.querySelector(sel)?.value.replace(/\D/g, '') === '125000000', cell, { timeout: 1000 });
    await shot(pageB, '07-program-form');
    await pageA.click('[data-testid=close-drawer]');
    await pageB.click('[data-testid=close-drawer]');
  });

  it('roadmap and budget charts render; the checklist shows the gate', async () => {
    await pageA.click('[data-tab=roadmap]');
    await pageA.locator('[data-chart=roadmap] canvas').waitFor({ timeout: 5000 });
    await pageA.waitForTimeout(1500); // let the chart animation finish before the screenshot
    await shot(pageA, '08-roadmap');
    await pageA.click('[data-tab=budget]');
    await pageA.locator('[data-chart=budget-year] canvas').waitFor({ timeout: 5000 });
    await pageA.waitForTimeout(1500);
    await shot(pageA, '09-budget');
    await pageA.click('[data-tab=submission]');
    await pageA.locator('[data-testid=checklist] li').first().waitFor();
    assert.ok((await pageA.locator('[data-testid=checklist] li.ok').count()) >= 8);
    await shot(pageA, '10-submission');
  });

  it('switches to English', async () => {
    await pageB.click('[data-testid=lang]');
    await pageB.getByRole('tab', { name: 'Programs' }).waitFor({ timeout: 2000 });
    await pageB.click('[data-tab=overview]');
    await shot(pageB, '11-overview-en');
  });

  it('offers the actions of each role: the reviewer starts the review, the Dewan approves, editing locks live', async () => {
    const reviewer = await openEditor('setiawan', await server.token('u-setiawan', 'reviewer'));
    await reviewer.click('[data-tab=submission]');
    assert.equal(await reviewer.locator('[data-action=approve], [data-action=submit], [data-action=reopen]').count(), 0);
    await reviewer.locator('[data-action=review]').click();
    await pageA.locator('[data-testid=status]', { hasText: 'Dalam reviu' }).waitFor({ timeout: 3000 });
    const dewan = await openEditor('walikota', await server.token('u-walikota', 'dewan'));
    await dewan.click('[data-tab=submission]');
    assert.equal(await dewan.locator('[data-action=review], [data-action=submit]').count(), 0);
    await dewan.locator('[data-action=approve]').click();
    await pageA.locator('[data-testid=status]', { hasText: 'Disetujui' }).waitFor({ timeout: 3000 });
    await dewan.locator('[data-action=reopen]').waitFor({ timeout: 3000 });
    await shot(dewan, '12-approved-by-dewan');
    // An approved masterplan takes no edits: the Tim Pelaksana's fields lock.
    await pageA.click('[data-tab=programs]');
    const [first] = await programs(pageA);
    await pageA.waitForFunction((sel) => document.querySelector(sel)?.disabled === true, `[data-field="program/${first.id}/title"]`, { timeout: 3000 });
    await shot(pageA, '13-locked-after-approval');
  });

  it('raised no page errors', () => {
    assert.deepEqual(errors, []);
  });
});
