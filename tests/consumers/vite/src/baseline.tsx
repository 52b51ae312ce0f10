import { createRoot } from 'react-dom/client';

// The same page without balance-sync, for the bundle-size difference.
const root = document.getElementById('root');
if (root === null) throw new Error('#root is missing');
createRoot(root).render(
  <p data-testid="balance" data-source="none">
    loading
  </p>,
);
