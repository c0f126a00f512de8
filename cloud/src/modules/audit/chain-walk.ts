import { type AuditEntryContent, auditEntryHash } from '../../platform/index.js';

/*
 * The pure core of verification (docs/audit.md, "Verifying"): fed a tenant's entries in seq order,
 * it recomputes the chain and names the first entry that breaks it, in words an auditor can act on.
 * No I/O, so every way a chain can break is tested without a database (chain-walk.test.ts).
 */

/** An entry as read back: what was hashed, and the two hashes stored with it. */
export interface StoredEntry {
  content: AuditEntryContent;
  prevHash: string;
  hash: string;
}

export interface ChainFault {
  firstBadSeq: number;
  reason: string;
}

/** Where a walk starts: after `seq` (0 for the start), whose hash is `hash` (GENESIS_HASH at the start). */
export interface ChainAnchor {
  seq: number;
  hash: string;
}

export class ChainWalk {
  #lastSeq: number;
  #lastHash: string;
  #checked = 0;

  constructor(anchor: ChainAnchor) {
    this.#lastSeq = anchor.seq;
    this.#lastHash = anchor.hash;
  }

  /** Entries checked so far. */
  get checked(): number {
    return this.#checked;
  }

  get lastSeq(): number {
    return this.#lastSeq;
  }

  /** Checks the next entry; the first fault found ends the walk (later entries prove nothing more). */
  next({ content, prevHash, hash }: StoredEntry): ChainFault | null {
    const expected = this.#lastSeq + 1;
    const { seq } = content;
    if (seq < expected) return { firstBadSeq: seq, reason: `entry ${seq} appears more than once` };
    if (seq > expected) return { firstBadSeq: expected, reason: `entry ${expected} is missing` };
    if (prevHash !== this.#lastHash) {
      return {
        firstBadSeq: seq,
        reason:
          seq === 1 ? 'entry 1 does not start the chain' : `entry ${seq} does not follow entry ${seq - 1}`,
      };
    }
    if (auditEntryHash(prevHash, content) !== hash) {
      return { firstBadSeq: seq, reason: `entry ${seq} was changed after it was written` };
    }
    this.#lastSeq = seq;
    this.#lastHash = hash;
    this.#checked += 1;
    return null;
  }

  /**
   * After the last entry: the chain head (audit_chain_heads, read before the walk) must name the
   * entry the walk ended on. A head further on shows entries removed from the end; entries beyond the
   * head were not written through the chain.
   */
  finish(head: { seq: number; hash: string } | null, highestSeq: number | null): ChainFault | null {
    const headSeq = head?.seq ?? 0;
    if (this.#lastSeq < headSeq) {
      const missing = this.#lastSeq + 1;
      return {
        firstBadSeq: missing,
        reason:
          missing === headSeq
            ? `entry ${missing} is missing (the last entry)`
            : `entries ${missing} to ${headSeq} are missing (the end of the trail)`,
      };
    }
    if (head !== null && head.hash !== this.#lastHash) {
      return { firstBadSeq: headSeq, reason: `the chain head does not match entry ${headSeq}` };
    }
    if (highestSeq !== null && highestSeq > headSeq) {
      return {
        firstBadSeq: headSeq + 1,
        reason:
          head === null
            ? 'entry 1 was added outside the chain (the chain has no head)'
            : `entry ${headSeq + 1} was added outside the chain (the chain head ends at ${headSeq})`,
      };
    }
    return null;
  }
}
