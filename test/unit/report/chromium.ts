import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

/**
 * Headless Chromium (Debian's `chromium` package) driven over the DevTools protocol on a pipe
 * (`--remote-debugging-pipe`: JSON messages ending in NUL, we write fd 3, Chromium writes fd 4).
 * No WebSocket, no extra dependency.
 */

const CHROMIUM_PATH = process.env['FAULTLINE_CHROMIUM'] ?? '/usr/bin/chromium';
const COMMAND_TIMEOUT_MS = 30_000;
const RENDER_POLL_MS = 100;
const RENDER_POLLS = 100;

/** The browser's path; throws a clear error when it is not installed (CI runs scripts/setup.sh first). */
export function requireChromium(): string {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`chromium is not installed at ${CHROMIUM_PATH}: run scripts/setup.sh (it installs Debian's chromium package), or set FAULTLINE_CHROMIUM`);
  }
  return CHROMIUM_PATH;
}

interface Message {
  id?: number;
  method?: string;
  sessionId?: string;
  params?: Record<string, unknown>;
  result?: Record<string, unknown>;
  error?: { message: string };
}

class DevTools {
  private nextId = 1;
  private buffer = '';
  private readonly waiting = new Map<number, { resolve: (r: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  readonly events: Message[] = [];
  private readonly listeners: ((m: Message) => void)[] = [];

  constructor(private readonly input: Writable, output: Readable) {
    output.setEncoding('utf8');
    output.on('data', (chunk: string) => this.receive(chunk));
  }

  private receive(chunk: string): void {
    this.buffer += chunk;
    for (let end = this.buffer.indexOf('\0'); end >= 0; end = this.buffer.indexOf('\0')) {
      const message = JSON.parse(this.buffer.slice(0, end)) as Message;
      this.buffer = this.buffer.slice(end + 1);
      const waiter = message.id === undefined ? undefined : this.waiting.get(message.id);
      if (waiter !== undefined && message.id !== undefined) {
        this.waiting.delete(message.id);
        if (message.error) waiter.reject(new Error(message.error.message));
        else waiter.resolve(message.result ?? {});
      } else if (message.method !== undefined) {
        this.events.push(message);
        for (const l of this.listeners) l(message);
      }
    }
  }

  send(method: string, params: Record<string, unknown> = {}, sessionId?: string): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    this.input.write(JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }) + '\0');
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: no answer from chromium in ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
      this.waiting.set(id, {
        resolve: (r) => {
          clearTimeout(timer);
          resolve(r);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
    });
  }

