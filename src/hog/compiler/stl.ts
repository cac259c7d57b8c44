/**
 * Which functions a call may name: the VM's standard library (with its arity) and what PostHog's CDP
 * runtime adds for each type of hog function.
 */
import { STL_FUNCTIONS } from '../stlNames.generated';

/** The standard library of @posthog/hogvm by name, with the arity the VM checks at runtime. */
export const STL_ARITY: ReadonlyMap<string, { readonly minArgs: number; readonly maxArgs: number | null }> = new Map(
  STL_FUNCTIONS.map((f) => [f.name, { minArgs: f.minArgs, maxArgs: f.maxArgs }]),
);

/** Destinations (PostHog's CORE_SUPPORTED_FUNCTIONS and PRODUCT_ASYNC_FUNCTIONS). */
const DESTINATION_FUNCTIONS = ['fetch', 'postHogCapture', 'postHogGetTicket', 'postHogUpdateTicket', 'postHogGetAccount', 'postHogUpdateAccount', 'postHogSetAccountProperties'];
/** Transformations run with these instead (nodejs/src/cdp: getTransformationFunctions). */
const TRANSFORMATION_FUNCTIONS = ['geoipLookup', 'cleanNullValues', 'isKnownBotUserAgent', 'isKnownBotIp'];

export function supportedFunctions(type: string | null | undefined): readonly string[] {
  return type === 'transformation' ? TRANSFORMATION_FUNCTIONS : DESTINATION_FUNCTIONS;
}
