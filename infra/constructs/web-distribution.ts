import { Stack } from 'aws-cdk-lib';
import type { IHttpApi } from 'aws-cdk-lib/aws-apigatewayv2';
import type { ICertificate } from 'aws-cdk-lib/aws-certificatemanager';
import {
  AllowedMethods,
  CachedMethods,
  CachePolicy,
  Function as CloudFrontFunction,
  Distribution,
  FunctionCode,
  FunctionEventType,
  FunctionRuntime,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';

export interface CustomDomain {
  readonly domainNames: string[];
  /** An ACM certificate in us-east-1 covering every name. */
  readonly certificate: ICertificate;
}

export interface WebDistributionProps {
  readonly api: IHttpApi;
  /** Serves `/static/*`; object keys carry the same `static/` prefix. */
  readonly staticBucket: IBucket;
  readonly domain?: CustomDomain;
  /**
   * Sent to the API origin as `X-Origin-Verify` on every request (an origin custom header,
   * which overwrites a viewer's own header of that name); the app answers nothing without it
   * (functions/http/middleware/origin.ts).
   */
  readonly originSecret: string;
}

/*
 * The Host header cannot reach API Gateway (it routes on its own host name), so the app would
 * only ever see the execute-api host. This viewer-request function copies the public host
 * into x-forwarded-host, which the all-viewer origin request policy then forwards: the app
 * can build absolute links and check Origin for CSRF against the name the browser used.
 *
 * It also writes the viewer's address (CloudFront's `event.viewer.ip`) into True-Client-IP,
 * for the app's per-address sign-in limits. No origin request policy gives API Gateway every
 * viewer header but Host together with CloudFront-Viewer-Address: AllViewerAndCloudFrontHeaders
 * forwards Host too (API Gateway then refuses the request), AllViewerExceptHostHeader is
 * documented with viewer headers only, and a custom policy cannot both leave out Host
 * (`allExcept`) and add CloudFront headers (`allViewerAndWhitelistCloudFront`). A header a
 * viewer-request function sets is a viewer header to the policy, so it arrives.
 *
 * Both overwrite whatever the client sent, so neither can be spoofed through CloudFront; and
 * nobody can go around CloudFront, since the app wants its X-Origin-Verify secret.
 */
const viewerRequestCode = `function handler(event) {
  var request = event.request;
  request.headers['x-forwarded-host'] = { value: request.headers.host.value };
  request.headers['true-client-ip'] = { value: event.viewer.ip };
  return request;
}`;

/**
 * CloudFront in front of everything: dynamic pages and the API go uncached to the HTTP API,
 * `/static/*` comes from S3 through origin access control and is cached at the edge.
 *
 * Price class 200 covers the edges that matter for this audience (Hong Kong, India, Japan,
 * South-East Asia) and leaves out the dearest ones (South America, Oceania) that it does
 * not need. Mainland China has no global CloudFront edges under any price class.
 */
export function createWebDistribution(scope: Construct, id: string, props: WebDistributionProps): Distribution {
  const stack = Stack.of(scope);
  const apiDomain = `${props.api.apiId}.execute-api.${stack.region}.${stack.urlSuffix}`;

  const forwardHost = new CloudFrontFunction(scope, `${id}ForwardHost`, {
    comment: 'Copies the viewer Host into x-forwarded-host and the viewer address into true-client-ip for the app',
    runtime: FunctionRuntime.JS_2_0,
    code: FunctionCode.fromInline(viewerRequestCode),
  });

  return new Distribution(scope, id, {
    comment: 'Zhingdrok: web, API and static assets',
    httpVersion: HttpVersion.HTTP2_AND_3,
    priceClass: PriceClass.PRICE_CLASS_200,
    // Without a custom certificate CloudFront uses its own *.cloudfront.net policy and
    // ignores this setting, so it is only stated when a domain is configured.
    ...(props.domain && {
      domainNames: props.domain.domainNames,
      certificate: props.domain.certificate,
      minimumProtocolVersion: SecurityPolicyProtocol.TLS_V1_2_2021,
    }),
    defaultBehavior: {
      origin: new HttpOrigin(apiDomain, {
        protocolPolicy: OriginProtocolPolicy.HTTPS_ONLY,
        originSslProtocols: [OriginSslPolicy.TLS_V1_2],
        customHeaders: { 'X-Origin-Verify': props.originSecret },
      }),
      allowedMethods: AllowedMethods.ALLOW_ALL,
      cachePolicy: CachePolicy.CACHING_DISABLED,
      originRequestPolicy: OriginRequestPolicy.ALL_VIEWER_EXCEPT_HOST_HEADER,
      viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
      // CloudFront only compresses what it may cache; with caching disabled the app's own
      // compression is what reaches the browser. Kept on for when a route opts into caching.
      compress: true,
      functionAssociations: [{ function: forwardHost, eventType: FunctionEventType.VIEWER_REQUEST }],
    },
    additionalBehaviors: {
      '/static/*': {
        origin: S3BucketOrigin.withOriginAccessControl(props.staticBucket),
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
      },
    },
  });
}
