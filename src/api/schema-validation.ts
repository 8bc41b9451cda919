import type { FastifySchemaCompiler } from 'fastify';
import type { TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { ValueErrorType, type ValueError } from '@sinclair/typebox/errors';
import { Value } from '@sinclair/typebox/value';
import {
  hasJsonType,
  missingFieldMessage,
  unknownFieldMessage,
  wrongTypeMessage,
  type JsonType,
  type LocalizedMessage,
} from '../domain/index.js';

/**
 * A request that does not match its route schema: code VALIDATION_ERROR, `field` the dotted path
 * (`voicemail.pin`), undefined for the whole part.
 */
export class SchemaValidationError extends Error {
  override readonly name = 'SchemaValidationError';
  readonly statusCode = 400;
  readonly code = 'VALIDATION_ERROR';
  readonly field: string | undefined;
  readonly messages: LocalizedMessage;
  /** Which part of the request failed: body, querystring, params or headers. */
  readonly part: string;

  constructor(part: string, field: string | undefined, messages: LocalizedMessage) {
    super(messages.en);
    this.part = part;
    this.field = field;
    this.messages = messages;
  }
}

/**
 * Schema option marking a property whose value rules (type included) belong to the domain: a mismatch there is
 * not answered by the schema but left to the use case, which answers with its precise code (EXTENSION_NUMBER_INVALID,
 * PIN_INVALID …), the same for the API and the CLI. Unknown properties are still refused by the schema.
 */
export const DOMAIN_CHECKED = { 'x-domain-checked': true } as const;

/**
 * Validator compiler for Fastify built on TypeBox's compiler. JSON bodies are checked as sent (no type
 * coercion, unknown properties rejected, never silently dropped); query strings and path parameters are
 * strings on the wire, so they are converted to the schema's types first. Mismatches inside
 * {@link DOMAIN_CHECKED} properties pass through to the use case. A missing body counts as `{}` when the
 * body schema is an object without required properties (so `POST /tokens` needs no body).
 */
export const typeboxValidatorCompiler: FastifySchemaCompiler<TSchema> = ({ schema, httpPart }) => {
  const check = TypeCompiler.Compile(schema);
  const convert = httpPart === 'querystring' || httpPart === 'params';
  const part = httpPart ?? 'body';
  const emptyBodyAllowed = part === 'body' && schema.type === 'object' && (schema.required?.length ?? 0) === 0;
  return (data: unknown) => {
    const given = data === null && emptyBodyAllowed ? {} : data;
    const value = convert ? Value.Convert(schema, given) : given;
    if (check.Check(value)) return { value };
    const refused = [...check.Errors(value)].find((e) => !leftToDomain(e));
    return refused ? { error: toValidationError(part, refused) } : { value };
  };
};

function leftToDomain(error: ValueError): boolean {
  const marked = (error.schema as { 'x-domain-checked'?: unknown })['x-domain-checked'] === true;
  return marked && error.type !== ValueErrorType.ObjectAdditionalProperties;
}

function toValidationError(part: string, error: ValueError): SchemaValidationError {
  const field = pathToField(error.path);
  return new SchemaValidationError(part, field, describe(part, field, error));
}

/** `/voicemail/pin` → `voicemail.pin`; `/items/0` → `items.0`; the root → undefined. */
function pathToField(path: string): string | undefined {
  if (path === '' || path === '/') return undefined;
  return path
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .join('.');
}

const PART_NAMES: Record<string, LocalizedMessage> = {
  body: { pl: 'treść żądania', en: 'request body' },
  querystring: { pl: 'parametry zapytania', en: 'query string' },
  params: { pl: 'parametry ścieżki', en: 'path parameters' },
  headers: { pl: 'nagłówki', en: 'headers' },
};

const TYPE_ERRORS: ReadonlyMap<ValueErrorType, JsonType> = new Map([
  [ValueErrorType.String, 'string'],
  [ValueErrorType.Number, 'number'],
  [ValueErrorType.Integer, 'integer'],
  [ValueErrorType.Boolean, 'boolean'],
  [ValueErrorType.Object, 'object'],
  [ValueErrorType.Array, 'array'],
  [ValueErrorType.Null, 'null'],
]);

function describe(part: string, field: string | undefined, error: ValueError): LocalizedMessage {
  const partName = PART_NAMES[part] ?? { pl: part, en: part };
  if (field === undefined) {
    if (error.type === ValueErrorType.Object) {
      return { pl: `Nieprawidłowa ${partName.pl}: oczekiwano obiektu JSON.`, en: `Invalid ${partName.en}: a JSON object is expected.` };
    }
    return { pl: `Nieprawidłowe dane: ${partName.pl}.`, en: `Invalid ${partName.en}.` };
  }
  if (error.type === ValueErrorType.ObjectRequiredProperty) return missingFieldMessage(field);
  if (error.type === ValueErrorType.ObjectAdditionalProperties) return unknownFieldMessage(field);
  const single = TYPE_ERRORS.get(error.type);
  const expected = single !== undefined ? [single] : unionTypes(error);
  if (expected !== undefined && !hasJsonType(error.value, expected)) return wrongTypeMessage(field, expected, error.value);
  const allowed = literalValues(error);
  if (allowed !== undefined) return { pl: `${field}: dozwolone wartości to ${allowed}`, en: `${field}: must be one of ${allowed}` };
  const [pl, en] = problem(error.type);
  return { pl: `${field}: ${pl}`, en: `${field}: ${en}` };
}

/** The JSON types the members of a union accept (`string | null`), when each member names one. */
function unionTypes(error: ValueError): JsonType[] | undefined {
  if (error.type !== ValueErrorType.Union) return undefined;
  const members = (error.schema.anyOf ?? []) as TSchema[];
  const types = members.map((m) => (typeof m.type === 'string' ? (m.type as JsonType) : undefined));
  return types.every((t) => t !== undefined) && types.length > 0 ? [...new Set(types as JsonType[])] : undefined;
}

/** `"create", "update"` for a union of literals (or a literal), undefined otherwise. */
function literalValues(error: ValueError): string | undefined {
  if (error.type !== ValueErrorType.Union && error.type !== ValueErrorType.Literal) return undefined;
  const members = error.type === ValueErrorType.Union ? ((error.schema.anyOf ?? []) as TSchema[]) : [error.schema];
  const values = members.map((m) => m.const as unknown);
  return values.length > 0 && values.every((v) => v !== undefined) ? values.map((v) => JSON.stringify(v)).join(', ') : undefined;
}

function problem(type: ValueErrorType | undefined): [string, string] {
  switch (type) {
    case ValueErrorType.Integer:
      return ['musi być liczbą całkowitą', 'must be an integer'];
    case ValueErrorType.Literal:
    case ValueErrorType.Union:
      return ['ma niedozwoloną wartość', 'has a value that is not allowed'];
    case ValueErrorType.StringMinLength:
      return ['jest za krótkie', 'is too short'];
    case ValueErrorType.StringMaxLength:
      return ['jest za długie', 'is too long'];
    case ValueErrorType.StringPattern:
    case ValueErrorType.StringFormat:
      return ['ma nieprawidłowy format', 'has an invalid format'];
    case ValueErrorType.IntegerMinimum:
    case ValueErrorType.IntegerMaximum:
    case ValueErrorType.NumberMinimum:
    case ValueErrorType.NumberMaximum:
      return ['jest poza dozwolonym zakresem', 'is out of range'];
    default:
      return ['ma nieprawidłową wartość', 'is invalid'];
  }
}
