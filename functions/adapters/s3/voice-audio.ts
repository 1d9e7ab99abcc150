/**
 * The voice line's audio in the files bucket: studio clips, spoken questions, recorded answers.
 * Keys are written once and never change (a new recording is a new key), so caches may keep
 * them for a year; `url` is where a browser or the telephony provider fetches one (the
 * CloudFront `/files` origin in AWS, the app's own `/files` locally), as for attachments.
 */
import type { ClipId, VoiceLanguage } from '#core/voice/call.ts';
import type { VoiceAudio } from '#core/voice/ports.ts';
import type { S3Loader } from './lazy-client.ts';

const IMMUTABLE = 'public, max-age=31536000, immutable';

/** A studio recording of one clip (immutable: a new recording is a new version). */
export const clipAudioKey = (lang: VoiceLanguage, id: ClipId, version: number): string =>
  `voice/clips/${lang}/${id}/${version}.wav`;

/** A spoken question, by the question's code or, before it has one, the call that recorded it. */
export const questionAudioKey = (codeOrCallId: string): string =>
  `voice/questions/${encodeURIComponent(codeOrCallId)}.wav`;

/** An expert's recorded answer: the `n`th answer of a question. */
export const answerAudioKey = (code: string, n: number): string => `voice/answers/${encodeURIComponent(code)}/${n}.wav`;

const missing = (err: unknown) => {
  const e = err as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e?.name === 'NoSuchKey' || e?.name === 'NotFound' || e?.$metadata?.httpStatusCode === 404;
};

/** Each path segment of a key percent-encoded, the slashes kept. */
const encodeKey = (key: string) => key.split('/').map(encodeURIComponent).join('/');

export class S3VoiceAudio implements VoiceAudio {
  /** `s3`: the SDK when first needed (lazy-client.ts): a turn that only names clips' URLs loads none. */
  constructor(
    private readonly s3: S3Loader,
    private readonly bucket: string,
    /** FILES_BASE_URL in AWS; `/files` locally. */
    private readonly publicBaseUrl = '/files',
  ) {}

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const { client, sdk } = await this.s3();
    await client.send(
      new sdk.PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        CacheControl: IMMUTABLE,
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const { client, sdk } = await this.s3();
    try {
      const res = await client.send(new sdk.GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const { client, sdk } = await this.s3();
    await client.send(new sdk.DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  url(key: string): string {
    return `${this.publicBaseUrl.replace(/\/+$/, '')}/${encodeKey(key)}`;
  }
}
