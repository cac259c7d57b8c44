/**
 * The documents of a hog function, one spec per kind: how a function becomes text, how text becomes
 * the PATCH of that one field, and how to compare texts the way PostHog stores them. Pure; the file
 * system's handler does the I/O for every kind alike. A new kind = one spec here + its DocRef kind.
 */
import type { HogFunctionPatch } from '../api/client';
import type { HogFunction } from '../api/schemas';
import { canonicalCode, parseCodeDocument, serializeCode } from './codeDocument';
import type { FunctionDocKind } from './docPath';
import { canonicalFilters, parseFiltersDocument, serializeFilters } from './filtersDocument';
import { canonicalInputs, parseInputsDocument, serializeInputs, type Problem } from './inputsDocument';

export type FieldPatch = Pick<HogFunctionPatch, 'hog' | 'inputs' | 'filters'>;

export interface FunctionDocumentSpec {
  readonly kind: FunctionDocKind;
  /** What the document is called in messages ("the code", "inputs"). */
  readonly title: string;
  /** The document's text for a function. Throws a sentence when PostHog's value cannot be shown. */
  serialize(fn: HogFunction): string;
  /** The PATCH of this document's field, or the problems that stop the save (and warnings). */
  parse(text: string, fn: HogFunction): { patch: FieldPatch | undefined; problems: Problem[] };
  /** A text equal for every two documents PostHog would store alike. */
  canonical(text: string): string;
}

const code: FunctionDocumentSpec = {
  kind: 'code',
  title: 'the code',
  serialize: (fn) => serializeCode(fn.hog),
  parse: (text) => {
    const { hog, problems } = parseCodeDocument(text);
    return { patch: hog === undefined ? undefined : { hog }, problems };
  },
  canonical: canonicalCode,
};

const inputs: FunctionDocumentSpec = {
  kind: 'inputs',
  title: 'inputs',
  serialize: (fn) => serializeInputs(fn.inputs, fn.inputs_schema),
  parse: (text, fn) => {
    const parsed = parseInputsDocument(text, fn.inputs_schema);
    return { patch: parsed.inputs ? { inputs: parsed.inputs } : undefined, problems: parsed.problems };
  },
  canonical: canonicalInputs,
};

const filters: FunctionDocumentSpec = {
  kind: 'filters',
  title: 'filters',
  serialize: (fn) => serializeFilters(fn.filters),
  parse: (text) => {
    const parsed = parseFiltersDocument(text);
    return { patch: parsed.filters ? { filters: parsed.filters } : undefined, problems: parsed.problems };
  },
  canonical: canonicalFilters,
};

export const functionDocuments: Readonly<Record<FunctionDocKind, FunctionDocumentSpec>> = { code, inputs, filters };
