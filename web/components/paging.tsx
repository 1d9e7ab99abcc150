import type { Translator } from '#core/i18n.ts';

/** A list page's link to its next page (the cursor is in `next`), when there is one. */
export const NextPageLink = (props: { t: Translator; next: string | undefined }) =>
  props.next ? (
    <p>
      <a href={props.next} rel="next">
        {props.t('web:knowledge.more')}
      </a>
    </p>
  ) : null;
