/**
 * What only matters once a function document is shown: the status bar item and first-line hover
 * (FunctionStatus) and the revisions view. Part of the commands bundle, attached by commands/index.ts
 * when the first posthog: editor becomes active, so activation does not load them.
 */
import * as vscode from 'vscode';
import { RevisionsView } from '../changes/revisionsView';
import type { Services } from '../commands/services';
import { FunctionStatus } from './functionStatus';

let revisions: RevisionsView | undefined;

export function attachDocumentFeatures(s: Services): { dispose(): unknown }[] {
  const status = new FunctionStatus(s.fs, s.registry, s.store, s.metrics);
  const view = new RevisionsView(s);
  revisions = view;
  return [
    status,
    vscode.languages.registerHoverProvider(FunctionStatus.hoverSelector, status),
    view,
    new vscode.Disposable(() => {
      if (revisions === view) revisions = undefined;
    }),
  ];
}

/** The revisions view, once attached. */
export function revisionsView(): RevisionsView | undefined {
  return revisions;
}
