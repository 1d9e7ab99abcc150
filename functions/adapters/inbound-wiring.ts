import { createCatalog } from '#core/reference/catalog.ts';
import { smsTerms } from '#core/reference/terms.ts';
import { type CommandRegistry, smsCommands } from '#core/sms/commands/index.ts';
import { handleInboundSms, type InboundDeps } from '#core/sms/handle-inbound.ts';
import type { InboundSms } from '#core/sms/messages.ts';
import { finishUnfinishedInbound } from '#core/sms/unfinished-inbound.ts';
import type { AppDeps } from './app-deps.ts';
import { voiceErasure } from './voice-stores.ts';
import type { BaseDeps, ComposingMessenger } from './wiring.ts';

/**
 * The inbound SMS pipeline, as parts for createDeps: for the sms-inbound Lambda and the local
 * stack (/dev/sms, the phone simulator, npm run sms). Kept apart from the common parts so that
 * the http Lambda, which never receives SMS in AWS, does not bundle the parser and replies.
 *
 * @example const deps = createDeps(settings, composeHere, inboundSmsParts())
 */
export function inboundSmsParts({ commands = smsCommands }: { commands?: CommandRegistry } = {}) {
  return ({ base }: { base: BaseDeps<ComposingMessenger> }, self: () => BaseDeps<ComposingMessenger>) => {
    // The SMS keywords (kw_*, lang_*) are matched only here: this catalog adds them to the names.
    const catalog = createCatalog(base.reference, { terms: smsTerms() });
    base.reference.onChange(catalog.invalidate);
    // Read at each call: tests replace parts of the finished deps (the messenger, the log, the clock).
    const pipelineDeps = (): InboundDeps => {
      const deps = self();
      return {
        claims: deps.claims,
        subscribers: deps.subscribers,
        outbound: deps.outbound,
        rateLimiter: deps.rateLimiter,
        messenger: deps.messenger,
        catalog,
        // The commands understood, and the ports they use beyond the subscriber (CommandServices).
        commands,
        prices: deps.prices,
        exchange: deps.exchange,
        // TIP and ALERTS read the library; ASK asks the experts (and DELETE ME erases the questions).
        knowledge: deps.knowledge,
        questions: deps.questions,
        // DELETE ME erases the number from the voice line's calls and callers.
        voice: voiceErasure(deps.voiceStores),
        collect: {
          prices: deps.prices,
          catalog,
          audit: deps.audit,
          staff: deps.staff,
          adminPhones: deps.adminPhones,
          // Staff price reports (P) are checked by the same authorizer as the API.
          authz: deps.authz,
          now: () => deps.now(),
        },
        inboundPerHour: deps.smsSettings.inboundPerHour,
        ...(deps.smsTibetanAs ? { tibetanAs: deps.smsTibetanAs } : {}),
        now: deps.now,
        log: (e) => self().log(e),
      };
    };
    return {
      /** The whole inbound pipeline for one message from any gateway. */
      handleInbound: (msg: InboundSms) => handleInboundSms(pipelineDeps(), msg),
      /** Runs again every inbound message a crash left unfinished (the local stack, at start: see unfinished-inbound.ts). */
      finishUnfinishedInbound: () => finishUnfinishedInbound(pipelineDeps()),
    };
  };
}

export type InboundSmsParts = ReturnType<ReturnType<typeof inboundSmsParts>>;

/**
 * Everything, the inbound SMS pipeline included (local stack, sms-inbound Lambda). The http
 * Lambda uses createDeps alone, so the parser and replies stay out of its bundle.
 */
export type Deps = Omit<AppDeps, 'messenger'> & BaseDeps<ComposingMessenger> & InboundSmsParts;
