#!/usr/bin/env node
// Compares our Hog compiler and runner with PostHog's own: for every NAME.hog in DIR that has a
// NAME.hoge (PostHog's compiled bytecode) and/or NAME.stdout (what PostHog's `hog` runner printed), runs
// `node dist/hog.js compile` / `run` and reports equal or the first difference.
//
//   node scripts/compare-posthog-compiler.mjs DIR
//
// DIR holds copies of PostHog's common/hogvm/__tests__/*.hog and __snapshots__/*.{hoge,stdout} (not part of
// this repository: fetch them from PostHog's repository). Needs `npm run build` first. Exit 1 on a difference.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

const dir = process.argv[2];
if (!dir || !fs.existsSync(dir)) {
  console.error('usage: node scripts/compare-posthog-compiler.mjs DIR  (DIR with NAME.hog + NAME.hoge / NAME.stdout)');
  process.exit(2);
}
const cli = path.resolve(import.meta.dirname, '..', 'dist', 'hog.js');
const sh = (args) => {
  try {
    return { out: execFileSync(process.execPath, [cli, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }), ok: true };
  } catch (e) {
    return { out: String(e.stdout ?? ''), err: String(e.stderr ?? ''), ok: false };
  }
};
const firstDifference = (a, b) => {
  let i = 0;
  while (i < a.length && i < b.length && JSON.stringify(a[i]) === JSON.stringify(b[i])) i++;
  return i;
};
const counts = { bytecodeEqual: 0, bytecodeDifferent: 0, outputEqual: 0, outputDifferent: 0 };
for (const file of fs
  .readdirSync(dir)
  .filter((f) => f.endsWith('.hog'))
  .sort()) {
  const name = file.slice(0, -4);
  const source = path.join(dir, file);
  const hoge = path.join(dir, `${name}.hoge`);
  if (fs.existsSync(hoge)) {
    const expected = JSON.parse(fs.readFileSync(hoge, 'utf8'));
    const r = sh(['compile', source]);
    const got = r.ok ? JSON.parse(r.out) : null;
    if (got && JSON.stringify(got) === JSON.stringify(expected)) {
      counts.bytecodeEqual++;
      console.log(`bytecode ${name}: equal (${expected.length} items)`);
    } else {
      counts.bytecodeDifferent++;
      const i = got ? firstDifference(got, expected) : 0;
      console.log(
        `bytecode ${name}: DIFFERENT${got ? ` at ${i}: ours ${JSON.stringify(got.slice(i, i + 6))}, PostHog's ${JSON.stringify(expected.slice(i, i + 6))}` : `: ${r.err.trim()}`}`,
      );
    }
  }
  const stdout = path.join(dir, `${name}.stdout`);
  if (fs.existsSync(stdout)) {
    const expected = fs.readFileSync(stdout, 'utf8');
    const r = sh(['run', source]);
    if (r.out === expected) {
      counts.outputEqual++;
      console.log(`output   ${name}: equal (${expected.split('\n').length - 1} lines)`);
    } else {
      counts.outputDifferent++;
      const a = r.out.split('\n');
      const b = expected.split('\n');
      const i = firstDifference(a, b);
      console.log(`output   ${name}: DIFFERENT at line ${i + 1}: ours ${JSON.stringify(a[i])}, PostHog's ${JSON.stringify(b[i])}${r.err ? ` (${r.err.trim()})` : ''}`);
    }
  }
}
console.log(JSON.stringify(counts));
process.exitCode = counts.bytecodeDifferent + counts.outputDifferent > 0 ? 1 : 0;
