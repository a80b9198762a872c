import fc from 'fast-check';
import { createHash } from 'node:crypto';
import type { PipelinesCall } from '../../src/customerio/call';
import type { IdentityOptions } from '../../src/identity';

/** The clock property tests run against. */
export const NOW = new Date('2026-12-01T12:00:00Z');

const digestOf = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** Values real senders put in person fields: valid, invalid, blank, foreign and already hashed. */
const TYPICAL_VALUES = [
  'Jane.Doe+shop@Example.com',
  'not-an-email',
  '(650) 555-1212',
  '+44 7911 123456',
  '07911 123456',
  '030 12345678',
  '16505551212',
  '+0000000000',
  '555-1212',
  'José',
  'Mary Ann',
  "O'Brien",
  'İpek',
  'Female',
  'm',
  'non-binary',
  '1990-01-05',
  '05/01/1990',
  '19900105',
  'San Francisco',
  'California',
  'Ontario',
  'TX',
  '94107-1234',
  'SW1A 1AA',
  'US',
  'GB',
  'DE',
  'United Kingdom',
  'Deutschland',
  'XX',
  '',
  '   ',
  digestOf('jane@example.com'),
  digestOf('16505551212').toUpperCase(),
];

/** One raw value: typical text, arbitrary JSON, or an array of either. */
export const rawValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<unknown>(...TYPICAL_VALUES) },
  { weight: 1, arbitrary: fc.jsonValue() },
  { weight: 1, arbitrary: fc.integer({ min: 0, max: 99_999_999_999 }) },
  {
    weight: 1,
    arbitrary: fc.array(fc.constantFrom<unknown>(...TYPICAL_VALUES, null, 7), { maxLength: 4 }),
  },
);

const PERSON_KEYS = [
  'email',
  'phone',
  'firstName',
  'first_name',
  'lastName',
  'last_name',
  'gender',
  'birthday',
  'birthdate',
  'date_of_birth',
  'city',
  'state',
  'zip',
  'postal_code',
  'postalCode',
  'country',
  'fbc',
  'fbp',
] as const;

const address = fc.dictionary(
  fc.constantFrom('city', 'state', 'postal_code', 'country'),
  rawValue,
  { maxKeys: 4 },
);

const person: fc.Arbitrary<Record<string, unknown>> = fc
  .tuple(
    fc.dictionary(fc.constantFrom(...PERSON_KEYS), rawValue, { maxKeys: 8 }),
    fc.option(address),
  )
  .map(([fields, nested]) => (nested === null ? fields : { ...fields, address: nested }));

/** A Data Pipelines call with person fields spread over all three sources. */
export const pipelinesCall: fc.Arbitrary<PipelinesCall> = fc
  .record(
    {
      userId: fc.oneof(fc.constantFrom<unknown>('CUST_1', ' ', null, 42), fc.string()),
      anonymousId: fc.constantFrom<unknown>('anon-1', null),
      traits: person,
      properties: person,
      context: fc.record(
        {
          traits: person,
          ip: fc.constantFrom('203.0.113.7', '::1', 'bad'),
          userAgent: fc.constantFrom('Mozilla/5.0', ''),
          page: fc.record({
            url: fc.constantFrom('https://shop.example.com/?fbclid=AbC', 'not a url', '/path'),
          }),
        },
        { requiredKeys: [] },
      ),
    },
    { requiredKeys: [] },
  )
  .map(
    (fields) =>
      ({
        type: 'track',
        event: 'Order Completed',
        messageId: 'msg_1',
        timestamp: '2026-12-01T12:00:00.000Z',
        ...fields,
      }) as PipelinesCall,
  );

export const identityOptions: fc.Arbitrary<IdentityOptions> = fc
  .record(
    {
      defaultCountry: fc.constantFrom('US', 'GB', 'DE', 'BR', 'XX'),
      birthdayFormat: fc.constantFrom<'MDY' | 'DMY'>('MDY', 'DMY'),
      anonymousIdAsExternalId: fc.boolean(),
    },
    { requiredKeys: [] },
  )
  .map((options) => ({ ...options, now: NOW }));
