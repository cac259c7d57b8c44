/**
 * The globals a local run starts from: an example event shaped by the function's filters (the event
 * name it listens to, the values its property filters ask for), as PostHog's web app builds its test
 * event, or a workspace fixture (`*.event.json`). Pure: no vscode.
 */
import { randomUUID } from 'node:crypto';

export interface RunTarget {
  readonly id: string;
  readonly name?: string | null;
  readonly type?: string | null;
  readonly filters?: unknown;
}

export interface RunEnvironment {
  readonly host: string;
  readonly projectId: number;
  readonly name?: string;
}

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);

/** The event name the filters match first (`$pageview` when they match every event or none is named). */
export function filterEventName(filters: unknown): string {
  if (!isRecord(filters) || !Array.isArray(filters.events)) return '$pageview';
  for (const e of filters.events) if (isRecord(e) && typeof e.id === 'string' && e.id !== '') return e.id;
  return '$pageview';
}

/** Values the filters' `exact` property filters require, so the example event passes them. */
function filterProperties(filters: unknown, type: 'event' | 'person'): Json {
  const out: Json = {};
  const lists: unknown[] = [];
  if (isRecord(filters)) {
    lists.push(filters.properties);
    if (Array.isArray(filters.events)) for (const e of filters.events) if (isRecord(e)) lists.push(e.properties);
  }
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      if (!isRecord(p) || typeof p.key !== 'string' || (p.type ?? 'event') !== type) continue;
      if (p.operator !== undefined && p.operator !== 'exact') continue;
      const value: unknown = Array.isArray(p.value) ? (p.value as unknown[])[0] : p.value;
      if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[p.key] = value;
    }
  }
  return out;
}

/** PostHog's example invocation globals (hogFunctionConfigurationLogic's exampleInvocationGlobals), for this function. */
export function exampleGlobals(fn: RunTarget, env: RunEnvironment, now: Date = new Date()): Json {
  const host = env.host.replace(/\/+$/, '');
  const projectUrl = `${host}/project/${env.projectId}`;
  const uuid = randomUUID();
  const personId = randomUUID();
  const distinctId = randomUUID();
  const timestamp = now.toISOString();
  const event = {
    uuid,
    event: filterEventName(fn.filters),
    distinct_id: distinctId,
    properties: { $current_url: `${host}/`, $browser: 'Chrome', this_is_an_example_event: true, ...filterProperties(fn.filters, 'event') },
    elements_chain: '',
    timestamp,
    url: `${projectUrl}/events/${encodeURIComponent(uuid)}/${encodeURIComponent(timestamp)}`,
  };
  const project = { id: env.projectId, name: env.name ?? '', url: projectUrl };
  if (fn.type === 'transformation') return { event, project };
  return {
    event,
    person: {
      id: personId,
      properties: { email: 'example@posthog.com', ...filterProperties(fn.filters, 'person') },
      name: 'Example person',
      url: `${projectUrl}/person/${encodeURIComponent(distinctId)}`,
    },
    groups: {},
    project,
    source: { name: fn.name ?? 'Unnamed', url: `${projectUrl}/pipeline/destinations/hog-${fn.id}/configuration/` },
  };
}

/**
 * A fixture file's globals: a JSON object with at least an `event` object (as PostHog's test form takes
 * it). Throws a sentence naming what is wrong.
 */
export function readFixture(text: string, label: string): Json {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new Error(`${label} is not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (!isRecord(value)) throw new Error(`${label} must hold a JSON object with the run's globals ({"event": {…}, "person": {…}, …}).`);
  if (!isRecord(value.event)) throw new Error(`${label} has no "event" object: a fixture holds the globals of a run, {"event": {…}, "person": {…}, …}.`);
  return value;
}
