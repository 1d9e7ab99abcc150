import { commoditySchema, marketSchema, regionSchema, unitSchema } from '#core/reference/schemas.ts';
import * as z from '#core/zod.ts';
import { component, type ResponseSpec } from '../openapi.ts';

export const Commodity = component('Commodity', commoditySchema);
export const Region = component('Region', regionSchema);
export const Market = component('Market', marketSchema);
export const Unit = component('Unit', unitSchema);

const describe = <S extends z.ZodMiniType>(schema: S, description: string): S => {
  z.globalRegistry.add(schema, { description });
  return schema;
};

export const Problem = component(
  'Problem',
  z.object({
    type: z.string(),
    title: z.string(),
    status: z.number().check(z.int()),
    detail: z.string(),
    code: describe(z.string(), 'Stable machine-readable error code'),
    requestId: z.string(),
    instance: z.optional(z.string()),
    errors: z.optional(z.array(z.object({ path: z.optional(z.string()), message: z.string() }))),
  }),
  'RFC 9457 problem details',
);

export const pageOf = <T extends z.ZodMiniType>(item: T) =>
  z.object({
    items: z.array(item),
    cursor: describe(z.optional(z.string()), 'Pass as ?cursor= to get the next page; absent on the last page'),
  });

export const pageFields = {
  limit: z._default(z.coerce.number().check(z.int(), z.minimum(1), z.maximum(200)), 100),
  cursor: z.optional(z.string().check(z.maxLength(1024))),
  lang: describe(z.optional(z.enum(['bo', 'zh', 'en'])), 'Language of error messages'),
};
export const pageQuery = z.object(pageFields);

export const idParam = z.object({ id: z.string().check(z.minLength(1), z.maxLength(100)) });

export const problem = (description: string): ResponseSpec => ({
  description,
  schema: Problem,
  contentType: 'application/problem+json',
});
export const json = (schema: z.ZodMiniType, description: string): ResponseSpec => ({ description, schema });
export { describe };
