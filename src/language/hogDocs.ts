/**
 * What the editor knows about Hog besides the standard library (stlNames.generated.ts): keywords, the globals
 * a hog function receives and their fields, and the functions PostHog's CDP runtime adds. Pure data.
 * Sources: the Hog language docs and HogFunctionInvocationGlobals in PostHog's CDP service.
 */
import type { HogToken } from './scanner';
import { STL_FUNCTIONS, type StlFunctionInfo } from '../hog/stlNames.generated';

export interface FieldDoc {
  readonly name: string;
  readonly type: string;
  readonly description: string;
}

export interface GlobalDoc {
  readonly name: string;
  readonly type: string;
  readonly description: string;
  readonly fields: readonly FieldDoc[];
  /** Fields of each value of a dictionary global (groups.<type>.…). */
  readonly valueFields?: readonly FieldDoc[];
}

export const HOG_GLOBALS: readonly GlobalDoc[] = [
  {
    name: 'event',
    type: 'dict',
    description: 'The event that triggered the function.',
    fields: [
      { name: 'uuid', type: 'string', description: 'Unique id of the event.' },
      { name: 'event', type: 'string', description: "Event name, e.g. '$pageview' or 'signed up'." },
      { name: 'distinct_id', type: 'string', description: 'Distinct id of the user who sent the event.' },
      { name: 'properties', type: 'dict', description: "Event properties, e.g. event.properties.$current_url or event.properties['$browser']." },
      { name: 'elements_chain', type: 'string', description: 'Autocaptured elements, serialized.' },
      { name: 'timestamp', type: 'string', description: 'When the event happened (ISO 8601).' },
      { name: 'url', type: 'string', description: 'Link to the event in PostHog.' },
    ],
  },
  {
    name: 'person',
    type: 'dict | null',
    description: 'The person behind the event (null for anonymous events without a person profile).',
    fields: [
      { name: 'id', type: 'string', description: "The person's UUID." },
      { name: 'properties', type: 'dict', description: 'Person properties, e.g. person.properties.email.' },
      { name: 'name', type: 'string', description: 'Display name (from the email or name properties, else the distinct id).' },
      { name: 'url', type: 'string', description: 'Link to the person in PostHog.' },
    ],
  },
  {
    name: 'groups',
    type: 'dict',
    description: "The event's groups by group type, e.g. groups.organization.properties.name.",
    fields: [],
    valueFields: [
      { name: 'id', type: 'string', description: 'The group key.' },
      { name: 'type', type: 'string', description: 'The group type, e.g. organization.' },
      { name: 'index', type: 'number', description: 'The group type index (0–4).' },
      { name: 'url', type: 'string', description: 'Link to the group in PostHog.' },
      { name: 'properties', type: 'dict', description: 'Group properties.' },
    ],
  },
  {
    name: 'project',
    type: 'dict',
    description: 'The PostHog project the function runs in.',
    fields: [
      { name: 'id', type: 'number', description: 'Project id.' },
      { name: 'name', type: 'string', description: 'Project name.' },
      { name: 'url', type: 'string', description: 'Link to the project.' },
    ],
  },
  {
    name: 'source',
    type: 'dict',
    description: 'What invoked the function (the hog function itself).',
    fields: [
      { name: 'name', type: 'string', description: 'Name of the hog function.' },
      { name: 'url', type: 'string', description: 'Link to the hog function.' },
    ],
  },
  {
    name: 'inputs',
    type: 'dict',
    description: "The function's inputs, evaluated from its inputs_schema (templates already rendered; secrets included).",
    fields: [],
  },
  {
    name: 'request',
    type: 'dict',
    description: 'Webhook sources only: the incoming HTTP request.',
    fields: [
      { name: 'method', type: 'string', description: "HTTP method, e.g. 'POST'." },
      { name: 'headers', type: 'dict', description: "Request headers (lower-case names), e.g. request.headers['authorization']." },
      { name: 'query', type: 'dict', description: 'Query string parameters.' },
      { name: 'body', type: 'dict', description: 'The body, parsed as JSON.' },
      { name: 'stringBody', type: 'string', description: 'The raw body.' },
      { name: 'ip', type: 'string', description: "The caller's IP address." },
    ],
  },
  {
    name: 'record',
    type: 'dict',
    description: 'Log transformations only: the log record being transformed.',
    fields: [],
  },
];

