/**
 * How an audit entry reads on the staff page: its action in the page language (an unknown key,
 * e.g. from a newer version, in plain words), and its target decoded — a price identity's
 * percent-encoded parts (a grade such as 一级) become names and text; a request path loses
 * its percent-escapes. The page escapes whatever this returns.
 */
import type { Translator } from '#core/i18n.ts';
import { parseIdentity } from '#core/prices/observation.ts';

/** Names in the page language for the ids a price carries (web/components/price-bits.tsx `namer`). */
export interface AuditNamer {
  commodity(id: string): string;
  market(id: string): string;
  unit(id: string): string;
}

/** The message key of an action: `price.approve` → `staff:audit.actions.price_approve`. */
export const auditActionKey = (action: string) => `staff:audit.actions.${action.replaceAll('.', '_')}`;

export function auditActionText(t: Translator, action: string): string {
  return t(auditActionKey(action), { defaultValue: action.replace(/[._]+/g, ' ') });
}

/** Percent-escapes undone (twice at most: an identity inside a URL path is encoded twice); text that is not valid escaping stays as it is. */
function decoded(text: string): string {
  let out = text;
  for (let i = 0; i < 2 && /%[0-9A-Fa-f]{2}/.test(out); i += 1) {
    try {
      out = decodeURIComponent(out);
    } catch {
      break;
    }
  }
  return out;
}

const idShape = /^[a-z0-9_]+$/;

/** A price identity (`commodity|market|date|kind|grade|unit`, parts percent-encoded) as names and text; undefined when `text` is not one. */
function identityText(t: Translator, names: AuditNamer, text: string): string | undefined {
  const identity = parseIdentity(text);
  if (!identity || !idShape.test(identity.commodityId) || !idShape.test(identity.marketId)) return undefined;
  const parts = [
    names.commodity(identity.commodityId),
    names.market(identity.marketId),
    identity.date,
    t(`market:kind.${identity.kind ?? 'retail'}`),
    identity.grade,
    names.unit(identity.unit),
  ];
  return parts.filter(Boolean).join(' · ');
}

/** Undoes one layer of percent-escapes, or gives the text back when it is not valid escaping. */
const decodedOnce = (text: string) => {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
};

/**
 * A target as the page shows it: a price identity as text (`identity: true`); a refused request
 * (`POST /api/v1/prices/<identity>/approve`) with each path segment decoded, an identity in it
 * as text; anything else (a phone, a file key) decoded.
 */
export function auditTargetText(t: Translator, names: AuditNamer, target: string): { text: string; identity: boolean } {
  const asIdentity = identityText(t, names, target);
  if (asIdentity) return { text: asIdentity, identity: true };
  const request = /^([A-Z]+) (\/\S*)$/.exec(target);
  if (!request) return { text: decoded(target), identity: false };
  // The router gives the path with one layer of escapes undone but `%25` kept, so an identity
  // in it still has its parts' escapes twice: undo one layer before reading it.
  const segments = request[2]!
    .split('/')
    .map(
      (segment) => identityText(t, names, decodedOnce(segment)) ?? identityText(t, names, segment) ?? decoded(segment),
    );
  return { text: `${request[1]} ${segments.join('/')}`, identity: false };
}
