// People signing in and joining by invitation, in headless Chromium against a real
// `rembuk serve` (its account store in the data folder), seeded with the Padang example:
//   - the first admin joins by the link `rembuk user invite` prints (desktop);
//   - the admin invites an OPD editor of Diskominfo from the Members tab and copies the link;
//   - in a second browser context, at phone size (390×844, touch), the invitee opens the link,
//     is refused a short password in the browser, sets one, lands in the masterplan: no
//     horizontal scrolling on any tab, every tab reachable by a tap;
//   - the invitee edits a program of Diskominfo (acked and committed) and is refused on a
//     program of another OPD;
//   - access tokens live 12 s here (`accessTokenTtlS`), so they are refreshed all along the
//     way without touching the WebSocket, and an edit past the first token's life is acked;
//   - signs out and in again on the phone (a wrong password refused);
//   - a used link and a withdrawn one get pages saying which, in both languages;
//   - the admin disables the invitee's account: the invitee's editor shows it was signed out.
// Screenshots go to tests/browser/artifacts/.
//
//   REMBUK_BIN=build/ci/kernel/cli/rembuk node --test tests/browser/identity.test.mjs
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { artifacts, Browsers } from './browser.mjs';
import { repoRoot, startRembuk } from './rembuk-server.mjs';

const MP = 'padang-2019';
const OWN = 'qw-fiber-kelurahan'; // led by diskominfo
const OTHER = 'p-perizinan-daring'; // led by dpmptsp
const PASSWORD = 'Rendang-Padang-2026';
const TOKEN_TTL_S = 12;
let configDir;
let sockets = 0; // WebSockets the invitee's page opened
let hellos = 0; // hello frames it sent
let server;
let browsers;
let admin; // desktop
let phone; // the invitee, 390×844
let inviteUrl;
let invitee; // the user id the invitee chose

const editorOpen = (page) =>
  page.waitForFunction(() => window.rembuk?.serverState && window.rembuk.connection === 'open', null, { timeout: 15000 });

/** The page is no wider than the phone's screen. */
async function noHorizontalScroll(page, what) {
  const { scroll, client } = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  assert.ok(scroll <= client, `${what}: the page is ${scroll} px wide on a ${client} px screen`);
}

