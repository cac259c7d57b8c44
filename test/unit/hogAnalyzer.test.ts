/**
 * The Hog analyzer (src/language/analyzer.ts): one analysis per document version, typical documents on
 * this thread, large ones in the analysis worker (src/language/analysisWorker.ts, run here from its tsc
 * output in a real worker thread), with the same findings and symbols either way; superseded versions,
 * a worker that dies, hangs or cannot start.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, test } from 'node:test';
import { Worker } from 'node:worker_threads';
import { analyzeHog } from '../../src/language/analysis';
import { HogAnalyzer, WORKER_MIN_CHARS, isAnalysisSuperseded, type AnalyzedDocument } from '../../src/language/analyzer';

const WORKER_FILE = path.join(__dirname, '../../src/language/analysisWorker.js');
const CORPUS = path.join(__dirname, '../../../test/hog/corpus');
const LARGE = fs.readFileSync(path.join(CORPUS, 'valid/real_transform_locale_enrichment_large.hog'), 'utf8');

const spawnWorker = (): Worker => new Worker(WORKER_FILE);
const doc = (key: string, text: string, version = 1, functionType?: string): AnalyzedDocument => ({ key, version, getText: () => text, functionType });

function corpus(): { name: string; code: string }[] {
  return ['valid', 'invalid'].flatMap((dir) =>
    fs
      .readdirSync(path.join(CORPUS, dir))
      .filter((f) => f.endsWith('.hog'))
      .map((f) => ({ name: `${dir}/${f}`, code: fs.readFileSync(path.join(CORPUS, dir, f), 'utf8') })),
  );
}

/** A promise's settled value or error, for asserting on rejections without unhandled ones. */
const settle = <T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> =>
  p.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  );

