import './shared/styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { setupI18n } from './i18n';
import { SessionProvider, takeTokenFromFragment } from './shared/session';

// The token leaves the address bar before anything else runs (no history entry, no referrer).
const token = takeTokenFromFragment();
await setupI18n();
createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <SessionProvider initialToken={token}>
      <App />
    </SessionProvider>
  </StrictMode>,
);
