import { createCatalog } from '#core/reference/catalog.ts';
import { smsTerms } from '#core/reference/terms.ts';
import { smsCommands } from '#core/sms/commands/index.ts';
import { handleInboundSms, type InboundDeps } from '#core/sms/handle-inbound.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import { finishUnfinishedInbound } from '#core/sms/unfinished-inbound.ts';
import { createAuthorizer } from '#core/staff/authz.ts';
import type { ComposingMessenger, createDeps } from './wiring.ts';

/**
 * Adds the inbound SMS pipeline to the deps: for the sms-inbound Lambda and the local stack
 * (/dev/sms, the phone simulator, npm run sms). Kept apart from createDeps so that the http
 * Lambda, which never receives SMS in AWS, does not bundle the parser and replies.
 */
export function withInboundSms<D extends ReturnType<typeof createDeps<ComposingMessenger>>>(deps: D) {
  // The SMS keywords (kw_*, lang_*) are matched only here: this catalog adds them to the names.
  const catalog = createCatalog(deps.reference, { terms: smsTerms() });
  deps.reference.onChange(catalog.invalidate);
  // Staff price reports (P) are checked by the same authorizer as the API.
  const authz = createAuthorizer(deps.reference);
  // Read at each call: tests and handlers may replace parts of `deps` (the messenger, the log).
  const pipelineDeps = (): InboundDeps => ({
    claims: deps.claims,
    subscribers: deps.subscribers,
    outbound: deps.outbound,
    rateLimiter: deps.rateLimiter,
    messenger: deps.messenger,
    catalog,
    // The commands understood, and the ports they use beyond the subscriber (CommandServices).
    commands: smsCommands,
    prices: deps.prices,
    collect: {
      prices: deps.prices,
      catalog,
      audit: deps.audit,
      staff: deps.staff,
      adminPhones: deps.adminPhones,
      authz,
      now: () => deps.now(),
    },
    inboundPerHour: deps.smsSettings.inboundPerHour,
    now: deps.now,
    log: (e) => withPipeline.log(e),
  });
  // The same object, extended: closures inside createDeps (e.g. the sender's alarm) log
  // through `deps.log`, which tests and handlers may replace.
  const withPipeline = Object.assign(deps, {
    /** The whole inbound pipeline for one message from any gateway. */
    handleInbound: (msg: InboundSms) => handleInboundSms(pipelineDeps(), msg),
    /** Runs again every inbound message a crash left unfinished (the local stack, at start: see unfinished-inbound.ts). */
    finishUnfinishedInbound: () => finishUnfinishedInbound(pipelineDeps()),
  });
  return withPipeline;
}