export const HOG_GLOBALS_BY_NAME: ReadonlyMap<string, GlobalDoc> = new Map(HOG_GLOBALS.map((g) => [g.name, g]));

/** Well-known event properties offered after event.properties. */
export const COMMON_EVENT_PROPERTIES: readonly FieldDoc[] = [
  { name: '$current_url', type: 'string', description: 'Full URL of the page.' },
  { name: '$pathname', type: 'string', description: 'Path of the page.' },
  { name: '$host', type: 'string', description: 'Host name of the page.' },
  { name: '$referrer', type: 'string', description: 'Referring URL.' },
  { name: '$browser', type: 'string', description: 'Browser name.' },
  { name: '$os', type: 'string', description: 'Operating system.' },
  { name: '$device_type', type: 'string', description: 'Desktop, Mobile or Tablet.' },
  { name: '$ip', type: 'string', description: 'IP address of the client.' },
  { name: '$lib', type: 'string', description: 'The SDK that sent the event.' },
  { name: '$session_id', type: 'string', description: 'Session id.' },
  { name: '$set', type: 'dict', description: 'Person properties to set.' },
  { name: '$set_once', type: 'dict', description: 'Person properties to set if not already set.' },
];

export interface KeywordDoc {
  readonly name: string;
  readonly description: string;
  /** VS Code snippet syntax. */
  readonly snippet?: string;
}

export const HOG_KEYWORDS: readonly KeywordDoc[] = [
  { name: 'let', description: 'Declares a variable: `let name := value`. Assignment uses `:=`; `=` compares.', snippet: 'let ${1:name} := ${0}' },
  { name: 'fun', description: 'Declares a function: `fun name(a, b) { … }` (`fn` is the same).', snippet: 'fun ${1:name}(${2}) {\n\t$0\n}' },
  { name: 'fn', description: 'Declares a function: `fn name(a, b) { … }` (same as `fun`).' },
  { name: 'if', description: 'Conditional: `if (cond) { … } else { … }`.', snippet: 'if (${1:condition}) {\n\t$0\n}' },
  { name: 'else', description: 'The alternative branch of an `if`.' },
  { name: 'while', description: 'Loop: `while (cond) { … }`. Hog has no break or continue.', snippet: 'while (${1:condition}) {\n\t$0\n}' },
  {
    name: 'for',
    description: 'Loop: `for (let i := 0; i < n; i := i + 1) { … }` or `for (let key, value in dict) { … }`. Hog has no break or continue.',
    snippet: 'for (let ${1:item} in ${2:array}) {\n\t$0\n}',
  },
  { name: 'in', description: 'Membership (`x in [1, 2]`, `not in`), and the iteration of `for (let k, v in dict)`.' },
  { name: 'return', description: 'Ends the function, optionally with a value. A transformation returns the modified event (or null to drop it).' },
  { name: 'throw', description: "Raises an error: `throw Error('message')`, or `RetryError(…)` to ask for a retry." },
  { name: 'try', description: 'Catches errors: `try { … } catch (e) { … } finally { … }`.', snippet: 'try {\n\t$1\n} catch (${2:e}) {\n\t$0\n}' },
  { name: 'catch', description: 'Handles an error thrown in `try`: `catch (e)` or `catch (e: RetryError)`.' },
  { name: 'finally', description: 'Runs after `try`/`catch` whether or not an error was thrown.' },
  { name: 'and', description: 'Logical and (Hog has no `&&`).' },
  { name: 'or', description: 'Logical or. `||` concatenates strings.' },
  { name: 'not', description: 'Logical not (Hog has no `!`); also `not like`, `not in`, `is not null`.' },
  { name: 'like', description: "Pattern match with `%` and `_` wildcards: `x like 'a%'`." },
  { name: 'ilike', description: 'Case-insensitive `like`.' },
  { name: 'is', description: '`x is null`, `x is not null`.' },
  { name: 'between', description: '`x between low and high` (inclusive).' },
  { name: 'true', description: 'Boolean true (case-insensitive).' },
  { name: 'false', description: 'Boolean false (case-insensitive).' },
  { name: 'null', description: 'The null value (case-insensitive). Use `is null` / `??` to test and default it.' },
];

