// Evidence a seller attaches to a claim: photos and documents, checked to be what they say they are.
import { AppError } from '../../platform/errors';

export type Evidence = { filename: string; contentType: string; data: Buffer };

export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

export const EVIDENCE_MAX_FILES = 10;

// The first bytes each accepted type must start with: a photo named .jpg must be a JPEG.
const SIGNATURES: Record<string, number[]> = {
  'image/jpeg': [0xff, 0xd8, 0xff],
  'image/png': [0x89, 0x50, 0x4e, 0x47],
  'application/pdf': [0x25, 0x50, 0x44, 0x46],
};

export const evidenceTypes = Object.keys(SIGNATURES) as [string, ...string[]];

export function checkEvidence(files: readonly Evidence[], alreadyStored: number) {
  if (files.length + alreadyStored > EVIDENCE_MAX_FILES)
    throw new AppError('validation_failed', `At most ${EVIDENCE_MAX_FILES} evidence files per claim`);
  for (const [i, f] of files.entries()) {
    if (f.data.length === 0 || f.data.length > EVIDENCE_MAX_BYTES)
      throw new AppError('payload_too_large', `Evidence files are 1 byte to 5 MB`, [
        { path: `evidence.${i}`, code: 'size', message: `${f.data.length} bytes` },
      ]);
    const sig = SIGNATURES[f.contentType];
    if (!sig?.every((b, k) => f.data[k] === b))
      throw new AppError('unsupported_media_type', `${f.filename} is not a ${f.contentType} file`, [
        { path: `evidence.${i}`, code: 'content_mismatch', message: 'JPEG, PNG or PDF only' },
      ]);
  }
}
