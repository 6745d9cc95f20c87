// `npm run bench`: times synack against tshark and tcpdump on the same generated capture and checks the
// performance targets (packets/s ratios, peak RSS). Cases are data: add one to CASES, a goal to TARGETS.
//
//   node bench/run.mjs [--packets N | --quick] [--only NAME[,NAME]] [--tools synack,tshark,tcpdump] [--runs N] [--timeout S] [--no-ui]

import { spawn, spawnSync } from 'node:child_process';
import {
  accessSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { setInterval, clearInterval } from 'node:timers';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';

const ROOT = dirname(dirname(fileURLToPath(import.meta.url)));
const OUT = join(ROOT, 'bench', 'out');
const SEED = 0x5eed;

const FIELDS = ['frame.number', 'ip.src', 'ip.dst', 'tcp.srcport', 'tcp.dstport', 'tcp.flags'];
const fieldArgs = ['-T', 'fields', ...FIELDS.flatMap((field) => ['-e', field])];
// The HTTP case (issue 5): application fields from a capture of many HTTP exchanges (bench/generate-http.ts).
const httpArgs = ['-T', 'fields', '-e', 'http.request.uri', '-e', 'http.response.code'];
const analysisArgs = [
  '-T',
  'fields',
  ...['tcp.stream', 'tcp.seq', 'tcp.analysis.ack_rtt', 'tcp.analysis.flags'].flatMap((f) => ['-e', f]),
];

/**
 * What is timed: each case runs as `synack -r FILE ...synackArgs` and `tshark -r FILE ...tsharkArgs`
 * with standard output to /dev/null. Later cases (display filters, TCP analysis) go here.
 */
const CASES = [
  { name: 'fields', description: `-T fields -e ${FIELDS.join(' -e ')}`, synackArgs: fieldArgs, tsharkArgs: fieldArgs },
  { name: 'summary', description: 'default one-line-per-packet output', synackArgs: [], tsharkArgs: [] },
  // Display filters (issue 6); tshark 4.0 needs the commas in the set.
  ...[
    ['filter-syn', 'tcp.flags.syn == 1 && tcp.flags.ack == 0'],
    ['filter-mix', 'ip.addr == 10.0.0.0/8 && tcp.port in {80, 443} && frame.len > 100'],
  ].map(([name, filter]) => ({
    name,
    description: `-Y '${filter}' (packet list of the matches)`,
    synackArgs: ['-Y', filter],
    tsharkArgs: ['-Y', filter],
  })),
  // TCP analysis (issue 4): full sequence analysis, and the connection report against tshark's
  // TCP conversation table. `synackCommand`/`tsharkCommand` replace the usual `-r FILE ...args`.
  {
    name: 'analysis',
    description: '-T fields -e tcp.stream -e tcp.seq -e tcp.analysis.ack_rtt -e tcp.analysis.flags',
    synackArgs: analysisArgs,
    tsharkArgs: analysisArgs,
  },
  {
    name: 'http',
    capture: 'http',
    description: '-T fields -e http.request.uri -e http.response.code (HTTP capture)',
    synackArgs: httpArgs,
    tsharkArgs: httpArgs,
  },
  {
    name: 'connections',
    description: 'synack connections FILE vs tshark -q -z conv,tcp',
    synackCommand: (file) => ['connections', file],
    tsharkCommand: (file) => ['-r', file, '-q', '-z', 'conv,tcp'],
  },
];

/** The read-speed baseline every case is compared with: tcpdump copying the file to nowhere. */
const BASELINE = {
  name: 'read',
  description: 'tcpdump -nr FILE -w /dev/null',
  tcpdumpArgs: (file) => ['-nr', file, '-w', '/dev/null'],
};

/** Goals from the performance issue. `case` + `against`: a packets/s ratio; `rssBelowMb`: every synack run. */
const TARGETS = [
  { label: 'fields: synack >= 20x tshark packets/s', case: 'fields', against: 'tshark', atLeast: 20 },
  { label: 'fields: synack >= 1/4 of tcpdump read rate', case: 'fields', against: 'tcpdump', atLeast: 0.25 },
  { label: 'default output: synack >= 10x tshark packets/s', case: 'summary', against: 'tshark', atLeast: 10 },
  { label: 'filter-syn: synack >= 10x tshark packets/s', case: 'filter-syn', against: 'tshark', atLeast: 10 },
  { label: 'filter-mix: synack >= 10x tshark packets/s', case: 'filter-mix', against: 'tshark', atLeast: 10 },
  { label: 'analysis: synack >= 10x tshark packets/s', case: 'analysis', against: 'tshark', atLeast: 10 },
  { label: 'connections: synack >= 5x tshark -z conv,tcp', case: 'connections', against: 'tshark', atLeast: 5 },
  { label: 'http: synack >= 10x tshark packets/s', case: 'http', against: 'tshark', atLeast: 10 },
  {
    label: 'synack peak RSS < 200 MB (fields, summary, filters)',
    rssBelowMb: 200,
    cases: ['fields', 'summary', 'filter-syn', 'filter-mix'],
  },
  { label: 'synack peak RSS < 300 MB (analysis, connections)', rssBelowMb: 300, cases: ['analysis', 'connections'] },
  { label: 'synack peak RSS < 300 MB (http)', rssBelowMb: 300, cases: ['http'] },
];

const USAGE = `usage: node bench/run.mjs [options]
  --packets N         packets in the generated capture (default 1000000)
  --quick             same as --packets 100000
  --only NAME[,NAME]  run only these cases (${CASES.map((c) => c.name).join(', ')}, ui); the tcpdump baseline always runs
  --tools LIST        only these tools (synack,tshark,tcpdump; default all that are installed)
  --runs N            time every command N times and keep the fastest (default 1)
  --timeout SECONDS   give up on a run after this long (default 1800)
  --no-ui             skip the web UI figures (bench/ui.mjs: the capture in headless Chromium)
Results: a table on standard output and bench/out/results.json.`;

function parseArgs(argv) {
  const options = {
    packets: 1_000_000,
    only: null,
    tools: ['synack', 'tshark', 'tcpdump'],
    runs: 1,
    timeout: 1800,
    ui: true,
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [name, inline] = arg.startsWith('--') && arg.includes('=') ? arg.split(/=(.*)/s) : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) fail(`${name} needs a value`);
      return v;
    };
    if (name === '--packets') options.packets = Number(value());
    else if (name === '--quick') options.packets = 100_000;
    else if (name === '--only') options.only = value().split(',');
    else if (name === '--tools') options.tools = value().split(',');
    else if (name === '--runs') options.runs = Number(value());
    else if (name === '--timeout') options.timeout = Number(value());
    else if (name === '--no-ui') options.ui = false;
    else if (name === '-h' || name === '--help') {
      console.log(USAGE);
      process.exit(0);
    } else fail(`unknown option ${arg}`);
  }
  if (!Number.isInteger(options.packets) || options.packets < 1) fail('--packets needs a positive whole number');
  if (!Number.isInteger(options.runs) || options.runs < 1) fail('--runs needs a positive whole number');
  if (!(options.timeout > 0)) fail('--timeout needs a positive number of seconds');
  for (const name of options.only ?? []) {
    if (name !== 'ui' && !CASES.some((c) => c.name === name))
      fail(`no case named ${name}; the cases are ${CASES.map((c) => c.name).join(', ')}`);
  }
  return options;
}

