// `synack ui [FILE]`: the web UI. Builds the app when it is missing or older than its sources,
// serves it with the capture (the bundled sample by default) on 127.0.0.1, prints the URL, opens
// a browser when there is one, and runs until Ctrl-C.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../server/app-dir.js';
import { startServer, type RunningServer } from '../server/server.js';
import { UsageError } from './args.js';
import type { Output } from './stdout.js';

/** The port tried first when none is given; taken, a free one is used instead. */
export const DEFAULT_UI_PORT = 8742;

export const UI_HELP = `Usage: synack ui [<file>] [--port N] [--host H] [--no-open]

Opens synack's web UI on a capture (the bundled sample samples/http-handshake.pcap when none is
given): the packet list, the selected packet's details and its bytes, in the browser. The capture
is parsed in the page itself; the local server only hands it over.

  --port N      listen on port N (default ${DEFAULT_UI_PORT}, or a free port when that one is taken;
                0: always a free port)
  --host H      listen on address H (default 127.0.0.1; anything else lets other machines read
                the capture)
  --no-open     print the URL but do not start a browser

Stop it with Ctrl-C.
`;

interface UiOptions {
  file: string | undefined;
  port: number | undefined;
  host: string;
  open: boolean;
}

function parseUiArgs(argv: string[]): UiOptions | 'help' {
  const options: UiOptions = { file: undefined, port: undefined, host: '127.0.0.1', open: true };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = (): string => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new UsageError(`${name} needs a value`);
      return v;
    };
    if (name === '-h' || name === '--help') return 'help';
    else if (name === '--no-open') options.open = false;
    else if (name === '--port') {
      const text = value();
      const port = Number(text);
      if (!/^\d+$/.test(text) || port > 65535)
        throw new UsageError(`--port needs a port number from 0 to 65535, not ${text}`);
      options.port = port;
    } else if (name === '--host') options.host = value();
    else if (arg.startsWith('-') && arg !== '-') throw new UsageError(`unknown option ${arg} for synack ui`);
    else if (options.file === undefined) options.file = arg;
    else throw new UsageError(`synack ui opens one capture; got ${options.file} and ${arg}`);
  }
  if (options.file === '-') throw new UsageError('synack ui needs a capture file; it cannot read standard input');
  return options;
}

/** Newest modification time of the files under dir (0 when it does not exist). */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile() && !entry.parentPath.includes('node_modules')) {
      newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
    }
  }
  return newest;
}

/** Runs the build script when dist/web is missing, or older than web/ and src/core/ in a checkout. */
function ensureApp(root: string): void {
  const index = join(root, 'dist', 'web', 'index.html');
  const sources = existsSync(join(root, 'web'))
    ? Math.max(newestMtime(join(root, 'web')), newestMtime(join(root, 'src', 'core')))
    : 0;
  if (existsSync(index) && statSync(index).mtimeMs >= sources) return;
  process.stderr.write('synack ui: building the web app (dist/web) ...\n');
  // Its output goes to stderr: stdout carries only the URL line, for scripts that read it.
  const r = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: ['ignore', 2, 2] });
  if (r.status !== 0 || !existsSync(index)) {
    throw new Error(`could not build the web app (dist/web); run \`npm install\` in ${root}, then \`npm run build\``);
  }
}

/** Starts a browser on url if this machine has a way to; never fails. */
function openBrowser(url: string): void {
  let command: string;
  let args: string[];
  if (process.platform === 'darwin') [command, args] = ['open', [url]];
  else if (process.platform === 'win32') [command, args] = ['cmd', ['/c', 'start', '""', url]];
  else if (process.env.DISPLAY || process.env.WAYLAND_DISPLAY) [command, args] = ['xdg-open', [url]];
  else return; // no desktop: the printed URL is all we can do
  try {
    const child = spawn(command, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No opener installed: the URL is printed.
  }
}

async function listen(options: UiOptions, capture: string): Promise<RunningServer> {
  const port = options.port ?? DEFAULT_UI_PORT;
  try {
    return await startServer({ capture, host: options.host, port });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE' && options.port === undefined)
      return startServer({ capture, host: options.host, port: 0 });
    if (code === 'EADDRINUSE')
      throw new UsageError(`port ${port} is in use; choose another with --port N (0: any free port)`);
    if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN') {
      throw new UsageError(`cannot listen on ${options.host}: not an address of this machine`);
    }
    throw err;
  }
}

export async function runUi(argv: string[], out: Output): Promise<number> {
  const options = parseUiArgs(argv);
  if (options === 'help') {
    out.write(UI_HELP);
    await out.end();
    return 0;
  }
  const root = packageRoot();
  const capture = options.file ?? join(root, 'samples', 'http-handshake.pcap');
  if (!existsSync(capture)) throw new UsageError(`cannot open ${capture}: no such file`);
  if (statSync(capture).isDirectory())
    throw new UsageError(`cannot open ${capture}: it is a folder, not a capture file`);
  let server: RunningServer;
  try {
    ensureApp(root);
    server = await listen(options, capture);
  } catch (err) {
    if (err instanceof UsageError) throw err;
    process.stderr.write(`synack ui: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
  out.line(`synack UI: ${server.url}`);
  await out.end();
  if (options.host !== '127.0.0.1' && options.host !== 'localhost' && options.host !== '::1') {
    process.stderr.write(`synack ui: listening on ${options.host}: other machines can read ${capture}\n`);
  }
  process.stderr.write('Press Ctrl-C to stop.\n');
  if (options.open && !process.env.CI) openBrowser(server.url);

  await new Promise<void>((resolveStop) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      server.close().then(resolveStop, resolveStop);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}
