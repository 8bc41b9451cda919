import type { FastifyInstance } from 'fastify';
import type { LocalizedMessage } from '../domain/index.js';
import { findJsonSyntaxError, type JsonSyntaxError } from './json-syntax-error.js';

/** A JSON request body that cannot be read: code BAD_REQUEST, with a message saying where and why. */
export class RequestBodyError extends Error {
  override readonly name = 'RequestBodyError';
  readonly statusCode = 400;
  readonly code = 'BAD_REQUEST';
  readonly messages: LocalizedMessage;
  /** `{ line, column }` of a syntax error (1-based). */
  readonly details: Record<string, unknown> | undefined;

  constructor(messages: LocalizedMessage, details?: Record<string, unknown>) {
    super(messages.en);
    this.messages = messages;
    this.details = details;
  }
}

/**
 * Replaces Fastify's JSON body parser with one that says what is wrong: a syntax error names its line and
 * column and what stands there, an empty body says so. Parsing itself is still Fastify's (prototype-poisoning
 * protection included); only its failures are explained.
 */
export function registerJsonBodyParser(app: FastifyInstance): void {
  const parse = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    parse(request, text, (err, value) => {
      if (!err) return done(null, value);
      if (text.length === 0) return done(emptyBody(), undefined);
      const syntax = findJsonSyntaxError(text);
      return done(syntax ? malformedJson(syntax) : err, undefined);
    });
  });
}

function emptyBody(): RequestBodyError {
  return new RequestBodyError({
    pl: 'Treść żądania jest pusta, a Content-Type wskazuje JSON: wyślij dokument JSON albo pomiń nagłówek.',
    en: 'The request body is empty but its Content-Type is JSON: send a JSON document or leave the header out.',
  });
}

function malformedJson(error: JsonSyntaxError): RequestBodyError {
  const where = { pl: `w wierszu ${error.line}, kolumnie ${error.column}`, en: `at line ${error.line}, column ${error.column}` };
  const what =
    error.found === undefined
      ? { pl: 'nieoczekiwany koniec danych', en: 'unexpected end of input' }
      : { pl: `nieoczekiwany znak ${JSON.stringify(error.found)}`, en: `unexpected ${JSON.stringify(error.found)}` };
  return new RequestBodyError(
    {
      pl: `Treść żądania nie jest poprawnym JSON-em: ${what.pl} ${where.pl}.`,
      en: `The request body is not valid JSON: ${what.en} ${where.en}.`,
    },
    { line: error.line, column: error.column },
  );
}
