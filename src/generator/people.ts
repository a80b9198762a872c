import type { Country } from './catalog';
import { COUNTRY_WEIGHTS, MARKETS, NAMES, PLACES, USER_AGENTS } from './catalog';
import type { SeededRandom } from './random';

/**
 * The people behind the traffic: registered customers with a profile, and anonymous visitors.
 * Emails use the reserved example.com, example.org and example.net domains. Phones use ranges set
 * aside for fiction (NANP 555-01XX, Ofcom 07700 900XXX, Berlin 030 23125XXX) or a 5555 block.
 * IP addresses come from the documentation ranges of RFC 5737 and RFC 3849.
 */

export interface Profile {
  /** As the shop stored it: sometimes upper case, padded with spaces or carrying a +tag. */
  email: string;
  phone?: string;
  firstName: string;
  lastName: string;
  city: string;
  state: string;
  zip: string;
  /** As the person typed it: `US`, `us`, `United States`. */
  countryName: string;
  gender?: string;
  birthday?: string;
  /** Whether the site copies the phone into `context.traits` next to the email. */
  sharesPhone: boolean;
  /** Order state before the day, in the market's currency; the day's orders add to it. */
  lifetimeValue: number;
  ordersCount: number;
  lastOrderAt?: string;
  /** Order ids from before the day, which a refund may refer to. */
  pastOrderIds: number[];
}

export interface Shopper {
  /** Absent for anonymous visitors. */
  userId?: string;
  anonymousId: string;
  country: Country;
  locale: string;
  ip: string;
  userAgent: string;
  /** The `_fbp` cookie of the Meta pixel, when the browser has one. */
  fbp?: string;
  profile?: Profile;
}

const DAY_MS = 86_400_000;
const USER_ID_ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** Creates `count` registered customers with distinct user ids and emails. */
export function createCustomers(rng: SeededRandom, count: number, endMs: number): Shopper[] {
  const userIds = new Set<string>();
  const customers: Shopper[] = [];

  for (let index = 0; index < count; index += 1) {
    let userId = `usr_${rng.chars(8, USER_ID_ALPHABET)}`;
    while (userIds.has(userId)) {
      userId = `usr_${rng.chars(8, USER_ID_ALPHABET)}`;
    }
    userIds.add(userId);

    const country = rng.weighted(COUNTRY_WEIGHTS);
    customers.push({
      userId,
      ...browser(rng, country, endMs),
      fbp: rng.chance(0.55) ? makeFbp(rng, endMs) : undefined,
      profile: createProfile(rng, country, index, endMs),
    });
  }
  return customers;
}

/** Creates an anonymous visitor. Most browsers carry the pixel's `_fbp` cookie. */
export function createVisitor(rng: SeededRandom, endMs: number): Shopper {
  const country = rng.weighted(COUNTRY_WEIGHTS);
  return { ...browser(rng, country, endMs), fbp: makeFbp(rng, endMs) };
}

function browser(rng: SeededRandom, country: Country, _endMs: number) {
  return {
    anonymousId: rng.uuid(),
    country,
    locale: rng.pick(MARKETS[country].locales),
    ip: makeIp(rng),
    userAgent: rng.weighted(USER_AGENTS),
  };
}

function createProfile(rng: SeededRandom, country: Country, index: number, endMs: number) {
  const names = NAMES[country];
  const firstName = rng.pick(names.first);
  const lastName = rng.pick(names.last);
  const place = rng.pick(PLACES[country]);
  const ordersCount = rng.weighted([
    [0, 40],
    [1, 25],
    [2, 15],
    [3, 10],
    [5, 6],
    [9, 4],
  ] as const);

  const pastOrderIds: number[] = [];
  let lifetimeValue = 0;
  for (let order = 0; order < ordersCount; order += 1) {
    pastOrderIds.push(rng.int(20_000, 59_999));
    lifetimeValue += rng.int(25, 180) * MARKETS[country].rate;
  }

  const profile: Profile = {
    email: makeEmail(rng, firstName, lastName, index),
    phone: rng.chance(0.8) ? makePhone(rng, country) : undefined,
    firstName: rng.chance(0.06) ? firstName.toUpperCase() : firstName,
    lastName,
    city: place.city,
    state: rng.pick(place.states),
    zip: rng.pick(place.zips),
    countryName: rng.pick(MARKETS[country].countryNames),
    gender: rng.weighted([
      ['f', 25],
      ['m', 15],
      ['female', 15],
      ['Male', 8],
      ['F', 5],
      ['non-binary', 4],
      [undefined, 28],
    ] as const),
    birthday: rng.chance(0.7) ? makeBirthday(rng) : undefined,
    sharesPhone: rng.chance(0.7),
    lifetimeValue: Math.round(lifetimeValue * 100) / 100,
    ordersCount,
    lastOrderAt:
      ordersCount > 0 ? new Date(endMs - rng.int(2, 300) * DAY_MS).toISOString() : undefined,
    pastOrderIds,
  };
  return profile;
}