function fail(message) {
  console.error(`bench: ${message}\n\n${USAGE}`);
  process.exit(1);
}

/** 1000000 -> "1m", 100000 -> "100k", anything else as is: names the cached file. */
function sizeLabel(packets) {
  if (packets % 1_000_000 === 0) return `${packets / 1_000_000}m`;
  if (packets % 1000 === 0) return `${packets / 1000}k`;
  return String(packets);
}

/** The captures the cases read: the mixed TCP traffic, and the HTTP exchanges of the http case. */
const CAPTURES = {
  tcp: { source: 'generate.ts', prefix: 'bench', generate: 'generateCapture' },
  http: { source: 'generate-http.ts', prefix: 'bench-http', generate: 'generateHttpCapture' },
};

/** Bundles a TypeScript generator (it uses synack's pcap writer) and loads it. */
async function loadGenerator(kind = 'tcp') {
  const { source } = CAPTURES[kind];
  const outfile = join(OUT, source.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(ROOT, 'bench', source)],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'warning',
    // Generated code: `eslint .` walks bench/out too.
    banner: { js: '/* eslint-disable */\n// Bundled by bench/run.mjs from bench/generate.ts; do not edit.' },
  });
  return import(`${pathToFileURL(outfile).href}?t=${Date.now()}`);
}

