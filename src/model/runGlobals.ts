/**
 * The globals a local run starts from: an example event shaped by the function's filters (the event
 * name it listens to, the values its property filters ask for), as PostHog's web app builds its test
 * event, or a workspace fixture (`*.event.json`). Pure: no vscode.
 */
import { randomUUID } from 'node:crypto';
import { isJsonObject } from './json';

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

/** The event name the filters match first (`$pageview` when they match every event or none is named). */
export function filterEventName(filters: unknown): string {
  if (!isJsonObject(filters) || !Array.isArray(filters.events)) return '$pageview';
  for (const e of filters.events) if (isJsonObject(e) && typeof e.id === 'string' && e.id !== '') return e.id;
  return '$pageview';
}

/** Values the filters' `exact` property filters require, so the example event passes them. */
function filterProperties(filters: unknown, type: 'event' | 'person'): Json {
  const out: Json = {};
  const lists: unknown[] = [];
  if (isJsonObject(filters)) {
    lists.push(filters.properties);
    if (Array.isArray(filters.events)) for (const e of filters.events) if (isJsonObject(e)) lists.push(e.properties);
  }
  for (const list of lists) {
    if (!Array.isArray(list)) continue;
    for (const p of list) {
      if (!isJsonObject(p) || typeof p.key !== 'string' || (p.type ?? 'event') !== type) continue;
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
  if (!isJsonObject(value)) throw new Error(`${label} must hold a JSON object with the run's globals ({"event": {…}, "person": {…}, …}).`);
  if (!isJsonObject(value.event)) throw new Error(`${label} has no "event" object: a fixture holds the globals of a run, {"event": {…}, "person": {…}, …}.`);
  return value;
}

/**
 * The EventsQuery PostHog's web app sends for "the most recent event matching the filters": `*` and
 * `person`, newest first, one row; the filters as one `fixedProperties` group (each event or action with
 * its own property filters, OR-ed, AND the function's property filters).
 */
export function recentEventQuery(filters: unknown, after: string): Record<string, unknown> {
  const f = isJsonObject(filters) ? filters : {};
  const quote = (s: string): string => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
  const alternatives: unknown[] = [];
  for (const e of Array.isArray(f.events) ? f.events : []) {
    if (!isJsonObject(e)) continue;
    const props: unknown[] = Array.isArray(e.properties) ? (e.properties as unknown[]) : [];
    const match = typeof e.id === 'string' && e.id !== '' ? { type: 'hogql', key: `event = ${quote(e.id)}` } : { type: 'hogql', key: 'true' };
    alternatives.push({ type: 'AND', values: [...props, match] });
  }
  for (const a of Array.isArray(f.actions) ? f.actions : []) {
    if (isJsonObject(a) && a.id !== undefined && a.id !== null) alternatives.push({ type: 'AND', values: [{ type: 'hogql', key: `matchesAction(${Number(a.id)})` }] });
  }
  const fixed = {
    type: 'AND',
    values: [
      { type: 'OR', values: alternatives.length > 0 ? alternatives : [{ type: 'hogql', key: 'true' }] },
      { type: 'AND', values: Array.isArray(f.properties) ? f.properties : [] },
    ],
  };
  return { select: ['*', 'person'], fixedProperties: [fixed], after, orderBy: ['timestamp DESC'], limit: 1 };
}

/** A row of that query (`[event, person]`) as the globals of a run, as PostHog's web app builds them; undefined if it is not one. */
export function globalsFromEventRow(row: readonly unknown[], fn: RunTarget, env: RunEnvironment): Json | undefined {
  const [e, p] = row;
  if (!isJsonObject(e) || typeof e.event !== 'string' || typeof e.uuid !== 'string') return undefined;
  const host = env.host.replace(/\/+$/, '');
  const projectUrl = `${host}/project/${env.projectId}`;
  const distinctId = typeof e.distinct_id === 'string' ? e.distinct_id : '';
  const timestamp = typeof e.timestamp === 'string' ? e.timestamp : '';
  const event = {
    uuid: e.uuid,
    event: e.event,
    distinct_id: distinctId,
    properties: isJsonObject(e.properties) ? e.properties : {},
    elements_chain: typeof e.elements_chain === 'string' ? e.elements_chain : '',
    timestamp,
    url: `${projectUrl}/events/${encodeURIComponent(e.uuid)}/${encodeURIComponent(timestamp)}`,
  };
  const project = { id: env.projectId, name: env.name ?? '', url: projectUrl };
  if (fn.type === 'transformation') return { event, project };
  const personProps = isJsonObject(p) && isJsonObject(p.properties) ? p.properties : {};
  const name = ['email', 'Email', 'name', 'Name', 'username', 'Username', 'UserName'].map((k) => personProps[k]).find((v) => typeof v === 'string' && v !== '');
  const person =
    isJsonObject(p) && typeof p.uuid === 'string'
      ? { id: p.uuid, properties: personProps, name: typeof name === 'string' ? name : distinctId, url: `${projectUrl}/person/${encodeURIComponent(distinctId)}` }
      : undefined;
  return {
    event,
    ...(person ? { person } : {}),
    groups: {},
    project,
    source: { name: fn.name ?? 'Unnamed', url: `${projectUrl}/pipeline/destinations/hog-${fn.id}/configuration/` },
  };
}
