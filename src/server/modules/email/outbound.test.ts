import { describe, expect, it } from 'vitest';
import { sortAttachments } from './inbound';
import { attachmentNoticeText } from './outbound';

const limits = { maxAttachmentBytes: 5 * 1024 * 1024, maxAttachments: 2 };

describe('attachments not kept', () => {
  it('are sorted out by size first, then by count, each with its reason', () => {
    const mail = [
      { filename: 'big.mov', size: 6 * 1024 * 1024 },
      { filename: 'a.jpg', size: 10 },
      { size: 20 },
      { filename: 'c.jpg', size: 30 },
    ];
    const { kept, notKept } = sortAttachments(mail, limits);
    expect(kept.map((a) => a.size)).toEqual([10, 20]);
    expect(notKept).toEqual([
      { filename: 'big.mov', sizeBytes: 6 * 1024 * 1024, reason: 'too_large' },
      { filename: 'c.jpg', sizeBytes: 30, reason: 'too_many' },
    ]);
  });

  it.each([
    ['en', '- big.mov (6.5 MB): larger than 5 MB', 'reply to this e-mail'],
    ['it', '- big.mov (6,5 MB): più grande di 5 MB', 'rispondi a questa e-mail'],
    ['es', '- big.mov (6,5 MB): de más de 5 MB', 'responde a este correo'],
    ['fr', '- big.mov (6,5 Mo) : plus de 5 Mo', 'répondez à cet e-mail'],
    ['de', '- big.mov (6,5 MB): größer als 5 MB', 'antworten Sie auf diese E-Mail'],
  ])('are explained in %s, with the limits and how to send them', (language, line, howTo) => {
    const text = attachmentNoticeText(
      language,
      [{ filename: 'big.mov', sizeBytes: 6.5 * 1024 * 1024, reason: 'too_large' }],
      limits,
    );
    expect(text.replace(/[\u00a0\u202f]/g, ' ')).toContain(line);
    expect(text).toContain(howTo);
    expect(text).not.toMatch(/undefined|NaN/);
  });
});
