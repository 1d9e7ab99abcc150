/**
 * Replies shared by commands whose argument names something (a region, a topic, a product, a
 * place): the names offered in "did you mean" lists, and the one reply scheme their refusals
 * follow — `<family>.missing`, `.ambiguous`, `.unknown` (with the closest names), `.notFound`.
 */
import type { Catalog } from '../../reference/catalog.ts';
import type { Language } from '../../reference/schemas.ts';
import type { ReplyLine } from '../messages.ts';
import { smsName } from '../sms-names.ts';
import { listNames, smsTranslator } from '../sms-text.ts';
import type { ParseFailure } from './command.ts';
import { type Topic, topicOfTerm } from './topic-reader.ts';

/** Echoed user text is cut short: it is there to show what we read, not to cost segments. */
export const echo = (text: string) => ([...text].length > 16 ? `${[...text].slice(0, 15).join('')}…` : text);

export function topicName(topic: Topic, lang: Language, catalog: Catalog): string {
  const t = smsTranslator(lang);
  if (!topic.startsWith('price:')) return t(`topic.${topic}`);
  const commodity = catalog.commodities.get(topic.slice('price:'.length));
  return t('topic.price', { commodity: commodity ? smsName(commodity.names, lang) : topic });
}

function nameOfId(id: string, lang: Language, catalog: Catalog): string {
  const item =
    catalog.regions.get(id) ?? catalog.commodities.get(id) ?? catalog.markets.get(id) ?? catalog.terms.get(id);
  if (!item) return id;
  const topic = topicOfTerm(id);
  if (topic) return topicName(topic, lang, catalog);
  return smsName(item.names, lang);
}

/** Ids (regions, commodities, markets, topic terms) as a list of names in running text. */
export const listIds = (ids: string[], lang: Language, catalog: Catalog) =>
  listNames(
    lang,
    ids.map((id) => nameOfId(id, lang, catalog)),
  );

/**
 * The reply to a refused argument, from the family's messages. `missingKey` is the message
 * for no argument at all (SUB and UNSUB share the `topic` family but ask with `sub.missing`).
 */
export function argumentFailure(
  family: string,
  failure: ParseFailure,
  lang: Language,
  catalog: Catalog,
  missingKey = `${family}.missing`,
): ReplyLine[] {
  switch (failure.problem) {
    case 'missing_argument':
      return [{ key: missingKey }];
    case 'ambiguous':
      return [{ key: `${family}.ambiguous`, params: { suggestions: listIds(failure.suggestions, lang, catalog) } }];
    case 'unknown_argument':
      return failure.suggestions.length
        ? [
            {
              key: `${family}.unknown`,
              params: { text: echo(failure.text), suggestions: listIds(failure.suggestions, lang, catalog) },
            },
          ]
        : [{ key: `${family}.notFound`, params: { text: echo(failure.text) } }];
    default:
      return [{ key: 'help.unknown' }];
  }
}
