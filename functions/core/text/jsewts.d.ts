// jsewts ships no types; these cover the two functions we call (see node_modules/jsewts/src/jsewts.js).
declare module 'jsewts' {
  interface JsEwts {
    /** Tibetan Unicode → EWTS. `escape` (default true) wraps non-Tibetan text in [brackets]. Warnings are pushed onto `warns`. */
    toWylie(str: string, escapeNonTibetan?: boolean, warns?: string[]): string;
    /** EWTS → Tibetan Unicode. `opts.sloppy` (the default) tolerates some capitals and curly apostrophes. Warnings are pushed onto `warns`. */
    fromWylie(str: string, opts?: { sloppy?: boolean } | null, warns?: string[]): string;
  }
  const jsEWTS: JsEwts;
  export default jsEWTS;
}