describe('Hog analyzer', () => {
  test('the worker finds exactly what this thread finds, for every program of the corpus', async () => {
    const inWorker = new HogAnalyzer({ log: () => undefined, spawnWorker, workerMinChars: 0 });
    const here = new HogAnalyzer({ log: () => undefined });
    try {
      const programs = corpus();
      assert.ok(programs.length > 80, `the corpus (${programs.length} programs)`);
      for (const { name, code } of programs) {
        const d = doc(name, code, 1, 'destination');
        const [remote, local] = [await inWorker.findings(d), await here.findings(d)];
        assert.equal(remote.inWorker, true, name);
        assert.equal(local.inWorker, false, name);
        assert.deepEqual(remote.findings, local.findings, `${name}: findings`);
        assert.deepEqual(await inWorker.symbols(d), await here.symbols(d), `${name}: symbols`);
      }
    } finally {
      inWorker.dispose();
      here.dispose();
    }
  });

  test('a typical document is analysed on this thread, a large one in the worker, and this thread stays free meanwhile', async () => {
    const logs: string[] = [];
    const analyzer = new HogAnalyzer({ log: (m) => logs.push(m), spawnWorker });
    try {
      const small = 'let x := 1\nprint(x)\nprint(y)\n';
      const smallResult = await analyzer.findings(doc('small', small));
      assert.equal(smallResult.inWorker, false);

      assert.ok(LARGE.length >= WORKER_MIN_CHARS);
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 1);
      const large = await analyzer.findings(doc('large', LARGE, 1, 'transformation'));
      clearInterval(ticker);
      assert.equal(large.inWorker, true);
      assert.ok(ticks > 0, 'timers of this thread ran while the worker analysed the program');
      assert.deepEqual(large.findings, analyzeHog(LARGE, 'transformation').findings);
      assert.ok(
        logs.some((l) => l.startsWith('Hog analysis worker started')),
        logs.join('\n'),
      );

      // One analysis per version: asking again (findings or symbols) sends nothing to the worker.
      const symbols = await analyzer.symbols(doc('large', LARGE, 1, 'transformation'));
      assert.ok(symbols.some((s) => s.kind === 'function' || s.kind === 'variable'));
      assert.equal(await analyzer.findings(doc('large', LARGE, 1)).then((r) => r.findings), large.findings, 'the same result object, not a new analysis');
    } finally {
      analyzer.dispose();
    }
  });

  test(
    'on Linux the analysis runs at a lower CPU priority, on its own thread only',
    { skip: process.platform !== 'linux' && 'nice values are per thread only on Linux' },
    async () => {
      const niceOf = (task: string): number => {
        const stat = fs.readFileSync(`/proc/self/task/${task}/stat`, 'utf8');
        return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[16]);
      };
      const before = niceOf(String(process.pid));
      const analyzer = new HogAnalyzer({ log: () => undefined, spawnWorker, workerMinChars: 0 });
      try {
        await analyzer.findings(doc('n', 'print(1)'));
        const nices = fs.readdirSync('/proc/self/task').map(niceOf);
        assert.ok(nices.includes(10), `a thread at nice 10: ${nices.join(', ')}`);
        assert.equal(niceOf(String(process.pid)), before, "this (the extension host's) thread keeps its priority");
      } finally {
        analyzer.dispose();
      }
    },
  );

  test('symbols as plain data: outline extent and detail, containers by index, uses resolved', async () => {
    const analyzer = new HogAnalyzer({ log: () => undefined, spawnWorker, workerMinChars: 0 });
    try {
      const code = "fun greet(name, greeting) {\n  let text := concat(greeting, name)\n  return text\n}\nlet out := greet(event.event, 'hi')\nprint(out)\n";
      const symbols = await analyzer.symbols(doc('s', code));
      const greet = symbols.find((s) => s.name === 'greet');
      const text = symbols.find((s) => s.name === 'text');
      assert.ok(greet && text);
      assert.equal(greet.detail, '(name, greeting)');
      assert.deepEqual(greet.extent, [0, code.indexOf('}') + 1]);
      assert.equal(symbols[text.container], greet, 'text is declared inside greet');
      assert.equal(greet.container, -1);
      assert.deepEqual(
        greet.references.map(([a]) => a),
        [code.indexOf('greet(event')],
      );
    } finally {
      analyzer.dispose();
    }
  });

  test('a version waiting behind another document is superseded by a newer one of its own document', async () => {
    const analyzer = new HogAnalyzer({ log: () => undefined, spawnWorker, workerMinChars: 0 });
    try {
      const busy = settle(analyzer.findings(doc('a', LARGE)));
      const older = settle(analyzer.findings(doc('b', 'let x := 1', 1)));
      const newer = settle(analyzer.findings(doc('b', 'let x := (', 2)));
      const [a, b1, b2] = await Promise.all([busy, older, newer]);
      assert.ok(a.value, 'the running analysis finishes');
      assert.ok(isAnalysisSuperseded(b1.error), `the waiting older version is superseded: ${String(b1.error)}`);
      assert.equal(b2.value?.findings[0]?.code, 'syntax', 'the newer version is analysed');
    } finally {
      analyzer.dispose();
    }
  });

  test('closing a document drops its waiting analysis; disposing drops everything', async () => {
    const analyzer = new HogAnalyzer({ log: () => undefined, spawnWorker, workerMinChars: 0 });
    const busy = settle(analyzer.findings(doc('a', LARGE)));
    const waiting = settle(analyzer.findings(doc('b', 'print(1)')));
    analyzer.forget('b');
    assert.ok(isAnalysisSuperseded((await waiting).error));
    analyzer.dispose();
    assert.ok(isAnalysisSuperseded((await busy).error), 'the running one ends with the worker');
  });

  test('a worker that cannot start: large documents are analysed here instead, said once in the log', async () => {
    const logs: string[] = [];
    let spawned = 0;
    const analyzer = new HogAnalyzer({
      log: (m) => logs.push(m),
      workerMinChars: 0,
      spawnWorker: () => {
        spawned++;
        throw new Error('dist/hogAnalysis.js is missing from this installation');
      },
    });
    try {
      const first = await analyzer.findings(doc('a', 'let x := (', 1));
      const second = await analyzer.findings(doc('b', LARGE, 1));
      assert.equal(first.inWorker, false);
      assert.equal(first.findings[0]?.code, 'syntax');
      assert.equal(second.inWorker, false);
      assert.equal(spawned, 1, 'not tried again for every document');
      assert.deepEqual(
        logs.filter((l) => l.includes('unavailable')),
        ['Hog analysis worker unavailable (dist/hogAnalysis.js is missing from this installation): large documents are analysed on the extension host.'],
      );
    } finally {
      analyzer.dispose();
    }
  });

  test('a worker that dies fails its analysis with the reason; the next document starts a new worker', async () => {
    let spawned = 0;
    const analyzer = new HogAnalyzer({
      log: () => undefined,
      workerMinChars: 0,
      spawnWorker: () => (++spawned === 1 ? new Worker('process.exit(3)', { eval: true }) : spawnWorker()),
    });
    try {
      const died = await settle(analyzer.findings(doc('a', 'print(1)')));
      assert.match(String(died.error), /The Hog analysis worker stopped \(exit code 3\)/);
      const next = await analyzer.findings(doc('b', 'print(1)'));
      assert.equal(next.inWorker, true);
      assert.equal(spawned, 2);
    } finally {
      analyzer.dispose();
    }
  });

  test('a worker without work for workerIdleMs is stopped (its memory returned); the next large document starts another', async () => {
    const workers: Worker[] = [];
    const logs: string[] = [];
    const analyzer = new HogAnalyzer({
      log: (m) => logs.push(m),
      workerMinChars: 0,
      workerIdleMs: 100,
      spawnWorker: () => {
        const w = spawnWorker();
        workers.push(w);
        return w;
      },
    });
    try {
      const first = workers.length;
      await analyzer.findings(doc('a', 'print(1)'));
      const worker = workers[first];
      assert.ok(worker, 'a worker started');
      // Idle, the worker no longer keeps the process alive: hold it here until it exits.
      worker.ref();
      await new Promise((resolve) => worker.once('exit', resolve));
      assert.ok(logs.includes('Hog analysis worker stopped after 100 ms without work.'), logs.join('\n'));
      const again = await analyzer.findings(doc('a', 'print(2)', 2));
      assert.equal(again.inWorker, true);
      assert.equal(workers.length, first + 2, 'a new worker for the next document');
    } finally {
      analyzer.dispose();
    }
  });

  test('a worker that never answers is stopped after the timeout; the next document gets a new one', async () => {
    let spawned = 0;
    const logs: string[] = [];
    const analyzer = new HogAnalyzer({
      log: (m) => logs.push(m),
      workerMinChars: 0,
      workerTimeoutMs: 300,
      spawnWorker: () => (++spawned === 1 ? new Worker("require('node:worker_threads').parentPort.on('message', () => undefined)", { eval: true }) : spawnWorker()),
    });
    try {
      const hung = await settle(analyzer.findings(doc('a', 'print(1)')));
      assert.match(String(hung.error), /The analysis of this Hog document took over 300 ms and was stopped/);
      assert.ok(logs.some((l) => l.includes('no answer within 300 ms; stopped it')));
      assert.equal((await analyzer.findings(doc('b', 'print(1)'))).inWorker, true);
      assert.equal(spawned, 2);
    } finally {
      analyzer.dispose();
    }
  });
});
