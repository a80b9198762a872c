/**
 * A small seeded pseudo-random generator (mulberry32), so that the same seed always yields the same
 * traffic. It is fast and good enough for test data, and never suitable for secrets.
 */
export class SeededRandom {
  private state: number;

  /** @param seed any finite number; the bits of its integer part pick the stream. */
  constructor(seed: number) {
    this.state = mixSeed(seed);
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.state = (this.state + 0x6d2b79f5) | 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Returns an integer in [min, max], both ends included. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  /** Returns true with probability `p`. */
  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) {
      throw new RangeError('cannot pick from an empty list');
    }
    return items[Math.floor(this.next() * items.length)] as T;
  }

  /** Picks an item with probability proportional to its weight. */
  weighted<T>(entries: readonly (readonly [T, number])[]): T {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = this.next() * total;
    for (const [item, weight] of entries) {
      roll -= weight;
      if (roll < 0) {
        return item;
      }
    }
    const last = entries[entries.length - 1];
    if (last === undefined) {
      throw new RangeError('cannot pick from an empty list');
    }
    return last[0];
  }

  /** Returns `length` lowercase hexadecimal digits. */
  hex(length: number): string {
    return this.chars(length, '0123456789abcdef');
  }

  /** Returns `length` decimal digits; the first one is never 0. */
  digits(length: number): string {
    return String(this.int(1, 9)) + this.chars(length - 1, '0123456789');
  }

  chars(length: number, alphabet: string): string {
    let out = '';
    for (let i = 0; i < length; i += 1) {
      out += alphabet[Math.floor(this.next() * alphabet.length)];
    }
    return out;
  }

  /** Returns a version 4 UUID built from this stream. */
  uuid(): string {
    const hex = this.hex(32);
    const variant = '89ab'[this.int(0, 3)] as string;
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20)}`;
  }

  /** Returns `count` distinct items of `items` in random order (a partial Fisher-Yates shuffle). */
  sample<T>(items: readonly T[], count: number): T[] {
    const pool = items.slice();
    const drawn = Math.min(count, pool.length);
    for (let i = 0; i < drawn; i += 1) {
      const j = i + Math.floor(this.next() * (pool.length - i));
      const swap = pool[i] as T;
      pool[i] = pool[j] as T;
      pool[j] = swap;
    }
    return pool.slice(0, drawn);
  }
}

/**
 * Spreads the seed's bits (a splitmix32 finaliser), so that nearby seeds such as 1 and 2 start
 * unrelated streams. Seeds past 2^32 keep their high bits.
 */
function mixSeed(seed: number): number {
  const whole = Math.trunc(seed);
  let h = (whole | 0) ^ Math.trunc(whole / 4294967296);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) | 0;
}
