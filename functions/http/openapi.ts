/**
 * A small route registry: each API route is declared once with zod schemas, which both
 * validate its input and describe it in /api/v1/openapi.json. Written here rather than
 * taken from @hono/zod-openapi because that library needs classic zod, whose size would
 * triple the Lambda bundle (see functions/core/zod.ts); zod's own JSON Schema output does
 * the schema work.
 */
import type { Context, Env, MiddlewareHandler } from 'hono';
import { Hono } from 'hono';
import { type $ZodType, toJSONSchema } from 'zod/v4/core';
import * as z from '#core/zod.ts';
import { parseOptions, validationError } from './validation.ts';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
type Schema = $ZodType;
type Infer<S> = S extends Schema ? z.infer<S> : undefined;

/**
 * Named schemas live in zod's global registry (where `.register(z.globalRegistry, {description})`
 * also puts field descriptions); they are emitted under components.schemas and used by $ref.
 */
const components = z.globalRegistry;

/** Registers a schema as a named component. @example const Market = component('Market', marketSchema) */
export function component<S extends Schema>(id: string, schema: S, description?: string): S {
  components.add(schema, { ...components.get(schema), id, ...(description ? { description } : {}) });
  return schema;
}

export interface ResponseSpec {
  description: string;
  schema?: Schema;
  /** Defaults to application/json; problems use application/problem+json. */
  contentType?: string;
}

export interface RouteSpec<P extends Schema | undefined, Q extends Schema | undefined, B extends Schema | undefined> {
  method: Method;
  /** OpenAPI style: /markets/{id} */
  path: string;
  /** Default: from the method and path, e.g. GET /markets/{id} → `getMarketsById` (see operationIdOf). */
  operationId?: string;
  summary: string;
  description?: string;
  tags?: string[];
  params?: P;
  query?: Q;
  body?: B;
  /** Needs a signed-in staff member (bearer token or session cookie). */
  auth?: boolean;
  /** Runs before validation, e.g. a permission check. */
  // biome-ignore lint/suspicious/noExplicitAny: a spec is shared by routers of any Hono env
  middleware?: MiddlewareHandler<any>[];
  responses: Record<number, ResponseSpec>;
}

export interface RouteInput<P, Q, B> {
  params: Infer<P>;
  query: Infer<Q>;
  body: Infer<B>;
}

type AnySpec = RouteSpec<Schema | undefined, Schema | undefined, Schema | undefined>;

function validate<S extends Schema | undefined>(schema: S, value: unknown, target: string): Infer<S> {
  if (!schema) return undefined as Infer<S>;
  const result = z.safeParse(schema as Schema, value, parseOptions);
  if (result.success) return result.data as Infer<S>;
  // Each field's message in the request's language, for query, path and body alike.
  throw validationError(result.error.issues, target);
}

/** A Hono router whose routes are validated by, and documented from, their specs. */
export class ApiRouter<E extends Env> {
  readonly app = new Hono<E>();
  readonly specs: AnySpec[] = [];

  route<
    P extends Schema | undefined = undefined,
    Q extends Schema | undefined = undefined,
    B extends Schema | undefined = undefined,
  >(
    spec: RouteSpec<P, Q, B>,
    handler: (c: Context<E>, input: RouteInput<P, Q, B>) => Response | Promise<Response>,
  ): this {
    this.specs.push(spec as AnySpec);
    const path = spec.path.replace(/\{(\w+)\}/g, ':$1');
    const run = async (c: Context<E>) => {
      const input = {
        params: validate(spec.params, c.req.param(), 'params'),
        query: validate(spec.query, c.req.query(), 'query'),
        body: spec.body ? validate(spec.body, await c.req.json().catch(() => undefined), 'body') : undefined,
      } as RouteInput<P, Q, B>;
      return handler(c, input);
    };
    this.app.on(
      spec.method.toUpperCase(),
      [path],
      ...((spec.middleware ?? []) as MiddlewareHandler<E>[]),
      run as MiddlewareHandler<E>,
    );
    return this;
  }
}

/** JSON Schema for one schema, with named components as $refs (their bodies go to components). */
function jsonSchema(schema: Schema, io: 'input' | 'output', defs: Record<string, unknown>): Record<string, unknown> {
  const raw = toJSONSchema(schema, {
    metadata: components,
    io,
    unrepresentable: 'any',
    target: 'draft-2020-12',
  }) as Record<string, unknown>;
  const text = JSON.stringify(raw).replaceAll('"#/$defs/', '"#/components/schemas/');
  const {
    $schema: _s,
    $defs,
    ...rest
  } = JSON.parse(text) as Record<string, unknown> & { $defs?: Record<string, unknown> };
  Object.assign(defs, $defs ?? {});
  const id = components.get(schema)?.id;
  if (id) {
    // A named root comes back either inline or as a $ref to its own $defs entry.
    if (!('$ref' in rest)) defs[id] = rest;
    return { $ref: `#/components/schemas/${id}` };
  }
  return rest;
}

