// Record a clip in the browser (progressive enhancement of the studio's and the experts' upload
// forms: without JavaScript, or without a microphone, a WAV file is chosen as usual). Beside
// each `input[type=file][data-recorder]` a Record/Stop button: the microphone's recording
// (MediaRecorder) is decoded (AudioContext), rendered to 8 kHz mono (OfflineAudioContext does the
// resampling and the down-mix), written as a 16-bit PCM WAV and put into the file input
// (DataTransfer), so the user submits the same form. The server checks the file as any other.
(() => {
  const RATE = 8000;

  /** 44-byte RIFF header + little-endian 16-bit samples: the format the line plays. */
  const wavOf = (samples) => {
    const bytes = new ArrayBuffer(44 + samples.length * 2);
    const v = new DataView(bytes);
    const text = (at, s) => {
      for (let i = 0; i < s.length; i++) v.setUint8(at + i, s.charCodeAt(i));
    };
    text(0, 'RIFF');
    v.setUint32(4, 36 + samples.length * 2, true);
    text(8, 'WAVE');
    text(12, 'fmt ');
    v.setUint32(16, 16, true);
    v.setUint16(20, 1, true); // PCM
    v.setUint16(22, 1, true); // mono
    v.setUint32(24, RATE, true);
    v.setUint32(28, RATE * 2, true);
    v.setUint16(32, 2, true);
    v.setUint16(34, 16, true);
    text(36, 'data');
    v.setUint32(40, samples.length * 2, true);
    for (let i = 0; i < samples.length; i++) {
      const s = Math.max(-1, Math.min(1, samples[i]));
      v.setInt16(44 + i * 2, s < 0 ? s * 0x8000 : s * 0x7fff, true);
    }
    return new Blob([bytes], { type: 'audio/wav' });
  };

  const toTelephone = async (blob) => {
    const context = new AudioContext();
    try {
      const decoded = await context.decodeAudioData(await blob.arrayBuffer());
      const frames = Math.max(1, Math.ceil(decoded.duration * RATE));
      const offline = new OfflineAudioContext(1, frames, RATE);
      const source = offline.createBufferSource();
      source.buffer = decoded;
      source.connect(offline.destination);
      source.start();
      const rendered = await offline.startRendering();
      return wavOf(rendered.getChannelData(0));
    } finally {
      context.close();
    }
  };

  const enhance = (input) => {
    const d = input.dataset;
    const maxMs = (Number(d.maxSeconds) || 30) * 1000;
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'voice-record';
    button.textContent = d.record || 'Record';
    const status = document.createElement('output');
    status.className = 'muted';
    status.setAttribute('aria-live', 'polite');
    input.after(' ', button, ' ', status);
    let recorder;
    let timer;
    const stop = () => {
      clearTimeout(timer);
      if (recorder && recorder.state === 'recording') recorder.stop();
    };
    button.addEventListener('click', async () => {
      if (recorder && recorder.state === 'recording') return stop();
      let stream;
      try {
        stream = await navigator.mediaDevices.getUserMedia({ audio: true });
      } catch {
        status.textContent = d.failed || '';
        return;
      }
      const chunks = [];
      recorder = new MediaRecorder(stream);
      recorder.addEventListener('dataavailable', (e) => chunks.push(e.data));
      recorder.addEventListener('stop', async () => {
        for (const track of stream.getTracks()) track.stop();
        button.textContent = d.record || 'Record';
        try {
          const wav = await toTelephone(new Blob(chunks, { type: recorder.mimeType }));
          const files = new DataTransfer();
          files.items.add(new File([wav], 'recording.wav', { type: 'audio/wav' }));
          input.files = files.files;
          status.textContent = d.ready || '';
        } catch {
          status.textContent = d.failed || '';
        }
      });
      recorder.start();
      button.textContent = d.stop || 'Stop';
      status.textContent = '';
      // The server refuses a clip longer than its limit: stop there rather than record in vain.
      timer = setTimeout(stop, maxMs);
    });
  };

  if (!window.MediaRecorder || !navigator.mediaDevices || !window.OfflineAudioContext) return;
  for (const input of document.querySelectorAll('input[type=file][data-recorder]')) enhance(input);
})();
