/**
 * End-to-end harness: the built extension inside code-server (the real VS Code workbench), driven
 * through Debian's Chromium by playwright-core. The desktop build runs in code-server's Node extension
 * host; the web build, installed browser-only, in its web worker extension host (`E2E_BUILD=web`).
 * One editor and one browser serve the whole suite; `stop()` kills code-server's whole process group
 * even when a test failed.
 */
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import {
  installExtension,
  root,
  startCodeServer,
  type Build,
  type CodeServer,
} from '../../scripts/code-server.mjs';

const fixturesDir = join(__dirname, 'fixtures');
const resultsDir = join(root, 'test-results');
const chromiumPath = '/usr/bin/chromium';
const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** User settings that keep the workbench quiet and hovers quick. */
const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.enableExperiments': false,
  'workbench.colorTheme': 'Default Dark Modern',
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'chat.disableAIFeatures': true,
  'editor.hover.delay': 200,
  'editor.minimap.enabled': false,
  'editor.wordWrap': 'off',
  'git.enabled': false,
  'files.autoSave': 'off',
};

/** The build under test: `E2E_BUILD=web` runs the same suite against the web build (package.json `test:e2e`). */
export function buildUnderTest(): Build {
  const build = process.env.E2E_BUILD ?? 'desktop';
  if (build !== 'desktop' && build !== 'web') throw new Error(`E2E_BUILD is desktop or web, not ${build}`);
  return build;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

/** Where `needle` starts in `text`, 1-based, as VS Code's "Go to Line/Column" takes it. */
export function positionOf(text: string, needle: string): { line: number; column: number } {
  const index = text.indexOf(needle);
  if (index < 0) throw new Error(`fixture does not contain ${JSON.stringify(needle)}`);
  const before = text.slice(0, index).split('\n');
  return { line: before.length, column: before[before.length - 1].length + 1 };
}

export class Editor {
  /** Content-Security-Policy violations reported by the webviews (ours are the only webviews opened). */
  readonly cspViolations: string[] = [];

  private constructor(
    readonly page: Page,
    readonly workspace: string,
    private readonly browser: Browser,
    private readonly server: CodeServer,
    private readonly tempDir: string,
  ) {}

  /** Starts code-server with the build of the extension and a copy of the fixtures, and opens the workbench. */
  static async start(build: Build = buildUnderTest()): Promise<Editor> {
    if (!existsSync(chromiumPath)) {
      throw new Error(`${chromiumPath} missing: install the Debian package (apt-get install -y chromium)`);
    }
    const tempDir = mkdtempSync(join(tmpdir(), 'jacobian-lens-e2e-'));
    const workspace = join(tempDir, 'workspace');
    const userDataDir = join(tempDir, 'user-data');
    const extensionsDir = join(tempDir, 'extensions');
    cpSync(fixturesDir, workspace, { recursive: true });
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(baseSettings, null, 2));
    installExtension(extensionsDir, build);

    const server = await startCodeServer({ workspace, userDataDir, extensionsDir });
    let browser: Browser | undefined;
    try {
      browser = await chromium.launch({ executablePath: chromiumPath, args: chromiumFlags });
      const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${server.url}/?folder=${encodeURIComponent(workspace)}`);
      await page.waitForSelector('.monaco-workbench', { timeout: 60_000 });
      // The explorer lists the workspace once the remote file service answers.
      await page.waitForSelector('.explorer-folders-view .monaco-list-row', { timeout: 60_000 });
      const editor = new Editor(page, workspace, browser, server, tempDir);
      page.on('console', (message) => {
        if (/Content.Security.Policy/i.test(message.text()) && /webview/i.test(message.location().url))
          editor.cspViolations.push(message.text());
      });
      return editor;
    } catch (error) {
      await browser?.close().catch(() => undefined);
      await server.stop();
      throw new Error(`${(error as Error).message}\ncode-server output:\n${server.output()}`, {
        cause: error,
      });
    }
  }

  async stop(): Promise<void> {
    await this.browser.close().catch(() => undefined);
    await this.server.stop();
    rmSync(this.tempDir, { recursive: true, force: true });
  }

  /** code-server's output (including the extension host's log lines), for failure messages. */
  log(): string {
    return this.server.output();
  }

  fixture(name: string): string {
    return readFileSync(join(this.workspace, name), 'utf8');
  }

  /** Switches the colour theme the way a person does: F1, "Preferences: Color Theme", the theme. */
  async setColorTheme(theme: string, workbenchClass: 'vs' | 'vs-dark'): Promise<void> {
    await this.runCommand('Preferences: Color Theme');
    await this.pick(theme);
    await this.page.waitForSelector(`.monaco-workbench.${workbenchClass}`);
  }

  async screenshot(name: string): Promise<void> {
    mkdirSync(resultsDir, { recursive: true });
    await this.page.screenshot({ path: join(resultsDir, `${name.replace(/[^\w-]+/g, '-')}.png`) });
  }

  /** Opens a workspace file through Quick Open and waits until its editor has focus. */
  async open(name: string): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(name);
    // Click the file's row: Enter could land on another row while the list is still being filtered.
    await this.page.locator(`.quick-input-list .monaco-list-row[aria-label*="${name}"]`).first().click();
    await this.page.waitForSelector(`.tab.active[aria-label*="${name}"]`);
    await this.page.waitForSelector('.editor-group-container.active .monaco-editor.focused');
  }

  async closeAllEditors(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.runCommand('View: Close All Editor Groups');
    await this.page.waitForSelector('.tab', { state: 'detached' });
  }

  /** F1, the command's title, Enter. */
  async runCommand(title: string): Promise<void> {
    await this.page.keyboard.press('F1');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`>${title}`);
    const row = this.page.locator('.quick-input-list .monaco-list-row', { hasText: title }).first();
    await row.waitFor({ state: 'visible' });
    await row.click();
    // The palette closes, or turns into the command's own quick pick (no longer the `>` prompt).
    await this.page.waitForFunction(() => {
      const box = document.querySelector<HTMLInputElement>('.quick-input-widget input');
      return !box || box.offsetParent === null || !box.value.startsWith('>');
    });
  }

  /** Picks an entry in the quick pick a command opened. */
  async pick(label: string): Promise<void> {
    const input = this.page.locator('.quick-input-widget input');
    await input.fill(label);
    await this.page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first().click();
    await input.waitFor({ state: 'hidden' });
  }

  /** Moves the cursor of the active editor to a 1-based line and column ("Go to Line/Column"). */
  async goTo(line: number, column: number): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = this.page.locator('.quick-input-widget input');
    await input.waitFor({ state: 'visible' });
    await input.fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await input.waitFor({ state: 'hidden' });
    await this.page.waitForFunction(
      (expected) =>
        document
          .querySelector('.statusbar-item[id$="status.editor.selection"]')
          ?.textContent?.includes(expected),
      `Ln ${line}, Col ${column}`,
    );
  }

  /** Selects `length` characters starting at a 1-based position. */
  async select(line: number, column: number, length: number): Promise<void> {
    await this.goTo(line, column);
    for (let i = 0; i < length; i++) await this.page.keyboard.press('Shift+ArrowRight');
  }

  /**
   * Puts the mouse over the character at a 1-based position (found through the cursor's pixel
   * position, so the test needs no knowledge of Monaco's token spans) and returns the hover that
   * appears, or undefined when none does within `waitMs`.
   */
  async hoverAt(line: number, column: number, waitMs = 8000): Promise<Hover | undefined> {
    await this.page.mouse.move(5, 5);
    await this.page.keyboard.press('Escape');
    await this.page
      .locator('.monaco-hover:visible')
      .waitFor({ state: 'hidden' })
      .catch(() => undefined);
    await this.goTo(line, column);
    const cursor = await this.page
      .locator('.editor-group-container.active .monaco-editor.focused .cursor')
      .first()
      .boundingBox();
    if (!cursor) throw new Error('no cursor in the active editor');
    // A few pixels right of the cursor is the middle of the character after it.
    const x = cursor.x + 4;
    const y = cursor.y + cursor.height / 2;
    await this.page.mouse.move(x, y, { steps: 3 });
    const hover = this.page.locator('.monaco-hover:visible .monaco-hover-content').first();
    try {
      await hover.waitFor({ state: 'visible', timeout: waitMs / 2 });
    } catch {
      // A mouse move can be lost while the editor lays out; nudge it, as a person would.
      await this.page.mouse.move(x + 1, y);
      try {
        await hover.waitFor({ state: 'visible', timeout: waitMs / 2 });
      } catch {
        return undefined;
      }
    }
    // The hover says "Loading..." until every provider (a language server, ours) has answered.
    await this.page
      .waitForFunction(
        (element) => !(element as HTMLElement).innerText.includes('Loading...'),
        await hover.elementHandle(),
        { timeout: 15_000 },
      )
      .catch(() => undefined);
    // A hover that every provider answered with nothing closes after "Loading...": there is none.
    if (!(await hover.isVisible())) return undefined;
    return hover
      .evaluate(
        (element) => {
          const images = [...element.querySelectorAll('img')].map((img) => ({
            src: img.getAttribute('src') ?? '',
            alt: img.getAttribute('alt') ?? '',
          }));
          const background = getComputedStyle(element.closest('.monaco-hover') ?? element).backgroundColor;
          return { text: (element as HTMLElement).innerText, images, background };
        },
        undefined,
        { timeout: 2000 },
      )
      .catch(() => undefined);
  }

  /** The page's Web Workers (the web extension host's own included): each one's name, and whether it has Node's `process`. */
  async workers(): Promise<{ name: string; node: boolean }[]> {
    const found = await Promise.all(
      this.page.workers().map((worker) =>
        worker
          .evaluate(() => ({
            name: self.name,
            node: typeof (globalThis as { process?: unknown }).process !== 'undefined',
          }))
          .catch(() => undefined),
      ),
    );
    return found.filter((worker) => worker !== undefined);
  }

  /** The webview frame that contains `selector`, waiting for it to appear. */
  async webviewFrame(selector: string, timeoutMs = 15_000): Promise<Frame> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      for (const frame of this.page.frames()) {
        if (frame === this.page.mainFrame()) continue;
        if (await frame.$(selector).catch(() => null)) return frame;
      }
      await sleep(200);
    }
    throw new Error(`no webview frame contains ${selector}`);
  }
}

export interface Hover {
  readonly text: string;
  readonly images: readonly { readonly src: string; readonly alt: string }[];
  /** The hover widget's computed background colour (`rgb(...)`). */
  readonly background: string;
}

/** Decodes an `<img src="data:image/svg+xml...">` into the SVG's text. */
export function svgOf(src: string): string {
  const match = /^data:image\/svg\+xml(;base64)?,(.*)$/s.exec(src);
  if (!match) throw new Error(`not an SVG data URL: ${src.slice(0, 40)}`);
  return match[1] ? Buffer.from(match[2], 'base64').toString('utf8') : decodeURIComponent(match[2]);
}
