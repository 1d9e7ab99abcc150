import { z } from '@hono/zod-openapi';
import { commoditySchema, marketSchema, regionSchema, unitSchema } from '#core/reference/schemas.ts';

export const Commodity = commoditySchema.meta({ id: 'Commodity' });
export const Region = regionSchema.meta({ id: 'Region' });
export const Market = marketSchema.meta({ id: 'Market' });
export const Unit = unitSchema.meta({ id: 'Unit' });

export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string().describe('Stable machine-readable error code'),
    requestId: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string().optional(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem' });

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    cursor: z.string().optional().describe('Pass as ?cursor= to get the next page; absent on the last page'),
  });

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(100).optional(),
  cursor: z.string().max(1024).optional(),
  lang: z.enum(['bo', 'zh', 'en']).optional().describe('Language of error messages (names are always in all three)'),
});

export const idParam = z.object({ id: z.string().min(1).max(100) });

export const problemResponses = {
  400: { description: 'Invalid input', content: { 'application/problem+json': { schema: Problem } } },
  404: { description: 'Not found', content: { 'application/problem+json': { schema: Problem } } },
} as const;
