/**
 * `POST …/hog_functions/{id|new}/invocations/`: a test run, as PostHog's viewset and its CDP answer it
 * (products/cdp/backend/api/hog_function.py, nodejs/src/cdp/services/invocation-api.service.ts). The
 * `configuration` is validated like a PATCH of the stored function (so it is compiled, and secret markers
 * take the stored values); failures are the raw serializer errors. The Hog really runs — the extension's
 * compiler and PostHog's VM (src/hog/runner) — with async functions mocked unless
 * `mock_async_functions: false`. The run's log lines are appended to the function's logs.
 */
import { runHogFunction } from '../../src/hog/runner/run';
import type { RunInput } from '../../src/hog/runner/types';
import { ApiError, adHocError, type JsonResponse } from './http';
import { logsFor } from './logs';
import type { StandInConfig, StandInState, StoredHogFunction, StoredInput } from './types';
import { validateHogFunctionWrite, type ValidatedWrite } from './validation';

const RUNNABLE = new Set(['destination', 'internal_destination', 'transformation']);

const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

export interface InvocationRequest {
  readonly state: StandInState;
  readonly config: StandInConfig;
  readonly teamId: number;
  readonly existing: StoredHogFunction | null;
  readonly body: unknown;
}

export async function testInvocation(req: InvocationRequest): Promise<JsonResponse> {
  const { body } = req;
  if (!isRecord(body)) throw adHocError(400, { non_field_errors: ['Invalid data. Expected a dictionary, but got str.'] });
  let write: ValidatedWrite;
  try {
    write = await validateHogFunctionWrite({ state: req.state, config: req.config, teamId: req.teamId, existing: req.existing, body: body.configuration ?? {} });
  } catch (e) {
    // The viewset returns serializer.errors as they are: {"configuration": {"<field>": ["…"]}}.
    if (e instanceof ApiError && e.error.type === 'validation_error' && e.body === undefined) {
      throw adHocError(400, { configuration: { [e.error.attr ?? 'non_field_errors']: [e.error.detail] } });
    }
    throw e;
  }
  const type = write.fields.type;
  const globals = isRecord(body.globals) ? body.globals : null;
  // The CDP's own 400s come back from Django as {"status": "error"} with the CDP's status code.
  if (!RUNNABLE.has(type) || !globals || !isRecord(globals.event)) throw adHocError(400, { status: 'error' });
  const mock = body.mock_async_functions !== false;

  const inputs: Record<string, RunInput> = {};
  const secretKeys = new Set(Object.keys(write.fields.encrypted_inputs));
  const merged: Record<string, StoredInput> = { ...write.fields.inputs, ...write.fields.encrypted_inputs };
  const order = (key: string): number => merged[key]?.order ?? -1;
  for (const key of Object.keys(merged).sort((a, b) => order(a) - order(b))) {
    const item = merged[key];
    if (!item) continue;
    inputs[key] = { value: item.value, templating: item.templating ?? null, secret: secretKeys.has(key) };
  }
  const project = { id: req.teamId, name: 'Hogflix Production', url: `https://us.posthog.com/project/${req.teamId}` };
  const result = await runHogFunction({
    type,
    code: write.fields.hog,
    inputs,
    globals: { ...globals, project: isRecord(globals.project) ? globals.project : project },
    fetch: mock ? 'mock' : 'real',
    timeoutMs: 5000,
    maxAsyncSteps: 5,
    // PostHog writes the mocked call as it was made (its log lines are not sanitized); prints are.
    revealMockedCalls: true,
  });
  // The test API lists the mock lines first, then the executor's (prints, errors, the summary).
  const isMock = (m: string): boolean => m.startsWith("Async function 'fetch' was mocked") || m.startsWith('fetch(');
  const logs = [...result.logs.filter((l) => isMock(l.message)), ...result.logs.filter((l) => !isMock(l.message))];
  if (req.existing) {
    const instance = cryptoId();
    const stored = logsFor(req.state, req.existing);
    for (const l of logs) {
      stored.push({
        log_source_id: req.existing.id,
        instance_id: instance,
        timestamp: l.timestamp.replace(/\.(\d{3})Z$/, '.$1000Z'),
        level: l.level.toUpperCase() as 'DEBUG' | 'INFO' | 'WARN' | 'ERROR',
        message: l.message,
      });
    }
  }
  const errors = result.problems.filter((p) => p.fatal).map((p) => p.message);
  return {
    status: 200,
    body: {
      result: type === 'transformation' ? (result.transformation?.after ?? null) : null,
      status: errors.length > 0 ? 'error' : 'success',
      errors,
      logs: logs.map((l) => ({ level: l.level, timestamp: l.timestamp, message: l.message })),
    },
  };
}

function cryptoId(): string {
  return globalThis.crypto.randomUUID();
}
