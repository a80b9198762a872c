/**
 * The invented shop behind the generated traffic: a small skincare and haircare brand selling in
 * five countries. Every name, address and product is made up; hosts use the reserved `.example`
 * top-level domain.
 */

export const SHOP_ORIGIN = 'https://fernhollow.example';
export const SHOP_NAME = 'Fernhollow';

export interface Product {
  productId: string;
  sku: string;
  handle: string;
  name: string;
  category: 'Skincare' | 'Haircare' | 'Bodycare' | 'Bundles';
  variant: string;
  /** Price in US dollars; `priceIn` converts it. */
  priceUsd: number;
}

export const PRODUCTS: readonly Product[] = [
  product('4401', 'gel-cleanser', 'Cloudberry Gel Cleanser', 'Skincare', '150 ml', 22),
  product('4402', 'fennel-toner', 'Sea Fennel Toner', 'Skincare', '200 ml', 19.5),
  product('4403', 'bakuchiol-serum', 'Bakuchiol Night Serum', 'Skincare', '30 ml', 46),
  product('4404', 'oat-moisturiser', 'Oat Barrier Moisturiser', 'Skincare', '50 ml', 32),
  product('4405', 'sun-fluid-spf50', 'Mineral Sun Fluid SPF 50', 'Skincare', '40 ml', 28),
  product('4406', 'rosehip-eye-balm', 'Rosehip Eye Balm', 'Skincare', '15 ml', 24),
  product('4501', 'rice-water-shampoo', 'Rice Water Shampoo', 'Haircare', '250 ml', 16),
  product('4502', 'argan-mask', 'Argan Repair Mask', 'Haircare', '200 ml', 27.5),
  product('4503', 'scalp-tonic', 'Clary Scalp Tonic', 'Haircare', '100 ml', 21),
  product('4504', 'curl-cream', 'Curl Defining Cream', 'Haircare', '150 ml', 18.5),
  product('4505', 'bond-conditioner', 'Bond Builder Conditioner', 'Haircare', '250 ml', 23),
  product('4601', 'neroli-body-oil', 'Neroli Body Oil', 'Bodycare', '100 ml', 34),
  product('4701', 'morning-ritual-set', 'Morning Ritual Set', 'Bundles', '3 items', 72),
  product('4702', 'wash-day-kit', 'Wash Day Kit', 'Bundles', '3 items', 55),
];

function product(
  code: string,
  handle: string,
  name: string,
  category: Product['category'],
  variant: string,
  priceUsd: number,
): Product {
  return {
    productId: `fh-${code}`,
    sku: `FH-${code}-${variant.replace(/\s+/g, '').toUpperCase()}`,
    handle,
    name,
    category,
    variant,
    priceUsd,
  };
}

export const COUNTRIES = ['US', 'GB', 'CA', 'DE', 'BR'] as const;
export type Country = (typeof COUNTRIES)[number];

/** How often a customer comes from each country. */
export const COUNTRY_WEIGHTS: readonly (readonly [Country, number])[] = [
  ['US', 45],
  ['GB', 17],
  ['CA', 14],
  ['DE', 12],
  ['BR', 12],
];

export interface Market {
  currency: string;
  /** US dollars to the local currency, a fixed made-up rate. */
  rate: number;
  /** Sales tax charged on top of the price; 0 where prices include VAT. */
  taxRate: number;
  shipping: number;
  freeShippingFrom: number;
  locales: readonly string[];
  /** Ways a person writes the country in a profile. */
  countryNames: readonly string[];
}

export const MARKETS: Record<Country, Market> = {
  US: market('USD', 1, 0.0825, 5.95, 60, ['en-US'], ['US', 'us', 'United States', 'USA']),
  GB: market('GBP', 0.8, 0, 3.95, 45, ['en-GB'], ['GB', 'gb', 'United Kingdom', 'UK']),
  CA: market('CAD', 1.36, 0.13, 7.5, 80, ['en-CA', 'fr-CA'], ['CA', 'ca', 'Canada']),
  DE: market('EUR', 0.92, 0, 4.9, 50, ['de-DE'], ['DE', 'de', 'Deutschland', 'Germany']),
  BR: market('BRL', 5.1, 0, 19.9, 300, ['pt-BR'], ['BR', 'br', 'Brasil', 'Brazil']),
};

function market(
  currency: string,
  rate: number,
  taxRate: number,
  shipping: number,
  freeShippingFrom: number,
  locales: readonly string[],
  countryNames: readonly string[],
): Market {
  return { currency, rate, taxRate, shipping, freeShippingFrom, locales, countryNames };
}

/** Returns the product's price in the market's currency, rounded to half units. */
export function priceIn(item: Product, country: Country): number {
  return Math.round(item.priceUsd * MARKETS[country].rate * 2) / 2;
}

export interface Place {
  city: string;
  /** The ways a person writes the state or region. */
  states: readonly string[];
  zips: readonly string[];
}

