import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { pickEnvironment } from './pick';

export async function refreshEnvironment(s: Services, node?: Node): Promise<void> {
  const env = await pickEnvironment(s, node, 'Refresh which environment?');
  s.explorer.reload(env);
}
