/**
 * hono's Lambda adapter typed with the AWS event types: an API Gateway HTTP API (payload 2.0)
 * event in, the structured 2.0 result out. hono keeps its own copy of the event types, which
 * disagrees with @types/aws-lambda on one field the adapter never reads
 * (`requestContext.authentication`: hono says `null`, AWS leaves it out unless mutual TLS is
 * on), so the event is handed over through `unknown` here, once, rather than at each entry.
 */
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { Env, Hono, Schema } from 'hono';
import { handle, type LambdaContext, type LambdaEvent } from 'hono/aws-lambda';

/** What the adapter always answers: a status, the headers and a body (base64 for binary types). */
export type ApiGatewayResult = APIGatewayProxyStructuredResultV2 & {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
};

export type ApiGatewayHandler = (event: APIGatewayProxyEventV2, context?: Context) => Promise<ApiGatewayResult>;

/** @example export const handler = apiGatewayHandler(createApp(deps)) */
export function apiGatewayHandler<E extends Env, S extends Schema, P extends string>(
  app: Hono<E, S, P>,
): ApiGatewayHandler {
  const adapted = handle(app);
  // hono types headers as string | string[] for every event kind; for payload 2.0 it writes one
  // string per header (Set-Cookie goes to `cookies`), which is what the AWS result type says.
  return (event, context) =>
    adapted(event as unknown as LambdaEvent, context as LambdaContext | undefined) as Promise<ApiGatewayResult>;
}
