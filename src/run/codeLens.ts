/**
 * "▶ Run locally" above the code of every hog function written in Hog (the `posthog:` code documents),
 * and "Send real requests…" beside it.
 */
import * as vscode from 'vscode';
import { Commands, LANGUAGE_ID, RUN_SCHEME, SCHEME } from '../constants';
import type { RunResults } from './results';
import { parseDocPath } from '../model/docPath';

export class RunCodeLens implements vscode.CodeLensProvider {
  static readonly selector: vscode.DocumentSelector = [{ scheme: SCHEME, language: LANGUAGE_ID }, { scheme: RUN_SCHEME }];

  constructor(private readonly runs: RunResults) {}

  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.uri.scheme === RUN_SCHEME) {
      // A transformation's result: its event side by side (VS Code's diff editor).
      const diff = this.runs.eventDiff(document.uri);
      if (!diff) return [];
      return [
        new vscode.CodeLens(new vscode.Range(0, 0, 0, 0), { title: 'Compare the event side by side', command: 'vscode.diff', arguments: [diff.before, diff.after, diff.title] }),
      ];
    }
    if (parseDocPath(document.uri.path)?.kind !== 'code') return [];
    const top = new vscode.Range(0, 0, 0, 0);
    return [
      new vscode.CodeLens(top, {
        title: '▶ Run locally',
        tooltip: "Run the unsaved code and inputs on an event, offline, in PostHog's VM",
        command: Commands.runLocally,
        arguments: [document.uri],
      }),
      new vscode.CodeLens(top, {
        title: 'Test on PostHog',
        tooltip: 'Send the unsaved code, inputs and filters to PostHog for a test run (fetch mocked); nothing is saved',
        command: Commands.testFunction,
        arguments: [document.uri],
      }),
      new vscode.CodeLens(top, {
        title: 'Run, sending real requests…',
        tooltip: 'Run locally and send fetch() requests for real (asks first, naming the hosts)',
        command: Commands.runLocallyWithRequests,
        arguments: [document.uri],
      }),
    ];
  }
}
