import { type HttpApi, HttpMethod, PayloadFormatVersion } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { type ApiLambdaName, apiLambdas } from '#http/routes.ts';

/** The Lambdas with routes of their own (the http Lambda has the `$default` route). */
type RoutedLambda = Exclude<ApiLambdaName, 'http'>;

/**
 * Puts the routes the route manifest (functions/http/routes.ts) gives `name` on the API, to
 * `fn` (payload 2.0); everything else stays with the http Lambda's default integration.
 *
 * @example routeApiLambda(props.api, id, this.function, 'sms-push')
 */
export function routeApiLambda(api: HttpApi, id: string, fn: IFunction, name: RoutedLambda): void {
  const integration = new HttpLambdaIntegration(`${id}Integration`, fn, {
    payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
  });
  for (const route of apiLambdas[name].routes)
    api.addRoutes({ path: route.path, methods: [HttpMethod[route.method]], integration });
}