/** The capture for this packet count, generated unless a file from the same generator version is there. */
async function ensureCapture(packets, kind = 'tcp') {
  const generator = await loadGenerator(kind);
  const file = join(OUT, `${CAPTURES[kind].prefix}-${sizeLabel(packets)}.pcap`);
  const stampFile = `${file}.stamp.json`;
  const wanted = { generatorVersion: generator.GENERATOR_VERSION, packets, seed: SEED };
  if (existsSync(file) && existsSync(stampFile)) {
    try {
      const stamp = JSON.parse(readFileSync(stampFile, 'utf8'));
      const same = Object.entries(wanted).every(([key, value]) => stamp[key] === value);
      if (same && statSync(file).size === stamp.bytes) {
        console.log(`capture: ${rel(file)} (cached, generator v${stamp.generatorVersion}, ${describe(stamp)})`);
        return { file, ...stamp };
      }
    } catch {
      // An unreadable stamp means a fresh file.
    }
  }
  const started = performance.now();
  const partial = `${file}.partial`;
  const result = generator[CAPTURES[kind].generate]({ path: partial, packets, seed: SEED });
  renameSync(partial, file);
  const stamp = { ...wanted, ...result };
  writeFileSync(stampFile, JSON.stringify(stamp, null, 2) + '\n');
  const seconds = (performance.now() - started) / 1000;
  console.log(`capture: ${rel(file)} (generated in ${seconds.toFixed(1)} s, ${describe(stamp)})`);
  return { file, ...stamp };
}

function describe(stamp) {
  return `${stamp.packets} packets, ${stamp.connections} connections, ${(stamp.bytes / 1e6).toFixed(0)} MB, ${stamp.duration.toFixed(1)} s of traffic`;
}

function rel(path) {
  return path.startsWith(ROOT + '/') ? path.slice(ROOT.length + 1) : path;
}

function findExecutable(name) {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not in this directory
    }
  }
  return null;
}

function toolVersion(command, args) {
  const r = spawnSync(command, args, { encoding: 'utf8', timeout: 10000 });
  return (
    `${r.stdout ?? ''}${r.stderr ?? ''}`
      .split('\n')
      .find((line) => /\d+\.\d+/.test(line))
      ?.trim() ?? null
  );
}

/** The first line of stderr that says something (tshark's warning about running as root does not). */
function firstErrorLine(stderr) {
  return (
    stderr
      .split('\n')
      .map((line) => line.trim())
      .find((line) => line && !/^Running as user "root"/.test(line)) ?? ''
  );
}

const GNU_TIME = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/**
 * Runs command with stdout to /dev/null; wall clock from here, peak RSS from GNU time's %M (KiB),
 * or by polling /proc/PID/status VmHWM when GNU time is not installed.
 */
function timeRun(command, args, timeoutSeconds) {
  return new Promise((resolve) => {
    const timeFile = join(OUT, `time-${process.pid}.txt`);
    rmSync(timeFile, { force: true });
    const [file, argv] = GNU_TIME ? [GNU_TIME, ['-f', '%e %M', '-o', timeFile, command, ...args]] : [command, args];
    const started = performance.now();
    const child = spawn(file, argv, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text) => {
      if (stderr.length < 65536) stderr += text;
    });
    let polledKb = 0;
    const poll = GNU_TIME
      ? null
      : setInterval(() => {
          try {
            const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'));
            if (match) polledKb = Math.max(polledKb, Number(match[1]));
          } catch {
            // the process has just exited
          }
        }, 20);
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutSeconds * 1000);
    child.on('error', (err) => {
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      resolve({ ok: false, error: err.message });
    });
    child.on('close', (code, signal) => {
      const seconds = (performance.now() - started) / 1000;
      clearTimeout(timer);
      if (poll) clearInterval(poll);
      let peakKb = polledKb;
      let exitCode = code;
      if (GNU_TIME && existsSync(timeFile)) {
        const lines = readFileSync(timeFile, 'utf8').trim().split('\n');
        // GNU time writes "Command exited with non-zero status N" before its format line.
        const status = /non-zero status (\d+)/.exec(lines[0]);
        if (status) exitCode = Number(status[1]);
        const signalled = /terminated by signal (\d+)/.exec(lines[0]);
        if (signalled) exitCode = 128 + Number(signalled[1]);
        peakKb = Number(lines.at(-1).split(' ')[1]) || 0;
        rmSync(timeFile, { force: true });
      }
      const peakRssMb = peakKb ? peakKb / 1024 : null; // null: the process ended before it could be sampled
      if (timedOut) resolve({ ok: false, seconds, peakRssMb, error: `timed out after ${timeoutSeconds} s` });
      else if (exitCode !== 0 || signal) {
        const why = firstErrorLine(stderr) || (signal ? `killed by ${signal}` : `exit status ${exitCode}`);
        resolve({ ok: false, seconds, peakRssMb, error: why });
      } else resolve({ ok: true, seconds, peakRssMb });
    });
  });
}

