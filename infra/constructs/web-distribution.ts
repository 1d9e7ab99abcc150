import { Annotations, Duration, Stack } from 'aws-cdk-lib';
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
  HeadersFrameOption,
  HeadersReferrerPolicy,
  HttpVersion,
  OriginProtocolPolicy,
  OriginRequestPolicy,
  OriginSslPolicy,
  PriceClass,
  ResponseHeadersPolicy,
  SecurityPolicyProtocol,
  ViewerProtocolPolicy,
} from 'aws-cdk-lib/aws-cloudfront';
import { HttpOrigin, S3BucketOrigin } from 'aws-cdk-lib/aws-cloudfront-origins';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Bucket, type IBucket } from 'aws-cdk-lib/aws-s3';
import type { Construct } from 'constructs';
import { ATTACHMENT_CONTENT_SECURITY_POLICY, STATIC_CONTENT_SECURITY_POLICY } from '#http/public-file-headers.ts';
import { acknowledge } from './acknowledge.ts';

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
  /**
   * The files bucket: `/files/attachments/*` is served from its `attachments/` prefix (the
   * knowledge library's attachments), and nothing else of it (uploads, CSV files, exports).
   */
  readonly filesBucket?: Bucket;
  /** CloudFront's standard logs go here (constructs/access-logs.ts: a bucket with ACLs, as they need). */
  readonly logs?: { readonly bucket: IBucket; readonly prefix: string };
}

/** Where the daily open-data snapshots are at the edge: the static bucket's open-data/ keys, as they are. */
export const OPEN_DATA_PATH = '/open-data';

/** Where attachments are at the edge: FILES_BASE_URL is the distribution's address + this. */
export const FILES_PATH = '/files';

/*
 * The bucket's keys are `attachments/…`, the public path `/files/attachments/…`: this
 * viewer-request function drops the `/files` so that the origin request names the key.
 */
const filesRequestCode = `function handler(event) {
  var request = event.request;
  request.uri = request.uri.replace(/^\\/files\\//, '/');
  return request;
}`;

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

  // One origin for the static bucket's two behaviours (static assets, open data): one origin access control.
  const staticOrigin = S3BucketOrigin.withOriginAccessControl(props.staticBucket);
  const distribution = new Distribution(scope, id, {
    comment: 'Zhingdrok: web, API and static assets',
    httpVersion: HttpVersion.HTTP2_AND_3,
    priceClass: PriceClass.PRICE_CLASS_200,
    // Session cookies are credentials: never written to a log.
    ...(props.logs && { logBucket: props.logs.bucket, logFilePrefix: props.logs.prefix, logIncludesCookies: false }),
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
        origin: staticOrigin,
        allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
        cachedMethods: CachedMethods.CACHE_GET_HEAD,
        cachePolicy: CachePolicy.CACHING_OPTIMIZED,
        responseHeadersPolicy: staticHeadersPolicy(scope, id),
        viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
        compress: true,
      },
      [`${OPEN_DATA_PATH}/*`]: openDataBehavior(staticOrigin),
      ...(props.filesBucket && { [`${FILES_PATH}/attachments/*`]: attachmentsBehavior(scope, id, props.filesBucket) }),
    },
  });
  acknowledge(
    distribution,
    'AwsSolutions-CFR1',
    'no geo restriction: the open API and open data are for anyone, and SMS, not the web, is where abuse costs',
  );
  if (!props.domain)
    acknowledge(
      distribution,
      'AwsSolutions-CFR4',
      'without a custom domain CloudFront serves its own *.cloudfront.net certificate, whose TLS floor cannot be set; with one it is TLS 1.2 (2021)',
    );
  if (props.filesBucket) {
    // CloudFront of this distribution may read attachments/ and nothing else of the bucket.
    props.filesBucket.addToResourcePolicy(
      new PolicyStatement({
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [props.filesBucket.arnForObjects('attachments/*')],
        conditions: { StringEquals: { 'AWS:SourceArn': distribution.distributionArn } },
      }),
    );
  }
  return distribution;
}

/**
 * `/open-data/*`: the jobs function's daily snapshots (core/prices/open-data-publish.ts) under the
 * static bucket's open-data/ keys — the path is the key, as for /static/*. Cached as each object's
 * Cache-Control says (minutes for latest/, a month for a dated folder); read-only; CORS open to
 * every origin, since open data is meant to be fetched by other sites' code, with the security
 * headers. The .gz files are stored as application/gzip, which CloudFront does not compress
 * again, so a download is the bytes SHA256SUMS names.
 */
