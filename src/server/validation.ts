/**
 * Request validation with zod, run by Fastify: a route names a {@link Rule} for its `body`,
 * `querystring` or `params`; Fastify validates before the handler (after the auth hooks), the
 * handler gets the parsed value, and a mismatch answers 400 with the rule's error code.
 *
 * @example
 * ```ts
 * const api = app.withTypeProvider<RuleTypes>();
 * api.get('/conversations', { schema: { querystring: rule(listQuery, 'BAD_QUERY') } }, async (req) => req.query.limit);
 * ```
 */
import type { FastifySchemaCompiler, FastifyTypeProvider } from 'fastify';
import type { z } from 'zod';
import { type HttpErrorCode, ParleyError } from '../core/errors.js';

/** The registry's 400 codes a value that does not fit its rule is refused with. */
export type RefusalCode = Extract<
  HttpErrorCode,
  'BAD_REQUEST' | 'BAD_QUERY' | 'INVALID_EVENT' | 'UNKNOWN_EVENT_TYPE' | 'INVALID_MESSAGE' | 'INVALID_IDENTITIES' | 'INVALID_PROFILE'
>;

/** What a request part must look like, and how a mismatch is answered. */
export class Rule<T> {
  constructor(
    readonly schema: z.ZodType<T>,
    /** The error code and the message for a value that does not fit. */
    readonly refuse: (error: z.ZodError, data: unknown) => { code: RefusalCode; message: string },
  ) {}
}

/** The first issue, as `field: problem` (`body: …` when the whole value is wrong). */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  return `${issue?.path.join('.') || 'body'}: ${issue?.message ?? 'invalid'}`;
}

/** A rule answering `400 { error: <code's wire name>, message: describe(issues) }`. */
export function rule<S extends z.ZodType>(schema: S, code: RefusalCode, describe: (error: z.ZodError) => string = firstIssue): Rule<z.output<S>> {
  return new Rule(schema as z.ZodType<z.output<S>>, (error) => ({ code, message: describe(error) }));
}

/**
 * The validator compiler every route schema goes through (`app.setValidatorCompiler`). A missing
 * body reads as `{}`, as it did when routes parsed bodies themselves.
 */
export const validatorCompiler: FastifySchemaCompiler<unknown> = ({ schema, httpPart, method, url }) => {
  if (!(schema instanceof Rule)) throw new TypeError(`${method} ${url}: the ${httpPart} schema must be a rule() from src/server/validation.ts`);
  const checked = schema as Rule<unknown>;
  return (data: unknown) => {
    const value = data === null && httpPart === 'body' ? {} : data;
    const result = checked.schema.safeParse(value);
    if (result.success) return { value: result.data };
    const { code, message } = checked.refuse(result.error, value);
    return { error: new ParleyError(code, message) };
  };
};

/** Types `req.body`, `req.query` and `req.params` from the route's rules (`app.withTypeProvider<RuleTypes>()`). */
export interface RuleTypes extends FastifyTypeProvider {
  validator: this['schema'] extends Rule<infer T> ? T : unknown;
  serializer: unknown;
}
