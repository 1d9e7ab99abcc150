// Live segment count beside each text of the broadcast form (progressive enhancement: the
// form's Preview button gives the exact figures without JavaScript). The arithmetic is the
// plain GSM-7 / UCS-2 one of functions/core/sms/segments.ts (160/153 septets, 70/67 UTF-16
// units); the server's count can be a part higher where a cut may not fall mid-syllable.
(() => {
  const basic =
    '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
  const extension = '^{}\\[~]|€\f';
  const septets = (text) => {
    let n = 0;
    for (const ch of text) {
      if (basic.includes(ch)) n += 1;
      else if (extension.includes(ch)) n += 2;
      else return -1;
    }
    return n;
  };
  const count = (body, signature, gsmSignature) => {
    // As the composer does: a GSM-7 body keeps the GSM-7 signature (one CJK bracket would make it UCS-2).
    const sign = septets(body) >= 0 && septets(signature) < 0 ? gsmSignature : signature;
    const text = sign + body;
    const gsm = septets(text);
    if (gsm >= 0) return { encoding: 'GSM-7', units: gsm, segments: gsm <= 160 ? 1 : Math.ceil(gsm / 153) };
    const units = text.length;
    return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
  };
  for (const area of document.querySelectorAll('textarea[data-counter]')) {
    const out = document.getElementById(area.dataset.counter);
    if (!out) continue;
    const update = () => {
      if (!area.value.trim()) {
        out.textContent = '';
        return;
      }
      const signature = area.dataset.signature || '';
      const c = count(area.value + (area.dataset.footer || ''), signature, area.dataset.gsmSignature || signature);
      out.textContent = (area.dataset.label || '{segments}')
        .replace('{segments}', String(c.segments))
        .replace('{units}', String(c.units))
        .replace('{encoding}', c.encoding);
      const max = Number(area.dataset.max || 0);
      out.classList.toggle('field-error', max > 0 && c.segments > max);
    };
    area.addEventListener('input', update);
    update();
  }
})();