export const HOG_KEYWORDS_BY_NAME: ReadonlyMap<string, KeywordDoc> = new Map(HOG_KEYWORDS.map((k) => [k.name, k]));

export interface FunctionDoc {
  readonly name: string;
  readonly signature: string;
  readonly description: string;
  readonly minArgs: number;
  readonly maxArgs: number | null;
  /** 'stl': @posthog/hogvm standard library; 'host': provided by PostHog's CDP runtime to destinations and sources. */
  readonly origin: 'stl' | 'host';
  readonly async: boolean;
}

/** Functions that are not in the VM but that PostHog's CDP runtime gives hog functions. */
export const HOST_FUNCTIONS: readonly FunctionDoc[] = [
  {
    name: 'fetch',
    signature: "fetch(url, { 'method': 'POST', 'headers': {…}, 'body': … })",
    description: 'Sends an HTTP request and returns `{status, body}` (the body is parsed when it is JSON). Destinations only; counted against the async step limit.',
    minArgs: 1,
    maxArgs: 2,
    origin: 'host',
    async: true,
  },
  {
    name: 'postHogCapture',
    signature: "postHogCapture({ 'event': …, 'distinct_id': …, 'properties': {…} })",
    description: 'Captures an event into this PostHog project (e.g. from a webhook source).',
    minArgs: 1,
    maxArgs: 1,
    origin: 'host',
    async: true,
  },
];

function stlDoc(f: StlFunctionInfo): FunctionDoc {
  return {
    name: f.name,
    signature: stlSignature(f),
    description: f.description ?? '',
    minArgs: f.minArgs,
    maxArgs: f.maxArgs,
    origin: 'stl',
    async: f.async,
  };
}

/** `formatDateTime(arg1, arg2, [arg3])` from the arity (the VM has no parameter names). */
export function stlSignature(f: Pick<StlFunctionInfo, 'name' | 'minArgs' | 'maxArgs'>): string {
  const required = Array.from({ length: f.minArgs }, (_, i) => `arg${i + 1}`);
  const optional = f.maxArgs === null ? ['…'] : Array.from({ length: Math.max(0, f.maxArgs - f.minArgs) }, (_, i) => `[arg${f.minArgs + i + 1}]`);
  return `${f.name}(${[...required, ...optional].join(', ')})`;
}

export function arityText(f: Pick<FunctionDoc, 'minArgs' | 'maxArgs'>): string {
  if (f.maxArgs === null) return `${f.minArgs}+ arguments`;
  if (f.minArgs === f.maxArgs) return `${f.minArgs} argument${f.minArgs === 1 ? '' : 's'}`;
  return `${f.minArgs}–${f.maxArgs} arguments`;
}

/** Standard library (generated from @posthog/hogvm) and host functions, by name. Host entries win on a clash. */
export const HOG_FUNCTIONS_BY_NAME: ReadonlyMap<string, FunctionDoc> = new Map([
  ...STL_FUNCTIONS.map((f): [string, FunctionDoc] => [f.name, stlDoc(f)]),
  ...HOST_FUNCTIONS.map((f): [string, FunctionDoc] => [f.name, f]),
]);