/** Builds an address with the odd case, padding and +tags that real sign-up forms let through. */
function makeEmail(rng: SeededRandom, firstName: string, lastName: string, index: number): string {
  const keepAccents = rng.chance(0.4);
  const local = `${asciiLocalPart(firstName, keepAccents)}.${asciiLocalPart(lastName, keepAccents)}${index + 1}`;
  const domain = rng.weighted([
    ['example.com', 60],
    ['example.org', 25],
    ['example.net', 15],
  ] as const);
  const address = `${local}@${domain}`;

  return rng.weighted<() => string>([
    [() => address, 66],
    [() => address.toUpperCase(), 8],
    [() => `  ${address} `, 8],
    [() => `${local}+${rng.pick(['shop', 'promo', 'fh'])}@${domain}`, 12],
    [() => `${local.charAt(0).toUpperCase()}${local.slice(1)}@${domain.toUpperCase()}`, 6],
  ])();
}

function asciiLocalPart(name: string, keepAccents: boolean): string {
  const lower = name.toLowerCase().replace(/[\s']/g, '');
  return keepAccents ? lower : lower.normalize('NFD').replace(/[\u0300-\u036f]/g, '');
}

/** Formats a fictional number the way people in that country type it. */
export function makePhone(rng: SeededRandom, country: Country): string {
  const last = String(rng.int(0, 99)).padStart(2, '0');
  const three = String(rng.int(0, 999)).padStart(3, '0');

  switch (country) {
    case 'US':
    case 'CA': {
      const area = rng.pick(
        country === 'US' ? ['503', '512', '718', '608'] : ['514', '902', '403'],
      );
      return rng.pick([
        `(${area}) 555-01${last}`,
        `${area}-555-01${last}`,
        `+1 ${area} 555 01${last}`,
        `1${area}55501${last}`,
        `${area}.555.01${last}`,
      ]);
    }
    case 'GB':
      return rng.pick([`07700 900${three}`, `+44 7700 900${three}`, `+447700900${three}`]);
    case 'DE':
      return rng.pick([`030 23125${three}`, `+49 30 23125${three}`, `+49 (0)30 23125-${three}`]);
    case 'BR':
      return rng.pick([`+55 11 95555-0${three}`, `(11) 95555-0${three}`, `11955550${three}`]);
  }
}

function makeBirthday(rng: SeededRandom): string {
  const year = rng.int(1958, 2006);
  const month = rng.int(1, 12);
  const day = rng.int(1, 28);
  const pad = (value: number) => String(value).padStart(2, '0');
  return rng.weighted([
    [`${year}-${pad(month)}-${pad(day)}`, 70],
    [`${year}-${month}-${day}`, 15],
    [`${month}/${day}/${year}`, 15],
  ] as const);
}

/** Returns an address from the documentation ranges; one in five is IPv6. */
export function makeIp(rng: SeededRandom): string {
  if (rng.chance(0.2)) {
    return `2001:db8:${rng.hex(4)}:${rng.hex(4)}::${rng.int(1, 255).toString(16)}`;
  }
  const prefix = rng.pick(['192.0.2', '198.51.100', '203.0.113']);
  return `${prefix}.${rng.int(1, 254)}`;
}

/** Returns an `_fbp` cookie value: `fb.1.{creation ms}.{random number}`. */
export function makeFbp(rng: SeededRandom, endMs: number): string {
  const created = endMs - rng.int(2, 400) * DAY_MS - rng.int(0, DAY_MS);
  return `fb.1.${created}.${rng.digits(10)}`;
}

/** Returns an `fbclid` value as Meta appends it to ad links. */
export function makeFbclid(rng: SeededRandom): string {
  return `IwAR${rng.chars(36, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-')}`;
}