/** Reads the file once so that no tool pays for the disk (the first one would otherwise). */
function warmPageCache(file) {
  const fd = openSync(file, 'r');
  const buffer = Buffer.allocUnsafe(8 << 20);
  try {
    while (readSync(fd, buffer, 0, buffer.length, null) > 0);
  } finally {
    closeSync(fd);
  }
}

/** Times one command `runs` times: the fastest successful run, the largest peak RSS; the first failure ends it. */
async function timeBest(command, args, options) {
  let best = null;
  for (let i = 0; i < options.runs; i++) {
    const result = await timeRun(command, args, options.timeout);
    if (!result.ok) return result;
    if (!best) best = result;
    else {
      const peakRssMb = result.peakRssMb === null ? best.peakRssMb : Math.max(result.peakRssMb, best.peakRssMb ?? 0);
      best = { ...best, seconds: Math.min(best.seconds, result.seconds), peakRssMb };
    }
  }
  return best;
}

async function main() {
  const options = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const capture = await ensureCapture(options.packets);
  const packets = capture.packets;
  const cases = CASES.filter((c) => !options.only || options.only.includes(c.name));
  const httpCapture = cases.some((c) => c.capture === 'http') ? await ensureCapture(options.packets, 'http') : null;
  const fileOf = (c) => (c.capture === 'http' ? httpCapture.file : capture.file);
  warmPageCache(capture.file);
  if (httpCapture) warmPageCache(httpCapture.file);
  const load = loadavg()[0];
  if (load > cpus().length / 2) {
    console.log(`note: load average ${load.toFixed(1)} on ${cpus().length} cores; other work will slow the runs down`);
  }

  const tools = {
    synack: { command: process.execPath, prefix: [join(ROOT, 'bin', 'synack')], display: 'bin/synack', version: null },
    tshark: { command: findExecutable('tshark'), prefix: [], display: 'tshark' },
    tcpdump: { command: findExecutable('tcpdump'), prefix: [], display: 'tcpdump' },
  };
  if (tools.tshark.command) tools.tshark.version = toolVersion(tools.tshark.command, ['--version']);
  if (tools.tcpdump.command) tools.tcpdump.version = toolVersion(tools.tcpdump.command, ['--version']);

  const plan = [];
  for (const c of cases) {
    const file = fileOf(c);
    const synackArgs = c.synackCommand ? c.synackCommand(file) : ['-r', file, ...c.synackArgs];
    const tsharkArgs = c.tsharkCommand ? c.tsharkCommand(file) : ['-r', file, ...c.tsharkArgs];
    plan.push({ case: c.name, tool: 'synack', args: synackArgs });
    plan.push({ case: c.name, tool: 'tshark', args: tsharkArgs });
  }
  plan.push({ case: BASELINE.name, tool: 'tcpdump', args: BASELINE.tcpdumpArgs(capture.file) });

  const runs = [];
  for (const step of plan) {
    const tool = tools[step.tool];
    const shown = `${tool.display} ${step.args.map((a) => (a === capture.file || a === httpCapture?.file ? rel(a) : a)).join(' ')}`;
    const run = { case: step.case, tool: step.tool, command: shown, packets };
    if (!options.tools.includes(step.tool)) {
      run.status = 'skipped (--tools)';
    } else if (!tool.command) {
      run.status = 'skipped (not installed)';
    } else {
      process.stdout.write(`running: ${shown} > /dev/null ... `);
      const result = await timeBest(tool.command, [...tool.prefix, ...step.args], options);
      run.seconds = result.seconds;
      run.peakRssMb = result.peakRssMb;
      if (result.ok) {
        run.status = 'ok';
        run.packetsPerSecond = packets / result.seconds;
        console.log(`${result.seconds.toFixed(2)} s`);
      } else {
        run.status = 'failed';
        run.error = result.error;
        console.log(`failed: ${result.error}`);
      }
    }
    runs.push(run);
  }

  const rate = (caseName, tool) => {
    const run = runs.find((r) => r.tool === tool && r.status === 'ok' && (tool === 'tcpdump' || r.case === caseName));
    return run ? run.packetsPerSecond : null;
  };
  for (const run of runs) {
    if (run.tool !== 'synack' || run.status !== 'ok') continue;
    const tshark = rate(run.case, 'tshark');
    const tcpdump = rate(run.case, 'tcpdump');
    run.vsTshark = tshark ? run.packetsPerSecond / tshark : null;
    run.vsTcpdump = tcpdump ? run.packetsPerSecond / tcpdump : null;
  }

  const targets = TARGETS.map((target) => {
    if (target.rssBelowMb !== undefined) {
      const measured = runs.filter(
        (r) => r.tool === 'synack' && r.status === 'ok' && (!target.cases || target.cases.includes(r.case)),
      );
      if (!measured.length) return { ...target, status: 'not measured', value: null };
      if (measured.some((r) => r.peakRssMb === null)) return { ...target, status: 'not measured', value: null };
      const value = Math.max(...measured.map((r) => r.peakRssMb));
      return { ...target, status: value < target.rssBelowMb ? 'met' : 'missed', value };
    }
    const synack = rate(target.case, 'synack');
    const other = rate(target.case, target.against);
    if (!synack || !other) return { ...target, status: 'not measured', value: null };
    const value = synack / other;
    return { ...target, status: value >= target.atLeast ? 'met' : 'missed', value };
  });

  printReport(capture, runs, targets, httpCapture);

  // The web UI (issue 7): the same capture opened in headless Chromium through `synack ui`.
  let ui = null;
  if (options.ui && (!options.only || options.only.includes('ui'))) {
    const { runUiBench, printUiReport, uiTargets } = await import('./ui.mjs');
    try {
      const measured = await runUiBench({ capture: capture.file, timeoutSeconds: options.timeout });
      printUiReport(measured);
      ui = { ...measured, targets: uiTargets(measured) };
    } catch (err) {
      console.log(`\nweb UI: not measured: ${err.message}`);
      ui = { error: err.message };
    }
  }

  const results = {
    date: new Date().toISOString(),
    machine: {
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      memoryGb: totalmem() / 2 ** 30,
      node: process.version,
      loadAverage: load,
    },
    runsPerCommand: options.runs,
    capture: { ...capture, file: rel(capture.file) },
    httpCapture: httpCapture ? { ...httpCapture, file: rel(httpCapture.file) } : null,
    tools: Object.fromEntries(
      Object.entries(tools).map(([name, t]) => [name, { path: t.command, version: t.version ?? null }]),
    ),
    runs,
    targets,
    ui,
  };
  writeFileSync(join(OUT, 'results.json'), JSON.stringify(results, null, 2) + '\n');
  console.log(`\nwrote ${rel(join(OUT, 'results.json'))}`);
}