  waitFor(method: string): Promise<Message> {
    const seen = this.events.find((e) => e.method === method);
    if (seen) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${method}: not seen in ${COMMAND_TIMEOUT_MS} ms`)), COMMAND_TIMEOUT_MS);
      this.listeners.push((m) => {
        if (m.method === method) {
          clearTimeout(timer);
          resolve(m);
        }
      });
    });
  }
}

export interface PageRun {
  /** Console errors, uncaught exceptions and error log entries (e.g. a failed load). */
  errors: string[];
  /** URLs requested that are not the page itself or data: URLs (a self-contained page requests none). */
  requests: string[];
  /** The value of `probe` evaluated in the page after it rendered. */
  facts: unknown;
  screenshotPng: Buffer;
}

function launch(userDataDir: string): ChildProcess {
  const args = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', `--user-data-dir=${userDataDir}`, '--remote-debugging-pipe', 'about:blank'];
  // Its own process group: the cleanup kills the browser and every helper it started (zygote, renderers).
  return spawn(requireChromium(), args, { stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'], detached: true });
}

function exceptionText(details: unknown): string {
  const d = details as { text?: string; exception?: { description?: string } } | undefined;
  return d?.exception?.description ?? d?.text ?? JSON.stringify(details);
}

function collectProblems(dev: DevTools, pageUrl: string): { errors: string[]; requests: string[] } {
  const errors: string[] = [];
  const requests: string[] = [];
  for (const e of dev.events) {
    const p = e.params ?? {};
    if (e.method === 'Runtime.consoleAPICalled' && (p['type'] === 'error' || p['type'] === 'assert')) errors.push(`console.${p['type']}: ${JSON.stringify(p['args'])}`);
    if (e.method === 'Runtime.exceptionThrown') errors.push(`exception: ${exceptionText(p['exceptionDetails'])}`);
    if (e.method === 'Log.entryAdded' && (p['entry'] as { level?: string } | undefined)?.level === 'error') errors.push(`log: ${JSON.stringify(p['entry'])}`);
    if (e.method === 'Network.requestWillBeSent') {
      const url = (p['request'] as { url?: string } | undefined)?.url ?? '';
      if (url !== pageUrl && !url.startsWith('data:')) requests.push(url);
    }
  }
  return { errors, requests };
}

/**
 * Opens `htmlPath` in headless Chromium at `widthPx`, waits until `readyExpression` is true (bounded),
 * evaluates `probe` (an expression returning JSON-able data) and takes a full-page screenshot.
 */
export async function openInChromium(htmlPath: string, readyExpression: string, probe: string, widthPx = 1280): Promise<PageRun> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
  const child = launch(userDataDir);
  const stderr: string[] = [];
  child.stderr?.on('data', (d: Buffer) => stderr.push(d.toString()));
  const dev = new DevTools(child.stdio[3] as Writable, child.stdio[4] as Readable);
  const exited = new Promise<never>((_, reject) => child.on('exit', (code) => reject(new Error(`chromium exited (${code}): ${stderr.join('').slice(-2000)}`))));
  try {
    return await Promise.race([exited, drive(dev, pathToFileURL(htmlPath).href, readyExpression, probe, widthPx)]);
  } finally {
    const gone = new Promise<void>((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) resolve();
      else child.once('exit', () => resolve());
    });
    killGroup(child);
    // Helpers may still write to the profile for a moment: wait for the exit (bounded), then remove with retries
    // (CI once saw ENOTEMPTY when the removal raced a helper's last write).
    await Promise.race([gone, new Promise<void>((resolve) => setTimeout(resolve, CHROMIUM_EXIT_WAIT_MS).unref())]);
    killGroup(child);
    rmSync(userDataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
  }
}

/** SIGKILL to the browser's process group (the browser when the group is gone already). */
function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    child.kill('SIGKILL');
  }
}

/** How long the profile's removal waits for a killed Chromium to exit. */
const CHROMIUM_EXIT_WAIT_MS = 5_000;

async function drive(dev: DevTools, url: string, readyExpression: string, probe: string, widthPx: number): Promise<PageRun> {
  const { targetId } = await dev.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = (await dev.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
  const send = (method: string, params: Record<string, unknown> = {}): Promise<Record<string, unknown>> => dev.send(method, params, sessionId);
  await Promise.all(['Runtime.enable', 'Log.enable', 'Page.enable', 'Network.enable'].map((m) => send(m)));
  await send('Emulation.setDeviceMetricsOverride', { width: widthPx, height: 900, deviceScaleFactor: 1, mobile: false });
  await send('Page.navigate', { url });
  await dev.waitFor('Page.loadEventFired');
  const evaluate = async (expression: string): Promise<unknown> => ((await send('Runtime.evaluate', { expression, returnByValue: true })) as { result: { value?: unknown } }).result.value;
  for (let i = 0; i < RENDER_POLLS && (await evaluate(readyExpression)) !== true; i++) await new Promise((r) => setTimeout(r, RENDER_POLL_MS));
  const facts = await evaluate(probe);
  const metrics = (await send('Page.getLayoutMetrics')) as { cssContentSize: { height: number } };
  await send('Emulation.setDeviceMetricsOverride', { width: widthPx, height: Math.ceil(metrics.cssContentSize.height), deviceScaleFactor: 1, mobile: false });
  const shot = (await send('Page.captureScreenshot', { format: 'png' })) as { data: string };
  return { ...collectProblems(dev, url), facts, screenshotPng: Buffer.from(shot.data, 'base64') };
}
