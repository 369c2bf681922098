// Headless Chromium contexts on the editor for the browser tests: one persistent context per
// user (their own storage), opened logged in on a masterplan; screenshots into artifacts/;
// page errors collected so a test can assert there were none.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { repoRoot } from './rembuk-server.mjs';

export const artifacts = join(repoRoot, 'tests', 'browser', 'artifacts');
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

export class Browsers {
  constructor(server, masterplan) {
    this.server = server;
    this.masterplan = masterplan;
    this.contexts = [];
    this.dirs = [];
    this.errors = [];
  }

  /**
   * Opens the editor as `user` and waits until the state is loaded and the socket open; with
   * `size` ('desktop' or 'phone', see `context`) at that size, else on a large desk.
   */
  async open(user, token, { lang = 'id', size } = {}) {
    const page = size ? await this.context(user, size) : await this.desk(user);
    await page.goto(`${this.server.base}/#token=${token}&masterplan=${this.masterplan}&lang=${lang}`);
    await page.waitForFunction(() => window.rembuk?.serverState && window.rembuk.connection === 'open', null, { timeout: 15000 });
    return page;
  }

  async desk(user) {
    const dir = mkdtempSync(join(tmpdir(), `rembuk-chromium-${user}-`));
    this.dirs.push(dir);
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: { width: 1440, height: 960 },
      deviceScaleFactor: 1,
    });
    this.contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => this.errors.push(`${user}: ${e.message}`));
    return page;
  }

  /**
   * A fresh context for `user` at `size` ('desktop' 1280×800, or 'phone' 390×844 with touch),
   * not yet on any page (for the sign-in and invitation pages).
   */
  async context(user, size = 'desktop') {
    const dir = mkdtempSync(join(tmpdir(), `rembuk-chromium-${user}-`));
    this.dirs.push(dir);
    const phone = size === 'phone';
    const context = await chromium.launchPersistentContext(dir, {
      executablePath: chromiumPath,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: phone ? { width: 390, height: 844 } : { width: 1280, height: 800 },
      deviceScaleFactor: 1,
      isMobile: phone,
      hasTouch: phone,
    });
    this.contexts.push(context);
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => this.errors.push(`${user}: ${e.message}`));
    return page;
  }

  async shot(page, name) {
    await page.screenshot({ path: join(artifacts, `${name}.png`) });
  }

  async close() {
    for (const c of this.contexts) await c.close().catch(() => {});
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
  }
}
