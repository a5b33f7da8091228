// Evidence files picked in the browser, read as base64 for the claims API (JPEG, PNG, PDF only).
export const EVIDENCE_TYPES = ['image/png', 'image/jpeg', 'application/pdf'] as const;

export type EvidenceUpload = { filename: string; contentType: string; dataBase64: string };

function base64Of(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export async function evidenceOf(files: FileList | null): Promise<EvidenceUpload[]> {
  return Promise.all(
    [...(files ?? [])].map(async (f) => ({
      filename: f.name,
      contentType: f.type || 'application/octet-stream',
      dataBase64: await base64Of(f),
    })),
  );
}

/** "12,50" or "12.50" in major units → minor units; null when empty or not a number. */
export function minorOf(input: string, currency: string): number | null {
  const text = input.trim().replace(',', '.');
  if (text === '' || !/^\d+(\.\d+)?$/.test(text)) return null;
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
  return Math.round(Number(text) * 10 ** digits);
}
