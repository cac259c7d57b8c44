/**
 * HogVM bytecode: the operation codes of PostHog's VM (`@posthog/hogvm`'s `Operation`, the Python
 * `common/hogvm/python/operation.py`), and the header every compiled program starts with.
 */
export const Op = {
  GET_GLOBAL: 1,
  CALL_GLOBAL: 2,
  AND: 3,
  OR: 4,
  NOT: 5,
  PLUS: 6,
  MINUS: 7,
  MULTIPLY: 8,
  DIVIDE: 9,
  MOD: 10,
  EQ: 11,
  NOT_EQ: 12,
  GT: 13,
  GT_EQ: 14,
  LT: 15,
  LT_EQ: 16,
  LIKE: 17,
  ILIKE: 18,
  NOT_LIKE: 19,
  NOT_ILIKE: 20,
  IN: 21,
  NOT_IN: 22,
  REGEX: 23,
  NOT_REGEX: 24,
  IREGEX: 25,
  NOT_IREGEX: 26,
  IN_COHORT: 27,
  NOT_IN_COHORT: 28,
  TRUE: 29,
  FALSE: 30,
  NULL: 31,
  STRING: 32,
  INTEGER: 33,
  FLOAT: 34,
  POP: 35,
  GET_LOCAL: 36,
  SET_LOCAL: 37,
  RETURN: 38,
  JUMP: 39,
  JUMP_IF_FALSE: 40,
  DECLARE_FN: 41,
  DICT: 42,
  ARRAY: 43,
  TUPLE: 44,
  GET_PROPERTY: 45,
  SET_PROPERTY: 46,
  JUMP_IF_STACK_NOT_NULL: 47,
  GET_PROPERTY_NULLISH: 48,
  THROW: 49,
  TRY: 50,
  POP_TRY: 51,
  CALLABLE: 52,
  CLOSURE: 53,
  CALL_LOCAL: 54,
  GET_UPVALUE: 55,
  SET_UPVALUE: 56,
  CLOSE_UPVALUE: 57,
} as const;

export type OpCode = (typeof Op)[keyof typeof Op];

/** Operation names by code, for listings (`OP_NAMES[33]` is 'INTEGER'). */
export const OP_NAMES: Readonly<Record<number, string>> = Object.fromEntries(Object.entries(Op).map(([name, code]) => [code, name]));

/** `["_H", 1, …]`: PostHog's bytecode identifier and version. */
export const BYTECODE_IDENTIFIER = '_H';
export const BYTECODE_VERSION = 1;

/** Binary operators of the AST (`CompareOperation.op`, `ArithmeticOperation.op`) to their operations. */
export const COMPARE_OPS: Readonly<Record<string, OpCode>> = {
  '==': Op.EQ,
  '!=': Op.NOT_EQ,
  '>': Op.GT,
  '>=': Op.GT_EQ,
  '<': Op.LT,
  '<=': Op.LT_EQ,
  like: Op.LIKE,
  ilike: Op.ILIKE,
  'not like': Op.NOT_LIKE,
  'not ilike': Op.NOT_ILIKE,
  in: Op.IN,
  'not in': Op.NOT_IN,
  'in cohort': Op.IN_COHORT,
  'not in cohort': Op.NOT_IN_COHORT,
  '=~': Op.REGEX,
  '!~': Op.NOT_REGEX,
  '=~*': Op.IREGEX,
  '!~*': Op.NOT_IREGEX,
};

export const ARITHMETIC_OPS: Readonly<Record<string, OpCode>> = {
  '+': Op.PLUS,
  '-': Op.MINUS,
  '*': Op.MULTIPLY,
  '/': Op.DIVIDE,
  '%': Op.MOD,
};
