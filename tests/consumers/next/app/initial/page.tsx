import { InitialWallet } from './initial-wallet';

// Server-rendered per request: the balance "the server fetched" `age` seconds ago (a server-side
// cache), passed down as initialData. Past the TTL (30 s) the server marks it stale.
export const dynamic = 'force-dynamic';

export default async function Page({
  searchParams,
}: {
  searchParams: Promise<{ age?: string; user?: string }>;
}) {
  const params = await searchParams;
  const age = Number(params.age ?? 0);
  return (
    <main>
      <InitialWallet
        userId={params.user ?? 'alice'}
        initialData={{ balance: 1000, receivedAt: Date.now() - age * 1000 }}
      />
    </main>
  );
}
