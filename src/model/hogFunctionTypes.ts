/**
 * Hog function types as the tree and the documents present them. `type` is an open string on the
 * wire: an unknown type still gets a folder (labelled from its id) rather than disappearing.
 */

export interface TypeInfo {
  readonly type: string;
  /** Folder label, plural. */
  readonly label: string;
  readonly singular: string;
  /** Position among folders; unknown types come after the known ones, alphabetically. */
  readonly order: number;
  /** Code language: site apps and site destinations are TypeScript, everything else is Hog. */
  readonly codeLanguage: 'hog' | 'typescript';
  /** Codicon for the folder. */
  readonly icon: string;
}

const KNOWN: readonly TypeInfo[] = [
  { type: 'destination', label: 'Destinations', singular: 'Destination', order: 0, codeLanguage: 'hog', icon: 'send' },
  { type: 'transformation', label: 'Transformations', singular: 'Transformation', order: 1, codeLanguage: 'hog', icon: 'wand' },
  { type: 'site_destination', label: 'Site destinations', singular: 'Site destination', order: 2, codeLanguage: 'typescript', icon: 'globe' },
  { type: 'site_app', label: 'Site apps', singular: 'Site app', order: 3, codeLanguage: 'typescript', icon: 'browser' },
  { type: 'source_webhook', label: 'Sources', singular: 'Source (webhook)', order: 4, codeLanguage: 'hog', icon: 'plug' },
  { type: 'internal_destination', label: 'Internal destinations', singular: 'Internal destination', order: 5, codeLanguage: 'hog', icon: 'bell' },
  { type: 'transformation_log', label: 'Log transformations', singular: 'Log transformation', order: 6, codeLanguage: 'hog', icon: 'output' },
];

const BY_TYPE = new Map(KNOWN.map((t) => [t.type, t]));

/**
 * Every type a list asks for when the user did not filter by type (C2). Older servers list only
 * destinations unless told otherwise; they read `types=a,b`, which newer servers ignore (they list
 * every type when `type` is absent). `broadcast` existed only on older servers.
 */
export const LIST_ALL_TYPES: readonly string[] = [...KNOWN.map((t) => t.type), 'broadcast'];

/** Types a user can create from the extension (warehouse/internal ones are managed elsewhere). */
export const CREATABLE_TYPES: readonly string[] = ['destination', 'transformation', 'site_destination', 'site_app', 'source_webhook'];

export function typeInfo(type: string | null | undefined): TypeInfo {
  const t = type ?? 'destination';
  const known = BY_TYPE.get(t);
  if (known) return known;
  const words = t.replace(/[_-]+/g, ' ').trim() || 'unknown';
  const singular = words.charAt(0).toUpperCase() + words.slice(1);
  return { type: t, label: `${singular}${singular.endsWith('s') ? '' : 's'}`, singular, order: 100, codeLanguage: 'hog', icon: 'symbol-misc' };
}

export function compareTypes(a: string, b: string): number {
  const ia = typeInfo(a);
  const ib = typeInfo(b);
  return ia.order - ib.order || ia.type.localeCompare(ib.type);
}

/** HogFunctionState values (status.state). Unknown numbers are shown as such. */
export function healthLabel(state: number | undefined): string | undefined {
  switch (state) {
    case undefined:
    case 0:
      return undefined;
    case 1:
      return 'healthy';
    case 2:
      return 'degraded';
    case 3:
      return 'disabled by PostHog';
    case 11:
      return 'forcefully degraded';
    case 12:
      return 'forcefully disabled';
    default:
      return `state ${state}`;
  }
}

export type HealthLevel = 'ok' | 'warning' | 'error' | 'unknown';

export function healthLevel(state: number | undefined): HealthLevel {
  switch (state) {
    case 1:
      return 'ok';
    case 2:
    case 11:
      return 'warning';
    case 3:
    case 12:
      return 'error';
    default:
      return 'unknown';
  }
}

/** Backfills need an event-sourced destination (PostHog's enable_backfills rules). */
export function canEnableBackfills(fn: { type?: string | null; filters?: Record<string, unknown> | null }): boolean {
  const source = fn.filters?.source;
  return (fn.type ?? 'destination') === 'destination' && (source === undefined || source === null || source === 'events');
}