function printReport(capture, runs, targets, httpCapture) {
  const number = (n, digits = 0) =>
    n === null || n === undefined
      ? ''
      : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const ratio = (n) => (n === null || n === undefined ? '' : `${n >= 10 ? n.toFixed(1) : n.toFixed(2)}x`);
  const header = ['case', 'tool', 'packets', 'seconds', 'packets/s', 'peak RSS MB', 'vs tshark', 'vs tcpdump'];
  const rows = runs.map((r) =>
    r.status === 'ok'
      ? [
          r.case,
          r.tool,
          number(r.packets),
          number(r.seconds, 2),
          number(r.packetsPerSecond),
          number(r.peakRssMb, 1),
          ratio(r.vsTshark),
          ratio(r.vsTcpdump),
        ]
      : [r.case, r.tool, number(r.packets), r.status === 'failed' ? `failed: ${r.error}` : r.status],
  );
  const widths = header.map((h, i) =>
    Math.max(h.length, ...rows.filter((row) => row.length > 4 || i < 3).map((row) => (row[i] ?? '').length)),
  );
  const right = new Set([2, 3, 4, 5, 6, 7]);
  const line = (cells) =>
    cells
      .map((cell, i) =>
        cells.length === 4 && i === 3 ? cell : right.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]),
      )
      .join('  ')
      .trimEnd();
  console.log(
    `\n${capture.packets.toLocaleString('en-US')} packets, ${(capture.bytes / 1e6).toFixed(0)} MB (${rel(capture.file)})\n`,
  );
  if (httpCapture)
    console.log(
      `http case: ${httpCapture.packets.toLocaleString('en-US')} packets, ${httpCapture.requests.toLocaleString('en-US')} requests, ${(httpCapture.bytes / 1e6).toFixed(0)} MB (${rel(httpCapture.file)})\n`,
    );
  console.log(line(header));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const row of rows) console.log(line(row));
  console.log('\ntargets:');
  for (const t of targets) {
    const value =
      t.value === null ? '' : t.rssBelowMb !== undefined ? ` (${t.value.toFixed(1)} MB)` : ` (${ratio(t.value)})`;
    console.log(`  ${t.status.padEnd(12)} ${t.label}${value}`);
  }
}

await main();
