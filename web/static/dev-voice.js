// /dev/voice: a "Play the turn" button that plays a turn's clips one after another, as a phone
// would (progressive enhancement: each clip has its own player without JavaScript).
(() => {
  for (const button of document.querySelectorAll('.voice-turn .voice-play')) {
    const clips = [...button.closest('.voice-turn').querySelectorAll('audio[data-clip]')];
    if (!clips.length) continue;
    button.hidden = false;
    button.addEventListener('click', () => {
      let at = 0;
      const next = () => {
        const clip = clips[at++];
        if (!clip) return;
        clip.addEventListener('ended', next, { once: true });
        clip.currentTime = 0;
        clip.play().catch(next);
      };
      next();
    });
  }
})();
