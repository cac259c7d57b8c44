// The parser worker (compiled: out/src/language/parserWorker.js) with the real WASM parser, driven directly
// and through HogParserClient: real errors and offsets, template offsets, latest-only queuing, the time
// budget (terminate + respawn), crash handling, and that the calling thread keeps running during a parse.
// Plain Node (node:test); nothing sleeps: every wait is on a message or a promise.
import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { Worker } from 'node:worker_threads';
import { HogParserClient, type ParseOutcome } from '../../src/language/hogParserClient';
import type { ParseKind, ParseRequestMessage, ParseResponseMessage } from '../../src/language/protocol';

const WORKER_PATH = path.resolve(__dirname, '../../src/language/parserWorker.js');

/** A realistic ~2 KB destination: the size of a typical hog function. */
const TYPICAL_2KB = `// Webhook destination with retries and a compact payload
let payload := {
    'event': event.event,
    'distinct_id': event.distinct_id,
    'timestamp': event.timestamp,
    'url': event.properties.$current_url,
    'person': {
        'id': person.id,
        'email': person.properties.email,
        'name': person.name
    }
}

fun headerValue(value) {
    if (empty(value)) {
        return null
    }
    return trim(toString(value))
}

let headers := {}
for (let key, value in inputs.headers) {
    let cleaned := headerValue(value)
    if (cleaned != null) {
        headers[key] := cleaned
    }
}
headers['Content-Type'] := 'application/json'

if (inputs.debug) {
    print('Sending', inputs.url, payload)
}

let res := fetch(inputs.url, {
    'method': inputs.method ?? 'POST',
    'headers': headers,
    'body': payload
})

if (res.status == 429 or res.status >= 500) {
    throw RetryError(f'Temporary failure {res.status}')
}
if (res.status >= 400) {
    throw Error(f'Webhook failed with status {res.status}: {res.body}')
}
if (inputs.debug) {
    print('Response', res.status, res.body)
}
let summary := f'{event.event} for {person.name ?? event.distinct_id} at {event.timestamp}'
print(summary)
let tags := arrayMap(t -> lower(t), splitByString(',', inputs.tags ?? ''))
if (length(tags) > 0) {
    print('Tags', arrayStringConcat(tags, ', '))
}
let groupName := groups.organization?.properties?.name ?? 'no organization'
if (notEmpty(inputs.allowed_events) and not has(inputs.allowed_events, event.event)) {
    print(f'Skipping {event.event}: not in the allowed list')
    return null
}
let utm := {}
for (let key, value in event.properties) {
    if (key like 'utm_%') {
        utm[key] := value
    }
}
payload['utm'] := utm
payload['organization'] := groupName
let elapsed := toUnixTimestamp(now()) - toUnixTimestamp(toDateTime(event.timestamp))
if (elapsed > 3600) {
    print(f'Event was {elapsed} seconds old')
}
return {'status': res.status, 'tags': tags, 'summary': summary}
`;

/** Nested calls: ANTLR's prediction is exponential in the depth; ~40 levels take seconds. */
const PATHOLOGICAL = `let x := ${'f('.repeat(45)}1${')'.repeat(45)}`;

