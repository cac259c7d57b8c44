/** Personal API key scopes: what the extension needs and what a key lacks. Pure. */

export const NEEDED_SCOPES = ['hog_function:read', 'hog_function:write', 'group:read', 'group:write'] as const;

/** `null`/empty scope lists are legacy keys: allowed everything. `:write` implies `:read`. */
export function hasScope(scopes: readonly string[] | null | undefined, needed: string): boolean {
  if (!scopes || scopes.length === 0) return true;
  if (scopes.includes('*') || scopes.includes(needed)) return true;
  const [object, action] = needed.split(':');
  return action === 'read' && scopes.includes(`${object}:write`);
}

export function missingScopes(scopes: readonly string[] | null | undefined, needed: readonly string[] = NEEDED_SCOPES): string[] {
  return needed.filter((s) => !hasScope(scopes, s));
}
