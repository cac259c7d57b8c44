import * as vscode from 'vscode';
import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickEnvironment } from './pick';

/** "PostHog: Remove Environment": hides it from the tree (the key stays for other environments). */
export async function removeEnvironment(s: Services, node?: Node): Promise<void> {
  const env = await pickEnvironment(s, node, 'Remove which environment from the view?');
  await s.registry.remove(env);
  void vscode.window.showInformationMessage(`Removed ${env.name} from the PostHog view.`);
}
