import type { Services } from './services';
import type { Node } from '../tree/nodes';
import { openFunctionDocument } from './openDocument';

export async function openInputs(s: Services, node?: Node): Promise<void> {
  await openFunctionDocument(s, 'inputs', node);
}
