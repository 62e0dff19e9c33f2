// The README's examples (the browser client, the React hooks) as a TypeScript user writes them, type-checked against the
// package's generated declarations by package.test.mjs; plus what the types promise beyond them.
import { QuotesClient, QuotesError, type Quote } from 'akkaquotes-client';
import { QuotesProvider, useMarketData, useQuote, useWebSocket } from 'akkaquotes-client/react';

// README, "The browser client".
const client = new QuotesClient({ url: 'ws://localhost:5000/ws', apiKey: 'YOUR_KEY' });
client.on('quote', q => console.log(q.symbol, q.price, q.changePercent));
client.on('status', s => console.log('feed', s.upstream, 'market', s.market));
client.on('state', s => console.log('connection', s.state, s.delay ?? ''));
client.connect();

try {
  await client.subscribe(['AAPL', 'TSLA']);
} catch (e) {
  if (e instanceof QuotesError) console.log(e.code, e.message);
}
await client.unsubscribe(['TSLA']);
client.close();

// README, "React hooks".
function Watchlist() {
  const { quotes, isConnected, error } = useMarketData(['AAPL', 'TSLA']);
  if (error) return <p>{error.code}: {error.message}</p>;
  return quotes.map((q, i) => <p key={i} className={q?.stale ? 'stale' : ''}>{q?.symbol} {q?.price}</p>);
}
const Price = ({ symbol }: { symbol: string }) => <b>{useQuote(symbol)?.price ?? '…'}</b>;
const Status = () => <i>{useWebSocket().state}</i>;
export const app = <QuotesProvider url="ws://localhost:5000/ws" apiKey="YOUR_KEY"><Watchlist /><Price symbol="AAPL" /><Status /></QuotesProvider>;

// The messages and events are typed, not `any`.
const maxSymbols: number | undefined = client.welcome?.maxSymbols;
const upstream: string | undefined = client.status?.upstream;
// The command budget a newer server announces (optional: an older one does not).
const perSecond: number | undefined = client.welcome?.commandsPerSecond;
const burst: number | undefined = client.welcome?.commandBurst;
client.on('welcome', w => w.commandsPerSecond?.toFixed() ?? w.commandBurst);
// @ts-expect-error optional: not there with an older server
const sureBurst: number = client.welcome!.commandBurst;
// @ts-expect-error a welcome has no such field
client.welcome?.maxSymbol;
client.on('error', (e: QuotesError) => console.log(e.code, e.symbols));
// @ts-expect-error a status has no such field
client.on('status', s => s.upstreams);
// @ts-expect-error no such event
client.on('quotes', () => {});
const code: string | undefined = client.subscriptionError('AAPL')?.code;
const held: number = (await client.subscribe(['AAPL'])).count;

// The day's values may be null (the server's decimal?).
function change(quote: Quote): number {
  // @ts-expect-error change is null while unknown
  const unchecked: number = quote.change;
  return (quote.change ?? 0) + (quote.open ?? 0) + (quote.vwap ?? 0) + unchecked;
}
export { maxSymbols, upstream, perSecond, burst, sureBurst, code, held, change };
