/** File sniffing, anonymising and ids (core/knowledge/sniff.ts, anonymise.ts, ids.ts), pure. */
import { describe, expect, test } from 'vitest';
import { anonymise } from '#core/knowledge/anonymise.ts';
import {
  isItemId,
  itemIdFor,
  kindOfId,
  newItemId,
  newQuestionCode,
  normaliseQuestionCode,
} from '#core/knowledge/ids.ts';
import { sniffType } from '#core/knowledge/sniff.ts';

const bytes = (...b: Array<number | string>) =>
  new Uint8Array(b.flatMap((x) => (typeof x === 'string' ? [...x].map((c) => c.charCodeAt(0)) : [x])));

describe('sniffType: by content, never by name', () => {
  test('the four types', () => {
    expect(sniffType(bytes(0xff, 0xd8, 0xff, 0xe0))).toBe('image/jpeg');
    expect(sniffType(bytes(0x89, 'PNG', 0x0d, 0x0a, 0x1a, 0x0a, 0))).toBe('image/png');
    expect(sniffType(bytes('RIFF', 0, 0, 0, 0, 'WEBP'))).toBe('image/webp');
    expect(sniffType(bytes('%PDF-1.7'))).toBe('application/pdf');
  });
  test('anything else, or too short', () => {
    expect(sniffType(bytes('<html>'))).toBeUndefined();
    expect(sniffType(bytes('RIFF', 0, 0, 0, 0, 'WAVE'))).toBeUndefined();
    expect(sniffType(bytes(0xff, 0xd8))).toBeUndefined();
    expect(sniffType(bytes('MZ'))).toBeUndefined();
  });
});

describe('anonymise', () => {
  test('phone numbers and question codes go; the words stay', () => {
    expect(anonymise('Q4821 my yak coughs, call 138 0000 1111 or +86-139-0000-2222')).toBe(
      '… my yak coughs, call … or …',
    );
    expect(anonymise('牦牛咳嗽q1234，电话13800001111')).toBe('牦牛咳嗽…，电话…');
    expect(anonymise('5 yaks, 200 jin')).toBe('5 yaks, 200 jin');
  });
});

describe('ids', () => {
  test('item ids: the kind’s letter, time-ordered; a request’s id is stable', () => {
    const id = newItemId('alert', new Date('2026-06-01T00:00:00Z'));
    expect(isItemId(id)).toBe(true);
    expect(kindOfId(id)).toBe('alert');
    expect(itemIdFor('guide', 'r1')).toBe(itemIdFor('guide', 'r1'));
    expect(itemIdFor('guide', 'r1')).not.toBe(itemIdFor('guide', 'r2'));
    expect(isItemId('x1234567890')).toBe(false);
  });
  test('question codes as farmers type them', () => {
    expect(newQuestionCode()).toMatch(/^Q\d{4}$/u);
    expect(newQuestionCode(6)).toMatch(/^Q\d{6}$/u);
    expect(normaliseQuestionCode('q1234')).toBe('Q1234');
    expect(normaliseQuestionCode('Q １２３４')).toBe('Q1234');
    expect(normaliseQuestionCode('Q༡༢༣༤')).toBe('Q1234');
    expect(normaliseQuestionCode('L1234')).toBeUndefined();
  });
});
