// The masterplan screens in headless Chromium against a real `rembuk serve` with the city
// plugins, seeded with the Padang example and its plugin seed (the Padang plugin enabled,
// programs in its pillars):
//   - the Padang pillars and their programs beside the six dimensions;
//   - add a mission, add a strategic issue (inline validation first, in Indonesian and English);
//   - register an OPD (a taken id is refused in the browser), retire it;
//   - comment on a mission in one browser, see the thread in the other, resolve it;
//   - undo of one's own last edit, live in the other browser;
//   - a reviewer gets no edit forms but may comment.
// Screenshots go to tests/browser/artifacts/.
//
//   REMBUK_BIN=build/web/kernel/cli/rembuk node --test tests/browser/masterplan.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifacts, Browsers } from './browser.mjs';
import { padangExample, padangPluginsExample, repoRoot, startRembuk } from './rembuk-server.mjs';

const MP = 'padang-2019';
let server;
let browsers;
let tp; // u-suardi, Tim Pelaksana
let reviewer; // u-setiawan, reviewer

const state = (page) => page.evaluate(() => window.rembuk.serverState);

describe('masterplan screens, plugin pillars, comments and undo', () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    server = await startRembuk({
      staticDir: join(repoRoot, 'clients', 'web', 'dist'),
      plugins: true,
      importFiles: [padangExample, padangPluginsExample],
    });
    browsers = new Browsers(server, MP);
    tp = await browsers.open('suardi', await server.token('u-suardi', 'tim_pelaksana'));
    reviewer = await browsers.open('setiawan', await server.token('u-setiawan', 'reviewer'));
  });

  after(async () => {
    await browsers?.close();
    await server?.stop();
  });

  it('shows the Padang pillars and their programs beside the six dimensions', async () => {
    const ids = await tp.locator('[data-dimension]').evaluateAll((els) => els.map((e) => e.dataset.dimension));
    assert.deepEqual(ids.slice(0, 6), ['governance', 'branding', 'economy', 'living', 'society', 'environment']);
    assert.ok(ids.includes('padang_adat_surau') && ids.includes('padang_pesisir_tangguh'), `pillars: ${ids}`);
    const adat = tp.locator('[data-dimension=padang_adat_surau]');
    await adat.locator('[data-program=padang-surau-digital]').waitFor();
    assert.equal(await adat.locator('[data-program]').count(), 3);
    // Named by the plugin (the server's document view asks its plugin host), not by id.
    assert.match(await adat.locator('.dimension-name').textContent(), /Adat Basandi Syarak/);
    assert.match(await adat.textContent(), /Surau sebagai pusat belajar/);
    assert.match(await adat.textContent(), /padang/);
    await tp.locator('[data-dimension=padang_pesisir_tangguh] [data-program=padang-shelter-tsunami]').waitFor();
    await adat.scrollIntoViewIfNeeded();
    await browsers.shot(tp, '20-plugin-pillars');
  });

  it('adds a mission, after the browser refused an empty one', async () => {
    await tp.click('[data-tab=plan]');
    await reviewer.click('[data-tab=plan]');
    const form = tp.locator('[data-testid=add-mission]');
    await form.getByRole('button').click();
    await form.locator('[data-invalid=text]', { hasText: 'Wajib diisi.' }).waitFor({ timeout: 2000 });
    const before = (await state(tp)).missions.length;
    const text = 'Menguatkan kearifan lokal Minangkabau dalam layanan kota cerdas';
    await form.locator('input[name=text]').fill(text);
    await form.getByRole('button').click();
    await form.locator('[data-invalid]').waitFor({ state: 'detached', timeout: 2000 });
    // Live in the reviewer's browser.
    await reviewer.locator('[data-testid=missions] li').nth(before).waitFor({ timeout: 3000 });
    const s = await state(reviewer);
    assert.equal(s.missions.length, before + 1);
    assert.equal(s.missions.at(-1).text, text);
    assert.equal(await form.locator('input[name=text]').inputValue(), '', 'the form is cleared once accepted');
    await browsers.shot(tp, '21-mission-added');
  });

  it('adds a strategic issue to a plugin pillar', async () => {
    const form = tp.locator('[data-testid=add-issue]');
    await form.locator('input[name=text]').fill('Generasi muda jarang belajar silek dan randai');
    await form.getByRole('button').click();
    await form.locator('[data-invalid=dimension]').waitFor({ timeout: 2000 });
    await form.locator('select[name=dimension]').selectOption('padang_adat_surau');
    await form.getByRole('button').click();
    const group = reviewer.locator('[data-testid=issues] [data-dimension=padang_adat_surau] [data-issue]');
    await reviewer.waitForFunction(() => window.rembuk.serverState.strategicIssues.some((i) => i.text.includes('silek')), null, { timeout: 3000 });
    assert.equal(await group.count(), 2, 'the seed issue and the new one');
    await tp.locator('[data-section=issues]').scrollIntoViewIfNeeded();
    await browsers.shot(tp, '22-issue-added');
  });

  it('registers an OPD (a taken id is refused in the browser) and retires it', async () => {
    await tp.click('[data-tab=opds]');
    const form = tp.locator('[data-testid=register-opd]');
    await form.locator('input[name=name]').fill('Dinas Pemuda dan Olahraga');
    await form.locator('input[name=shortName]').fill('Dispora');
    await form.locator('input[name=opdId]').fill('bpbd');
    await form.getByRole('button').click();
    await form.locator('[data-invalid=opdId]', { hasText: 'sudah dipakai' }).waitFor({ timeout: 2000 });
    await form.locator('input[name=opdId]').fill('');
    await form.getByRole('button').click();
    const row = tp.locator('[data-testid=opds] tr[data-opd=dispora]');
    await row.waitFor({ timeout: 3000 });
    await row.locator('[data-action=retire]').click();
    await row.locator('[data-status]', { hasText: 'Nonaktif' }).waitFor({ timeout: 3000 });
    // An OPD that leads programs cannot be retired: the server's refusal shows in the row.
    const bpbd = tp.locator('[data-testid=opds] tr[data-opd=bpbd]');
    await bpbd.locator('[data-action=retire]').click();
    await bpbd.locator('.field-error').waitFor({ timeout: 3000 });
    await browsers.shot(tp, '23-opds');
    await bpbd.getByRole('button', { name: 'Tutup' }).click();
  });

  it('comments on a mission in one browser, shows the thread in the other, resolves it', async () => {
    await reviewer.click('[data-tab=plan]');
    const mission = (await state(reviewer)).missions.at(-1).missionId;
    await reviewer.click(`[data-comments="mission/${mission}"]`);
    const panel = reviewer.locator('[data-testid=comments-panel]');
    await panel.waitFor();
    await panel.locator('[data-testid=new-comment] button[type=submit]').click();
    await panel.locator('[data-invalid=text]').waitFor({ timeout: 2000 });
    await panel.locator('[data-testid=new-comment] textarea').fill('Mohon sebutkan mitra adatnya (KAN, LKAAM).');
    await panel.locator('[data-testid=new-comment] button[type=submit]').click();
    await panel.locator('[data-thread]').waitFor({ timeout: 3000 });
    await browsers.shot(reviewer, '24-comment-added');
    await reviewer.click('[data-testid=close-comments]');
    // The Tim Pelaksana sees the open thread on the mission and in the Comments tab.
    await tp.click('[data-tab=plan]');
    await tp.locator(`[data-comments="mission/${mission}"].has-open`).waitFor({ timeout: 3000 });
    await tp.click('[data-tab=comments]');
    const thread = tp.locator(`[data-target="mission/${mission}"] [data-thread]`);
    await thread.waitFor({ timeout: 3000 });
    await thread.locator('[data-action=resolve]').click();
    await thread.locator('[data-resolved]').waitFor({ timeout: 3000 });
    await reviewer.locator(`[data-comments="mission/${mission}"].has-closed`).waitFor({ timeout: 3000 });
    await browsers.shot(tp, '25-comment-resolved');
  });

  it('undoes the user’s own last edit, live in the other browser', async () => {
    await tp.click('[data-tab=plan]');
    const form = tp.locator('[data-testid=add-mission]');
    const text = 'Misi percobaan yang akan diurungkan';
    await form.locator('input[name=text]').fill(text);
    await form.getByRole('button').click();
    await reviewer.waitForFunction((t) => window.rembuk.serverState.missions.some((m) => m.text === t), text, { timeout: 3000 });
    const undo = tp.locator('[data-testid=undo]');
    // The button may still offer the comment resolved just before until this browser's own
    // ack arrives, which can come after the other browser has seen the event.
    await tp
      .waitForFunction(() => {
        const button = document.querySelector('[data-testid=undo]');
        return button && !button.disabled && /misi/i.test(button.title);
      }, null, { timeout: 3000 })
      .catch(() => {});
    assert.match(await undo.getAttribute('title'), /misi/i);
    await undo.click();
    await reviewer.waitForFunction((t) => !window.rembuk.serverState.missions.some((m) => m.text === t), text, { timeout: 3000 });
    await browsers.shot(tp, '26-undone');
  });

  it('gives a reviewer no edit forms on the plan, OPDs and members, but comments', async () => {
    await reviewer.click('[data-tab=plan]');
    assert.equal(await reviewer.locator('[data-testid=add-mission], [data-testid=add-issue], [data-testid=add-readiness]').count(), 0);
    assert.ok(await reviewer.locator('[data-field="masterplan/vision"]').isDisabled());
    await reviewer.click('[data-tab=opds]');
    assert.equal(await reviewer.locator('[data-testid=register-opd], [data-action=retire]').count(), 0);
    await reviewer.click('[data-tab=members]');
    assert.equal(await reviewer.locator('[data-testid=add-member]').count(), 0);
    assert.ok(await reviewer.locator('[data-field="member/u-suardi/role"]').isDisabled());
    assert.ok((await reviewer.locator('[data-comments^="member/"]').count()) > 0);
    await browsers.shot(reviewer, '27-members-reviewer');
  });

  it('adds a member as the Tim Pelaksana; validation speaks English after the toggle', async () => {
    await tp.click('[data-tab=members]');
    await tp.click('[data-testid=lang]');
    const form = tp.locator('[data-testid=add-member]');
    await form.locator('input[name=userId]').fill('u-rina');
    await form.locator('input[name=name]').fill('Rina');
    await form.locator('select[name=role]').selectOption('opd_editor');
    await form.getByRole('button').click();
    await form.locator('[data-invalid=opdId]', { hasText: 'An OPD editor needs an OPD.' }).waitFor({ timeout: 2000 });
    await form.locator('select[name=opdId]').selectOption('dispar');
    await form.getByRole('button').click();
    await tp.locator('[data-testid=members] tr[data-member=u-rina]').waitFor({ timeout: 3000 });
    await browsers.shot(tp, '28-member-added-en');
    await tp.click('[data-testid=lang]');
  });

  it('raised no page errors', () => {
    assert.deepEqual(browsers.errors, []);
  });
});