export const PLACES: Record<Country, readonly Place[]> = {
  US: [
    { city: 'Portland', states: ['OR', 'Oregon'], zips: ['97205', '97209-1432'] },
    { city: 'Austin', states: ['TX', 'Texas', 'tx'], zips: ['78701', '78704'] },
    { city: 'Brooklyn', states: ['NY', 'New York'], zips: ['11201', '11215-3307'] },
    { city: 'Oakland', states: ['CA', 'California'], zips: ['94612'] },
    { city: 'Madison', states: ['WI', 'Wisconsin'], zips: ['53703'] },
  ],
  GB: [
    { city: 'Bristol', states: ['England'], zips: ['BS1 4DJ', 'bs8 1tb'] },
    { city: 'Leeds', states: ['England', 'West Yorkshire'], zips: ['LS1 5AB'] },
    { city: 'Glasgow', states: ['Scotland'], zips: ['G1 2FF', 'G12 8QQ'] },
  ],
  CA: [
    { city: 'Montréal', states: ['QC', 'Québec', 'Quebec'], zips: ['H2X 1Y4', 'H3B1A7'] },
    { city: 'Halifax', states: ['NS', 'Nova Scotia'], zips: ['B3H 4R2'] },
    { city: 'Calgary', states: ['AB', 'Alberta'], zips: ['T2P 1J9'] },
  ],
  DE: [
    { city: 'München', states: ['Bayern', 'BY'], zips: ['80331', '80469'] },
    { city: 'Köln', states: ['Nordrhein-Westfalen', 'NRW'], zips: ['50667'] },
    { city: 'Leipzig', states: ['Sachsen'], zips: ['04109'] },
  ],
  BR: [
    { city: 'São Paulo', states: ['SP', 'São Paulo'], zips: ['01310-100', '04538133'] },
    { city: 'Curitiba', states: ['PR', 'Paraná'], zips: ['80010-000'] },
    { city: 'Recife', states: ['PE', 'Pernambuco'], zips: ['50030-230'] },
  ],
};

/** First and last names by country, with the accents people really type. */
export const NAMES: Record<Country, { first: readonly string[]; last: readonly string[] }> = {
  US: {
    first: ['Harper', 'Elijah', 'Marisol', 'Dakota', 'Renée', 'Tobias', 'Keiko', 'Jaylen'],
    last: ['Whitaker', 'Delgado', 'Okafor', 'Lindqvist', 'Pérez', "O'Malley", 'Nakamura'],
  },
  GB: {
    first: ['Siobhán', 'Rhys', 'Imogen', 'Callum', 'Niamh', 'Priya', 'Ffion'],
    last: ['Ashworth', 'Fitzgerald', 'Pennington', 'Oduya', 'Llewellyn', 'Hartley-Booth'],
  },
  CA: {
    first: ['Zoé', 'Étienne', 'Mathéo', 'Maëlle', 'Liam', 'Anaïs', 'Gabriel'],
    last: ['Tremblay', 'Gagné', 'Côté', 'Bélanger', 'MacLeod', 'Lévesque'],
  },
  DE: {
    first: ['Jürgen', 'Lena', 'Maximilian', 'Anneliese', 'Jörg', 'Käthe', 'Lukas'],
    last: ['Schröder', 'Bäcker', 'Weiß', 'Hoffmann', 'Grünewald', 'Müller-Lüdenscheidt'],
  },
  BR: {
    first: ['João', 'Luíza', 'Thiago', 'Conceição', 'Vitória', 'Caio', 'Lúcia'],
    last: ['Araújo', 'Gonçalves', 'Magalhães', 'Brandão', 'Assunção', 'Peixoto'],
  },
};

/** Browsers seen on the shop. Chrome-based strings carry the reduced version Chrome now sends. */
export const USER_AGENTS: readonly (readonly [string, number])[] = [
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1',
    34,
  ],
  [
    'Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Mobile Safari/537.36',
    22,
  ],
  [
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/132.0.0.0 Safari/537.36',
    18,
  ],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Safari/605.1.15',
    14,
  ],
  ['Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0', 7],
  [
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 Instagram 357.0.0.25.101',
    5,
  ],
];

/** Search queries shoppers type, in their own languages. */
export const SEARCH_QUERIES = [
  'spf',
  'vitamin c serum',
  'curly hair',
  'dry scalp',
  'retinol alternative',
  'shampoo sem sulfato',
  'feuchtigkeitscreme',
  'crème hydratante',
  'gift set',
  'eye cream',
  'hair mask',
] as const;

/** Pages a shopper may land on or browse besides product pages. */
export const CONTENT_PAGES = [
  { name: 'Home', path: '/', title: `${SHOP_NAME} | Plant-based skin and hair care` },
  { name: 'Collection', path: '/collections/skincare', title: `Skincare | ${SHOP_NAME}` },
  { name: 'Collection', path: '/collections/haircare', title: `Haircare | ${SHOP_NAME}` },
  { name: 'Collection', path: '/collections/bundles', title: `Bundles | ${SHOP_NAME}` },
  { name: 'Journal', path: '/blogs/journal/wash-day-routine', title: `Wash day, simplified` },
  { name: 'About', path: '/pages/our-story', title: `Our story | ${SHOP_NAME}` },
] as const;

/** Referrers of landing pages; each host uses a reserved `.example` domain. */
export const REFERRERS = [
  'https://search.example/',
  'https://social.example/',
  'https://newsletter.example/issue-48',
] as const;

/** Coupon codes shoppers apply at checkout, with their discount as a fraction of the subtotal. */
export const COUPONS: readonly (readonly [string, number])[] = [
  ['WELCOME10', 0.1],
  ['WASHDAY15', 0.15],
  ['FRIENDS20', 0.2],
];
