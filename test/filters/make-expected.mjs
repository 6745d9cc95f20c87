#!/usr/bin/env node
// Records tshark's answers for the conformance test (test/filters.test.ts): for every capture in
// ../shared/captures and every filter in filters.txt, rejected.txt and pending.txt, the frame
// numbers tshark selects, and which filters tshark rejects. Run by hand with tshark 4.0 installed:
//   node test/filters/make-expected.mjs
// One tshark run per capture: a Lua listener per filter (Listener.new(nil, filter)) applies each
// filter to the same dissection tshark -Y uses, which is 200 times faster than a run per filter.

import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const here = new URL('.', import.meta.url).pathname;
const captures = join(here, '..', '..', '..', 'shared', 'captures');

export function readFilterList(file) {
  return readFileSync(join(here, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '' && !l.startsWith('#'));
}

const filters = [
  ...new Set([...readFilterList('filters.txt'), ...readFilterList('rejected.txt'), ...readFilterList('pending.txt')]),
];
const work = mkdtempSync(join(tmpdir(), 'synack-filters-'));
const list = join(work, 'filters.txt');
writeFileSync(list, filters.join('\n') + '\n');

const lua = `
local hits, bad, names = {}, {}, {}
for line in io.lines(os.getenv("SYNACK_FILTERS")) do
  local i = #names + 1
  names[i] = line
  hits[i] = {}
  local ok, l = pcall(Listener.new, nil, line)
  if ok then
    local mine = hits[i]
    function l.packet(pinfo) mine[#mine + 1] = pinfo.number end
  else
    bad[i] = true
  end
end
local final = Listener.new(nil, nil)
function final.draw()
  for i = 1, #names do
    if bad[i] then print("R\\t" .. i) else print("H\\t" .. i .. "\\t" .. table.concat(hits[i], " ")) end
  end
end
`;
const script = join(work, 'filters.lua');
writeFileSync(script, lua);

/** "1 2 3 5" -> "1-3 5" */
function ranges(frames) {
  const out = [];
  for (let k = 0; k < frames.length;) {
    let j = k;
    while (j + 1 < frames.length && frames[j + 1] === frames[j] + 1) j++;
    out.push(j > k ? `${frames[k]}-${frames[j]}` : String(frames[k]));
    k = j + 1;
  }
  return out.join(' ');
}

const version = execFileSync('tshark', ['--version'], { encoding: 'utf8' }).split('\n')[0];
const result = { tshark: version, filters, rejected: [], captures: {} };
const rejected = new Set();
const files = readdirSync(captures)
  .filter((f) => /\.(pcap|pcapng|cap)(\.gz)?$/.test(f))
  .sort();
for (const file of files) {
  const r = spawnSync('tshark', ['-n', '-q', '-r', join(captures, file), '-X', `lua_script:${script}`], {
    encoding: 'utf8',
    env: { ...process.env, SYNACK_FILTERS: list },
    maxBuffer: 1 << 28,
  });
  // Compact form per capture: the number of frames, the distinct answers (frame ranges "1-3 7";
  // "!" and the frames NOT selected; or "=" and a base64 bitmap, frame n at bit n-1: whichever
  // is shortest) and, per filter, its answer's index.
  const hits = new Map();
  let frameCount = 0;
  for (const line of r.stdout.split('\n')) {
    const [kind, index, frames] = line.split('\t');
    const filter = filters[Number(index) - 1];
    if (filter === undefined) continue;
    if (kind === 'R') rejected.add(filter);
    else if (kind === 'H' && frames) {
      const list = frames.split(' ').map(Number);
      hits.set(filter, list);
      if (filter === 'frame') frameCount = list.length;
    }
  }
  const answers = [];
  const answerIndex = new Map();
  // selected[k]: 0 when filter k selects nothing (or was rejected), else 1 + its answer's index.
  const selected = filters.map(() => 0);
  for (const [filter, list] of hits) {
    const inList = new Set(list);
    const others = [];
    for (let n = 1; n <= frameCount; n++) if (!inList.has(n)) others.push(n);
    let text = others.length < list.length ? '!' + ranges(others) : ranges(list);
    const bits = Buffer.alloc(Math.ceil(frameCount / 8));
    for (const n of list) bits[(n - 1) >> 3] |= 1 << ((n - 1) & 7);
    const packed = '=' + bits.toString('base64');
    if (packed.length < text.length && list.every((n) => n <= frameCount)) text = packed;
    if (!answerIndex.has(text)) {
      answerIndex.set(text, answers.length);
      answers.push(text);
    }
    selected[filters.indexOf(filter)] = answerIndex.get(text) + 1;
  }
  result.captures[file] = { frames: frameCount, answers, selected };
  process.stderr.write(`${file}: ${hits.size} filters select frames\n`);
}
result.rejected = filters.filter((f) => rejected.has(f));
writeFileSync(join(here, 'expected.json'), JSON.stringify(result, null, 0) + '\n');
process.stderr.write(`${filters.length} filters, ${files.length} captures, ${rejected.size} rejected\n`);
