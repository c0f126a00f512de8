import { applyLiveMessage, type BoardState } from '../live-board';
import { trpc } from '../trpc';
import { errorCode, errorMessage, isUnauthorized } from '../trpc-error';

/*
 * One `kpi.live` subscription per open dashboard, for its plant, shared by every live widget on it
 * (KPI tiles of the current shift, machine tiles), merged as the KPI board merges it (live-board.ts).
 */
export class DashboardLive {
  board = $state.raw<BoardState | null>(null);
  error = $state('');
  /** When the last message came: the "as of" a viewer sees. */
  receivedAt = $state(0);

  /** Follows a plant until the returned function is called; null follows nothing. */
  follow(plantId: string | null): () => void {
    this.board = null;
    this.error = '';
    if (plantId === null) return () => {};
    const subscription = trpc.kpi.live.subscribe(
      { plantId },
      {
        onData: (message) => {
          this.board = applyLiveMessage(this.board, message);
          this.receivedAt = Date.now();
        },
        onError: (err) => {
          if (isUnauthorized(err)) return;
          this.error = errorMessage(err);
          if (errorCode(err) === 'FORBIDDEN') this.board = null;
        },
      },
    );
    return () => subscription.unsubscribe();
  }
}