describe('parser worker (direct protocol)', () => {
  let worker: Worker;
  let nextId = 1;

  const parse = async (code: string, kind: ParseKind = 'program', extra: Partial<ParseRequestMessage> = {}): Promise<ParseResponseMessage> => {
    const id = nextId++;
    const reply = new Promise<ParseResponseMessage>((resolve) => {
      const onMessage = (m: ParseResponseMessage) => {
        if (m.id !== id) return;
        worker.off('message', onMessage);
        resolve(m);
      };
      worker.on('message', onMessage);
    });
    worker.postMessage({ ...extra, id, code, kind } satisfies ParseRequestMessage);
    return reply;
  };

  const errorsOf = async (code: string, kind: ParseKind = 'program') => {
    const r = await parse(code, kind);
    assert.ok(r.ok, `worker failed: ${JSON.stringify(r)}`);
    return r.errors;
  };

  before(() => {
    worker = new Worker(WORKER_PATH);
  });
  after(async () => {
    await worker.terminate();
  });

  it('accepts valid programs', async () => {
    assert.deepEqual(await errorsOf("let x := 1\nprint(f'x is {x}')"), []);
    assert.deepEqual(await errorsOf(''), []);
  });

  it('reports real syntax errors at the offending offset', async () => {
    const cases: [string, string, RegExp][] = [
      ['let x = 1', '=', /^extraneous input '='/],
      ['let ready := !done', '!', /^Unexpected character '!'/],
      ['if (a && b) { }', '&', /^Unexpected character '&'/],
      ["let a := {'b' 2}", '2', /^no viable alternative/],
      ['fun foo( {\n}', '{', /^mismatched input '\{'/],
    ];
    for (const [code, at, message] of cases) {
      const [error, ...rest] = await errorsOf(code);
      assert.ok(error, code);
      assert.deepEqual(rest, []);
      assert.match(error.message, message, code);
      assert.equal(error.offset, code.indexOf(at), `${code}: ${error.message}`);
    }
  });

  it('returns UTF-16 offsets even after astral characters', async () => {
    const code = "let s := '😀😀 é' !";
    const [error] = await errorsOf(code);
    assert.equal(error?.offset, code.indexOf('!'));
  });

  it("parses input templates after the magic F' prefix and subtracts it from offsets", async () => {
    assert.deepEqual(await errorsOf('Hello {person.name}, you did {event.event}', 'template'), []);
    assert.deepEqual(await errorsOf("it's {inputs.x}: \\{not a placeholder}", 'template'), []);
    const broken = 'Hello {event.event';
    const [error] = await errorsOf(broken, 'template');
    assert.ok(error);
    assert.ok(error.offset >= broken.indexOf('{') && error.offset <= broken.length, `offset ${error.offset}`);
  });

  it('runs the lints too when asked, and answers with readable findings', async () => {
    const code = 'let ready := !done\nlet name := "x"';
    const id = nextId++;
    const reply = new Promise<ParseResponseMessage>((resolve) => {
      worker.once('message', resolve);
    });
    worker.postMessage({ id, code, kind: 'program', lint: true } satisfies ParseRequestMessage);
    const r = await reply;
    assert.ok(r.ok);
    assert.equal(r.id, id);
    assert.deepEqual(
      r.findings?.map((f) => f.code),
      ['no-bang', 'double-quoted-string'],
      'the parser error at ! is replaced by the lint that explains it',
    );
  });

  it('parses only a range when asked, with offsets into the whole code', async () => {
    const code = "let ok := 1\nlet broken := := 2\nlet fine := 3 'not parsed'";
    const start = code.indexOf('let broken');
    const r = await parse(code, 'program', { range: { start, end: code.indexOf('\nlet fine') }, lint: true });
    assert.ok(r.ok);
    assert.deepEqual(
      r.errors.map((e) => e.offset),
      [code.indexOf(':= 2')],
    );
    assert.equal(r.outline, undefined, 'no outline for a range');
    assert.ok(
      r.findings?.some((f) => f.severity === 'error' && f.start === code.indexOf(':= 2')),
      'the lints cover the whole code',
    );
  });

  it('answers with the outline of an error-free program when asked, and refuses a bad range', async () => {
    const clean = await parse('let a := 1\nif (a) { print(a) }', 'program', { outline: true });
    assert.ok(clean.ok);
    assert.deepEqual(
      clean.outline?.statements.map((s) => [s.start, s.end, s.lists.length]),
      [
        [0, 10, 0],
        [11, 30, 1],
      ],
    );
    const broken = await parse('let a := := 1', 'program', { outline: true });
    assert.ok(broken.ok);
    assert.equal(broken.outline, undefined);
    const bad = await parse('let a := 1', 'program', { range: { start: 3, end: 99 } });
    assert.deepEqual(bad, { id: bad.id, ok: false, failure: 'invalid parse request' });
  });

  it('parses a typical 2 KB function', async (t: TestContext) => {
    assert.ok(TYPICAL_2KB.length >= 1900 && TYPICAL_2KB.length <= 2600, `${TYPICAL_2KB.length} bytes`);
    await errorsOf(TYPICAL_2KB); // warm the parser's prediction cache
    const r = await parse(TYPICAL_2KB);
    assert.ok(r.ok);
    assert.deepEqual(r.errors, []);
    t.diagnostic(`2 KB program (${TYPICAL_2KB.length} bytes): ${r.parseMs.toFixed(0)} ms in the parser (warm)`);
  });
});

