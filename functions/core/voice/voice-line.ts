/**
 * The voice line (声讯): one provider request → the call moved one turn → the steps to answer.
 * The flow is flow.ts; this file keeps a turn safe to repeat: a provider's retry of a turn
 * already answered gets the same steps and changes nothing (the call remembers its last turn),
 * and two requests racing on one call meet the store's version check (the loser reads again
 * and tries once more).
 */
import { AppError } from '../errors.ts';
import type { Catalog } from '../reference/catalog.ts';
import type { Subscriber } from '../subscribers/subscriber.ts';
import type { Call, CallEvent, Step, Turn } from './call.ts';
import { advance, type FlowDeps, hangUp, start, type TurnContext } from './flow.ts';
import { createCommodityMenus } from './menus.ts';
import type { CallStore } from './ports.ts';
import type { VoiceLine } from './service.ts';

export interface VoiceLineDeps extends FlowDeps {
  calls: CallStore;
  catalog: () => Promise<Catalog>;
  now: () => Date;
}

function newCall(event: CallEvent, now: Date): Call {
  const at = now.toISOString();
  return {
    callId: event.callId,
    provider: event.provider,
    phone: event.from,
    to: event.to,
    node: 'language',
    tries: 0,
    path: [],
    heardLog: [],
    smsSent: 0,
    seq: 0,
    lastSteps: [],
    outcome: 'in_progress',
    startedAt: at,
    updatedAt: at,
    version: 0,
  };
}

export function createVoiceLine(deps: VoiceLineDeps): VoiceLine {
  const menus = createCommodityMenus(deps);

  const context = async (call: Call, now: Date): Promise<TurnContext> => {
    const [catalog, playable] = await Promise.all([deps.catalog(), deps.clips.playable()]);
    let subscriber: Promise<Subscriber | undefined> | undefined;
    return {
      deps,
      now,
      catalog,
      clips: { playable, catalog, placeholders: deps.settings.placeholders, items: new Map() },
      menus,
      subscriber: () => {
        subscriber ??= call.phone ? deps.subscribers.get(call.phone) : Promise.resolve(undefined);
        return subscriber;
      },
    };
  };

  const answered = (call: Call): Turn => ({ callId: call.callId, seq: call.seq, steps: call.lastSteps });

  const save = async (call: Call, steps: Step[], now: Date): Promise<Turn> => {
    call.seq += 1;
    call.lastSteps = steps;
    call.updatedAt = now.toISOString();
    const saved = await deps.calls.save(call);
    return answered(saved);
  };

  const once = async (event: CallEvent): Promise<Turn> => {
    const now = deps.now();
    let call = await deps.calls.get(event.callId);
    let fresh = false;
    if (!call) {
      const made = await deps.calls.create(newCall(event, now));
      call = made.call;
      fresh = made.created;
    }
    // Work on a copy: the stored call stays as read until the save succeeds.
    const draft = structuredClone(call);
    if (event.input.kind === 'hangup') {
      if (draft.node === 'ended') return answered(call);
      hangUp(draft, now);
      return save(draft, [{ kind: 'hangup' }], now);
    }
    // The first turn not yet answered (this request made the call, or one that did crashed before saving).
    if (draft.seq === 0) return save(draft, await start(await context(draft, now), draft, fresh), now);
    // A retry of a turn already answered: the same steps again (only the last is kept; an older retry gets it too).
    if (event.seq === undefined || event.seq < draft.seq) return answered(call);
    if (draft.node === 'ended') return answered(call);
    const steps = await advance(await context(draft, now), draft, event.input, draft.seq);
    return save(draft, steps, now);
  };

  return {
    async turn(event) {
      try {
        return await once(event);
      } catch (error) {
        // Two requests of one call at once: the second reads what the first saved and tries again.
        if (error instanceof AppError && error.code === 'conflict') return once(event);
        throw error;
      }
    },
  };
}