describe('signing in and joining by invitation', () => {
  before(async () => {
    mkdirSync(artifacts, { recursive: true });
    configDir = mkdtempSync(join(tmpdir(), 'rembuk-identity-'));
    const config = join(configDir, 'config.json');
    writeFileSync(config, JSON.stringify({ accessTokenTtlS: TOKEN_TTL_S }));
    server = await startRembuk({ staticDir: join(repoRoot, 'clients', 'web', 'dist'), extraArgs: ['--config', config] });
    browsers = new Browsers(server, MP);
  });

  after(async () => {
    await browsers?.close();
    await server?.stop();
    if (configDir) rmSync(configDir, { recursive: true, force: true });
  });

  it('the first admin joins by the link of `rembuk user invite`', async () => {
    const link = await server.invite('admin');
    admin = await browsers.context('admin');
    await admin.goto(link);
    const form = admin.locator('[data-testid=accept-invitation]');
    await form.waitFor({ timeout: 10000 });
    await form.locator('input[name=displayName]').fill('Admin Kota Padang');
    await form.locator('input[name=user]').fill('admin-padang');
    await form.locator('input[name=password]').fill(PASSWORD);
    await form.locator('input[name=password2]').fill(PASSWORD);
    await form.locator('button[type=submit]').click();
    await editorOpen(admin);
    assert.equal(await admin.evaluate(() => window.rembuk.welcome.user), 'admin-padang');
    assert.equal(await admin.evaluate(() => window.rembuk.masterplan), MP);
    // The code is spent and out of the address bar.
    assert.ok(!admin.url().includes('invite='), admin.url());
  });

  it('the admin invites an OPD editor of Diskominfo and gets the link to copy', async () => {
    await admin.click('[data-tab=members]');
    const form = admin.locator('[data-testid=invite-form]');
    await form.waitFor();
    await form.locator('select[name=role]').selectOption('opd_editor');
    await form.locator('button[type=submit]').click();
    // An OPD editor needs an OPD: said in the browser, nothing sent.
    await form.locator('[data-invalid=opd]').waitFor({ timeout: 2000 });
    await form.locator('select[name=opd]').selectOption('diskominfo');
    assert.equal(await form.locator('input[name=days]').inputValue(), '7');
    await form.locator('button[type=submit]').click();
    const link = admin.locator('[data-testid=invite-link] input');
    await link.waitFor({ timeout: 5000 });
    inviteUrl = await link.inputValue();
    assert.match(inviteUrl, /#invite=[A-Za-z0-9_-]{22,}/);
    await admin.locator('[data-testid=invitation-list] li[data-status=pending]').first().waitFor({ timeout: 5000 });
    await browsers.shot(admin, '40-invitation-made');
  });

  it('the invitee opens the link on a phone, sets a password and lands in the masterplan', async () => {
    phone = await browsers.context('invitee', 'phone');
    phone.on('websocket', (ws) => {
      sockets += 1;
      ws.on('framesent', (f) => (hellos += String(f.payload).includes('"type":"hello"') ? 1 : 0));
    });
    await phone.goto(inviteUrl);
    const form = phone.locator('[data-testid=accept-invitation]');
    await form.waitFor({ timeout: 10000 });
    assert.match(await phone.locator('[data-testid=invitation-intro]').textContent(), /Kota Padang.*Editor OPD.*diskominfo/);
    await noHorizontalScroll(phone, 'invitation page');
    await browsers.shot(phone, '41-phone-invitation');
    await form.locator('input[name=displayName]').fill('Rina Kominfo');
    await form.locator('input[name=user]').fill('rina-kominfo');
    await form.locator('input[name=password]').fill('pendek');
    await form.locator('button[type=submit]').tap();
    await form.locator('[data-invalid=password]').waitFor({ timeout: 2000 });
    await form.locator('input[name=password]').fill(PASSWORD);
    await form.locator('input[name=password2]').fill(PASSWORD);
    await form.locator('button[type=submit]').tap();
    await editorOpen(phone);
    invitee = await phone.evaluate(() => window.rembuk.welcome.user);
    assert.equal(invitee, 'rina-kominfo');
    assert.equal(await phone.evaluate(() => window.rembuk.masterplan), MP);
    // A member with the role and OPD of the invitation: the MemberAdded of the log.
    const member = await phone.evaluate((u) => window.rembuk.serverState.members.find((m) => m.userId === u), invitee);
    assert.equal(member?.role, 'opd_editor');
    assert.equal(member?.opdId, 'diskominfo');
    await noHorizontalScroll(phone, 'editor');
    await browsers.shot(phone, '42-phone-joined');
  });

  it('every tab fits the phone and answers a tap', async () => {
    const tabs = await phone.locator('[data-tab]').evaluateAll((els) => els.map((e) => e.dataset.tab));
    assert.equal(tabs.length, 11);  // with the Bimtek tab
    for (const tab of tabs) {
      const button = phone.locator(`[data-tab=${tab}]`);
      const box = await button.boundingBox();
      assert.ok(box && box.height >= 40 && box.x >= 0 && box.x + box.width <= 390, `tab ${tab}: ${JSON.stringify(box)}`);
      await button.tap();
      await phone.locator(`[data-tab=${tab}][aria-selected=true]`).waitFor({ timeout: 2000 });
      await noHorizontalScroll(phone, `tab ${tab}`);
    }
    // The header: the city's name is not covered by the status badge.
    const title = await phone.locator('.plan-title').boundingBox();
    const badge = await phone.locator('[data-testid=status]').boundingBox();
    const overlap = !(badge.x >= title.x + title.width || badge.x + badge.width <= title.x || badge.y >= title.y + title.height || badge.y + badge.height <= title.y);
    assert.ok(!overlap, `status badge ${JSON.stringify(badge)} covers the city ${JSON.stringify(title)}`);
  });

  it('the invitee edits a program of Diskominfo and is refused on another OPD’s program', async () => {
    await phone.locator('[data-tab=programs]').tap();
    const own = phone.locator(`[data-field="program/${OWN}/title"]`);
    await own.waitFor();
    const title = 'Fiber optik sampai kelurahan dan nagari';
    await own.fill(title);
    await own.press('Enter');
    await phone.waitForFunction(
      ([id, t]) => window.rembuk.serverState.programs.find((p) => p.programId === id)?.title === t && window.rembuk.pending.length === 0,
      [OWN, title],
      { timeout: 5000 },
    );
    // Seen by the admin too.
    await admin.waitForFunction(([id, t]) => window.rembuk.serverState.programs.find((p) => p.programId === id)?.title === t, [OWN, title], { timeout: 5000 });
    await noHorizontalScroll(phone, 'programs after an edit');
    await browsers.shot(phone, '43-phone-edit');
    // Another OPD's program: read-only in the browser, and the server refuses it too.
    assert.ok(await phone.locator(`[data-field="program/${OTHER}/title"]`).isDisabled());
    const outcome = await phone.evaluate(
      (id) => window.rembuk.client.submit('padang-2019', { type: 'UpdateProgram', programId: id, title: 'Bukan program kami' }),
      OTHER,
    );
    assert.equal(outcome.status, 'reject');
    assert.equal(outcome.code, 'forbidden');
  });

  it('refreshes the access token without dropping the WebSocket; an edit after it is acked', async () => {
    const [first, firstExpiry] = await phone.evaluate(() => [window.rembuk.accessToken, window.rembuk.session.expiresAtMs]);
    const [opened, helloed] = [sockets, hellos];
    await phone.waitForFunction((t) => window.rembuk.accessToken !== t, first, { timeout: TOKEN_TTL_S * 2000 });
    await phone.waitForFunction(() => window.rembuk.connection === 'open', null, { timeout: 5000 });
    assert.equal(sockets, opened, 'no reconnect for a refresh');
    assert.equal(hellos, helloed, 'no new hello for a refresh');
    assert.equal(sockets, 1);
    // Past the first token's lifetime the same socket still takes edits.
    await phone.waitForFunction((t) => Date.now() > t + 500, firstExpiry, { timeout: TOKEN_TTL_S * 2000 });
    const outcome = await phone.evaluate(
      (id) => window.rembuk.client.submit('padang-2019', { type: 'SetQuickWin', programId: id, quickWin: true }),
      OWN,
    );
    assert.equal(outcome.status, 'ack', JSON.stringify(outcome));
    assert.equal(sockets, 1);
  });

  it('signs out and in again on the phone; a wrong password is refused', async () => {
    await phone.locator('[data-testid=account]').tap();
    await phone.locator('[data-testid=sessions] li.current').waitFor({ timeout: 5000 });
    await phone.locator('[data-testid=sign-out]').tap();
    const signin = phone.locator('[data-testid=signin]');
    await signin.waitFor({ timeout: 10000 });
    assert.match(await phone.locator('[data-testid=signin-notice]').textContent(), /keluar/);
    await noHorizontalScroll(phone, 'sign-in page');
    await signin.locator('input[name=user]').fill(invitee);
    await signin.locator('input[name=password]').fill('kata-sandi-yang-salah');
    await signin.locator('button[type=submit]').tap();
    await phone.locator('[data-testid=auth-error]', { hasText: 'salah' }).waitFor({ timeout: 5000 });
    await browsers.shot(phone, '44-phone-signin-refused');
    await signin.locator('input[name=password]').fill(PASSWORD);
    await signin.locator('button[type=submit]').tap();
    await editorOpen(phone);
    assert.equal(await phone.evaluate(() => window.rembuk.welcome.user), invitee);
  });

  it('a used link and a withdrawn one say which, in Indonesian and English', async () => {
    // The admin makes a second invitation and withdraws it.
    await admin.locator('[data-testid=invite-form] select[name=role]').selectOption('viewer');
    await admin.locator('[data-testid=invite-form] button[type=submit]').click();
    await admin.waitForFunction((old) => document.querySelector('[data-testid=invite-link] input')?.value !== old, inviteUrl, { timeout: 5000 });
    const withdrawnUrl = await admin.locator('[data-testid=invite-link] input').inputValue();
    const pending = admin.locator('[data-testid=invitation-list] li[data-status=pending]');
    await pending.first().waitFor({ timeout: 5000 });
    assert.equal(await pending.count(), 1);
    await pending.locator('[data-withdraw]').click();
    await pending.first().waitFor({ state: 'detached', timeout: 5000 });
    await admin.locator('[data-testid=invitation-list] li[data-status=used]').waitFor({ timeout: 5000 });

    const other = await browsers.context('stranger', 'phone');
    for (const [url, status, id, en] of [
      [inviteUrl, 'used', /sudah dipakai/, /already used/],
      [withdrawnUrl, 'withdrawn', /sudah ditarik/, /withdrawn/],
    ]) {
      await other.goto(url);
      const gone = other.locator(`[data-testid=invitation-gone][data-status=${status}]`);
      await gone.waitFor({ timeout: 10000 });
      const text = await gone.textContent();
      assert.match(text, id);
      assert.match(text, en);
      await noHorizontalScroll(other, `${status} invitation page`);
    }
    await browsers.shot(other, '45-phone-invitation-withdrawn');
  });

  it('the admin disables the account and the invitee’s editor shows it was signed out', async () => {
    const row = admin.locator(`[data-testid=members] tr[data-member="${invitee}"]`);
    await row.locator('[data-account=active]').waitFor({ timeout: 5000 });
    const started = Date.now();
    await row.locator('[data-account-action=disable]').click();
    const notice = phone.locator('[data-testid=signin-notice]');
    await notice.waitFor({ timeout: 5000 });
    const elapsed = Date.now() - started;
    assert.match(await notice.textContent(), /dikeluarkan/);
    await row.locator('[data-account=disabled]').waitFor({ timeout: 5000 });
    await browsers.shot(phone, '46-phone-signed-out');
    await browsers.shot(admin, '47-account-disabled');
    // Signing in again is refused.
    const signin = phone.locator('[data-testid=signin]');
    await signin.locator('input[name=user]').fill(invitee);
    await signin.locator('input[name=password]').fill(PASSWORD);
    await signin.locator('button[type=submit]').tap();
    await phone.locator('[data-testid=auth-error]', { hasText: 'dinonaktifkan' }).waitFor({ timeout: 5000 });
    assert.ok(elapsed < 5000, `signed out after ${elapsed} ms`);
    assert.deepEqual(browsers.errors, []);
  });
});