describe('HogParserClient', () => {
  const clients: HogParserClient[] = [];
  const newClient = (options: Partial<ConstructorParameters<typeof HogParserClient>[0]> = {}) => {
    const client = new HogParserClient({ workerPath: WORKER_PATH, ...options });
    clients.push(client);
    return client;
  };
  after(() => {
    for (const c of clients) c.dispose();
  });

  it('starts no worker until the first parse', async () => {
    const client = newClient();
    assert.equal(client.isWorkerRunning, false);
    const outcome = await client.parse({ key: 'a.hog', version: 1, code: 'let x := 1' });
    assert.equal(outcome.kind, 'parsed');
    assert.equal(client.stats.workersStarted, 1);
  });

  it('prestart() starts the worker ahead of the first parse, which then uses it', async () => {
    const client = newClient();
    client.prestart();
    assert.equal(client.isWorkerRunning, true);
    client.prestart();
    const outcome = await client.parse({ key: 'a.hog', version: 1, code: "let a := 'x'\nlet b := a", outline: true });
    assert.equal(outcome.kind, 'parsed');
    assert.equal(outcome.outline?.statements.length, 2, 'the outline passes through the client');
    assert.equal(client.stats.workersStarted, 1);
  });

  it('keeps only the latest waiting version of a document', async () => {
    const client = newClient();
    const base = "let a := lower('x')\n";
    // v1 is sent at once (the worker is idle); v2 and v3 arrive while it is in flight.
    const v1 = client.parse({ key: 'doc', version: 1, code: base });
    const v2 = client.parse({ key: 'doc', version: 2, code: `${base}let y = 2` });
    const other = client.parse({ key: 'other', version: 1, code: 'let ok := true' });
    const v3 = client.parse({ key: 'doc', version: 3, code: `${base}let y := !2` });
    const [o1, o2, oOther, o3] = await Promise.all([v1, v2, other, v3]);
    assert.equal(o1.kind, 'superseded', 'v1 was in flight when v2 arrived');
    assert.equal(o2.kind, 'superseded', 'v2 was still waiting when v3 arrived');
    assert.equal(oOther.kind, 'parsed');
    assert.equal(o3.kind, 'parsed');
    assert.equal(o3.errors[0]?.offset, base.length + 9);
    assert.equal(client.stats.parses, 3, 'v2 was never sent to the worker');
  });

  it('abandons a parse over budget, restarts the worker, and the caller is never blocked', async () => {
    const client = newClient({ timeoutMs: 30_000 });
    // Warm up so that the budget below measures the parse, not the worker's cold start.
    assert.equal((await client.parse({ key: 'warm', version: 1, code: 'let a := 1' })).kind, 'parsed');

    let ticks = 0;
    const ticker = setInterval(() => ticks++, 10);
    const started = performance.now();
    const slow = await client.parse({ key: 'slow', version: 1, code: PATHOLOGICAL, timeoutMs: 400 });
    const waited = performance.now() - started;
    clearInterval(ticker);

    assert.deepEqual(slow, { kind: 'timeout', timeoutMs: 400 } satisfies ParseOutcome);
    assert.ok(waited < 5000, `timeout took ${waited.toFixed(0)} ms`);
    assert.ok(ticks >= 5, `only ${ticks} timer ticks ran during the parse: the thread was blocked`);
    assert.equal(client.isWorkerRunning, false, 'the stuck worker was terminated');

    const next = await client.parse({ key: 'after', version: 1, code: 'let b = 2' });
    assert.equal(next.kind, 'parsed');
    assert.equal(client.stats.workersStarted, 2);
    assert.equal(client.stats.timeouts, 1);
  });

  it('fails requests when the worker dies, and stops restarting a worker that keeps dying', async () => {
    const client = newClient({ createWorker: () => new Worker('process.exit(3)', { eval: true }) });
    for (let i = 0; i < 3; i++) {
      const outcome = await client.parse({ key: 'x', version: i, code: 'let a := 1' });
      assert.equal(outcome.kind, 'failed');
    }
    const gaveUp = await client.parse({ key: 'x', version: 9, code: 'let a := 1' });
    assert.equal(gaveUp.kind, 'failed');
    assert.match(gaveUp.message, /gave up after 3/);
    assert.equal(client.stats.workersStarted, 3);
  });

  it('answers everything with disposed on dispose, and terminates the worker', async () => {
    const client = newClient();
    const pending = client.parse({ key: 'a', version: 1, code: PATHOLOGICAL });
    const waiting = client.parse({ key: 'b', version: 1, code: 'let a := 1' });
    client.dispose();
    assert.deepEqual(await pending, { kind: 'disposed' });
    assert.deepEqual(await waiting, { kind: 'disposed' });
    assert.deepEqual(await client.parse({ key: 'c', version: 1, code: '' }), { kind: 'disposed' });
    assert.equal(client.isWorkerRunning, false);
  });
});
