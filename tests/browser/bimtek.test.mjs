// The Bimtek tab in headless Chromium against a real `rembuk serve` seeded with the Padang
// example: stage I walked from "Tutup tahap" refused (the missing outputs listed, with who
// owes them) to closed, its schedule, held date, attendance and notes recorded with the
// stage's forms (the kernel's refusals under them; no forms for a viewer, none too wide on a
// phone); the four documents download as the server made them (a PDF read
// back with pdftotext: its chapters, the budget total and a readiness figure as a person
// reads them, and the closed stage), in Indonesian and in English.
// Screenshots go to tests/browser/artifacts/.
//
//   REMBUK_BIN=build/ci/kernel/cli/rembuk node --test tests/browser/bimtek.test.mjs
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifacts, Browsers } from './browser.mjs';
import { padangExample, repoRoot, startRembuk } from './rembuk-server.mjs';

const MP = 'padang-2019';
let server;
let browsers;
let tp; // u-suardi, Tim Pelaksana
let downloads;

/** Clicks a download button and returns the saved file's path and suggested name. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download', { timeout: 90000 }), page.locator(selector).click()]);
  const path = join(downloads, file.suggestedFilename());
  await file.saveAs(path);
  return { path, name: file.suggestedFilename() };
}

describe('Bimtek tab: a stage walked to closed, the documents to download', () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    downloads = mkdtempSync(join(tmpdir(), 'rembuk-downloads-'));
    server = await startRembuk({ staticDir: join(repoRoot, 'clients', 'web', 'dist'), importFile: padangExample });
    browsers = new Browsers(server, MP);
    tp = await browsers.open('suardi', await server.token('u-suardi', 'tim_pelaksana'));
  });

  after(async () => {
    await browsers?.close();
    await server?.stop();
    if (downloads) rmSync(downloads, { recursive: true, force: true });
  });

  it('lists the four documents on the Bimtek tab', async () => {
    await tp.locator('[data-tab=bimtek]').click();
    const card = tp.locator('[data-testid=bimtek-documents]');
    await card.waitFor();
    const text = await card.textContent();
    for (const title of ['Buku I — Analisis Kesiapan Daerah', 'Buku II — Masterplan Smart City', 'Ringkasan Eksekutif', 'Profil Quick Win']) {
      assert.ok(text.includes(title), `${title} in ${text}`);
    }
    await browsers.shot(tp, '60-bimtek-documents');
  });

  it('walks stage I from refused to closed', async () => {
    await tp.locator('[data-tab=bimtek]').click();
    await tp.locator('[data-stage="1"][data-state=current]').waitFor();
    // Refused: the list of what is missing, each with who owes it.
    await tp.locator('[data-action=close-stage][data-stage="1"]').click();
    const refusal = tp.locator('[data-testid=bimtek-refusal]');
    await refusal.waitFor();
    const missing = await refusal.locator('li').evaluateAll((els) => els.map((e) => e.dataset.output));
    for (const output of ['held', 'attendance', 'swot/struktur/strength', 'gap/infrastruktur']) {
      assert.ok(missing.includes(output), `${output} in ${missing}`);
    }
    assert.match(await refusal.textContent(), /Tahap I belum dapat ditutup/);
    assert.match(await refusal.textContent(), /Menjadi tanggung jawab: Tim Pelaksana/);
    await browsers.shot(tp, '61-bimtek-refused');
    // What the kernel refuses shows under the form and changes nothing.
    const version = await tp.evaluate(() => window.rembuk.serverState.version);
    const held = tp.locator('[data-testid=bimtek-form-held]');
    await held.locator('input[name=heldDate]').fill('2018-07-10');
    await held.locator('button[type=submit]').click();
    await held.locator('.field-error').waitFor();
    assert.match(await held.locator('.field-error').textContent(), /Tahap I belum dijadwalkan/);
    const schedule = tp.locator('[data-testid=bimtek-form-schedule]');
    await schedule.locator('input[name=scheduledDate]').fill('2018-07-10');
    await schedule.locator('button[type=submit]').click();
    await schedule.locator('.field-error').waitFor();
    assert.match(await schedule.locator('.field-error').textContent(), /perlu tempat atau tautan daring/);
    assert.equal(await tp.evaluate(() => window.rembuk.serverState.version), version);
    assert.equal(await tp.evaluate(() => window.rembuk.serverState.bimtek?.stages?.[0]?.scheduledDate || null), null);
    await browsers.shot(tp, '63-bimtek-form-refused');
    // The Tim Pelaksana records the stage with the forms, each acknowledged with a toast.
    const saved = async (form, toast) => {
      await form.locator('button[type=submit]').click();
      await tp.locator('.toast.ok', { hasText: toast }).last().waitFor();
      assert.equal(await form.locator('.field-error').count(), 0);
    };
    await schedule.locator('input[name=place]').fill('Hotel Bumi Minang, Padang');
    await saved(schedule, 'Jadwal tahap disimpan.');
    await saved(held, 'Tanggal pelaksanaan dicatat.');
    const attendance = tp.locator('[data-testid=bimtek-form-attendance]');
    for (const v of ['u-walikota', 'u-sekda']) await attendance.locator(`input[name=members][value="${v}"]`).check();
    for (const v of ['diskominfo', 'bappeda']) await attendance.locator(`input[name=opds][value="${v}"]`).check();
    await saved(attendance, 'Kehadiran dicatat.');
    const experts = tp.locator('[data-testid=bimtek-form-experts]');
    await experts.locator('textarea').fill('Tenaga Ahli Kominfo\nKonsultan Smart City');
    await saved(experts, 'Tenaga ahli disimpan.');
    const notes = tp.locator('[data-testid=bimtek-form-notes]');
    await notes.locator('textarea').fill('Sepakat: tiga quick win dibahas pada tahap II.');
    await saved(notes, 'Catatan disimpan.');
    const panel = tp.locator('[data-testid=bimtek-schedule]');
    await panel.getByText('Sepakat: tiga quick win').waitFor();
    const shown = await panel.textContent();
    for (const needle of ['2018-07-10', 'Hotel Bumi Minang, Padang', 'Wali Kota Padang', 'Sekretaris Daerah Kota Padang', 'Tenaga Ahli Kominfo, Konsultan Smart City']) {
      assert.ok(shown.includes(needle), `${needle} in ${shown}`);
    }
    const stage = await tp.evaluate(() => window.rembuk.serverState.bimtek.stages[0]);
    assert.deepEqual([stage.members, stage.opds], [['u-sekda', 'u-walikota'], ['bappeda', 'diskominfo']]);
    await tp.setViewportSize({ width: 1280, height: 800 });
    await tp.locator('[data-testid=bimtek-forms]').evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await browsers.shot(tp, '64-bimtek-forms-desktop');
    await tp.setViewportSize({ width: 1440, height: 960 });
    // What the stage produced besides (as colleagues would, in their editors).
    const commands = [];
    let n = 0;
    for (const axis of ['struktur', 'infrastruktur', 'suprastruktur']) {
      for (const swot of ['strength', 'weakness', 'opportunity', 'threat']) {
        commands.push({ type: 'AddReadinessEntry', entryId: `t-${axis}-${swot}`, axis, title: `${swot} ${axis} ${++n}`, swot });
      }
      commands.push({ type: 'AddGap', gapId: `t-gap-${axis}`, axis, current: `kondisi ${axis}`, expected: `harapan ${axis}` });
    }
    for (const command of commands) {
      const outcome = await tp.evaluate((c) => window.rembuk.client.submit(window.rembuk.masterplan, c), command);
      assert.equal(outcome.status, 'ack', `${command.type}: ${JSON.stringify(outcome)}`);
    }
    await tp.waitForFunction(() => window.rembuk.serverState.bimtek?.stages?.[0]?.heldDate === '2018-07-10');
    await tp.locator('[data-action=close-stage][data-stage="1"]').click();
    await tp.locator('[data-stage="1"][data-state=closed]').waitFor();
    await tp.locator('[data-stage="2"][data-state=current]').waitFor();
    assert.equal(await tp.locator('[data-testid=bimtek-refusal]').count(), 0);
    await browsers.shot(tp, '62-bimtek-stage-closed');
  });

  it('fits the forms on a phone and offers none to a viewer', async () => {
    const phone = await browsers.open('suardi-phone', await server.token('u-suardi', 'tim_pelaksana'), { size: 'phone' });
    await phone.locator('[data-tab=bimtek]').click();
    const forms = phone.locator('[data-testid=bimtek-forms]');
    await forms.waitFor();
    assert.ok(await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth), 'no horizontal scroll at 390 px');
    const small = await forms.locator('input, textarea, button').evaluateAll((els) =>
      els.filter((e) => e.getBoundingClientRect().height < (e.type === 'checkbox' ? 20 : 40)).map((e) => e.name || e.textContent.trim()),
    );
    assert.deepEqual(small, [], 'touch-sized controls');
    const top = (selector) => phone.locator(selector).evaluate((e) => e.scrollIntoView({ block: 'start' }));
    await top('[data-testid=bimtek-forms]');
    await browsers.shot(phone, '65-bimtek-forms-phone');
    await top('[data-testid=bimtek-form-attendance]');
    await browsers.shot(phone, '66-bimtek-attendance-phone');
    await top('[data-testid=bimtek-form-notes]');
    await browsers.shot(phone, '67-bimtek-notes-phone');
    const viewer = await browsers.open('tamu', await server.token('u-tamu', 'viewer'));
    await viewer.locator('[data-tab=bimtek]').click();
    await viewer.locator('[data-testid=bimtek-schedule]').waitFor();
    assert.equal(await viewer.locator('[data-testid=bimtek-forms], [data-action=close-stage]').count(), 0);
    assert.equal(browsers.errors.length, 0, browsers.errors.join('\n'));
  });

  it('downloads Buku II as a PDF that reads as the masterplan', async () => {
    const { path, name } = await download(tp, '[data-download="buku2/pdf"]');
    assert.match(name, /^buku2-padang-2019-v\d+\.pdf$/);
    assert.equal(readFileSync(path).subarray(0, 5).toString(), '%PDF-');
    const text = execFileSync('pdftotext', ['-layout', path, '-'], { encoding: 'utf8' });
    for (const needle of ['Buku II', 'Masterplan Smart City', 'Kota Padang', 'Daftar Isi', 'Indikator Kinerja', 'Rp 49.500.000.000', '121 orang', 'Halaman 2 dari', 'Hotel Bumi Minang', 'Ditutup']) {
      assert.ok(text.includes(needle), `${needle} not in the PDF's text`);
    }
    assert.doesNotMatch(text, /[0-9]E[0-9]/);
  });

  it('downloads a document as HTML in the interface language', async () => {
    const en = await browsers.open('suardi-en', await server.token('u-suardi', 'tim_pelaksana'), { lang: 'en' });
    await en.locator('[data-tab=bimtek]').click();
    const { path } = await download(en, '[data-download="ringkasan/html"]');
    const html = readFileSync(path, 'utf8');
    assert.match(html, /<html lang="en">/);
    assert.ok(html.includes('Executive Summary') && html.includes('Rp 49,500,000,000'));
    assert.equal(browsers.errors.length, 0, browsers.errors.join('\n'));
  });
});
