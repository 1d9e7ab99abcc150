/**
 * Command keywords in their four forms. Tibetan and Wylie forms are the glossary's (kw_*
 * terms, with their confidence); where the glossary has no Tibetan word (SCRIPT, START,
 * DELETE ME) there is none here either — we do not invent Tibetan spellings — and those
 * commands are typed in English or Chinese.
 *
 * `wholeOnly` keywords count only as the whole message: single letters and short words that
 * are common at the start of other text (TD, T, END, QUIT), and every way of saying DELETE ME,
 * which cannot be undone ("delete me please" gets a "did you mean" instead of an erasure).
 * Their form (English, Chinese, Tibetan) follows their script.
 */
import type { Intent } from './commands.ts';

export interface KeywordForms {
  intent: Intent;
  en: string[];
  zh: string[];
  bo: string[];
  wylie: string[];
  wholeOnly?: string[];
}

export const keywords: KeywordForms[] = [
  {
    intent: 'help',
    en: ['help', 'menu', '?'],
    zh: ['帮助', '帮忙', '求助', '菜单'],
    bo: ['རོགས་རམ'],
    wylie: ['rogs ram'],
    wholeOnly: ['h'],
  },
  {
    intent: 'join',
    en: ['join', 'register'],
    zh: ['注册', '登记', '报名'],
    bo: ['ཐོ་འགོད', 'ཐོ་འཇུག'],
    wylie: ["tho 'god", "tho 'jug"],
  },
  {
    intent: 'lang',
    en: ['lang', 'language'],
    zh: ['语言', '语种'],
    bo: ['སྐད་ཡིག', 'སྐད་བརྡ'],
    wylie: ['skad yig', 'skad brda'],
  },
  { intent: 'script', en: ['script', 'font'], zh: ['文字', '字体'], bo: [], wylie: [] },
  {
    intent: 'unsub',
    en: ['unsub', 'unsubscribe'],
    zh: ['取消订阅', '取消关注'],
    bo: ['མངགས་ཉོ་མཚམས་འཇོག'],
    wylie: ["mngags nyo mtshams 'jog"],
  },
  {
    intent: 'sub',
    en: ['sub', 'subscribe', 'follow'],
    zh: ['订阅', '关注', '订购'],
    bo: ['མངགས་ཉོ'],
    wylie: ['mngags nyo'],
  },
  { intent: 'price', en: ['price'], zh: ['价格', '价钱', '多少钱', '行情'], bo: ['རིན་གོང', 'གོང'], wylie: ['rin gong'] },
  // Staff price reports (P, 报价). The glossary has no Tibetan word for "report a price", so none here.
  { intent: 'collect', en: ['p'], zh: ['报价'], bo: [], wylie: [] },
  {
    intent: 'stop',
    en: ['stop', 'stopall', 'cancel all'],
    zh: ['退订', '停止'],
    bo: ['མཚམས་འཇོག', 'མཚམས་འཇོག་པ'],
    wylie: ["mtshams 'jog", "mtshams 'jog pa"],
    wholeOnly: ['td', 't', 'end', 'quit', '退'],
  },
  { intent: 'start', en: ['start', 'unstop', 'resume'], zh: ['开始', '恢复', '开通'], bo: [], wylie: [] },
  {
    intent: 'delete',
    en: [],
    zh: [],
    bo: [],
    wylie: [],
    wholeOnly: ['delete me', 'delete-me', 'delete my data', 'forget me', '删除我', '删除我的信息', '注销'],
  },
];
