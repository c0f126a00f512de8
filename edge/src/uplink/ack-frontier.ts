/**
 * The outbox's acknowledgement point while several uplink lanes deliver at once. The outbox keeps one
 * offset ("everything before it is stored in the cloud"), but lanes finish out of seq order: lane B
 * may have its events stored while an earlier event of lane A is still in flight. The frontier moves
 * only over records that are all done, so a crash can only cause resends of stored events (which the
 * cloud answers as duplicates), never the loss of one still in flight.
 *
 * Records are added in the order the outbox read them (rising seq, with gaps where it skipped a
 * corrupt record); each gets a ticket, its position in that order, by which a lane marks it done.
 */
export class AckFrontier {
  #seqs: number[] = [];
  #done: boolean[] = [];
  /** Index in #seqs of the oldest record not yet passed by the frontier. */
  #head = 0;
  /** Ticket of #seqs[0]. */
  #base = 0;

  /** Records read and not yet passed by the frontier: what the uplink holds in memory. */
  get outstanding(): number {
    return this.#seqs.length - this.#head;
  }

  /** Registers a record read from the outbox; returns its ticket. */
  add(seq: number): number {
    this.#seqs.push(seq);
    this.#done.push(false);
    return this.#base + this.#seqs.length - 1;
  }

  /**
   * Marks records done (stored, or dead-lettered); returns the new acknowledgement point when the
   * frontier moved, else undefined.
   */
  done(tickets: Iterable<number>): number | undefined {
    for (const ticket of tickets) {
      const index = ticket - this.#base;
      if (index < this.#head || index >= this.#seqs.length) throw new Error(`unknown ticket ${ticket}`);
      this.#done[index] = true;
    }
    const before = this.#head;
    while (this.#head < this.#seqs.length && this.#done[this.#head]) this.#head++;
    if (this.#head === before) return undefined;
    const ackTo = this.#seqs[this.#head - 1]! + 1;
    this.#compact();
    return ackTo;
  }

  /** Drops the passed records once they are most of the arrays, so memory follows what is in flight. */
  #compact(): void {
    if (this.#head < 4096 || this.#head * 2 < this.#seqs.length) return;
    this.#seqs = this.#seqs.slice(this.#head);
    this.#done = this.#done.slice(this.#head);
    this.#base += this.#head;
    this.#head = 0;
  }
}
