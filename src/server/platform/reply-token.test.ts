import { describe, expect, it } from 'vitest';
import { replyAddress, signReplyToken, tokenOf, verifyReplyToken } from './reply-token';

const secret = 'a-secret-of-at-least-thirty-two-characters';
const id = '2b0c4d4e-8f1a-4c1e-9d7a-1a2b3c4d5e6f';

describe('signed reply-to tokens', () => {
  it('round-trips through an address', () => {
    const address = replyAddress(secret, 'mail.example', 'case', id);
    expect(verifyReplyToken(secret, tokenOf(address)!)).toEqual({ kind: 'case', id });
  });

  it('refuses forged, altered, unsigned or foreign-secret tokens', () => {
    const token = signReplyToken(secret, 'case', id);
    expect(verifyReplyToken(secret, token.replace('case', 'caselog'))).toBeNull();
    expect(verifyReplyToken(secret, `${token.slice(0, -1)}A`)).toBeNull();
    expect(verifyReplyToken(secret, `case.${id}`)).toBeNull();
    expect(verifyReplyToken('another-secret-of-thirty-two-chars!!', token)).toBeNull();
    expect(tokenOf('support@mail.example')).toBeNull();
  });
});