function openDataBehavior(origin: ReturnType<typeof S3BucketOrigin.withOriginAccessControl>) {
  return {
    origin,
    // A plain GET needs no preflight: the response headers policy adds Access-Control-Allow-Origin.
    allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
    cachedMethods: CachedMethods.CACHE_GET_HEAD,
    cachePolicy: CachePolicy.CACHING_OPTIMIZED,
    responseHeadersPolicy: ResponseHeadersPolicy.CORS_ALLOW_ALL_ORIGINS_AND_SECURITY_HEADERS,
    viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    compress: true,
  };
}

/**
 * `/static/*`: the same security headers the app sets on its pages (HSTS, nosniff, no framing, no
 * referrer) and a policy that lets a static file opened on its own (the SVG icon, a script
 * read as a page) run nothing and load nothing but itself; the pages that use these files keep
 * their own policy, which is what governs a stylesheet or script they load.
 */
function staticHeadersPolicy(scope: Construct, id: string): ResponseHeadersPolicy {
  return securityHeadersPolicy(
    scope,
    `${id}StaticHeaders`,
    'Zhingdrok static assets: security headers',
    STATIC_CONTENT_SECURITY_POLICY,
  );
}

/** HSTS, nosniff, no framing, no referrer, and the policy given: what every bucket behaviour sends. */
function securityHeadersPolicy(scope: Construct, id: string, comment: string, csp: string): ResponseHeadersPolicy {
  return new ResponseHeadersPolicy(scope, id, {
    comment,
    securityHeadersBehavior: {
      contentTypeOptions: { override: true },
      frameOptions: { frameOption: HeadersFrameOption.DENY, override: true },
      referrerPolicy: { referrerPolicy: HeadersReferrerPolicy.NO_REFERRER, override: true },
      strictTransportSecurity: { accessControlMaxAge: Duration.days(365), includeSubdomains: true, override: true },
      contentSecurityPolicy: { contentSecurityPolicy: csp, override: true },
    },
  });
}

/** A static file opened on its own (functions/http/public-file-headers.ts: the aws-cn Lambda sends the same). */
export { STATIC_CONTENT_SECURITY_POLICY };

/**
 * `/files/attachments/*`: attachments are immutable (a new file is a new key), so cached at the
 * edge like static assets; read-only; with headers that keep an uploaded file from acting as a
 * page of ours (no sniffing a PDF or image into HTML, no framing, no scripts, no referrer).
 * Only `attachments/` is behind it: unfinished uploads are never served, so never cached.
 */
function attachmentsBehavior(scope: Construct, id: string, bucket: Bucket) {
  // The origin is the bucket seen through an imported handle, so that CDK's origin adds no policy
  // of its own, which would let CloudFront read every object: the statement above is the grant.
  const handle = Bucket.fromBucketAttributes(scope, `${id}FilesOriginBucket`, {
    bucketArn: bucket.bucketArn,
    bucketName: bucket.bucketName,
    bucketRegionalDomainName: bucket.bucketRegionalDomainName,
  });
  Annotations.of(scope).acknowledgeWarning(
    '@aws-cdk/aws-cloudfront-origins:updateImportedBucketPolicyOac',
    'the files bucket policy grants this distribution attachments/* only (web-distribution.ts)',
  );
  const headers = securityHeadersPolicy(
    scope,
    `${id}FilesHeaders`,
    'Zhingdrok attachments: security headers',
    ATTACHMENT_CONTENT_SECURITY_POLICY,
  );
  const stripPrefix = new CloudFrontFunction(scope, `${id}FilesPath`, {
    comment: 'Maps /files/attachments/… to the bucket key attachments/…',
    runtime: FunctionRuntime.JS_2_0,
    code: FunctionCode.fromInline(filesRequestCode),
  });
  return {
    origin: S3BucketOrigin.withOriginAccessControl(handle),
    allowedMethods: AllowedMethods.ALLOW_GET_HEAD,
    cachedMethods: CachedMethods.CACHE_GET_HEAD,
    cachePolicy: CachePolicy.CACHING_OPTIMIZED,
    responseHeadersPolicy: headers,
    viewerProtocolPolicy: ViewerProtocolPolicy.REDIRECT_TO_HTTPS,
    // Images and PDFs are compressed already.
    compress: false,
    functionAssociations: [{ function: stripPrefix, eventType: FunctionEventType.VIEWER_REQUEST }],
  };
}
