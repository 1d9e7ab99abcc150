/**
 * The voice line's audio in the files bucket: studio clips, spoken questions, recorded answers.
 * Keys are written once and never change (a new recording is a new key), so caches may keep
 * them for a year; `url` is where a browser or the telephony provider fetches one (the
 * CloudFront `/files` origin in AWS, the app's own `/files` locally), as for attachments.
 */
import type { DeleteObjectCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { ClipId, VoiceLanguage } from '#core/voice/call.ts';
import type { VoiceAudio } from '#core/voice/ports.ts';

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

/**
 * The S3 client and the three commands the audio uses, handed in rather than imported: the voice
 * Lambda loads the S3 SDK only when a turn first touches audio (most turns only name clips' URLs),
 * which keeps it out of the cold start a caller waits on; createDeps hands in its client at once.
 */
export interface S3Parts {
  client: S3Client;
  PutObjectCommand: typeof PutObjectCommand;
  GetObjectCommand: typeof GetObjectCommand;
  DeleteObjectCommand: typeof DeleteObjectCommand;
}

export class S3VoiceAudio implements VoiceAudio {
  private parts: Promise<S3Parts> | undefined;

  constructor(
    private readonly s3: () => Promise<S3Parts>,
    private readonly bucket: string,
    /** FILES_BASE_URL in AWS; `/files` locally. */
    private readonly publicBaseUrl = '/files',
  ) {}

  private sdk(): Promise<S3Parts> {
    this.parts ??= this.s3().catch((err) => {
      this.parts = undefined; // a failed load is tried again on the next use
      throw err;
    });
    return this.parts;
  }

  async put(key: string, bytes: Uint8Array, contentType: string): Promise<void> {
    const { client, PutObjectCommand } = await this.sdk();
    await client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: bytes,
        ContentType: contentType,
        CacheControl: IMMUTABLE,
      }),
    );
  }

  async get(key: string): Promise<Uint8Array | undefined> {
    const { client, GetObjectCommand } = await this.sdk();
    try {
      const res = await client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return await res.Body!.transformToByteArray();
    } catch (err) {
      if (missing(err)) return undefined;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    const { client, DeleteObjectCommand } = await this.sdk();
    await client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }

  url(key: string): string {
    return `${this.publicBaseUrl.replace(/\/+$/, '')}/${encodeKey(key)}`;
  }
}
