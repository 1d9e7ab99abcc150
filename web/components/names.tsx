import type { Language } from '#core/i18n.ts';
import type { Names } from '#core/reference/schemas.ts';

/** The name to lead with in a language; Tibetan falls back to Chinese when none is known. */
export function primaryName(names: Names, lang: Language): string {
  return names[lang] || names.zh || names.en;
}

/**
 * An item's name in the page language, then its other names; Tibetan always in Tibetan
 * script with Wylie beside it, since many readers know only one of the two.
 */
export function NameLine(props: { names: Names; wylie: string; lang: Language }) {
  const { names, wylie, lang } = props;
  const others = (['bo', 'zh', 'en'] as const).filter((l) => l !== lang && names[l]);
  return (
    <span class="names">
      <span lang={lang} class="primary">
        {primaryName(names, lang)}
      </span>
      {lang === 'bo' && wylie ? (
        <span class="wylie" lang="bo-Latn">
          {' '}
          {wylie}
        </span>
      ) : null}
      {others.map((l) => (
        <>
          {' · '}
          <span lang={l}>{names[l]}</span>
          {l === 'bo' && wylie ? (
            <span class="wylie" lang="bo-Latn">
              {' '}
              {wylie}
            </span>
          ) : null}
        </>
      ))}
    </span>
  );
}
