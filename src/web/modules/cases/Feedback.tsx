import { useTranslation } from 'react-i18next';
import { ApiError } from './api';

/** A status line read out by screen readers: what just happened, or what went wrong and its code. */
export function Feedback({ message, error }: { message?: string | null; error?: unknown }) {
  const { t } = useTranslation('cases');
  if (error) {
    const text =
      error instanceof ApiError
        ? `${error.message} (${error.code})`
        : String((error as Error).message ?? error);
    return (
      <p role="alert" className="feedback feedback-error">
        {t('error', { message: text })}
      </p>
    );
  }
  if (!message) return null;
  return (
    <p role="status" className="feedback">
      {message}
    </p>
  );
}
