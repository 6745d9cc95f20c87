// First step of `npm test`: the browser tests drive Debian's chromium (/usr/bin/chromium), so a
// fresh machine (CI) installs it here with apt-get, as root or through password-less sudo.
// Idempotent: it does nothing when chromium is there. Where it cannot install, CI fails with a
// message saying so; a developer's machine goes on and the browser tests say they were skipped.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const CHROMIUM = process.env.SYNACK_CHROMIUM ?? '/usr/bin/chromium';
const inCi = Boolean(process.env.CI);

if (existsSync(CHROMIUM)) process.exit(0);

function cannot(why) {
  const message =
    `ensure-chromium: ${CHROMIUM} is missing and ${why}.\n` +
    "  The browser tests (test/web/) need Debian's chromium: install it with `sudo apt-get install chromium`.";
  if (inCi) {
    console.error(`${message}\n  CI needs it: failing.`);
    process.exit(1);
  }
  console.error(`${message}\n  Going on: the browser tests will be skipped.`);
  process.exit(0);
}

const which = (name) => spawnSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).status === 0;

if (process.platform !== 'linux' || !which('apt-get')) cannot('this is not a Debian-like system with apt-get');

let prefix = [];
if (process.getuid?.() !== 0) {
  if (which('sudo') && spawnSync('sudo', ['-n', 'true']).status === 0) prefix = ['sudo', '-n'];
  else cannot('installing it needs root (run as root, or with password-less sudo)');
}

function apt(args) {
  const [command, ...rest] = [...prefix, 'apt-get', ...args];
  console.error(`ensure-chromium: ${[command, ...rest].join(' ')}`);
  const r = spawnSync(command, rest, {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  });
  return r.status === 0;
}

const install = ['install', '-y', '-q', 'chromium'];
// The package lists of a fresh machine may be empty or old: update once when the first try fails.
if (!apt(install)) {
  if (!apt(['update', '-q']) || !apt(install)) cannot('`apt-get install chromium` failed (see above)');
}
if (!existsSync(CHROMIUM)) cannot(`apt-get installed chromium but ${CHROMIUM} is not there`);
console.error(`ensure-chromium: installed ${CHROMIUM}`);
