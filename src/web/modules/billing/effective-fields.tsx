// The two fields every new policy version asks for: the day it comes into force and a note saying why.
import { useTranslation } from 'react-i18next';
import { TextField } from '../../shared/forms';

export function EffectiveFields({
  effectiveFrom,
  note,
  timeZone,
  onChange,
}: {
  effectiveFrom: string;
  note: string;
  timeZone: string;
  onChange: (patch: { effectiveFrom?: string; note?: string }) => void;
}) {
  const { t } = useTranslation('billing');
  return (
    <div className="fee-inline">
      <TextField
        label={t('effectiveFrom')}
        type="date"
        required
        value={effectiveFrom}
        hint={t('effectiveHint', { zone: timeZone })}
        onChange={(e) => onChange({ effectiveFrom: e.target.value })}
      />
      <TextField
        label={t('note')}
        required
        value={note}
        maxLength={500}
        onChange={(e) => onChange({ note: e.target.value })}
      />
    </div>
  );
}
