import { ErrorMessage } from '../../shared/errors';

/** What just happened (read out by screen readers), or what went wrong in words with its code. */
export function Feedback({ message, error }: { message?: string | null; error?: unknown }) {
  if (error) return <ErrorMessage error={error} />;
  if (!message) return null;
  return (
    <p role="status" className="feedback">
      {message}
    </p>
  );
}
