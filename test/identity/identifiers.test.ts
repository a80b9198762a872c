import { checkIdentifiers, sha256Hex } from '../../src/identity';
import type { UserData } from '../../src/meta/types';

const digest = sha256Hex('x');

function userDataWith(keys: string[]): UserData {
  return Object.fromEntries(keys.map((key) => [key, digest]));
}

describe('checkIdentifiers', () => {
  test('empty is no information', () => {
    expect(checkIdentifiers({})?.code).toBe('no_customer_information');
    expect(checkIdentifiers({ em: '', ph: [] })?.code).toBe('no_customer_information');
  });

  test.each([
    [['ct', 'st', 'zp', 'country', 'ge', 'client_user_agent']],
    [['country']],
    [['zp', 'client_user_agent']],
    [['db', 'client_user_agent']],
    [['db']],
    [['fn', 'ge']],
    [['ln', 'ge']],
    [['fn']],
  ])('weak set %j rejected', (keys) => {
    const issue = checkIdentifiers(userDataWith(keys));

    expect(issue?.code).toBe('weak_identifiers');
    expect(issue?.message).toContain(keys[0]);
  });

  test.each([
    [['em']],
    [['ph']],
    [['external_id']],
    [['fbc']],
    [['fbp', 'client_user_agent']],
    [['client_ip_address', 'client_user_agent']],
    [['fn', 'ln']],
    [['fn', 'ln', 'ge']],
    [['db', 'ge']],
    [['fn', 'zp']],
    [['ct', 'st', 'zp', 'country', 'ge', 'client_user_agent', 'em']],
  ])('set %j accepted', (keys) => {
    expect(checkIdentifiers(userDataWith(keys))).toBeUndefined();
  });
});