function parametersOf(schema: Schema | undefined, where: 'path' | 'query', defs: Record<string, unknown>) {
  if (!schema) return [];
  const object = jsonSchema(schema, 'input', defs) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(object.properties ?? {}).map(([name, property]) => {
    const { description, ...rest } = property;
    return {
      name,
      in: where,
      required: where === 'path' || (object.required ?? []).includes(name),
      ...(description ? { description } : {}),
      schema: rest,
    };
  });
}

/**
 * A stable, URL-safe operationId from the method and path, so every operation has one without
 * each route naming it: GET /prices.csv → `getPricesCsv`, POST /prices/{identity}/approve →
 * `postPricesByIdentityApprove`.
 */
export function operationIdOf(method: Method, path: string): string {
  const words = path
    .split('/')
    .filter(Boolean)
    .flatMap((segment) => {
      const param = /^\{(\w+)\}$/.exec(segment);
      return param ? ['by', param[1]!] : segment.split(/[^A-Za-z0-9]+/);
    })
    .filter(Boolean);
  return method + words.map((w) => w[0]!.toUpperCase() + w.slice(1)).join('');
}

/** Every 4XX answer is a problem document; operations that name none still say so (redocly's operation-4xx-response). */
const anyClientError = (defs: Record<string, unknown>, problemSchema: Schema | undefined) => ({
  description: 'A client error (e.g. 404, 405, 429), as RFC 9457 problem+json',
  ...(problemSchema
    ? { content: { 'application/problem+json': { schema: jsonSchema(problemSchema, 'output', defs) } } }
    : {}),
});

/** The OpenAPI 3.1 document of some routers mounted under `prefix`. */
export function openApiDocument(
  mounts: Array<{ prefix: string; specs: AnySpec[] }>,
  info: { title: string; version: string; description: string },
  serverUrl: string,
  sessionCookieName: string,
) {
  const defs: Record<string, unknown> = {};
  const paths: Record<string, Record<string, unknown>> = {};
  // The problem schema routes declare for their errors (schemas.ts), reused for the 4XX default.
  const problemSchema = mounts
    .flatMap((m) => m.specs)
    .flatMap((s) => Object.values(s.responses))
    .find((r) => r.contentType === 'application/problem+json')?.schema;
  for (const { prefix, specs } of mounts) {
    for (const spec of specs) {
      const clientErrors = Object.keys(spec.responses).some((status) => /^4\d\d$/.test(status));
      const operation = {
        operationId: spec.operationId ?? operationIdOf(spec.method, `${prefix}${spec.path}`),
        summary: spec.summary,
        ...(spec.description ? { description: spec.description } : {}),
        ...(spec.tags ? { tags: spec.tags } : {}),
        // Public operations say so (an empty list), rather than leaving it unsaid.
        security: spec.auth ? [{ bearerToken: [] }, { sessionCookie: [] }] : [],
        parameters: [...parametersOf(spec.params, 'path', defs), ...parametersOf(spec.query, 'query', defs)],
        ...(spec.body
          ? {
              requestBody: {
                required: true,
                content: { 'application/json': { schema: jsonSchema(spec.body, 'input', defs) } },
              },
            }
          : {}),
        responses: Object.fromEntries(
          Object.entries(spec.responses).map(([status, r]) => [
            status,
            {
              description: r.description,
              ...(r.schema
                ? {
                    content: {
                      [r.contentType ?? 'application/json']: { schema: jsonSchema(r.schema, 'output', defs) },
                    },
                  }
                : {}),
            },
          ]),
        ),
      };
      if (!clientErrors) (operation.responses as Record<string, unknown>)['4XX'] = anyClientError(defs, problemSchema);
      const key = `${prefix}${spec.path}`;
      const pathItem = paths[key] ?? {};
      pathItem[spec.method] = operation;
      paths[key] = pathItem;
    }
  }
  return {
    openapi: '3.1.0',
    info: { ...info, license: { name: 'Apache-2.0', identifier: 'Apache-2.0' } },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      schemas: defs,
      securitySchemes: {
        bearerToken: {
          type: 'http',
          scheme: 'bearer',
          description: 'From POST /auth/token; valid 30 days. Send as Authorization: Bearer <token>.',
        },
        sessionCookie: {
          type: 'apiKey',
          in: 'cookie',
          name: sessionCookieName,
          description: 'The browser session set at sign-in (HttpOnly, SameSite=Lax).',
        },
      },
    },
  };
}
