import * as vscode from 'vscode';
import { CREATABLE_TYPES, typeInfo } from '../model/hogFunctionTypes';
import type { FunctionFilter } from '../services/hogFunctionStore';
import type { Services } from './services';
import { orCancel } from './errorBoundary';

/**
 * "PostHog: Filter Hog Functions…": server-side search (name and description), types and enabled
 * state. Shown in the view's description; the clear-filter button removes it.
 */
export async function filterFunctions(s: Services): Promise<void> {
  const current = s.store.filter;
  const search = orCancel(
    await vscode.window.showInputBox({
      title: 'Filter hog functions (1/2): search',
      prompt: 'Text to find in names and descriptions (empty: all)',
      value: current.search ?? '',
      ignoreFocusOut: true,
    }),
  );
  const allTypes = [...new Set([...CREATABLE_TYPES, 'internal_destination', ...(current.types ?? [])])];
  const picks = orCancel(
    await vscode.window.showQuickPick(
      [
        { label: 'Enabled only', filter: 'enabled' as const, picked: current.enabled === true },
        { label: 'Disabled only', filter: 'disabled' as const, picked: current.enabled === false },
        { label: 'Types', kind: vscode.QuickPickItemKind.Separator },
        ...allTypes.map((t) => ({ label: typeInfo(t).label, filter: t, picked: current.types?.includes(t) ?? false })),
      ],
      { title: 'Filter hog functions (2/2): state and types (none picked: all)', canPickMany: true, ignoreFocusOut: true },
    ),
  );
  const chosen = picks.map((p) => ('filter' in p ? p.filter : undefined)).filter((f): f is string => f !== undefined);
  const enabled = chosen.includes('enabled') && !chosen.includes('disabled') ? true : chosen.includes('disabled') && !chosen.includes('enabled') ? false : undefined;
  const types = chosen.filter((c) => c !== 'enabled' && c !== 'disabled');
  const filter: FunctionFilter = {};
  if (search.trim()) filter.search = search.trim();
  if (types.length) filter.types = types;
  if (enabled !== undefined) filter.enabled = enabled;
  s.store.setFilter(filter);
}
