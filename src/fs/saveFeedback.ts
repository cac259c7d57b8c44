import * as vscode from 'vscode';
import { Commands, REMOTE_SCHEME, SCHEME, Settings } from '../constants';
import type { Problem } from '../model/inputsDocument';
import { Disposable } from '../util/disposable';
import type { Log } from '../util/log';
import type { PostHogFileSystem, SaveFailure } from './posthogFileSystem';
import { errorMessage } from '../util/errorMessage';

/**
 * The UI side of saving (the provider itself never shows UI): diagnostics for refused saves, live
 * validation of inputs documents, the conflict notification with Compare / Overwrite, and a one-time
 * warning when auto save would deploy every keystroke.
 */
export class SaveFeedback extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly diagnostics = this.register(vscode.languages.createDiagnosticCollection('posthog'));
  private readonly remoteTexts = new Map<string, string>();
  private readonly remoteChanged = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.remoteChanged.event;
  private validateTimer: NodeJS.Timeout | undefined;
  private autoSaveExplained = false;

  constructor(
    private readonly fs: PostHogFileSystem,
    private readonly log: Log,
  ) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(REMOTE_SCHEME, this));
    this.register(fs.onDidFailSave((f) => void this.onFailure(f)));
    this.register(fs.onDidSave(({ uri }) => this.diagnostics.delete(uri)));
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.diagnostics.delete(d.uri)));
    this.register(vscode.workspace.onDidChangeTextDocument((e) => this.scheduleValidate(e.document)));
    this.register(vscode.workspace.onDidOpenTextDocument((d) => this.onOpen(d)));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.remoteTexts.get(uri.toString()) ?? '';
  }

  /** Shows remote (left, read-only) vs mine (right, editable) for a conflicting document. */
  async compare(uri: vscode.Uri, remoteText?: string): Promise<void> {
    const text = remoteText ?? (await this.fs.remoteText(uri));
    const remote = uri.with({ scheme: REMOTE_SCHEME, query: `t=${Date.now()}` });
    this.remoteTexts.set(remote.toString(), text);
    this.remoteChanged.fire(remote);
    const name = uri.path.split('/').pop() ?? uri.path;
    await vscode.commands.executeCommand('vscode.diff', remote, uri, `${name} (PostHog) ↔ ${name} (yours)`);
  }

  /**
   * Replaces the remote version the user was shown with the editor's text (a conditional write: a
   * change made meanwhile is a new conflict), then reloads the editor so it is clean — only if it still
   * holds exactly the text sent, and only that editor (A2): text typed meanwhile stays, dirty.
   */
  async overwrite(f: SaveFailure): Promise<void> {
    const uri = f.uri;
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (!doc) throw new Error('The document is no longer open.');
    const text = doc.getText();
    const failure = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: 'Overwriting the version in PostHog…' }, () =>
      this.fs.overwrite(uri, text, f),
    );
    if (failure) {
      // A new conflict has its own notification; anything else is said here (there was no VS Code save).
      if (failure.kind !== 'conflict') throw new Error(`Not saved to PostHog: ${failure.message}`);
      return;
    }
    if (doc.isClosed || doc.getText() !== text) return;
    // VS Code's revert command takes no URI (it reverts the active editor): show this document,
    // check once more that it is the active one and unchanged, then revert in the same turn.
    const editor = await vscode.window.showTextDocument(doc, { preview: false });
    if (editor.document !== doc || vscode.window.activeTextEditor?.document !== doc || doc.getText() !== text) return;
    await vscode.commands.executeCommand('workbench.action.files.revert');
  }

  private async onFailure(f: SaveFailure): Promise<void> {
    if (f.kind === 'autoSave') {
      await this.explainAutoSave();
      return;
    }
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === f.uri.toString());
    if (doc && f.problems.length) {
      this.diagnostics.set(
        f.uri,
        f.problems.map((p) => toDiagnostic(doc, p, 'PostHog')),
      );
    }
    if (f.kind !== 'conflict') return;
    const choice = await vscode.window.showWarningMessage(f.message, 'Compare', 'Overwrite');
    try {
      if (choice === 'Compare') {
        // The user now reviews that version: their next save is a conditional write against it (A1).
        await f.acceptRemote?.();
        await this.compare(f.uri, f.remoteText);
      } else if (choice === 'Overwrite') await this.overwrite(f);
    } catch (e) {
      const message = errorMessage(e);
      this.log.error('save', `conflict action failed: ${message}`);
      const again = await vscode.window.showErrorMessage(message, 'Show Log');
      if (again) await vscode.commands.executeCommand(Commands.showLog);
    }
  }

  private onOpen(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== SCHEME) return;
    this.validate(doc);
  }

  private scheduleValidate(doc: vscode.TextDocument): void {
    if (doc.uri.scheme !== SCHEME || !doc.uri.path.endsWith('/inputs.json')) return;
    clearTimeout(this.validateTimer);
    this.validateTimer = setTimeout(() => {
      this.validate(doc);
    }, 200);
  }

  /** Live validation of inputs documents against the function's inputs_schema (cached, no request). */
  private validate(doc: vscode.TextDocument): void {
    if (!doc.uri.path.endsWith('/inputs.json')) return;
    const problems = this.fs.validate(doc.uri, doc.getText());
    if (problems === undefined) return;
    this.diagnostics.set(
      doc.uri,
      problems.map((p) => toDiagnostic(doc, p, 'PostHog inputs')),
    );
  }

  /**
   * Automatic saves of PostHog documents are refused unless "posthogHog.deployOnAutoSave" is on (the
   * provider keeps them dirty). Said once per window, with the way to change it.
   */
  private async explainAutoSave(): Promise<void> {
    if (this.autoSaveExplained) return;
    this.autoSaveExplained = true;
    const deploy = 'Deploy on Auto Save';
    const choice = await vscode.window.showInformationMessage(
      'Auto save is on, but PostHog documents deploy only when you save them yourself (Ctrl+S): every pause in typing would otherwise go to production. Unsaved PostHog documents stay marked as changed.',
      deploy,
    );
    if (choice === deploy) await vscode.workspace.getConfiguration(Settings.section).update(Settings.deployOnAutoSave, true, vscode.ConfigurationTarget.Global);
  }
}

export function toDiagnostic(doc: vscode.TextDocument, p: Problem, source: string): vscode.Diagnostic {
  const start = doc.positionAt(p.offset);
  const end = doc.positionAt(p.offset + Math.max(p.length, 0));
  const range = p.length > 0 ? new vscode.Range(start, end) : doc.lineAt(start.line).range;
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = source;
  return d;
}