/** One entry of a hog function's inputs_schema, as much of it as the editor uses (nulls as the API sends them). */
export interface InputSchemaEntry {
  readonly key: string;
  readonly label?: string | null;
  readonly type?: string | null;
  readonly description?: string | null;
  readonly secret?: boolean | null;
  readonly required?: boolean | null;
}

// ─── code context (pure helpers for completion and hover) ────────────────────────────────────────

const MEMBER_CHAIN = /([A-Za-z_$][A-Za-z0-9_$]*(?:\s*(?:\?\.|\.)\s*[A-Za-z_$][A-Za-z0-9_$]*)*)\s*(?:\?\.|\.)\s*([A-Za-z_$][A-Za-z0-9_$]*)?$/;

export interface MemberContext {
  /** The names before the last dot: ['event', 'properties'] for `event.properties.$cu`. */
  readonly chain: readonly string[];
  /** What has been typed after the last dot ('' right after the dot). */
  readonly partial: string;
}

/** For the text before the cursor: the member chain being completed, if the cursor follows `a.b.` or `a.b.pa`. */
export function memberContext(textBefore: string): MemberContext | undefined {
  const m = MEMBER_CHAIN.exec(textBefore);
  if (!m?.[1]) return undefined;
  // Not a chain if it continues something else: a number (1.5), or a longer chain of non-identifiers.
  const charBefore = textBefore[m.index - 1];
  if (charBefore !== undefined && /[0-9.]/.test(charBefore)) return undefined;
  return { chain: m[1].split(/\s*(?:\?\.|\.)\s*/), partial: m[2] ?? '' };
}

/** The fields known for a member chain (event, person.…, groups.<type>, event.properties), if any. */
export function fieldsFor(chain: readonly string[]): readonly FieldDoc[] | undefined {
  const [root, ...rest] = chain;
  const global = root === undefined ? undefined : HOG_GLOBALS_BY_NAME.get(root);
  if (!global) return undefined;
  if (rest.length === 0) return global.fields.length > 0 ? global.fields : undefined;
  if (global.name === 'event' && rest.length === 1 && rest[0] === 'properties') return COMMON_EVENT_PROPERTIES;
  if (global.valueFields && rest.length === 1) return global.valueFields;
  return undefined;
}

export interface DeclaredName {
  readonly name: string;
  readonly kind: 'variable' | 'function' | 'parameter';
  readonly offset: number;
}

/** Names the code declares: let x, fun f(a, b), for (let k, v in …), catch (e), lambda parameters are not tracked. */
export function declaredNames(tokens: readonly HogToken[]): DeclaredName[] {
  const out: DeclaredName[] = [];
  const sig = tokens.filter((t) => t.kind !== 'comment');
  for (let k = 0; k < sig.length; k++) {
    const t = sig[k];
    if (t?.kind !== 'ident') continue;
    const word = t.text.toLowerCase();
    const next = sig[k + 1];
    if (word === 'let' && next?.kind === 'ident') {
      out.push({ name: next.text, kind: 'variable', offset: next.start });
      // for (let k, v in …)
      if (sig[k + 2]?.text === ',' && sig[k + 3]?.kind === 'ident') out.push({ name: sig[k + 3]?.text ?? '', kind: 'variable', offset: sig[k + 3]?.start ?? 0 });
    } else if ((word === 'fun' || word === 'fn') && next?.kind === 'ident') {
      out.push({ name: next.text, kind: 'function', offset: next.start });
      if (sig[k + 2]?.text === '(') {
        for (let j = k + 3; j < sig.length && sig[j]?.text !== ')'; j++) {
          const p = sig[j];
          if (p?.kind === 'ident') out.push({ name: p.text, kind: 'parameter', offset: p.start });
        }
      }
    } else if (word === 'catch' && next?.text === '(' && sig[k + 2]?.kind === 'ident') {
      out.push({ name: sig[k + 2]?.text ?? '', kind: 'variable', offset: sig[k + 2]?.start ?? 0 });
    }
  }
  return out;
}
