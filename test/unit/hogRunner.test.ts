/**
 * The local runner (src/hog/runner): a hog function runs as PostHog's CDP runs it — inputs first, in
 * order, then the code in @posthog/hogvm with PostHog's print, fetch (mocked, or real over loopback HTTP
 * here) and postHogCapture — and every problem comes back with its place.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runHogFunction } from '../../src/hog/runner/run';
import type { RunInput, RunRequest } from '../../src/hog/runner/types';

const FUNCTIONS = path.resolve(__dirname, '../../../test/hog/functions');
const read = (f: string): string => fs.readFileSync(path.join(FUNCTIONS, f), 'utf8');
const globals = JSON.parse(read('pageview.event.json')) as Record<string, unknown>;

function request(overrides: Partial<RunRequest>): RunRequest {
  return { type: 'destination', code: 'return 1', inputs: {}, globals, fetch: 'mock', ...overrides };
}

function lineOf(source: string, offset: number | undefined): number {
  assert.notEqual(offset, undefined, 'the problem has a place');
  return source.slice(0, offset).split('\n').length;
}

describe('Hog runner', () => {
  let server: http.Server;
  let base = '';
  const received: { method?: string; url?: string; headers: http.IncomingHttpHeaders; body: string }[] = [];
  before(async () => {
    server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        received.push({ method: req.method, url: req.url, headers: req.headers, body });
        res.writeHead(req.url === '/fail' ? 503 : 201, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: req.url !== '/fail', echo: body.length }));
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));

  test("a destination: inputs in order, fetch mocked and listed, PostHog's log lines, the secret never shown", async () => {
    const inputs = JSON.parse(read('destination.inputs.json')) as Record<string, RunInput>;
    const r = await runHogFunction(request({ code: read('destination.hog'), inputs }));
    assert.equal(r.status, 'success', JSON.stringify(r.problems));
    assert.equal(r.returned, 200);
    assert.deepEqual(r.inputs, {
      url: 'https://hooks.example.com/1/events',
      apiKey: '***REDACTED***',
      tags: ['new', 'Chrome'],
      note: 'https://hooks.example.com/1/events for ada@example.com',
    });
    assert.equal(r.fetches.length, 1);
    const call = r.fetches[0];
    assert.ok(call);
    assert.equal(call.url, 'https://hooks.example.com/1/events');
    assert.equal(call.method, 'POST');
    assert.equal(call.mocked, true);
    assert.deepEqual(call.headers, { Authorization: 'Bearer ***REDACTED***', 'Content-Type': 'application/json' });
    assert.deepEqual(call.body, { event: '$pageview', user: 'ada@example.com', url: 'https://example.com/pricing', tags: ['NEW', 'CHROME'] });
    const messages = r.logs.map((l) => l.message);
    assert.equal(messages[0], "Async function 'fetch' was mocked with arguments:");
    assert.match(messages[1] ?? '', /^fetch\('https:\/\/hooks\.example\.com\/1\/events', \{\n {2}"method": "POST",/);
    assert.equal(messages[2], 'sent, $pageview, 200');
    assert.match(
      messages[3] ?? '',
      /^Function completed in [\d.]+ms\. Sync: [\d.]+ms\. Mem: [\d.]+kb\. Ops: \d+\. Event: 'https:\/\/us\.posthog\.com\/project\/1\/events\/0190b3a2/,
    );
    assert.ok(!JSON.stringify(r).includes('sk_live_123456789'), 'the secret appears nowhere in the result');
  });

  test('real fetch goes over HTTP with the real secret, and the code gets the status and parsed body', async () => {
    const code = `let res := fetch('${base}/hook', {'method': 'POST', 'headers': {'X-Key': inputs.key}, 'body': {'a': 1}})\nlet bad := fetch('${base}/fail')\nreturn [res.status, res.body.ok, bad.status]`;
    const r = await runHogFunction(request({ code, fetch: 'real', inputs: { key: { value: 'very-secret', secret: true } } }));
    assert.equal(r.status, 'success', JSON.stringify(r.problems));
    assert.deepEqual(r.returned, [201, true, 503]);
    const hook = received.find((x) => x.url === '/hook');
    assert.ok(hook);
    assert.equal(hook.headers['x-key'], 'very-secret', 'the server receives the secret');
    assert.equal(hook.body, '{"a":1}');
    assert.deepEqual(
      r.fetches.map((f) => [f.url.replace(base, ''), f.method, f.mocked, f.response.status, f.headers['X-Key'] ?? null]),
      [
        ['/hook', 'POST', false, 201, '***REDACTED***'],
        ['/fail', 'POST', false, 503, null],
      ],
    );
    assert.ok(r.logs.some((l) => l.level === 'warn' && l.message === 'HTTP fetch failed with status code 503.'));
  });

  test('a transformation: the event before and after; returning null drops it; a bad result is an error', async () => {
    const code = read('transformation.hog');
    const r = await runHogFunction(request({ type: 'transformation', code, inputs: JSON.parse(read('transformation.inputs.json')) as Record<string, RunInput> }));
    assert.equal(r.status, 'success', JSON.stringify(r.problems));
    const before = r.transformation?.before as { properties: Record<string, unknown> };
    const afterEvent = r.transformation?.after as { properties: Record<string, unknown> };
    assert.equal(before.properties.$browser, 'Chrome', 'the input event is not changed');
    assert.equal(afterEvent.properties.$browser, 'chrome');
    assert.equal(afterEvent.properties.greeting, 'hello user-1');

    const dropped = await runHogFunction(
      request({ type: 'transformation', code, globals: { ...globals, event: { ...(globals.event as object), event: '$drop_me' } }, inputs: { name: { value: 'x' } } }),
    );
    assert.equal(dropped.transformation?.after, null);

    const bad = await runHogFunction(request({ type: 'transformation', code: "return {'no': 'properties'}" }));
    assert.equal(bad.status, 'error');
    assert.equal(bad.problems[0]?.message, 'Invalid transformation result - missing or invalid properties');

    const person = await runHogFunction(request({ type: 'transformation', code: 'return person', inputs: {} }));
    assert.equal(person.status, 'error', 'transformations get no person');
    assert.match(person.problems[0]?.message ?? '', /Global variable not found: person/);
  });

  test('a runtime error is placed on its line, and logged as PostHog logs it', async () => {
    const code = "let a := 1\nprint('before')\nlet b := missingFunction(a)\nprint('after')";
    const r = await runHogFunction(request({ code }));
    assert.equal(r.status, 'error');
    const runtime = r.problems.find((p) => p.message.includes('Unsupported function call: missingFunction'));
    assert.ok(runtime, JSON.stringify(r.problems));
    assert.equal(lineOf(code, runtime.start), 3);
    assert.ok(
      r.logs.some(
        (l) =>
          l.level === 'error' &&
          l.message.startsWith('Error executing function on event 0190b3a2-1c5e-7000-8000-000000000001: HogVMException: Unsupported function call: missingFunction'),
      ),
    );
    assert.deepEqual(
      r.logs.filter((l) => l.level === 'info').map((l) => l.message),
      ['before'],
    );

    const throwing = "fn check(x) {\n  if (x > 1) {\n    throw Error('too big')\n  }\n}\ncheck(2)";
    const thrown = await runHogFunction(request({ code: throwing }));
    const [first] = thrown.problems;
    assert.ok(first);
    assert.equal(first.message, "Error('too big')");
    assert.equal(lineOf(throwing, first.start), 3);
  });

  test('compile errors stop the run before it starts; an input that fails names the input', async () => {
    const r = await runHogFunction(request({ code: 'let a := 1\nlet a := 2' }));
    assert.equal(r.status, 'error');
    assert.deepEqual(
      r.problems.map((p) => p.message),
      ['Variable `a` already declared in this scope'],
    );
    assert.equal(r.logs.length, 0, 'nothing ran');

    const input = await runHogFunction(request({ inputs: { bad: { value: "{jsonParse('{')}" } } }));
    assert.equal(input.status, 'error');
    assert.equal(input.problems[0]?.input, 'bad');

    const cycle = await runHogFunction(request({ inputs: { a: { value: '{inputs.b}' }, b: { value: '{inputs.a}' } } }));
    assert.match(cycle.problems[0]?.message ?? '', /Circular dependency/);
  });

  test('limits: the timeout stops an endless loop; print keeps 24 lines and says so; postHogCapture is recorded', async () => {
    const started = performance.now();
    const loop = await runHogFunction(request({ code: 'while (true) { }', timeoutMs: 150 }));
    assert.equal(loop.status, 'error');
    assert.match(loop.problems[0]?.message ?? '', /Execution timed out after 0.15 seconds/);
    assert.ok(performance.now() - started < 3000);

    const noisy = await runHogFunction(request({ code: "for (let i := 0; i < 30; i := i + 1) { print('line', i) }" }));
    const infos = noisy.logs.filter((l) => l.level === 'info');
    assert.equal(infos.length, 24);
    assert.ok(noisy.logs.some((l) => l.level === 'warn' && l.message.startsWith('Function exceeded maximum log entries.')));

    const captured = await runHogFunction(request({ code: "postHogCapture({'event': 'signed up', 'properties': {'plan': 'pro'}})" }));
    assert.deepEqual(captured.captures, [{ event: 'signed up', properties: { plan: 'pro' }, distinct_id: 'user-1' }]);
  });
});
